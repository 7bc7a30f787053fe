#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads `journalctl -o json` output (one object per line) and dispatches each entry like a text log line.
///
/// Entries carry fields such as (systemd/systemd#987, vector#1714, opentelemetry-collector-contrib#30920):
///
///     "__REALTIME_TIMESTAMP" : "1439903275885223"      (µs since the epoch, a string; older systemd puts
///                                                        spaces around the colon, newer ones do not)
///     "_SYSTEMD_UNIT" : "docker.service"
///     "MESSAGE":[32,32,32,32,32,121,13]                 (non-UTF-8 or control characters: an array of bytes)
///     "MESSAGE":null                                    (longer than 4096 bytes without --all)
///
/// The object is scanned by hand, once; only `__REALTIME_TIMESTAMP` (µs → `.instant`), `__MONOTONIC_TIMESTAMP`
/// (the uptime of kernel entries), `_BOOT_ID`, `_HOSTNAME`, `SYSLOG_IDENTIFIER`, `_TRANSPORT`, `_PID` and
/// `MESSAGE` are read. A multi-line `MESSAGE` becomes one record plus continuation records. A change of
/// `_BOOT_ID` makes a `.nodeBoot` observation. `json-pretty` output (objects over many lines) is not read:
/// its lines are counted and reported once.
///
/// Most entries are none that a parser reads. As in `NodeLogParser`, an entry is passed over when its
/// `MESSAGE` string holds none of `LogRecordDispatcher.sieve`'s needles, no record is open, its
/// `_BOOT_ID` is the one before, and it is one line from `{` to `}`: found by one vector scan of the
/// line for three keys (`"MESSAGE"`, `"_BOOT_ID"`, `"__REALTIME_TIMESTAMP"`: with their quotes they
/// occur nowhere else, since a quote inside a string is escaped) and one of the message. The message
/// is searched as it stands, escaped: journalctl escapes only `"`, `\` and control characters, and no
/// needle holds one. A `MESSAGE` that is an array of bytes, `null` or not a string is always read.
/// Every entry's time is read, so the newest instant is exact; the last entry passed over is read for
/// its uptime and host before the next entry read and at the end; the first
/// `NodeLogParser.fullyReadLines` lines and every `sampleEvery`-th are read in full. A damaged entry
/// passed over (braces at both ends, broken inside) is not counted among the lines skipped.
public struct JournalJSONParser: LineParser {
    private let context: ParseContext
    private var dispatcher: LogRecordDispatcher
    /// False reads every entry in full (for tests that hold the sieve to what a full read finds).
    private let sieving: Bool
    private let sieve = LogRecordDispatcher.sieve
    /// The keys the sieve looks for in an entry, with their quotes.
    private static let keys = NeedleSet(groups: [["\"MESSAGE\""], ["\"_BOOT_ID\""], ["\"__REALTIME_TIMESTAMP\""]])
    /// The last entry passed over since the last entry read.
    private var passedOver = PassedOverLine()
    private var hosts = ByteStringCache(capacity: 4)
    private var programs = ByteStringCache(capacity: 16, lowercase: true)
    /// Decoded message bytes (escapes, byte arrays), reused across lines.
    private var scratch: [UInt8] = []
    private var lastBootID: [UInt8] = []
    private var nullMessages = 0
    private var firstNullMessageLine: Int?
    private var skippedLines = 0
    private var firstSkippedLine: Int?

    public init(context: ParseContext) {
        self.init(context: context, sieving: true)
    }

    public init(context: ParseContext, sieving: Bool) {
        self.context = context
        dispatcher = LogRecordDispatcher(context: context)
        self.sieving = sieving
    }

    /// The byte ranges of the fields that matter in one entry.
    private struct Fields {
        enum Message { case absent, null, string(Range<Int>, escaped: Bool), bytes(Range<Int>) }
        var realtime: Range<Int>?
        var monotonic: Range<Int>?
        var bootID: Range<Int>?
        var hostname: Range<Int>?
        var identifier: Range<Int>?
        var transport: Range<Int>?
        var pid: Range<Int>?
        var message: Message = .absent
    }

    public mutating func parse(_ line: Line, into output: inout ParseOutput) {
        if sieving, line.number > NodeLogParser.fullyReadLines, line.number % NodeLogParser.sampleEvery != 0,
           !dispatcher.isMidRecord, let time = mayPassOver(line.bytes)
        {
            if let time { dispatcher.noteClock(time: time, uptime: nil, host: nil, line: line.number, into: &output) }
            passedOver.keep(line)
            return
        }
        replayPassedOver(into: &output)
        read(line, into: &output)
    }

    /// When no parser reads the entry and reading it would change nothing but the clock (a whole
    /// object whose `MESSAGE` is a string with no sieve needle and whose `_BOOT_ID`, if any, is the last
    /// one): its time, or `.some(nil)` when it has none. Nil when the entry must be read.
    func mayPassOver(_ b: UnsafeRawBufferPointer) -> SourceTime?? {
        let start = b.skipSpaces(from: 0)
        var end = b.count
        while end > start, b[end - 1] == .space || b[end - 1] == .tab || b[end - 1] == .carriageReturn { end -= 1 }
        guard end - start >= 2, b[start] == .openBrace, b[end - 1] == .closeBrace else { return nil }
        var message: Range<Int>?
        var time: SourceTime?
        var from = start
        while let at = Self.keys.firstOccurrence(in: b, from: from), at < end {
            let key = b[at + 1]  // M(ESSAGE), _(BOOT_ID), _(_REALTIME_TIMESTAMP)
            let keyLength = key == UInt8(ascii: "M") ? 9 : b[at + 2] == UInt8(ascii: "B") ? 10 : 22
            var i = Self.skipWhitespace(b, at + keyLength)
            guard i < end, b[i] == .colon else { return nil }
            i = Self.skipWhitespace(b, i + 1)
            guard i < end, b[i] == .quote, let (valueEnd, _) = Self.stringEnd(b, from: i + 1) else { return nil }
            switch keyLength {
            case 9:
                guard message == nil else { return nil }
                message = (i + 1)..<valueEnd
            case 10:
                guard !lastBootID.isEmpty, valueEnd - (i + 1) == lastBootID.count, let value = b.baseAddress,
                      lastBootID.withUnsafeBytes({ id in id.baseAddress.map { memcmp($0, value + i + 1, id.count) == 0 } ?? false })
                else { return nil }
            default:
                guard let (us, _) = b.readInt(at: i + 1) else { return nil }
                time = Self.time(microseconds: us)
            }
            from = valueEnd + 1
        }
        if let message, sieve.occurs(in: b.slice(message)) { return nil }
        return .some(time)
    }

    public mutating func blockDidEnd() {
        passedOver.blockDidEnd()
    }

    /// Reads the clock of the last entry passed over (no parser wanted its message).
    private mutating func replayPassedOver(into output: inout ParseOutput) {
        passedOver.take()?.withLine { noteClock(of: $0.bytes, line: $0.number, into: &output) }
    }

    private mutating func noteClock(of b: UnsafeRawBufferPointer, line: Int, into output: inout ParseOutput) {
        let start = b.skipSpaces(from: 0)
        guard start < b.count, b[start] == .openBrace, let fields = Self.scanObject(b, from: start) else { return }
        let clock = clock(of: fields, in: b)
        dispatcher.noteClock(time: clock.time, uptime: clock.monotonic, host: clock.host, line: line, into: &output)
    }

    /// The entry's time, uptime and host.
    private mutating func clock(of fields: Fields, in b: UnsafeRawBufferPointer) -> (time: SourceTime?, monotonic: Double?, host: String?) {
        let time = fields.realtime.flatMap { b.readInt(at: $0.lowerBound) }.map { Self.time(microseconds: $0.value) }
        let monotonic = fields.monotonic.flatMap { b.readInt(at: $0.lowerBound) }.map { Double($0.value) / 1e6 }
        let host = fields.hostname.map { hosts.string(b.slice($0)) }
        return (time, monotonic, host)
    }

    /// `__REALTIME_TIMESTAMP`: microseconds since the epoch.
    private static func time(microseconds us: Int64) -> SourceTime {
        .instant(Instant(seconds: us / 1_000_000, nanoseconds: Int32(us % 1_000_000) * 1000))
    }

    /// Reads one entry in full: clock, boot, then the parser of its program when that may want it.
    private mutating func read(_ line: Line, into output: inout ParseOutput) {
        let b = line.bytes
        let start = b.skipSpaces(from: 0)
        guard start < b.count else { return }
        guard b[start] == .openBrace, let fields = Self.scanObject(b, from: start) else {
            skippedLines += 1
            if firstSkippedLine == nil { firstSkippedLine = line.number }
            return
        }
        let (time, monotonic, host) = clock(of: fields, in: b)
        let program: String?
        if let r = fields.identifier {
            program = b.slice(r).matches("kernel") && r.count == 6 ? "kernel" : programs.string(b.slice(r))
        } else if let r = fields.transport, b.slice(r).matches("kernel"), r.count == 6 {
            program = "kernel"
        } else {
            program = nil
        }
        if let r = fields.bootID {
            let id = b.slice(r)
            if !lastBootID.elementsEqual(id) {
                if !lastBootID.isEmpty {
                    dispatcher.markBoot(line: line.number, text: "_BOOT_ID=\(id.string)", id: id.string)
                }
                lastBootID.removeAll(keepingCapacity: true)
                lastBootID.append(contentsOf: id)
            }
        }
        dispatcher.noteClock(time: time, uptime: monotonic, host: host, line: line.number, into: &output)

        let isKernel = program == "kernel"
        let route = dispatcher.route(program: program)
        switch fields.message {
        case .absent:
            return
        case .null:
            nullMessages += 1
            if firstNullMessageLine == nil { firstNullMessageLine = line.number }
            return
        case .string(let r, let escaped):
            if escaped {
                Self.unescape(b.slice(r), into: &scratch)
            } else {
                deliver(b.slice(r), line: line, time: time, fields: fields, b: b, host: host, program: program,
                        uptime: isKernel ? monotonic : nil, route: route, into: &output)
                return
            }
        case .bytes(let r):
            Self.byteArray(b.slice(r), into: &scratch)
        }
        let bytes = scratch
        bytes.withUnsafeBytes { message in
            deliver(message, line: line, time: time, fields: fields, b: b, host: host, program: program,
                    uptime: isKernel ? monotonic : nil, route: route, into: &output)
        }
    }

    /// Splits a message at newlines (first part a record, the rest continuations) and dispatches it.
    private mutating func deliver(
        _ message: UnsafeRawBufferPointer, line: Line, time: SourceTime?, fields: Fields, b: UnsafeRawBufferPointer,
        host: String?, program: String?, uptime: Double?, route: LogRecordDispatcher.Route,
        into output: inout ParseOutput
    ) {
        var start = 0
        var first = true
        while start <= message.count {
            let end = message.firstIndex(of: .newline, from: start) ?? message.count
            var part = message.slice(start..<end)
            if part.count > 0, part[part.count - 1] == .carriageReturn { part = part.slice(0..<(part.count - 1)) }
            if !(part.isEmpty && !first),
               dispatcher.needsRecord(route: route, message: part, isContinuation: !first, hasTime: time != nil) {
                var record = LogRecord(message: part, line: line.number)
                record.isContinuation = !first
                record.program = program
                record.host = host
                if let r = fields.pid, let (pid, _) = b.readInt(at: r.lowerBound) { record.pid = Int(pid) }
                if let time, let r = fields.realtime { record.time = TimeReading(time, text: b.string(r)) }
                if let uptime, let r = fields.monotonic { record.uptime = TimeReading(.sinceBoot(seconds: uptime), text: b.string(r)) }
                dispatcher.dispatch(record, route: route, into: &output)
            }
            first = false
            start = end + 1
        }
    }

    public mutating func finish(into output: inout ParseOutput) {
        replayPassedOver(into: &output)
        dispatcher.finish(into: &output)
        if nullMessages > 0 {
            output.diagnostics.append(Diagnostic(
                .warning, file: context.path, line: firstNullMessageLine,
                "\(nullMessages) journal entr\(nullMessages == 1 ? "y has" : "ies have") MESSAGE null "
                    + "(longer than 4096 bytes; export with journalctl --all to keep them)"))
        }
        if skippedLines > 0 {
            output.diagnostics.append(Diagnostic(
                .warning, file: context.path, line: firstSkippedLine,
                "\(skippedLines) line(s) are not one JSON object each (json-pretty or damaged output) and were skipped"))
        }
    }

    // MARK: - JSON scanning

    /// Scans one object; nil when it is not a complete object.
    private static func scanObject(_ b: UnsafeRawBufferPointer, from start: Int) -> Fields? {
        var f = Fields()
        let n = b.count
        var i = start + 1
        while true {
            i = skipWhitespace(b, i)
            guard i < n else { return nil }
            if b[i] == .closeBrace { return f }
            guard b[i] == .quote, let (keyEnd, _) = stringEnd(b, from: i + 1) else { return nil }
            let key = b.slice((i + 1)..<keyEnd)
            i = skipWhitespace(b, keyEnd + 1)
            guard i < n, b[i] == .colon else { return nil }
            i = skipWhitespace(b, i + 1)
            guard i < n else { return nil }
            switch b[i] {
            case .quote:
                guard let (end, escaped) = stringEnd(b, from: i + 1) else { return nil }
                let value = (i + 1)..<end
                switch key.count {
                case 7 where key.matches("MESSAGE"): f.message = .string(value, escaped: escaped)
                case 20 where key.matches("__REALTIME_TIMESTAMP"): f.realtime = value
                case 21 where key.matches("__MONOTONIC_TIMESTAMP"): f.monotonic = value
                case 8 where key.matches("_BOOT_ID"): f.bootID = value
                case 9 where key.matches("_HOSTNAME"): if !escaped { f.hostname = value }
                case 17 where key.matches("SYSLOG_IDENTIFIER"): if !escaped { f.identifier = value }
                case 10 where key.matches("_TRANSPORT"): f.transport = value
                case 4 where key.matches("_PID"): f.pid = value
                default: break
                }
                i = end + 1
            case .openBracket:
                guard let close = b.firstIndex(of: .closeBracket, from: i) else { return nil }
                if key.count == 7, key.matches("MESSAGE") { f.message = .bytes((i + 1)..<close) }
                i = close + 1
            case .openBrace:
                // Nested objects do not occur in journal entries; skip to the matching brace.
                var depth = 0
                var k = i
                while k < n {
                    if b[k] == .quote, let (end, _) = stringEnd(b, from: k + 1) {
                        k = end + 1
                        continue
                    }
                    if b[k] == .openBrace { depth += 1 }
                    if b[k] == .closeBrace {
                        depth -= 1
                        if depth == 0 { break }
                    }
                    k += 1
                }
                guard k < n else { return nil }
                i = k + 1
            default:
                // null, numbers, true/false.
                if key.count == 7, key.matches("MESSAGE"), b.matches("null", at: i) { f.message = .null }
                while i < n, b[i] != .comma, b[i] != .closeBrace { i += 1 }
            }
            i = skipWhitespace(b, i)
            guard i < n else { return nil }
            if b[i] == .comma {
                i += 1
            } else if b[i] != .closeBrace {
                return nil
            }
        }
    }

    private static func skipWhitespace(_ b: UnsafeRawBufferPointer, _ i: Int) -> Int {
        var i = i
        while i < b.count, b[i] == .space || b[i] == .tab || b[i] == .carriageReturn { i += 1 }
        return i
    }

    /// The offset of the closing quote of a string whose content starts at `from`, and whether it has escapes.
    private static func stringEnd(_ b: UnsafeRawBufferPointer, from: Int) -> (Int, Bool)? {
        var i = from
        var escaped = false
        guard var q = b.firstIndex(of: .quote, from: i) else { return nil }
        // Each backslash search stops at the candidate quote and `i` only moves forward: linear time.
        while let bs = b.slice(i..<q).firstIndex(of: .backslash) {
            escaped = true
            i += bs + 2
            if i > q {
                guard let next = b.firstIndex(of: .quote, from: i) else { return nil }
                q = next
            }
        }
        return (q, escaped)
    }

    /// Decodes JSON string escapes (`\n`, `\"`, `\uXXXX` with surrogate pairs) into UTF-8.
    static func unescape(_ s: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        var i = 0
        let n = s.count
        while i < n {
            let c = s[i]
            guard c == .backslash, i + 1 < n else {
                out.append(c)
                i += 1
                continue
            }
            let e = s[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "n"): out.append(.newline)
            case UInt8(ascii: "t"): out.append(.tab)
            case UInt8(ascii: "r"): out.append(.carriageReturn)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                guard var scalar = hex4(s, i) else {
                    out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    continue
                }
                i += 4
                if (0xD800..<0xDC00).contains(scalar), s.matches("\\u", at: i), let low = hex4(s, i + 2),
                   (0xDC00..<0xE000).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                appendUTF8(Unicode.Scalar(scalar) ?? "\u{FFFD}", to: &out)
            default: out.append(e)
            }
        }
    }

    private static func hex4(_ s: UnsafeRawBufferPointer, _ i: Int) -> UInt32? {
        guard i + 4 <= s.count else { return nil }
        var v: UInt32 = 0
        for k in i..<(i + 4) {
            let c = s[k]
            let d: UInt8
            if c.isDigit { d = c - .zero } else if c >= 97 && c <= 102 { d = c - 87 } else if c >= 65 && c <= 70 { d = c - 55 } else { return nil }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    private static func appendUTF8(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
        guard let units = UTF8.encode(scalar) else {
            out.append(contentsOf: [0xEF, 0xBF, 0xBD])
            return
        }
        for unit in units { out.append(unit) }
    }

    /// `32,32,121,13` → bytes (values outside 0…255 are skipped).
    static func byteArray(_ s: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        var i = 0
        while i < s.count {
            i = s.skipSpaces(from: i)
            if let (v, end) = s.readInt(at: i) {
                if v <= 255 { out.append(UInt8(v)) }
                i = end
            } else {
                i += 1
            }
        }
    }
}
