import CNettle

/// SHA-256 (FIPS 180-4), fed incrementally: the content hash that names, shards and deduplicates
/// bundles in `oomlens batch`.
///
/// The rounds run in libnettle, which libarchive already links on Debian and Ubuntu (so every
/// oomlens process has it loaded) and which picks the processor's SHA extensions when there are
/// some: about 1.1 GB/s per core here, against 0.10–0.15 GB/s for the plain Swift implementation
/// it replaced. `oomlens batch` hashes every bundle in the parent process, next to the children
/// analysing them, so that cost is the parent's share of a batch (docs/batch.md, "Benchmark").
///
/// ```swift
/// var hash = SHA256()
/// hash.update("abc")
/// hash.finalize().hex   // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// ```
public struct SHA256: Sendable {
    /// A finished digest: 32 bytes.
    public struct Digest: Sendable, Hashable {
        public let bytes: [UInt8]

        /// Lowercase hexadecimal, 64 characters.
        public var hex: String {
            let digits: [UInt8] = Array("0123456789abcdef".utf8)
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count * 2)
            for b in bytes {
                out.append(digits[Int(b >> 4)])
                out.append(digits[Int(b & 0x0F)])
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Digest size in bytes (`SHA256_DIGEST_SIZE`).
    private static let digestSize = 32

    /// nettle's state: chaining value, length and the bytes of an unfinished block.
    private var context = sha256_ctx()

    public init() {
        nettle_sha256_init(&context)
    }

    /// Hashes `bytes` after everything fed so far.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        nettle_sha256_update(&context, bytes.count, base.assumingMemoryBound(to: UInt8.self))
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    public mutating func update(_ text: String) {
        update(Array(text.utf8))
    }

    /// Pads, finishes and returns the digest; the hasher must not be fed afterwards.
    public mutating func finalize() -> Digest {
        var out = [UInt8](repeating: 0, count: Self.digestSize)
        out.withUnsafeMutableBufferPointer { nettle_sha256_digest(&context, Self.digestSize, $0.baseAddress) }
        return Digest(bytes: out)
    }

    /// The digest of `bytes` in one call.
    public static func hash(_ bytes: [UInt8]) -> Digest {
        var h = SHA256()
        h.update(bytes)
        return h.finalize()
    }
}
