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
        let nodes = NameSet(affected.compactMap(\.node))
        // Over positions, reading fields in place: filtering the array copied every pod (tens of
        // thousands in a large PodList) to test it.
        let all = input.timeline.pods
        var pods: [Int] = []
        for p in all.indices {
            guard let node = all[p].node, nodes.contains(node),
                  all[p].containers.contains(where: { !$0.isInit && ($0.memoryLimitBytes == nil || $0.memoryRequestBytes == nil) }),
                  all[p].phase != "Succeeded" else { continue }
            pods.append(p)
        }
        guard !pods.isEmpty else { return [] }
        let list = pods.prefix(10).map { p -> String in
            let missing = all[p].containers.filter { !$0.isInit && $0.memoryLimitBytes == nil }.map(\.name)
            return "\(all[p].namespace)/\(all[p].name)\(missing.isEmpty ? " (no request)" : " (no limit: \(missing.joined(separator: ", ")))")"
        }
        // The nodes of the listed pods, once: testing each incident against every listed pod cost
        // incidents × pods comparisons (hundreds × thousands in a large bundle).
        var listed = Array(repeating: false, count: nodes.count)
        for p in pods { if let node = all[p].node, let n = nodes.index(of: node) { listed[n] = true } }
        let related = affected.filter { inc in inc.node.flatMap(nodes.index(of:)).map { listed[$0] } ?? false }
        return [Finding(
            rule: id, severity: .warning,
            title: "\(pods.count) pod(s) without memory requests or limits on affected nodes",
            subject: Finding.Subject(node: nodes.count == 1 ? nodes.names.first : nil), incidents: RuleSupport.ids(related),
            explanation: "On nodes with OOM kills or evictions (\(nodes.names.sorted().joined(separator: ", "))) these pods lack a memory request or limit: \(list.joined(separator: "; "))\(pods.count > 10 ? "; …" : ""). Their memory is invisible to the scheduler and unbounded on the node.",
            recommendation: "Give every container a memory request (what it needs) and a limit (what it may use); enforce defaults per namespace with a LimitRange.",
            commands: Self.firstCommands(3, for: pods.lazy.map { all[$0] }) + ["kubectl get limitrange -A"])]
    }

    /// The first `count` distinct `kubectl set resources` commands for the pods' workloads, in pod
    /// order: made only until `count` are found, not one per pod.
    private static func firstCommands<S: Sequence<PodFacts>>(_ count: Int, for pods: S) -> [String] {
        var seen = Set<String>()
        var commands: [String] = []
        for pod in pods {
            guard commands.count < count else { break }
            guard let kind = pod.ownerKind else { continue }
            let command = "kubectl set resources \(Correlator.workload(kind: kind, name: pod.ownerName ?? pod.name).lowercased()) -n \(pod.namespace) --limits=memory=<limit> --requests=memory=<request>"
            if seen.insert(command).inserted { commands.append(command) }
        }
        return commands
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
