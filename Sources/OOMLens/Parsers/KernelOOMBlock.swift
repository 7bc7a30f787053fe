/// What the records of one OOM-killer report said so far, and the observation they make.
///
/// `KernelOOMParser` fills it part by part (`invoked oom-killer`, `CPU:`, `memory:`, `oom-kill:`,
/// `Killed process`, …) and turns it into one `.kernelOOMKill` observation when the report ends.
struct KernelOOMBlock {
    /// A process named by a kill line, with the record it was read from.
    struct Kill {
        var pid: Int
        var name: String
        var line: Int
        var time: TimeReading?
        var uptime: TimeReading?
        var host: String?
        var anonRSSBytes: Int64?
        var fileRSSBytes: Int64?
        var shmemRSSBytes: Int64?
        var oomScoreAdj: Int?
        /// The kill line's message, kept as evidence.
        var text: String
    }

    var firstLine: Int
    var firstTime: TimeReading?
    var firstUptime: TimeReading?
    var host: String?
    /// (clock kind, seconds) of the latest timed record, for gap detection.
    var lastClock: (kind: Int, seconds: Double)?
    var sawTimedRecord = false

    var invoker: String?
    var invokerScoreAdj: Int?
    var invokerPID: Int?
    var cpuset: String?
    var kernelRelease: String?
    var victimCgroup: String?
    var limitingCgroup: String?
    var statsCgroup: String?
    /// The `Task in … limit of <path>` path may continue on the next, prefix-less line (hard-wrapped paste).
    var limitingMayWrap = false
    var usageBytes: Int64?
    var limitBytes: Int64?
    var failCount: Int64?
    var cgroupVersion: Int?
    /// Set from the stats format when the `swap:`/`memory+swap:` lines are missing.
    var cgroupVersionHint: Int?
    var constraint: KernelOOMDetails.Constraint?
    var constraintHint: KernelOOMDetails.Constraint?
    var sawMemInfo = false
    var oomKillLine: Int?
    var oomKillTime: TimeReading?
    var oomKillUptime: TimeReading?
    var oomKillTask: String?
    var oomKillPID: Int?
    var chosen: Kill?
    var victim: Kill?
    var groupCgroup: String?
    var groupPIDs: [Int] = []
    var incomplete = false
    var noKillableProcesses = false
    var taskColumns = 7
    var inTaskTable = false
    var taskRows: [(pid: Int, scoreAdj: Int)] = []
    /// Records since the kill that were not part of the report, to close it after a while.
    var recordsSinceKill = 0

    init(record: LogRecord) {
        firstLine = record.line
        firstTime = record.time
        firstUptime = record.uptime
        host = record.host
    }

    /// Whether the block holds anything worth an observation.
    var hasEvidence: Bool {
        invoker != nil || victim != nil || chosen != nil || oomKillLine != nil || usageBytes != nil
            || limitBytes != nil || victimCgroup != nil || limitingCgroup != nil || statsCgroup != nil
            || sawMemInfo || noKillableProcesses || groupCgroup != nil
    }

    /// The observation this block makes, or nil when it holds nothing.
    func observation(context: ParseContext) -> Observation? {
        guard hasEvidence else { return nil }
        let line = victim?.line ?? chosen?.line ?? oomKillLine ?? firstLine
        let time: TimeReading?
        let uptime: TimeReading?
        if let v = victim ?? chosen {
            time = v.time
            uptime = v.uptime
        } else if oomKillLine != nil {
            time = oomKillTime
            uptime = oomKillUptime
        } else {
            time = firstTime
            uptime = firstUptime
        }
        var details = KernelOOMDetails()
        details.constraint = constraint ?? constraintHint ?? (sawMemInfo ? KernelOOMDetails.Constraint.none : nil)
        details.invoker = invoker
        details.victimCgroup = victimCgroup
        let limiting = limitingCgroup ?? statsCgroup
        details.limitingCgroup = limiting
        details.cgroupVersion = cgroupVersion ?? cgroupVersionHint
        details.kernelRelease = kernelRelease
        details.incomplete = incomplete || invoker == nil || victim == nil

        let victimPath = victimCgroup.map(CgroupPath.init)
        let limitingPath = limiting.map(CgroupPath.init)
        let cpusetPath = cpuset.map { CgroupPath("/" + $0) }
        if let limitingPath {
            details.limitScope = limitingPath.limitScope
        } else if details.constraint == KernelOOMDetails.Constraint.none {
            details.limitScope = .node
        }
        details.qosClass = victimPath?.qosClass ?? limitingPath?.qosClass
        details.runtime = victimPath?.runtime ?? limitingPath?.runtime ?? cpusetPath?.runtime

        let process: ProcessRef?
        if let v = victim ?? chosen {
            process = ProcessRef(name: v.name, pid: v.pid)
        } else if let pid = oomKillPID {
            process = ProcessRef(name: oomKillTask ?? "", pid: pid)
        } else {
            process = nil
        }
        if let v = victim, let adj = v.oomScoreAdj {
            details.oomScoreAdj = adj
        } else if let pid = process?.pid {
            if let row = taskRows.last(where: { $0.pid == pid }) {
                details.oomScoreAdj = row.scoreAdj
            } else if invokerPID == pid {
                details.oomScoreAdj = invokerScoreAdj
            }
        }
        let distinctGroup = Set(groupPIDs + (victim.map { [$0.pid] } ?? []))
        if groupCgroup != nil { details.groupKillCount = distinctGroup.count }

        var obs = Observation(
            kind: .kernelOOMKill, source: .kernel, location: context.location(line), time: time,
            summary: "")
        obs.secondaryTime = time == nil ? nil : uptime
        if time == nil { obs.time = uptime }
        obs.node = victim?.host ?? host ?? context.nodeHint
        obs.process = process

        // Pod and container: the victim's cgroup; else the limiting one (the victim is inside it);
        // else the invoker's cpuset leaf when the invoker was the victim.
        var podUID = victimPath?.podUID
        var containerID: String?
        var conmon = false
        if let victimPath, victimPath.isContainerLevel {
            if victimPath.isConmon { conmon = true } else { containerID = victimPath.containerID }
        }
        if podUID == nil { podUID = limitingPath?.podUID }
        if containerID == nil, !conmon, victimPath == nil, let limitingPath, limitingPath.isContainerLevel,
           !limitingPath.isConmon {
            containerID = limitingPath.containerID
        }
        if containerID == nil, !conmon, victimPath == nil, let cpusetPath, cpusetPath.isContainerLevel,
           let pid = process?.pid, pid == invokerPID {
            containerID = cpusetPath.containerID
        }
        obs.podUID = podUID
        obs.containerID = containerID

        var memory = MemoryFigures(limitBytes: limitBytes, usageBytes: usageBytes, failCount: failCount)
        memory.anonRSSBytes = victim?.anonRSSBytes
        memory.fileRSSBytes = victim?.fileRSSBytes
        memory.shmemRSSBytes = victim?.shmemRSSBytes
        if !memory.isEmpty { obs.memory = memory }
        obs.message = victim?.text ?? chosen?.text
        obs.kernel = details
        obs.summary = summary(details: details, process: process, memory: memory, conmon: conmon)
        return obs
    }

    private func summary(details: KernelOOMDetails, process: ProcessRef?, memory: MemoryFigures, conmon: Bool) -> String {
        var s = "Kernel OOM killer"
        if let process {
            s += " killed \(process.name.isEmpty ? "a process" : process.name) (pid \(process.pid))"
            if conmon { s += ", CRI-O's conmon monitor" }
            if let count = details.groupKillCount, let group = groupCgroup {
                s += count > 1
                    ? " and \(count - 1) other process\(count == 2 ? "" : "es") of \(group) (memory.oom.group)"
                    : " (memory.oom.group kill of \(group))"
            }
        } else if noKillableProcesses {
            s += " found no killable process"
        } else if let invoker {
            s += " invoked by \(invoker); the kill is not in the log"
        } else {
            s += " report without its kill line"
        }
        switch details.constraint {
        case .some(.none):
            s += ": the node ran out of memory"
        case .some(.memcg):
            switch details.limitScope {
            case .some(.container): s += ": container memory limit reached"
            case .some(.pod): s += ": pod memory limit reached"
            case .some(.node): s += ": node allocatable limit of all pods reached"
            default: s += ": memory cgroup limit reached"
            }
        case .some(.cpuset): s += ": cpuset memory exhausted"
        case .some(.memoryPolicy): s += ": memory policy nodes exhausted"
        case nil: break
        }
        if let usage = memory.usageBytes, let limit = memory.limitBytes {
            s += " (usage \(Quantity.format(usage)) of \(Quantity.format(limit)))"
        } else if let limit = memory.limitBytes {
            s += " (limit \(Quantity.format(limit)))"
        }
        if let anon = memory.anonRSSBytes { s += ", anon-rss \(Quantity.format(anon))" }
        if details.incomplete { s += " [report incomplete]" }
        return s
    }
}
