/// Finds restarts the API counted that the bundle holds no record of (restart-count arithmetic).
public struct UnexplainedRestartsRule: DiagnosisRule {
    public let id = "unexplained-restarts"
    public let summary = "Containers restarted more often than the bundle has records for."
    public let rationale = """
        The API keeps only the last termination of a container (`lastState`), while `restartCount` counts \
        them all. A restart count of 5 with one OOMKilled last state means four earlier exits whose causes \
        only node logs or events could tell; when those are missing from the bundle, the earlier causes are \
        unknown and may differ from the last one.
        """

    public init() {}

    public func evaluate(_ input: DiagnosisInput) -> [Finding] {
        let incidents = input.incidents
        // The incidents of each container, in report order: one pass over the incidents instead of one
        // per restarted container (hundreds of those in a large PodList).
        var byContainer: [ContainerKey: [Int]] = [:]
        for n in incidents.indices {
            guard let namespace = incidents[n].namespace, let pod = incidents[n].pod, let container = incidents[n].container else { continue }
            byContainer[ContainerKey(namespace: namespace, pod: pod, container: container), default: []].append(n)
        }
        var findings: [Finding] = []
        let pods = input.timeline.pods
        for p in pods.indices {
            for c in pods[p].containers {
                guard let restarts = c.restartCount, restarts > 0 else { continue }
                let key = ContainerKey(namespace: pods[p].namespace, pod: pods[p].name, container: c.name)
                let positions = byContainer[key] ?? []
                let missing = restarts - positions.count
                guard missing >= 2 else { continue }
                let seen = positions.map { incidents[$0] }
                let pod = pods[p]
                findings.append(Finding(
                    rule: id, severity: .info,
                    title: "\(c.name) in \(pod.namespace)/\(pod.name) restarted \(restarts) times; the bundle explains \(seen.count)",
                    subject: Finding.Subject(namespace: pod.namespace, workload: pod.ownerKind.map { Correlator.workload(kind: $0, name: pod.ownerName ?? "") }, pod: pod.name, container: c.name, node: pod.node),
                    incidents: RuleSupport.ids(seen),
                    explanation: "restartCount is \(restarts), but only \(seen.count) of those ends are in the bundle (\(seen.compactMap { $0.reason ?? $0.cause }.joined(separator: ", ").nonEmpty ?? "none")). The API keeps only the last termination; the other \(missing) are not explained here.",
                    recommendation: "Collect the node's kernel and kubelet logs and the events for the whole period (events expire after an hour) to learn the earlier causes.",
                    commands: ["kubectl get events -n \(pod.namespace) --field-selector involvedObject.name=\(pod.name)"]))
            }
        }
        return findings
    }

    public var triggeringExamples: [RuleExample] {
        [RuleExample("five restarts, one explained", ExampleTimeline().pod("web", "api-1", container: "api", restarts: 5)
            .incident(.oomKill, "web", "api-1", "api", at: "2024-01-01T00:00:00Z").input)]
    }

    public var nonTriggeringExamples: [RuleExample] {
        [RuleExample("all explained", ExampleTimeline().pod("web", "api-1", container: "api", restarts: 1)
            .incident(.oomKill, "web", "api-1", "api", at: "2024-01-01T00:00:00Z").input)]
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
