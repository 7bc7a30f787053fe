/// Groups the kernel records of one OOM-killer report into one `.kernelOOMKill` observation.
///
/// A report (memcg or global, cgroup v1 or v2, kernels 3.x to 6.x) is a run of records such as:
///
///     stress-ng-vm invoked oom-killer: gfp_mask=0x1100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=1000
///     CPU: 1 PID: 183960 Comm: stress-ng-vm Not tainted 5.15.0-1041-azure #48-Ubuntu
///     memory: usage 102400kB, limit 102400kB, failcnt 6402
///     swap: usage 0kB, limit 9007199254740988kB, failcnt 0
///     Memory cgroup stats for /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod5931aa75_4603_4e65_b552_7c71cf55cfb5.slice:
///     oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=cri-containerd-25a3….scope,mems_allowed=0,oom_memcg=/kubepods.slice/…,task_memcg=/kubepods.slice/…/cri-containerd-25a3….scope,task=stress-ng-vm,pid=183960,uid=0
///     Memory cgroup out of memory: Killed process 183960 (stress-ng-vm) total-vm:299192kB, anon-rss:93176kB, file-rss:316kB, shmem-rss:12kB, UID:0 pgtables:476kB oom_score_adj:1000
///
/// and, on older kernels, `java cpuset=… mems_allowed=0`, `Task in /docker/2e08… killed as a result of
/// limit of /docker/2e08…`, `memory+swap:`/`kmem:` lines, one-line `Memory cgroup stats for /mem2: cache:0KB
/// rss:980KB …`, `Memory cgroup out of memory: Kill process 13536 (memorymonster) score 996 or sacrifice
/// child` then `Killed process 13536 (memorymonster) total-vm:33558652kB, anon-rss:920kB, file-rss:452kB`,
/// or for global OOMs `Mem-Info:` and `Out of memory: Kill process 1532 (badsysprogram) score 919 or
/// sacrifice child`. A cgroup v2 group kill adds `Tasks in <cgroup> are going to be killed due to
/// memory.oom.group set` and more `Killed process` lines; `oom_reaper: reaped process …` may follow.
///
/// A report ends at the next `invoked oom-killer`, when a part repeats (a second kill, `memory:` line or
/// `oom-kill:` line), after a gap of more than 10 s, some records after its kill, or at `finish`. Reports
/// cut short still make an observation, marked `incomplete`. The kernel banner (`Linux version 5.15…`)
/// makes a `.nodeBoot` observation.
public struct KernelOOMParser: MessageParser {
    private let context: ParseContext
    /// The report being read: none or one. Kept in an array so the parser stays a few words wide and
    /// cheap to pass around on the per-line path, while the report is mutated in place.
    private var open: [KernelOOMBlock] = []
    /// A copy of the report being read (for reads; blocks are rare).
    private var block: KernelOOMBlock? { open.first }
    private var suppressedReports: Int64 = 0
    private var suppressedFirstLine: Int?
    /// Seconds between two records of one report beyond which it is considered over.
    static let gapSeconds = 10.0
    /// Unrelated kernel records after the kill that close a report.
    static let recordsAfterKill = 64

    public init(context: ParseContext) {
        self.context = context
    }

    /// Words one of which is in every record `mayStartReport` accepts (there at the start; here anywhere).
    public static let needles = NeedleSet([
        "Linux version ", "Task", "Memory cgroup ", "Mem-Info:", "memory: usage", "Out of memory", "Kill", "oom",
        "-killer: ",
    ])

    /// A report is open: every record may belong to it.
    public var isMidRecord: Bool { !open.isEmpty }

    /// Cheap prefilter: false for records that cannot belong to a report when none is open.
    func wants(_ message: UnsafeRawBufferPointer, isContinuation: Bool) -> Bool {
        if !open.isEmpty { return true }
        if isContinuation { return false }
        return Self.mayStartReport(message)
    }

    /// First-byte switch plus one substring search (`-killer: ` of `invoked oom-killer:`).
    static func mayStartReport(_ m: UnsafeRawBufferPointer) -> Bool {
        guard let first = m.first else { return false }
        switch first {
        case UInt8(ascii: "L"): if m.hasPrefix("Linux version ") { return true }
        case UInt8(ascii: "T"): if m.hasPrefix("Task") { return true }
        case UInt8(ascii: "M"): if m.hasPrefix("Memory cgroup ") || m.hasPrefix("Mem-Info:") { return true }
        case UInt8(ascii: "m"): if m.hasPrefix("memory: usage") { return true }
        case UInt8(ascii: "O"): if m.hasPrefix("Out of memory") { return true }
        case UInt8(ascii: "K"): if m.hasPrefix("Kill") { return true }
        case UInt8(ascii: "o"): if m.hasPrefix("oom") { return true }
        default: break
        }
        return m.contains("-killer: ")
    }

    public mutating func parse(_ record: LogRecord, into output: inout ParseOutput) {
        let m = record.message
        guard wants(m, isContinuation: record.isContinuation) else { return }
        if let clock = Self.clock(record) {
            if !open.isEmpty, let last = open[0].lastClock, last.kind == clock.kind, abs(clock.seconds - last.seconds) > Self.gapSeconds {
                emit(into: &output)
            }
            modify {
                $0.lastClock = clock
                $0.sawTimedRecord = true
            }
        }
        guard !record.isContinuation else { return }
        // A hard-wrapped `… limit of /kubepo` + `ds/pod…/…` paste: join the path.
        if !open.isEmpty, open[0].limitingMayWrap {
            open[0].limitingMayWrap = false
            if record.time == nil, record.program == nil, open[0].sawTimedRecord, !m.isEmpty, !m.contains(" ") {
                open[0].limitingCgroup = (open[0].limitingCgroup ?? "") + m.string
                return
            }
        }
        if !handle(m, record, into: &output), !open.isEmpty, open[0].victim != nil {
            open[0].recordsSinceKill += 1
            if open[0].recordsSinceKill > Self.recordsAfterKill { emit(into: &output) }
        }
    }

    public mutating func finish(into output: inout ParseOutput) {
        emit(into: &output)
        if suppressedReports > 0 {
            output.diagnostics.append(Diagnostic(
                .note, file: context.path, line: suppressedFirstLine,
                "the kernel rate-limited \(suppressedReports) OOM-killer report(s) (\"callbacks suppressed\"): "
                    + "some kills may be missing or incomplete"))
        }
    }

    // MARK: - Parts

    /// Reads one record as a part of a report; false when it is not one.
    private mutating func handle(_ m: UnsafeRawBufferPointer, _ record: LogRecord, into output: inout ParseOutput) -> Bool {
        guard let first = m.first else { return false }
        switch first {
        case UInt8(ascii: "C"):
            if m.hasPrefix("CPU: ") { return cpuLine(m) }
        case UInt8(ascii: "L"):
            if m.hasPrefix("Linux version ") { banner(m, record, into: &output); return true }
        case UInt8(ascii: "T"):
            if m.hasPrefix("Task in ") { return taskIn(m, record, into: &output) }
            if m.hasPrefix("Tasks in ") { return groupKill(m, record) }
            if m.hasPrefix("Tasks state") {
                if !open.isEmpty && open[0].victim != nil { emit(into: &output) }
                update(record) { $0.inTaskTable = true }
                return true
            }
        case UInt8(ascii: "M"):
            if m.hasPrefix("Memory cgroup out of memory: ") {
                return kill(m, from: 29, hint: .memcg, record, into: &output)
            }
            if m.hasPrefix("Memory cgroup stats for ") { return stats(m, record, into: &output) }
            if m.hasPrefix("Mem-Info:") {
                if !open.isEmpty && open[0].victim != nil { emit(into: &output) }
                update(record) { $0.sawMemInfo = true }
                return true
            }
        case UInt8(ascii: "O"):
            if m.hasPrefix("Out of memory: ") { return kill(m, from: 15, hint: KernelOOMDetails.Constraint.none, record, into: &output) }
            if m.hasPrefix("Out of memory and no killable processes") {
                if !open.isEmpty && open[0].victim != nil { emit(into: &output) }
                update(record) {
                    $0.noKillableProcesses = true
                    $0.constraintHint = KernelOOMDetails.Constraint.none
                }
                emit(into: &output)
                return true
            }
        case UInt8(ascii: "K"):
            if m.hasPrefix("Kill") { return kill(m, from: 0, hint: nil, record, into: &output) }
        case UInt8(ascii: "m"):
            if m.hasPrefix("memory: usage ") { return memoryLine(m, record, into: &output) }
            if m.hasPrefix("memory+swap: usage ") { return modify { $0.cgroupVersion = 1 } }
        case UInt8(ascii: "k"):
            if m.hasPrefix("kmem: usage ") { return modify { $0.cgroupVersion = 1 } }
        case UInt8(ascii: "s"):
            if m.hasPrefix("swap: usage ") { return modify { $0.cgroupVersion = 2 } }
        case UInt8(ascii: "o"):
            if m.hasPrefix("oom-kill:") { return oomKill(m, record, into: &output) }
            if m.hasPrefix("oom_reaper: reaped process ") { return reaper(m, into: &output) }
            if m.hasPrefix("oom"), let colon = m.firstIndex(of: .colon), m.matches(" callbacks suppressed", at: m.endOfNumber(from: colon + 2)) {
                suppressed(m, colon: colon, record)
                return true
            }
        case .openBracket:
            return taskTable(m)
        default:
            break
        }
        if let at = m.firstIndex(of: " invoked oom-killer:") {
            invoked(m, at: at, record, into: &output)
            return true
        }
        if !open.isEmpty, open[0].cpuset == nil, let at = m.firstIndex(of: " cpuset="),
           let end = m.firstIndex(of: " mems_allowed=", from: at) {
            open[0].cpuset = m.string((at + 8)..<end)
            return true
        }
        return false
    }

    /// Applies `body` to the open report, or to a new one starting at `record`.
    private mutating func update(_ record: LogRecord, _ body: (inout KernelOOMBlock) -> Void) {
        if open.isEmpty { open.append(Self.newBlock(record)) }
        if open[0].host == nil { open[0].host = record.host }
        body(&open[0])
    }

    /// Applies `body` to the open report, if any; true when there was one.
    @discardableResult
    private mutating func modify(_ body: (inout KernelOOMBlock) -> Void) -> Bool {
        guard !open.isEmpty else { return false }
        body(&open[0])
        return true
    }

    private static func newBlock(_ record: LogRecord) -> KernelOOMBlock {
        var b = KernelOOMBlock(record: record)
        b.lastClock = clock(record)
        b.sawTimedRecord = b.lastClock != nil
        return b
    }

    private mutating func emit(into output: inout ParseOutput) {
        if !open.isEmpty, let obs = open[0].observation(context: context) { output.observations.append(obs) }
        open.removeAll(keepingCapacity: true)
    }

    /// `stress-ng-vm invoked oom-killer: gfp_mask=0x1100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=1000`
    private mutating func invoked(_ m: UnsafeRawBufferPointer, at: Int, _ record: LogRecord, into output: inout ParseOutput) {
        emit(into: &output)
        var b = Self.newBlock(record)
        let name = m.trimmedRange(0..<at)
        b.invoker = m.string(name)
        if let k = m.firstIndex(of: "oom_score_adj=", from: at), let (v, _) = m.readSignedInt(at: k + 14) {
            b.invokerScoreAdj = Int(v)
        }
        open.append(b)
    }

    /// `CPU: 1 PID: 183960 Comm: stress-ng-vm Not tainted 5.15.0-1041-azure #48-Ubuntu`
    private mutating func cpuLine(_ m: UnsafeRawBufferPointer) -> Bool {
        guard !open.isEmpty, open[0].victim == nil, open[0].kernelRelease == nil, let comm = m.firstIndex(of: "Comm: ") else {
            return false
        }
        if let p = m.firstIndex(of: " PID: "), let (pid, _) = m.readInt(at: p + 6) { open[0].invokerPID = Int(pid) }
        if let tainted = m.firstIndex(of: "ainted", from: comm) {
            var i = tainted + 6
            while i < m.count {
                i = m.skipSpaces(from: i)
                let end = m.endOfToken(from: i)
                if end > i, m[i].isDigit, m.slice(i..<end).firstIndex(of: .dot) != nil {
                    open[0].kernelRelease = m.string(i..<end)
                    break
                }
                i = end
            }
        }
        return true
    }

    /// `Task in /mem2 killed as a result of limit of /mem3`
    private mutating func taskIn(_ m: UnsafeRawBufferPointer, _ record: LogRecord, into output: inout ParseOutput) -> Bool {
        if let b = block, b.victim != nil || b.victimCgroup != nil || b.chosen != nil { emit(into: &output) }
        update(record) { b in
            if let mid = m.firstIndex(of: " killed as a result of limit of ") {
                b.victimCgroup = m.string(m.trimmedRange(8..<mid))
                b.limitingCgroup = m.string(m.trimmedRange((mid + 32)..<m.count))
                b.limitingMayWrap = record.time != nil
            } else {
                b.victimCgroup = m.string(m.trimmedRange(8..<m.count))
            }
            if b.constraintHint == nil { b.constraintHint = .memcg }
        }
        return true
    }

    /// `Tasks in /test1 are going to be killed due to memory.oom.group set`
    private mutating func groupKill(_ m: UnsafeRawBufferPointer, _ record: LogRecord) -> Bool {
        let end = m.firstIndex(of: " are going to be killed") ?? m.count
        let group = m.string(m.trimmedRange(9..<end))
        update(record) { $0.groupCgroup = group }
        return true
    }

    /// `memory: usage 102400kB, limit 102400kB, failcnt 6402`
    private mutating func memoryLine(_ m: UnsafeRawBufferPointer, _ record: LogRecord, into output: inout ParseOutput) -> Bool {
        if let b = block, b.victim != nil || b.usageBytes != nil || b.limitBytes != nil { emit(into: &output) }
        update(record) { b in
            if let (v, _) = Self.kib(m, at: 14) { b.usageBytes = v }
            if let k = m.firstIndex(of: "limit "), let (v, _) = Self.kib(m, at: k + 6), v < Self.unlimitedBytes {
                b.limitBytes = v
            }
            if let k = m.firstIndex(of: "failcnt "), let (v, _) = m.readInt(at: k + 8) { b.failCount = v }
            if b.constraintHint == nil { b.constraintHint = .memcg }
        }
        return true
    }

    /// `Memory cgroup stats for /mem2: cache:0KB rss:980KB …` (v1, one line) or `… .slice:` (multi-line).
    private mutating func stats(_ m: UnsafeRawBufferPointer, _ record: LogRecord, into output: inout ParseOutput) -> Bool {
        if !open.isEmpty && open[0].victim != nil { emit(into: &output) }
        let start = 24
        let t = m.trimmedRange(start..<m.count)
        var oneLine = false
        let pathEnd: Int
        if let sep = m.firstIndex(of: ": ", from: start) {
            pathEnd = sep
            oneLine = m.firstIndex(of: "KB", from: sep) != nil
        } else if !t.isEmpty, m[t.upperBound - 1] == .colon {
            pathEnd = t.upperBound - 1
        } else {
            pathEnd = t.upperBound
        }
        update(record) { b in
            if oneLine, b.cgroupVersionHint == nil { b.cgroupVersionHint = 1 }
            if b.statsCgroup == nil, pathEnd > start { b.statsCgroup = m.string(start..<pathEnd) }
            if b.constraintHint == nil { b.constraintHint = .memcg }
        }
        return true
    }

    /// `[  pid  ]   uid  tgid total_vm …` header and `[  22826]     0 22826 … -998 pause` rows.
    private mutating func taskTable(_ m: UnsafeRawBufferPointer) -> Bool {
        guard !open.isEmpty else { return false }
        let i = m.skipSpaces(from: 1)
        if m.matches("pid", at: i), let close = m.firstIndex(of: .closeBracket) {
            var columns = 0
            var k = m.skipSpaces(from: close + 1)
            while k < m.count {
                let end = m.endOfToken(from: k)
                if m.slice(k..<end).matches("name"), end - k == 4 { break }
                columns += 1
                k = m.skipSpaces(from: end)
            }
            if columns > 0 { open[0].taskColumns = columns }
            open[0].inTaskTable = true
            return true
        }
        guard open[0].inTaskTable, open[0].taskRows.count < 8192, let (pid, close) = m.readInt(at: i), close < m.count,
              m[close] == .closeBracket
        else { return false }
        var k = close + 1
        var last: Int64?
        for _ in 0..<open[0].taskColumns {
            k = m.skipSpaces(from: k)
            guard let (v, end) = m.readSignedInt(at: k) else { return true }
            last = v
            k = end
        }
        if let last { open[0].taskRows.append((Int(pid), Int(last))) }
        return true
    }

    /// `oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=…,mems_allowed=0,oom_memcg=…,task_memcg=…,task=gunicorn,pid=2908,uid=999`
    private mutating func oomKill(_ m: UnsafeRawBufferPointer, _ record: LogRecord, into output: inout ParseOutput) -> Bool {
        let pid = m.firstIndex(of: ",pid=").flatMap { m.readInt(at: $0 + 5) }.map { Int($0.value) }
        if let b = block {
            if b.oomKillLine != nil {
                emit(into: &output)
            } else if let v = b.victim, let pid, v.pid != pid {
                emit(into: &output)
            }
        }
        update(record) { b in
            b.oomKillLine = record.line
            b.oomKillTime = record.time
            b.oomKillUptime = record.uptime
            b.oomKillPID = pid
            if let k = m.firstIndex(of: "constraint=") {
                let end = m.firstIndex(of: .comma, from: k) ?? m.count
                b.constraint = KernelOOMDetails.Constraint(rawValue: m.string((k + 11)..<end))
            }
            if let k = m.firstIndex(of: ",cpuset=") {
                let end = m.firstIndex(of: ",mems_allowed=", from: k) ?? m.firstIndex(of: .comma, from: k + 1) ?? m.count
                if b.cpuset == nil { b.cpuset = m.string((k + 8)..<end) }
            }
            let taskMemcg = m.firstIndex(of: ",task_memcg=")
            if let k = m.firstIndex(of: ",oom_memcg=") {
                let end = taskMemcg ?? m.firstIndex(of: .comma, from: k + 1) ?? m.count
                b.limitingCgroup = m.string((k + 11)..<Swift.max(k + 11, end))
            }
            let task = m.lastIndex(of: ",task=")
            if let k = taskMemcg {
                let end = task.flatMap { $0 > k ? $0 : nil } ?? m.firstIndex(of: .comma, from: k + 1) ?? m.count
                b.victimCgroup = m.string((k + 12)..<end)
            }
            if let k = task {
                let end = m.firstIndex(of: ",pid=", from: k) ?? m.count
                b.oomKillTask = m.string((k + 6)..<end)
            }
            if m.firstIndex(of: ",global_oom") != nil, b.constraint == nil {
                b.constraint = KernelOOMDetails.Constraint.none
            }
        }
        return true
    }

    /// `Memory cgroup out of memory: Killed process …`, `Out of memory: Kill process … score … or sacrifice child`,
    /// bare `Killed process 13536 (memorymonster) total-vm:33558652kB, anon-rss:920kB, file-rss:452kB`.
    private mutating func kill(_ m: UnsafeRawBufferPointer, from start: Int, hint: KernelOOMDetails.Constraint?,
                               _ record: LogRecord, into output: inout ParseOutput) -> Bool {
        let killed: Bool
        let pidAt: Int
        if m.matches("Killed process ", at: start) {
            killed = true
            pidAt = start + 15
        } else if m.matches("Kill process ", at: start) {
            killed = false
            pidAt = start + 13
        } else {
            return false
        }
        guard let (pidValue, afterPID) = m.readInt(at: pidAt) else { return false }
        let pid = Int(pidValue)
        let (name, nameEnd) = Self.processName(m, at: afterPID, killed: killed)

        if killed, !open.isEmpty {
            if open[0].victim != nil {
                if open[0].groupCgroup != nil {
                    open[0].groupPIDs.append(pid)
                    open[0].recordsSinceKill = 0
                    return true
                }
                emit(into: &output)
            } else if let expected = open[0].oomKillPID, expected != pid, open[0].chosen == nil {
                emit(into: &output)
            }
        } else if !killed, !open.isEmpty, open[0].victim != nil || open[0].chosen != nil {
            emit(into: &output)
        }
        var k = KernelOOMBlock.Kill(
            pid: pid, name: name, line: record.line, time: record.time, uptime: record.uptime, host: record.host,
            text: m.string(m.trimmedRange(0..<Swift.min(m.count, Self.maxEvidenceBytes))))
        if killed {
            k.anonRSSBytes = Self.field(m, "anon-rss:", from: nameEnd)
            k.fileRSSBytes = Self.field(m, "file-rss:", from: nameEnd)
            k.shmemRSSBytes = Self.field(m, "shmem-rss:", from: nameEnd)
            if let at = m.firstIndex(of: "oom_score_adj:", from: nameEnd), let (v, _) = m.readSignedInt(at: at + 14) {
                k.oomScoreAdj = Int(v)
            }
        }
        let kill = k
        update(record) { b in
            if let hint, b.constraintHint == nil || hint == KernelOOMDetails.Constraint.none { b.constraintHint = hint }
            if killed {
                b.victim = kill
                b.recordsSinceKill = 0
            } else {
                b.chosen = kill
            }
        }
        return true
    }

    /// `oom_reaper: reaped process 183960 (stress-ng-vm), now anon-rss:0kB, …`: ends a single kill.
    private mutating func reaper(_ m: UnsafeRawBufferPointer, into output: inout ParseOutput) -> Bool {
        guard let b = block else { return false }
        if let v = b.victim, b.groupCgroup == nil, let (pid, _) = m.readInt(at: 27), Int(pid) == v.pid {
            emit(into: &output)
        }
        return true
    }

    /// `oom_kill_process: 70 callbacks suppressed`: the kernel dropped parts of reports.
    private mutating func suppressed(_ m: UnsafeRawBufferPointer, colon: Int, _ record: LogRecord) {
        let count = m.readInt(at: m.skipSpaces(from: colon + 1))?.value ?? 0
        suppressedReports += count
        if suppressedFirstLine == nil { suppressedFirstLine = record.line }
        modify { $0.incomplete = true }
    }

    /// `Linux version 5.15.0-1041-azure (buildd@…) …`: the node booted.
    private mutating func banner(_ m: UnsafeRawBufferPointer, _ record: LogRecord, into output: inout ParseOutput) {
        emit(into: &output)
        let start = 14
        let release = m.string(start..<m.endOfToken(from: start))
        var obs = Observation(
            kind: .nodeBoot, source: .kernel, location: context.location(record.line),
            time: record.time ?? record.uptime, summary: "Node booted kernel \(release)")
        if record.time != nil { obs.secondaryTime = record.uptime }
        obs.node = record.host ?? context.nodeHint
        obs.message = release
        output.observations.append(obs)
    }

    // MARK: - Field readers

    /// The comm in `(<comm>)` after a pid: up to `) total-vm:`, `), UID`, `) score` or `), now`, else the
    /// last `)`; names may hold spaces, `/`, `#` and parentheses (`((resolved))`, `(Plex Media Server)`).
    static func processName(_ m: UnsafeRawBufferPointer, at i: Int, killed: Bool) -> (String, Int) {
        guard m.matches(" (", at: i) else { return ("", i) }
        let start = i + 2
        let end = (killed ? m.firstIndex(of: ") total-vm:", from: start) : m.firstIndex(of: ") score", from: start))
            ?? m.firstIndex(of: "), ", from: start) ?? m.lastIndex(of: .closeParen).flatMap { $0 >= start ? $0 : nil }
            ?? m.count
        return (m.string(start..<Swift.min(Swift.max(start, end), start + 256)), end)
    }

    /// A `key:NkB` field after `from`, in bytes.
    private static func field(_ m: UnsafeRawBufferPointer, _ key: StaticString, from: Int) -> Int64? {
        guard let at = m.firstIndex(of: key, from: from) else { return nil }
        return kib(m, at: at + key.utf8CodeUnitCount)?.value
    }

    /// `102400kB` / `980KB` → bytes (×1024); a bare number is bytes. Nil on overflow.
    static func kib(_ m: UnsafeRawBufferPointer, at i: Int) -> (value: Int64, end: Int)? {
        guard let (v, end) = m.readInt(at: i) else { return nil }
        if end + 1 < m.count, m[end] | 0x20 == UInt8(ascii: "k"), m[end + 1] == UInt8(ascii: "B") {
            let (bytes, overflow) = v.multipliedReportingOverflow(by: 1024)
            return overflow ? nil : (bytes, end + 2)
        }
        return (v, end)
    }

    /// Kill-line text kept as evidence is cut at this many bytes.
    static let maxEvidenceBytes = 2048

    /// Limits at or above this are the kernel's "unlimited" (`9007199254740988kB`).
    static let unlimitedBytes: Int64 = 9_007_199_254_740_988 * 1024

    /// The record's clock as (kind, seconds) for gap detection: uptime, instant or civil time.
    static func clock(_ record: LogRecord) -> (kind: Int, seconds: Double)? {
        if let up = record.uptime, case .sinceBoot(let s) = up.time { return (0, s) }
        guard let t = record.time else { return nil }
        switch t.time {
        case .sinceBoot(let s): return (0, s)
        case .instant(let i): return (1, i.secondsSinceEpoch)
        case .civil(let c):
            let days = CivilTime.daysFromCivil(year: c.year ?? 2001, month: c.month, day: c.day)
            return (2, Double(days * 86_400) + Double(c.hour * 3600 + c.minute * 60 + c.second)
                + Double(c.nanosecond) / 1e9)
        case .beforeCollection: return nil
        }
    }
}

extension UnsafeRawBufferPointer {
    /// The offset of the last occurrence of `needle`.
    fileprivate func lastIndex(of needle: StaticString) -> Int? {
        var found: Int?
        var from = 0
        while let at = firstIndex(of: needle, from: from) {
            found = at
            from = at + 1
        }
        return found
    }

    /// The offset after the decimal number at `from` (or `from` when there is none).
    fileprivate func endOfNumber(from i: Int) -> Int {
        readInt(at: i)?.end ?? i
    }
}
