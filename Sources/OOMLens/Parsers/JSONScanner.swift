import CSieve

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An incremental JSON tokenizer: blocks of bytes in, structural events and wanted scalars out.
///
/// Blocks may split the input anywhere — inside a string, a number, an escape, a `\uXXXX` or
/// between the two halves of a surrogate pair. The scanner never holds the document: its state is
/// the path of open containers (`JSONPath`, one small component per level), the grammar position
/// (`Expect`), and at most one unfinished token. A token is copied into the one reused `buffer`
/// only when it straddles a block boundary or contains escapes; otherwise the consumer gets a
/// borrowed slice of the caller's block. Scalars the consumer does not want (`wantsScalar(at:)`
/// returns false) are skipped without being copied or unescaped.
///
/// Input as a Kubernetes API server writes it (`samples/event-core-v1-backoff.json`):
///
///     "involvedObject": {
///       "kind": "Pod",
///       "fieldPath": "spec.containers{nginx}"
///     },
///     "count": 10,
///     "eventTime": null,
///
/// ## Worked example
///
/// `{"a":[1,"x\u00e9"]}` fed as the two blocks `{"a":[1,"x\u00` and `e9"]}`:
///
/// | byte(s)      | state before         | action                                                             |
/// |--------------|----------------------|--------------------------------------------------------------------|
/// | `{`          | `.root`              | `beginObject([])`, push object → `.keyOrEnd`                       |
/// | `"a"`        | `.keyOrEnd`          | key bytes `a` (borrowed) → `key(_:in:)` returns id 7, stored → `.colon` |
/// | `:`          | `.colon`             | → `.value`                                                         |
/// | `[`          | `.value`             | `beginArray([a])`, push array (index -1) → `.valueOrEnd`           |
/// | `1`          | `.valueOrEnd`        | index 0; `wantsScalar([a,0])`; number ends at `,` → `scalar(1)` → `.commaOrEnd` |
/// | `,`          | `.commaOrEnd`        | in an array → `.value`                                             |
/// | `"x\u00`     | `.value`             | index 1; `x` copied to `buffer` at the `\`; escape `u` with 2 of 4 digits — block ends, token stays `.string` |
/// | `e9"`        | (resumed) `.string`  | 4th digit → U+00E9 appended as `C3 A9`; `"` → `scalar("xé")` from `buffer` → `.commaOrEnd` |
/// | `]` `}`      | `.commaOrEnd`        | pop, `endArray([a])`; pop, `endObject([])`; depth 0 → `.root`, `documents` = 1 |
///
/// Several top-level values in a row are accepted (NDJSON watch streams, `{"type":"MODIFIED",…}`
/// per line), and a line starting with `#` between top-level values is skipped (fixture headers).
///
/// Bounds: a string longer than `maxStringBytes` is delivered cut (`JSONScalar.truncated`) and
/// counted in `truncatedStrings`/`truncatedBytes`; nesting deeper than `maxDepth` and any syntax
/// error set `failure` (with the line) and the scanner ignores the rest of the input.
public struct JSONScanner {
    /// Why scanning stopped.
    public struct Failure: Sendable, Hashable {
        public var line: Int
        public var message: String
    }

    /// What the grammar allows next, outside tokens.
    private enum Expect: UInt8 {
        case root, value, valueOrEnd, keyOrEnd, key, colon, commaOrEnd
    }

    /// The token being read when a block ended.
    private enum Token: UInt8 {
        case none, string, number, literal, comment
        /// A value the consumer declined at its key, passed over by `skipValue`.
        case skip
    }

    private enum Escape: UInt8 {
        case none, backslash, unicode
    }

    public let maxStringBytes: Int
    public let maxDepth: Int
    /// The current line (1-based).
    public private(set) var line = 1
    public private(set) var failure: Failure?
    public private(set) var truncatedStrings = 0
    public private(set) var truncatedBytes: Int64 = 0
    /// Top-level values completed.
    public private(set) var documents = 0
    /// The most memory the token buffer and the path stack held at once.
    public private(set) var peakBufferBytes = 0

    private var path = JSONPath()
    private var expect = Expect.root
    private var token = Token.none
    private var buffer: [UInt8] = []
    private var tokenLine = 0
    // String state.
    private var stringIsKey = false
    /// The consumer wants the current scalar.
    private var capture = false
    /// The current string's bytes are being kept (a wanted value, or a key).
    private var collecting = false
    private var escape = Escape.none
    private var unicodeDigits = 0
    private var unicodeValue: UInt32 = 0
    /// A high surrogate waiting for its low half (0 when none).
    private var pendingHigh: UInt32 = 0
    private var stringDropped: Int64 = 0
    /// The consumer returned `JSONPath.skipValue` for the key: pass over the next value.
    private var skipNext = false
    /// How many brackets of the value being skipped are open.
    private var skipDepth = 0
    /// Which of the first 64 open brackets are `[` (bit `d` for depth `d`); deeper ones in `skipDeep`.
    private var skipArrays: UInt64 = 0
    /// Whether each open bracket below the first 64 is `[`.
    private var skipDeep: [Bool] = []
    private var skipInString = false
    private var skipEscape = false
    // Literal state.
    private var literalKind = JSONScalar.Kind.null
    private var literalMatched = 0

    private static let maxNumberBytes = 1024
    private static let spaces: UInt64 = 0x2020_2020_2020_2020

    /// The bytes of `w` (read little-endian) that are `"`, `\\` or below 0x20, as their high bits.
    ///
    /// SWAR zero-byte tests: a borrow can only flag a byte *after* a real stop, so the lowest flag
    /// is exact and `trailingZeroBitCount / 8` is the offset of the first stop.
    @inline(__always)
    static func stringStops(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let quote = w ^ (ones &* 0x22)
        let backslash = w ^ (ones &* 0x5C)
        let hasQuote = (quote &- ones) & ~quote
        let hasBackslash = (backslash &- ones) & ~backslash
        let hasControl = (w &- ones &* 0x20) & ~w
        return (hasQuote | hasBackslash | hasControl) & high
    }

    /// True when one of the eight bytes of `w` is `"`, `\\` or below 0x20.
    @inline(__always)
    static func hasStringStop(_ w: UInt64) -> Bool { stringStops(w) != 0 }

    /// The offset (0–7) of the first byte of `w` that is `"`, `\\` or below 0x20; 8 when none is.
    @inline(__always)
    static func firstStringStop(_ w: UInt64) -> Int { stringStops(w).trailingZeroBitCount &>> 3 }

    public init(maxStringBytes: Int = 1 << 20, maxDepth: Int = 256) {
        self.maxStringBytes = Swift.max(1, maxStringBytes)
        self.maxDepth = Swift.max(1, maxDepth)
    }

    /// True when the input so far ended cleanly between top-level values.
    public var isAtTopLevel: Bool { path.depth == 0 && token != .string && token != .literal }

    /// Reads one block, reporting events to `consumer`.
    public mutating func feed<C: JSONEventConsumer>(_ block: UnsafeRawBufferPointer, to consumer: inout C) {
        guard failure == nil, let raw = block.baseAddress, block.count > 0 else { return }
        let p = raw.assumingMemoryBound(to: UInt8.self)
        let n = block.count
        var i = 0
        switch token {
        case .none: break
        case .string: i = scanString(p, n, from: 0, contentStart: nil, &consumer)
        case .number: i = scanNumber(p, n, from: 0, start: nil, &consumer)
        case .literal: i = scanLiteral(p, n, from: 0, &consumer)
        case .comment: i = skipComment(p, n, from: 0)
        case .skip: i = skipValue(p, n, from: 0)
        }
        while i < n {
            let c = p[i]
            // Offsets below `n` (a block's size) step by one without overflow checks (`&+`).
            if c <= 0x20 {
                if c == 0x20 || c == 0x09 || c == 0x0D {
                    i &+= 1
                    continue
                }
                if c == 0x0A {
                    line += 1
                    i &+= 1
                    // Indentation, eight spaces at a time.
                    while i + 8 <= n, UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) == Self.spaces {
                        i += 8
                    }
                    continue
                }
            }
            // ':' and ',' between members, the most frequent structural bytes, without the call;
            // `dispatch` handles them where they are errors.
            if c == .colon, expect == .colon {
                expect = .value
                i &+= 1
                continue
            }
            if c == .comma, expect == .commaOrEnd, path.depth > 0 {
                expect = path[path.depth &- 1].isArray ? .value : .key
                i &+= 1
                continue
            }
            if c == .quote {
                i = string(p, n, at: i, &consumer)
            } else {
                i = dispatch(c, p, n, at: i, &consumer)
            }
            if failure != nil { break }
        }
        notePeak()
    }

    /// Ends the input: completes a number at the very end, and reports truncation as a failure.
    public mutating func finish<C: JSONEventConsumer>(to consumer: inout C) {
        defer {
            notePeak()
            buffer = []
        }
        guard failure == nil else { return }
        switch token {
        case .none:
            break
        case .comment:
            token = .none
        case .number:
            buffer.withUnsafeBytes { completeNumber($0, &consumer) }
        case .string:
            fail("unexpected end of input inside a string that began on line \(tokenLine)")
            return
        case .literal:
            fail("unexpected end of input inside a literal")
            return
        case .skip:
            fail("unexpected end of input with \(path.depth + skipDepth) object(s)/array(s) still open")
            return
        }
        if failure == nil, path.depth > 0 {
            fail("unexpected end of input with \(path.depth) object(s)/array(s) still open")
        }
    }

    // MARK: - Structure

    @inline(__always)
    private var expectsValue: Bool { expect == .root || expect == .value || expect == .valueOrEnd }

    private mutating func dispatch<C: JSONEventConsumer>(
        _ c: UInt8, _ p: UnsafePointer<UInt8>, _ n: Int, at i: Int, _ consumer: inout C
    ) -> Int {
        switch c {
        case .quote:
            return string(p, n, at: i, &consumer)
        case .openBrace, .openBracket:
            guard expectsValue else { return unexpected(c) }
            beginValue()
            guard path.depth < maxDepth else {
                fail("nesting deeper than \(maxDepth) levels")
                return n
            }
            if skipNext {
                skipNext = false
                token = .skip
                skipDepth = 0
                skipArrays = 0
                // Nearly always empty: `removeAll(keepingCapacity:)` on an empty array still made a new
                // empty buffer and released the old one, once per declined value.
                if !skipDeep.isEmpty { skipDeep.removeAll(keepingCapacity: true) }
                skipInString = false
                skipEscape = false
                return skipValue(p, n, from: i)
            }
            if c == .openBrace {
                consumer.beginObject(at: path, line: line)
                path.push(isArray: false)
                expect = .keyOrEnd
            } else {
                consumer.beginArray(at: path, line: line)
                path.push(isArray: true)
                expect = .valueOrEnd
            }
            return i + 1
        case .closeBrace:
            guard expect == .keyOrEnd || expect == .commaOrEnd, path.depth > 0, !path[path.depth - 1].isArray
            else { return unexpected(c) }
            path.pop()
            consumer.endObject(at: path, line: line)
            valueDone()
            return i + 1
        case .closeBracket:
            guard expect == .valueOrEnd || expect == .commaOrEnd, path.depth > 0, path[path.depth - 1].isArray
            else { return unexpected(c) }
            path.pop()
            consumer.endArray(at: path, line: line)
            valueDone()
            return i + 1
        case .comma:
            guard expect == .commaOrEnd, path.depth > 0 else { return unexpected(c) }
            expect = path[path.depth - 1].isArray ? .value : .key
            return i + 1
        case .colon:
            guard expect == .colon else { return unexpected(c) }
            expect = .value
            return i + 1
        case .dash, .zero...UInt8.nine:
            guard expectsValue else { return unexpected(c) }
            beginValue()
            capture = wants(&consumer)
            token = .number
            tokenLine = line
            return scanNumber(p, n, from: i, start: i, &consumer)
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            guard expectsValue else { return unexpected(c) }
            beginValue()
            capture = wants(&consumer)
            token = .literal
            tokenLine = line
            literalKind = c == UInt8(ascii: "t") ? .true : c == UInt8(ascii: "f") ? .false : .null
            literalMatched = 0
            return scanLiteral(p, n, from: i, &consumer)
        case UInt8(ascii: "#") where expect == .root:
            token = .comment
            return skipComment(p, n, from: i)
        default:
            if expect == .root, documents == 0, c == 0xEF || c == 0xBB || c == 0xBF {
                // A UTF-8 byte order mark before the first value.
                return i + 1
            }
            return unexpected(c)
        }
    }

    /// A string starting at `i` (its opening quote): a key, or a value.
    ///
    /// Called by `feed` itself: a 2,000-pod PodList has 262,000 keys and 91,000 string values against
    /// 195,000 other tokens, and going through `dispatch` cost each of them a call. A key or value found whole in this
    /// block with no escape (nearly all of them) is handed over as a borrowed slice at once: a key is
    /// named and the ':' right after it taken too; a wanted value goes straight to `scalar`, an
    /// unwanted one is passed over. Anything else is read by `scanString`, which keeps state across
    /// blocks.
    @inline(__always)
    private mutating func string<C: JSONEventConsumer>(
        _ p: UnsafePointer<UInt8>, _ n: Int, at i: Int, _ consumer: inout C
    ) -> Int {
        // `i < stop <= n`: the offsets below neither overflow nor go negative, so they wrap (`&+`)
        // instead of checking, on each of the ~180 strings of a pod.
        let start = i &+ 1
        let stop = oomlens_json_string_stop(p, n, start)
        let length = stop &- start
        let whole = stop < n && p[stop] == .quote && length <= maxStringBytes
        if expect == .keyOrEnd || expect == .key {
            if whole {
                let id = consumer.key(UnsafeRawBufferPointer(start: p + start, count: length), in: path)
                path.setKey(id)
                skipNext = id == JSONPath.skipValue
                let after = stop &+ 1
                if after < n, p[after] == .colon {
                    expect = .value
                    return after &+ 1
                }
                expect = .colon
                return after
            }
            stringIsKey = true
            collecting = true
        } else if expectsValue {
            beginValue()
            if skipNext {
                // A string declined at its key: passed over.
                skipNext = false
                capture = false
            } else {
                capture = consumer.wantsScalar(at: path)
            }
            if whole {
                // Nothing was buffered and nothing is cut: no token state to keep or reset.
                if capture {
                    consumer.scalar(JSONScalar(kind: .string, bytes: UnsafeRawBufferPointer(start: p + start, count: length)),
                                    at: path, line: line)
                }
                valueDone()
                return stop &+ 1
            }
            stringIsKey = false
            collecting = capture
        } else {
            return unexpected(.quote)
        }
        token = .string
        tokenLine = line
        if stop < n, p[stop] == .quote {
            // Whole but longer than `maxStringBytes`: delivered cut.
            completeString(UnsafeRawBufferPointer(start: p + start, count: length), &consumer)
            return stop &+ 1
        }
        // (At the end of the block, from the start: `scanString` keeps what it ran over.)
        return scanString(p, n, from: stop < n ? stop : start, contentStart: start, &consumer)
    }

    /// Whether the scalar starting now is wanted: never after a declined key, else the consumer says.
    @inline(__always)
    private mutating func wants<C: JSONEventConsumer>(_ consumer: inout C) -> Bool {
        if skipNext {
            skipNext = false
            return false
        }
        return consumer.wantsScalar(at: path)
    }

    /// Advances the enclosing array's index before a value starts.
    @inline(__always)
    private mutating func beginValue() {
        let d = path.depth
        if d > 0, path[d - 1].isArray { path.advanceIndex() }
    }

    @inline(__always)
    private mutating func valueDone() {
        if path.depth == 0 {
            expect = .root
            documents += 1
        } else {
            expect = .commaOrEnd
        }
    }

    private mutating func unexpected(_ c: UInt8) -> Int {
        let shown = c >= 0x21 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x\(String(c, radix: 16))"
        let wanted: String
        switch expect {
        case .root: wanted = "a value"
        case .value: wanted = "a value"
        case .valueOrEnd: wanted = "a value or ']'"
        case .keyOrEnd: wanted = "a key or '}'"
        case .key: wanted = "a key"
        case .colon: wanted = "':'"
        case .commaOrEnd: wanted = path.depth > 0 && path[path.depth - 1].isArray ? "',' or ']'" : "',' or '}'"
        }
        fail("unexpected \(shown) where \(wanted) was expected")
        return Int.max
    }

    private mutating func fail(_ message: String) {
        if failure == nil { failure = Failure(line: line, message: message) }
    }

    private mutating func notePeak() {
        peakBufferBytes = Swift.max(peakBufferBytes, buffer.capacity + path.storageBytes)
    }

    // MARK: - Strings

    /// Reads string content from `from`; `contentStart` is where the content began when that was in
    /// this block and nothing has been buffered yet (the zero-copy case).
    private mutating func scanString<C: JSONEventConsumer>(
        _ p: UnsafePointer<UInt8>, _ n: Int, from: Int, contentStart: Int?, _ consumer: inout C
    ) -> Int {
        var i = from
        var direct = contentStart
        while i < n {
            if escape != .none {
                guard escapeByte(p[i]) else { return n }
                i += 1
                continue
            }
            if pendingHigh != 0, p[i] != .backslash {
                appendScalar(0xFFFD)
                pendingHigh = 0
            }
            let runStart = i
            // Sixteen bytes at a time to the first '"', '\\' or control byte.
            i = oomlens_json_string_stop(p, n, i)
            if i == n {
                // The block ended inside the string: keep what is wanted for the next block.
                if let d = direct { append(p + d, n - d) } else { append(p + runStart, n - runStart) }
                return n
            }
            let c = p[i]
            if c == .quote {
                if let d = direct {
                    completeString(UnsafeRawBufferPointer(start: p + d, count: i - d), &consumer)
                } else {
                    append(p + runStart, i - runStart)
                    buffer.withUnsafeBytes { completeString($0, &consumer) }
                }
                return i + 1
            }
            if c == .backslash {
                if let d = direct {
                    append(p + d, i - d)
                    direct = nil
                } else {
                    append(p + runStart, i - runStart)
                }
                escape = .backslash
                i += 1
                continue
            }
            fail("control character 0x\(String(c, radix: 16)) inside a string")
            return n
        }
        // The block ended right after an escape byte (or at the opening quote): nothing is pending.
        return n
    }

    private mutating func completeString<C: JSONEventConsumer>(_ raw: UnsafeRawBufferPointer, _ consumer: inout C) {
        var bytes = raw
        var dropped = stringDropped
        if bytes.count > maxStringBytes {
            dropped += Int64(bytes.count - maxStringBytes)
            bytes = bytes.slice(0..<maxStringBytes)
        }
        let truncated = dropped > 0
        if truncated, collecting {
            truncatedStrings += 1
            truncatedBytes += dropped
        }
        token = .none
        escape = .none
        pendingHigh = 0
        stringDropped = 0
        if stringIsKey {
            let id = consumer.key(bytes, in: path)
            path.setKey(id)
            skipNext = id == JSONPath.skipValue
            expect = .colon
        } else {
            if capture { consumer.scalar(JSONScalar(kind: .string, bytes: bytes, truncated: truncated), at: path, line: tokenLine) }
            valueDone()
        }
        resetBuffer()
    }

    @inline(__always)
    private mutating func resetBuffer() {
        if buffer.isEmpty { return }
        if buffer.capacity > 64 * 1024 {
            notePeak()
            buffer = []
        } else {
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// Handles one byte after a backslash or inside `\uXXXX`; false on a malformed escape.
    private mutating func escapeByte(_ c: UInt8) -> Bool {
        if escape == .backslash {
            if c == UInt8(ascii: "u") {
                escape = .unicode
                unicodeDigits = 0
                unicodeValue = 0
                return true
            }
            if pendingHigh != 0 {
                appendScalar(0xFFFD)
                pendingHigh = 0
            }
            let mapped: UInt8
            switch c {
            case .quote, .backslash, .slash: mapped = c
            case UInt8(ascii: "b"): mapped = 0x08
            case UInt8(ascii: "f"): mapped = 0x0C
            case UInt8(ascii: "n"): mapped = 0x0A
            case UInt8(ascii: "r"): mapped = 0x0D
            case UInt8(ascii: "t"): mapped = 0x09
            default:
                fail("invalid escape '\\\(c >= 0x21 && c < 0x7F ? String(Character(Unicode.Scalar(c))) : "?")' in a string")
                return false
            }
            var byte = mapped
            append(&byte, 1)
            escape = .none
            return true
        }
        guard let digit = c.hexValue else {
            fail("invalid \\u escape in a string")
            return false
        }
        unicodeValue = unicodeValue << 4 | UInt32(digit)
        unicodeDigits += 1
        guard unicodeDigits == 4 else { return true }
        escape = .none
        let v = unicodeValue
        switch v {
        case 0xD800...0xDBFF:
            if pendingHigh != 0 { appendScalar(0xFFFD) }
            pendingHigh = v
        case 0xDC00...0xDFFF:
            if pendingHigh != 0 {
                appendScalar(0x10000 + ((pendingHigh - 0xD800) << 10) + (v - 0xDC00))
                pendingHigh = 0
            } else {
                appendScalar(0xFFFD)
            }
        default:
            if pendingHigh != 0 {
                appendScalar(0xFFFD)
                pendingHigh = 0
            }
            appendScalar(v)
        }
        return true
    }

    /// Appends one Unicode scalar as UTF-8 (U+FFFD for a value that is not one: a lone surrogate).
    private mutating func appendScalar(_ v: UInt32) {
        UTF8.encode(Unicode.Scalar(v) ?? "\u{FFFD}") { unit in
            var byte = unit
            append(&byte, 1)
        }
    }

    /// Appends string content to the buffer, up to `maxStringBytes`; the rest is counted as dropped.
    @inline(__always)
    private mutating func append(_ start: UnsafePointer<UInt8>, _ count: Int) {
        guard collecting, count > 0 else { return }
        let room = maxStringBytes - buffer.count
        if count <= room {
            buffer.append(contentsOf: UnsafeBufferPointer(start: start, count: count))
        } else {
            if room > 0 { buffer.append(contentsOf: UnsafeBufferPointer(start: start, count: room)) }
            stringDropped += Int64(count - Swift.max(room, 0))
        }
    }

    // MARK: - Numbers, literals, comments

    private mutating func scanNumber<C: JSONEventConsumer>(
        _ p: UnsafePointer<UInt8>, _ n: Int, from: Int, start: Int?, _ consumer: inout C
    ) -> Int {
        var i = from
        while i < n {
            let c = p[i]
            if c.isDigit || c == .dash || c == .plus || c == .dot || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                i += 1
            } else {
                break
            }
        }
        let begin = start ?? from
        if i == n {
            guard buffer.count + (n - begin) <= Self.maxNumberBytes else {
                fail("number longer than \(Self.maxNumberBytes) bytes")
                return n
            }
            buffer.append(contentsOf: UnsafeBufferPointer(start: p + begin, count: n - begin))
            return n
        }
        if start != nil {
            completeNumber(UnsafeRawBufferPointer(start: p + begin, count: i - begin), &consumer)
        } else {
            buffer.append(contentsOf: UnsafeBufferPointer(start: p + begin, count: i - begin))
            buffer.withUnsafeBytes { completeNumber($0, &consumer) }
        }
        return failure == nil ? i : n
    }

    private mutating func completeNumber<C: JSONEventConsumer>(_ bytes: UnsafeRawBufferPointer, _ consumer: inout C) {
        token = .none
        guard Self.isValidNumber(bytes) else {
            fail("invalid number '\(bytes.slice(0..<Swift.min(bytes.count, 40)).string)'")
            return
        }
        if capture { consumer.scalar(JSONScalar(kind: .number, bytes: bytes), at: path, line: tokenLine) }
        valueDone()
        resetBuffer()
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    static func isValidNumber(_ b: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = b.count
        if i < n, b[i] == .dash { i += 1 }
        guard i < n, b[i].isDigit else { return false }
        if b[i] == .zero {
            i += 1
        } else {
            while i < n, b[i].isDigit { i += 1 }
        }
        if i < n, b[i] == .dot {
            i += 1
            guard i < n, b[i].isDigit else { return false }
            while i < n, b[i].isDigit { i += 1 }
        }
        if i < n, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < n, b[i] == .plus || b[i] == .dash { i += 1 }
            guard i < n, b[i].isDigit else { return false }
            while i < n, b[i].isDigit { i += 1 }
        }
        return i == n
    }

    private mutating func scanLiteral<C: JSONEventConsumer>(
        _ p: UnsafePointer<UInt8>, _ n: Int, from: Int, _ consumer: inout C
    ) -> Int {
        let word: StaticString = literalKind == .true ? "true" : literalKind == .false ? "false" : "null"
        let length = word.utf8CodeUnitCount
        var i = from
        if literalMatched == 0, from + length <= n {
            // The whole word in this block (nearly always): one four-byte compare (and the 'e' of
            // `false`) instead of a loop. A mismatch is left to the loop, which names it.
            let start = UnsafeRawPointer(word.utf8Start)
            if UnsafeRawPointer(p + from).loadUnaligned(as: UInt32.self) == start.loadUnaligned(as: UInt32.self),
               length == 4 || p[from + 4] == word.utf8Start[4]
            {
                literalMatched = length
                i = from + length
            }
        }
        while i < n, literalMatched < length {
            guard p[i] == word.utf8Start[literalMatched] else {
                fail("invalid literal (expected '\(word)')")
                return n
            }
            literalMatched += 1
            i += 1
        }
        if literalMatched == length {
            token = .none
            if capture {
                consumer.scalar(JSONScalar(kind: literalKind, bytes: UnsafeRawBufferPointer(start: nil, count: 0)),
                                at: path, line: tokenLine)
            }
            valueDone()
        }
        return i
    }

    /// Passes over an object or array the consumer declined, from its opening bracket (at `from` when
    /// it starts in this block): no events, no path, no copies — only bracket balance, string ends
    /// (escapes included) and newlines are tracked.
    ///
    /// Half the bytes of a typical pod go through here (`managedFields`, `env`, `volumes` …), so the
    /// state lives in locals, the bracket stack is a bit set (`skipArrays`, the rare deeper levels in
    /// `skipDeep`), string content is passed eight bytes at a time straight to its first stop byte,
    /// indentation eight spaces at a time, and an empty `{}` or `[]` inside the value without touching
    /// the stack.
    private mutating func skipValue(_ p: UnsafePointer<UInt8>, _ n: Int, from: Int) -> Int {
        var i = from
        if skipDeep.isEmpty {
            // 64 bytes a step (`CSieve`'s `oomlens_json_skip`) while at most 64 brackets are open and
            // none nests too deep; the byte loop below takes over at a bracket it stops at.
            var state = oomlens_json_skip_state(
                arrays: skipArrays, depth: UInt32(skipDepth), limit: UInt32(Swift.min(64, maxDepth - path.depth)),
                in_string: skipInString ? 1 : 0, escaped: skipEscape ? 1 : 0, newlines: 0)
            let status = oomlens_json_skip(&state, p, n, &i)
            line += state.newlines
            skipArrays = state.arrays
            skipDepth = Int(state.depth)
            skipInString = state.in_string != 0
            skipEscape = state.escaped != 0
            switch status {
            case OOMLENS_JSON_SKIP_DONE:
                token = .none
                valueDone()
                return i
            case OOMLENS_JSON_SKIP_MORE:
                return n
            default:
                break
            }
        }
        // State in locals for the loop; written back on every exit.
        var inString = skipInString
        var escaped = skipEscape
        var depth = skipDepth
        var arrays = skipArrays
        var lines = 0
        defer {
            skipInString = inString
            skipEscape = escaped
            skipDepth = depth
            skipArrays = arrays
            line += lines
        }
        let room = maxDepth - path.depth
        outer: while i < n {
            if inString {
                if escaped {
                    escaped = false
                    i += 1
                    continue
                }
                while true {
                    guard i < n else { break outer }
                    if i &+ 8 <= n {
                        let stop = Self.firstStringStop(UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
                        i &+= stop
                        if stop == 8 { continue }
                    }
                    let c = p[i]
                    i &+= 1
                    if c == .quote { break }
                    if c == .backslash {
                        escaped = true
                        continue outer
                    }
                    if c == .newline { lines &+= 1 }
                }
                inString = false
            }
            // Between strings: only '"', the four brackets and newlines matter (`c | 0x20` folds
            // '[' ']' onto '{' '}').
            while i < n {
                let c = p[i]
                i &+= 1
                if c > .quote, c | 0x20 != .openBrace, c | 0x20 != .closeBrace { continue }
                switch c {
                case .quote:
                    inString = true
                    continue outer
                case .newline:
                    lines &+= 1
                    while i &+ 8 <= n, UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) == Self.spaces {
                        i &+= 8
                    }
                case .openBrace, .openBracket:
                    guard depth < room else {
                        line += lines  // the failure names the line it is on
                        lines = 0
                        fail("nesting deeper than \(maxDepth) levels")
                        return n
                    }
                    // `{}` and `[]` inside the value (every `"f:…":{}` of managedFields) leave the
                    // stack as it was.
                    if depth > 0, i < n, p[i] == c &+ 2 {
                        i &+= 1
                        continue
                    }
                    let isArray = c == .openBracket
                    if depth < 64 {
                        let bit: UInt64 = 1 << UInt64(depth)
                        arrays = isArray ? arrays | bit : arrays & ~bit
                    } else {
                        skipDeep.append(isArray)
                    }
                    depth &+= 1
                case .closeBrace, .closeBracket:
                    let wasArray: Bool?
                    if depth == 0 {
                        wasArray = nil
                    } else if depth <= 64 {
                        wasArray = arrays >> UInt64(depth &- 1) & 1 != 0
                    } else {
                        wasArray = skipDeep.popLast()
                    }
                    guard let wasArray, wasArray == (c == .closeBracket) else {
                        line += lines  // the failure names the line it is on
                        lines = 0
                        fail("unexpected '\(Character(Unicode.Scalar(c)))' (brackets do not match)")
                        return n
                    }
                    depth &-= 1
                    if depth == 0 {
                        token = .none
                        valueDone()
                        return i
                    }
                default:
                    break
                }
            }
        }
        return n
    }

    /// Skips a top-level `#` line up to (not including) its newline.
    private mutating func skipComment(_ p: UnsafePointer<UInt8>, _ n: Int, from: Int) -> Int {
        guard let hit = memchr(p + from, 0x0A, n - from) else { return n }
        token = .none
        return UnsafeRawPointer(hit) - UnsafeRawPointer(p)
    }
}
