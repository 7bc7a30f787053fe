/// What the API knew about one pod: the identity and settings the timeline joins on and rules read.
public struct PodFacts: Sendable, Hashable {
    public var namespace: String
    public var name: String
    public var uid: String?
    public var node: String?
    public var qosClass: String?
    public var priorityClass: String?
    /// The controller, as `kind/name` (`ReplicaSet/pay-65dd7b9cb4`).
    public var ownerKind: String?
    public var ownerName: String?
    public var phase: String?
    public var reason: String?
    public var message: String?
    /// The static-pod hash (`kubernetes.io/config.hash`), which names its cgroup instead of the UID.
    public var configHash: String?
    public var containers: [ContainerFacts]
    public var location: SourceLocation

    public init(namespace: String, name: String, location: SourceLocation) {
        self.namespace = namespace
        self.name = name
        self.containers = []
        self.location = location
    }
}

/// One container of a pod as the API described it.
public struct ContainerFacts: Sendable, Hashable {
    public var name: String
    public var isInit: Bool
    public var memoryRequestBytes: Int64?
    public var memoryLimitBytes: Int64?
    public var image: String?
    /// The current container's bare id.
    public var containerID: String?
    /// The previous (terminated) container's bare id, from `lastState.terminated.containerID`.
    public var lastContainerID: String?
    public var restartCount: Int?
    public var state: String?

    public init(name: String, isInit: Bool = false) {
        self.name = name
        self.isInit = isInit
    }
}

/// What the API knew about one node.
public struct NodeFacts: Sendable, Hashable {
    public var name: String
    public var labels: [String: String]
    public var capacityMemoryBytes: Int64?
    public var allocatableMemoryBytes: Int64?
    /// Conditions by type (`MemoryPressure` → `True`).
    public var conditions: [String: String]
    /// Sum of the memory requests and limits of the pods on it, when a describe table gave them.
    public var podsMemoryRequestsBytes: Int64?
    public var podsMemoryLimitsBytes: Int64?
    public var location: SourceLocation

    public init(name: String, location: SourceLocation) {
        self.name = name
        self.labels = [:]
        self.conditions = [:]
        self.location = location
    }
}
