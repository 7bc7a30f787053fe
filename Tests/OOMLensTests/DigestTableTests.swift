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

    /// Ids found by a brute-force search so that the fixed digest oomlens used before gave all of them
    /// the same low 16 bits: under it they fill one run of slots, each stored id probing past all the
    /// ones before. Keyed per process, the digest spreads them as it spreads any ids.
    @Test func idsCraftedAgainstAFixedDigestSpreadOverTheSlots() throws {
        let ids = try Fixture.text("idsCraftedAgainstAFixedDigestSpreadOverTheSlots.txt")
            .split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
        #expect(ids.count == 256)

        var fixed = DigestTable<Int>(capacity: ids.count)
        for (i, id) in ids.enumerated() { fixed[Self.fixedDigest(id)] = i }
        #expect(fixed.count == 256)
        #expect(fixed.longestProbe == 255, "the fixture is no longer adversarial")

        var keyed = DigestTable<Int>(capacity: ids.count)
        for (i, id) in ids.enumerated() { keyed[PodDigests.digest(id)] = i }
        #expect(keyed.count == 256)
        // 256 digests in 512 slots: a run of 64 has a vanishing chance with well-mixed keys.
        #expect(keyed.longestProbe < 64)
        #expect(ids.allSatisfy { id in keyed[PodDigests.digest(id)].map { ids[$0] == id } ?? false })
    }

    /// The unkeyed digest the fixture was searched against: eight bytes at a time, multiplied and
    /// shifted, the same for every process.
    private static func fixedDigest(_ string: String) -> UInt64 {
        let bytes = Array(string.utf8)
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        func mix(_ word: UInt64) {
            h = (h ^ word) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h &>> 32
        }
        var i = 0
        while i + 8 <= bytes.count {
            mix(bytes[i..<(i + 8)].reversed().reduce(0) { $0 << 8 | UInt64($1) })
            i += 8
        }
        mix(bytes[i...].reversed().reduce(0) { $0 << 8 | UInt64($1) })
        h ^= h &>> 29
        h = h &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h &>> 32)
    }
}
