import CZstd
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a zstd file could not be decoded any further.
///
/// The messages are libarchive's zstd filter's (`Truncated zstd input`, `Zstd decompression failed: …`),
/// so a damaged bundle reads the same whichever decoder met the damage.
struct ZstdError: Error, Sendable {
    var message: String
}

/// Decodes a zstd file with libzstd's buffer-less decoder, block by block, into a ring of its own.
///
/// libarchive's zstd filter (like `zstd -d`) decodes into libzstd's window and copies every byte out
/// again into its own buffer; here each block is decoded once, straight into the ring, and handed out
/// where it lies. The ring holds twice the largest frame window plus two blocks, so the window a block
/// refers back to is never overwritten and the bytes handed out last are left alone until the next call.
/// Noncopyable: exactly one value owns the file descriptor, the decoding context and both buffers, and
/// `deinit` releases them. Concatenated frames and skippable frames are read one after another; each
/// frame's checksum, when it has one, is checked.
///
/// With a `BlockLender`, the ring holds `lendingReserve` more bytes and the blocks handed out may be
/// read on another thread after the next call: the decoder waits for the loans its next bytes could
/// overwrite to come back first (`lendingReach`), and for all of them before it replaces or frees the
/// ring.
struct ZstdDecoder: ~Copyable {
    private let descriptor: Int32
    private let context: OpaquePointer
    private let input: UnsafeMutableRawBufferPointer
    /// Unread input is `input[inputStart..<inputEnd]`.
    private var inputStart = 0
    private var inputEnd = 0
    private var inputEnded = false
    private var ring: UnsafeMutableRawBufferPointer
    private var ringPosition = 0
    /// The largest window the ring is sized for.
    private var window: Int
    private let outputSize: Int
    /// Between a frame's first byte and its end.
    private var inFrame = false
    private var finished = false
    /// A failure met after some output of the same call was already decoded: thrown by the next call.
    private var pending: ZstdError?
    /// The window of the frame about to begin, when it is larger than the ring was made for: the ring
    /// grows at the start of the next call, once nothing handed out is still being read.
    private var widerWindow: Int?

    /// Compressed bytes the decoder has consumed so far.
    private(set) var bytesIn: Int64 = 0
    /// Decoded bytes handed out so far.
    private var bytesOut: Int64 = 0
    private let lender: BlockLender?
    private let reserve: Int

    /// What the ring holds besides the windows when it lends: the bytes that may be out on loan
    /// (`MemberChannel`'s few events) plus room, so that the reading thread seldom waits for a return.
    static let lendingReserve = 2 << 20

    /// Windows above this leave the file to libarchive's streaming decoder (whose memory then is the
    /// window, where the ring's would be twice it).
    static let largestWindow = 8 << 20
    private static let blockMax = Int(ZSTD_BLOCKSIZE_MAX)

    /// True when `head` starts as a zstd frame does.
    static func isZstd(_ head: some Collection<UInt8>) -> Bool {
        head.starts(with: [0x28, 0xB5, 0x2F, 0xFD])
    }

    /// Opens the file at `path` when it starts with a zstd frame whose window is at most `largestWindow`;
    /// nil otherwise (or when it cannot be opened, which the caller's own open then reports).
    init?(path: [CChar], inputSize: Int = 1 << 20, outputSize: Int = 256 << 10, lender: BlockLender? = nil) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        var head = [UInt8](repeating: 0, count: Int(ZSTD_FRAMEHEADERSIZE_MAX))
        let got = head.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard got >= 4, let window = head.withUnsafeBytes({ Self.window(ofFrameAt: $0.slice(0..<got)) }),
              let context = ZSTD_createDCtx()
        else {
            close(descriptor)
            return nil
        }
        // `pread` left the descriptor at the file's start: nothing of it was taken yet.
        self.init(owning: descriptor, context: context, taken: UnsafeRawBufferPointer(start: nil, count: 0),
                  window: window, inputSize: inputSize, outputSize: outputSize, lender: lender)
    }

    /// Decodes the rest of a stream (a pipe) whose first bytes, `head`, were already read from
    /// `descriptor`, when they start a zstd frame whose window is at most `largestWindow`; the decoder
    /// then owns `descriptor`. Nil, with `descriptor` left to the caller, otherwise.
    init?(descriptor: Int32, head: UnsafeRawBufferPointer, inputSize: Int = 1 << 20, outputSize: Int = 256 << 10,
          lender: BlockLender? = nil) {
        guard let window = Self.window(ofFrameAt: head), let context = ZSTD_createDCtx() else { return nil }
        self.init(owning: descriptor, context: context, taken: head, window: window, inputSize: inputSize,
                  outputSize: outputSize, lender: lender)
    }

    /// The window of the zstd frame `head` starts with, when it is one this decoder takes (at most
    /// `largestWindow`, at least 1 MiB); nil otherwise.
    private static func window(ofFrameAt head: UnsafeRawBufferPointer) -> Int? {
        var header = ZSTD_frameHeader()
        guard head.count >= 4, Self.isZstd(head), let start = head.baseAddress,
              ZSTD_getFrameHeader(&header, start, head.count) == 0,
              header.windowSize <= UInt64(Self.largestWindow)
        else { return nil }
        return Swift.max(1 << 20, Int(header.windowSize))
    }

    /// Owns `descriptor` and `context`; the descriptor's bytes so far are `taken` (decoded first).
    private init(
        owning descriptor: Int32, context: OpaquePointer, taken: UnsafeRawBufferPointer, window: Int, inputSize: Int,
        outputSize: Int, lender: BlockLender?
    ) {
        self.descriptor = descriptor
        self.context = context
        self.outputSize = Swift.max(1, outputSize)
        self.lender = lender
        reserve = lender == nil ? 0 : Self.lendingReserve
        self.window = window
        input = .allocate(byteCount: Swift.max(inputSize, Self.blockMax + 64, taken.count), alignment: 64)
        ring = Self.allocateRing(byteCount: Self.ringSize(window: window, reserve: reserve))
        if let base = input.baseAddress, let bytes = taken.baseAddress, !taken.isEmpty {
            base.copyMemory(from: bytes, byteCount: taken.count)
            inputEnd = taken.count
        }
    }

    deinit {
        lender?.awaitAllReturned()
        close(descriptor)
        ZSTD_freeDCtx(context)
        input.deallocate()
        ring.deallocate()
    }

    private static func ringSize(window: Int, reserve: Int) -> Int { 2 * window + 2 * blockMax + reserve }

    /// The size of an x86-64 or arm64 Linux huge page (with 4 KiB base pages).
    private static let hugePage = 2 << 20

    /// A ring of `byteCount` bytes, aligned to a huge page and, on Linux, asking for huge pages
    /// (`MADV_HUGEPAGE`) for the whole huge pages it holds.
    ///
    /// Decoding reads the window back at every match and the parsing thread reads every block, so in
    /// 4 KiB pages a 2 MiB window spans 512 TLB entries and its ring's first writes fault page by page
    /// (1,600 faults for its 6.25 MiB; the offloaded PodList's decoder has a ring too). Paired runs on
    /// the 100 MB `.tar.zst` bench bundle: 0.96 of the analysis's time (31 pairs), about half the page
    /// faults; at 1 GB, where the rings' faults are a small part, within the machine's noise (0.95 in
    /// 15 pairs, 0.99 in 41). Where transparent huge pages are off (`never`), the advice changes nothing.
    private static func allocateRing(byteCount: Int) -> UnsafeMutableRawBufferPointer {
        let ring = UnsafeMutableRawBufferPointer.allocate(byteCount: byteCount, alignment: hugePage)
        #if os(Linux)
        if let base = ring.baseAddress, byteCount >= hugePage {
            _ = madvise(base, byteCount & ~(hugePage - 1), MADV_HUGEPAGE)
        }
        #endif
        return ring
    }

    /// A buffer handed out is left intact by the next call when at most this many bytes were handed out
    /// after its end. The call writes blocks that start fewer than `outputSize` bytes on, each at most
    /// `blockMax` long, and a buffer is at most `outputSize + blockMax` long; the ring wraps when less
    /// than a block is left at its end. So the first write over a buffer ending at offset E starts at
    /// an offset above E + ring − (outputSize + blockMax) − 2 blockMax, and the next call's writes start
    /// below the bytes handed out so far + `outputSize`.
    private var lendingReach: Int { ring.count - 2 * outputSize - 3 * Self.blockMax }

    /// Decodes the next bytes of the stream; empty at its end. The buffer stays valid until the next call.
    mutating func next() throws(ZstdError) -> UnsafeRawBufferPointer {
        if let pending {
            self.pending = nil
            finished = true
            throw pending
        }
        guard !finished else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        if let widerWindow {
            // Frames do not refer to each other: the new one starts in an empty ring.
            lender?.awaitAllReturned()
            self.widerWindow = nil
            window = widerWindow
            ring.deallocate()
            ring = Self.allocateRing(byteCount: Self.ringSize(window: window, reserve: reserve))
            ringPosition = 0
        } else if let lender {
            lender.awaitReturns(endingBefore: bytesOut - Int64(lendingReach))
        }
        guard let base = ring.baseAddress else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        if ringPosition + Self.blockMax > ring.count { ringPosition = 0 }
        let start = ringPosition
        do throws(ZstdError) {
            while ringPosition - start < outputSize, ringPosition + Self.blockMax <= ring.count, widerWindow == nil {
                guard try step() else {
                    finished = true
                    break
                }
            }
            if widerWindow != nil, ringPosition == start { return try next() }
        } catch {
            guard ringPosition > start else {
                finished = true
                throw error
            }
            pending = error  // hand out what was decoded before the failure first
        }
        let buffer = UnsafeRawBufferPointer(start: base + start, count: ringPosition - start)
        bytesOut += Int64(buffer.count)
        lender?.handedOut(buffer, end: bytesOut)
        return buffer
    }

    /// Decodes the next unit of input (a frame header, a block, a checksum, a skippable frame) into the
    /// ring; false at the end of the file.
    private mutating func step() throws(ZstdError) -> Bool {
        if !inFrame {
            try fill(atLeast: Int(ZSTD_FRAMEHEADERSIZE_MAX))
            let available = inputEnd - inputStart
            if available == 0 { return false }
            try startFrame(available: available)
            if !inFrame { return true }  // a wider window: the ring grows first
        }
        let needed = ZSTD_nextSrcSizeToDecompress(context)
        if needed == 0 {
            inFrame = false
            return true
        }
        try fill(atLeast: needed)
        guard inputEnd - inputStart >= needed, let source = input.baseAddress, let target = ring.baseAddress else {
            throw ZstdError(message: "Truncated zstd input")
        }
        let produced = ZSTD_decompressContinue(
            context, target + ringPosition, ring.count - ringPosition, source + inputStart, needed)
        guard ZSTD_isError(produced) == 0 else { throw ZstdError(code: produced) }
        inputStart += needed
        bytesIn += Int64(needed)
        ringPosition += produced
        return true
    }

    /// Begins the frame (or skippable frame) at the input's start; when its window is larger than the
    /// ring was made for, leaves it for the next call (`widerWindow`) instead.
    private mutating func startFrame(available: Int) throws(ZstdError) {
        guard let source = input.baseAddress else { return }
        var header = ZSTD_frameHeader()
        let status = ZSTD_getFrameHeader(&header, source + inputStart, available)
        if ZSTD_isError(status) != 0 { throw ZstdError(code: status) }
        if status > 0 { throw ZstdError(message: "Truncated zstd input") }
        if header.frameType == ZSTD_frame, header.windowSize > UInt64(window) {
            guard header.windowSize <= UInt64(1) << ZSTD_WINDOWLOG_LIMIT_DEFAULT else {
                throw ZstdError(message: "Zstd decompression failed: Frame requires too much memory for decoding")
            }
            widerWindow = Int(header.windowSize)
            return
        }
        let begun = ZSTD_decompressBegin(context)
        if ZSTD_isError(begun) != 0 { throw ZstdError(code: begun) }
        inFrame = true
    }

    /// Reads more of the file until `count` bytes are unread or the file ends, moving the unread bytes
    /// to the buffer's start first when they would not fit after it.
    private mutating func fill(atLeast count: Int) throws(ZstdError) {
        guard let base = input.baseAddress else { return }
        while inputEnd - inputStart < count, !inputEnded {
            if inputStart > 0, inputStart + count > input.count {
                memmove(base, base + inputStart, inputEnd - inputStart)
                inputEnd -= inputStart
                inputStart = 0
            }
            let got = POSIXRead.read(descriptor, into: base + inputEnd, count: input.count - inputEnd)
            guard got >= 0 else {
                throw ZstdError(message: "zstd input could not be read: \(String(cString: strerror(errno)))")
            }
            if got == 0 { inputEnded = true }
            inputEnd += got
        }
    }
}

extension ZstdError {
    /// The message for a libzstd error code.
    init(code: Int) {
        self.init(message: "Zstd decompression failed: \(String(cString: ZSTD_getErrorName(code)))")
    }
}
