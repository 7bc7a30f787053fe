/// Finds user workloads running on a system node pool.
public struct UserWorkloadOnSystemPoolRule: DiagnosisRule {
    public let id = "user-workload-on-system-pool"
    public let summary = "User workloads run on a system node pool, competing with system pods for memory."
    public let rationale = """
        A system node pool (AKS `kubernetes.azure.com/mode=system`) hosts CoreDNS, metrics-server and other \
        critical pods. User pods there take memory those pods need, and their OOMs and evictions hit \
        the system pods too. Taint the system pool (CriticalAddonsOnly=true:NoSchedule) and run user pods \
        on a user pool.
        """

    public init() {}

    public func evaluate(_ input: DiagnosisInput) -> [Finding] {
        let systemNodes = NameSet(input.timeline.nodes.filter(RuleSupport.isSystemPool).map(\.name))
        guard !systemNodes.isEmpty else { return [] }
        // Positions of the user pods, tested in place: filtering the array copied every pod (tens of
        // thousands in a large PodList) to test it, and the thousands kept were copied again.
        let pods = input.timeline.pods
        var userPods: [Int] = []
        for p in pods.indices {
            guard let node = pods[p].node, systemNodes.contains(node),
                  !Self.systemNamespaces.contains(pods[p].namespace), pods[p].ownerKind != "DaemonSet" else { continue }
            userPods.append(p)
        }
        guard !userPods.isEmpty else { return [] }
        // Keys of two strings, not `namespace/name` strings made for every user pod and incident.
        var podNames = Set<IdentityIndex.PodKey>(minimumCapacity: userPods.count)
        for p in userPods { podNames.insert(IdentityIndex.PodKey(namespace: pods[p].namespace, name: pods[p].name)) }
        let related = input.incidents.filter { inc in
            (inc.node.map(systemNodes.contains) ?? false)
                || podNames.contains(IdentityIndex.PodKey(namespace: inc.namespace ?? "", name: inc.pod ?? ""))
        }
        let nodes = systemNodes.names.sorted()
        let pool = input.timeline.nodes.first { $0.name == nodes[0] }?.labels["kubernetes.azure.com/agentpool"] ?? input.timeline.nodes.first { $0.name == nodes[0] }?.labels["agentpool"]
        return [Finding(
            rule: id, severity: related.isEmpty ? .info : .warning,
            title: "\(userPods.count) user pod(s) run on the system node pool\(pool.map { " '\($0)'" } ?? "")",
            subject: Finding.Subject(node: nodes.count == 1 ? nodes[0] : nil), incidents: RuleSupport.ids(related),
            explanation: "These pods outside kube-system run on system-mode nodes (\(nodes.joined(separator: ", "))): \(userPods.prefix(8).map { "\(pods[$0].namespace)/\(pods[$0].name)" }.joined(separator: ", "))\(userPods.count > 8 ? ", …" : ""). \(related.isEmpty ? "No incident on these nodes in this bundle, but they compete with system pods for memory." : "\(related.count) incident(s) in this bundle involve these nodes or pods.")",
            recommendation: "Add a user node pool, taint the system pool with CriticalAddonsOnly=true:NoSchedule so only system pods land there, and move the user workloads.",
            commands: ["az aks nodepool add --resource-group <rg> --cluster-name <cluster> --name userpool --mode User",
                       "az aks nodepool update --resource-group <rg> --cluster-name <cluster> --name \(pool ?? "<systempool>") --node-taints CriticalAddonsOnly=true:NoSchedule"])]
    }

    /// Namespaces of system pods: compared, not hashed, for each pod on a system node.
    private static let systemNamespaces = NameSet(["kube-system", "kube-public", "kube-node-lease", "gatekeeper-system", "calico-system", "tigera-operator"])

    public var triggeringExamples: [RuleExample] {
        [RuleExample("user pod on system node", ExampleTimeline()
            .node("aks-system-1", labels: ["kubernetes.azure.com/mode": "system", "kubernetes.azure.com/agentpool": "system"])
            .pod("shop", "cart-1", node: "aks-system-1", owner: "ReplicaSet/cart-7d9f8c6b5").input)]
    }

    public var nonTriggeringExamples: [RuleExample] {
        [RuleExample("system pod on system node", ExampleTimeline()
            .node("aks-system-1", labels: ["kubernetes.azure.com/mode": "system"])
            .pod("kube-system", "coredns-1", node: "aks-system-1").input),
         RuleExample("user pod on user node", ExampleTimeline()
            .node("aks-user-1", labels: ["kubernetes.azure.com/mode": "user"])
            .pod("shop", "cart-1", node: "aks-user-1").input)]
    }
}
