/// Joins the observations of the same real event into one incident.
///
/// The passes run in this order, each for a reason:
/// 1. `mergeFacts` — pods and nodes can be described twice (JSON and `kubectl describe`); every later
///    pass looks identities up in the merged facts.
/// 2. `resolveTimes` — every join below compares times.
/// 3. `fillIdentities` — container ids and pod UIDs from cgroup paths and runtime lines become
///    namespace/pod/container, so kernel and API records can meet.
/// 4. `correctNodeClocks` — needs identities and times: compares kernel kill times with the API's
///    `finishedAt` for the same container and, when the difference is consistent, shifts that node's
///    zone-less times (a node log in local time read as UTC). Times are re-resolved after it.
/// 5. `kernelKills` — the same block copied in syslog, journal and dmesg becomes one incident; the
///    kernel record is the strongest evidence, so it anchors.
/// 6. `attachToKills` — runtime, systemd, kubelet, pod-status and event records join a kernel incident
///    by container id first, then pod UID, then node + pid, then namespace/pod/container + time.
/// 7. `apiOnlyOOMKills` — OOM evidence left over (no kernel log in the bundle) still makes incidents.
/// 8. `evictions` — one per eviction, from kubelet lines, events and pod status: a record joins the
///    nearest eviction of its pod name within 15 minutes, unless their records' own pod UIDs differ or
///    it is the kubelet's same line again more than a minute later (a pod recreated under its name).
/// 9. `nodeReboots` — before generic restarts, because a reboot ends many containers at once and
///    those terminations must not become one "crash" each.
/// 10. `restarts` — remaining terminations, with the cause taken from a liveness failure or kill
///     record before them (a probe tests one run of a container, so it explains the first end after it).
/// 11. `attachContext` — probe failures, kills and an application's own out-of-memory error join the
///     end after them, back-offs and starts the end before them, exits the nearest end, pressure records
///     the nearest eviction after them.
public struct Correlator {
    private var observations: [Observation]
    private var times: [ResolvedTime?] = []
    /// Whether each observation's pod UID came with its record, not from the pod of that name
    /// `fillIdentities` found: a pod recreated under its name (a StatefulSet's `prometheus-0`) lends
    /// its UID to the records of the pods before it.
    private var podUIDGiven: [Bool] = []
    private var owner: [Int?] = []
    private var incidents: [Incident] = []
    /// Whether each incident holds a kernel kill among its observations (whose time it then keeps).
    private var holdsKernelKill: [Bool] = []
    /// The kill incidents by container id and time, for `bestKill`.
    private var killsByContainer = ContainerKills()
    private var pods: [PodFacts] = []
    private var nodes: [NodeFacts] = []
    private var clock: Clock
    private var index = IdentityIndex(pods: [], digests: PodDigests(), byPodName: DigestTable())
    /// The incidents by the keys their observations carried, so that each pass asks only those that
    /// could match: asking every incident made correlation grow with incidents × observations.
    private var lookup = IncidentIndex()

    /// Seconds within which a kernel kill and the API's `finishedAt` for the same container are one event.
    static let apiWindow = 180.0
    /// Seconds within which copies of one kernel record (syslog, journal, dmesg) are one record.
    static let copyWindow = 2.0

    public static func build(_ output: ParseOutput, clock: Clock) -> Timeline {
        var correlator = Correlator(observations: output.observations, clock: clock)
        correlator.mergeFacts(output.pods, digests: output.podDigests, output.nodes)
        correlator.resolveTimes()
        correlator.fillIdentities()
        correlator.correctNodeClocks()
        correlator.kernelKills()
        correlator.attachToKills()
        correlator.apiOnlyOOMKills()
        correlator.evictions()
        correlator.nodeReboots()
        correlator.restarts()
        correlator.attachContext()
        return correlator.finish()
    }

    private init(observations: [Observation], clock: Clock) {
        self.observations = observations
        self.clock = clock
        self.owner = Array(repeating: nil, count: observations.count)
    }

    // MARK: 1. Facts

    /// `digests` are those of `podFacts` when the parsers worked them out (nil otherwise).
    private mutating func mergeFacts(_ podFacts: [PodFacts], digests known: PodDigests?, _ nodeFacts: [NodeFacts]) {
        // Positions in `pods` by the digest of namespace and name (no `String` kept or hashed per pod):
        // two pods sharing one are (nearly always) one pod seen in several files, merged below into its
        // first. The identity index keeps this table rather than building its own.
        var digests = known.flatMap { $0.pods.count == podFacts.count ? $0 : nil } ?? PodDigests(of: podFacts)
        var (positions, shared) = IdentityIndex.positions(digests)
        // Most bundles name each pod once: then `pods` shares the parsers' array instead of copying it.
        let needsMerge = shared || podFacts.contains { $0.name.isEmpty }
        pods = needsMerge ? [] : podFacts
        var byKey: [IdentityIndex.PodKey: Int] = [:]
        for pod in podFacts where needsMerge && !pod.name.isEmpty {
            let key = IdentityIndex.PodKey(namespace: pod.namespace, name: pod.name)
            guard let position = byKey[key] else {
                byKey[key] = pods.count
                pods.append(pod)
                continue
            }
            var existing = pods[position]
            existing.uid = existing.uid ?? pod.uid
            existing.node = existing.node ?? pod.node
            existing.qosClass = existing.qosClass ?? pod.qosClass
            existing.priorityClass = existing.priorityClass ?? pod.priorityClass
            existing.ownerKind = existing.ownerKind ?? pod.ownerKind
            existing.ownerName = existing.ownerName ?? pod.ownerName
            existing.phase = existing.phase ?? pod.phase
            existing.reason = existing.reason ?? pod.reason
            existing.message = existing.message ?? pod.message
            existing.configHash = existing.configHash ?? pod.configHash
            for container in pod.containers {
                if let i = existing.containers.firstIndex(where: { $0.name == container.name && $0.isInit == container.isInit }) {
                    var c = existing.containers[i]
                    c.memoryLimitBytes = c.memoryLimitBytes ?? container.memoryLimitBytes
                    c.memoryRequestBytes = c.memoryRequestBytes ?? container.memoryRequestBytes
                    c.image = c.image ?? container.image
                    c.containerID = c.containerID ?? container.containerID
                    c.lastContainerID = c.lastContainerID ?? container.lastContainerID
                    c.restartCount = Swift.max(c.restartCount ?? 0, container.restartCount ?? 0)
                    c.state = c.state ?? container.state
                    existing.containers[i] = c
                } else {
                    existing.containers.append(container)
                }
            }
            pods[position] = existing
        }
        var nodeOrder: [String] = []
        var nodesByName: [String: NodeFacts] = [:]
        for node in nodeFacts {
            guard var existing = nodesByName[node.name] else {
                nodesByName[node.name] = node
                nodeOrder.append(node.name)
                continue
            }
            existing.labels.merge(node.labels) { a, _ in a }
            existing.conditions.merge(node.conditions) { a, _ in a }
            existing.capacityMemoryBytes = existing.capacityMemoryBytes ?? node.capacityMemoryBytes
            existing.allocatableMemoryBytes = existing.allocatableMemoryBytes ?? node.allocatableMemoryBytes
            existing.podsMemoryLimitsBytes = existing.podsMemoryLimitsBytes ?? node.podsMemoryLimitsBytes
            existing.podsMemoryRequestsBytes = existing.podsMemoryRequestsBytes ?? node.podsMemoryRequestsBytes
            nodesByName[node.name] = existing
        }
        nodes = nodeOrder.compactMap { nodesByName[$0] }
        if needsMerge {
            // Merged pods took ids and UIDs from each other: their digests are worked out from the merged ones.
            digests = PodDigests(of: pods)
            positions = IdentityIndex.positions(digests).table
        }
        index = IdentityIndex(pods: pods, digests: digests, byPodName: positions)
    }

    // MARK: 2. Times

    private mutating func resolveTimes() {
        times = observations.map { o in
            o.time.flatMap { clock.resolve($0.time, node: o.node, file: o.location.file) }
        }
    }

    // MARK: 3. Identities

    private mutating func fillIdentities() {
        podUIDGiven = observations.map { $0.podUID.map { !$0.isEmpty } ?? false }
        for i in observations.indices {
            var o = observations[i]
            // Sources that do not know a field sometimes write it empty.
            if o.namespace == "" { o.namespace = nil }
            if o.pod == "" { o.pod = nil }
            if o.container == "" { o.container = nil }
            if o.node == "" { o.node = nil }
            if let id = o.containerID, let who = index.container(id) {
                o.namespace = o.namespace ?? who.namespace
                o.pod = o.pod ?? who.pod
                o.container = o.container ?? who.container
                o.node = o.node ?? who.node
            }
            if o.pod == nil, let uid = o.podUID, let who = index.pod(uid: uid) {
                o.namespace = o.namespace ?? who.namespace
                o.pod = who.pod
                o.node = o.node ?? who.node
            }
            if o.node == nil, let facts = index.facts(namespace: o.namespace ?? "", pod: o.pod ?? "") {
                o.node = facts.node
            }
            if o.podUID == nil, let facts = index.facts(namespace: o.namespace ?? "", pod: o.pod ?? "") {
                o.podUID = facts.uid
            }
            observations[i] = o
        }
    }

    // MARK: 4. Node clocks

    private mutating func correctNodeClocks() {
        var deltas: [String: [Double]] = [:]
        var terminations: [String: [Int]] = [:]
        for a in observations.indices where observations[a].kind == .containerTerminated {
            if let id = observations[a].containerID { terminations[id, default: []].append(a) }
        }
        for k in observations.indices where observations[k].kind == .kernelOOMKill {
            guard let node = observations[k].node, let kernelTime = times[k], let id = observations[k].containerID,
                  case .civil = observations[k].time?.time
            else { continue }
            for a in terminations[id] ?? [] {
                guard let apiTime = times[a], case .instant = observations[a].time?.time else { continue }
                deltas[node, default: []].append(apiTime.instant.interval(since: kernelTime.instant))
            }
        }
        var changed = false
        for (node, values) in deltas.sorted(by: { $0.key < $1.key }) {
            let sorted = values.sorted()
            let median = sorted[sorted.count / 2]
            let consistent = sorted.allSatisfy { abs($0 - median) < 5 }
            // Round to a whole quarter hour: zone offsets are multiples of 15 minutes.
            let offset = (median / 900).rounded() * 900
            if consistent, abs(offset) >= 900 {
                clock.nodeCorrections[node] = offset
                clock.note("Node \(node): its log times differ from the API's by \(Int(offset)) s across \(values.count) kill(s); its zone-less times were shifted by that much (inferred).")
                changed = true
            } else if abs(median) >= 5 {
                clock.note("Node \(node): its log clock and the API's times differ by \(Int(median.rounded())) s (median of \(values.count)); not applied\(consistent ? "" : ", the differences vary").")
            }
        }
        if changed { resolveTimes() }
    }

    // MARK: 5–6. Kernel kills

    private mutating func kernelKills() {
        let kills = observations.indices.filter { observations[$0].kind == .kernelOOMKill }
        // A copy has the same pid and name, within seconds: each kill is compared with the kills
        // placed before it (all of them lower numbers) that could be its copies.
        var placed = KernelKillCopies()
        for k in kills where owner[k] == nil {
            let o = observations[k]
            defer { placed.place(k, pid: o.process?.pid, name: o.process?.name, instant: times[k]?.instant) }
            // A copy of an already-anchored kill: same node, pid and name, within seconds.
            if let existing = placed.firstCopy(pid: o.process?.pid, name: o.process?.name, at: times[k]?.instant,
                                               window: Int64(Self.copyWindow) + 2,  // a second more than the test
                                               isCopy: { isSameKernelRecord($0, k) }),
               let n = owner[existing] {
                add(k, to: n)
                continue
            }
            let constraint = o.kernel?.constraint
            let kind: Incident.Kind = constraint == KernelOOMDetails.Constraint.none ? .nodeOOM : .oomKill
            let n = newIncident(kind)
            incidents[n].constraint = constraint?.rawValue
            incidents[n].limitScope = o.kernel?.limitScope?.rawValue
            incidents[n].qosClass = o.kernel?.qosClass
            add(k, to: n)
        }
    }

    private func isSameKernelRecord(_ a: Int, _ b: Int) -> Bool {
        let x = observations[a], y = observations[b]
        guard x.process?.pid == y.process?.pid, x.process?.name == y.process?.name else { return false }
        if let nx = x.node, let ny = y.node, nx != ny { return false }
        guard let tx = times[a], let ty = times[b] else { return true }
        return abs(tx.instant.interval(since: ty.instant)) <= Self.copyWindow + 1
    }

    private mutating func attachToKills() {
        let kinds: Set<ObservationKind> = [.systemdOOMKill, .runtimeOOM, .runtimeExit, .containerDied,
                                            .containerTerminated, .oomKillingEvent, .systemOOMReported]
        for i in observations.indices where owner[i] == nil && kinds.contains(observations[i].kind) {
            let o = observations[i]
            if o.kind == .containerTerminated, let reason = o.reason, reason != "OOMKilled",
               !(o.exitCode == 137 && reason == "Error") {
                continue
            }
            if let n = bestKill(for: i) { add(i, to: n) }
        }
    }

    /// The kernel incident an observation belongs to, by the strongest key available.
    private func bestKill(for i: Int) -> Int? {
        let o = observations[i]
        func isKill(_ n: Int) -> Bool { incidents[n].kind == .oomKill || incidents[n].kind == .nodeOOM }
        if let id = o.containerID {
            // The one kill of that container, or the nearest in time (`closest` over all of them).
            let (count, kill) = killsByContainer.nearest(id, to: times[i]?.instant)
            if count > 0 { return kill }
        }
        if let pid = o.process?.pid {
            let matches = lookup.candidates(pid: pid).filter {
                isKill($0) && incidents[$0].process?.pid == pid
                    && (o.node == nil || incidents[$0].node == nil || incidents[$0].node == o.node)
            }
            // The same pid and name on the same node is strong even when the time is a coarse
            // kubectl age; the pid alone only within minutes (pids are reused).
            let sameName = matches.filter { o.process?.name != nil && incidents[$0].process?.name == o.process?.name }
            if let best = closest(i, among: sameName, within: 6 * 3600) ?? closest(i, among: matches, within: 600) {
                return best
            }
        }
        if o.kind == .systemdOOMKill || o.kind == .runtimeOOM, o.containerID == nil {
            // A unit or task named without a container id (containerd.service): the kill on its node.
            let isMatch = { (n: Int) in
                isKill(n) && (o.node == nil || self.incidents[n].node == nil || self.incidents[n].node == o.node)
            }
            if let t = times[i] {
                return lookup.nearest(under: lookup.keys(nodeOrNodeless: o.node), to: t.instant, within: 5, where: isMatch)
            }
            return closest(i, among: lookup.candidates(nodeOrNodeless: o.node).filter(isMatch), within: 5)
        }
        if o.kind == .systemOOMReported || o.kind == .oomKillingEvent {
            let isMatch = { (n: Int) in isKill(n) && self.incidents[n].node == o.node }
            if let t = times[i] {
                return lookup.nearest(under: [o.node.map { .node($0) } ?? .nodeless], to: t.instant, within: 120, where: isMatch)
            }
            return closest(i, among: lookup.candidates(node: o.node).filter(isMatch), within: 120)
        }
        if let pod = o.pod {
            let isMatch = { (n: Int) in
                isKill(n) && self.incidents[n].pod == pod && (o.namespace == nil || self.incidents[n].namespace == o.namespace)
                    && (o.container == nil || self.incidents[n].container == nil || self.incidents[n].container == o.container)
            }
            if let t = times[i] {
                return lookup.nearest(under: [.pod(pod)], to: t.instant, within: Self.apiWindow, where: isMatch)
            }
            return closest(i, among: lookup.candidates(pod: pod).filter(isMatch), within: Self.apiWindow)
        }
        return nil
    }

    /// The incident listed under observation `i`'s container id or pod name (or `keys`) for which
    /// `accept` holds whose time is nearest `i`'s (the lowest number among equally near ones): on `side`
    /// of it within `seconds`, or else on the other side within 5 s (records of two clocks).
    private func nearest(
        to i: Int, under keys: [IncidentIndex.Key?]? = nil, _ side: Side, within seconds: Double, where accept: (Int) -> Bool
    ) -> Int? {
        guard let t = times[i]?.instant else { return nil }
        let keys = keys ?? self.keys(i)
        let (before, after) = (t.adding(seconds: side == .after ? -5 : -seconds), t.adding(seconds: side == .before ? 5 : seconds))
        switch side {
        case .after:
            return lookup.nearest(under: keys, to: t, from: t, through: after, where: accept)
                ?? lookup.nearest(under: keys, to: t, from: before, through: t, where: accept)
        case .before:
            return lookup.nearest(under: keys, to: t, from: before, through: t, where: accept)
                ?? lookup.nearest(under: keys, to: t, from: t, through: after, where: accept)
        case .either:
            return lookup.nearest(under: keys, to: t, within: seconds, where: accept)
        }
    }

    /// Where an incident lies from a record: a failed probe comes before the end it explains, a
    /// back-off after it, an exit at it.
    private enum Side { case before, after, either }

    /// Observation `i`'s container id and pod name, as incidents are listed under them.
    private func keys(_ i: Int) -> [IncidentIndex.Key?] {
        [observations[i].containerID.map(IncidentIndex.Key.containerID), observations[i].pod.map(IncidentIndex.Key.pod)]
    }

    /// The incident whose time is nearest to observation `i`'s, within `within` seconds when given.
    private func closest(_ i: Int, among candidates: [Int], within: Double? = nil) -> Int? {
        guard let t = times[i] else { return within == nil ? candidates.first : (candidates.count == 1 ? candidates.first : nil) }
        var best: (Int, Double)?
        for n in candidates {
            guard let it = incidents[n].time else { continue }
            let d = abs(it.instant.interval(since: t.instant))
            if let within, d > within { continue }
            if let current = best, current.1 <= d { continue }
            best = (n, d)
        }
        return best?.0
    }

    // MARK: 7. OOM kills known only from the API or the runtime

    private mutating func apiOnlyOOMKills() {
        for i in observations.indices where owner[i] == nil {
            let o = observations[i]
            let isOOM = (o.kind == .containerTerminated && (o.reason == "OOMKilled" || o.reason == "OOM Killed"))
                || o.kind == .runtimeOOM || o.kind == .systemdOOMKill || o.kind == .oomKillingEvent
                || o.kind == .systemOOMReported
            guard isOOM else { continue }
            if let n = bestKill(for: i) { add(i, to: n); continue }
            let kind: Incident.Kind = o.kind == .systemOOMReported ? .nodeOOM : .oomKill
            let n = newIncident(kind)
            add(i, to: n)
        }
        // Runtime exits and PLEG deaths of the same container join too.
        for i in observations.indices where owner[i] == nil {
            let kind = observations[i].kind
            guard kind == .runtimeExit || kind == .containerDied, observations[i].containerID != nil,
                  let n = bestKill(for: i) else { continue }
            add(i, to: n)
        }
    }

    // MARK: 8. Evictions

    private mutating func evictions() {
        // The pod UID each eviction's own records gave: a pod is evicted once, so two UIDs are two pods.
        var uids: [Int: String] = [:]
        // The first and last time of each kubelet line (by summary) each eviction holds.
        var lines: [Int: [String: (first: Instant, last: Instant)]] = [:]
        for i in observations.indices where owner[i] == nil && observations[i].kind == .podEvicted {
            let o = observations[i]
            let uid = podUIDGiven[i] ? o.podUID : nil
            let n = eviction(of: i, uid: uid, uids: uids, lines: lines) ?? newIncident(.eviction)
            add(i, to: n)
            if let uid, uids[n] == nil { uids[n] = uid }
            if o.source == .kubelet, let t = times[i]?.instant {
                let seen = lines[n]?[o.summary]
                lines[n, default: [:]][o.summary] = (Swift.min(seen?.first ?? t, t), Swift.max(seen?.last ?? t, t))
            }
        }
        // The starved resource, when the eviction record itself does not name it: the kubelet's
        // pressure record on the same node just before.
        var pressures: [String?: TimeOrdered] = [:]  // by node, those with a time (`before` needs one)
        for i in observations.indices where observations[i].kind == .nodePressure && observations[i].resource != nil {
            if let t = times[i] { pressures[observations[i].node, default: TimeOrdered()].insert(i, at: t.instant) }
        }
        for n in incidents.indices where incidents[n].kind == .eviction && incidents[n].resource == nil {
            guard let it = incidents[n].time, let list = pressures[incidents[n].node] else { continue }
            // The last of them (the highest number) just before the eviction.
            var pressure: Int?
            for entry in list.around(it.instant, within: 900) where entry.number > pressure ?? Int.min {
                if before(entry.number, n, 900) { pressure = entry.number }
            }
            if let pressure { incidents[n].resource = observations[pressure].resource }
        }
        // The eviction kills its containers: those terminations belong to the eviction, the nearest
        // within two minutes (a pod recreated under its name can be evicted again within them).
        for i in observations.indices where owner[i] == nil {
            let o = observations[i]
            guard [.containerTerminated, .containerKilled, .containerDied, .runtimeExit].contains(o.kind),
                  let pod = o.pod, let t = times[i] else { continue }  // `within` holds for no record without a time
            if let n = lookup.nearest(under: [.pod(pod)], to: t.instant, within: 120, where: { n in
                incidents[n].kind == .eviction && incidents[n].pod == o.pod && incidents[n].namespace == o.namespace
            }) {
                add(i, to: n)
            }
        }
    }

    /// The eviction record `i` reports: the nearest eviction of its pod within 15 minutes (the event
    /// recording it can come minutes after the kubelet's line), else one without a time; not one whose
    /// records gave another pod UID than `uid`, nor one that already holds the same kubelet line more
    /// than a minute from it. `lines` holds the first and last time of each eviction's kubelet lines.
    ///
    /// The same kubelet line later is another eviction (the kubelet's "pod … is evicted successfully"
    /// for a pod of the same name recreated since), while copies of one line in syslog and journal carry
    /// one time. Only the kubelet's own lines: other records' times can be coarse (a `kubectl` age) or
    /// when they were recorded (an event).
    private func eviction(
        of i: Int, uid: String?, uids: [Int: String], lines: [Int: [String: (first: Instant, last: Instant)]]
    ) -> Int? {
        let o = observations[i]
        guard let pod = o.pod else { return nil }
        let kubeletTime = o.source == .kubelet ? times[i]?.instant : nil
        func repeatsALine(_ n: Int) -> Bool {
            guard let t = kubeletTime, let seen = lines[n]?[o.summary] else { return false }
            return t.interval(since: seen.first) > 60 || seen.last.interval(since: t) > 60
        }
        func isMatch(_ n: Int) -> Bool {
            incidents[n].kind == .eviction && incidents[n].pod == o.pod && incidents[n].namespace == o.namespace
                && within(i, n, 900, unknownMatches: true)
                && (uid == nil || uids[n] == nil || uids[n] == uid) && !repeatsALine(n)
        }
        if let t = times[i], let n = lookup.nearest(under: [.pod(pod)], to: t.instant, within: 900, where: isMatch) {
            return n
        }
        return lookup.candidates(pod: pod).first { (times[i] == nil || incidents[$0].time == nil) && isMatch($0) }
    }

    // MARK: 9. Node reboots

    private mutating func nodeReboots() {
        let candidates = observations.indices.filter { i in
            let o = observations[i]
            guard owner[i] == nil, o.kind == .containerTerminated, times[i] != nil else { return false }
            return o.exitCode == 255 || o.reason == "Unknown" || o.reason == "ContainerStatusUnknown"
        }
        // In time order, so that each looks only at those within its window: reading every candidate
        // for each grew with the square of their number (20,000 pods whose last exit was 255, the
        // code of an application's `exit(-1)`, a minute apart: 2.8 s).
        var byTime = TimeOrdered()
        for i in candidates { if let t = times[i] { byTime.insert(i, at: t.instant) } }
        var used = Set<Int>()
        for i in candidates where !used.contains(i) {
            guard let t = times[i] else { continue }
            let group = byTime.around(t.instant, within: 30).map(\.number).filter { j in
                guard !used.contains(j), let tj = times[j] else { return false }
                let sameNode = observations[j].node == nil || observations[i].node == nil || observations[j].node == observations[i].node
                return sameNode && abs(tj.instant.interval(since: t.instant)) <= 30
            }.sorted()
            let pods = Set(group.map { "\(observations[$0].namespace ?? "")/\(observations[$0].pod ?? "")" })
            guard pods.count >= 3 else { continue }
            let n = newIncident(.restart)
            incidents[n].cause = "node reboot"
            incidents[n].reason = "NodeReboot"
            for j in group { add(j, to: n); used.insert(j) }
            incidents[n].memory = nil
            incidents[n].namespace = nil
            incidents[n].pod = nil
            incidents[n].container = nil
            incidents[n].containerID = nil
            incidents[n].podUID = nil
            incidents[n].exitCode = nil
            incidents[n].node = incidents[n].node ?? group.compactMap { observations[$0].node }.first
            lookup.noteNode(incidents[n].node, of: n)
        }
        // Boot markers join the reboot of their node.
        for i in observations.indices where owner[i] == nil && observations[i].kind == .nodeBoot {
            if let n = incidents.indices.first(where: {
                incidents[$0].cause == "node reboot" && incidents[$0].node == observations[i].node && within(i, $0, 900, unknownMatches: false)
            }) {
                add(i, to: n)
            }
        }
    }

    // MARK: 10. Restarts

    private mutating func restarts() {
        for i in observations.indices where owner[i] == nil {
            let o = observations[i]
            let ended: Bool
            switch o.kind {
            case .containerTerminated: ended = o.container != nil || o.pod != nil
            case .containerDied: ended = (o.exitCode ?? 0) != 0
            default: ended = false
            }
            guard ended else { continue }
            // A termination known only by its age (`kubectl get pods` RESTARTS "4 (27m ago)"), with no
            // reason or exit code, is the same restart as any incident of that pod close to it.
            if o.reason == nil, o.exitCode == nil, o.kind == .containerTerminated,
               let n = nearest(to: i, .either, within: 900, where: { n in
                   sameContainer(i, n) || incidentInvolvesPod(n, namespace: o.namespace, pod: o.pod)
               }) {
                add(i, to: n)
                continue
            }
            // The same restart seen twice (JSON and describe; PLEG and pod status): the nearest, since a
            // crash loop ends the same container several times within two minutes.
            if let n = nearest(to: i, .either, within: 120, where: { n in
                incidents[n].kind == .restart && incidents[n].cause != "node reboot" && sameContainer(i, n)
            }) {
                add(i, to: n)
                continue
            }
            let n = newIncident(.restart)
            add(i, to: n)
        }
        // Causes: a failed liveness probe or a kubelet kill shortly before the exit. A probe tests one run
        // of the container, so it can explain only the first end of that container after it, within ten
        // minutes (or, with none, one up to 5 s before it: two clocks); of several, the first read does.
        var probes: [Int: Int] = [:]  // a restart → its probe
        for i in observations.indices {
            // The kind first, without copying the observation: most are neither kind.
            switch observations[i].kind {
            case .probeFailed:
                guard (observations[i].reason ?? "").lowercased().hasPrefix("liveness") else { continue }
            case .containerKilled:
                guard (observations[i].message ?? "").containsBytes("liveness") else { continue }
            default:
                continue
            }
            guard let n = nearest(to: i, .after, within: 600, where: { sameContainer(i, $0) }),
                  incidents[n].kind == .restart, probes[n] == nil else { continue }
            probes[n] = i
        }
        for n in incidents.indices where incidents[n].kind == .restart && incidents[n].cause == nil {
            let probe = probes[n]
            if let probe {
                incidents[n].cause = "liveness probe failed"
                add(probe, to: n)
            } else if incidents[n].exitCode == 137 {
                incidents[n].cause = "killed (SIGKILL) for an unknown reason"
            } else if let code = incidents[n].exitCode, code != 0 {
                incidents[n].cause = "crash (exit code \(code))"
            } else {
                incidents[n].cause = "unknown"
            }
        }
    }

    // MARK: 11. Context

    private mutating func attachContext() {
        for i in observations.indices where owner[i] == nil {
            let o = observations[i]
            switch o.kind {
            case .probeFailed, .containerKilled, .backOff, .containerDied, .runtimeExit, .containerStarted:
                // The end of that container the record belongs to, within two minutes: a failed probe or
                // a kill comes before its end, a back-off or a start after it, an exit at it. In a crash
                // loop each record lies within two minutes of several ends.
                let n = switch o.kind {
                case .probeFailed, .containerKilled: nearest(to: i, .after, within: 120) { sameContainer(i, $0) }
                // The pod status's "waiting in CrashLoopBackOff" has no time: it follows the latest end.
                case .backOff where times[i] == nil: latestEnd(of: i)
                case .backOff, .containerStarted: nearest(to: i, .before, within: 120) { sameContainer(i, $0) }
                default: nearest(to: i, .either, within: 120) { sameContainer(i, $0) }
                }
                if let n { add(i, to: n) }
            case .nodePressure:
                // The eviction it led to: the nearest after it on its node, within five minutes.
                let isEviction = { (n: Int) in self.incidents[n].kind == .eviction && self.incidents[n].node == o.node }
                if let n = nearest(to: i, under: [o.node.map { .node($0) } ?? .nodeless], .after, within: 300, where: isEviction) {
                    add(i, to: n)
                }
            case .applicationOOM:
                // With a time: the end of that container within minutes after it (in a crash loop there
                // are several). Without (a `-previous` log without stamps): the latest end of that
                // container, which is what the previous log precedes.
                let isEnd = { (n: Int) in
                    (self.incidents[n].kind == .oomKill || self.incidents[n].kind == .restart) && self.sameContainer(i, n)
                }
                let n = times[i] == nil ? latestEnd(of: i) : nearest(to: i, .after, within: 300, where: isEnd)
                if let n {
                    add(i, to: n)
                    if incidents[n].kind == .restart, incidents[n].cause?.hasPrefix("liveness") != true {
                        incidents[n].cause = "application out of memory (\(o.reason ?? "its own error"))"
                    }
                }
            default:
                break
            }
        }
    }

    // MARK: Helpers

    /// The latest end (OOM kill or restart) of observation `i`'s container: what a record without a
    /// time that follows an end (a `-previous` log, a pod status in back-off) belongs to.
    private func latestEnd(of i: Int) -> Int? {
        let o = observations[i]
        return lookup.candidates(containerID: o.containerID, pod: o.pod).filter { n in
            (incidents[n].kind == .oomKill || incidents[n].kind == .restart) && sameContainer(i, n)
        }.max { (incidents[$0].time?.instant ?? Instant(seconds: 0)) < (incidents[$1].time?.instant ?? Instant(seconds: 0)) }
    }

    /// Reads the fields it compares in place: copying the whole observation and incident cost most of
    /// the restarts pass, which asks this of every observation for every restart.
    private func sameContainer(_ i: Int, _ n: Int) -> Bool {
        if let id = observations[i].containerID, let other = incidents[n].containerID { return id == other }
        guard let pod = observations[i].pod, pod == incidents[n].pod else { return false }
        let namespace = observations[i].namespace, otherNamespace = incidents[n].namespace
        guard namespace == nil || otherNamespace == nil || namespace == otherNamespace else { return false }
        let container = observations[i].container, otherContainer = incidents[n].container
        return container == nil || otherContainer == nil || container == otherContainer
    }

    /// Whether incident `n` is about that pod, directly or through its evidence (node reboots).
    private func incidentInvolvesPod(_ n: Int, namespace: String?, pod: String?) -> Bool {
        guard let pod else { return false }
        if incidents[n].pod == pod { return namespace == nil || incidents[n].namespace == nil || incidents[n].namespace == namespace }
        return incidents[n].observationIndices.contains { j in
            observations[j].pod == pod && (namespace == nil || observations[j].namespace == namespace)
        }
    }

    private func within(_ i: Int, _ n: Int, _ seconds: Double, unknownMatches: Bool) -> Bool {
        guard let t = times[i], let it = incidents[n].time else { return unknownMatches }
        return abs(t.instant.interval(since: it.instant)) <= seconds
    }

    /// Observation `i` happened at most `seconds` before incident `n` (or up to 5 s after).
    private func before(_ i: Int, _ n: Int, _ seconds: Double) -> Bool {
        guard let t = times[i], let it = incidents[n].time else { return false }
        let d = it.instant.interval(since: t.instant)
        return d >= -5 && d <= seconds
    }

    private mutating func newIncident(_ kind: Incident.Kind) -> Int {
        incidents.append(Incident(id: "pending-\(incidents.count)", kind: kind))
        holdsKernelKill.append(false)
        lookup.created(incidents.count - 1)
        return incidents.count - 1
    }

    /// Adds observation `i` to incident `n`, filling what the incident does not know yet.
    /// The first source to give a field wins, except the time: the kernel's kill moment is preferred.
    private mutating func add(_ i: Int, to n: Int) {
        let o = observations[i]
        owner[i] = n
        var inc = incidents[n]
        let known = inc.containerID.map { (id: $0, instant: inc.time?.instant) }
        // Its arrays taken out of the array of incidents, so that the appends below do not copy them:
        // adding to an incident grew with its evidence (15,000 copies of one kernel kill, quadratic).
        incidents[n].observationIndices = []
        incidents[n].evidence = []
        inc.observationIndices.append(i)
        inc.evidence.append(Incident.Evidence(file: o.location.file, line: o.location.line, source: o.source,
                                              timeText: o.time?.text, summary: o.summary))
        let preferTime = o.kind == .kernelOOMKill || o.kind == .podEvicted && o.source == .kubelet
        if let t = times[i], inc.time == nil || preferTime && !holdsKernelKill[n] {
            inc.time = t
        }
        if o.kind == .kernelOOMKill { holdsKernelKill[n] = true }
        inc.node = inc.node ?? o.node
        lookup.noted(o, in: n, node: inc.node, time: inc.time?.instant)
        guard inc.cause != "node reboot" else {
            incidents[n] = inc  // a node event: no one container's identity or figures
            return
        }
        inc.namespace = inc.namespace ?? o.namespace
        inc.pod = inc.pod ?? o.pod
        inc.container = inc.container ?? o.container
        inc.podUID = inc.podUID ?? o.podUID
        inc.containerID = inc.containerID ?? o.containerID
        inc.process = inc.process ?? o.process
        if let memory = o.memory, !memory.isEmpty {
            var m = inc.memory ?? MemoryFigures()
            m.limitBytes = m.limitBytes ?? memory.limitBytes
            m.usageBytes = m.usageBytes ?? memory.usageBytes
            m.anonRSSBytes = m.anonRSSBytes ?? memory.anonRSSBytes
            m.fileRSSBytes = m.fileRSSBytes ?? memory.fileRSSBytes
            m.shmemRSSBytes = m.shmemRSSBytes ?? memory.shmemRSSBytes
            m.requestBytes = m.requestBytes ?? memory.requestBytes
            m.failCount = m.failCount ?? memory.failCount
            inc.memory = m
        }
        if o.kind == .containerTerminated || o.kind == .containerDied || o.kind == .runtimeExit {
            inc.exitCode = inc.exitCode ?? o.exitCode
        }
        if o.kind == .containerTerminated || o.kind == .podEvicted {
            inc.reason = inc.reason ?? o.reason
        }
        if o.kind == .podEvicted || o.kind == .nodePressure {
            inc.resource = inc.resource ?? o.resource
        }
        if inc.constraint == nil, let constraint = o.kernel?.constraint { inc.constraint = constraint.rawValue }
        if inc.kind == .oomKill || inc.kind == .nodeOOM, let id = inc.containerID,
           known?.id != id || known?.instant != inc.time?.instant {
            killsByContainer.note(n, id: id, instant: inc.time?.instant, known: known)
        }
        incidents[n] = inc
    }

    // MARK: Finish

    private mutating func finish() -> Timeline {
        // Facts the API knew: workload, QoS, the container's limit and request.
        for n in incidents.indices {
            var inc = incidents[n]
            if let pod = index.facts(namespace: inc.namespace ?? "", pod: inc.pod ?? "") {
                if let kind = pod.ownerKind, let name = pod.ownerName {
                    inc.workload = Self.workload(kind: kind, name: name)
                }
                inc.qosClass = inc.qosClass ?? pod.qosClass
                inc.node = inc.node ?? pod.node
                inc.podUID = inc.podUID ?? pod.uid
                let regular = pod.containers.filter { !$0.isInit }
                if inc.container == nil, inc.cause != "node reboot", regular.count == 1 {
                    inc.container = regular[0].name  // the pod's only container
                }
                if let c = pod.containers.first(where: { $0.name == inc.container }) {
                    var m = inc.memory ?? MemoryFigures()
                    if inc.kind != .nodeOOM, inc.limitScope != "pod" { m.limitBytes = m.limitBytes ?? c.memoryLimitBytes }
                    m.requestBytes = m.requestBytes ?? c.memoryRequestBytes
                    if !m.isEmpty { inc.memory = m }
                }
            }
            if inc.kind == .oomKill, inc.reason == nil { inc.reason = "OOMKilled" }
            if inc.kind == .oomKill || inc.kind == .nodeOOM, inc.exitCode == nil,
               inc.observationIndices.contains(where: { observations[$0].kind == .containerTerminated }) == false {
                // The kernel's SIGKILL: exit code 137 for the container's main process.
                if inc.container != nil { inc.exitCode = 137 }
            }
            // Lifetime: how long the container ran, from a terminated record's startedAt.
            if let end = inc.time?.instant {
                for i in inc.observationIndices {
                    let o = observations[i]
                    guard let started = o.startedAt,
                          let start = clock.resolve(started.time, node: o.node, file: o.location.file) else { continue }
                    let life = end.interval(since: start.instant)
                    if life >= 0 { inc.lifetimeSeconds = life; break }
                }
            }
            incidents[n] = inc
        }
        // Order by time (unknown last), then number.
        let order = incidents.indices.sorted { a, b in
            switch (incidents[a].time, incidents[b].time) {
            case let (x?, y?) where x.instant != y.instant: return x.instant < y.instant
            case (.some, nil): return true
            case (nil, .some): return false
            default: return a < b
            }
        }
        var renumber: [Int: String] = [:]
        var sorted: [Incident] = []
        for (k, n) in order.enumerated() {
            var inc = incidents[n]
            inc.id = "inc-\(k + 1)"
            inc.evidence.sort { ($0.file, $0.line ?? 0) < ($1.file, $1.line ?? 0) }
            renumber[n] = inc.id
            sorted.append(inc)
        }
        return Timeline(observations: observations, times: times, incidentIDs: owner.map { $0.flatMap { renumber[$0] } },
                        incidents: sorted, pods: pods, nodes: nodes, clock: clock)
    }

    /// `ReplicaSet/web-5d9f8c7b6` → `Deployment/web`: the hash suffix of a ReplicaSet names its Deployment.
    static func workload(kind: String, name: String) -> String {
        if let bytes = asciiBytes(name) { return workload(kind: kind, name: name, ascii: bytes) }
        if kind == "ReplicaSet", let dash = name.lastIndex(of: "-") {
            let suffix = name[name.index(after: dash)...]
            if suffix.count >= 5, suffix.count <= 10, suffix.allSatisfy({ $0.isLetter || $0.isNumber }) {
                return "Deployment/\(name[..<dash])"
            }
        }
        if kind == "Job", let dash = name.lastIndex(of: "-"), name[name.index(after: dash)...].allSatisfy(\.isNumber) {
            return "CronJob/\(name[..<dash])"
        }
        return "\(kind)/\(name)"
    }

    /// `workload(kind:name:)` for a name whose every Character is one ASCII byte (`bytes` is its UTF-8):
    /// the same checks over bytes, without the Unicode property look-ups that cost thousands of
    /// instructions a name.
    private static func workload(kind: String, name: String, ascii bytes: [UInt8]) -> String {
        func isDigit(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) }
        func isLetterOrDigit(_ b: UInt8) -> Bool { isDigit(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) }
        guard kind == "ReplicaSet" || kind == "Job", let dash = bytes.lastIndex(of: UInt8(ascii: "-")) else {
            return "\(kind)/\(name)"
        }
        let suffix = bytes[(dash + 1)...]
        let stem = String(decoding: bytes[..<dash], as: UTF8.self)
        if kind == "ReplicaSet", suffix.count >= 5, suffix.count <= 10, suffix.allSatisfy(isLetterOrDigit) {
            return "Deployment/\(stem)"
        }
        if kind == "Job", suffix.allSatisfy(isDigit) {
            return "CronJob/\(stem)"
        }
        return "\(kind)/\(name)"
    }

    /// The UTF-8 of `name` when each of its Characters is a single byte: ASCII without a carriage
    /// return (CR LF is the one ASCII pair that makes a single Character).
    private static func asciiBytes(_ name: String) -> [UInt8]? {
        let bytes = Array(name.utf8)
        return bytes.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "\r") }) ? bytes : nil
    }
}
