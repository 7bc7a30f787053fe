/// Finds pods without memory requests or limits on the nodes where incidents happened.
public struct MissingMemoryLimitsRule: DiagnosisRule {
    public let id = "no-memory-limits"
    public let summary = "Pods without memory requests or limits run where memory incidents happened."
    public let rationale = """
        A container without a memory limit can take the whole node's memory and cause node OOMs and \
        evictions of other pods; without a request the scheduler does not count its memory at all. On \
        nodes that had OOM kills or evictions, such pods are the first suspects.
        """

    public init() {}

    public func evaluate(_ input: DiagnosisInput) -> [Finding] {
        let affected = input.incidents.filter { $0.kind != .restart }
        let nodes = Set(affected.compactMap(\.node))
        // Over positions, reading fields in place: filtering the array copied every pod (tens of
        // thousands in a large PodList) to test it.
        let all = input.timeline.pods
        var pods: [PodFacts] = []
        for p in all.indices {
            guard let node = all[p].node, nodes.contains(node),
                  all[p].containers.contains(where: { !$0.isInit && ($0.memoryLimitBytes == nil || $0.memoryRequestBytes == nil) }),
                  all[p].phase != "Succeeded" else { continue }
            pods.append(all[p])
        }
        guard !pods.isEmpty else { return [] }
        let list = pods.prefix(10).map { pod -> String in
            let missing = pod.containers.filter { !$0.isInit && $0.memoryLimitBytes == nil }.map(\.name)
            return "\(pod.namespace)/\(pod.name)\(missing.isEmpty ? " (no request)" : " (no limit: \(missing.joined(separator: ", ")))")"
        }
        let related = affected.filter { inc in inc.node.map { n in pods.contains { $0.node == n } } ?? false }
        return [Finding(
            rule: id, severity: .warning,
            title: "\(pods.count) pod(s) without memory requests or limits on affected nodes",
            subject: Finding.Subject(node: nodes.count == 1 ? nodes.first : nil), incidents: RuleSupport.ids(related),
            explanation: "On nodes with OOM kills or evictions (\(nodes.sorted().joined(separator: ", "))) these pods lack a memory request or limit: \(list.joined(separator: "; "))\(pods.count > 10 ? "; …" : ""). Their memory is invisible to the scheduler and unbounded on the node.",
            recommendation: "Give every container a memory request (what it needs) and a limit (what it may use); enforce defaults per namespace with a LimitRange.",
            commands: Self.unique(pods.compactMap { pod in
                pod.ownerKind.map { kind in "kubectl set resources \(Correlator.workload(kind: kind, name: pod.ownerName ?? pod.name).lowercased()) -n \(pod.namespace) --limits=memory=<limit> --requests=memory=<request>" }
            }).prefix(3) + ["kubectl get limitrange -A"])]
    }

    private static func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }

    public var triggeringExamples: [RuleExample] {
        [RuleExample("unbounded pod on OOM node", ExampleTimeline()
            .pod("batch", "cruncher-1", node: "n1", owner: "Job/cruncher-1")
            .incident(.nodeOOM, "batch", "cruncher-1", "app", node: "n1", at: "2024-01-01T00:00:00Z").input)]
    }

    public var nonTriggeringExamples: [RuleExample] {
        [RuleExample("bounded pods", ExampleTimeline()
            .pod("batch", "cruncher-1", node: "n1", limit: "1Gi", request: "1Gi")
            .incident(.nodeOOM, "batch", "cruncher-1", "app", node: "n1", at: "2024-01-01T00:00:00Z").input),
         RuleExample("unbounded pod on a quiet node", ExampleTimeline()
            .pod("batch", "cruncher-1", node: "n2")
            .incident(.oomKill, "web", "api", "api", node: "n1", at: "2024-01-01T00:00:00Z").input)]
    }
}
