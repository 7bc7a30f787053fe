/// Hands node-log records to the kernel, kubelet, runtime and systemd message parsers by program name,
/// and gathers the clock hints and boot markers the records carry.
///
/// Shared by `NodeLogParser` (text logs) and `JournalJSONParser` (`journalctl -o json`). Routing:
///
///     kernel: …                                   → KernelOOMParser
///     kubelet[2291]: / k3s[3814777]: / microk8s.daemon-kubelite[24749]: / rke2-agent / hyperkube …
///                                                 → KubeletMessageParser
///     containerd[2388]: / crio / dockerd / docker → RuntimeMessageParser
///     systemd[1]: …                               → SystemdMessageParser
///     no program (bare dmesg, klog or logrus files) → by the file's kind
///
/// Callers ask `needsRecord` before building a `LogRecord`, so lines no parser wants cost no strings.
struct LogRecordDispatcher {
    /// Where a record goes.
    enum Route: Equatable {
        case kernel, kubelet, runtime, systemd
        /// A journal text marker (`-- Boot … --`).
        case marker
        /// No parser reads this program's lines.
        case none
    }

    let context: ParseContext
    private(set) var kernel: KernelOOMParser
    private var kubelet: KubeletMessageParser
    private var runtime: RuntimeMessageParser
    private var systemd: SystemdMessageParser

    private var lastProgram: String?
    private var lastRoute: Route
    private let unprefixedRoute: Route
    private let unknownProgramRoute: Route

    private var newestInstant: Instant?
    private var clockHints = 0
    private var lastImpliedBoot: Double?
    /// Up to this many wall-clock/uptime hints per file (one more each time the implied boot moves).
    static let maxClockHints = 16

    private var pendingBoot: (line: Int, text: String, id: String?)?

    init(context: ParseContext) {
        self.context = context
        kernel = KernelOOMParser(context: context)
        kubelet = KubeletMessageParser(context: context)
        runtime = RuntimeMessageParser(context: context)
        systemd = SystemdMessageParser(context: context)
        switch context.kind {
        case .dmesg, .nodeLog: unprefixedRoute = .kernel
        case .kubeletLog: unprefixedRoute = .kubelet
        case .containerdLog, .crioLog: unprefixedRoute = .runtime
        default: unprefixedRoute = .none
        }
        switch context.kind {
        case .kubeletLog: unknownProgramRoute = .kubelet
        case .containerdLog, .crioLog: unknownProgramRoute = .runtime
        default: unknownProgramRoute = .none
        }
        lastRoute = unprefixedRoute
    }

    /// Words one of which is in every line that any parser reads or that marks a boot, chosen so that
    /// their first three bytes are rare in ordinary log text (the fingerprint `NeedleSet` scans for).
    /// Each message parser's needle contains one of these (`ack-off` holds `k-off`, `containers/exits/`
    /// holds `/exits/`, `memory: usage` holds `y: usage`, …): a test checks it, so a line with none of
    /// them is one no parser reads. The journal's `-- Boot`/`-- Reboot` markers complete the list.
    ///
    /// The buckets are grouped so that the mixes of their fingerprints are rare in node logs: a bucket
    /// takes every mix of its needles' nibbles (`PLEG` with `Out of memory` took `ONC` of `RECONCILE`,
    /// in every `SyncLoop RECONCILE` line). This grouping was searched for on the generated benchmark
    /// logs and on ordinary text (licences, dpkg and apt logs, the reference notes): 2.5 and 160
    /// positions a MB that fit a fingerprint without a needle, against 1,190 and 3,180 before.
    static let sieve = NeedleSet(groups: [
        ["Memory cgroup ", "Mem-Info:", "y: usage"], ["/exits/", "Linux version ", "Out of memory", "Kill"],
        ["oom", "nhealthy", "OOM", "kOff"], ["-- Boot ", "k-off", "-- Reboot"], ["Insufficient", "Task"],
        ["vict", "-killer: "], ["be f"], ["t event", "PLEG"],
    ])

    /// The needles of every message parser the dispatcher routes to, and the boot markers: what `sieve`
    /// must cover.
    static let parserNeedles: [[UInt8]] = KernelOOMParser.needles.needles + KubeletMessageParser.needles.needles
        + RuntimeMessageParser.needles.needles + SystemdMessageParser.needles.needles
        + [Array("-- Boot ".utf8), Array("-- Reboot".utf8)]

    /// True while some line must be read whatever it says: a kernel report or a wrapped runtime
    /// message is open, or a boot marker waits for the next record's time.
    var isMidRecord: Bool {
        pendingBoot != nil || kernel.isMidRecord || runtime.isMidRecord || kubelet.isMidRecord || systemd.isMidRecord
    }

    /// The parser for a program name (lower-cased), nil when the program is not one we read.
    static func route(forProgram program: String) -> Route? {
        switch program {
        case "kernel": return .kernel
        case "kubelet", "k3s", "kubelite", "microk8s.daemon-kubelite", "kubenswrapper", "rke2-agent", "rke2-server",
             "hyperkube":
            return .kubelet
        case "containerd", "crio", "dockerd", "docker", "dockerd-current": return .runtime
        case "systemd": return .systemd
        case LinePrefixParser.journalMarkerProgram: return .marker
        default: return nil
        }
    }

    /// The route for a record's program (cached for runs of the same program).
    mutating func route(program: String?) -> Route {
        guard let program else { return unprefixedRoute }
        if let lastProgram, lastProgram == program { return lastRoute }
        let route = Self.route(forProgram: program) ?? unknownProgramRoute
        lastProgram = program
        lastRoute = route
        return route
    }

    /// Whether a record must be built for this line: a parser may want it, or a boot marker waits for a time.
    func needsRecord(route: Route, message: UnsafeRawBufferPointer, isContinuation: Bool, hasTime: Bool) -> Bool {
        if pendingBoot != nil, hasTime { return true }
        switch route {
        case .none: return false
        case .kernel: return kernel.wants(message, isContinuation: isContinuation)
        default: return true
        }
    }

    /// Routes one record.
    mutating func dispatch(_ record: LogRecord, route: Route, into output: inout ParseOutput) {
        if route == .marker {
            marker(record)
            return
        }
        if let boot = pendingBoot, let time = record.time {
            pendingBoot = nil
            output.observations.append(bootObservation(boot, time: time, node: record.host))
        }
        switch route {
        case .kernel: kernel.parse(record, into: &output)
        case .kubelet: kubelet.parse(record, into: &output)
        case .runtime: runtime.parse(record, into: &output)
        case .systemd: systemd.parse(record, into: &output)
        case .marker, .none: break
        }
    }

    /// A boot seen some other way (a new `_BOOT_ID` in journal JSON): reported with the next timed record.
    mutating func markBoot(line: Int, text: String, id: String?) {
        pendingBoot = (line, text, id)
    }

    /// `-- Boot 0c5a3e0f… --` and `-- Reboot --` start a boot; other markers are ignored.
    private mutating func marker(_ record: LogRecord) {
        let m = record.message
        if m.hasPrefix("-- Boot ") {
            let end = m.endOfToken(from: 8)
            markBoot(line: record.line, text: m.string(m.trimmedRange()), id: end > 8 ? m.string(8..<end) : nil)
        } else if m.hasPrefix("-- Reboot --") {
            markBoot(line: record.line, text: "-- Reboot --", id: nil)
        }
    }

    private func bootObservation(_ boot: (line: Int, text: String, id: String?), time: TimeReading?, node: String?) -> Observation {
        var obs = Observation(
            kind: .nodeBoot, source: .systemd, location: context.location(boot.line), time: time,
            summary: boot.id.map { "The journal starts a new boot (boot id \($0))" } ?? "The journal starts a new boot")
        obs.node = node ?? context.nodeHint
        obs.message = boot.text
        return obs
    }

    /// Notes the clocks of a line: the newest fully dated instant, and wall clock + uptime pairs
    /// (a few per file: again only when the boot time they imply moves by more than 5 s).
    mutating func noteClock(time: SourceTime?, uptime: Double?, host: String?, line: Int, into output: inout ParseOutput) {
        guard let time else { return }
        var wallSeconds: Double?
        switch time {
        case .instant(let instant):
            if newestInstant.map({ instant > $0 }) ?? true { newestInstant = instant }
            wallSeconds = instant.secondsSinceEpoch
        case .civil(let civil):
            wallSeconds = Double(CivilTime.daysFromCivil(year: civil.year ?? 2001, month: civil.month, day: civil.day) * 86_400)
                + Double(civil.hour * 3600 + civil.minute * 60 + civil.second)
        default:
            break
        }
        guard let uptime, let wallSeconds, clockHints < Self.maxClockHints else { return }
        let implied = wallSeconds - uptime
        if let last = lastImpliedBoot, abs(implied - last) <= 5 { return }
        lastImpliedBoot = implied
        clockHints += 1
        let node = host ?? context.nodeHint
        switch time {
        case .instant(let instant):
            output.clockHints.append(.bootTime(
                node: node, instant.adding(seconds: -uptime), origin: "\(context.path):\(line) wall clock minus uptime"))
        case .civil(let civil):
            output.clockHints.append(.wallAndUptime(node: node, wall: civil, uptimeSeconds: uptime, file: context.path))
        default:
            break
        }
    }

    mutating func finish(into output: inout ParseOutput) {
        if let boot = pendingBoot {
            pendingBoot = nil
            output.observations.append(bootObservation(boot, time: nil, node: nil))
        }
        kernel.finish(into: &output)
        kubelet.finish(into: &output)
        runtime.finish(into: &output)
        systemd.finish(into: &output)
        if let newestInstant { output.clockHints.append(.datedRecord(newestInstant)) }
    }
}
