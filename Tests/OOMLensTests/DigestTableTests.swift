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

/// `IdentityIndex.needsWork` eight bytes a step finds what the byte test finds, at every position.
@Suite struct UIDCheckTests {
    @Test func agreesWithTheByteTestAtEveryPositionAndValue() {
        var disagreements: [String] = []
        for length in [0, 1, 7, 8, 9, 15, 16, 17, 36] {
            for position in 0..<max(length, 1) where position < length || length == 0 {
                for value in UInt8.min...UInt8.max {
                    var bytes = Array("0123456789abcdef-0123456789abcdef-01".utf8.prefix(length))
                    if length > 0 { bytes[position] = value }
                    let fast = bytes.withUnsafeBytes { IdentityIndex.needsWork($0) }
                    if fast != bytes.contains(where: IdentityIndex.needsWork) {
                        disagreements.append("length \(length), byte \(value) at \(position)")
                    }
                }
            }
        }
        #expect(disagreements.isEmpty)
    }

    @Test func normalizesAsLowercasingWithDashes() {
        for uid in ["9f1c2b7e-4a6d-4e2b-8c1a-0d3e5f7a9b1c", "9F1C2B7E_4A6D_4E2B_8C1A_0D3E5F7A9B1C", "pod_É_ü", "a", ""] {
            #expect(IdentityIndex.normalizeUID(uid) == String(uid.lowercased().map { $0 == "_" ? "-" : $0 }))
        }
    }
}
