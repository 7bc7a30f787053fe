import CSieve

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tells in one pass whether bytes contain any of a fixed set of needles: the parsers' prefilter.
///
/// The needles are filed in up to eight buckets by their first three bytes (their fingerprint). A
/// vector scan (`CSieve`: 32 positions per step with AVX2, 16 with SSSE3, a byte loop elsewhere)
/// finds the positions where three bytes fit some bucket's fingerprint, nibble by nibble; only there
/// are that bucket's needles compared in full. The answer is exact — true if and only if some needle
/// occurs — and costs a fraction of a cycle per byte on text with no candidates, whatever the number
/// of needles.
///
///     let needles = NeedleSet(["Killing container", "PLEG", "evict"])
///     needles.occurs(in: line.bytes)   // one pass however many needles
public struct NeedleSet: Sendable {
    /// The needles, in the order given (each at least three bytes long).
    public let needles: [[UInt8]]
    private let tables: oomlens_sieve_tables
    /// The needles of each bucket (indices into `needles`).
    private let buckets: [[Int]]

    public init(_ needles: [StaticString]) {
        self.init(bytes: needles.map(Self.bytes))
    }

    /// Needles shorter than three bytes are not allowed (the fingerprint is three bytes). Needles with
    /// like fingerprints share a bucket (in sorted order), so the nibble tables stay selective.
    public init(bytes: [[UInt8]]) {
        let order = bytes.indices.sorted { bytes[$0].prefix(3).lexicographicallyPrecedes(bytes[$1].prefix(3)) }
        let bucketCount = Swift.min(8, Swift.max(1, bytes.count))
        var groups = [[[UInt8]]](repeating: [], count: bucketCount)
        for (rank, index) in order.enumerated() {
            groups[rank * bucketCount / Swift.max(1, order.count)].append(bytes[index])
        }
        self.init(groups: groups)
    }

    /// Needles in at most eight buckets chosen by hand: a bucket accepts every mix of its needles'
    /// fingerprint nibbles, so grouping needles whose mixes are rare in real text (`Kill` with
    /// `-killer: `, `oom` with `OOM`) keeps candidates few.
    public init(groups: [[StaticString]]) {
        self.init(groups: groups.map { $0.map(Self.bytes) })
    }

    init(groups: [[[UInt8]]]) {
        precondition(groups.count <= 8, "NeedleSet has at most eight buckets")
        precondition(groups.allSatisfy { $0.allSatisfy { $0.count >= 3 } }, "NeedleSet needles are at least three bytes long")
        needles = groups.flatMap { $0 }
        var buckets: [[Int]] = []
        var tables = oomlens_sieve_tables()
        var next = 0
        withUnsafeMutableBytes(of: &tables) { raw in
            // Layout: lo[3][16] then hi[3][16].
            for (bucket, members) in groups.enumerated() {
                let bit = UInt8(1) << UInt8(bucket)
                buckets.append(Array(next..<(next + members.count)))
                next += members.count
                for needle in members {
                    for k in 0..<3 {
                        raw[k * 16 + Int(needle[k] & 0x0F)] |= bit
                        raw[48 + k * 16 + Int(needle[k] >> 4)] |= bit
                    }
                }
            }
        }
        self.tables = tables
        self.buckets = buckets
    }

    private static func bytes(_ s: StaticString) -> [UInt8] {
        Array(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// True when any needle occurs in `bytes`.
    public func occurs(in bytes: UnsafeRawBufferPointer) -> Bool {
        firstOccurrence(in: bytes, from: 0) != nil
    }

    /// The offset of the first needle that starts at or after `from` (nil when none does). One call per
    /// block, resumed from the line it has reached, costs no more than one pass over the block.
    public func firstOccurrence(in bytes: UnsafeRawBufferPointer, from: Int, portable: Bool = false) -> Int? {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count >= 3, from >= 0 else {
            return nil
        }
        let n = bytes.count
        return withUnsafePointer(to: tables) { tables in
            var from = from
            var mask: UInt8 = 0
            while true {
                let at = portable
                    ? oomlens_sieve_next_portable(tables, base, n, from, &mask)
                    : oomlens_sieve_next(tables, base, n, from, &mask)
                if at >= n { return nil }
                if verify(mask, at: at, UnsafeRawPointer(base), n) { return at }
                from = at + 1
            }
        }
    }

    /// The positions in `bytes` whose three bytes fit some bucket's fingerprint, and how many of them
    /// begin a needle: the scan's selectivity, which the bucket grouping decides (tests and docs).
    func fingerprintFits(in bytes: UnsafeRawBufferPointer) -> (positions: Int, needles: Int) {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count >= 3 else { return (0, 0) }
        let n = bytes.count
        return withUnsafePointer(to: tables) { tables in
            var from = 0, positions = 0, needles = 0
            var mask: UInt8 = 0
            while true {
                let at = oomlens_sieve_next(tables, base, n, from, &mask)
                if at >= n { return (positions, needles) }
                positions += 1
                if verify(mask, at: at, UnsafeRawPointer(base), n) { needles += 1 }
                from = at + 1
            }
        }
    }

    /// `occurs(in:)` with the scan chosen: `portable` uses the byte loop whatever the processor (tests).
    func occurs(in bytes: UnsafeRawBufferPointer, portable: Bool) -> Bool {
        firstOccurrence(in: bytes, from: 0, portable: portable) != nil
    }

    /// Compares the needles of the buckets in `mask` with the text at `start`.
    private func verify(_ mask: UInt8, at start: Int, _ base: UnsafeRawPointer, _ n: Int) -> Bool {
        var mask = mask
        while mask != 0 {
            let bucket = mask.trailingZeroBitCount
            mask &= mask - 1
            guard bucket < buckets.count else { continue }
            for index in buckets[bucket] {
                let found = needles[index].withUnsafeBytes { needle in
                    guard let p = needle.baseAddress, n - start >= needle.count else { return false }
                    return memcmp(base + start, p, needle.count) == 0
                }
                if found { return true }
            }
        }
        return false
    }

    /// The scan in use on this processor: "AVX2", "SSSE3" or "portable" (for benchmarks and docs).
    public static var scanKind: String {
        switch oomlens_sieve_vector_level() {
        case 2: return "AVX2"
        case 1: return "SSSE3"
        default: return "portable"
        }
    }
}
