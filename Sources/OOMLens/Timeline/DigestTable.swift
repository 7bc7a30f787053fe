/// Values by a 64-bit digest whose bits are already mixed and keyed by a seed of the process
/// (`PodDigests.digest(_:)`, so that a bundle cannot choose the slots its ids take): open addressing
/// over the digest's low bits, probing linearly, instead of a `Dictionary`, which hashes every key again
/// (SipHash) at each insert and lookup. Storing a digest again replaces its value, as a dictionary does.
///
/// Digests 0 and 1 share a slot (0 marks an empty one); like any two ids that share a digest, the caller
/// checks the id it finds.
struct DigestTable<Value> {
    /// A digest (0: the slot is empty) and the position of its value in `values`.
    private struct Slot {
        var key: UInt64 = 0
        var position: Int32 = 0
    }

    private var slots: [Slot]
    private var values: [Value] = []
    private var mask: Int

    /// An empty table with room for `capacity` values before it grows.
    init(capacity: Int = 0) {
        let count = Self.slots(for: capacity)
        slots = Array(repeating: Slot(), count: count)
        mask = count - 1
        values.reserveCapacity(capacity)
    }

    /// A power of two at least four thirds of `capacity`, so that at most three quarters of the slots
    /// are occupied: linear probing still finds a digest in a slot or two, and a 20,000-pod PodList's
    /// 40,000 container ids fill 1 MiB of slots instead of 2 (the table is built at random, so its
    /// cache misses and first-touch page faults cost more than its probes).
    private static func slots(for capacity: Int) -> Int {
        var slots = 16
        while 3 * slots < 4 * capacity { slots <<= 1 }
        return slots
    }

    var count: Int { values.count }

    subscript(digest: UInt64) -> Value? {
        get {
            let key = digest == 0 ? 1 : digest
            var slot = Int(truncatingIfNeeded: key) & mask
            while slots[slot].key != 0 {
                if slots[slot].key == key { return values[Int(slots[slot].position)] }
                slot = (slot + 1) & mask
            }
            return nil
        }
        set {
            guard let newValue else { return }  // no removal: the index only adds
            let key = digest == 0 ? 1 : digest
            var slot = Int(truncatingIfNeeded: key) & mask
            while slots[slot].key != 0 {
                if slots[slot].key == key {
                    values[Int(slots[slot].position)] = newValue
                    return
                }
                slot = (slot + 1) & mask
            }
            slots[slot] = Slot(key: key, position: Int32(truncatingIfNeeded: values.count))
            values.append(newValue)
            if 4 * values.count > 3 * slots.count { grow() }
        }
    }

    /// The farthest any stored digest lies from its first slot, in slots (tests look at it).
    var longestProbe: Int {
        var longest = 0
        for (slot, entry) in slots.enumerated() where entry.key != 0 {
            let home = Int(truncatingIfNeeded: entry.key) & mask
            longest = Swift.max(longest, (slot - home) & mask)
        }
        return longest
    }

    /// Stores `value` for `digest` unless the digest already has a value, and returns that value
    /// (nil when `value` was stored): the first value stored for a digest stays.
    mutating func insertFirst(_ value: Value, for digest: UInt64) -> Value? {
        if let existing = self[digest] { return existing }
        self[digest] = value
        return nil
    }

    /// Doubles the slots and places every key again.
    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(), count: old.count * 2)
        mask = slots.count - 1
        for entry in old where entry.key != 0 {
            var slot = Int(truncatingIfNeeded: entry.key) & mask
            while slots[slot].key != 0 { slot = (slot + 1) & mask }
            slots[slot] = entry
        }
    }
}
