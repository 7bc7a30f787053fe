import Yams

/// Replays a composed YAML document (a Yams `Node` tree) as the event stream `JSONScanner` produces,
/// so `APIObjectBuilder` reads YAML and JSON with the same field logic.
///
/// Input as `kubectl get pod -o yaml` writes it (`samples/pod-status-laststate-oomkilled.yaml`):
///
///     lastState:
///        terminated:
///          containerID: docker://65183c1877aaec2e8427bc95609cc52677a454b56fcb24340dbd22917c23b10f
///          exitCode: 137
///          finishedAt: 2017-06-20T20:52:19Z
///          reason: OOMKilled
///          startedAt: null
///
/// Lines come from Yams marks: a mapping or sequence that is the value of a key begins on the key's
/// line (`terminated:` above), like `"terminated": {` in JSON; scalars on their own line. Plain
/// `null`, `~` and empty scalars are `null`; plain `true`/`false` are literals; other plain scalars
/// that read as numbers are numbers; everything else is a string. Keys the consumer declines
/// (`JSONPath.skipValue`) are not descended into.
///
/// A `kind: List` comes in pieces (`YAMLChunker`): `beginList` with the root keys before `items:`, each
/// item through `replayItem`, and `endList` with the keys after; the events are those of the whole
/// document. Each piece's marks count from its own first line: `lineOffset` moves them to the file's.
struct YAMLEventSource {
    private var path = JSONPath()
    /// Added to every mark's line: the line before the composed piece's first one.
    var lineOffset = 0
    let maxDepth: Int
    /// Set when a document nests deeper than `maxDepth`; that part is not replayed.
    private(set) var tooDeepLine: Int?
    /// The text of the last scalar `YAMLBlockReader` left to work out (reused).
    private var folding: [UInt8] = []

    init(maxDepth: Int = 256) {
        self.maxDepth = maxDepth
    }

    /// Replays one document.
    mutating func replay<C: JSONEventConsumer>(_ root: Node, to consumer: inout C) {
        path = JSONPath()
        value(root, line: line(of: root) ?? 1 + lineOffset, &consumer)
    }

    /// Begins a List document: its root object (at `line`), the root keys of `head` (a mapping, or nil
    /// when nothing precedes `items:`), and the `items` key on `itemsLine`. False when the consumer
    /// declines the items (they need not be composed then).
    mutating func beginList<C: JSONEventConsumer>(head: Node?, line: Int, itemsLine: Int, to consumer: inout C) -> Bool {
        path = JSONPath()
        consumer.beginObject(at: path, line: line)
        path.push(isArray: false)
        if case .mapping(let mapping)? = head { entries(mapping, line: line, &consumer) }
        var items = "items"
        let id = items.withUTF8 { consumer.key(UnsafeRawBufferPointer($0), in: path) }
        path.setKey(id)
        guard id != JSONPath.skipValue else { return false }
        consumer.beginArray(at: path, line: itemsLine)
        path.push(isArray: true)
        return true
    }

    /// One item of the List begun with `beginList`.
    mutating func replayItem<C: JSONEventConsumer>(_ item: Node, to consumer: inout C) {
        path.advanceIndex()
        value(item, line: line(of: item) ?? lineOffset + 1, &consumer)
    }

    /// An item of the List passed over unread (its kind is not one the consumer reads).
    mutating func skipItem() {
        path.advanceIndex()
    }

    /// Ends the List begun on `line`: the items (when they were wanted), the root keys of `tail`, the root.
    mutating func endList<C: JSONEventConsumer>(tail: Node?, line: Int, itemsLine: Int, itemsWanted: Bool, to consumer: inout C) {
        if itemsWanted {
            path.pop()
            consumer.endArray(at: path, line: itemsLine)
        }
        if case .mapping(let mapping)? = tail { entries(mapping, line: line, &consumer) }
        path.pop()
        consumer.endObject(at: path, line: line)
    }

    /// A node's line in the file.
    func line(of node: Node) -> Int? { node.mark.map { $0.line + lineOffset } }

    private mutating func entries<C: JSONEventConsumer>(_ mapping: Node.Mapping, line: Int, _ consumer: inout C) {
        for (key, child) in mapping {
            guard case .scalar(let keyScalar) = key else { continue }
            var text = keyScalar.string
            let id = text.withUTF8 { consumer.key(UnsafeRawBufferPointer($0), in: path) }
            path.setKey(id)
            if id == JSONPath.skipValue { continue }
            value(child, line: self.line(of: key) ?? line, &consumer)
        }
    }

    private mutating func value<C: JSONEventConsumer>(_ node: Node, line: Int, _ consumer: inout C) {
        switch node {
        case .mapping(let mapping):
            guard path.depth < maxDepth else {
                if tooDeepLine == nil { tooDeepLine = line }
                return
            }
            consumer.beginObject(at: path, line: line)
            path.push(isArray: false)
            entries(mapping, line: line, &consumer)
            path.pop()
            consumer.endObject(at: path, line: line)
        case .sequence(let sequence):
            guard path.depth < maxDepth else {
                if tooDeepLine == nil { tooDeepLine = line }
                return
            }
            consumer.beginArray(at: path, line: line)
            path.push(isArray: true)
            for item in sequence {
                path.advanceIndex()
                value(item, line: self.line(of: item) ?? line, &consumer)
            }
            path.pop()
            consumer.endArray(at: path, line: line)
        case .scalar(let scalar):
            guard consumer.wantsScalar(at: path) else { return }
            let kind = Self.kind(scalar)
            var text = scalar.string
            text.withUTF8 { buffer in
                let bytes = kind == .string || kind == .number
                    ? UnsafeRawBufferPointer(buffer) : UnsafeRawBufferPointer(start: nil, count: 0)
                consumer.scalar(JSONScalar(kind: kind, bytes: bytes), at: path, line: scalar.mark.map { $0.line + lineOffset } ?? line)
            }
        case .alias:
            // Yams resolves aliases to the anchored node while composing; nothing is left here.
            break
        }
    }

    /// The JSON kind a YAML scalar stands for (YAML 1.2 core schema, as `kubectl` writes it).
    static func kind(_ scalar: Node.Scalar) -> JSONScalar.Kind {
        guard scalar.style == .plain || scalar.style == .any else { return .string }
        var text = scalar.string
        return text.withUTF8 { YAMLBlockReader.kind(plain: UnsafeRawBufferPointer($0)) }
    }

    // MARK: - Pieces read without Yams

    /// Replays a document `YAMLBlockReader` read from `bytes` (nothing when it held no content), as
    /// `replay(_:to:)` does its node tree.
    mutating func replay<C: JSONEventConsumer>(
        _ block: YAMLBlockReader, in bytes: UnsafeRawBufferPointer, to consumer: inout C
    ) {
        guard !block.tokens.isEmpty else { return }
        path = JSONPath()
        var i = 0
        value(block.tokens, &i, bytes, &consumer)
    }

    /// Replays each entry of the sequence at the root of a List item piece `YAMLBlockReader` read from
    /// `bytes`, as `replayItem(_:to:)` does each composed one.
    mutating func replayItems<C: JSONEventConsumer>(
        _ block: YAMLBlockReader, in bytes: UnsafeRawBufferPointer, to consumer: inout C
    ) {
        let tokens = block.tokens
        guard let root = tokens.first, root.kind == .seqStart else { return }
        var i = 1
        while i < tokens.count, tokens[i].kind != .seqEnd {
            path.advanceIndex()
            value(tokens, &i, bytes, &consumer)
        }
    }

    /// Replays the value whose first token is `tokens[i]`, leaving `i` after it.
    private mutating func value<C: JSONEventConsumer>(
        _ tokens: [YAMLBlockReader.Token], _ i: inout Int, _ bytes: UnsafeRawBufferPointer, _ consumer: inout C
    ) {
        let token = tokens[i]
        let line = Int(token.line) + lineOffset
        switch token.kind {
        case .mapStart, .seqStart:
            let isArray = token.kind == .seqStart
            guard path.depth < maxDepth else {
                if tooDeepLine == nil { tooDeepLine = line }
                i = Int(token.count) + 1
                return
            }
            if isArray { consumer.beginArray(at: path, line: line) } else { consumer.beginObject(at: path, line: line) }
            path.push(isArray: isArray)
            i += 1
            while true {
                let next = tokens[i]
                if next.kind == .mapEnd || next.kind == .seqEnd { break }
                if isArray {
                    path.advanceIndex()
                } else {
                    // A key, then its value.
                    i += 1
                    let id = consumer.key(bytes.slice(Int(next.start)..<Int(next.start + next.count)), in: path)
                    path.setKey(id)
                    if id == JSONPath.skipValue {
                        let skipped = tokens[i]
                        i = skipped.kind == .mapStart || skipped.kind == .seqStart ? Int(skipped.count) + 1 : i + 1
                        continue
                    }
                }
                value(tokens, &i, bytes, &consumer)
            }
            i += 1
            path.pop()
            if isArray { consumer.endArray(at: path, line: line) } else { consumer.endObject(at: path, line: line) }
        case .plain, .quoted, .empty:
            i += 1
            guard consumer.wantsScalar(at: path) else { return }
            let start = Int(token.start)
            let raw = bytes.slice(start..<start + Int(token.count))
            if token.text != .asIs {
                let quote = token.kind == .quoted && start > 0 ? bytes[start - 1] : nil
                YAMLBlockReader.text(of: token.text, raw, quote: quote, into: &folding)
            }
            folding.withUnsafeBytes { worked in
                let text = token.text != .asIs ? worked : raw
                let kind: JSONScalar.Kind = switch token.kind {
                case .quoted: .string
                case .plain: YAMLBlockReader.kind(plain: text)
                default: .null
                }
                let value = kind == .string || kind == .number ? text : UnsafeRawBufferPointer(start: nil, count: 0)
                consumer.scalar(JSONScalar(kind: kind, bytes: value), at: path, line: line)
            }
        case .mapEnd, .seqEnd, .key:
            // Not the first token of a value (`read` never puts one there).
            i += 1
        }
    }
}
