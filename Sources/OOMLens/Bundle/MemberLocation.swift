#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a member's bytes can be read again on their own: a file on disk, or a member stored
/// uncompressed in a tar file on disk.
///
/// `BundleReader` offers such members to its consumer (`MemberConsumer.offload(_:from:)`), so that
/// another thread can read and parse them while the reader goes on to the next member.
public struct MemberLocation: Sendable {
    /// The file holding the bytes (NUL-terminated, as the file system spells it).
    public var path: [CChar]
    /// Where the member's bytes start in that file.
    public var offset: Int64
    /// How many bytes the member has; nil to read to the end of the file.
    public var length: Int64?
    /// The index the member's entry has in the summary's `entries`.
    public var entry: Int

    public init(path: [CChar], offset: Int64, length: Int64?, entry: Int) {
        self.path = path
        self.offset = offset
        self.length = length
        self.entry = entry
    }

    /// What reading the member amounted to.
    public struct Outcome: Sendable {
        public var bytes: Int64
        /// Why reading stopped early (`strerror`'s text, or a short file), if it did.
        public var failure: String?
    }

    /// Reads the member in blocks of up to `buffer.count` bytes, calling `body` with each (valid only
    /// during the call).
    public func read(using buffer: inout [UInt8], _ body: (UnsafeRawBufferPointer) -> Void) -> Outcome {
        let fd = open(path, O_RDONLY | O_NONBLOCK)
        guard fd >= 0 else { return Outcome(bytes: 0, failure: String(cString: strerror(errno))) }
        defer { close(fd) }
        var position = offset
        var bytes: Int64 = 0
        while length.map({ bytes < $0 }) ?? true {
            let want = length.map { Int(Swift.min(Int64(buffer.count), $0 - bytes)) } ?? buffer.count
            let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, off_t(position)) }
            if count < 0 {
                if errno == EINTR { continue }
                return Outcome(bytes: bytes, failure: String(cString: strerror(errno)))
            }
            if count == 0 {
                return Outcome(bytes: bytes, failure: length == nil ? nil : "the file ended inside this member")
            }
            buffer.withUnsafeBytes { body($0.slice(0..<count)) }
            bytes += Int64(count)
            position += Int64(count)
        }
        return Outcome(bytes: bytes, failure: nil)
    }

    /// True when the member's first bytes are `head`'s: a check, before offloading, that the
    /// location is right.
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
