/// Numbers (incidents, observations) in order of their instants, then of the numbers: the lists the
/// correlator searches by time instead of reading them whole.
struct TimeOrdered {
    private(set) var entries: [(instant: Instant, number: Int)] = []

    /// Where `number` at `instant` goes: after every entry below it. With `Int.min`, the first entry
    /// at or after `instant`.
    func position(of instant: Instant, _ number: Int) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle] < (instant, number) { low = middle + 1 } else { high = middle }
        }
        return low
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
