/// Finds kills by the kernel because a whole node ran out of memory.
public struct NodeOOMRule: DiagnosisRule {
    public let id = "node-oom"
    public let summary = "The node ran out of memory and the kernel killed processes (a global OOM)."
    public let rationale = """
        A global OOM (constraint CONSTRAINT_NONE) happens when the pods' and daemons' memory together exceed \
        the node's: the kubelet's eviction did not act in time, typically because pods use far more than \
        they request or have no limits. Kubernetes still labels a killed container OOMKilled, but raising \
        that container's limit does not help. A kill of kubelet, containerd or another node daemon can take \
        the whole node down.
        """

    static let daemons: Set<String> = ["kubelet", "containerd", "dockerd", "crio", "containerd-shim", "systemd", "sshd", "kube-proxy", "k3s", "k3s-server", "k3s-agent"]

    public init() {}

    public func evaluate(_ input: DiagnosisInput) -> [Finding] {
        // nil: kills whose node the bundle does not name (a bare dmesg).
        var byNode: [String?: [Incident]] = [:]
        var order: [String?] = []
        for inc in input.incidents where inc.kind == .nodeOOM {
            if byNode[inc.node] == nil { order.append(inc.node) }
            byNode[inc.node, default: []].append(inc)
        }
        return order.compactMap { nodeName -> Finding? in
            guard let group = byNode[nodeName] else { return nil }
            let victims = group.map { inc in
                inc.pod.map { "\(inc.namespace ?? "?")/\($0)\(inc.container.map { "/\($0)" } ?? "")" } ?? inc.process?.name ?? "unknown process"
            }
            let daemonKills = group.filter { inc in inc.pod == nil && Self.daemons.contains(inc.process?.name ?? "") }
            let node = input.timeline.node(nodeName)
            var overcommit = ""
            if let node, let alloc = node.allocatableMemoryBytes, let limits = node.podsMemoryLimitsBytes {
                overcommit = " The pods' memory limits add up to \(Quantity.format(limits)) against \(Quantity.format(alloc)) allocatable (\(limits * 100 / Swift.max(alloc, 1))%)."
            }
            let unlimited = nodeName == nil ? [] : input.timeline.pods.filter { $0.node == nodeName && $0.containers.contains { $0.memoryLimitBytes == nil && !$0.isInit } }
            let unlimitedText = unlimited.isEmpty ? "" : " \(unlimited.count) pod(s) on it have containers without a memory limit: \(unlimited.prefix(5).map { "\($0.namespace)/\($0.name)" }.joined(separator: ", "))."
            return Finding(
                rule: id, severity: .critical,
                title: "\(nodeName.map { "Node \($0)" } ?? "A node the bundle does not name") ran out of memory: \(group.count) process(es) killed by the kernel",
                subject: Finding.Subject(node: nodeName), incidents: RuleSupport.ids(group),
                explanation: "The kernel's OOM killer ran for the whole node (not a container limit) and killed \(victims.joined(separator: ", ")).\(daemonKills.isEmpty ? "" : " Node daemons were among the victims (\(daemonKills.compactMap { $0.process?.name }.joined(separator: ", "))): the node itself was at risk.")\(overcommit)\(unlimitedText) Raising the killed container's limit would not have helped.",
                recommendation: "Keep the node's total below its memory: set memory requests equal to limits for the heavy pods, give every container a limit, reserve memory for the system (kubelet --system-reserved/--kube-reserved) and make eviction act earlier (--eviction-hard memory.available), or move workloads to larger nodes.",
                commands: (nodeName.map { ["kubectl describe node \($0)"] } ?? []) + ["kubectl top pods -A --sort-by=memory"])
        }
    }

    public var triggeringExamples: [RuleExample] {
        [RuleExample("global kill of a container", ExampleTimeline()
            .incident(.nodeOOM, "web", "api-1", "api", node: "n1", at: "2024-01-01T00:00:00Z", process: "java").input),
         RuleExample("global kill of kubelet", ExampleTimeline()
            .incident(.nodeOOM, nil, nil, nil, node: "n1", at: "2024-01-01T00:00:00Z", process: "kubelet").input),
         RuleExample("global kill on a node the bundle does not name", ExampleTimeline()
            .incident(.nodeOOM, nil, nil, nil, at: "2024-01-01T00:00:00Z", process: "badsysprogram").input)]
    }

    public var nonTriggeringExamples: [RuleExample] {
        [RuleExample("container limit kill", ExampleTimeline()
            .incident(.oomKill, "web", "api-1", "api", node: "n1", at: "2024-01-01T00:00:00Z").input)]
    }
}
