#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file by descriptor in blocks, for hashing bundles without loading them whole (through
/// `POSIXRead`, which also gives a file's first bytes, for sniffing: `POSIXRead.head(of:count:)`).
enum FileBytes {
    /// Calls `body` with successive blocks of the file at `path` (a NUL-terminated path); returns the
    /// byte count, or an error message when the file cannot be opened or read.
    static func forEachBlock(_ path: [CChar], blockSize: Int = 1 << 20,
                             _ body: (UnsafeRawBufferPointer) -> Void) -> Result<Int64, BatchError> {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return .failure(BatchError(lastErrorMessage())) }
        defer { close(fd) }
        // Raw memory that read(2) fills: no 1 MiB memset per file before the first read.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: blockSize, alignment: 16)
        defer { buffer.deallocate() }
        var total: Int64 = 0
        while true {
            let n = POSIXRead.read(fd, into: buffer.baseAddress, count: buffer.count)
            if n < 0 { return .failure(BatchError(lastErrorMessage())) }
            if n == 0 { return .success(total) }
            total += Int64(n)
            body(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }

    static func lastErrorMessage() -> String { String(cString: strerror(errno)) }
}
