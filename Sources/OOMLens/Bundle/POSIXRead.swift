#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `read(2)` and `pread(2)` retried when a signal interrupts them before any byte arrived (`EINTR`):
/// how every reader of a file in `Bundle/` reads.
enum POSIXRead {
    /// Up to `count` bytes from `fd` into `buffer`: how many were read, 0 at the end of the file, or -1
    /// with `errno` set.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawPointer?, count: Int) -> Int {
        retrying {
            #if canImport(Glibc)
            Glibc.read(fd, buffer, count)
            #else
            Darwin.read(fd, buffer, count)
            #endif
        }
    }

    /// Up to `count` bytes from `fd` at `offset` into `buffer`, as `read(_:into:count:)` returns them.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawPointer?, count: Int, at offset: Int64) -> Int {
        retrying { pread(fd, buffer, count, off_t(offset)) }
    }

    /// Up to `count` bytes from the start of the file at `path`: fewer when it is shorter or a read
    /// fails, none when it cannot be opened.
    static func head(of path: String, count: Int) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = 0
            while initialized < count {
                let got = read(fd, into: buffer.baseAddress.map { $0 + initialized }, count: count - initialized)
                guard got > 0 else { break }
                initialized += got
            }
        }
    }

    private static func retrying(_ call: () -> Int) -> Int {
        var count: Int
        repeat {
            count = call()
        } while count < 0 && errno == EINTR
        return count
    }
}
