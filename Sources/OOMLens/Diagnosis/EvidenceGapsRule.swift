/// Says what the bundle cannot show, so that a clean report is not mistaken for a clean cluster.
public struct EvidenceGapsRule: DiagnosisRule {
    public let id = "evidence-gaps"
    public let summary = "The bundle lacks evidence needed to see or explain some incidents."
    public let rationale = """
        Only the kernel log says which process was killed and why; events expire after an hour; logs are \
        rotated and cut. A bundle without node logs, without events, or whose logs end before the incidents \
        can show OOMKilled statuses but not their cause, and can miss incidents altogether.
        """

    public init() {}

    public func evaluate(_ input: DiagnosisInput) -> [Finding] {
        var gaps: [String] = []
        let kinds = Set(input.bundle.entries.compactMap(\.kind))
        let nodeLogKinds: Set<FileKind> = [.nodeLog, .dmesg, .journalJSON]
        if kinds.isDisjoint(with: nodeLogKinds) {
            gaps.append("No node kernel log (syslog, kern.log, journal or dmesg): kernel OOM records, the victim process and node-level OOMs cannot be seen.")
        } else {
            let nodesWithLogs = Set(input.timeline.observations.filter { $0.source == .kernel || $0.source == .kubelet }.compactMap(\.node))
            let nodesWithIncidents = Set(input.incidents.compactMap(\.node))
            let missing = nodesWithIncidents.subtracting(nodesWithLogs).sorted()
            if !missing.isEmpty, !nodesWithLogs.isEmpty {
                gaps.append("No node logs for \(missing.joined(separator: ", ")), where incidents happened.")
            }
        }
        if kinds.isDisjoint(with: [.apiJSON, .apiYAML, .getEvents, .describePods, .describeNodes]) {
            gaps.append("No Kubernetes events or pod statuses: evictions and restarts known only to the API are missing.")
        }
        let apiOnly = input.incidents.filter { inc in
            (inc.kind == .oomKill || inc.kind == .nodeOOM) && !inc.evidence.contains { $0.source == .kernel }
        }
        if !apiOnly.isEmpty, !kinds.isDisjoint(with: nodeLogKinds) {
            gaps.append("\(apiOnly.count) OOM kill(s) have no kernel record in the bundle: the node logs do not cover them (rotated, cut, or another node).")
        }
        if !input.bundle.complete {
            gaps.append("The bundle is damaged or was cut short: what follows the damage was not read.")
        }
        let cut = input.bundle.warnings.filter { $0.message.contains("were cut") }.count
        if cut > 0 { gaps.append("\(cut) file(s) had over-long lines that were cut.") }
        // Records that carry a time the clock could not resolve; not those that never carry one (a
        // pod status "in CrashLoopBackOff" now, a `describe` state without a date).
        let timeline = input.timeline
        let unplaced = timeline.observations.indices.filter { timeline.times[$0] == nil && timeline.observations[$0].time != nil }.count
        if unplaced > 0, !input.timeline.observations.isEmpty {
            gaps.append("\(unplaced) record(s) could not be placed in time (no year, zone or boot time to resolve them).")
        }
        guard !gaps.isEmpty else { return [] }
        return [Finding(
            rule: id, severity: .info,
            title: "What this bundle cannot show",
            subject: Finding.Subject(), incidents: RuleSupport.ids(apiOnly),
            explanation: gaps.joined(separator: " "),
            recommendation: "Collect node logs (kern.log/syslog or `journalctl -k`, kubelet and containerd journals) and events close to the incident; see `oomlens inventory` for what was read.",
            commands: [])]
    }

    public var triggeringExamples: [RuleExample] {
        [RuleExample("no node logs", ExampleTimeline().withoutNodeLogs()
            .incident(.oomKill, "web", "api", "api", at: "2024-01-01T00:00:00Z", source: .podStatus).input),
         RuleExample("a dmesg stamp without a boot time", ExampleTimeline()
            .incident(.oomKill, "web", "api", "api", node: "n", at: "2024-01-01T00:00:00Z")
            .observation(Self.record(time: TimeReading(.sinceBoot(seconds: 8523.347168), text: "[ 8523.347168]"))).input)]
    }

    public var nonTriggeringExamples: [RuleExample] {
        [RuleExample("complete evidence", ExampleTimeline().incident(.oomKill, "web", "api", "api", node: "n", at: "2024-01-01T00:00:00Z").input),
         RuleExample("a pod status in back-off now, which has no time", ExampleTimeline()
            .incident(.oomKill, "web", "api", "api", node: "n", at: "2024-01-01T00:00:00Z")
            .observation(Self.record(time: nil)).input)]
    }

    /// A record of the examples' container (the examples' timelines place none of their records).
    private static func record(time: TimeReading?) -> Observation {
        var o = Observation(kind: .backOff, source: .podStatus, location: SourceLocation(file: "pods.json", line: 1), time: time,
                            summary: "container api of pod web/api is in CrashLoopBackOff")
        o.namespace = "web"; o.pod = "api"; o.container = "api"
        return o
    }
}
