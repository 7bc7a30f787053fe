/// Finds applications that ran out of memory by their own account (heap limits), not by the kernel's.
public struct ApplicationOOMRule: DiagnosisRule {
    public let id = "application-oom"
    public let summary = "An application reported its own out-of-memory error in its container log."
    public let rationale = """
        A Java OutOfMemoryError, a .NET OutOfMemoryException or a Node.js heap limit is the runtime's own \
        heap cap, not the container's: raising the container limit does not help unless the runtime is told \
        to use it. Runtimes that are not container-aware size their heap from the node's memory, and older \
        ones do not read cgroup v2 limits at all.
        """

    public init() {}

    public func evaluate(_ input: DiagnosisInput) -> [Finding] {
        var seen: [String: [Int]] = [:]
        var order: [String] = []
        for (i, o) in input.timeline.observations.enumerated() where o.kind == .applicationOOM {
            let key = "\(o.namespace ?? "")/\(o.pod ?? "")/\(o.container ?? "")"
            if seen[key] == nil { order.append(key) }
            seen[key, default: []].append(i)
        }
        return order.compactMap { key -> Finding? in
            guard let indices = seen[key], let first = indices.first else { return nil }
            let o = input.timeline.observations[first]
            let reason = o.reason ?? "out of memory"
            let advice: String
            if reason.contains("java") || reason.contains("Java") {
                advice = "Size the JVM heap from the container limit: -XX:MaxRAMPercentage=75 (JDK 10+, 8u191+; cgroup v2 needs JDK 15+, 11.0.16+ or 8u372+), or an explicit -Xmx below the limit leaving room for metaspace, threads and direct buffers."
            } else if reason.contains("JavaScript") || reason.contains("heap") {
                advice = "Set Node.js's heap from the container limit: --max-old-space-size (MiB) at about 75% of the limit (Node 20+ reads cgroup limits itself)."
            } else if reason.contains("System.OutOfMemoryException") || reason.contains(".NET") {
                advice = "Use a container-aware .NET (Core 3.0+; cgroup v2 needs .NET 5+) and cap the GC heap with DOTNET_GCHeapHardLimitPercent if needed."
            } else {
                advice = "Check the runtime's own memory cap against the container limit."
            }
            let incidents = input.incidents.filter { inc in inc.observationIndices.contains(where: indices.contains) }.map(\.id)
            return Finding(
                rule: id, severity: .warning,
                title: "\(o.container ?? "An application") in \(o.namespace ?? "?")/\(o.pod ?? "?") hit its runtime's memory cap",
                subject: Finding.Subject(namespace: o.namespace, pod: o.pod, container: o.container, node: o.node),
                incidents: incidents,
                explanation: "The container log says `\(reason)`\(indices.count > 1 ? " (\(indices.count) times)" : ""): the application ran out of its own heap, which is a runtime setting, independent of the kernel's container limit.",
                recommendation: advice,
                commands: o.pod.map { ["kubectl logs \($0)\(o.namespace.map { " -n \($0)" } ?? "")\(o.container.map { " -c \($0)" } ?? "") --previous"] } ?? [])
        }
    }

    public var triggeringExamples: [RuleExample] {
        var o = Observation(kind: .applicationOOM, source: .containerLog, location: SourceLocation(file: "app-previous.log", line: 3), time: nil, summary: "OOM")
        o.namespace = "shop"; o.pod = "api-1"; o.container = "api"
        o.reason = "java.lang.OutOfMemoryError: Java heap space"
        return [RuleExample("java heap", ExampleTimeline().observation(o).input)]
    }

    public var nonTriggeringExamples: [RuleExample] {
        [RuleExample("kernel kill only", ExampleTimeline().incident(.oomKill, "shop", "api-1", "api", at: "2024-01-01T00:00:00Z").input)]
    }
}
