/// Renders what the diagnosis rules say about themselves: for `oomlens explain` and `docs/rules.md`.
public enum RuleCatalogRenderer {
    /// What each incident kind means, in the report contract's words.
    public static let incidentKinds: [(Incident.Kind, String)] = [
        (.oomKill, "The kernel killed a process because its container's or pod's memory cgroup hit its limit (constraint CONSTRAINT_MEMCG). Evidence: the kernel OOM block, systemd's scope notice, the runtime's TaskOOM, the pod's lastState reason OOMKilled."),
        (.nodeOOM, "The kernel killed a process because the whole node ran out of memory (constraint CONSTRAINT_NONE). Kubernetes may still call the container OOMKilled; raising its limit does not help."),
        (.eviction, "The kubelet evicted a pod because the node ran short of memory, disk or pids. Evidence: eviction-manager log lines, Evicted events, pod status reason Evicted."),
        (.restart, "A container restart not caused by the above: a crash, a failed liveness probe (exit 137 without an OOM), a node reboot, or an unknown cause."),
    ]

    /// The list shown by `oomlens explain` with no argument.
    public static func list() -> String {
        var out = ["Diagnosis rules (oomlens explain RULE for details):", ""]
        let width = DiagnosisRules.all.map(\.id.count).max() ?? 10
        for rule in DiagnosisRules.all { out.append("  \(rule.id.padding(width))  \(rule.summary)") }
        out.append("")
        out.append("Incident kinds (oomlens explain KIND):")
        out.append("")
        for (kind, _) in incidentKinds { out.append("  \(kind.rawValue)") }
        return out.joined(separator: "\n") + "\n"
    }

    /// One rule or incident kind in full; nil when the name is neither.
    public static func explain(_ name: String) -> String? {
        if let rule = DiagnosisRules.rule(id: name) {
            var out = [rule.id, "", rule.summary, ""]
            out.append(contentsOf: TextWrapper.wrap(rule.rationale, width: 80))
            out.append("")
            out.append("Triggered by, for example: " + rule.triggeringExamples.map(\.name).joined(separator: "; ") + ".")
            out.append("Not triggered by: " + rule.nonTriggeringExamples.map(\.name).joined(separator: "; ") + ".")
            return out.joined(separator: "\n") + "\n"
        }
        if let (kind, text) = incidentKinds.first(where: { $0.0.rawValue == name }) {
            return ([kind.rawValue, ""] + TextWrapper.wrap(text, width: 80)).joined(separator: "\n") + "\n"
        }
        return nil
    }

    /// `docs/rules.md`, generated from the rules themselves.
    public static func markdown() -> String {
        var out = ["# Diagnosis rules", "",
                   "Generated from the rules' own descriptions by `oomlens explain --markdown`; a test checks it is current.", ""]
        for rule in DiagnosisRules.all {
            out.append("## `\(rule.id)`")
            out.append("")
            out.append(rule.summary)
            out.append("")
            out.append(rule.rationale)
            out.append("")
            out.append("- Triggered by, for example: " + rule.triggeringExamples.map(\.name).joined(separator: "; "))
            out.append("- Not triggered by: " + rule.nonTriggeringExamples.map(\.name).joined(separator: "; "))
            out.append("")
        }
        out.append("## Incident kinds")
        out.append("")
        for (kind, text) in incidentKinds { out.append("- `\(kind.rawValue)`: \(text)") }
        return out.joined(separator: "\n") + "\n"
    }
}
