import Testing
@testable import OOMLens

/// The identity index's table by digest answers as a dictionary would.
@Suite struct DigestTableTests {
    /// Seeded digests, some sharing their low bits (the slot) and some repeated, against a `Dictionary`.
    @Test(arguments: [0, 5, 1_000])
    func agreesWithADictionary(capacity: Int) {
        var rng = XorShift(seed: 11)
        var table = DigestTable<Int>(capacity: capacity)
        var expected: [UInt64: Int] = [:]
        for i in 0..<5_000 {
            // Mostly mixed digests as `IdentityIndex.digest` makes them; every 10th shares its low bits
            // (its first slot) with others, and every 7th repeats one stored before.
            let random = UInt64.random(in: 0...UInt64.max, using: &rng)
            let digest = i % 7 == 0 ? UInt64(i % 50) << 4 : i % 10 == 0 ? (random & ~0xFFFF) | 0x2A : random
            table[digest == 0 ? 2 : digest] = i
            expected[digest == 0 ? 2 : digest] = i
        }
        #expect(table.count == expected.count)
        let mismatches = expected.filter { table[$0.key] != $0.value }.count
        #expect(mismatches == 0)
        var absent = 0
        for _ in 0..<5_000 {
            let digest = UInt64.random(in: 0...UInt64.max, using: &rng)
            if expected[digest] == nil, table[digest] != nil { absent += 1 }
        }
        #expect(absent == 0)
    }

    @Test func storingAgainReplacesAndZeroSharesOnesSlot() {
        var table = DigestTable<String>()
        #expect(table[7] == nil)
        table[7] = "a"
        table[7] = "b"
        #expect(table[7] == "b")
        #expect(table.count == 1)
        table[0] = "zero"
        #expect(table[1] == "zero")  // 0 marks an empty slot: digest 0 is kept as 1
        table[1] = "one"
        #expect(table[0] == "one")
        table[9] = nil  // no removal: ignored
        #expect(table[9] == nil)
        #expect(table.count == 2)
    }
}
