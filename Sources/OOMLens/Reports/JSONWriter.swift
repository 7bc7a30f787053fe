/// Writes JSON text with keys in the order given, for stable, diffable reports.
///
/// The text is gathered as UTF-8 bytes and made a `String` once, when asked for: appending to a
/// `String` piece by piece (and building each line's indentation as a string of its own) cost about
/// three thousand instructions per value.
public struct JSONWriter {
    /// The JSON written so far.
    public var output: String { String(decoding: bytes, as: UTF8.self) }
    private var bytes: [UInt8] = []
    private var indent = 0
    private var needsComma: [Bool] = [false]
    private let pretty: Bool

    public init(pretty: Bool = true) {
        self.pretty = pretty
    }

    public mutating func beginObject(_ key: String? = nil) { open(key, UInt8(ascii: "{")) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray(_ key: String? = nil) { open(key, UInt8(ascii: "[")) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    public mutating func string(_ key: String?, _ value: String?) {
        element(key)
        if let value { Self.escape(value, into: &bytes) } else { Self.append("null", to: &bytes) }
    }

    public mutating func int(_ key: String?, _ value: Int64?) {
        element(key)
        Self.append(value.map(String.init) ?? "null", to: &bytes)
    }

    public mutating func int(_ key: String?, _ value: Int?) { int(key, value.map(Int64.init)) }

    public mutating func bool(_ key: String?, _ value: Bool) {
        element(key)
        Self.append(value ? "true" : "false", to: &bytes)
    }

    public mutating func null(_ key: String?) {
        element(key)
        Self.append("null", to: &bytes)
    }

    private mutating func open(_ key: String?, _ bracket: UInt8) {
        element(key)
        bytes.append(bracket)
        indent += 1
        needsComma.append(false)
    }

    private mutating func close(_ bracket: UInt8) {
        let hadElements = needsComma.removeLast()
        indent -= 1
        if hadElements, pretty { newline() }
        bytes.append(bracket)
    }

    private mutating func element(_ key: String?) {
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
        if pretty, indent > 0 { newline() }
        if let key {
            Self.escape(key, into: &bytes)
            Self.append(pretty ? ": " : ":", to: &bytes)
        }
    }

    private mutating func newline() {
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * indent))
    }

    /// Appends the UTF-8 of `text`, copied in one piece when the string is stored contiguously.
    private static func append(_ text: String, to out: inout [UInt8]) {
        if text.utf8.withContiguousStorageIfAvailable({ out.append(contentsOf: $0) }) == nil {
            out.append(contentsOf: text.utf8)
        }
    }

    /// Appends `value` as a JSON string literal.
    static func escape(_ value: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        if !needsEscaping(value) {
            append(value, to: &out)
            out.append(UInt8(ascii: "\""))
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": append("\\\"", to: &out)
            case "\\": append("\\\\", to: &out)
            case "\n": append("\\n", to: &out)
            case "\r": append("\\r", to: &out)
            case "\t": append("\\t", to: &out)
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex, to: &out)
            default:
                UTF8.encode(scalar) { out.append($0) }
            }
        }
        out.append(UInt8(ascii: "\""))
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
