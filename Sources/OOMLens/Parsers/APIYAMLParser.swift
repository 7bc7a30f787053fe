import Yams

/// Reads Kubernetes API objects as YAML — `kubectl get -o yaml`, must-gather `pods.yaml`/`events.yaml`
/// (`kind: List`), `nodes/<node>.yaml`, multi-document files — with Yams, replayed into the same
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
/// YAML is not streamed: the file is buffered up to `maxFileBytes` (64 MiB; a larger file is not
/// read and gets a `damage` diagnostic) and each document is composed whole by Yams before it is
/// replayed, then dropped (see `docs/yaml.md`). A YAML error stops the file with a `damage`
/// diagnostic naming the line; documents before it are kept.
public struct APIYAMLParser: FileParser {
    public static let defaultMaxFileBytes = 64 << 20

    private let context: ParseContext
    public let maxFileBytes: Int
    private var bytes: [UInt8] = []
    private var totalBytes: Int64 = 0
    private var overflowed = false

    public init(context: ParseContext) {
        self.init(context: context, maxFileBytes: Self.defaultMaxFileBytes)
    }

    public init(context: ParseContext, maxFileBytes: Int) {
        self.context = context
        self.maxFileBytes = maxFileBytes
    }

    public mutating func feed(_ block: UnsafeRawBufferPointer, into output: inout ParseOutput) {
        totalBytes += Int64(block.count)
        guard !overflowed else { return }
        if bytes.count + block.count > maxFileBytes {
            overflowed = true
            bytes = []
            return
        }
        bytes.append(contentsOf: block)
    }

    public mutating func finish(into output: inout ParseOutput) {
        if overflowed {
            output.diagnostics.append(Diagnostic(
                .damage, file: context.path,
                "YAML file of \(totalBytes) bytes is larger than the \(maxFileBytes)-byte cap for YAML: not read"))
            return
        }
        let text = String(decoding: bytes, as: UTF8.self)
        bytes = []
        var builder = APIObjectBuilder(context: context)
        var source = YAMLEventSource()
        do {
            let parser = try Yams.Parser(yaml: text, resolver: .basic, constructor: .default, encoding: .utf8)
            while let root = try parser.nextRoot() {
                source.replay(root, to: &builder)
                builder.drain(into: &output)
            }
        } catch {
            let (line, message) = Self.describe(error, in: text)
            output.diagnostics.append(Diagnostic(
                .damage, file: context.path, line: line,
                "malformed YAML\(line.map { " at line \($0)" } ?? ""): \(message); reading stopped "
                    + "(\(builder.objectsRead) object(s) read before)"))
        }
        builder.drain(into: &output)
        if let line = source.tooDeepLine {
            output.diagnostics.append(Diagnostic(
                .warning, file: context.path, line: line,
                "YAML nested deeper than \(source.maxDepth) levels: the deeper part was not read"))
        }
        if let note = builder.skippedNote() { output.diagnostics.append(note) }
    }

    /// How Yams names a duplicated key that is a mapping or a sequence (its spelling).
    static let unconvertibleKey = "<uncovertable>"

    /// The line and a short text for a Yams error (never its `description`, which quotes the whole file).
    static func describe(_ error: any Error, in text: String) -> (line: Int?, message: String) {
        guard let error = error as? YamlError else { return (nil, "unreadable YAML") }
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            return (mark.line, problem + (context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""))
        case .reader(let problem, let offset, _, _):
            let line = offset.map { at in text.utf8.prefix(at).reduce(1) { $0 + ($1 == .newline ? 1 : 0) } }
            return (line, problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Yams sorts the duplicated keys by node, which orders scalars by text but leaves a mapping or
            // sequence key unordered against the others: their order (and the line of the first) then
            // follows a dictionary's. Names are sorted here, and the line kept only when Yams's first key
            // is the one with the least text, the same in every run.
            let names = duplicates.sorted()
            let ordered = !names.contains(unconvertibleKey) && Set(names).count == names.count
            let shown = names.prefix(3).joined(separator: ", ") + (names.count > 3 ? ", …" : "")
            return (ordered ? context.mark.line : nil, "duplicate key(s) \(shown)")
        case .memory:
            return (nil, "out of memory")
        default:
            return (nil, "unreadable YAML")
        }
    }
}
