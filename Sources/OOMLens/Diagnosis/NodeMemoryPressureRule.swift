/// Explains evictions under node memory pressure: which pods went and why those.
public struct NodeMemoryPressureRule: DiagnosisRule {
    public let id = "node-memory-pressure"
    public let summary = "The kubelet evicted pods because the node ran short of a resource."
    public let rationale = """
        When the node's available memory (or disk, or pids) falls below the eviction threshold, the kubelet \
        evicts pods, BestEffort first, then Burstable pods using the most above their requests. Evictions \
        mean the node is overcommitted: the pods together use more than the node has, although each may \
        stay within its own limit. The fix is on requests (make them honest), limits (bound the \
        heavy users) and capacity, not on the evicted pod alone.
        """

    public init() {}

    public func evaluate(_ input: DiagnosisInput) -> [Finding] {
        var byNode: [String: [Incident]] = [:]
        var order: [String] = []
        for inc in input.incidents where inc.kind == .eviction {
            let key = "\(inc.node ?? "unknown node")|\(inc.resource ?? "unknown")"
            if byNode[key] == nil { order.append(key) }
            byNode[key, default: []].append(inc)
        }
        return order.compactMap { key -> Finding? in
            guard let group = byNode[key] else { return nil }
            let nodeName = group[0].node
            let resource = group[0].resource ?? "a resource (not named in the bundle)"
            let pods = group.map { inc -> String in
                let qos = inc.qosClass ?? input.timeline.pod(namespace: inc.namespace, name: inc.pod)?.qosClass
                return "\(inc.namespace ?? "?")/\(inc.pod ?? "?")\(qos.map { " (\($0))" } ?? "")"
            }
            let messages = group.compactMap { inc in
                inc.observationIndices.compactMap { input.timeline.observations.indices.contains($0) ? input.timeline.observations[$0].message : nil }
                    .first { $0.contains("was using") }
            }
            var why = messages.first.map { " The kubelet's message: \"\($0.trimmingCharacters())\"" } ?? ""
            if let node = input.timeline.node(nodeName), let alloc = node.allocatableMemoryBytes {
                if let limits = node.podsMemoryLimitsBytes {
                    why += " Memory limits on the node add up to \(Quantity.format(limits)) of \(Quantity.format(alloc)) allocatable (\(limits * 100 / Swift.max(alloc, 1))%)."
                }
            }
            let noRequest = input.timeline.pods.filter { $0.node == nodeName && $0.containers.contains { !$0.isInit && $0.memoryRequestBytes == nil } }
            if !noRequest.isEmpty {
                why += " \(noRequest.count) pod(s) on the node have containers without a memory request, so the scheduler placed them without counting their memory."
            }
            return Finding(
                rule: id, severity: .warning,
                title: "\(group.count) pod(s) evicted from \(nodeName ?? "a node") for lack of \(group[0].resource ?? "a resource")",
                subject: Finding.Subject(node: nodeName), incidents: RuleSupport.ids(group),
                explanation: "The kubelet evicted \(pods.joined(separator: ", ")) when the node ran low on \(resource). BestEffort pods go first, then Burstable pods using the most above their requests.\(why)",
                recommendation: resource == "memory"
                    ? "Set memory requests to what pods really use (the evicted pods used more than they requested), put limits on the heavy users, and add capacity or spread the workload; consider a PodDisruptionBudget and priority classes for pods that must stay."
                    : "Free or add \(resource) on the node (log and image cleanup, larger disks, ephemeral-storage limits).",
                commands: ["kubectl describe node \(nodeName ?? "<node>")", "kubectl get pods -A --field-selector spec.nodeName=\(nodeName ?? "<node>") -o wide", "kubectl top pods -A --sort-by=memory"])
        }
    }

    public var triggeringExamples: [RuleExample] {
        [RuleExample("memory eviction", ExampleTimeline().pod("default", "nginx", node: "n1", qos: "BestEffort")
            .incident(.eviction, "default", "nginx", nil, node: "n1", at: "2024-01-01T00:00:00Z", reason: "Evicted", resource: "memory").input)]
    }

    public var nonTriggeringExamples: [RuleExample] {
        [RuleExample("no evictions", ExampleTimeline().incident(.oomKill, "default", "nginx", "nginx", at: "2024-01-01T00:00:00Z").input)]
    }
}

extension String {
    /// The string without leading and trailing spaces and newlines.
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\n" || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\n" || l == "\t" { s.removeLast() }
        return String(s)
    }
}
