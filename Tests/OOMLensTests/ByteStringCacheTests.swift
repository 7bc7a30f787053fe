import Testing
@testable import OOMLens

@Suite struct ByteStringCacheTests {
    /// Values of every length from 0 to 40, many sharing a length, a first or a last byte (so that
    /// several share a hint), in a repeating order longer than the caches.
    private static let values: [String] = {
        var out: [String] = []
        for length in 0...40 {
            for variant in 0..<3 {
                let first = Character(Unicode.Scalar(UInt8(ascii: "a") + UInt8(variant)))
                out.append(String(first) + String(repeating: "x", count: Swift.max(0, length - 1)))
                out.append(String(repeating: "Y", count: length / 2) + "\(variant)")
            }
        }
        return out
    }()

    private static func run(capacity: Int, lowercase: Bool) -> [String] {
        var cache = ByteStringCache(capacity: capacity, lowercase: lowercase)
        var got: [String] = []
        // Each value, then runs that revisit recent ones (hits) and older ones (evicted, misses).
        for round in 0..<3 {
            for (i, value) in values.enumerated() {
                for v in [value, values[i / 2], values[(i * 7 + round) % values.count]] {
                    got.append(Array(v.utf8).withUnsafeBytes { cache.string($0) })
                }
            }
        }
        return got
    }

    private static func expected(lowercase: Bool) -> [String] {
        var out: [String] = []
        for round in 0..<3 {
            for (i, value) in values.enumerated() {
                for v in [value, values[i / 2], values[(i * 7 + round) % values.count]] {
                    out.append(lowercase ? String(v.map { $0.isASCII ? Character($0.lowercased()) : $0 }) : v)
                }
            }
        }
        return out
    }

    @Test(arguments: [1, 4, 16, 17, 32, 300])
    func returnsTheStringOfTheBytesWhateverIsCached(capacity: Int) {
        #expect(Self.run(capacity: capacity, lowercase: false) == Self.expected(lowercase: false))
        #expect(Self.run(capacity: capacity, lowercase: true) == Self.expected(lowercase: true))
    }

    @Test func hashesStayInTheTableAndDependOnLengthAndEnds() {
        var seen = Set<Int>()
        for value in Self.values {
            let slot = Array(value.utf8).withUnsafeBytes { ByteStringCache.slot($0) }
            #expect((0..<256).contains(slot))
            seen.insert(slot)
        }
        // 246 values over 256 slots: a hash that ignored the bytes would put them all in a few.
        #expect(seen.count > 100)
    }
}
