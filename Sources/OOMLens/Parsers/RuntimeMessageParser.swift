/// Reads container runtime log messages — containerd and CRI-O logrus lines — into runtime OOM and
/// task exit observations.
///
/// Real input (syslog prefix shown; the parser receives the body after it):
/// ```
/// Oct 12 19:00:20 aks-nodepool1-24207654-vmss000001 containerd[2388]: time="2023-10-12T19:00:20.879932879Z" level=info msg="TaskOOM event container_id:\"25a38b5b8d556d7983d975577f5ac75ebbcfb4b269e6deaa0a0440c1ffc969ca\""
/// Apr 14 05:21:34 cc-zzhk-loongarch-controller-1 containerd[2032269]: time="2025-04-14T05:21:34.519809409+08:00" level=info msg="TaskOOM event &TaskOOM{ContainerID:198301288f1414171589a049d5f75f9e4c871b8b3e5ad5af12051fdcc65da726,XXX_unrecognized:[],}"
/// May 16 18:02:43 aks-nodepool1-29985679-vmss00000A containerd[3039]: time="2025-05-16T18:02:43.754610904Z" level=info msg="received exit event container_id:\"f51267392f05152ad8ef082073f1b65abea345f4d4445cf079acd0d770374a1c\"  id:\"f51267392f05152ad8ef082073f1b65abea345f4d4445cf079acd0d770374a1c\"  pid:219567  exited_at:{seconds:1747396843  nanos:754293507}"
/// May 06 17:42:20 ovn-control-plane3 containerd[109873]: time="2020-05-06T17:42:20.536331032Z" level=debug msg="Received exit event &TaskExit{ContainerID:eed4f6efaa9e9683fd004a4eae4c8e307dd8bf55e268a0d80c72e554e981f9e5,ID:eed4f6efaa9e9683fd004a4eae4c8e307dd8bf55e268a0d80c72e554e981f9e5,Pid
/// # time="2023-05-31 15:54:15.733388177Z" level=debug msg="Event: WRITE         \"/tmp/tmp.qhWq5MyCkg/containers/exits/ad41a2b86a0eb8ee5cf725eea052b245e0ed3441af420abb7f2bd32d12918c5b.1D8Z51\"" file="server/server.go:875"
/// ```
/// A `msg` hard-wrapped by a paste (containerd#11837) is joined with the following prefix-less lines.
/// OOM observations take their time from `time=`; exits from `exited_at` when present. CRI-O
/// (`time="… …"` with a space) reports exits and OOMs through conmon's `exits/` and `oom/` files.
public struct RuntimeMessageParser: MessageParser {
    private let context: ParseContext
    /// A relevant line whose `msg` was cut by a hard wrap, waiting for its continuation lines.
    private var pending: [UInt8] = []
    private var pendingFacts: RecordFacts? {
        didSet { isMidRecord = pendingFacts != nil }
    }
    /// CRI-O file events already reported (each exit file is created, written and renamed).
    private var reportedFileEvents: Set<String> = []
    private var newestInstant: Instant?
    private var offsetReported = false

    /// The most bytes a wrapped message may grow to before it is read as it is.
    private static let maxPendingBytes = 16 * 1024

    public init(context: ParseContext) {
        self.context = context
    }

    public mutating func parse(_ record: LogRecord, into output: inout ParseOutput) {
        let b = record.message
        if pendingFacts != nil {
            if record.isContinuation || (record.time == nil && record.program == nil && b.firstIndex(of: "time=\"") == nil) {
                pending.append(contentsOf: b.slice(0..<Swift.min(b.count, Swift.max(0, Self.maxPendingBytes - pending.count))))
                if pending.count >= Self.maxPendingBytes || pending.withUnsafeBytes(Self.messageIsClosed) {
                    flush(into: &output)
                }
                return
            }
            flush(into: &output)
        }
        guard Self.mayMatch(b) else { return }
        let facts = RecordFacts(line: record.line, time: record.time, host: record.host, program: record.program)
        if !Self.messageIsClosed(b) {
            pending = Array(b)
            pendingFacts = facts
            return
        }
        handle(b, facts, into: &output)
    }

    public mutating func finish(into output: inout ParseOutput) {
        flush(into: &output)
        if let newestInstant { output.clockHints.append(.datedRecord(newestInstant)) }
    }

    private mutating func flush(into output: inout ParseOutput) {
        guard let facts = pendingFacts else { return }
        let bytes = pending
        pending = []
        pendingFacts = nil
        bytes.withUnsafeBytes { handle($0, facts, into: &output) }
    }

    /// What a message the parser reads contains.
    public static let needles = NeedleSet(["TaskOOM", "TaskExit", "exit event", "containers/exits/", "containers/oom/"])

    /// A wrapped message waits for its continuation lines (kept apart from `pendingFacts` so that the
    /// per-line question copies nothing).
    public private(set) var isMidRecord = false

    /// True when the message could be one the parser reads.
    static func mayMatch(_ b: UnsafeRawBufferPointer) -> Bool { needles.occurs(in: b) }

    /// False when a `msg="…` value is open at the end of the line (cut or hard-wrapped).
    static func messageIsClosed(_ b: UnsafeRawBufferPointer) -> Bool {
        guard let at = b.firstIndex(of: "msg=\"") else { return true }
        return quotedEnd(b, from: at + 4) != nil
    }

    /// The offset of the closing quote of the Go-quoted string opening at `start`.
    private static func quotedEnd(_ b: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var j = start + 1
        while j < b.count {
            if b[j] == .backslash { j += 2; continue }
            if b[j] == .quote { return j }
            j += 1
        }
        return nil
    }

    // MARK: - One logrus line

    private mutating func handle(_ b: UnsafeRawBufferPointer, _ facts: RecordFacts, into output: inout ParseOutput) {
        guard let msgAt = b.firstIndex(of: "msg=\"") else { return }
        let msg = (msgAt + 5)..<(Self.quotedEnd(b, from: msgAt + 4) ?? b.count)
        var logTime: TimeReading?
        var source = EvidenceSource.containerd
        if let timeAt = b.firstIndex(of: "time=\""), timeAt < msgAt, let reading = RFC3339.read(b, at: timeAt + 6) {
            let text = b.string((timeAt + 6)..<reading.end)
            if let instant = reading.instant {
                logTime = TimeReading(.instant(instant), text: text)
                newestInstant = Swift.max(newestInstant ?? instant, instant)
                reportOffset(reading, facts, into: &output)
            } else {
                logTime = TimeReading(.civil(reading.civil), text: text)
            }
            if b[timeAt + 16] == .space { source = .crio }
        }
        switch facts.program {
        case "crio", "cri-o", "conmon": source = .crio
        case "dockerd": source = .docker
        default: break
        }

        // Only events that name their container are worth a timeline entry.
        if let at = Self.find("TaskOOM", in: b, msg) {
            guard let id = Self.firstHexID(b, from: at, in: msg) else { return }
            var o = make(.runtimeOOM, source, facts, time: logTime ?? facts.time)
            o.secondaryTime = logTime == nil ? nil : facts.time
            o.containerID = id
            o.reason = "TaskOOM"
            o.message = Self.readable(b, msg)
            o.summary = "\(Self.name(source)) reported an OOM event for container \(Self.short(o.containerID))"
            output.observations.append(o)
        } else if let at = Self.find("TaskExit", in: b, msg) ?? Self.find("exit event", in: b, msg) {
            let event = exit(b, msg, from: at, source, facts, logTime: logTime)
            if event.containerID != nil { output.observations.append(event) }
        } else if source == .crio {
            fileEvent(b, msg, facts, logTime: logTime, into: &output)
        }
    }

    /// `received exit event container_id:\"…\"  id:\"…\"  pid:219567  exited_at:{seconds:… nanos:…}`,
    /// `TaskExit event in podsandbox handler …`, or the gogo `&TaskExit{ContainerID:…,ID:…,Pid:…,ExitStatus:…}`.
    private func exit(
        _ b: UnsafeRawBufferPointer, _ msg: Range<Int>, from at: Int, _ source: EvidenceSource, _ facts: RecordFacts,
        logTime: TimeReading?
    ) -> Observation {
        let idAt = Self.find("container_id:", in: b, msg) ?? Self.find("ContainerID:", in: b, msg) ?? at
        let pid = Self.intAfter("pid:", b, msg) ?? Self.intAfter("Pid:", b, msg)
        var status = Self.intAfter("exit_status:", b, msg) ?? Self.intAfter("ExitStatus:", b, msg)
        var exitedAt: TimeReading?
        if let timeAt = Self.find("exited_at:{", in: b, msg),
           let seconds = Self.intAfter("seconds:", b, (timeAt + 11)..<msg.upperBound),
           let close = b.firstIndex(of: .closeBrace, from: timeAt), close < msg.upperBound
        {
            let nanos = Self.intAfter("nanos:", b, (timeAt + 11)..<close) ?? 0
            if nanos < 1_000_000_000 {
                exitedAt = TimeReading(.instant(Instant(seconds: Int64(seconds), nanoseconds: Int32(nanos))),
                                       text: b.string(timeAt..<(close + 1)))
            }
            // The protobuf text format leaves out a zero exit status.
            if status == nil, Self.find("container_id:", in: b, msg) != nil { status = 0 }
        }
        var o = make(.runtimeExit, source, facts, time: exitedAt ?? logTime ?? facts.time)
        if exitedAt != nil {
            o.secondaryTime = facts.time ?? logTime
        } else if logTime != nil {
            o.secondaryTime = facts.time
        }
        o.containerID = Self.firstHexID(b, from: idAt, in: msg)
        o.exitCode = status
        o.reason = "TaskExit"
        var details: [String] = []
        if let pid { details.append("pid \(pid)") }
        if let status { details.append("exit status \(status)") }
        o.message = details.isEmpty ? nil : details.joined(separator: ", ")
        o.summary = "\(Self.name(source)) saw container \(Self.short(o.containerID)) exit"
            + (details.isEmpty ? "" : " (\(details.joined(separator: ", ")))")
        return o
    }

    /// CRI-O: conmon writes `…/containers/exits/<id>` and `…/containers/oom/<id>`; the server's file
    /// watcher logs `Event: WRITE "…/containers/exits/<id>.XXXX"`.
    private mutating func fileEvent(
        _ b: UnsafeRawBufferPointer, _ msg: Range<Int>, _ facts: RecordFacts, logTime: TimeReading?,
        into output: inout ParseOutput
    ) {
        let kind: ObservationKind
        let at: Int
        if let exits = Self.find("containers/exits/", in: b, msg) {
            kind = .runtimeExit
            at = exits + 17
        } else if let oom = Self.find("containers/oom/", in: b, msg) {
            kind = .runtimeOOM
            at = oom + 15
        } else {
            return
        }
        guard let id = Self.firstHexID(b, from: at, in: msg) else { return }
        guard reportedFileEvents.insert("\(kind.rawValue) \(id)").inserted else { return }
        var o = make(kind, .crio, facts, time: logTime ?? facts.time)
        o.secondaryTime = logTime == nil ? nil : facts.time
        o.containerID = id
        o.reason = kind == .runtimeOOM ? "OOM" : "Exit"
        o.message = Self.readable(b, msg)
        o.summary = kind == .runtimeOOM
            ? "CRI-O recorded an OOM for container \(Self.short(id))"
            : "CRI-O recorded the exit of container \(Self.short(id))"
        output.observations.append(o)
    }

    /// When the runtime's zoned `time=` agrees with the zone-less prefix clock at that offset, the
    /// node's syslog clock runs at that offset: one hint per file.
    private mutating func reportOffset(_ reading: RFC3339.Reading, _ facts: RecordFacts, into output: inout ParseOutput) {
        guard !offsetReported, let offset = reading.offsetSeconds, let instant = reading.instant,
              case .civil(let prefix)? = facts.time?.time,
              let local = prefix.instant(offsetSeconds: offset, year: reading.civil.year),
              abs(local.interval(since: instant)) <= 120
        else { return }
        offsetReported = true
        output.clockHints.append(.utcOffset(
            seconds: offset, node: facts.host ?? context.nodeHint,
            origin: "runtime time= zone matches the log prefix clock at \(context.location(facts.line).description)"))
    }

    // MARK: - Helpers

    private func make(
        _ kind: ObservationKind, _ source: EvidenceSource, _ facts: RecordFacts, time: TimeReading?
    ) -> Observation {
        var o = Observation(kind: kind, source: source, location: context.location(facts.line), time: time,
                            summary: "")
        o.node = facts.host ?? context.nodeHint
        return o
    }

    private static func find(_ needle: StaticString, in b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Int? {
        guard let at = b.firstIndex(of: needle, from: r.lowerBound),
              at + needle.utf8CodeUnitCount <= r.upperBound
        else { return nil }
        return at
    }

    private static func intAfter(_ label: StaticString, _ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Int? {
        guard let at = find(label, in: b, r) else { return nil }
        let start = at + label.utf8CodeUnitCount
        guard let (value, end) = b.readInt(at: start), end <= r.upperBound else { return nil }
        return Int(value)
    }

    /// The first run of exactly 64 hex digits at or after `from` inside `r`, lower-cased.
    static func firstHexID(_ b: UnsafeRawBufferPointer, from: Int, in r: Range<Int>) -> String? {
        var i = Swift.max(from, r.lowerBound)
        while i < r.upperBound {
            guard b[i].isHexDigit else { i += 1; continue }
            var end = i
            while end < r.upperBound, b[end].isHexDigit { end += 1 }
            if end - i == 64 { return b.string(i..<end).lowercased() }
            i = end
        }
        return nil
    }

    /// The message text with `\"` and `\\` unescaped, at most 512 bytes.
    private static func readable(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(Swift.min(r.count, 512))
        var i = r.lowerBound
        while i < r.upperBound, out.count < 512 {
            if b[i] == .backslash, i + 1 < r.upperBound, b[i + 1] == .quote || b[i + 1] == .backslash {
                i += 1
            }
            out.append(b[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func short(_ id: String?) -> String {
        id.map { String($0.prefix(12)) } ?? "?"
    }

    private static func name(_ source: EvidenceSource) -> String {
        switch source {
        case .crio: return "CRI-O"
        case .docker: return "dockerd"
        default: return "containerd"
        }
    }
}

/// What a log record's prefix said, kept while a wrapped message is joined.
private struct RecordFacts {
    var line: Int
    var time: TimeReading?
    var host: String?
    var program: String?
}
