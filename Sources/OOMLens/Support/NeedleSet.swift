import CSieve

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tells in one pass whether bytes contain any of a fixed set of needles: the parsers' prefilter.
///
/// The needles are filed in up to eight buckets by their first three bytes (their fingerprint). A
/// vector scan (`CSieve`, sixteen positions per step on x86-64 with SSSE3, a byte loop elsewhere)
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
        self.init(bytes: needles.map { s in Array(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount)) })
    }

    /// Needles shorter than three bytes are not allowed (the fingerprint is three bytes).
    public init(bytes: [[UInt8]]) {
        precondition(bytes.allSatisfy { $0.count >= 3 }, "NeedleSet needles are at least three bytes long")
        needles = bytes
        // Needles with like fingerprints share a bucket, so the nibble tables stay selective.
        let order = bytes.indices.sorted { bytes[$0].prefix(3).lexicographicallyPrecedes(bytes[$1].prefix(3)) }
        let bucketCount = Swift.min(8, Swift.max(1, bytes.count))
        var buckets = [[Int]](repeating: [], count: bucketCount)
        for (rank, index) in order.enumerated() {
            buckets[rank * bucketCount / Swift.max(1, order.count)].append(index)
        }
        var tables = oomlens_sieve_tables()
        withUnsafeMutableBytes(of: &tables) { raw in
            // Layout: lo[3][16] then hi[3][16].
            for (bucket, members) in buckets.enumerated() {
                let bit = UInt8(1) << UInt8(bucket)
                for index in members {
                    for k in 0..<3 {
                        let byte = bytes[index][k]
                        raw[k * 16 + Int(byte & 0x0F)] |= bit
                        raw[48 + k * 16 + Int(byte >> 4)] |= bit
                    }
                }
            }
        }
        self.tables = tables
        self.buckets = buckets
    }

    /// True when any needle occurs in `bytes`.
    public func occurs(in bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count >= 3 else { return false }
        let n = bytes.count
        return withUnsafePointer(to: tables) { tables in
            var from = 0
            var mask: UInt8 = 0
            while true {
                let at = oomlens_sieve_next(tables, base, n, from, &mask)
                if at >= n { return false }
                if verify(mask, at: at, UnsafeRawPointer(base), n) { return true }
                from = at + 1
            }
        }
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

    /// Whether the vector scan is in use on this processor (for benchmarks and docs).
    public static var isVectorised: Bool { oomlens_sieve_is_vectorised() != 0 }
}
