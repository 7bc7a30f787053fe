/// An ordered JSON value rendered the way Go's `json.MarshalIndent(v, "", "  ")` renders Kubernetes
/// objects: keys in struct-field order, `"key": value`, `{}`/`[]` when empty, and HTML-safe escaping
/// (`<`, `>`, `&` as `\u003c`, `\u003e`, `\u0026`).
indirect enum JSONValue: Sendable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    case int(Int64)
    case bool(Bool)
    case null

    static func int(_ v: Int) -> JSONValue { .int(Int64(v)) }

    /// An object from pairs, dropping nil values (Go's `omitempty`).
    static func fields(_ pairs: [(String, JSONValue?)]) -> JSONValue {
        .object(pairs.compactMap { key, value in value.map { (key, $0) } })
    }

    /// The text in `style` with a trailing newline.
    func rendered(style: JSONStyle = .indent2) -> String {
        var out = ""
        write(into: &out, level: 0, style: style)
        return out + "\n"
    }

    /// Appends the value as it appears `level` containers deep (the caller wrote the indentation before it).
    func write(into out: inout String, level: Int, style: JSONStyle) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .string(let s): Self.quote(s, into: &out)
        case .array(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "[" + style.newline
            for (i, item) in items.enumerated() {
                out += style.indentation(level + 1)
                item.write(into: &out, level: level + 1, style: style)
                out += (i + 1 < items.count ? "," : "") + style.newline
            }
            out += style.indentation(level) + "]"
        case .object(let pairs):
            guard !pairs.isEmpty else { out += "{}"; return }
            out += "{" + style.newline
            for (i, (key, value)) in pairs.enumerated() {
                out += style.indentation(level + 1)
                Self.quote(key, into: &out)
                out += style.colon
                value.write(into: &out, level: level + 1, style: style)
                out += (i + 1 < pairs.count ? "," : "") + style.newline
            }
            out += style.indentation(level) + "}"
        }
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

extension JSONValue {
    /// The same value with every object's keys sorted, as `kubectl get -o json` prints (unstructured maps).
    func sortedKeys() -> JSONValue {
        switch self {
        case .object(let pairs): .object(pairs.map { ($0.0, $0.1.sortedKeys()) }.sorted { $0.0 < $1.0 })
        case .array(let items): .array(items.map { $0.sortedKeys() })
        default: self
        }
    }
}
