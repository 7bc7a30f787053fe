/// The kill incidents (OOM kills and node OOMs) of each container id, in time order: the correlator
/// finds the kill nearest a record's time by a binary search instead of reading every kill of that
/// container.
///
/// A container whose worker processes the kernel kills again and again keeps its id through
/// thousands of kills; comparing each of their runtime and systemd records with every kill made a
/// syslog of 10,000 such kills take 13 s, growing with the square of their number.
struct ContainerKills {
    /// One container id's kills.
    private struct Kills {
        /// The kills with a time.
        var timed = TimeOrdered()
        /// How many kills, with a time or not.
        var count = 0
        /// The first incident among them (the lowest number).
        var first = Int.max
    }

    private var byContainerID: [String: Kills] = [:]

    /// Notes that kill incident `incident` now has container id `id` and time `instant`; `known` is
    /// what was noted of it before (nil: nothing, the incident had no container id). An incident's
    /// container id, once set, does not change.
    mutating func note(_ incident: Int, id: String, instant: Instant?, known: (id: String, instant: Instant?)?) {
        var kills = byContainerID.removeValue(forKey: id) ?? Kills()
        if let known, known.id == id {
            if let old = known.instant { kills.timed.remove(incident, at: old) }
        } else {
            kills.count += 1
            kills.first = Swift.min(kills.first, incident)
        }
        if let instant { kills.timed.insert(incident, at: instant) }
        byContainerID[id] = kills
    }

    /// The kill of container `id` a record at `instant` belongs to, as `Correlator.closest` picks it
    /// among all of them: with one kill, that one; with several, the nearest in time (the lowest
    /// number among equally near ones), or the first when the record has no time. `count` is how many
    /// kills the container has.
    func nearest(_ id: String, to instant: Instant?) -> (count: Int, incident: Int?) {
        guard let kills = byContainerID[id], kills.count > 0 else { return (0, nil) }
        if kills.count == 1 { return (1, kills.first) }
        guard let instant else { return (kills.count, kills.first) }
        let timed = kills.timed.entries
        var best: (incident: Int, distance: Double)?
        func consider(_ index: Int) {
            let d = abs(timed[index].instant.interval(since: instant))
            if let current = best, current.distance < d || current.distance == d && current.incident < timed[index].number { return }
            best = (timed[index].number, d)
        }
        // The first kill at or after the instant: the lowest number at the nearest time after.
        let after = kills.timed.position(of: instant, Int.min)
        if after < timed.count { consider(after) }
        // The nearest time before it: the first kill at that time has the lowest number.
        if after > 0 {
            consider(kills.timed.position(of: timed[after - 1].instant, Int.min))
        }
        return (kills.count, best?.incident)
    }
}
