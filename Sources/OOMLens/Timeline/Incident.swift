/// One real thing that happened to one container or pod (or to a node), with all its evidence.
public struct Incident: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The kernel killed a process because its container's or pod's memory cgroup hit its limit.
        case oomKill = "oom-kill"
        /// The kernel killed a process because the whole node ran out of memory.
        case nodeOOM = "node-oom"
        /// The kubelet evicted a pod under node pressure.
        case eviction
        /// A container restart not caused by the above: crash, failed liveness probe, node reboot, unknown.
        case restart
    }

    /// A piece of evidence: where it was read and what kind of record it was.
    public struct Evidence: Sendable, Hashable {
        public var file: String
        public var line: Int?
        public var source: EvidenceSource
        /// The source's own time text, kept verbatim.
        public var timeText: String?
        public var summary: String
    }

    public var id: String
    public var kind: Kind
    public var time: ResolvedTime?
    public var node: String?
    public var namespace: String?
    public var pod: String?
    public var container: String?
    public var podUID: String?
    public var containerID: String?
    public var process: ProcessRef?
    public var memory: MemoryFigures?
    public var exitCode: Int?
    public var reason: String?
    public var resource: String?
    /// The workload that owns the pod (`Deployment/web`), where known.
    public var workload: String?
    public var qosClass: String?
    /// For kernel kills: `CONSTRAINT_MEMCG`, `CONSTRAINT_NONE`, …
    public var constraint: String?
    /// For kernel kills: which level's limit was hit (`container`, `pod`, `node`).
    public var limitScope: String?
    /// For restarts: why (`liveness probe failed`, `node reboot`, `crash`, `unknown`).
    public var cause: String?
    /// Seconds the container ran before this end, where known (finishedAt − startedAt).
    public var lifetimeSeconds: Double?
    public var evidence: [Evidence]
    /// Indices into the timeline's observations that belong to this incident.
    public var observationIndices: [Int]

    public init(id: String, kind: Kind) {
        self.id = id
        self.kind = kind
        self.evidence = []
        self.observationIndices = []
    }

    /// `namespace/pod/container`, as far as known.
    public var subjectLabel: String {
        var parts: [String] = []
        if let namespace { parts.append(namespace) }
        if let pod { parts.append(pod) }
        if let container { parts.append(container) }
        if parts.isEmpty, let node { return "node \(node)" }
        return parts.joined(separator: "/")
    }
}
