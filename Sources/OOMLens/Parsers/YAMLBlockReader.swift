#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the plain block-style YAML that Kubernetes' writers produce straight from its bytes, as
/// tokens `YAMLEventSource` replays; nil for anything outside that subset, which is then left to Yams.
///
/// Input as must-gather writes a pod in `namespaces/<ns>/core/pods.yaml` (one List item, cut out by
/// `YAMLChunker`, its `managedFields` left empty):
///
///     - apiVersion: v1
///       kind: Pod
///       metadata:
///         managedFields:
///         name: web-5d9
///         ownerReferences:
///         - apiVersion: apps/v1
///           controller: true
///       spec:
///         containers:
///         - args:
///           - --listen=:8080
///           resources: {}
///       status:
///         containerStatuses:
///         - lastState:
///             terminated:
///               exitCode: 137
///               finishedAt: "2024-03-14T10:02:11Z"
///               reason: OOMKilled
///
/// **The subset**: block mappings and block sequences (a key's sequence at the key's own column or
/// deeper, an entry's mapping on the `- ` line or under a lone `-`); keys plain or quoted on one line;
/// values plain, single- or double-quoted, on their line or wrapped onto deeper lines as Go's YAML
/// writer wraps long ones (`''` in single quotes and escapes in double ones included), literal blocks
/// (`|`, `|-`) as it writes text with newlines, `{}` and `[]`, and empty values (null); comment lines,
/// trailing comments, one `---` before the content; printable text, ASCII or UTF-8. **Anything else**
/// returns nil before a single event is replayed: folded blocks (`>`), `|+` and indentation digits, an
/// escape YAML does not have, a blank line inside a wrapped value, anchors, aliases, tags, other flow
/// collections, complex keys, directives, a second document, a repeated key in one mapping, tabs and
/// other control characters, line separators, malformed UTF-8, and whatever YAML would reject. Yams
/// then composes the piece as it always did, with its own error messages. What the subset accepts
/// reads as Yams reads it (`YAMLBlockReaderTests` replays both and compares every event and line).
///
/// Tokens are flat, in document order: a mapping is `mapStart`, then `key` and its value per entry,
/// then `mapEnd`; a sequence `seqStart`, its values, `seqEnd`. Nothing is copied: keys and scalars are
/// ranges of the piece's bytes, and a wrapped or block value's text is worked out only when the
/// builder wants it.
struct YAMLBlockReader {
    struct Token {
        enum Kind: UInt8 {
            case mapStart, mapEnd, seqStart, seqEnd, key
            /// A plain scalar: null, a boolean, a number or a string, as its text reads.
            case plain
            /// A quoted scalar: always a string.
            case quoted
            /// No value at all (`lastProbeTime:`, a lone `-`): null.
            case empty
        }

        var kind: Kind
        /// How a scalar's text comes from its bytes (`text(of:_:quote:into:)`). (Next to `kind`,
        /// so that a token takes 16 bytes.)
        var text = Text.asIs
        /// The line (1-based in the piece): a key's or a scalar's own; for a mapping or sequence the
        /// line of the key whose value it is, otherwise of its first key or entry (where Yams marks it).
        var line: Int32
        /// Where a key's or a scalar's text starts.
        var start: Int32
        /// A key's or a scalar's length; for `mapStart` and `seqStart` the index of the matching end.
        var count: Int32
    }

    /// How a scalar's text comes from its bytes.
    enum Text: UInt8 {
        /// The bytes are the text.
        case asIs
        /// Wrapped over several lines (each break reads as one space), single-quoted with `''`, or
        /// double-quoted with escapes.
        case folded
        /// A literal block (`|`): its lines less their common indentation, each ending with a newline.
        case literal
        /// A literal block whose last newline is stripped (`|-`).
        case literalStripped
    }

    /// The piece's tokens; empty when it holds no content (comments only).
    private(set) var tokens: [Token]

    /// The tokens of `text` (one piece: a document, or a List item), or nil when it uses anything
    /// outside the subset this reader accepts.
    static func read(_ text: UnsafeRawBufferPointer) -> YAMLBlockReader? {
        guard let base = text.baseAddress, !text.isEmpty else { return YAMLBlockReader(tokens: []) }
        guard text.count < Int(Int32.max), isPrintableASCII(text) || isPrintableUTF8(text) else { return nil }
        var reading = Reading(p: base.assumingMemoryBound(to: UInt8.self), n: text.count)
        guard reading.run() else { return nil }
        return YAMLBlockReader(tokens: reading.tokens)
    }

    /// True when every byte is printable ASCII or a newline (no tab, carriage return, other control
    /// byte, or byte of a UTF-8 sequence).
    static func isPrintableASCII(_ text: UnsafeRawBufferPointer) -> Bool {
        // One pass without a branch per byte: a byte is bad when it is outside 0x20–0x7E and not '\n'.
        var bad: UInt8 = 0
        for b in text {
            let outside: UInt8 = b &- 0x20 > 0x5E ? 1 : 0
            let newline: UInt8 = b == .newline ? 1 : 0
            bad |= outside & ~newline
        }
        return bad == 0
    }

    /// True when the text is well-formed UTF-8 of newlines and printable characters other than those
    /// YAML reads as more than text: no tab, carriage return or other control character (C1 and NEL
    /// included), no line or paragraph separator (libyaml breaks lines at U+0085, U+2028 and U+2029),
    /// no byte order mark, U+FFFE or U+FFFF. `read` asks this only of text that is not all printable
    /// ASCII; the rest (a malformed sequence too) is left to Yams, which is given it with malformed
    /// bytes replaced.
    static func isPrintableUTF8(_ text: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = text.count
        while i < n {
            let b = text[i]
            if b < 0x80 {
                guard b == .newline || (b >= 0x20 && b != 0x7F) else { return false }
                i += 1
                continue
            }
            var scalar: UInt32
            let length: Int
            switch b {
            case 0xC2...0xDF:
                scalar = UInt32(b & 0x1F)
                length = 2
            case 0xE0...0xEF:
                scalar = UInt32(b & 0x0F)
                length = 3
            case 0xF0...0xF4:
                scalar = UInt32(b & 0x07)
                length = 4
            default:
                return false  // a continuation byte first, an overlong lead, or past U+10FFFF
            }
            guard i + length <= n else { return false }
            for k in 1..<length {
                let c = text[i + k]
                guard c & 0xC0 == 0x80 else { return false }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            let overlong = (length == 3 && scalar < 0x800) || (length == 4 && scalar < 0x10000)
            switch scalar {
            case ..<0xA0, 0xD800...0xDFFF, 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF, 0x110000...: return false
            default: if overlong { return false }
            }
            i += length
        }
        return true
    }

    /// The value of a plain scalar (YAML 1.2 core schema, as `kubectl` writes it): null, a boolean, a
    /// number when it reads as a JSON number, otherwise a string.
    static func kind(plain text: UnsafeRawBufferPointer) -> JSONScalar.Kind {
        switch text.count {
        case 0: return .null
        case 1 where text[0] == UInt8(ascii: "~"): return .null
        case 4:
            if text.matches("null") || text.matches("Null") || text.matches("NULL") { return .null }
            if text.matches("true") || text.matches("True") || text.matches("TRUE") { return .true }
        case 5:
            if text.matches("false") || text.matches("False") || text.matches("FALSE") { return .false }
        default: break
        }
        return JSONScanner.isValidNumber(text) ? .number : .string
    }

    /// The text of a scalar whose bytes `text` are not its text as they stand (`form` is not `asIs`).
    ///
    /// Folded: each line break, with the spaces around it, reads as one space (the reader refuses
    /// blank lines inside such a value, which would read as newlines); in single quotes (`quote`),
    /// `''` reads as `'`; in double quotes, escapes read as what they stand for (`\t`, `\u00e9`…),
    /// and an escaped line break joins its lines with nothing. Literal: each line less the first
    /// line's indentation (an empty line stays empty), joined with newlines, and one more unless
    /// stripped.
    static func text(of form: Text, _ text: UnsafeRawBufferPointer, quote: UInt8?, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        if form == .literal || form == .literalStripped {
            var indent = 0
            while indent < text.count, text[indent] == .space { indent += 1 }
            var start = 0
            while start <= text.count {
                var end = start
                while end < text.count, text[end] != .newline { end += 1 }
                if start > 0 { out.append(.newline) }
                if end > start { out.append(contentsOf: text.slice((start + indent)..<end)) }
                start = end + 1
            }
            if form == .literal { out.append(.newline) }
            return
        }
        // Spaces an escape wrote are text: a line break trims only the spaces after them.
        var escaped = 0
        var i = 0
        while i < text.count {
            let b = text[i]
            if b == .newline {
                while out.count > escaped, out.last == .space { out.removeLast() }
                i += 1
                while i < text.count, text[i] == .space { i += 1 }
                out.append(.space)
                continue
            }
            if b == .backslash, quote == .quote, i + 1 < text.count {
                if text[i + 1] == .newline {
                    // An escaped line break: the lines join with nothing between them.
                    i += 2
                    while i < text.count, text[i] == .space { i += 1 }
                    continue
                }
                if let (scalar, length) = escape(text, at: i) {
                    UTF8.encode(scalar) { out.append($0) }
                    escaped = out.count
                    i += length
                    continue
                }
            }
            out.append(b)
            i += quote == UInt8(ascii: "'") && b == quote && i + 1 < text.count && text[i + 1] == b ? 2 : 1
        }
    }

    /// The character a double-quoted escape at `i` (its backslash) stands for, and the escape's length;
    /// nil for an escape YAML does not have, or a code that is not a Unicode scalar (YAML rejects both).
    static func escape(_ text: UnsafeRawBufferPointer, at i: Int) -> (scalar: Unicode.Scalar, length: Int)? {
        guard i + 1 < text.count else { return nil }
        let digits: Int
        switch text[i + 1] {
        case UInt8(ascii: "0"): return (Unicode.Scalar(UInt8(0x00)), 2)
        case UInt8(ascii: "a"): return (Unicode.Scalar(UInt8(0x07)), 2)
        case UInt8(ascii: "b"): return (Unicode.Scalar(UInt8(0x08)), 2)
        case UInt8(ascii: "t"): return (Unicode.Scalar(UInt8(0x09)), 2)
        case UInt8(ascii: "n"): return (Unicode.Scalar(UInt8(0x0A)), 2)
        case UInt8(ascii: "v"): return (Unicode.Scalar(UInt8(0x0B)), 2)
        case UInt8(ascii: "f"): return (Unicode.Scalar(UInt8(0x0C)), 2)
        case UInt8(ascii: "r"): return (Unicode.Scalar(UInt8(0x0D)), 2)
        case UInt8(ascii: "e"): return (Unicode.Scalar(UInt8(0x1B)), 2)
        case .space: return (Unicode.Scalar(UInt8(0x20)), 2)
        case .quote: return (Unicode.Scalar(UInt8(0x22)), 2)
        case .slash: return (Unicode.Scalar(UInt8(0x2F)), 2)
        case .backslash: return (Unicode.Scalar(UInt8(0x5C)), 2)
        case UInt8(ascii: "N"): return (Unicode.Scalar(UInt8(0x85)), 2)
        case UInt8(ascii: "_"): return (Unicode.Scalar(UInt8(0xA0)), 2)
        case UInt8(ascii: "L"): return ("\u{2028}", 2)
        case UInt8(ascii: "P"): return ("\u{2029}", 2)
        case UInt8(ascii: "x"): digits = 2
        case UInt8(ascii: "u"): digits = 4
        case UInt8(ascii: "U"): digits = 8
        default: return nil
        }
        guard i + 2 + digits <= text.count else { return nil }
        var code: UInt32 = 0
        for k in 0..<digits {
            guard let digit = text[i + 2 + k].hexValue else { return nil }
            code = code << 4 | UInt32(digit)
        }
        // Half a surrogate pair, or past U+10FFFF, is no character.
        guard let scalar = Unicode.Scalar(code) else { return nil }
        return (scalar, 2 + digits)
    }

    // MARK: - Reading

    /// One pass over a piece, line by line, keeping the open mappings and sequences by indentation.
    private struct Reading {
        /// An open mapping or sequence.
        struct Open {
            var isSequence: Bool
            /// The column of its keys, or of its entries' dashes.
            var indent: Int
            /// Its start token.
            var token: Int
            /// Its first key in `keys` (mappings).
            var firstKey: Int
        }

        let p: UnsafePointer<UInt8>
        let n: Int
        var tokens: [Token] = []
        var open: [Open] = []
        /// The keys of the open mappings, innermost last, as (start, count): to find a repeated key.
        var keys: [(Int, Int)] = []
        /// A key ended its line without a value (at the mapping's column `indent`): the next line says
        /// whether a mapping, a sequence or nothing (null) follows.
        var pendingKey: (indent: Int, line: Int)?
        /// A lone `-` (at column `indent`): its value is on the lines below, or null.
        var pendingEntry: (indent: Int, line: Int)?
        /// The column of the mapping key or sequence dash whose value was read last: a deeper line
        /// still after it (past a blank or comment line, or after `{}`) would continue that value or
        /// be an error, either of which this reader leaves to Yams.
        var valueOwner: Int?
        var sawMarker = false
        /// The offset of the current line's first byte (columns count from it).
        var lineStart = 0
        /// A value wrapped onto the lines below its first, read with it: where the last of them ends,
        /// and how many there were.
        var resume: (end: Int, lines: Int)?

        /// Deeper than this, the piece is left to Yams (libyaml refuses 1,000 levels).
        static let maxOpen = 512
        /// A mapping with more keys is left to Yams: each key is compared with the mapping's others
        /// to find a repeated one, and Yams's dictionary does that in linear time.
        static let maxKeys = 128

        init(p: UnsafePointer<UInt8>, n: Int) {
            self.p = p
            self.n = n
            tokens.reserveCapacity(256)
        }

        mutating func run() -> Bool {
            var start = 0
            var line = 0
            while start < n {
                let end = lineEnd(from: start)
                line += 1
                guard self.line(start, end, line) else { return false }
                if let (last, lines) = resume {
                    // A value wrapped onto the lines below: they have been read with it.
                    resume = nil
                    start = last + 1
                    line += lines
                } else {
                    start = end + 1
                }
            }
            if let key = pendingKey { emit(.empty, line: key.line) }
            if let entry = pendingEntry { emit(.empty, line: entry.line) }
            while !open.isEmpty { close() }
            return true
        }

        // MARK: Lines

        private mutating func line(_ s: Int, _ e: Int, _ number: Int) -> Bool {
            lineStart = s
            var i = s
            while i < e, p[i] == .space { i += 1 }
            if i == e || p[i] == UInt8(ascii: "#") { return true }  // blank, or a comment line
            let indent = i - s
            if indent == 0 {
                if YAMLChunker.isDocumentMarker(UnsafeRawBufferPointer(start: p + i, count: e - i)) {
                    // `---` alone before any content; any other marker (`...`, a second document) → Yams.
                    guard !sawMarker, tokens.isEmpty, p[i] == .dash, isBlankOrComment(i + 3, e) else { return false }
                    sawMarker = true
                    return true
                }
                if p[i] == UInt8(ascii: "%") { return false }  // a directive
            }
            if let owner = valueOwner {
                // Deeper than the key or dash whose value ended the line before: a continuation.
                guard indent <= owner else { return false }
                valueOwner = nil
            }
            let entry = isEntry(i, e)
            if let key = pendingKey {
                pendingKey = nil
                if entry, indent >= key.indent {
                    guard openContainer(isSequence: true, indent: indent, line: key.line) else { return false }
                } else if !entry, indent > key.indent {
                    guard openContainer(isSequence: false, indent: indent, line: key.line) else { return false }
                } else {
                    emit(.empty, line: key.line)
                }
            } else if let dash = pendingEntry {
                pendingEntry = nil
                if indent > dash.indent {
                    // A mapping under a lone `-` (marked where its first key is); a nested sequence or a
                    // scalar there is left to Yams.
                    guard !entry, openContainer(isSequence: false, indent: indent, line: number) else { return false }
                } else {
                    emit(.empty, line: dash.line)
                }
            }
            // Close what this line is outside of; a sequence at a key's column ends at the next key.
            while let top = open.last, top.indent > indent || (top.indent == indent && top.isSequence && !entry) {
                close()
            }
            if open.isEmpty {
                guard tokens.isEmpty else { return false }  // a second root
                guard openContainer(isSequence: entry, indent: indent, line: number) else { return false }
            }
            guard let top = open.last, top.indent == indent else { return false }
            if top.isSequence { return entryContent(i + 1, e, dash: indent, number) }
            guard !entry else { return false }
            guard let found = key(i, e) else { return false }
            return keyValue(found, e, column: indent, number)
        }

        /// The content after a `- ` at column `dash`: nothing (its value below), a mapping's first key,
        /// or a scalar.
        private mutating func entryContent(_ from: Int, _ e: Int, dash: Int, _ number: Int) -> Bool {
            let c = skipSpaces(from, e)
            if c == e || p[c] == UInt8(ascii: "#") {
                pendingEntry = (dash, number)
                return true
            }
            if isEntry(c, e) { return false }  // `- - a`: a sequence in a sequence
            if let found = key(c, e) {
                let column = c - lineStart
                guard openContainer(isSequence: false, indent: column, line: number) else { return false }
                return keyValue(found, e, column: column, number)
            }
            return inlineValue(c, e, owner: dash, number)
        }

        /// A `key: value` line of the mapping whose keys are at `column`, its key found by `key(_:_:)`.
        private mutating func keyValue(
            _ found: (start: Int, count: Int, after: Int), _ e: Int, column: Int, _ number: Int
        ) -> Bool {
            let (start, count, after) = found
            guard let mapping = open.last, keys.count - mapping.firstKey < Self.maxKeys
            else { return false }
            for (otherStart, otherCount) in keys[mapping.firstKey...]
            where otherCount == count && memcmp(p + otherStart, p + start, count) == 0 {
                return false  // a repeated key: Yams reports it
            }
            keys.append((start, count))
            tokens.append(Token(kind: .key, line: Int32(number), start: Int32(start), count: Int32(count)))
            let v = skipSpaces(after, e)
            if v == e || p[v] == UInt8(ascii: "#") {
                pendingKey = (column, number)
                return true
            }
            return inlineValue(v, e, owner: column, number)
        }

        /// A value on the line of its key or dash (at column `owner`), from `v` to the line's end.
        private mutating func inlineValue(_ v: Int, _ e: Int, owner: Int, _ number: Int) -> Bool {
            let c = p[v]
            switch c {
            case .openBrace, .openBracket:
                // Only the empty `{}` and `[]`; other flow collections are Yams's.
                guard v + 1 < e, p[v + 1] == c &+ 2, isBlankOrComment(v + 2, e) else { return false }
                let isSequence = c == .openBracket
                tokens.append(Token(kind: isSequence ? .seqStart : .mapStart, line: Int32(number), start: 0,
                                    count: Int32(tokens.count + 1)))
                tokens.append(Token(kind: isSequence ? .seqEnd : .mapEnd, line: Int32(number), start: 0, count: 0))
            case .quote, UInt8(ascii: "'"):
                guard let (close, folded) = quoted(v, owner: owner) else { return false }
                let last = close < e ? e : lineEnd(from: close)
                guard isBlankOrComment(close + 1, last) else { return false }
                emit(.quoted, line: number, start: v + 1, count: close - v - 1, text: folded ? .folded : .asIs)
                if last > e { resume = (last, newlines(e, last)) }
            case UInt8(ascii: "|"):
                guard let (start, end, stripped) = literalBlock(v, e, owner: owner) else { return false }
                emit(.quoted, line: number, start: start, count: end - start, text: stripped ? .literalStripped : .literal)
                resume = (end, newlines(e, end))
            default:
                guard startsPlain(v, e), let end = plainEnd(v, e) else { return false }
                // Lines deeper than the owner, right below, continue a plain value (Go's YAML writer
                // wraps long ones at spaces); a comment or a blank line ends it.
                var last = e
                var textEnd = end
                while end == e || p[end] != UInt8(ascii: "#"), last < n {
                    let next = last + 1
                    let nextEnd = lineEnd(from: next)
                    let c = skipSpaces(next, nextEnd)
                    guard c < nextEnd, c - next > owner, p[c] != UInt8(ascii: "#") else { break }
                    // A continuation that YAML could read otherwise (`- x`, `? x`, `key: x`) is left to Yams.
                    guard !isEntry(c, nextEnd), p[c] != UInt8(ascii: "?"), let lineTextEnd = plainEnd(c, nextEnd),
                          lineTextEnd == nextEnd || p[lineTextEnd] != UInt8(ascii: "#")
                    else { return false }
                    var trimmed = nextEnd
                    while p[trimmed - 1] == .space { trimmed -= 1 }
                    textEnd = trimmed
                    last = nextEnd
                }
                emit(.plain, line: number, start: v, count: trimmedEnd(v, textEnd) - v, text: last > e ? .folded : .asIs)
                if last > e { resume = (last, newlines(e, last)) }
            }
            valueOwner = owner
            return true
        }

        // MARK: Tokens

        private mutating func openContainer(isSequence: Bool, indent: Int, line: Int) -> Bool {
            guard open.count < Self.maxOpen else { return false }
            open.append(Open(isSequence: isSequence, indent: indent, token: tokens.count, firstKey: keys.count))
            tokens.append(Token(kind: isSequence ? .seqStart : .mapStart, line: Int32(line), start: 0, count: 0))
            return true
        }

        private mutating func close() {
            guard let top = open.popLast() else { return }
            tokens[top.token].count = Int32(tokens.count)
            tokens.append(Token(kind: top.isSequence ? .seqEnd : .mapEnd, line: tokens[top.token].line, start: 0, count: 0))
            if !top.isSequence { keys.removeSubrange(top.firstKey...) }
        }

        private mutating func emit(_ kind: Token.Kind, line: Int, start: Int = 0, count: Int = 0, text: Text = .asIs) {
            tokens.append(Token(kind: kind, text: text, line: Int32(line), start: Int32(start), count: Int32(count)))
        }

        // MARK: Bytes

        /// A key starting at `c`: its text and the offset after its colon; nil when the line holds no
        /// key there (or one this reader leaves to Yams).
        private func key(_ c: Int, _ e: Int) -> (start: Int, count: Int, after: Int)? {
            let first = p[c]
            if first == .quote || first == UInt8(ascii: "'") {
                guard let close = closingQuote(c, e) else { return nil }
                let colon = skipSpaces(close + 1, e)
                guard colon < e, p[colon] == .colon, colon + 1 == e || p[colon + 1] == .space else { return nil }
                return (c + 1, close - c - 1, colon + 1)
            }
            guard startsPlain(c, e) else { return nil }
            var i = c
            while i < e {
                let b = p[i]
                if b == .colon, i + 1 == e || p[i + 1] == .space { break }
                if b == UInt8(ascii: "#"), i > c, p[i - 1] == .space { return nil }  // a comment before any ':'
                i += 1
            }
            guard i < e else { return nil }
            var end = i
            while end > c, p[end - 1] == .space { end -= 1 }
            // libyaml allows a simple key of at most 1024 characters.
            guard end > c, end - c < 1000 else { return nil }
            return (c, end - c, i + 1)
        }

        /// The closing quote of the quoted value opening at `q`, and whether its text must be worked out
        /// (`''` in single quotes, escapes in double ones, or wrapped onto lines below, each deeper than
        /// `owner` and not blank); nil for a value this reader leaves to Yams (an escape YAML does not
        /// have, a blank line inside, no closing quote).
        private func quoted(_ q: Int, owner: Int) -> (close: Int, folded: Bool)? {
            let quote = p[q]
            var folded = false
            var i = q + 1
            while i < n {
                let b = p[i]
                if b == quote {
                    guard quote == UInt8(ascii: "'"), i + 1 < n, p[i + 1] == quote else { return (i, folded) }
                    folded = true
                    i += 2
                    continue
                }
                if b == .backslash, quote == .quote {
                    // An escape: one YAML has, or an escaped line break (whose next line is checked
                    // as any other); otherwise Yams reports it.
                    folded = true
                    if i + 1 < n, p[i + 1] == .newline {
                        i += 1
                        continue
                    }
                    let rest = UnsafeRawBufferPointer(start: p + i, count: n - i)
                    guard let (_, length) = YAMLBlockReader.escape(rest, at: 0) else { return nil }
                    i += length
                    continue
                }
                if b == .newline {
                    let next = i + 1
                    let c = skipSpaces(next, lineEnd(from: next))
                    guard c < n, p[c] != .newline, c - next > owner else { return nil }
                    folded = true
                    i = c
                    continue
                }
                i += 1
            }
            return nil
        }

        /// The lines of the literal block whose header (`|` or `|-`) is at `v`, on a line ending at `e`:
        /// from the first content line's start to the last one's end, and whether its last newline is
        /// stripped. The block's indentation is its first line's, deeper than `owner`; it ends before
        /// the first line that is less indented. Nil for what this reader leaves to Yams: `|+`, an
        /// indentation digit, `>`, an empty block, a blank line before the first, or a line of spaces
        /// only.
        private func literalBlock(_ v: Int, _ e: Int, owner: Int) -> (start: Int, end: Int, stripped: Bool)? {
            var h = v + 1
            let stripped = h < e && p[h] == .dash
            if stripped { h += 1 }
            guard isBlankOrComment(h, e), e < n else { return nil }
            let first = e + 1
            let firstEnd = lineEnd(from: first)
            let indent = skipSpaces(first, firstEnd) - first
            guard first + indent < firstEnd, indent > owner else { return nil }
            var end = firstEnd
            var next = firstEnd
            while next < n {
                let start = next + 1
                let stop = lineEnd(from: start)
                let c = skipSpaces(start, stop)
                if c == stop {
                    guard c == start else { return nil }  // spaces only
                    next = stop  // an empty line: the block's if a content line follows
                    continue
                }
                guard c - start >= indent else { break }
                end = stop
                next = stop
            }
            return (first, end, stripped)
        }

        /// Where a plain value starting at `v` ends on its line (before a trailing comment, trailing
        /// spaces included); nil when it holds `: ` (YAML would read a mapping there).
        private func plainEnd(_ v: Int, _ e: Int) -> Int? {
            var i = v
            while i < e {
                let b = p[i]
                if b == .colon, i + 1 == e || p[i + 1] == .space { return nil }
                if b == UInt8(ascii: "#"), i > v, p[i - 1] == .space { return i }
                i += 1
            }
            return e
        }

        private func trimmedEnd(_ start: Int, _ end: Int) -> Int {
            var i = end
            while i > start, p[i - 1] == .space { i -= 1 }
            return i
        }

        private func lineEnd(from start: Int) -> Int {
            guard start < n, let hit = memchr(p + start, Int32(UInt8.newline), n - start) else { return n }
            return UnsafeRawPointer(hit) - UnsafeRawPointer(p)
        }

        private func newlines(_ from: Int, _ to: Int) -> Int {
            var count = 0
            for i in from..<to where p[i] == .newline { count += 1 }
            return count
        }

        /// The closing quote of the quoted key opening at `q`, on this line, when nothing inside it
        /// needs unescaping; nil otherwise.
        private func closingQuote(_ q: Int, _ e: Int) -> Int? {
            let quote = p[q]
            var i = q + 1
            while i < e {
                let b = p[i]
                if b == quote {
                    // `''` inside single quotes is an escaped quote: left to Yams.
                    if quote == UInt8(ascii: "'"), i + 1 < e, p[i + 1] == quote { return nil }
                    return i
                }
                if b == .backslash, quote == .quote { return nil }
                i += 1
            }
            return nil  // not closed on this line: a wrapped string
        }

        /// Whether a plain scalar may start at `c`: not with an indicator, except `-` before a non-space
        /// (`-1`, `--flag`).
        private func startsPlain(_ c: Int, _ e: Int) -> Bool {
            switch p[c] {
            case .dash: return c + 1 < e && p[c + 1] != .space
            case UInt8(ascii: "?"), .colon, .comma, .openBracket, .closeBracket, .openBrace, .closeBrace,
                 UInt8(ascii: "#"), UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"),
                 UInt8(ascii: ">"), UInt8(ascii: "'"), .quote, UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"):
                return false
            default: return true
            }
        }

        private func isEntry(_ i: Int, _ e: Int) -> Bool {
            p[i] == .dash && (i + 1 == e || p[i + 1] == .space)
        }

        private func skipSpaces(_ from: Int, _ e: Int) -> Int {
            var i = from
            while i < e, p[i] == .space { i += 1 }
            return i
        }

        /// Nothing but spaces from `from`, then the end of the line or a comment.
        private func isBlankOrComment(_ from: Int, _ e: Int) -> Bool {
            let i = skipSpaces(from, e)
            return i == e || (p[i] == UInt8(ascii: "#") && i > from)
        }
    }
}
