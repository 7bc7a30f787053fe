/// Builds small timelines for rule examples and tests, in a few readable lines.
///
///     ExampleTimeline()
///         .pod("shop", "cart-7d9f8c6b5-x2x1z", node: "aks-user-1", owner: "ReplicaSet/cart-7d9f8c6b5",
///              container: "cart", limit: "256Mi")
///         .incident(.oomKill, "shop", "cart-7d9f8c6b5-x2x1z", "cart", at: "2024-10-12T19:00:20Z", rss: "250Mi")
///         .input
public struct ExampleTimeline: Sendable {
    public private(set) var incidents: [Incident] = []
    public private(set) var pods: [PodFacts] = []
    public private(set) var nodes: [NodeFacts] = []
    public private(set) var observations: [Observation] = []
    public var bundle = BundleSummary(source: "example.tar.gz", format: "tar.gz")

    public init() {
        bundle.entries = [
            InventoryEntry(path: "nodes/n/var/log/syslog", declaredSize: 1, bytesParsed: 1, kind: .nodeLog, skipReason: nil, node: "n"),
            InventoryEntry(path: "cluster-resources/events/default.json", declaredSize: 1, bytesParsed: 1, kind: .apiJSON, skipReason: nil, node: nil),
        ]
    }

    public func pod(
        _ namespace: String, _ name: String, node: String? = nil, owner: String? = nil, qos: String? = nil,
        container: String = "app", limit: String? = nil, request: String? = nil, restarts: Int? = nil
    ) -> ExampleTimeline {
        var copy = self
        var pod = PodFacts(namespace: namespace, name: name, location: SourceLocation(file: "pods.json", line: 1))
        pod.node = node
        pod.qosClass = qos
        if let owner, let slash = owner.firstIndex(of: "/") {
            pod.ownerKind = String(owner[..<slash])
            pod.ownerName = String(owner[owner.index(after: slash)...])
        }
        var c = ContainerFacts(name: container)
        c.memoryLimitBytes = limit.flatMap(Quantity.bytes)
        c.memoryRequestBytes = request.flatMap(Quantity.bytes)
        c.restartCount = restarts
        pod.containers = [c]
        copy.pods.append(pod)
        return copy
    }

    public func node(_ name: String, labels: [String: String] = [:], allocatable: String? = nil) -> ExampleTimeline {
        var copy = self
        var node = NodeFacts(name: name, location: SourceLocation(file: "nodes.json", line: 1))
        node.labels = labels
        node.allocatableMemoryBytes = allocatable.flatMap(Quantity.bytes)
        copy.nodes.append(node)
        return copy
    }

    public func incident(
        _ kind: Incident.Kind, _ namespace: String?, _ pod: String?, _ container: String?, node: String? = nil,
        at time: String?, rss: String? = nil, limit: String? = nil, exitCode: Int? = nil, reason: String? = nil,
        cause: String? = nil, process: String? = nil, resource: String? = nil, lifetime: Double? = nil,
        podUID: String? = nil, source: EvidenceSource = .kernel
    ) -> ExampleTimeline {
        var copy = self
        var inc = Incident(id: "inc-\(incidents.count + 1)", kind: kind)
        inc.namespace = namespace
        inc.pod = pod
        inc.container = container
        inc.podUID = podUID
        inc.time = time.flatMap(RFC3339.instant).map { ResolvedTime($0, inferred: false) }
        if let facts = pods.first(where: { $0.namespace == namespace && $0.name == pod }) {
            inc.node = node ?? facts.node
            if let kind = facts.ownerKind, let name = facts.ownerName { inc.workload = Correlator.workload(kind: kind, name: name) }
            inc.qosClass = facts.qosClass
        } else {
            inc.node = node
        }
        if rss != nil || limit != nil {
            inc.memory = MemoryFigures(limitBytes: limit.flatMap(Quantity.bytes), anonRSSBytes: rss.flatMap(Quantity.bytes))
        }
        inc.exitCode = exitCode
        inc.reason = reason ?? (kind == .oomKill ? "OOMKilled" : nil)
        inc.cause = cause
        inc.resource = resource
        inc.lifetimeSeconds = lifetime
        if let process { inc.process = ProcessRef(name: process, pid: 1000 + incidents.count) }
        inc.evidence = [Incident.Evidence(file: "example.log", line: incidents.count + 1, source: source, timeText: time, summary: "example")]
        copy.incidents.append(inc)
        return copy
    }

    public func observation(_ observation: Observation) -> ExampleTimeline {
        var copy = self
        copy.observations.append(observation)
        return copy
    }

    public func withoutNodeLogs() -> ExampleTimeline {
        var copy = self
        copy.bundle.entries.removeAll { $0.kind == .nodeLog }
        return copy
    }

    public var input: DiagnosisInput {
        let timeline = Timeline(
            observations: observations, times: observations.map { _ in nil }, incidentIDs: observations.map { _ in nil },
            incidents: incidents, pods: pods, nodes: nodes, clock: Clock(hints: []))
        return DiagnosisInput(timeline: timeline, bundle: bundle)
    }
}
