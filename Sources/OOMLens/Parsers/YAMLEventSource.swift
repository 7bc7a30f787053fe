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
struct YAMLEventSource {
    private var path = JSONPath()
    let maxDepth: Int
    /// Set when a document nests deeper than `maxDepth`; that part is not replayed.
    private(set) var tooDeepLine: Int?

    init(maxDepth: Int = 256) {
        self.maxDepth = maxDepth
    }

    /// Replays one document.
    mutating func replay<C: JSONEventConsumer>(_ root: Node, to consumer: inout C) {
        path = JSONPath()
        value(root, line: root.mark?.line ?? 1, &consumer)
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
            for (key, child) in mapping {
                guard case .scalar(let keyScalar) = key else { continue }
                var text = keyScalar.string
                let id = text.withUTF8 { consumer.key(UnsafeRawBufferPointer($0), in: path) }
                path.setKey(id)
                if id == JSONPath.skipValue { continue }
                value(child, line: key.mark?.line ?? line, &consumer)
            }
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
                value(item, line: item.mark?.line ?? line, &consumer)
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
                consumer.scalar(JSONScalar(kind: kind, bytes: bytes), at: path, line: scalar.mark?.line ?? line)
            }
        case .alias:
            // Yams resolves aliases to the anchored node while composing; nothing is left here.
            break
        }
    }

    /// The JSON kind a YAML scalar stands for (YAML 1.2 core schema, as `kubectl` writes it).
    static func kind(_ scalar: Node.Scalar) -> JSONScalar.Kind {
        guard scalar.style == .plain || scalar.style == .any else { return .string }
        switch scalar.string {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .true
        case "false", "False", "FALSE": return .false
        default:
            var text = scalar.string
            let isNumber = text.withUTF8 { JSONScanner.isValidNumber(UnsafeRawBufferPointer($0)) }
            return isNumber ? .number : .string
        }
    }
}
