/// A buffer that `read(2)` fills, starting on a page boundary whatever state the allocator is in.
///
/// On the project's machine the kernel copies a cached file into a buffer 1–31 bytes past a 64-byte
/// boundary at about a quarter of its speed (`FileFeed`). A 1 MiB `[UInt8]` starts wherever `malloc`
/// puts it: 48 bytes past a page while glibc maps blocks of that size, but anywhere 16 bytes apart once
/// glibc has raised its mapping threshold and takes them from its heap instead.
final class ReadBuffer {
    let bytes: UnsafeMutableRawBufferPointer

    init(count: Int = 1 << 20) {
        bytes = .allocate(byteCount: count, alignment: 4096)
    }

    deinit {
        bytes.deallocate()
    }

    /// The first `count` bytes, as read.
    func prefix(_ count: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[0..<Swift.min(count, bytes.count)])
    }
}
