import Yams

/// Reads Kubernetes API objects as YAML — `kubectl get -o yaml`, must-gather `pods.yaml`/`events.yaml`
/// (`kind: List`), `nodes/<node>.yaml`, multi-document files — replayed into the same
/// `APIObjectBuilder` as JSON.
///
/// Input (kubernetes/website, `samples/pod-status-laststate-oomkilled.yaml`; evicted pod from k8s#48632):
///
///     status:
///       message: 'Pod The node was low on resource: [MemoryPressure].'
///       phase: Failed
///       reason: Evicted
///       startTime: '2017-07-07T19:36:11Z'
///
/// YAML is read in pieces (`YAMLChunker`): each document, and each item of a `kind: List` (a
/// must-gather `pods.yaml` is one List of every pod in the namespace), is read on its own, replayed,
/// then dropped, so memory holds one piece, not the file. A piece in the plain block style Kubernetes'
/// writers use is read straight from its bytes (`YAMLBlockReader`); any other is composed by Yams. A
/// piece larger than `maxChunkBytes` (64 MiB) is not read and gets a `damage` diagnostic; the others
/// are. A YAML error stops the file with a `damage` diagnostic naming the line; the objects before it
/// are kept (see `docs/yaml.md`).
public struct APIYAMLParser: FileParser {
    public static let defaultMaxChunkBytes = 64 << 20

    private let context: ParseContext
    public let maxChunkBytes: Int
    private var splitter: LineSplitter
    private var chunker: YAMLChunker
    private var builder: APIObjectBuilder
    private var source = YAMLEventSource()
    /// Every piece composed by Yams, none read by `YAMLBlockReader`: for the tests and the fuzzer,
    /// which hold the two to the same output.
    public var composesEveryPiece = false
    /// A YAML error stopped the file.
    private var stopped = false
    /// The open List: its root's line, the line of `items:`, and whether the items are wanted.
    private var list: (line: Int, itemsLine: Int, itemsWanted: Bool)?

    public init(context: ParseContext) {
        self.init(context: context, maxChunkBytes: Self.defaultMaxChunkBytes)
    }

    public init(context: ParseContext, maxChunkBytes: Int) {
        self.context = context
        self.maxChunkBytes = maxChunkBytes
        chunker = YAMLChunker(maxBytes: maxChunkBytes)
        // A line longer than the cap is cut; its chunk then overflows and is reported.
        splitter = LineSplitter(maxLineBytes: maxChunkBytes)
        builder = APIObjectBuilder(context: context)
    }

    public mutating func feed(_ block: UnsafeRawBufferPointer, into output: inout ParseOutput) {
        guard !stopped else { return }
        var pieces: [YAMLChunker.Piece] = []
        splitter.feed(block) { line in
            chunker.add(line.bytes, number: line.number, into: &pieces)
        }
        read(pieces, into: &output)
    }

    public mutating func finish(into output: inout ParseOutput) {
        if !stopped {
            var pieces: [YAMLChunker.Piece] = []
            splitter.finish { line in chunker.add(line.bytes, number: line.number, into: &pieces) }
            read(pieces + chunker.finish(), into: &output)
        }
        builder.drain(into: &output)
        if let line = source.tooDeepLine {
            output.diagnostics.append(Diagnostic(
                .warning, file: context.path, line: line,
                "YAML nested deeper than \(source.maxDepth) levels: the deeper part was not read"))
        }
        if let note = builder.skippedNote() { output.diagnostics.append(note) }
    }

    private mutating func read(_ pieces: [YAMLChunker.Piece], into output: inout ParseOutput) {
        for piece in pieces where !stopped {
            switch piece {
            case .document(let chunk):
                if readPlainly(chunk, items: false, into: &output) { continue }
                compose(chunk, what: "document", into: &output) { parser, source, builder, output in
                    while let root = try parser.nextRoot() {
                        source.replay(root, to: &builder)
                        builder.drain(into: &output)
                    }
                }
            case .listStart(let head, let itemsLine):
                var line = itemsLine
                var wanted = false
                // Over the cap, the List's root keys are not read, nor is the List.
                let begun = compose(head, what: "List's keys before items", into: &output) { parser, source, builder, output in
                    let root = try parser.nextRoot()
                    line = root.flatMap { source.line(of: $0) } ?? itemsLine
                    wanted = source.beginList(head: root, line: line, itemsLine: itemsLine, to: &builder)
                }
                if begun { list = (line, itemsLine, wanted) }
            case .item(let item, let kind):
                guard list?.itemsWanted == true else { continue }
                if !item.overflowed, let kind, !APIObjectBuilder.isRead(kind) {
                    // A ConfigMap, Deployment, Secret…: counted as replaying it would, never composed.
                    source.skipItem()
                    builder.countSkippedItem(kind: kind)
                    continue
                }
                if readPlainly(item, items: true, into: &output) { continue }
                compose(item, what: "List item", into: &output) { parser, source, builder, output in
                    while let root = try parser.nextRoot() {
                        guard case .sequence(let items) = root else { continue }
                        for item in items { source.replayItem(item, to: &builder) }
                    }
                    builder.drain(into: &output)
                }
            case .listEnd(let tail):
                guard let open = list else { continue }
                list = nil
                let read = compose(tail, what: "List's keys after items", into: &output) { parser, source, builder, output in
                    let root = try parser.nextRoot()
                    source.endList(tail: root, line: open.line, itemsLine: open.itemsLine, itemsWanted: open.itemsWanted,
                                   to: &builder)
                    builder.drain(into: &output)
                }
                if !read, !stopped {
                    // Over the cap: the List still ends, so that what follows is read as before.
                    source.endList(tail: nil, line: open.line, itemsLine: open.itemsLine, itemsWanted: open.itemsWanted,
                                   to: &builder)
                    builder.drain(into: &output)
                }
            }
        }
    }

    /// Reads `chunk` without Yams (`YAMLBlockReader`) when it keeps to the plain subset Kubernetes'
    /// writers use, replaying a document, or the entries of a List item piece (`items`); false, having
    /// replayed nothing, when it does not (or is over the cap), to be composed instead.
    private mutating func readPlainly(_ chunk: YAMLChunker.Chunk, items: Bool, into output: inout ParseOutput) -> Bool {
        guard !chunk.overflowed, !composesEveryPiece else { return false }
        return chunk.bytes.withUnsafeBytes { bytes in
            guard let block = YAMLBlockReader.read(bytes) else { return false }
            source.lineOffset = Swift.max(0, chunk.firstLine - 1)
            if items {
                source.replayItems(block, in: bytes, to: &builder)
            } else {
                source.replay(block, in: bytes, to: &builder)
            }
            builder.drain(into: &output)
            return true
        }
    }

    /// Composes `chunk` with Yams and hands the parser to `body`; true when that ran through. A YAML
    /// error stops the file; a chunk over the cap (`what` names it) is reported and passed over.
    @discardableResult
    private mutating func compose(
        _ chunk: YAMLChunker.Chunk, what: String, into output: inout ParseOutput,
        _ body: (Yams.Parser, inout YAMLEventSource, inout APIObjectBuilder, inout ParseOutput) throws -> Void
    ) -> Bool {
        if chunk.overflowed {
            output.diagnostics.append(Diagnostic(
                .damage, file: context.path, line: chunk.firstLine,
                "YAML \(what) of \(chunk.size) bytes is larger than the \(maxChunkBytes)-byte cap for YAML: not read"))
            return false
        }
        let text = String(decoding: chunk.bytes, as: UTF8.self)
        source.lineOffset = Swift.max(0, chunk.firstLine - 1)
        do {
            let parser = try Yams.Parser(yaml: text, resolver: .basic, constructor: .default, encoding: .utf8)
            try body(parser, &source, &builder, &output)
            return true
        } catch {
            let (line, message) = Self.describe(error, in: text, lineOffset: source.lineOffset)
            output.diagnostics.append(Diagnostic(
                .damage, file: context.path, line: line,
                "malformed YAML\(line.map { " at line \($0)" } ?? ""): \(message); reading stopped "
                    + "(\(builder.objectsRead) object(s) read before)"))
            stopped = true
            return false
        }
    }

    /// How Yams names a duplicated key that is a mapping or a sequence (its spelling).
    static let unconvertibleKey = "<uncovertable>"

    /// The line and a short text for a Yams error (never its `description`, which quotes the whole file).
    static func describe(_ error: any Error, in text: String, lineOffset: Int = 0) -> (line: Int?, message: String) {
        guard let error = error as? YamlError else { return (nil, "unreadable YAML") }
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            return (mark.line + lineOffset,
                    problem + (context.map { " (\($0.text) at line \($0.mark.line + lineOffset))" } ?? ""))
        case .reader(let problem, let offset, _, _):
            let line = offset.map { at in text.utf8.prefix(at).reduce(1) { $0 + ($1 == .newline ? 1 : 0) } + lineOffset }
            return (line, problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Yams sorts the duplicated keys by node, which orders scalars by text but leaves a mapping or
            // sequence key unordered against the others: their order (and the line of the first) then
            // follows a dictionary's. Names are sorted here, and the line kept only when Yams's first key
            // is the one with the least text, the same in every run.
            let names = duplicates.sorted()
            let ordered = !names.contains(unconvertibleKey) && Set(names).count == names.count
            let shown = names.prefix(3).joined(separator: ", ") + (names.count > 3 ? ", …" : "")
            return (ordered ? context.mark.line + lineOffset : nil, "duplicate key(s) \(shown)")
        case .memory:
            return (nil, "out of memory")
        default:
            return (nil, "unreadable YAML")
        }
    }
}
