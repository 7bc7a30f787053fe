/// Finds OOM kills of system pods (kube-system), with advice for CoreDNS and metrics-server.
public struct SystemPodOOMRule: DiagnosisRule {
    public let id = "system-pod-oom"
    public let summary = "A system pod in kube-system was OOM-killed."
    public let rationale = """
        System pods keep the cluster working: a CoreDNS OOM breaks name resolution for every workload, a \
        metrics-server OOM breaks autoscaling and `kubectl top`. Their memory grows with the cluster (more \
        services and endpoints, more pods and nodes), so their default limits can become too small. \
        CoreDNS is scaled out (more replicas, the cluster-proportional autoscaler) rather than up; \
        metrics-server is resized (its addon resizer, or a larger limit).
        """

    public init() {}

    public func evaluate(_ input: DiagnosisInput) -> [Finding] {
        RuleSupport.byContainer(input.incidents, kinds: [.oomKill, .nodeOOM]).filter { $0[0].namespace == "kube-system" }.map { group in
            let inc = group[0]
            let name = (inc.workload ?? inc.pod ?? "").lowercased()
            let advice: String
            var commands: [String] = []
            if name.contains("coredns") {
                advice = "CoreDNS memory grows with the number of services, endpoints and queries: run more replicas (or enable the DNS autoscaler) rather than one large one, and check for query storms (ndots, missing caches)."
                commands = ["kubectl -n kube-system get deployment coredns", "kubectl -n kube-system scale deployment coredns --replicas=3", "kubectl -n kube-system logs -l k8s-app=kube-dns --previous"]
            } else if name.contains("metrics-server") {
                advice = "metrics-server memory grows with the number of nodes and pods: let its resizer size it, or raise its memory limit in line with the cluster size."
                commands = ["kubectl -n kube-system describe deployment metrics-server", "kubectl -n kube-system logs deploy/metrics-server --previous"]
            } else {
                advice = "Check the add-on's documented sizing for this cluster size; managed add-ons may need a support request or an add-on configuration change rather than an edit."
                if let d = RuleSupport.describeCommand(inc) { commands = [d] }
            }
            return Finding(
                rule: id, severity: .critical,
                title: "System pod \(inc.workload ?? inc.pod ?? "?") (kube-system) was OOM-killed \(group.count) time(s)",
                subject: RuleSupport.subject(inc), incidents: RuleSupport.ids(group),
                explanation: "\(inc.container ?? "A container") of \(inc.pod ?? "a kube-system pod") was killed for memory \(group.count) time(s) (limit \(RuleSupport.format(RuleSupport.limitBytes(group))), peak seen \(RuleSupport.format(RuleSupport.peakBytes(group)))). Every workload that depends on it is affected while it restarts.",
                recommendation: advice, commands: commands)
        }
    }

    public var triggeringExamples: [RuleExample] {
        [RuleExample("coredns", ExampleTimeline().pod("kube-system", "coredns-5d78c9869d-abcde", owner: "ReplicaSet/coredns-5d78c9869d", container: "coredns", limit: "170Mi")
            .incident(.oomKill, "kube-system", "coredns-5d78c9869d-abcde", "coredns", at: "2024-01-01T00:00:00Z", rss: "169Mi").input)]
    }

    public var nonTriggeringExamples: [RuleExample] {
        [RuleExample("user namespace", ExampleTimeline().incident(.oomKill, "default", "coredns-x", "coredns", at: "2024-01-01T00:00:00Z").input),
         RuleExample("kube-system restart", ExampleTimeline().incident(.restart, "kube-system", "coredns-x", "coredns", at: "2024-01-01T00:00:00Z", exitCode: 1).input)]
    }
}
