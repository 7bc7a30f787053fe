/// What one observation says happened (or what it reports about the cluster's state).
public enum ObservationKind: String, Sendable, Hashable, CaseIterable {
    /// The kernel OOM killer killed a process (memcg or global; see `KernelOOMDetails.constraint`).
    case kernelOOMKill = "kernel-oom-kill"
    /// systemd: `<unit>.scope: A process of this unit has been killed by the OOM killer.`
    case systemdOOMKill = "systemd-oom-kill"
    /// The container runtime's OOM event (containerd `TaskOOM`, Docker `container oom`, CRI-O).
    case runtimeOOM = "runtime-oom"
    /// The container runtime saw a task exit (containerd `TaskExit`, Docker `die`).
    case runtimeExit = "runtime-exit"
    /// The kubelet saw a container die (PLEG `ContainerDied`, `container finished` with exitCode).
    case containerDied = "container-died"
    /// The kubelet saw a container start (PLEG `ContainerStarted`).
    case containerStarted = "container-started"
    /// A terminated container state reported by the API (pod `lastState`/`state`, describe `Last State`).
    case containerTerminated = "container-terminated"
    /// The kubelet killed a container (`Killing container with a grace period`, event `Killing`).
    case containerKilled = "container-killed"
    /// A liveness, readiness or startup probe failed.
    case probeFailed = "probe-failed"
    /// The kubelet is backing off restarting a container (`CrashLoopBackOff`, event `BackOff`).
    case backOff = "back-off"
    /// The kubelet found the node under resource pressure (eviction thresholds, `EvictionThresholdMet`,
    /// `NodeHasInsufficientMemory`, condition `MemoryPressure`).
    case nodePressure = "node-pressure"
    /// The kubelet evicted a pod (eviction manager, event `Evicted`, pod status `reason: Evicted`).
    case podEvicted = "pod-evicted"
    /// The kubelet reported a system OOM (`SystemOOM` event or `System OOM encountered`).
    case systemOOMReported = "system-oom-reported"
    /// node-problem-detector's `OOMKilling` event, which repeats the kernel's kill line.
    case oomKillingEvent = "oom-killing-event"
    /// An application's own out-of-memory error in a container log (Java, .NET, Node.js, Go).
    case applicationOOM = "application-oom"
    /// A cgroup memory counter file (`memory.events` oom_kill, `memory.max`, `memory.current`, …).
    case cgroupMemory = "cgroup-memory"
    /// The node booted (journal `-- Boot` marker, kernel `Linux version` banner).
    case nodeBoot = "node-boot"
    /// Any other Kubernetes event worth showing on the timeline.
    case event
}
