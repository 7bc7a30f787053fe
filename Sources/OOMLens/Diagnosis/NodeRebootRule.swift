/// Recognises a node reboot behind many simultaneous container terminations.
public struct NodeRebootRule: DiagnosisRule {
    public let id = "node-reboot"
    public let summary = "Many containers ended at the same moment: the node rebooted, they did not crash."
    public let rationale = """
        When a node restarts, every container on it ends at once and the kubelet reports them with reason \
        Unknown or exit code 255 when it comes back. Read one by one they look like a wave of crashes across \
        namespaces; together they are one event whose cause is the node (an upgrade, a kernel panic, a \
        node OOM that killed the kubelet, the host).
        """

    public init() {}

    public func evaluate(_ input: DiagnosisInput) -> [Finding] {
        input.incidents.filter { $0.kind == .restart && $0.cause == "node reboot" }.map { inc in
            let ended = Set(inc.observationIndices.compactMap { i -> String? in
                guard input.timeline.observations.indices.contains(i) else { return nil }
                let o = input.timeline.observations[i]
                guard o.kind == .containerTerminated else { return nil }
                return "\(o.namespace ?? "")/\(o.pod ?? "")/\(o.container ?? "")"
            })
            let count = ended.isEmpty ? inc.evidence.count : ended.count
            return Finding(
                rule: id, severity: .warning,
                title: "Node \(inc.node ?? "?") rebooted: \(count) containers ended at once",
                subject: Finding.Subject(node: inc.node), incidents: [inc.id],
                explanation: "\(count) container(s) on \(inc.node ?? "one node") ended within seconds of each other with reason Unknown or exit code 255: the node restarted.",
                recommendation: "Find why the node restarted: the node's events and the kernel log before the restart (a node OOM killing the kubelet, a panic), planned upgrades or host maintenance.",
                commands: ["kubectl describe node \(inc.node ?? "<node>")", "kubectl get events -A --field-selector involvedObject.kind=Node"])
        }
    }

    public var triggeringExamples: [RuleExample] {
        [RuleExample("reboot", ExampleTimeline().incident(.restart, nil, nil, nil, node: "n1", at: "2024-01-01T00:00:00Z", reason: "NodeReboot", cause: "node reboot").input)]
    }

    public var nonTriggeringExamples: [RuleExample] {
        [RuleExample("single crash", ExampleTimeline().incident(.restart, "web", "api", "api", at: "2024-01-01T00:00:00Z", exitCode: 255, cause: "crash (exit code 255)").input)]
    }
}
