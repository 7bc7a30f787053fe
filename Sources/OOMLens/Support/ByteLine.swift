#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Named ASCII bytes for byte-level parsers.
extension UInt8 {
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let colon = UInt8(ascii: ":")
    static let comma = UInt8(ascii: ",")
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let equals = UInt8(ascii: "=")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let openParen = UInt8(ascii: "(")
    static let closeParen = UInt8(ascii: ")")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let slash = UInt8(ascii: "/")
    static let dot = UInt8(ascii: ".")
    static let dash = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let underscore = UInt8(ascii: "_")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")

    var isDigit: Bool { self >= .zero && self <= .nine }
    var isHexDigit: Bool { hexValue != nil }
    var isSpaceOrTab: Bool { self == .space || self == .tab }
    /// The value of a hexadecimal digit (either case), nil for any other byte.
    var hexValue: UInt8? {
        switch self {
        case .zero...UInt8.nine: return self - .zero
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return self - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return self - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// One line of a member: its bytes (without `\n` or a trailing `\r`) and its 1-based number.
///
/// The bytes are borrowed from the reader's block or carry buffer and valid only during the call
/// that received the line; copy out (`string(_:)`) what must outlive it.
public struct Line {
    public let bytes: UnsafeRawBufferPointer
    public let number: Int
    /// The line was longer than the cap and was cut; `bytes` holds its beginning.
    public let wasCut: Bool
    /// Where the line starts in the block being fed; nil when it straddled two blocks and was stitched
    /// in the splitter's carry buffer, whose bytes are gone once the call returns. Other lines' bytes
    /// last until the end of their block.
    public let blockOffset: Int?

    public init(bytes: UnsafeRawBufferPointer, number: Int, wasCut: Bool = false, blockOffset: Int? = nil) {
        self.bytes = bytes
        self.number = number
        self.wasCut = wasCut
        self.blockOffset = blockOffset
    }

    /// The line was stitched from two blocks (see `blockOffset`).
    public var isStitched: Bool { blockOffset == nil }
}

/// Substring search and small field readers over borrowed bytes, the parsers' hot-path toolkit.
extension UnsafeRawBufferPointer {
    /// The offset of the first `byte` at or after `from`, found with `memchr`.
    @inline(__always)
    public func firstIndex(of byte: UInt8, from start: Int = 0) -> Int? {
        guard let base = baseAddress, start < count else { return nil }
        guard let hit = memchr(base + start, Int32(byte), count - start) else { return nil }
        return UnsafeRawPointer(hit) - base
    }

    /// The offset where `needle` first occurs at or after `from`.
    ///
    /// `memchr` looks for the needle's rarest byte (by a fixed ranking of how common bytes are in
    /// logs: lower-case letters, digits, spaces and separators are common; capitals and brackets
    /// are not), then the first and last bytes are compared before `memcmp` checks the rest, so a
    /// needle like `"robe"` does not stop at every `r` of a line.
    public func firstIndex(of needle: StaticString, from start: Int = 0) -> Int? {
        let n = needle.utf8CodeUnitCount
        guard let base = baseAddress, n > 0, start >= 0, count - start >= n else { return nil }
        let pattern = needle.utf8Start
        if n == 1 { return firstIndex(of: pattern.pointee, from: start) }
        // The first byte of the rarest class; a capital or bracket ends the search at once.
        var anchor = 0
        var best = UInt8.max
        for k in 0..<n {
            let rank = Self.commonness(pattern[k])
            if rank < best {
                best = rank
                anchor = k
                if rank == 1 { break }
            }
        }
        let anchorByte = Int32(pattern[anchor])
        let first = pattern[0], last = pattern[n - 1]
        // Candidates p in start...count-n; the anchor byte of candidate p sits at p + anchor.
        var cursor = base + start + anchor
        let lastAnchor = base + (count - n) + anchor
        while cursor <= lastAnchor, let hit = memchr(cursor, anchorByte, lastAnchor - cursor + 1) {
            let p = UnsafeRawPointer(hit) - anchor
            if p.load(as: UInt8.self) == first, p.load(fromByteOffset: n - 1, as: UInt8.self) == last,
               memcmp(p, pattern, n) == 0 {
                return p - base
            }
            cursor = UnsafeRawPointer(hit) + 1
        }
        return nil
    }

    /// How common a byte is in log text: lower is rarer.
    @inline(__always)
    static func commonness(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return byte == UInt8(ascii: "I") || byte == UInt8(ascii: "E") ? 2 : 1
        case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["),
             UInt8(ascii: "]"), UInt8(ascii: "'"), UInt8(ascii: "!"), UInt8(ascii: "&"), UInt8(ascii: "#"),
             UInt8(ascii: "@"), UInt8(ascii: "%"), UInt8(ascii: "+"), UInt8(ascii: "*"):
            return 1
        case UInt8(ascii: "q"), UInt8(ascii: "x"), UInt8(ascii: "z"), UInt8(ascii: "j"), UInt8(ascii: "k"),
             UInt8(ascii: "v"), UInt8(ascii: "w"), UInt8(ascii: "y"), UInt8(ascii: "b"), UInt8(ascii: "g"),
             UInt8(ascii: "f"), UInt8(ascii: "h"), UInt8(ascii: "p"):
            return 2
        case UInt8(ascii: "a")...UInt8(ascii: "z"):
            return 3
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return 4
        case 0x80...0xFF:
            return 2
        default:
            return 5  // space, '-', '_', '.', '/', ':', '"', '=', ',' …
        }
    }

    /// The offset where `needle` first occurs, for needles held in arrays.
    public func firstIndex(of needle: [UInt8], from start: Int = 0) -> Int? {
        let n = needle.count
        guard let base = baseAddress, n > 0, start >= 0, count - start >= n else { return nil }
        return needle.withUnsafeBytes { needleBytes -> Int? in
            guard let nb = needleBytes.baseAddress else { return nil }
            var cursor = base + start
            let lastStart = base + (count - n)
            while cursor <= lastStart, let hit = memchr(cursor, Int32(needle[0]), lastStart - cursor + 1) {
                if memcmp(hit, nb, n) == 0 { return UnsafeRawPointer(hit) - base }
                cursor = UnsafeRawPointer(hit) + 1
            }
            return nil
        }
    }

    @inline(__always)
    public func contains(_ needle: StaticString) -> Bool { firstIndex(of: needle) != nil }

    /// True when the bytes at `offset` equal `literal`.
    public func matches(_ literal: StaticString, at offset: Int = 0) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard let base = baseAddress, offset >= 0, count - offset >= n else { return false }
        return memcmp(base + offset, literal.utf8Start, n) == 0
    }

    @inline(__always)
    public func hasPrefix(_ literal: StaticString) -> Bool { matches(literal, at: 0) }

    /// A sub-buffer (clamped to the bounds).
    public func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        let lower = Swift.max(0, Swift.min(range.lowerBound, count))
        let upper = Swift.max(lower, Swift.min(range.upperBound, count))
        guard let base = baseAddress else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base + lower, count: upper - lower)
    }

    /// The bytes from `from` to the end.
    public func suffix(from start: Int) -> UnsafeRawBufferPointer { slice(start..<count) }

    /// Decodes a range as UTF-8, repairing invalid bytes with U+FFFD.
    public func string(_ range: Range<Int>) -> String {
        String(decoding: slice(range), as: UTF8.self)
    }

    /// The whole buffer as a string.
    public var string: String { String(decoding: self, as: UTF8.self) }

    /// Reads an unsigned decimal starting at `offset`; returns the value and the offset after it, or nil
    /// when there is no digit or the number does not fit in an `Int64` (`Signal: 99999999999999999999`
    /// in a hostile bundle must not trap, nor be read as its first 19 digits).
    public func readInt(at offset: Int) -> (value: Int64, end: Int)? {
        var i = offset
        var value: Int64 = 0
        var overflow = false
        while i < count, self[i].isDigit {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int64(self[i] - .zero))
            overflow = overflow || o1 || o2
            value = sum
            i += 1
        }
        return i > offset && !overflow ? (value, i) : nil
    }

    /// Reads an optionally negative decimal at `offset`.
    public func readSignedInt(at offset: Int) -> (value: Int64, end: Int)? {
        if offset < count, self[offset] == .dash {
            guard let (v, end) = readInt(at: offset + 1) else { return nil }
            return (-v, end)
        }
        return readInt(at: offset)
    }

    /// The offset of the first byte at or after `offset` that is not a space or tab.
    public func skipSpaces(from offset: Int) -> Int {
        var i = offset
        while i < count, self[i].isSpaceOrTab { i += 1 }
        return i
    }

    /// The end of the run of non-space bytes starting at `offset`.
    public func endOfToken(from offset: Int) -> Int {
        var i = offset
        while i < count, !self[i].isSpaceOrTab { i += 1 }
        return i
    }

    /// The range without leading and trailing spaces and tabs.
    public func trimmedRange(_ range: Range<Int>? = nil) -> Range<Int> {
        var lower = range?.lowerBound ?? 0
        var upper = range?.upperBound ?? count
        while lower < upper, self[lower].isSpaceOrTab { lower += 1 }
        while upper > lower, self[upper - 1].isSpaceOrTab || self[upper - 1] == .carriageReturn { upper -= 1 }
        return lower..<upper
    }
}

extension Array where Element == UInt8 {
    /// Runs `body` with the array's bytes, for tests and small fixtures.
    public func withLine<R>(number: Int = 1, _ body: (Line) throws -> R) rethrows -> R {
        try withUnsafeBytes { try body(Line(bytes: $0, number: number)) }
    }
}
