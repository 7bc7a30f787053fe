/// Finds system node pools with fewer than three nodes.
public struct SystemPoolSizeRule: DiagnosisRule {
    public let id = "system-pool-size"
    public let summary = "The system node pool has fewer than three nodes."
    public let rationale = """
        With one or two system nodes, a node OOM or eviction on one of them removes a large share of the \
        capacity for CoreDNS, metrics-server and other critical pods; AKS recommends at least three nodes \
        in the system pool for resilience.
        """

    public init() {}

    public func evaluate(_ input: DiagnosisInput) -> [Finding] {
        let system = input.timeline.nodes.filter(RuleSupport.isSystemPool)
        guard !system.isEmpty, system.count < 3 else { return [] }
        let names = system.map(\.name)
        let related = input.incidents.filter { $0.node.map(names.contains) ?? false }
        return [Finding(
            rule: id, severity: related.isEmpty ? .info : .warning,
            title: "The system node pool has \(system.count) node(s)",
            subject: Finding.Subject(), incidents: RuleSupport.ids(related),
            explanation: "Nodes in system mode: \(names.joined(separator: ", ")). Fewer than three leaves critical add-ons without room when one node is under memory pressure.",
            recommendation: "Scale the system pool to at least three nodes (or enable its autoscaler with a minimum of three).",
            commands: ["az aks nodepool scale --resource-group <rg> --cluster-name <cluster> --name <systempool> --node-count 3"])]
    }

    public var triggeringExamples: [RuleExample] {
        [RuleExample("one system node", ExampleTimeline().node("aks-system-1", labels: ["kubernetes.azure.com/mode": "system"]).input)]
    }

    public var nonTriggeringExamples: [RuleExample] {
        [RuleExample("three system nodes", ExampleTimeline()
            .node("s1", labels: ["kubernetes.azure.com/mode": "system"])
            .node("s2", labels: ["kubernetes.azure.com/mode": "system"])
            .node("s3", labels: ["kubernetes.azure.com/mode": "system"]).input),
         RuleExample("no system labels", ExampleTimeline().node("n1").input)]
    }
}
