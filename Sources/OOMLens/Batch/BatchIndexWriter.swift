#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Appends entries to `index.jsonl` one line at a time, each written with a single `write` and made
/// durable with `fsync` before the next bundle is reported done, so an interrupted batch always
/// leaves a valid index.
///
/// Opening repairs a tail left by a crash mid-write: an unterminated last line that does not parse
/// is cut off, one that parses gets its newline, so the next line never joins a torn one.
public final class BatchIndexWriter {
    private let fd: Int32
    public let path: String

    /// Opens (creating) the index at `path` for appending.
    public init(path: String) throws(BatchError) {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw BatchError("cannot open \(path): \(FileBytes.lastErrorMessage())") }
        self.fd = fd
        try repairTail()
    }

    deinit {
        close(fd)
    }

    /// Writes `entry` as one line and fsyncs.
    public func append(_ entry: BatchIndexEntry) throws(BatchError) {
        try writeAll(Array((entry.jsonLine() + "\n").utf8))
        guard fsync(fd) == 0 else { throw BatchError("cannot sync \(path): \(FileBytes.lastErrorMessage())") }
    }

    /// Writes a whole index at `path` atomically (a temporary file, fsync, rename), for `merge`.
    public static func writeIndex(_ entries: [BatchIndexEntry], to path: String) throws(BatchError) {
        let temporary = path + ".tmp-\(getpid())"
        unlink(temporary)
        do throws(BatchError) {
            let writer = try BatchIndexWriter(path: temporary)
            for entry in entries { try writer.writeAll(Array((entry.jsonLine() + "\n").utf8)) }
            guard fsync(writer.fd) == 0 else { throw BatchError("cannot sync \(temporary): \(FileBytes.lastErrorMessage())") }
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let message = FileBytes.lastErrorMessage()
            unlink(temporary)
            throw BatchError("cannot write \(path): \(message)")
        }
    }

    private func writeAll(_ bytes: [UInt8]) throws(BatchError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress.map { $0 + offset }, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw BatchError("cannot write \(path): \(FileBytes.lastErrorMessage())")
            }
            offset += n
        }
    }

    /// Cuts a torn last line off, or terminates a complete one.
    private func repairTail() throws(BatchError) {
        let size = lseek(fd, 0, SEEK_END)
        guard size > 0 else { return }
        // Read back from the end until a newline; index lines are short, so this is a few KiB.
        var tail: [UInt8] = []
        var position = size
        var block = [UInt8](repeating: 0, count: 4096)
        while position > 0 {
            let count = Int(min(Int64(block.count), Int64(position)))
            position -= off_t(count)
            let n = block.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, position) }
            guard n == count else { throw BatchError("cannot read \(path): \(FileBytes.lastErrorMessage())") }
            tail.insert(contentsOf: block.prefix(count), at: 0)
            if tail.last == UInt8(ascii: "\n") { return }
            if let newline = tail.lastIndex(of: UInt8(ascii: "\n")) {
                position += off_t(newline + 1)
                tail.removeFirst(newline + 1)
                break
            }
        }
        if BatchIndexEntry.parse(tail) != nil {
            try writeAll([UInt8(ascii: "\n")])
        } else {
            guard ftruncate(fd, position) == 0 else { throw BatchError("cannot repair \(path): \(FileBytes.lastErrorMessage())") }
        }
        guard fsync(fd) == 0 else { throw BatchError("cannot sync \(path): \(FileBytes.lastErrorMessage())") }
    }
}
