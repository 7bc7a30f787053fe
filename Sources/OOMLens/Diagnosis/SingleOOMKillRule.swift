/// Explains a container OOM-killed once: a load spike or slow growth to the limit.
public struct SingleOOMKillRule: DiagnosisRule {
    public let id = "oom-kill"
    public let summary = "A container was OOM-killed once: a spike in load or slow growth reached its limit."
    public let rationale = """
        One kill is not yet a loop. How long the container had run tells the two usual causes apart: a \
        kill minutes after start under normal traffic means the working set is close to the limit and a \
        burst pushed it over; a kill after hours or days means memory grew until it met the limit. Either \
        way the limit needs headroom over the observed peak.
        """

    public init() {}

    public func evaluate(_ input: DiagnosisInput) -> [Finding] {
        RuleSupport.byContainer(input.incidents, kinds: [.oomKill]).filter { $0.count == 1 }.map { group in
            let inc = group[0]
            let peak = RuleSupport.peakBytes(group)
            let shape: String
            if let life = inc.lifetimeSeconds {
                shape = life < 1800
                    ? "It had run \(RuleSupport.duration(life)): a burst of load (or start-up work) pushed it over the limit."
                    : "It had run \(RuleSupport.duration(life)) before the kill: memory grew slowly until it met the limit."
            } else {
                shape = "How long it had run is not in the bundle, so a load spike and slow growth cannot be told apart."
            }
            let (commands, unnamed) = RuleSupport.limitAdvice(inc, limit: peak.map(RuleSupport.recommendedLimit))
            let scope = inc.limitScope == "pod" ? "its pod's memory limit (the pod-level cgroup)" : "its memory limit"
            let seenByKernel = inc.evidence.contains { $0.source == .kernel }
            let what = seenByKernel
                ? "The kernel killed \(inc.process.map { "\($0.name) (pid \($0.pid))" } ?? "the container's process") because the container reached \(scope) of \(RuleSupport.format(inc.memory?.limitBytes)); memory at the kill: \(RuleSupport.format(peak))."
                : "Kubernetes reports the container as OOMKilled (memory limit \(RuleSupport.format(inc.memory?.limitBytes))); the kernel's record of the kill is not in the bundle, so the memory in use at the kill is unknown."
            return Finding(
                rule: id, severity: .warning,
                title: "\(inc.container ?? inc.process?.name ?? "a container") in \(RuleSupport.podLabel(inc, name: inc.pod)) was OOM-killed",
                subject: RuleSupport.subject(inc), incidents: [inc.id],
                explanation: "\(what) \(shape)\(unnamed)",
                recommendation: peak.map { "Give the container headroom: a limit of \(Quantity.format(RuleSupport.recommendedLimit(peak: $0))) (the peak × 1.5, rounded up to 64 MiB), request equal to the limit; if it recurs, look for growth." }
                    ?? "Raise the memory limit above the container's peak and watch for recurrence.",
                commands: commands)
        }
    }

    public var triggeringExamples: [RuleExample] {
        [RuleExample("one kill", ExampleTimeline().pod("web", "api-1", container: "api", limit: "512Mi")
            .incident(.oomKill, "web", "api-1", "api", at: "2024-01-01T00:00:00Z", rss: "500Mi", limit: "512Mi", lifetime: 90).input),
         RuleExample("one kill known from node logs alone", ExampleTimeline()
            .incident(.oomKill, nil, nil, nil, node: "n", at: "2024-01-01T00:00:00Z", rss: "91Mi", limit: "100Mi",
                      process: "stress-ng-vm", podUID: "5931aa75-4603-4e65-b552-7c71cf55cfb5").input)]
    }

    public var nonTriggeringExamples: [RuleExample] {
        let base = ExampleTimeline().pod("web", "api-1", container: "api")
        return [
            RuleExample("two kills are a loop", base
                .incident(.oomKill, "web", "api-1", "api", at: "2024-01-01T00:00:00Z")
                .incident(.oomKill, "web", "api-1", "api", at: "2024-01-01T01:00:00Z").input),
            RuleExample("a node OOM", base.incident(.nodeOOM, "web", "api-1", "api", at: "2024-01-01T00:00:00Z").input),
        ]
    }
}
