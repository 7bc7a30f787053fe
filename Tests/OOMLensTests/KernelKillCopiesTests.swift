import Testing
@testable import OOMLens

/// `KernelKillCopies` finds the copy a scan over every earlier kill of the process found: the
/// lowest-numbered earlier kill with the same pid and name, on a compatible node, and within three
/// seconds unless either has no time.
@Suite struct KernelKillCopiesTests {
    private struct Kill {
        var pid: Int?
        var name: String?
        var node: String?
        var instant: Instant?
    }

    /// `Correlator.isSameKernelRecord`'s test on these kills.
    private static func isCopy(_ a: Kill, _ b: Kill) -> Bool {
        guard a.pid == b.pid, a.name == b.name else { return false }
        if let x = a.node, let y = b.node, x != y { return false }
        guard let s = a.instant, let t = b.instant else { return true }
        return abs(s.interval(since: t)) <= 3
    }

    @Test(arguments: [1, 2, 3])
    func findsWhatAScanOverEveryEarlierKillFinds(seed: UInt64) {
        var rng = XorShift(seed: seed)
        func pick<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &rng)] }
        var copies = KernelKillCopies()
        var kills: [Kill] = []
        var mismatches: [String] = []
        var found = 0
        for k in 0..<1_500 {
            // Times in half seconds over ten minutes, so that kills fall just inside and outside the
            // window; now and then one without a time, which matches any.
            let kill = Kill(
                pid: pick([nil, 1, 2, 3, 4, 5, 6]), name: pick([nil, "java", "uwsgi"]), node: pick([nil, "n1", "n2"]),
                instant: Int.random(in: 0..<40, using: &rng) == 0
                    ? nil : Instant(seconds: Int64.random(in: 0..<600, using: &rng), nanoseconds: pick([0, 500_000_000])))
            let expected = kills.indices.first { Self.isCopy(kills[$0], kill) }
            let answer = copies.firstCopy(pid: kill.pid, name: kill.name, at: kill.instant, window: 4) { Self.isCopy(kills[$0], kill) }
            if answer != expected { mismatches.append("kill \(k): \(answer.map(String.init) ?? "nil") against \(expected.map(String.init) ?? "nil")") }
            if expected != nil { found += 1 }
            copies.place(k, pid: kill.pid, name: kill.name, instant: kill.instant)
            kills.append(kill)
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        #expect(found > 100 && found < 1_400, "\(found) copies found")
    }
}
