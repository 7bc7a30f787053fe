/// Writes JSON text with keys in the order given, for stable, diffable reports.
public struct JSONWriter {
    public private(set) var output = ""
    private var indent = 0
    private var needsComma: [Bool] = [false]
    private let pretty: Bool

    public init(pretty: Bool = true) {
        self.pretty = pretty
    }

    public mutating func beginObject(_ key: String? = nil) { open(key, "{") }
    public mutating func endObject() { close("}") }
    public mutating func beginArray(_ key: String? = nil) { open(key, "[") }
    public mutating func endArray() { close("]") }

    public mutating func string(_ key: String?, _ value: String?) {
        element(key)
        if let value { Self.escape(value, into: &output) } else { output += "null" }
    }

    public mutating func int(_ key: String?, _ value: Int64?) {
        element(key)
        output += value.map(String.init) ?? "null"
    }

    public mutating func int(_ key: String?, _ value: Int?) { int(key, value.map(Int64.init)) }

    public mutating func bool(_ key: String?, _ value: Bool) {
        element(key)
        output += value ? "true" : "false"
    }

    public mutating func null(_ key: String?) {
        element(key)
        output += "null"
    }

    private mutating func open(_ key: String?, _ bracket: String) {
        element(key)
        output += bracket
        indent += 1
        needsComma.append(false)
    }

    private mutating func close(_ bracket: String) {
        let hadElements = needsComma.removeLast()
        indent -= 1
        if hadElements, pretty { newline() }
        output += bracket
    }

    private mutating func element(_ key: String?) {
        if needsComma[needsComma.count - 1] { output += "," }
        needsComma[needsComma.count - 1] = true
        if pretty, indent > 0 { newline() }
        if let key {
            Self.escape(key, into: &output)
            output += pretty ? ": " : ":"
        }
    }

    private mutating func newline() {
        output += "\n" + String(repeating: "  ", count: indent)
    }

    /// Appends `value` as a JSON string literal.
    static func escape(_ value: String, into out: inout String) {
        out += "\""
        if !needsEscaping(value) {
            out += value
            out += "\""
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// True when `value` has a byte that `escape` does not copy as it is: a quote, a backslash, a
    /// control character, or the lead byte 0xE2 of U+2028/U+2029 (a false alarm for other U+2xxx only costs
    /// the scalar loop).
    private static func needsEscaping(_ value: String) -> Bool {
        func special(_ b: UInt8) -> Bool { b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b == 0xE2 }
        return value.utf8.withContiguousStorageIfAvailable { $0.contains(where: special) }
            ?? value.utf8.contains(where: special)
    }
}
