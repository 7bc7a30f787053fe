/// Small helpers the rules share: grouping incidents, memory arithmetic, command text.
enum RuleSupport {
    /// Incidents of the given kinds grouped by namespace/workload-or-pod/container, in time order.
    /// Incidents that name no pod or container (a bundle of node logs alone: the kernel's record names
    /// the pod's UID and the process) are grouped by that UID and the process's name.
    static func byContainer(_ incidents: [Incident], kinds: Set<Incident.Kind>) -> [[Incident]] {
        var groups: [String: [Incident]] = [:]
        var order: [String] = []
        for inc in incidents where kinds.contains(inc.kind) {
            let key: String
            if inc.pod != nil || inc.container != nil {
                key = "\(inc.namespace ?? "")/\(inc.workload ?? inc.pod ?? "")/\(inc.container ?? "")"
            } else if let uid = inc.podUID {
                key = "uid \(uid)/\(inc.process?.name ?? "")"
            } else {
                continue
            }
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(inc)
        }
        return order.compactMap { groups[$0] }
    }

    static func subject(_ inc: Incident) -> Finding.Subject {
        Finding.Subject(namespace: inc.namespace, workload: inc.workload, pod: inc.pod, container: inc.container, node: inc.node)
    }

    /// The largest memory figure seen at the kills: usage, anon RSS or the limit itself.
    static func peakBytes(_ incidents: [Incident]) -> Int64? {
        incidents.compactMap { inc -> Int64? in
            guard let m = inc.memory else { return nil }
            return [m.usageBytes, m.anonRSSBytes, m.limitBytes].compactMap { $0 }.max()
        }.max()
    }

    static func limitBytes(_ incidents: [Incident]) -> Int64? {
        incidents.compactMap { $0.memory?.limitBytes }.max()
    }

    /// A new limit: the peak observed × 1.5, rounded up to a multiple of 64 MiB.
    static func recommendedLimit(peak: Int64) -> Int64 {
        let step: Int64 = 64 << 20
        let target = peak + peak / 2
        return (target + step - 1) / step * step
    }

    /// `deployment/web`, or a placeholder when the owner is unknown.
    static func workloadReference(_ inc: Incident) -> String {
        guard let workload = inc.workload, let slash = workload.firstIndex(of: "/") else { return "<workload>" }
        return workload[..<slash].lowercased() + workload[slash...]
    }

    static func setResourcesCommand(_ inc: Incident, limit: Int64) -> String {
        let mi = limit >> 20
        let ns = inc.namespace.map { " -n \($0)" } ?? ""
        let container = inc.container.map { " -c \($0)" } ?? ""
        return "kubectl set resources \(workloadReference(inc))\(ns)\(container) --limits=memory=\(mi)Mi --requests=memory=\(mi)Mi"
    }

    /// Where an incident's container ran, for a finding's title: `namespace/name` (`name` the pod's
    /// or its workload's), or the pod's UID when the bundle names no pod.
    static func podLabel(_ inc: Incident, name: String?) -> String {
        if name == nil, inc.container == nil, let uid = inc.podUID { return "pod UID \(uid)" }
        return "\(inc.namespace ?? "?")/\(name ?? "?")"
    }

    /// Whether the bundle knows the incident's pod only by its UID (node logs without the API's view).
    static func namesNoPod(_ inc: Incident) -> Bool { inc.pod == nil && inc.container == nil && inc.podUID != nil }

    /// The commands a finding about a container's memory limit suggests, and what it adds to its
    /// explanation: a `kubectl set resources` with `limit`, or, for a pod the bundle knows only by its
    /// UID, the listing that finds its name (and a sentence saying why).
    static func limitAdvice(_ inc: Incident, limit: Int64?) -> (commands: [String], note: String) {
        guard namesNoPod(inc) else { return (limit.map { [setResourcesCommand(inc, limit: $0)] } ?? [], "") }
        return (["kubectl get pods -A -o custom-columns=NAMESPACE:.metadata.namespace,NAME:.metadata.name,UID:.metadata.uid"],
                " The bundle does not name the pod (no pod list, events or `kubectl describe` output for it); the kernel's record gives its UID, \(inc.podUID ?? "?"), which the listing below finds.")
    }

    static func describeCommand(_ inc: Incident) -> String? {
        guard let pod = inc.pod else { return nil }
        return "kubectl describe pod \(pod)\(inc.namespace.map { " -n \($0)" } ?? "")"
    }

    static func format(_ bytes: Int64?) -> String { bytes.map(Quantity.format) ?? "unknown" }

    static func ids(_ incidents: [Incident]) -> [String] { incidents.map(\.id) }

    /// Seconds between consecutive incidents (known times only).
    static func intervals(_ incidents: [Incident]) -> [Double] {
        let times = incidents.compactMap { $0.time?.instant }.sorted()
        return zip(times.dropFirst(), times).map { $0.interval(since: $1) }
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 120 { return "\(s) s" }
        if s < 7200 { return "\(s / 60) min" }
        if s < 172_800 { return "\(s / 3600) h \(s % 3600 / 60) min" }
        return "\(s / 86_400) d"
    }

    static func isSystemPool(_ node: NodeFacts) -> Bool {
        node.labels["kubernetes.azure.com/mode"] == "system"
    }
}
