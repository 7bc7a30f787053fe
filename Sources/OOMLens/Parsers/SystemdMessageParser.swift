/// Reads systemd's messages about units whose processes the kernel OOM killer killed: container
/// scopes (`cri-containerd-<id>.scope`, `docker-<id>.scope`, `crio-<id>.scope`), pod slices and node
/// daemons (`kubelet.service`, `containerd.service`, …).
///
/// Real input (syslog/journal prefix shown; the parser receives the body after it):
/// ```
/// Oct 12 19:00:20 aks-nodepool1-24207654-vmss000001 systemd[1]: cri-containerd-25a38b5b8d556d7983d975577f5ac75ebbcfb4b269e6deaa0a0440c1ffc969ca.scope: A process of this unit has been killed by the OOM killer.
/// Oct 08 21:40:33 cqeunxhpza systemd[1]: test-oom-mem.service: Failed with result 'oom-kill'.
/// May 24 19:40:40 systemd[1879]: notice-bot.service: The kernel OOM killer killed some processes in this unit.
/// ```
/// Each becomes a `systemdOOMKill` observation; the unit name is kept in `message`, and a container
/// scope's id in `containerID`. `Failed with result 'oom-kill'` lines carry `reason = "oom-kill"`.
public struct SystemdMessageParser: MessageParser {
    private let context: ParseContext

    /// What a message the parser reads contains.
    public static let needles = NeedleSet(["OOM killer", "oom-kill"])

    public var isMidRecord: Bool { false }

    public init(context: ParseContext) {
        self.context = context
    }

    public mutating func parse(_ record: LogRecord, into output: inout ParseOutput) {
        let b = record.message
        guard Self.needles.occurs(in: b) else { return }
        guard let colon = b.firstIndex(of: ": "), colon > 0 else { return }
        let unit = 0..<colon
        // A unit name is one token.
        for i in unit where b[i].isSpaceOrTab || b[i] < 0x20 { return }
        let rest = colon + 2
        let failed: Bool
        if b.matches("A process of this unit has been killed by the OOM killer", at: rest)
            || b.matches("The kernel OOM killer killed some processes in this unit", at: rest)
        {
            failed = false
        } else if b.matches("Failed with result 'oom-kill'", at: rest) {
            failed = true
        } else {
            return
        }
        let unitName = b.string(unit)
        var o = Observation(kind: .systemdOOMKill, source: .systemd, location: context.location(record.line),
                            time: record.time, summary: "")
        o.node = record.host ?? context.nodeHint
        o.containerID = Self.containerID(b, unit)
        o.podUID = Self.podUID(b, unit)
        o.message = b.string(b.trimmedRange(0..<b.count))
        if failed {
            o.reason = "oom-kill"
            o.summary = "systemd: unit \(unitName) failed with result 'oom-kill'"
        } else {
            o.summary = "systemd: the OOM killer killed a process of unit \(unitName)"
        }
        output.observations.append(o)
    }

    public mutating func finish(into output: inout ParseOutput) {}

    /// The container id of a runtime scope: `cri-containerd-<id>.scope`, `docker-<id>.scope`,
    /// `crio-<id>.scope` (not `crio-conmon-<id>.scope`, the monitor's own scope).
    static func containerID(_ b: UnsafeRawBufferPointer, _ unit: Range<Int>) -> String? {
        guard unit.count > 6, b.matches(".scope", at: unit.upperBound - 6) else { return nil }
        let end = unit.upperBound - 6
        let start: Int
        if b.matches("cri-containerd-", at: unit.lowerBound) {
            start = unit.lowerBound + 15
        } else if b.matches("docker-", at: unit.lowerBound) {
            start = unit.lowerBound + 7
        } else if b.matches("crio-", at: unit.lowerBound), !b.matches("crio-conmon-", at: unit.lowerBound) {
            start = unit.lowerBound + 5
        } else {
            return nil
        }
        guard end - start == 64 else { return nil }
        for i in start..<end where !b[i].isHexDigit { return nil }
        return b.string(start..<end).lowercased()
    }

    /// The pod UID of a pod slice, `kubepods-burstable-pod5931aa75_4603_4e65_b552_7c71cf55cfb5.slice`.
    static func podUID(_ b: UnsafeRawBufferPointer, _ unit: Range<Int>) -> String? {
        guard unit.count > 6, b.matches(".slice", at: unit.upperBound - 6), b.matches("kubepods", at: unit.lowerBound),
              let pod = b.firstIndex(of: "-pod", from: unit.lowerBound), pod < unit.upperBound
        else { return nil }
        let start = pod + 4
        let end = unit.upperBound - 6
        guard end - start == 36 || end - start == 32 else { return nil }
        var uid = ""
        for i in start..<end {
            let c = b[i]
            if c == .underscore || c == .dash {
                uid.append("-")
            } else if c.isHexDigit {
                uid.unicodeScalars.append(Unicode.Scalar(c))
            } else {
                return nil
            }
        }
        return uid.lowercased()
    }
}
