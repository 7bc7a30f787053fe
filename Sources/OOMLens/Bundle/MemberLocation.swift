#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a member's bytes can be read again on their own: a file on disk, a member stored uncompressed
/// in a tar file on disk, or a member of a compressed tar file on disk (read again by decompressing the
/// archive up to it).
///
/// `BundleReader` offers such members to its consumer (`MemberConsumer.offload(_:from:)`), so that
/// another thread can read and parse them while the reader goes on to the next member.
public struct MemberLocation: Sendable {
    /// How the bytes are stored in the file.
    public enum Storage: Sendable, Equatable {
        /// As they are, from `offset` of the file.
        case plain
        /// As the member of a compressed archive whose data starts at `offset` of the archive's
        /// uncompressed stream: the archive is decompressed again, its earlier members passed over.
        case compressedArchive
    }

    /// The file holding the bytes (NUL-terminated, as the file system spells it).
    public var path: [CChar]
    public var storage: Storage
    /// Where the member's bytes start: in the file, or in the archive's uncompressed stream.
    public var offset: Int64
    /// How many bytes the member has; nil to read to the end of the file.
    public var length: Int64?
    /// The index the member's entry has in the summary's `entries`.
    public var entry: Int

    public init(path: [CChar], storage: Storage = .plain, offset: Int64, length: Int64?, entry: Int) {
        self.path = path
        self.storage = storage
        self.offset = offset
        self.length = length
        self.entry = entry
    }

    /// What reading the member amounted to.
    public struct Outcome: Sendable {
        public var bytes: Int64
        /// Why reading stopped early (`strerror`'s or libarchive's text, a short file, a limit), if it did.
        public var failure: String?
    }

    /// Reads the member in blocks, calling `body` with each (valid only during the call); `buffer`
    /// holds plain reads. A compressed archive that inflates beyond `limits`' ratio stops the read.
    func read(
        using buffer: ReadBuffer, limits: BundleLimits, _ body: (UnsafeRawBufferPointer) -> Void
    ) -> Outcome {
        switch storage {
        case .plain: return readPlain(using: buffer, body)
        case .compressedArchive: return readFromArchive(limits: limits, body)
        }
    }

    private func readPlain(using buffer: ReadBuffer, _ body: (UnsafeRawBufferPointer) -> Void) -> Outcome {
        let fd = open(path, O_RDONLY | O_NONBLOCK)
        guard fd >= 0 else { return Outcome(bytes: 0, failure: String(cString: strerror(errno))) }
        defer { close(fd) }
        var position = offset
        var bytes: Int64 = 0
        while length.map({ bytes < $0 }) ?? true {
            let want = length.map { Int(Swift.min(Int64(buffer.bytes.count), $0 - bytes)) } ?? buffer.bytes.count
            let count = POSIXRead.read(fd, into: buffer.bytes.baseAddress, count: want, at: position)
            if count < 0 {
                return Outcome(bytes: bytes, failure: String(cString: strerror(errno)))
            }
            if count == 0 {
                return Outcome(bytes: bytes, failure: length == nil ? nil : "the file ended inside this member")
            }
            body(buffer.prefix(count))
            bytes += Int64(count)
            position += Int64(count)
        }
        return Outcome(bytes: bytes, failure: nil)
    }

    private func readFromArchive(limits: BundleLimits, _ body: (UnsafeRawBufferPointer) -> Void) -> Outcome {
        var bytes: Int64 = 0
        var failure: String?
        do {
            var reader = try ArchiveReader(.file(path: path), formats: .archives(allowRawCompressed: false))
            while let entry = try reader.next() {
                if reader.dataOffset < offset { continue }  // `next()` passes over its data
                guard reader.dataOffset == offset, entry.size == length else { break }
                try reader.forEachBlock { block, progress in
                    if progress.bytesOut > limits.ratioCheckAfterBytes, progress.ratio > limits.maxCompressionRatio {
                        failure = "compression ratio above \(Int(limits.maxCompressionRatio)):1: stopped reading"
                        return false
                    }
                    let count = Int(Swift.min(Int64(block.count), (length ?? Int64.max) - bytes))
                    body(block.slice(0..<count))
                    bytes += Int64(count)
                    return length.map { bytes < $0 } ?? true
                }
                if failure == nil, let length, bytes < length { failure = "the archive ended inside this member" }
                return Outcome(bytes: bytes, failure: failure)
            }
            return Outcome(bytes: bytes, failure: "the member was not found when the archive was read again")
        } catch {
            return Outcome(bytes: bytes, failure: "archive damaged inside this member: \(error.message)")
        }
    }

    /// True when the member's first bytes are `head`'s: a check, before offloading a member of a plain
    /// tar, that the location is right.
    func starts(with head: UnsafeRawBufferPointer) -> Bool {
        let fd = open(path, O_RDONLY | O_NONBLOCK)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let count = Swift.min(head.count, 64)
        var first = [UInt8](repeating: 0, count: count)
        let got = first.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
        return got == count && first.elementsEqual(head.prefix(count))
    }
}
