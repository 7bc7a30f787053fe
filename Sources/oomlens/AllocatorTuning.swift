#if canImport(Glibc)
import Glibc
#endif

/// Keeps the C allocator from holding on to memory the program has freed.
///
/// glibc serves a large block (128 KiB or more) with a mapping of its own, returned on `free` — but each
/// such free raises the threshold to that block's size, so that later blocks up to that size come from
/// the heap and stay in the process once freed. Reading a bundle frees many such blocks (read buffers,
/// decompression windows, the second thread's queue) before the timeline is built: with the moving
/// threshold the 1 GB benchmark bundles peaked about 5 MB higher. Fixing it at glibc's default keeps
/// large blocks mapped, and returned when freed.
enum AllocatorTuning {
    static func returnLargeBlocks() {
        #if canImport(Glibc)
        // `mallopt` is in <malloc.h>, which the Glibc module does not import: look it up.
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: MallOpt.self)(mmapThreshold, 128 * 1024)
        #endif
    }
}
