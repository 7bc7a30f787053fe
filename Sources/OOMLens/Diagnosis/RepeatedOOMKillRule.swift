/// Finds a container that the kernel OOM-killed again and again (a restart loop).
public struct RepeatedOOMKillRule: DiagnosisRule {
    public let id = "repeated-oom-kill"
    public let summary = "A container was OOM-killed repeatedly: its memory limit is below what it uses."
    public let rationale = """
        Two or more container OOM kills of the same workload container mean the limit is hit in normal \
        operation, not by accident. When each instance dies soon after starting, the limit is below the \
        working set; when each runs a long and similar time before dying, memory grows steadily (a leak \
        or an unbounded cache). The recommended limit is the largest memory figure seen at a kill \
        (usage, anonymous RSS or the limit itself) × 1.5, rounded up to 64 MiB, with the request set equal \
        so the pod is not overcommitted on its node.
        """

    public init() {}

    public func evaluate(_ input: DiagnosisInput) -> [Finding] {
        RuleSupport.byContainer(input.incidents, kinds: [.oomKill]).filter { $0.count >= 2 }.map { group in
            let first = group[0]
            let peak = RuleSupport.peakBytes(group)
            let limit = RuleSupport.limitBytes(group)
            let intervals = RuleSupport.intervals(group)
            let lifetimes = group.compactMap(\.lifetimeSeconds)
            // How long each instance ran: lifetimes where the API kept them, else the gaps between kills.
            let runs = lifetimes.count >= 2 || intervals.isEmpty ? lifetimes : intervals
            let mean = runs.isEmpty ? 0 : runs.reduce(0, +) / Double(runs.count)
            let pattern: String
            if !runs.isEmpty, runs.allSatisfy({ $0 < 180 }) {
                pattern = "Each instance was killed within \(RuleSupport.duration(runs.max() ?? 0)) of the previous end: the limit is below the container's working set. Raising the limit is the fix."
            } else if runs.count >= 2, runs.allSatisfy({ abs($0 - mean) <= mean * 0.35 }) {
                pattern = "Each instance ran a similar time (about \(RuleSupport.duration(mean))) before reaching the limit: memory grows steadily after start, which points to a leak or an unbounded cache. A higher limit only buys time; profile the application's memory."
            } else {
                pattern = "The times between kills vary, so they do not show whether the limit is too low or memory leaks; compare the container's memory over time (`kubectl top pod`, metrics) with its limit."
            }
            let recommended = peak.map(RuleSupport.recommendedLimit)
            var (commands, unnamed) = RuleSupport.limitAdvice(first, limit: recommended)
            if let describe = RuleSupport.describeCommand(group[group.count - 1]) { commands.append(describe) }
            let label = RuleSupport.namesNoPod(first)
                ? RuleSupport.podLabel(first, name: nil) : "\(first.namespace ?? "?")/\(first.workload ?? first.pod ?? "the pod")"
            let container = first.container ?? (RuleSupport.namesNoPod(first) ? first.process?.name : nil)
            return Finding(
                rule: id, severity: .warning,
                title: "\(container ?? "container") in \(label) was OOM-killed \(group.count) times",
                subject: RuleSupport.subject(first), incidents: RuleSupport.ids(group),
                explanation: "The kernel killed \(container ?? "the container") \(group.count) times because its memory cgroup reached its limit (\(RuleSupport.format(limit))); the highest memory seen at a kill was \(RuleSupport.format(peak)). \(pattern)\(unnamed)",
                recommendation: recommended.map {
                    "Set the memory limit to \(Quantity.format($0)) (\(RuleSupport.format(peak)) × 1.5, rounded up to 64 MiB) and the request to the same value, then watch for further kills."
                } ?? "Raise the memory limit above the container's working set and set the request equal to it.",
                commands: commands)
        }
    }

    public var triggeringExamples: [RuleExample] {
        let base = ExampleTimeline().pod("shop", "cart-7d9f8c6b5-x2x1z", node: "n1", owner: "ReplicaSet/cart-7d9f8c6b5", container: "cart", limit: "256Mi")
        return [
            RuleExample("three kills an hour apart", base
                .incident(.oomKill, "shop", "cart-7d9f8c6b5-x2x1z", "cart", at: "2024-10-12T10:00:00Z", rss: "250Mi", limit: "256Mi")
                .incident(.oomKill, "shop", "cart-7d9f8c6b5-x2x1z", "cart", at: "2024-10-12T11:00:00Z", rss: "251Mi", limit: "256Mi")
                .incident(.oomKill, "shop", "cart-7d9f8c6b5-x2x1z", "cart", at: "2024-10-12T12:00:00Z", rss: "252Mi", limit: "256Mi").input),
            RuleExample("two kills in one pod known from node logs alone", ExampleTimeline()
                .incident(.oomKill, nil, nil, nil, node: "n1", at: "2024-10-12T10:00:00Z", rss: "91Mi", limit: "100Mi",
                          process: "stress-ng-vm", podUID: "5931aa75-4603-4e65-b552-7c71cf55cfb5")
                .incident(.oomKill, nil, nil, nil, node: "n1", at: "2024-10-12T10:00:07Z", rss: "92Mi", limit: "100Mi",
                          process: "stress-ng-vm", podUID: "5931aa75-4603-4e65-b552-7c71cf55cfb5").input),
        ]
    }

    public var nonTriggeringExamples: [RuleExample] {
        let base = ExampleTimeline().pod("shop", "cart-1", container: "cart", limit: "256Mi")
        return [
            RuleExample("a single kill", base.incident(.oomKill, "shop", "cart-1", "cart", at: "2024-10-12T10:00:00Z", rss: "250Mi").input),
            RuleExample("two different containers", base
                .incident(.oomKill, "shop", "cart-1", "cart", at: "2024-10-12T10:00:00Z")
                .incident(.oomKill, "shop", "cart-1", "sidecar", at: "2024-10-12T11:00:00Z").input),
            RuleExample("restarts, not OOM kills", base
                .incident(.restart, "shop", "cart-1", "cart", at: "2024-10-12T10:00:00Z", exitCode: 137, cause: "liveness probe failed")
                .incident(.restart, "shop", "cart-1", "cart", at: "2024-10-12T11:00:00Z", exitCode: 137, cause: "liveness probe failed").input),
        ]
    }
}
