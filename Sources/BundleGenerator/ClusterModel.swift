import OOMLens

/// The scenario resolved into concrete identities and histories: every node's boots and pids, every
/// pod's UID, sandbox and cgroup paths, and every container instance with its id, pid and termination.
///
/// All writers read from this one model, which is what keeps the container id in the kernel cgroup path,
/// the containerd `TaskOOM` line, the systemd scope line and `lastState.terminated.containerID` equal.
struct ClusterModel: Sendable {
    var scenario: Scenario
    var seed: UInt64
    var collectedAt: Instant
    /// Node-local UTC offset in seconds.
    var offset: Int
    var kubeVersion: (major: Int, minor: Int, patch: Int)
    var nodes: [NodeModel]
    var pods: [PodModel]
    var events: EventLog
    var options: Scenario.Options

    var provider: Scenario.Provider { scenario.provider }
    var kubeVersionString: String { "v\(kubeVersion.major).\(kubeVersion.minor).\(kubeVersion.patch)" }

    func nodeIndex(_ name: String) -> Int? { nodes.firstIndex { $0.spec.name == name } }

    func podIndex(_ reference: String) -> Int? {
        pods.firstIndex { "\($0.spec.namespace)/\($0.spec.name)" == reference }
    }
}

/// One boot of a node: when it started and the pids its daemons got.
struct Boot: Sendable {
    var start: Instant
    var id: String
    var kubeletPid: Int
    var containerdPid: Int
    var npdPid: Int
    /// When the node went down (a reboot), nil for the boot still running at collection.
    var shutdown: Instant?
}

/// A node with its resolved facts and the records of its logs.
struct NodeModel: Sendable {
    var spec: Scenario.Node
    var capacityBytes: Int64
    var allocatableBytes: Int64
    var cpu: Int
    var internalIP: String
    var uid: String
    var machineID: String
    var kernelBuild: String
    var hardware: String
    var kernelVersion: (major: Int, minor: Int)
    var containerdVersion: (major: Int, minor: Int)
    var containerdVersionString: String
    var boots: [Boot]
    var records: [NodeRecord] = []
    /// Memory-pressure intervals (eviction incidents), for the node's conditions.
    var pressure: [(start: Instant, end: Instant)] = []

    var name: String { spec.name }
    var isCgroupV2: Bool { spec.cgroupVersion == 2 }
    var isSystemd: Bool { spec.cgroupDriver == .systemd }

    /// The boot in effect at `t` (the latest one that started at or before it).
    func boot(at t: Instant) -> Boot {
        boots.last { $0.start <= t } ?? boots[0]
    }

    /// Seconds since the boot in effect at `t`.
    func uptime(at t: Instant) -> Double {
        t.interval(since: boot(at: t).start)
    }

    /// True while the node is down between a shutdown and the next boot.
    func isDown(at t: Instant) -> Bool {
        for (i, boot) in boots.enumerated() {
            if let end = boot.shutdown, t >= end, i + 1 < boots.count, t < boots[i + 1].start { return true }
        }
        return false
    }
}

/// Kubernetes QoS class of a pod.
enum QoSClass: String, Sendable {
    case guaranteed = "Guaranteed"
    case burstable = "Burstable"
    case bestEffort = "BestEffort"
}

/// Why a container instance ended.
enum TerminationCause: Sendable {
    case memcgOOM
    case podLimitOOM
    case globalOOM
    case liveness
    case appOOM
    case reboot
    case eviction
}

/// The end of one container instance.
struct Termination: Sendable {
    var at: Instant
    var exitCode: Int
    var reason: String
    var cause: TerminationCause
    var message: String?
}

/// One run of a container: from `CreateContainer` to its exit.
struct ContainerInstance: Sendable {
    var id: String
    var pid: Int
    var startedAt: Instant
    var attempt: Int
    var end: Termination?
}

/// A container with its resolved limits and the instances it went through.
struct ContainerModel: Sendable {
    var spec: Scenario.Container
    var requestBytes: Int64?
    var limitBytes: Int64?
    var comm: String
    var instances: [ContainerInstance] = []
    /// When the container should restart next but has not yet (CrashLoopBackOff at collection).
    var waitingUntil: Instant?

    var name: String { spec.name }
    var restartCount: Int { max(0, instances.count - 1) }
}

/// Why and how a pod was evicted.
struct EvictionRecord: Sendable {
    var at: Instant
    var message: String
}

/// A pod with its resolved identity and containers.
struct PodModel: Sendable {
    var spec: Scenario.Pod
    var uid: String
    var nodeIndex: Int
    var qos: QoSClass
    var podIP: String
    var startTime: Instant
    var sandboxIDs: [String]
    var ownerKind: String?
    var ownerName: String?
    var ownerUID: String
    var containers: [ContainerModel]
    var eviction: EvictionRecord?
    /// Sum of the containers' limits when every container has one: the pod slice's `memory.max`.
    var podLimitBytes: Int64?

    var namespace: String { spec.namespace }
    var name: String { spec.name }
    var reference: String { "\(spec.namespace)/\(spec.name)" }
    /// `name_namespace(uid)`, as kubelet messages print pods.
    var klogName: String { "\(spec.name)_\(spec.namespace)(\(uid))" }

    private var slice: String {
        switch qos {
        case .guaranteed: ""
        case .burstable: "burstable"
        case .bestEffort: "besteffort"
        }
    }

    /// The pod-level cgroup: `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid_>.slice`
    /// (systemd driver) or `/kubepods/burstable/pod<uid>` (cgroupfs).
    func podCgroup(systemd: Bool) -> String {
        if systemd {
            let underscored = String(uid.map { $0 == "-" ? "_" : $0 })
            if slice.isEmpty { return "/kubepods.slice/kubepods-pod\(underscored).slice" }
            return "/kubepods.slice/kubepods-\(slice).slice/kubepods-\(slice)-pod\(underscored).slice"
        }
        return slice.isEmpty ? "/kubepods/pod\(uid)" : "/kubepods/\(slice)/pod\(uid)"
    }

    /// The container's cgroup leaf: `cri-containerd-<id>.scope` (systemd) or the bare id (cgroupfs).
    static func containerLeaf(_ id: String, systemd: Bool) -> String {
        systemd ? "cri-containerd-\(id).scope" : id
    }

    func containerCgroup(_ id: String, systemd: Bool) -> String {
        podCgroup(systemd: systemd) + "/" + Self.containerLeaf(id, systemd: systemd)
    }

    /// Sandbox id in effect at `t` (a reboot re-creates the sandbox).
    func sandboxID(at t: Instant, node: NodeModel) -> String {
        let index = node.boots.lastIndex { $0.start <= t } ?? 0
        return sandboxIDs[min(index, sandboxIDs.count - 1)]
    }
}
