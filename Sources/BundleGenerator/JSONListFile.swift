/// A List file — troubleshoot's `PodList`/`EventList`/`NodeList`, or the `List` of `kubectl get -o json` —
/// rendered on demand, one item at a time, so that a list of tens of thousands of generated pods is never
/// held whole.
///
/// The two envelopes, as their tools write them:
///
///     {"kind": "PodList", "apiVersion": "v1", "metadata": {"resourceVersion": "…"}, "items": […]}   troubleshoot: struct order
///     {"apiVersion": "v1", "items": […], "kind": "List", "metadata": {"resourceVersion": ""}}        kubectl: keys sorted
struct JSONListFile: Sendable {
    enum Envelope: Sendable {
        case troubleshoot(kind: String, resourceVersion: Int)
        case kubectl
    }

    var envelope: Envelope
    var style: JSONStyle
    /// The scenario's own items.
    var items: [JSONValue]
    /// Generated pods, after `items`.
    var extraPods: ExtraPods?

    private var itemCount: Int { items.count + (extraPods?.count ?? 0) }

    private func item(_ i: Int) -> JSONValue {
        let value = i < items.count ? items[i] : extraPods?.pod(i - items.count) ?? .null
        if case .kubectl = envelope { return value.sortedKeys() }
        return value
    }

    /// The envelope's fields in order; nil stands for `items`.
    private var fields: [(String, JSONValue?)] {
        switch envelope {
        case .troubleshoot(let kind, let resourceVersion):
            [("kind", .string(kind)), ("apiVersion", .string("v1")),
             ("metadata", .object([("resourceVersion", .string(String(resourceVersion)))])), ("items", nil)]
        case .kubectl:
            [("apiVersion", .string("v1")), ("items", nil), ("kind", .string("List")),
             ("metadata", .object([("resourceVersion", .string(""))]))]
        }
    }

    /// Calls `emit` with the file's bytes in order, in chunks of about 1 MB.
    func produce(_ emit: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        let fields = fields
        let count = itemCount
        var out = "{" + style.newline
        for (f, (key, value)) in fields.enumerated() {
            out += style.indentation(1)
            JSONValue.quote(key, into: &out)
            out += style.colon
            if let value {
                value.write(into: &out, level: 1, style: style)
            } else if count == 0 {
                out += "[]"
            } else {
                out += "[" + style.newline
                for i in 0..<count {
                    out += style.indentation(2)
                    item(i).write(into: &out, level: 2, style: style)
                    out += (i + 1 < count ? "," : "") + style.newline
                    if out.utf8.count >= 1 << 20 {
                        try out.withUTF8 { try emit(UnsafeRawBufferPointer($0)) }
                        out = ""
                    }
                }
                out += style.indentation(1) + "]"
            }
            out += (f + 1 < fields.count ? "," : "") + style.newline
        }
        out += "}\n"
        try out.withUTF8 { try emit(UnsafeRawBufferPointer($0)) }
    }

    /// The file's size in bytes (a dry run).
    func byteCount() -> Int64 {
        var total: Int64 = 0
        produce { total += Int64($0.count) }
        return total
    }

    /// The whole file as text (small lists).
    var text: String {
        var bytes: [UInt8] = []
        produce { bytes.append(contentsOf: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
