/// The incidents each container id, pod name, process id and node has appeared in, so that a
/// correlation pass asks a handful of incidents whether an observation belongs to them instead of
/// asking every incident.
///
/// The lists are a superset: an incident is listed under every key any of its observations carried,
/// and stays listed when a later pass clears a field. Callers therefore still test each candidate
/// with the exact condition they would have tested across all incidents; `candidates` returns them in
/// ascending order, so a `first(where:)` or a nearest-in-time search over them picks the incident a
/// scan of all incidents would have picked.
///
/// Conditions that hold only within a time window ask `nearest(under:to:within:where:)` and
/// `nearest(under:to:from:through:where:)` instead, which read only the incidents listed under a key whose
/// time lies in that window: a pod that restarts thousands of times in a crash loop has thousands of
/// incidents under its name, and reading them all for each record made those passes grow with the
/// square of the restarts (10,000 restarts: 4.2 s).
struct IncidentIndex {
    /// What an incident can be listed under in time order.
    enum Key: Hashable {
        case containerID(String)
        case pod(String)
        case node(String)
        /// Incidents whose node is not known (yet): an incident leaves this list when it gets one.
        case nodeless
    }

    private var byContainerID: [String: [Int]] = [:]
    private var byPod: [String: [Int]] = [:]
    private var byPid: [Int: [Int]] = [:]
    private var byNode: [String: [Int]] = [:]
    /// Every incident, in order of creation.
    private var all: [Int] = []
    /// The incidents with a time under each key, by that time.
    private var timed: [Key: TimeOrdered] = [:]
    /// Each incident's keys, and the time it is listed at under them.
    private var keys: [Set<Key>] = []
    private var instants: [Instant?] = []

    /// Notes a new incident, listed under `.nodeless` only. Incidents are numbered 0, 1, 2, … in this order.
    mutating func created(_ n: Int) {
        all.append(n)
        keys.append([.nodeless])
        instants.append(nil)
    }

    /// Notes the keys observation `o` brought to incident `n`, and its node and time as they now stand.
    mutating func noted(_ o: Observation, in n: Int, node: String?, time: Instant?) {
        if let id = o.containerID {
            Self.append(n, to: &byContainerID[id, default: []])
            list(n, under: .containerID(id))
        }
        if let pod = o.pod {
            Self.append(n, to: &byPod[pod, default: []])
            list(n, under: .pod(pod))
        }
        if let pid = o.process?.pid { Self.append(n, to: &byPid[pid, default: []]) }
        noteNode(node, of: n)
        guard instants[n] != time else { return }
        for key in keys[n] {
            if let old = instants[n] { timed[key]?.remove(n, at: old) }
            if let time { timed[key, default: TimeOrdered()].insert(n, at: time) }
        }
        instants[n] = time
    }

    /// Notes incident `n`'s node when a pass sets it directly.
    /// An incident's node is set once and never changed, so it is listed when it leaves `.nodeless`.
    mutating func noteNode(_ node: String?, of n: Int) {
        guard let node, keys[n].remove(.nodeless) != nil else { return }
        Self.append(n, to: &byNode[node, default: []])
        if let instant = instants[n] { timed[.nodeless]?.remove(n, at: instant) }
        list(n, under: .node(node))
    }

    /// The keys under which every incident whose node may be `node`, or may not be known, is listed in
    /// time order: `node`'s and `.nodeless`; for `nil`, every node's too (what
    /// `candidates(nodeOrNodeless:)` gives, for the window searches).
    func keys(nodeOrNodeless node: String?) -> [Key?] {
        guard let node else { return byNode.keys.map { .node($0) } + [.nodeless] }
        return [.node(node), .nodeless]
    }

    /// Lists incident `n` under `key` at the time it is listed at elsewhere.
    private mutating func list(_ n: Int, under key: Key) {
        guard keys[n].insert(key).inserted, let instant = instants[n] else { return }
        timed[key, default: TimeOrdered()].insert(n, at: instant)
    }

    /// The incident listed under any of `keys` (nil ones ignored) for which `accept` holds whose time is
    /// nearest `instant`, the lowest-numbered among equally near ones, and no farther than `seconds`:
    /// what `Correlator.closest` picks among those incidents.
    func nearest(under keys: [Key?], to instant: Instant, within seconds: Double, where accept: (Int) -> Bool) -> Int? {
        nearest(under: keys, to: instant, in: { $0.around(instant, within: seconds) }, within: seconds, where: accept)
    }

    /// The incident listed under any of `keys` (nil ones ignored) for which `accept` holds whose time
    /// lies from `from` through `through` and is nearest `instant`, the lowest-numbered among equally
    /// near ones: a record that comes before or after the end it belongs to looks on that side.
    func nearest(under keys: [Key?], to instant: Instant, from: Instant, through: Instant, where accept: (Int) -> Bool) -> Int? {
        nearest(under: keys, to: instant, in: { $0.between(from, through) }, within: nil, where: accept)
    }

    private func nearest(
        under keys: [Key?], to instant: Instant, in range: (TimeOrdered) -> ArraySlice<(instant: Instant, number: Int)>,
        within seconds: Double?, where accept: (Int) -> Bool
    ) -> Int? {
        var best: (number: Int, distance: Double)?
        for case let key? in keys {
            guard let list = timed[key] else { continue }
            for entry in range(list) {
                let d = abs(entry.instant.interval(since: instant))
                if let seconds, d > seconds { continue }
                if let current = best, current.distance < d || current.distance == d && current.number <= entry.number { continue }
                if accept(entry.number) { best = (entry.number, d) }
            }
        }
        return best?.number
    }

    /// Incidents that may match an observation with this container id or pod name, ascending.
    func candidates(containerID: String?, pod: String?) -> [Int] {
        Self.merged(containerID.flatMap { byContainerID[$0] } ?? [], pod.flatMap { byPod[$0] } ?? [])
    }

    /// Incidents that may have this container id, ascending.
    func candidates(containerID: String) -> [Int] { byContainerID[containerID] ?? [] }

    /// Incidents that may have this pod name, ascending.
    func candidates(pod: String) -> [Int] { byPod[pod] ?? [] }

    /// Incidents that may have this process id, ascending.
    func candidates(pid: Int) -> [Int] { byPid[pid] ?? [] }

    /// Incidents whose node may be `node`, or, for `nil`, whose node may not be known.
    func candidates(node: String?) -> [Int] {
        guard let node else { return nodeless }
        return byNode[node] ?? []
    }

    /// Incidents whose node may be `node` or may not be known.
    func candidates(nodeOrNodeless node: String?) -> [Int] {
        guard let node else { return all }
        return Self.merged(byNode[node] ?? [], nodeless)
    }

    /// The incidents whose node is not known, ascending: those still listed under `.nodeless`.
    private var nodeless: [Int] { all.filter { keys[$0].contains(.nodeless) } }

    /// Appends `n` unless it is already the last: an incident is noted in increasing order of
    /// creation only, so a list stays ascending as long as `n` is never older than its last entry.
    private static func append(_ n: Int, to list: inout [Int]) {
        guard let last = list.last else { list.append(n); return }
        if last == n { return }
        if last < n { list.append(n); return }
        // An older incident noted again after a newer one: keep the list ascending and unique.
        let at = list.partitionPoint { $0 >= n }
        if at < list.count, list[at] == n { return }
        list.insert(n, at: at)
    }

    /// The union of two ascending lists, ascending and without repeats.
    private static func merged(_ a: [Int], _ b: [Int]) -> [Int] {
        if b.isEmpty { return a }
        if a.isEmpty { return b }
        var out: [Int] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            let next: Int
            if j == b.count || i < a.count && a[i] < b[j] {
                next = a[i]; i += 1
            } else if i == a.count || b[j] < a[i] {
                next = b[j]; j += 1
            } else {
                next = a[i]; i += 1; j += 1
            }
            out.append(next)
        }
        return out
    }
}
