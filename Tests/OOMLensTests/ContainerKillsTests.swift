import Testing
@testable import OOMLens

/// `ContainerKills` answers as the correlator's scan over every kill of a container did: one kill
/// whatever its time, else the nearest in time with the lowest number among equally near ones, the
/// first when the record has no time, and none when no kill of several has a time; also after kills
/// get their times, or other ones.
@Suite struct ContainerKillsTests {
    @Test(arguments: [1, 2, 3])
    func answersAsAScanOverEveryKill(seed: UInt64) {
        var rng = XorShift(seed: seed)
        let ids = ["a", "b", "c"]
        // Few distinct times, so that many kills are equally near; some kills get their time later.
        func someInstant() -> Instant? {
            Int.random(in: 0..<6, using: &rng) == 0 ? nil : Instant(seconds: Int64.random(in: 0..<40, using: &rng) * 10)
        }
        var kills = ContainerKills()
        var truth: [(id: String, instant: Instant?)] = []
        var mismatches: [String] = []
        for step in 0..<600 {
            if Bool.random(using: &rng) || truth.isEmpty {
                let id = ids.randomElement(using: &rng) ?? "a"
                let instant = someInstant()
                kills.note(truth.count, id: id, instant: instant, known: nil)
                truth.append((id, instant))
            } else {
                // A kill without a time gets one, as a later record gives it; one with a time may
                // get another (a kernel record preferred to the first source's).
                let n = Int.random(in: 0..<truth.count, using: &rng)
                if let instant = someInstant() {
                    kills.note(n, id: truth[n].id, instant: instant, known: truth[n])
                    truth[n].instant = instant
                }
            }
            let id = ids.randomElement(using: &rng) ?? "a"
            let asked = Int.random(in: 0..<4, using: &rng) == 0 ? nil : Instant(seconds: Int64.random(in: -5..<405, using: &rng))
            let expected = Self.scan(truth, id: id, at: asked)
            let answer = kills.nearest(id, to: asked)
            if answer.count != expected.count || answer.incident != expected.incident {
                mismatches.append("step \(step), \(id) at \(asked.map { "\($0.seconds)" } ?? "nil"): \(answer) against \(expected)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    /// The correlator's former look-up: every kill of the container in incident order, then
    /// `closest` over them.
    private static func scan(_ kills: [(id: String, instant: Instant?)], id: String, at instant: Instant?) -> (count: Int, incident: Int?) {
        let matches = kills.indices.filter { kills[$0].id == id }
        if matches.count <= 1 { return (matches.count, matches.first) }
        guard let instant else { return (matches.count, matches.first) }
        var best: (Int, Double)?
        for n in matches {
            guard let it = kills[n].instant else { continue }
            let d = abs(it.interval(since: instant))
            if let current = best, current.1 <= d { continue }
            best = (n, d)
        }
        return (matches.count, best?.0)
    }
}
