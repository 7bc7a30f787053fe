/// A bundle's content hash and size: what names it, puts it in a shard and tells a rerun that it was
/// already analysed.
///
/// A file hashes to the SHA-256 of its bytes (`sha256sum` gives the same digest). A folder (an
/// extracted bundle) hashes its regular files in name order, each as its relative path, a NUL byte,
/// its size as 8 bytes big-endian and the SHA-256 of its bytes; symbolic links add only their path,
/// prefixed `@`, and are not followed.
/// The size of a folder is the sum of its regular files.
public struct BundleFingerprint: Sendable, Hashable {
    public var sha256: String
    public var size: Int64

    public init(sha256: String, size: Int64) {
        self.sha256 = sha256
        self.size = size
    }

    /// Hashes the bundle, reading every byte once.
    public static func compute(_ candidate: BundleDiscovery.Candidate) -> Result<BundleFingerprint, BatchError> {
        var hash = SHA256()
        guard candidate.isDirectory else {
            let read = FileBytes.forEachBlock(Array(candidate.path.utf8CString)) { hash.update($0) }
            return read.map { BundleFingerprint(sha256: hash.finalize().hex, size: $0) }
        }
        var walker = DirectoryWalker(root: candidate.path)
        var size: Int64 = 0
        var failure: BatchError?
        walker.walk { relative, full, kind in
            guard failure == nil else { return }
            switch kind {
            case .regular:
                var contentHash = SHA256()
                let read = FileBytes.forEachBlock(full) { contentHash.update($0) }
                switch read {
                case .failure(let error):
                    failure = BatchError("\(relative): \(error.message)")
                case .success(let count):
                    hash.update(Array(relative.utf8) + [0])
                    hash.update((0..<8).map { UInt8(truncatingIfNeeded: count >> (56 - 8 * $0)) })
                    hash.update(contentHash.finalize().bytes)
                    size += count
                }
            case .symlink:
                hash.update(Array(("@" + relative).utf8) + [0])
            case .other:
                break
            case .unreadable(let message):
                failure = BatchError("\(relative): \(message)")
            }
        }
        if let failure { return .failure(failure) }
        return .success(BundleFingerprint(sha256: hash.finalize().hex, size: size))
    }
}
