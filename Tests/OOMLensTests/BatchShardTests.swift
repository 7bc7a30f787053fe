import Testing
@testable import OOMLens

/// `--shard K/N`: parsing, and that the shards of N split any list of bundles exactly.
@Suite struct BatchShardTests {
    @Test func parsesKOfN() {
        #expect(ShardSelector(parsing: "0/4") == ShardSelector(index: 0, count: 4))
        #expect(ShardSelector(parsing: "3/4")?.description == "3/4")
        for bad in ["4/4", "-1/4", "1/0", "1", "a/b", "1/4/2", "", "/4", "1/"] {
            #expect(ShardSelector(parsing: bad) == nil, "\(bad)")
        }
        #expect(ShardSelector.all.contains(sha256: "ffffffffffffffff0000"))
    }

    /// The shard is the first 8 bytes of the digest, big-endian, modulo N.
    @Test func shardIsTheDigestPrefixModuloN() {
        #expect(ShardSelector.shard(ofSHA256: "0000000000000005" + String(repeating: "a", count: 48), count: 4) == 1)
        #expect(ShardSelector.shard(ofSHA256: "00000000000000ff" + String(repeating: "0", count: 48), count: 16) == 15)
        #expect(ShardSelector.shard(ofSHA256: "FFFFFFFFFFFFFFFF", count: 10) == Int(UInt64.max % 10))
        #expect(ShardSelector.shard(ofSHA256: "not hex at all!!", count: 7) == 0)
        #expect(ShardSelector.shard(ofSHA256: "abc", count: 7) == 0)
    }

    /// Property: for random digest lists and every N from 1 to 17, each digest is in exactly one of the
    /// N shards, and the shards are roughly even.
    @Test func shardsCoverEveryInputExactlyOnce() throws {
        var random = BatchRandom(seed: 42)
        for round in 0..<25 {
            let count = Int(random.next() % 400) + round
            let digests = (0..<count).map { _ in random.sha256Hex() }
            for n in 1...17 {
                let selectors = try (0..<n).map { try #require(ShardSelector(index: $0, count: n)) }
                var sizes = [Int](repeating: 0, count: n)
                for digest in digests {
                    let owners = selectors.filter { $0.contains(sha256: digest) }
                    #expect(owners.count == 1, "\(digest) in \(owners.count) shards of \(n)")
                    if let owner = owners.first { sizes[owner.index] += 1 }
                }
                #expect(sizes.reduce(0, +) == digests.count)
            }
        }
        // Balance on a large list: every one of 8 shards within 10% of its share of 16,000.
        let many = (0..<16_000).map { _ in random.sha256Hex() }
        var sizes = [Int](repeating: 0, count: 8)
        for digest in many { sizes[ShardSelector.shard(ofSHA256: digest, count: 8)] += 1 }
        #expect(sizes.allSatisfy { abs($0 - 2000) < 200 }, "\(sizes)")
    }
}
