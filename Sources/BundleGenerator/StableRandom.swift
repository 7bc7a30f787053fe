/// Deterministic pseudo-random values derived from the scenario seed and a label, so that every id,
/// pid and jitter is a pure function of what it names (order of generation does not matter).
///
/// `StableRandom(seed: 7, "pod", "shop/cart").hex(64)` is the same on every run and every machine.
struct StableRandom {
    private var state: UInt64

    /// A generator keyed by the seed and the FNV-1a hash of the labels.
    init(seed: UInt64, _ labels: String...) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for label in labels {
            for byte in label.utf8 {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01b3
            }
            hash ^= 0xff
            hash &*= 0x0000_0100_0000_01b3
        }
        state = hash ^ (seed &* 0x9e37_79b9_7f4a_7c15)
    }

    /// The next 64 random bits (SplitMix64).
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A value in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound + 1)
        return range.lowerBound + Int(next() % span)
    }

    /// A value in 0 ..< 1.
    mutating func unit() -> Double {
        Double(next() >> 11) / Double(UInt64(1) << 53)
    }

    /// `count` lowercase hex digits.
    mutating func hex(_ count: Int) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(count)
        var bits = next()
        var left = 16
        for _ in 0..<count {
            if left == 0 { bits = next(); left = 16 }
            out.append(digits[Int(bits & 0xf)])
            bits >>= 4
            left -= 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A random (version 4) UUID in lowercase with dashes.
    mutating func uuid() -> String {
        let h = hex(32)
        let c = Array(h.utf8)
        func part(_ r: Range<Int>) -> String { String(decoding: c[r], as: UTF8.self) }
        let variant = String(decoding: [Array("89ab".utf8)[Int(c[16] & 3)]], as: UTF8.self)
        return "\(part(0..<8))-\(part(8..<12))-4\(part(13..<16))-\(variant)\(part(17..<20))-\(part(20..<32))"
    }

    /// `count` characters from the alphabet Kubernetes uses for generated name suffixes.
    mutating func nameSuffix(_ count: Int) -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789".utf8)
        return String(decoding: (0..<count).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }, as: UTF8.self)
    }
}
