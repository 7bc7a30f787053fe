/// Writes JSON text with keys in the order given, for stable, diffable reports.
///
/// The text is gathered as UTF-8 bytes and made a `String` once, when asked for: appending to a
/// `String` piece by piece (and building each line's indentation as a string of its own) cost about
/// three thousand instructions per value.
public struct JSONWriter: Sendable {
    /// The JSON written so far.
    public var output: String { String(decoding: bytes, as: UTF8.self) }
    /// The JSON written so far, as UTF-8.
    public private(set) var bytes: [UInt8] = []
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
        guard let value else { return Self.append("null", to: &bytes) }
        Self.appendDecimal(value, to: &bytes)
    }

    /// An empty writer in this one's state, or, with `afterOneElement`, in the state this one will be
    /// in once it has written one more element (an object or array included) at its current level:
    /// the text written to it goes there. Parts of one document can so be written at once, and
    /// `append(_:)` joins them.
    public func continuation(afterOneElement: Bool = false) -> JSONWriter {
        var next = JSONWriter(pretty: pretty)
        next.indent = indent
        next.needsComma = needsComma
        if afterOneElement { next.needsComma[next.needsComma.count - 1] = true }
        return next
    }

    /// Appends the text of `next`, a continuation of this writer (or of the one whose text this one
    /// ends in), and takes its state.
    public mutating func append(_ next: JSONWriter) {
        bytes.append(contentsOf: next.bytes)
        indent = next.indent
        needsComma = next.needsComma
    }

    /// Appends a newline, to end the document.
    public mutating func endLine() { bytes.append(UInt8(ascii: "\n")) }

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
        for _ in 0..<(2 * indent) { bytes.append(UInt8(ascii: " ")) }
    }

    /// Appends the UTF-8 of a literal.
    private static func append(_ text: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends `value` in decimal digits.
    private static func appendDecimal(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude  // unsigned, so that Int64.min has one too
        var divisor: UInt64 = 1
        while magnitude / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            out.append(UInt8(truncatingIfNeeded: 0x30 + magnitude / divisor % 10))
            divisor /= 10
        }
    }

    /// Appends `value` as a JSON string literal.
    static func escape(_ value: String, into out: inout [UInt8]) {
        // Most values need no escaping: one pass over the UTF-8 decides, and it is copied in one piece.
        var value = value
        let copied = value.withUTF8 { utf8 -> Bool in
            guard !needsEscaping(UnsafeRawBufferPointer(utf8)) else { return false }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: utf8)
            out.append(UInt8(ascii: "\""))
            return true
        }
        if copied { return }
        out.append(UInt8(ascii: "\""))
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": append("\\\"", to: &out)
            case "\\": append("\\\\", to: &out)
            case "\n": append("\\n", to: &out)
            case "\r": append("\\r", to: &out)
            case "\t": append("\\t", to: &out)
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
            default:
                UTF8.encode(scalar) { out.append($0) }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// True when `utf8` has a byte that `escape` does not copy as it is: a quote, a backslash, a
    /// control character, or the lead byte 0xE2 of U+2028/U+2029 (a false alarm for other U+2xxx only
    /// costs the scalar loop). Eight bytes a step, as words: the explanations run to hundreds of bytes.
    private static func needsEscaping(_ utf8: UnsafeRawBufferPointer) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        // A byte of `v` is zero: the classic test, exact as to whether any is.
        @inline(__always) func hasZero(_ v: UInt64) -> Bool { (v &- ones) & ~v & highs != 0 }
        var i = 0
        while i + 8 <= utf8.count {
            let w = utf8.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            // A byte below 0x20: the same classic test with 0x20 in place of 1 (exact as to whether
            // any is, for a bound of at most 0x80).
            if (w &- ones &* 0x20) & ~w & highs != 0 || hasZero(w ^ (ones &* 0x22)) || hasZero(w ^ (ones &* 0x5C))
                || hasZero(w ^ (ones &* 0xE2))
            {
                return true
            }
            i += 8
        }
        while i < utf8.count {
            let b = utf8[i]
            if b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b == 0xE2 { return true }
            i += 1
        }
        return false
    }
}
