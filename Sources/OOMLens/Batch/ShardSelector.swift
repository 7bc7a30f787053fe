/// Picks a deterministic 1/N of the bundles for shard K by content hash, so N machines (or the pods
/// of a Kubernetes Indexed Job) split an archive without talking to each other.
///
/// Shards are numbered from 0, like `JOB_COMPLETION_INDEX`: `--shard 0/4` … `--shard 3/4`. A bundle
/// belongs to shard `(first 8 bytes of its SHA-256, big-endian) mod N`; the same content always lands
/// in the same shard, whatever its path or the order of the inputs.
public struct ShardSelector: Sendable, Hashable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    /// Every bundle: shard 0 of 1.
    public static let all = ShardSelector(uncheckedIndex: 0, count: 1)

    /// Fails (nil) unless `0 <= index < count`.
    public init?(index: Int, count: Int) {
        guard count >= 1, index >= 0, index < count else { return nil }
        self.index = index
        self.count = count
    }

    private init(uncheckedIndex: Int, count: Int) {
        self.index = uncheckedIndex
        self.count = count
    }

    /// Parses `K/N` (`"2/8"`); nil when malformed or `K` is not in `0..<N`.
    public init?(parsing text: String) {
        guard let slash = text.firstIndex(of: "/"),
              let k = Int(text[..<slash]), let n = Int(text[text.index(after: slash)...]) else { return nil }
        self.init(index: k, count: n)
    }

    /// `K/N`.
    public var description: String { "\(index)/\(count)" }

    /// The shard a digest (64 hex digits) belongs to; digests too short or not hex go to shard 0.
    public static func shard(ofSHA256 hex: String, count: Int) -> Int {
        guard count > 1 else { return 0 }
        var value: UInt64 = 0
        var digits = 0
        for byte in hex.utf8.prefix(16) {
            guard let nibble = byte.hexValue else { return 0 }
            value = value << 4 | UInt64(nibble)
            digits += 1
        }
        guard digits == 16 else { return 0 }
        return Int(value % UInt64(count))
    }

    /// True when the bundle with this digest is this shard's work.
    public func contains(sha256 hex: String) -> Bool {
        Self.shard(ofSHA256: hex, count: count) == index
    }
}
