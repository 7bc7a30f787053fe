/// What only a kernel OOM-killer block tells: why the kill happened and which cgroups were involved.
public struct KernelOOMDetails: Sendable, Hashable {
    /// Why memory ran out.
    public enum Constraint: String, Sendable, Hashable {
        /// A memory cgroup hit its limit (`CONSTRAINT_MEMCG`, `Memory cgroup out of memory`).
        case memcg = "CONSTRAINT_MEMCG"
        /// The whole node ran out (`CONSTRAINT_NONE`, `global_oom`, `Out of memory:`).
        case none = "CONSTRAINT_NONE"
        case cpuset = "CONSTRAINT_CPUSET"
        case memoryPolicy = "CONSTRAINT_MEMORY_POLICY"
    }

    /// Which Kubernetes level the limiting cgroup belongs to.
    public enum LimitScope: String, Sendable, Hashable {
        case container, pod, node, other
    }

    public var constraint: Constraint?
    /// The process whose allocation invoked the killer (`stress-ng-vm invoked oom-killer`).
    public var invoker: String?
    /// The cgroup whose limit was hit (`oom_memcg=`, `killed as a result of limit of`).
    public var limitingCgroup: String?
    /// The victim's cgroup (`task_memcg=`, `Task in … killed`).
    public var victimCgroup: String?
    public var limitScope: LimitScope?
    /// `Guaranteed`, `Burstable` or `BestEffort`, decoded from the cgroup path.
    public var qosClass: String?
    /// `containerd`, `docker`, `crio` from the scope name, when the path says it.
    public var runtime: String?
    /// 1 or 2, from the `swap:` vs `memory+swap:` lines, or the stat format.
    public var cgroupVersion: Int?
    public var oomScoreAdj: Int?
    /// Kernel release from the `CPU:` line (`5.15.0-1041-azure`).
    public var kernelRelease: String?
    /// The block was cut short or rate limited: some of its parts are missing.
    public var incomplete: Bool = false
    /// Number of processes killed at once by a cgroup v2 `memory.oom.group` kill.
    public var groupKillCount: Int?

    public init() {}
}
