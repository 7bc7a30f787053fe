/// Numbers (incidents, observations) in order of their instants, then of the numbers: the lists the
/// correlator searches by time instead of reading them whole.
struct TimeOrdered {
    private(set) var entries: [(instant: Instant, number: Int)] = []

    /// Where `number` at `instant` goes: after every entry below it. With `Int.min`, the first entry
    /// at or after `instant`.
    func position(of instant: Instant, _ number: Int) -> Int {
        entries.partitionPoint { $0 >= (instant, number) }
    }

    mutating func insert(_ number: Int, at instant: Instant) {
        entries.insert((instant, number), at: position(of: instant, number))
    }

    /// Removes `number` at `instant`, when it is there.
    mutating func remove(_ number: Int, at instant: Instant) {
        let at = position(of: instant, number)
        if at < entries.count, entries[at] == (instant, number) { entries.remove(at: at) }
    }
}

extension TimeOrdered {
    /// The entries whose instants lie within `seconds` of `instant`, both ends included, widened by a
    /// second on each side: callers test each entry with their own exact condition, which must hold
    /// for no entry farther away.
    func around(_ instant: Instant, within seconds: Double) -> ArraySlice<(instant: Instant, number: Int)> {
        let margin = Int64(seconds.rounded(.up)) + 1
        return between(Instant(seconds: instant.seconds - margin, nanoseconds: instant.nanoseconds),
                       Instant(seconds: instant.seconds + margin, nanoseconds: instant.nanoseconds))
    }

    /// The entries whose instants lie from `from` through `through`, both included.
    func between(_ from: Instant, _ through: Instant) -> ArraySlice<(instant: Instant, number: Int)> {
        entries[position(of: from, Int.min)..<position(of: through, Int.max)]
    }
}
