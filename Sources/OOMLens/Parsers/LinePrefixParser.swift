/// Reads the prefix of a node-log line (time, host, program, pid, kernel uptime) and leaves the message.
///
/// Every shape a bundle stores node logs in, for example:
///
///     Jan  5 02:12:02 iZbp153spuk45ulvkwxf34Z kernel: Task in /kubepods.slice/…              (RFC 3164)
///     Sep  8 06:22:08 kernel: Memory cgroup out of memory: Killed process 2908 (gunicorn) …  (no host)
///     Feb 03 19:57:08 ** kernel: virt-launcher invoked oom-killer: …                          (redacted host)
///     Oct 12 19:00:20 aks-nodepool1-24207654-vmss000001 kernel: [ 8523.347168] stress-ng-vm invoked oom-killer: …
///     Oct 09 00:15:38.395304 bootstrap-e2e-master kubelet[2291]: I1009 00:15:38.394801    2291 …  (short-precise)
///     2025-06-18T10:29:40.483477+00:00 aks-nodepool1-26030419-vmss000000 kubelet[3217]: I0618 …    (RFC 3339)
///     [ 7063.247407] Memory cgroup out of memory: Killed process 63214 (uwsgi) …             (raw dmesg)
///     [Thu May  9 14:52:38 2024] CPU 11/KVM invoked oom-killer: …                           (dmesg -T)
///     [二 9月  3 05:57:48 2024] oom-kill:constraint=CONSTRAINT_MEMCG,…                     (localised dmesg -T)
///     kern:     err: [2026-07-25T14:23:17.527285605Z]: Memory cgroup out of memory: …      (talosctl dmesg)
///     2023-12-04T10:49:30.127Z In(05) vcpu-5 - Guest: <6>[39291577.009360] Memory cgroup stats for …  (vmware.log)
///                                file 0                                                     (continuation)
///     -- Boot 0c5a3e0f8e5c4b1f9a0c7b4a4b4d2e3f --                                           (journal marker)
///
/// Lines without a prefix (klog files, prefix-stripped kmsg) keep their whole text as the message.
/// A line that starts with spaces and has no prefix continues the previous record: it gets
/// `isContinuation` and the previous record's time, host and program. Hosts and program names are
/// materialised once per distinct value, and time texts only when a record is built.
public struct LinePrefixParser {
    /// The program name given to journal text markers (`-- Boot … --`, `-- Reboot --`, `-- Logs begin …`).
    public static let journalMarkerProgram = "journal-marker"
    static let kernelProgram = "kernel"
    static let vmwareProgram = "vmx"

    /// What `scan` found: the message and whether the line continues the previous record.
    struct Scan {
        var message: UnsafeRawBufferPointer
        var isContinuation: Bool
        var line: Int
    }

    private let file: String
    /// Problems worth reporting (non-English month names), at most one per kind per file.
    public private(set) var diagnostics: [Diagnostic] = []

    // The current record's prefix (kept for continuation lines).
    private(set) var time: SourceTime?
    private var timeBytes = TextCopy()
    private(set) var uptime: Double?
    private var uptimeBytes = TextCopy()
    private(set) var host: String?
    private(set) var program: String?
    private(set) var pid: Int?
    /// The previous line was a record with a prefix (or continued one): indented lines continue it.
    private var hasRecord = false

    private var hosts = ByteStringCache(capacity: 4)
    private var programs = ByteStringCache(capacity: 16, lowercase: true)
    private var timeTextKey = TextCopy()
    private var timeText = ""
    private var uptimeTextKey = TextCopy()
    private var uptimeText = ""
    private var warnedMonth = false

    public init(file: String) {
        self.file = file
    }

    /// Reads one line's prefix and returns the record (message borrowed from `line`).
    public mutating func parse(_ line: Line) -> LogRecord {
        record(scan(line))
    }

    // MARK: - Scanning (no allocation on the common path)

    /// Reads the prefix into the parser's current state and returns the message.
    mutating func scan(_ line: Line) -> Scan {
        let b = line.bytes
        let n = b.count
        guard n > 0 else {
            clear()
            return Scan(message: b, isContinuation: false, line: line.number)
        }
        // Paste artefacts: `* `, `$ `, `# ` before the line.
        if n >= 2, b[1] == .space, b[0] == UInt8(ascii: "*") || b[0] == UInt8(ascii: "$") || b[0] == UInt8(ascii: "#") {
            if let start = parsePrefix(b, at: 2, lineNumber: line.number) {
                return Scan(message: b.suffix(from: start), isContinuation: false, line: line.number)
            }
            clear()
            return Scan(message: b.suffix(from: 2), isContinuation: false, line: line.number)
        }
        if b[0].isSpaceOrTab {
            let s = b.skipSpaces(from: 0)
            // An indented paste of a prefixed line (`  Oct 12 19:00:20 host kernel: …`).
            if s < n, s <= 4, let start = parsePrefix(b, at: s, lineNumber: line.number) {
                return Scan(message: b.suffix(from: start), isContinuation: false, line: line.number)
            }
            if hasRecord {
                return Scan(message: b.suffix(from: s), isContinuation: true, line: line.number)
            }
            clear()
            return Scan(message: b.suffix(from: s), isContinuation: false, line: line.number)
        }
        if let start = parsePrefix(b, at: 0, lineNumber: line.number) {
            return Scan(message: b.suffix(from: start), isContinuation: false, line: line.number)
        }
        clear()
        return Scan(message: b, isContinuation: false, line: line.number)
    }

    /// Builds the record for a scan: the time texts are materialised here (cached while unchanged).
    mutating func record(_ scan: Scan) -> LogRecord {
        var r = LogRecord(message: scan.message, line: scan.line)
        r.isContinuation = scan.isContinuation
        r.program = program
        r.pid = pid
        r.host = host
        if let time {
            if timeBytes != timeTextKey {
                timeTextKey = timeBytes
                timeText = timeBytes.string
            }
            r.time = TimeReading(time, text: timeText)
        }
        if let uptime {
            if uptimeBytes != uptimeTextKey {
                uptimeTextKey = uptimeBytes
                uptimeText = uptimeBytes.string
            }
            r.uptime = TimeReading(.sinceBoot(seconds: uptime), text: uptimeText)
        }
        return r
    }

    private mutating func clear() {
        time = nil
        uptime = nil
        host = nil
        program = nil
        pid = nil
        hasRecord = false
    }

    /// What one prefix said, as ranges into the line; committed only when the whole prefix parsed.
    private struct Prefix {
        var time: SourceTime?
        var timeRange: Range<Int>?
        var uptime: Double?
        var uptimeRange: Range<Int>?
        var hostRange: Range<Int>?
        var programRange: Range<Int>?
        var fixedProgram: String?
        var pid: Int?
        var messageStart: Int
        var unknownMonth: Range<Int>?
    }

    /// Parses a prefix at `s`; on success commits it and returns where the message starts.
    private mutating func parsePrefix(_ b: UnsafeRawBufferPointer, at s: Int, lineNumber: Int) -> Int? {
        guard s < b.count else { return nil }
        let c = b[s]
        var p = Prefix(messageStart: s)
        let found: Bool
        if c == .openBracket {
            found = Self.dmesg(b, at: s, &p)
        } else if c == .dash {
            found = Self.journalMarker(b, at: s, &p)
        } else if c.isDigit {
            found = Self.iso(b, at: s, &p) || (s == 0 && Self.cutUptime(b, &p))
        } else {
            found = (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z") && Self.talos(b, at: s, &p)) || Self.syslog(b, at: s, &p)
        }
        guard found else { return nil }
        commit(p, b, lineNumber: lineNumber)
        return p.messageStart
    }

    private mutating func commit(_ p: Prefix, _ b: UnsafeRawBufferPointer, lineNumber: Int) {
        time = p.time
        timeBytes = TextCopy(p.timeRange.map { b.slice($0) })
        uptime = p.uptime
        uptimeBytes = TextCopy(p.uptimeRange.map { b.slice($0) })
        if let r = p.hostRange, !Self.isRedactedHost(b.slice(r)) {
            host = hosts.string(b.slice(r))
        } else {
            host = nil
        }
        if let fixed = p.fixedProgram {
            program = fixed
        } else if let r = p.programRange {
            program = b.slice(r).matches("kernel") && r.count == 6 ? Self.kernelProgram : programs.string(b.slice(r))
        } else {
            program = nil
        }
        pid = p.pid
        hasRecord = true
        if let r = p.unknownMonth, !warnedMonth {
            warnedMonth = true
            diagnostics.append(Diagnostic(
                .warning, file: file, line: lineNumber,
                "month name \"\(b.string(r))\" is not English: times of such lines were not read "
                    + "(collect logs with LANG=C)"))
        }
    }

    /// `**`, `...`, `…` and `localhost` stand for a host that was not written.
    private static func isRedactedHost(_ h: UnsafeRawBufferPointer) -> Bool {
        if h.matches("localhost") { return true }
        for byte in h where byte != UInt8(ascii: "*") && byte != .dot && byte < 0x80 { return false }
        return true
    }

    // MARK: - Prefix shapes

    /// `[ 7063.247407] msg`, `[   37.117660][ T9185] msg`, `[Thu May  9 14:52:38 2024] msg`,
    /// `[ 8523.347168] host prog[pid]: msg` (journalctl `-o short-monotonic`).
    private static func dmesg(_ b: UnsafeRawBufferPointer, at s: Int, _ p: inout Prefix) -> Bool {
        let n = b.count
        var i = b.skipSpaces(from: s + 1)
        if i < n, b[i].isDigit {
            guard let (seconds, range, end) = uptimeNumber(b, at: i), end < n, b[end] == .closeBracket else { return false }
            i = skipCallerID(b, at: end + 1)
            if i < n, b[i] == .space { i += 1 }
            p = Prefix(time: .sinceBoot(seconds: seconds), timeRange: range, messageStart: i)
            p.fixedProgram = kernelProgram
            if let hp = hostProgram(b, at: i, strict: true) {
                p.hostRange = hp.host
                p.programRange = hp.program
                p.fixedProgram = nil
                p.pid = hp.pid
                p.messageStart = hp.messageStart
            }
            return true
        }
        // dmesg -T: weekday, month, day, time, year.
        let weekdayEnd = b.endOfToken(from: i)
        guard weekdayEnd > i, weekdayEnd - i <= 12, weekdayEnd < n, b[weekdayEnd] == .space else { return false }
        let monthStart = weekdayEnd + 1
        let monthEnd = b.endOfToken(from: monthStart)
        guard monthEnd > monthStart, monthEnd - monthStart <= 12 else { return false }
        let month = monthNumber(b, monthStart..<monthEnd)
        var j = b.skipSpaces(from: monthEnd)
        guard let (day, dayEnd) = b.readInt(at: j), dayEnd - j <= 2, dayEnd < n, b[dayEnd] == .space,
              let (h, m, sec, clockEnd) = clock(b, at: dayEnd + 1), clockEnd < n, b[clockEnd] == .space,
              let (year, yearEnd) = b.readInt(at: clockEnd + 1), yearEnd - clockEnd == 5,
              yearEnd < n, b[yearEnd] == .closeBracket
        else { return false }
        j = yearEnd + 1
        if j < n, b[j] == .space { j += 1 }
        p = Prefix(messageStart: j)
        p.fixedProgram = kernelProgram
        if let month {
            p.time = .civil(CivilTime(year: Int(year), month: month, day: Int(day), hour: h, minute: m, second: sec))
            p.timeRange = i..<yearEnd
        } else {
            p.unknownMonth = monthStart..<monthEnd
        }
        return true
    }

    /// `][ T9185]` / `][ C3]`: the printk caller id that follows the uptime on some kernels.
    private static func skipCallerID(_ b: UnsafeRawBufferPointer, at i: Int) -> Int {
        guard i < b.count, b[i] == .openBracket else { return i }
        var j = b.skipSpaces(from: i + 1)
        guard j < b.count, b[j] == UInt8(ascii: "T") || b[j] == UInt8(ascii: "C") else { return i }
        j += 1
        guard let (_, end) = b.readInt(at: j), end < b.count, b[end] == .closeBracket else { return i }
        return end + 1
    }

    /// `5193605.506728] msg`: a raw dmesg line whose opening bracket was cut off by a paste.
    private static func cutUptime(_ b: UnsafeRawBufferPointer, _ p: inout Prefix) -> Bool {
        guard let (seconds, range, end) = uptimeNumber(b, at: 0), end + 1 < b.count, b[end] == .closeBracket,
              b[end + 1] == .space
        else { return false }
        p = Prefix(time: .sinceBoot(seconds: seconds), timeRange: range, messageStart: end + 2)
        p.fixedProgram = kernelProgram
        return true
    }

    /// `-- Boot 0c5a… --`, `-- Reboot --`, `-- Logs begin at …, end at … --`, `-- No entries --`.
    private static func journalMarker(_ b: UnsafeRawBufferPointer, at s: Int, _ p: inout Prefix) -> Bool {
        guard b.matches("-- ", at: s) else { return false }
        let t = b.trimmedRange()
        guard t.count >= 6, b.matches(" --", at: t.upperBound - 3)
            || b.matches("Logs begin", at: s + 3) || b.matches("Journal begins", at: s + 3)
        else { return false }
        p = Prefix(messageStart: s)
        p.fixedProgram = journalMarkerProgram
        return true
    }

    /// RFC 3339 prefixes: rsyslog, journal short-iso(-precise), dmesg `--time-format iso`, vmware.log.
    private static func iso(_ b: UnsafeRawBufferPointer, at s: Int, _ p: inout Prefix) -> Bool {
        guard let reading = RFC3339.read(b, at: s) else { return false }
        let end = reading.end
        guard end == b.count || b[end] == .space else { return false }
        let time: SourceTime = reading.instant.map { .instant($0) } ?? .civil(reading.civil)
        p = Prefix(time: time, timeRange: s..<end, messageStart: Swift.min(end + 1, b.count))
        if let vm = vmware(b, at: end + 1) {
            p.messageStart = vm.messageStart
            p.uptime = vm.uptime
            p.uptimeRange = vm.uptimeRange
            p.fixedProgram = vm.kernel ? kernelProgram : vmwareProgram
            return true
        }
        if let hp = hostProgram(b, at: p.messageStart, strict: false) {
            p.hostRange = hp.host
            p.programRange = hp.program
            p.pid = hp.pid
            p.messageStart = hp.messageStart
            if b.slice(hp.program).matches("kernel"), hp.program.count == 6,
               let (up, range, after) = innerUptime(b, at: hp.messageStart) {
                p.uptime = up
                p.uptimeRange = range
                p.messageStart = after
            }
        }
        return true
    }

    /// `In(05) vcpu-5 - Guest: <6>[39291577.009360] msg` after a vmware.log timestamp.
    private static func vmware(_ b: UnsafeRawBufferPointer, at i: Int) -> (messageStart: Int, uptime: Double?, uptimeRange: Range<Int>?, kernel: Bool)? {
        let n = b.count
        guard i + 7 <= n, b[i + 2] == .openParen, b[i + 5] == .closeParen, b[i + 6] == .space,
              b[i + 3].isDigit, b[i + 4].isDigit, b[i] >= UInt8(ascii: "A"), b[i] <= UInt8(ascii: "Z")
        else { return nil }
        let threadEnd = b.endOfToken(from: i + 7)
        guard b.matches(" - ", at: threadEnd) else { return nil }
        var j = threadEnd + 3
        guard b.matches("Guest: ", at: j) else { return (j, nil, nil, false) }
        j += 7
        if j < n, b[j] == UInt8(ascii: "<"), let (_, end) = b.readInt(at: j + 1), end < n, b[end] == UInt8(ascii: ">") {
            j = end + 1
        }
        if j < n, b[j] == .openBracket {
            let k = b.skipSpaces(from: j + 1)
            if let (up, range, end) = uptimeNumber(b, at: k), end < n, b[end] == .closeBracket {
                var m = end + 1
                if m < n, b[m] == .space { m += 1 }
                return (m, up, range, true)
            }
        }
        return (j, nil, nil, true)
    }

    /// Talos `kern:     err: [2026-07-25T14:23:17.527285605Z]: msg` and `dmesg -x` `kern  :info  : [ 1.2] msg`.
    private static func talos(_ b: UnsafeRawBufferPointer, at s: Int, _ p: inout Prefix) -> Bool {
        let n = b.count
        var i = s
        while i < n, i - s < 10, b[i] >= UInt8(ascii: "a"), b[i] <= UInt8(ascii: "z") { i += 1 }
        let facility = s..<i
        guard !facility.isEmpty else { return false }
        i = b.skipSpaces(from: i)
        guard i < n, b[i] == .colon else { return false }
        i = b.skipSpaces(from: i + 1)
        let levelStart = i
        while i < n, i - levelStart < 10, b[i] >= UInt8(ascii: "a"), b[i] <= UInt8(ascii: "z") { i += 1 }
        guard i > levelStart else { return false }
        i = b.skipSpaces(from: i)
        guard i + 2 < n, b[i] == .colon, b[i + 1] == .space, b[i + 2] == .openBracket else { return false }
        let inner = b.skipSpaces(from: i + 3)
        if let reading = RFC3339.read(b, at: inner), reading.end < n, b[reading.end] == .closeBracket {
            let time: SourceTime = reading.instant.map { .instant($0) } ?? .civil(reading.civil)
            p = Prefix(time: time, timeRange: inner..<reading.end, messageStart: reading.end + 1)
        } else if let (up, range, end) = uptimeNumber(b, at: inner), end < n, b[end] == .closeBracket {
            p = Prefix(time: .sinceBoot(seconds: up), timeRange: range, messageStart: end + 1)
        } else {
            return false
        }
        var j = p.messageStart
        if j < n, b[j] == .colon { j += 1 }
        if j < n, b[j] == .space { j += 1 }
        p.messageStart = j
        if b.slice(facility).matches("kern"), facility.count == 4 {
            p.fixedProgram = kernelProgram
        } else {
            p.programRange = facility
        }
        return true
    }

    /// RFC 3164 and journal `short`/`short-precise`: `Jan  5 02:12:02 host prog[pid]: msg`.
    private static func syslog(_ b: UnsafeRawBufferPointer, at s: Int, _ p: inout Prefix) -> Bool {
        let n = b.count
        let monthEnd = b.endOfToken(from: s)
        guard monthEnd > s, monthEnd - s <= 12, monthEnd < n else { return false }
        // The month token is letters (any script) or `9月`, never a klog `I0908`.
        for k in s..<monthEnd {
            let c = b[k]
            guard c >= 0x80 || c == .dot || (c | 0x20 >= UInt8(ascii: "a") && c | 0x20 <= UInt8(ascii: "z"))
                || (c.isDigit && b[monthEnd - 1] >= 0x80) else { return false }
        }
        var i = b.skipSpaces(from: monthEnd)
        guard i - monthEnd <= 2, let (day, dayEnd) = b.readInt(at: i), dayEnd - i <= 2, dayEnd < n, b[dayEnd] == .space,
              let (h, m, sec, clockEnd) = clock(b, at: dayEnd + 1)
        else { return false }
        i = clockEnd
        var nanos = 0
        if i < n, b[i] == .dot {
            var scale = 100_000_000
            var k = i + 1
            while k < n, b[k].isDigit {
                nanos += Int(b[k] - .zero) * scale
                scale /= 10
                k += 1
            }
            guard k > i + 1 else { return false }
            i = k
        }
        guard i == n || b[i] == .space else { return false }
        p = Prefix(messageStart: Swift.min(i + 1, n))
        if let month = monthNumber(b, s..<monthEnd) {
            p.time = .civil(CivilTime(year: nil, month: month, day: Int(day), hour: h, minute: m, second: sec, nanosecond: nanos))
            p.timeRange = s..<i
        } else {
            p.unknownMonth = s..<monthEnd
        }
        if let hp = hostProgram(b, at: p.messageStart, strict: false) {
            p.hostRange = hp.host
            p.programRange = hp.program
            p.pid = hp.pid
            p.messageStart = hp.messageStart
            if b.slice(hp.program).matches("kernel"), hp.program.count == 6,
               let (up, range, after) = innerUptime(b, at: hp.messageStart) {
                p.uptime = up
                p.uptimeRange = range
                p.messageStart = after
            }
        }
        return true
    }

    /// `host prog[pid]: ` or `prog: ` (no host). `strict` (after a dmesg stamp) wants `host prog[pid]:`.
    private static func hostProgram(_ b: UnsafeRawBufferPointer, at i: Int, strict: Bool)
        -> (host: Range<Int>?, program: Range<Int>, pid: Int?, messageStart: Int)?
    {
        let n = b.count
        guard i < n else { return nil }
        let end1 = b.firstIndex(of: .space, from: i) ?? n
        guard end1 > i else { return nil }
        if b[end1 - 1] == .colon {
            guard !strict, let (name, pid) = programToken(b, i..<(end1 - 1)) else { return nil }
            return (nil, name, pid, Swift.min(end1 + 1, n))
        }
        guard end1 < n, b[end1] == .space else { return nil }
        let start2 = end1 + 1
        let end2 = b.firstIndex(of: .space, from: start2) ?? n
        guard end2 > start2 + 1, b[end2 - 1] == .colon,
              let (name, pid) = programToken(b, start2..<(end2 - 1))
        else { return nil }
        if strict, pid == nil, !(b.slice(name).matches("kernel") && name.count == 6) { return nil }
        return (i..<end1, name, pid, Swift.min(end2 + 1, n))
    }

    /// `containerd[2388]` → (name range, 2388); `kernel` → (name range, nil).
    private static func programToken(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> (Range<Int>, Int?)? {
        guard !r.isEmpty else { return nil }
        if b[r.upperBound - 1] == .closeBracket, let open = b.slice(r).firstIndex(of: .openBracket) {
            let name = r.lowerBound..<(r.lowerBound + open)
            guard !name.isEmpty else { return nil }
            let pid = b.readInt(at: name.upperBound + 1).map { Int($0.value) }
            return (name, pid)
        }
        return (r, nil)
    }

    /// `[ 8523.347168] ` at the start of a kernel message inside syslog.
    private static func innerUptime(_ b: UnsafeRawBufferPointer, at i: Int) -> (Double, Range<Int>, Int)? {
        guard i < b.count, b[i] == .openBracket else { return nil }
        let k = b.skipSpaces(from: i + 1)
        guard let (up, range, end) = uptimeNumber(b, at: k), end < b.count, b[end] == .closeBracket else { return nil }
        var m = skipCallerID(b, at: end + 1)
        if m < b.count, b[m] == .space { m += 1 }
        return (up, range, m)
    }

    /// `8523.347168` → seconds, its range, and the offset after it (one pass over the digits).
    static func uptimeNumber(_ b: UnsafeRawBufferPointer, at i: Int) -> (Double, Range<Int>, Int)? {
        let n = b.count
        var k = i
        var whole: Int64 = 0
        while k < n, k - i < 12, b[k] &- .zero < 10 {
            whole = whole &* 10 &+ Int64(b[k] &- .zero)
            k += 1
        }
        guard k > i, k < n, b[k] == .dot else { return nil }
        let dot = k
        k += 1
        var frac: Int64 = 0
        var scale = 1.0
        while k < n, k - dot <= 9, b[k] &- .zero < 10 {
            frac = frac &* 10 &+ Int64(b[k] &- .zero)
            scale *= 10
            k += 1
        }
        guard k > dot + 1 else { return nil }
        return (Double(whole) + Double(frac) / scale, i..<k, k)
    }

    /// `14:52:38` → (h, m, s, end).
    private static func clock(_ b: UnsafeRawBufferPointer, at i: Int) -> (Int, Int, Int, Int)? {
        guard i + 8 <= b.count, b[i + 2] == .colon, b[i + 5] == .colon, b[i].isDigit, b[i + 1].isDigit,
              b[i + 3].isDigit, b[i + 4].isDigit, b[i + 6].isDigit, b[i + 7].isDigit
        else { return nil }
        let h = Int(b[i] - .zero) * 10 + Int(b[i + 1] - .zero)
        let m = Int(b[i + 3] - .zero) * 10 + Int(b[i + 4] - .zero)
        let s = Int(b[i + 6] - .zero) * 10 + Int(b[i + 7] - .zero)
        guard h < 24, m < 60, s < 61 else { return nil }
        return (h, m, Swift.min(s, 59), i + 8)
    }

    /// English three-letter month names, and CJK `9月`; nil for other locales.
    static func monthNumber(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Int? {
        if r.count == 3 {
            let a = b[r.lowerBound], m = b[r.lowerBound + 1], c = b[r.lowerBound + 2]
            switch (a, m, c) {
            case (74, 97, 110): return 1   // Jan
            case (70, 101, 98): return 2   // Feb
            case (77, 97, 114): return 3   // Mar
            case (65, 112, 114): return 4  // Apr
            case (77, 97, 121): return 5   // May
            case (74, 117, 110): return 6  // Jun
            case (74, 117, 108): return 7  // Jul
            case (65, 117, 103): return 8  // Aug
            case (83, 101, 112): return 9  // Sep
            case (79, 99, 116): return 10  // Oct
            case (78, 111, 118): return 11 // Nov
            case (68, 101, 99): return 12  // Dec
            default: return nil
            }
        }
        // `9月` / `12月`: digits then U+6708 (E6 9C 88).
        guard r.count >= 4, r.count <= 5, b.matches("月", at: r.upperBound - 3),
              let (v, end) = b.readInt(at: r.lowerBound), end == r.upperBound - 3, (1...12).contains(v)
        else { return nil }
        return Int(v)
    }
}
