/// The kernel kills already placed in incidents, by process id and name, in time order: the
/// correlator finds whether a kill is a copy of one placed before (the same record in syslog, the
/// journal and dmesg) by reading the kills within seconds of it instead of every earlier kill of that
/// process.
///
/// Records whose kill line is missing have no process id and all shared one list: a syslog of 10,000
/// such OOM reports spent about a third of its 3.4 s comparing each with all those before it.
struct KernelKillCopies {
    /// Copies share the process id and name.
    private struct Process: Hashable {
        var pid: Int?
        var name: String?
    }

    /// One process's kills, each list ascending.
    private struct Placed {
        /// Every kill, by number.
        var all: [Int] = []
        /// The kills without a time, by number.
        var untimed: [Int] = []
        /// The kills with a time.
        var timed = TimeOrdered()
    }

    private var byProcess: [Process: Placed] = [:]

    /// Notes kill `kill` (an observation number, higher than any noted before) as placed.
    mutating func place(_ kill: Int, pid: Int?, name: String?, instant: Instant?) {
        let process = Process(pid: pid, name: name)
        var placed = byProcess.removeValue(forKey: process) ?? Placed()
        placed.all.append(kill)
        if let instant {
            placed.timed.insert(kill, at: instant)
        } else {
            placed.untimed.append(kill)
        }
        byProcess[process] = placed
    }

    /// The first placed kill of this process (the lowest number) for which `isCopy` holds, asking
    /// only those that can be copies of a kill at `instant`: the ones without a time, and those
    /// within `window` seconds of it when it has one. `isCopy` must hold for none farther away.
    func firstCopy(pid: Int?, name: String?, at instant: Instant?, window: Int64, isCopy: (Int) -> Bool) -> Int? {
        guard let placed = byProcess[Process(pid: pid, name: name)] else { return nil }
        guard let instant else { return placed.all.first(where: isCopy) }
        var first = placed.untimed.first(where: isCopy)
        let from = Instant(seconds: instant.seconds - window, nanoseconds: instant.nanoseconds)
        let through = Instant(seconds: instant.seconds + window, nanoseconds: instant.nanoseconds)
        for (_, kill) in placed.timed.between(from, through) where kill < first ?? Int.max {
            if isCopy(kill) { first = kill }
        }
        return first
    }
}
