import CLibArchive
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure reported by libarchive, with the library's own message.
public struct ArchiveError: Error, Sendable, CustomStringConvertible {
    /// libarchive's status (`ARCHIVE_FATAL` = -30, `ARCHIVE_FAILED` = -25, …).
    public var status: Int32
    public var message: String

    public var description: String { message }

    /// The archive cannot be read any further (a failure inside one member is not fatal).
    public var isFatal: Bool { status == ARCHIVE_FATAL }

    init(status: Int32, message: String) {
        self.status = status
        self.message = message
    }

    init(status: Int32, handle: OpaquePointer) {
        let message = archive_error_string(handle).map { String(cString: $0) } ?? "libarchive status \(status)"
        self.init(status: status, message: message)
    }
}

/// The metadata of one archive member, copied out of libarchive's reused `archive_entry`.
struct ArchiveEntry {
    enum Kind { case regular, directory, symlink, hardlink, other }

    var path: String
    var pathIsValidUTF8: Bool
    var kind: Kind
    var size: Int64?
    var modified: Int?
    var isSparse: Bool
}

/// Which container formats a reader accepts; external-program fallbacks are never enabled.
enum ArchiveFormats {
    /// tar (all variants), zip, and — for compressed input — a bare compressed file as one entry.
    case archives(allowRawCompressed: Bool)
}

/// Where libarchive's read callback (`readFromFeed`) takes an archive's bytes from: one subclass per
/// kind of source, each handing out its next buffer.
class ArchiveFeed {
    /// What libarchive's read callback returns: the next buffer's size (its address in `buffer`), 0 at
    /// the end, or -1 after a failure (libarchive makes it ARCHIVE_FATAL).
    func read(for archive: OpaquePointer?, into buffer: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int { -1 }

    /// Opens `handle` on this feed's bytes.
    func open(_ handle: OpaquePointer) -> Int32 {
        archive_read_open(handle, Unmanaged.passUnretained(self).toOpaque(), nil, readFromFeed, nil)
    }
}

/// A file libarchive reads through a buffer aligned to a page, and can skip and seek in, as its own
/// `archive_read_open_filename` would.
///
/// libarchive's own file reader reads into a buffer from `malloc`, which for 1 MiB starts 16 bytes into
/// a page. On the project's machine (AMD EPYC, Zen 1) the kernel copies into a buffer 1–31 bytes past a
/// 64-byte boundary at about a quarter of the speed it copies into one 0 or 32–63 bytes past it: a 1 GB
/// plain tar took 0.45 s of system time to read instead of 0.09 s.
final class FileFeed: ArchiveFeed {
    private let descriptor: Int32
    private let buffer: ReadBuffer

    /// Opens the file at `path` (NUL-terminated, as the file system spells it).
    init(path: [CChar], bufferSize: Int = 1 << 20) throws(ArchiveError) {
        let descriptor = path.withUnsafeBufferPointer { name -> Int32 in
            guard let name = name.baseAddress else { return -1 }
            #if canImport(Glibc)
            return Glibc.open(name, O_RDONLY | O_CLOEXEC)
            #else
            return Darwin.open(name, O_RDONLY | O_CLOEXEC)
            #endif
        }
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            let name = path.withUnsafeBufferPointer { $0.baseAddress.map { String(cString: $0) } } ?? ""
            throw ArchiveError(status: ARCHIVE_FATAL, message: "Failed to open '\(name)': \(reason)")
        }
        self.descriptor = descriptor
        buffer = ReadBuffer(count: bufferSize)
    }

    deinit {
        close(descriptor)
    }

    override func open(_ handle: OpaquePointer) -> Int32 {
        archive_read_set_callback_data(handle, Unmanaged.passUnretained(self).toOpaque())
        archive_read_set_read_callback(handle, readFromFeed)
        archive_read_set_skip_callback(handle, skipInFile)
        archive_read_set_seek_callback(handle, seekInFile)
        return archive_read_open1(handle)
    }

    override func read(for archive: OpaquePointer?, into target: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
        buffer.handOut(from: descriptor, for: archive, into: target)
    }

    /// Moves `request` bytes on without reading them: how many it moved (0 lets libarchive read and
    /// discard instead), or -1 after a failure.
    fileprivate func skip(_ archive: OpaquePointer?, _ request: Int64) -> Int64 {
        let old = lseek(descriptor, 0, SEEK_CUR)
        guard old >= 0 else { return 0 }
        let new = lseek(descriptor, off_t(request), SEEK_CUR)
        guard new >= 0 else {
            if errno == ESPIPE { return 0 }
            if let archive { oomlens_archive_set_error(archive, "seek error: \(String(cString: strerror(errno)))") }
            return -1
        }
        return Int64(new - old)
    }

    /// Moves to `offset` from where `whence` says: the new position, or `ARCHIVE_FATAL` after a failure.
    fileprivate func seek(_ archive: OpaquePointer?, _ offset: Int64, _ whence: Int32) -> Int64 {
        let position = lseek(descriptor, off_t(offset), whence)
        guard position >= 0 else {
            if let archive { oomlens_archive_set_error(archive, "seek error: \(String(cString: strerror(errno)))") }
            return Int64(ARCHIVE_FATAL)
        }
        return Int64(position)
    }
}

/// A private copy of the first bytes of a source, taken already (to recognise it) and handed out first.
private struct TakenHead: ~Copyable {
    private let bytes: UnsafeMutableRawBufferPointer
    private let count: Int
    private var delivered = false

    init(_ head: [UInt8]) {
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: Swift.max(1, head.count), alignment: 1)
        head.withUnsafeBytes { copy.copyMemory(from: $0) }
        bytes = copy
        count = head.count
    }

    deinit {
        bytes.deallocate()
    }

    /// The copy, once; nil afterwards.
    mutating func take() -> UnsafeRawBufferPointer? {
        guard !delivered else { return nil }
        delivered = true
        guard count > 0 else { return nil }
        return UnsafeRawBufferPointer(start: bytes.baseAddress, count: count)
    }
}

/// The bytes a nested reader pulls: first a copy of the head already taken from the outer entry
/// (to sniff it), then the rest of the outer entry, block by block, without copying.
final class NestedFeed: ArchiveFeed {
    let outer: OpaquePointer
    private var head: TakenHead
    /// Set when the outer archive failed while feeding the inner one.
    var outerError: ArchiveError?
    /// Bytes taken from the outer entry (compressed bytes of the inner archive).
    var consumed: Int64 = 0

    init(outer: OpaquePointer, head: [UInt8]) {
        self.outer = outer
        self.head = TakenHead(head)
    }

    override func read(for archive: OpaquePointer?, into buffer: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
        if let taken = head.take() {
            buffer.pointee = taken.baseAddress
            consumed += Int64(taken.count)
            return taken.count
        }
        var block: UnsafeRawPointer?
        var size = 0
        var offset: Int64 = 0
        let status = archive_read_data_block(outer, &block, &size, &offset)
        switch status {
        case ARCHIVE_EOF:
            return 0
        case ARCHIVE_OK, ARCHIVE_WARN:
            buffer.pointee = block
            consumed += Int64(size)
            return size
        default:
            outerError = ArchiveError(status: status, handle: outer)
            return -1  // libarchive turns this into ARCHIVE_FATAL on the nested reader
        }
    }
}

/// The bytes of a stream that is not a file (standard input, a pipe): the head already read from it
/// (to recognise it), then what `read(2)` gives, one buffer at a time. The descriptor stays the caller's.
final class StreamFeed: ArchiveFeed {
    private let descriptor: Int32
    private var head: TakenHead
    private let buffer: ReadBuffer
    /// Bytes handed to libarchive so far.
    private(set) var consumed: Int64 = 0

    init(descriptor: Int32, head: [UInt8], bufferSize: Int = 1 << 20) {
        self.descriptor = descriptor
        self.head = TakenHead(head)
        buffer = ReadBuffer(count: bufferSize)
    }

    override func read(for archive: OpaquePointer?, into target: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
        if let taken = head.take() {
            target.pointee = taken.baseAddress
            consumed += Int64(taken.count)
            return taken.count
        }
        let count = buffer.handOut(from: descriptor, for: archive, into: target)
        if count > 0 { consumed += Int64(count) }
        return count
    }
}

/// A file decoded by a `BlockDecoder` for libarchive, which then reads it as uncompressed.
final class DecoderFeed<Decoder: BlockDecoder & ~Copyable>: ArchiveFeed {
    var decoder: Decoder

    init(_ decoder: consuming Decoder) {
        self.decoder = decoder
    }

    /// Decodes what follows the archive's end (a tar's end blocks leave the record padding and the
    /// gzip trailer or the last zstd frame's end unread), so that a checksum that does not match, or a
    /// file cut before the end, is reported. Stops checking, silently, after `limit` bytes: more than a
    /// tar record's padding is not an archive's end.
    func finish(limit: Int = 16 << 20) throws(Decoder.Failure) {
        var decoded = 0
        while decoded < limit {
            let block = try decoder.next()
            if block.isEmpty { return }
            decoded += block.count
        }
    }

    /// The next decoded buffer, or -1 with the failure set as `archive`'s error.
    override func read(for archive: OpaquePointer?, into buffer: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
        do throws(Decoder.Failure) {
            let block = try decoder.next()
            buffer.pointee = block.baseAddress
            return block.count
        } catch {
            if let archive { oomlens_archive_set_error(archive, error.message) }
            return -1
        }
    }
}

/// A compressed file decoded outside libarchive (faster than its own filters), which libarchive reads
/// as an uncompressed stream.
enum DecodingFeed {
    case gzip(DecoderFeed<GzipInflater>)
    case zstd(DecoderFeed<ZstdDecoder>)

    /// The feed for the file at `path` when it is compressed in a way decoded here; a zstd file's blocks
    /// may be lent out through `lender`.
    init?(path: [CChar], lender: BlockLender?) {
        if let inflater = GzipInflater(path: path) {
            self = .gzip(DecoderFeed(inflater))
        } else if let decoder = ZstdDecoder(path: path, lender: lender) {
            self = .zstd(DecoderFeed(decoder))
        } else {
            return nil
        }
    }

    /// The feed for the rest of a stream whose first bytes, `head`, were read from `descriptor` already,
    /// when they are compressed in a way decoded here. The decoder reads a duplicate of `descriptor`.
    init?(descriptor: Int32, head: [UInt8], lender: BlockLender?) {
        let copy = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
        guard copy >= 0 else { return nil }
        let feed: DecodingFeed? = head.withUnsafeBytes { head in
            if let inflater = GzipInflater(descriptor: copy, head: head) { return .gzip(DecoderFeed(inflater)) }
            if let decoder = ZstdDecoder(descriptor: copy, head: head, lender: lender) { return .zstd(DecoderFeed(decoder)) }
            return nil
        }
        guard let feed else {
            close(copy)
            return nil
        }
        self = feed
    }

    /// The name libarchive's filter for the same compression has.
    var compressionName: String {
        switch self {
        case .gzip: "gzip"
        case .zstd: "zstd"
        }
    }

    /// Compressed bytes consumed so far.
    var bytesIn: Int64 {
        switch self {
        case .gzip(let feed): feed.decoder.bytesIn
        case .zstd(let feed): feed.decoder.bytesIn
        }
    }

    /// Decodes to the end of the file (`DecoderFeed.finish(limit:)`); the failure's message, if any.
    func finish() -> String? {
        switch self {
        case .gzip(let feed): Self.message { () throws(GzipError) in try feed.finish() }
        case .zstd(let feed): Self.message { () throws(ZstdError) in try feed.finish() }
        }
    }

    private static func message<Failure: DecoderFailure>(_ body: () throws(Failure) -> Void) -> String? {
        do throws(Failure) {
            try body()
            return nil
        } catch {
            return error.message
        }
    }

    /// The feed libarchive reads the decoded stream from.
    var feed: ArchiveFeed {
        switch self {
        case .gzip(let feed): feed
        case .zstd(let feed): feed
        }
    }
}

/// What a reader has taken from a stream source so far, counted by whatever reads the stream.
enum StreamMeter {
    case decoding(DecodingFeed)
    case passing(StreamFeed)

    /// Bytes taken from the stream.
    var bytesIn: Int64 {
        switch self {
        case .decoding(let feed): feed.bytesIn
        case .passing(let feed): feed.consumed
        }
    }
}

/// Where the archive bytes come from.
enum ArchiveSource {
    /// A file on disk, by its raw NUL-terminated path (names need not be UTF-8).
    case file(path: [CChar])
    /// The rest of another archive's current entry; the outer reader must stay on that entry.
    case nested(NestedFeed)
    /// A stream that is not a file (standard input, a pipe), open as `descriptor` (which stays the
    /// caller's), whose first bytes, `head`, were read already.
    case stream(descriptor: Int32, head: [UInt8])
}

/// A forward-only, zero-copy reader over the members of a (possibly compressed) archive.
///
/// Noncopyable so that exactly one value owns the libarchive handle; `deinit` frees it.
/// This file is the only one that reads with libarchive.
struct ArchiveReader: ~Copyable {
    private let handle: OpaquePointer
    /// A gzip or zstd file's (or stream's) decoder, when this reader's source is one (libarchive's
    /// handle reads from it).
    private let decoding: DecodingFeed?
    /// What libarchive's handle reads from, held here while it does.
    private let feed: ArchiveFeed
    /// Counts what this reader has taken from its source when that is a stream, and can be read while
    /// nested readers run (`BundleReader` weighs a streamed bundle's inflation against it).
    let streamMeter: StreamMeter?
    /// Non-fatal problems (ARCHIVE_WARN), kept for the report.
    private(set) var warnings: [String] = []

    /// Opens `source`; the blocks of a zstd file it reads may then be lent out through `lender`.
    init(_ source: ArchiveSource, formats: ArchiveFormats, lender: BlockLender? = nil) throws(ArchiveError) {
        // A gzip file is inflated by igzip rather than by libarchive's zlib filter, a zstd file decoded
        // without libarchive's copy out of libzstd's window. All is worked out in locals before any
        // field is set, so that a failure to open leaves nothing half made.
        let decoded: DecodingFeed?
        let reading: ArchiveFeed
        let meter: StreamMeter?
        switch source {
        case .file(let path):
            decoded = DecodingFeed(path: path, lender: lender)
            if let decoded { reading = decoded.feed } else { reading = try FileFeed(path: path) }
            meter = nil
        case .stream(let descriptor, let head):
            decoded = DecodingFeed(descriptor: descriptor, head: head, lender: lender)
            if let decoded {
                reading = decoded.feed
                meter = .decoding(decoded)
            } else {
                let passing = StreamFeed(descriptor: descriptor, head: head)
                reading = passing
                meter = .passing(passing)
            }
        case .nested(let nested):
            decoded = nil
            reading = nested
            meter = nil
        }
        let opened = try Self.open(through: reading, formats: formats)
        decoding = decoded
        feed = reading
        streamMeter = meter
        handle = opened
    }

    /// A libarchive handle reading what `feed` hands out.
    private static func open(through feed: ArchiveFeed, formats: ArchiveFormats) throws(ArchiveError) -> OpaquePointer {
        guard let handle = archive_read_new() else {
            throw ArchiveError(status: ARCHIVE_FATAL, message: "archive_read_new failed")
        }
        // Only in-process decoders: archive_read_support_filter_all may run external programs.
        for filter in Filter.inProcess { _ = filter.register(handle) }
        archive_read_support_filter_none(handle)
        archive_read_support_format_tar(handle)
        archive_read_support_format_gnutar(handle)
        archive_read_support_format_zip(handle)
        switch formats {
        case .archives(let allowRaw):
            if allowRaw { archive_read_support_format_raw(handle) }
        }
        let status = feed.open(handle)
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN else {
            let error = ArchiveError(status: status, handle: handle)
            archive_read_free(handle)
            throw error
        }
        return handle
    }

    deinit {
        archive_read_free(handle)
    }

    /// Advances to the next member, or returns nil at the end of the archive.
    ///
    /// A damaged member header (a tar checksum that does not match) is skipped: libarchive consumes it
    /// and the next call looks at the following block, so reading resumes at the next good header, as
    /// bsdtar does. What was skipped is left in `damagedRegion` until the next call.
    mutating func next() throws(ArchiveError) -> ArchiveEntry? {
        damagedRegion = nil
        var entry: OpaquePointer?
        var status = archive_read_next_header(handle, &entry)
        if status == ARCHIVE_RETRY {
            let firstBad = archive_read_header_position(handle)
            let message = archive_error_string(handle).map { String(cString: $0) } ?? "damaged header"
            while status == ARCHIVE_RETRY {
                let before = archive_filter_bytes(handle, 0)
                status = archive_read_next_header(handle, &entry)
                // A format that retries without moving on would loop forever: give up instead.
                if status == ARCHIVE_RETRY, archive_filter_bytes(handle, 0) <= before {
                    throw ArchiveError(status: status, handle: handle)
                }
            }
            let resumed = status == ARCHIVE_EOF ? archive_filter_bytes(handle, 0) : archive_read_header_position(handle)
            damagedRegion = DamagedRegion(offset: firstBad, bytes: Swift.max(0, resumed - firstBad), message: message)
        }
        if status == ARCHIVE_EOF {
            if let message = decoding?.finish() { throw ArchiveError(status: ARCHIVE_FATAL, message: message) }
            return nil
        }
        try check(status)
        guard let entry else { throw ArchiveError(status: ARCHIVE_FATAL, message: "missing entry") }
        dataOffset = archive_filter_bytes(handle, 0)
        return ArchiveEntry(entry)
    }

    /// Where the current member's data starts in the uncompressed stream: the bytes the format had
    /// consumed when `next()` returned it (its header and any extended headers). For an uncompressed
    /// tar file this is the data's offset in the file.
    private(set) var dataOffset: Int64 = 0

    /// Bytes between a damaged header and the next good one (or the end), skipped by the last `next()`.
    struct DamagedRegion {
        /// Where the damaged header starts in the uncompressed stream.
        var offset: Int64
        var bytes: Int64
        /// libarchive's message (`Damaged tar archive`).
        var message: String
    }

    /// Set by `next()` when it had to skip damaged headers to find the member it returned.
    private(set) var damagedRegion: DamagedRegion?

    /// How much a reader has inflated so far.
    struct Progress {
        /// Member data taken out of this reader (after decompression, zip's per-member one included).
        var bytesOut: Int64
        /// Input the reader's decompressor has consumed (the file's or the outer member's bytes).
        var bytesIn: Int64

        /// Bytes out per byte in (0 until both are known).
        var ratio: Double { bytesIn > 0 ? Double(bytesOut) / Double(bytesIn) : 0 }
    }

    private var bytesOut: Int64 = 0

    /// Calls `body` with each block of the current member's data, without copying it, and the reader's
    /// progress including that block. `body` returns false to stop reading this member early (libarchive
    /// then skips the rest itself on `next()`). Each buffer is valid only during the call.
    mutating func forEachBlock(_ body: (UnsafeRawBufferPointer, Progress) -> Bool) throws(ArchiveError) {
        while true {
            var block: UnsafeRawPointer?
            var size = 0
            var offset: Int64 = 0
            let status = archive_read_data_block(handle, &block, &size, &offset)
            if status == ARCHIVE_EOF { return }
            try check(status)
            guard size > 0 else { continue }
            bytesOut += Int64(size)
            let progress = Progress(bytesOut: bytesOut, bytesIn: decoding?.bytesIn ?? archive_filter_bytes(handle, -1))
            if !body(UnsafeRawBufferPointer(start: block, count: size), progress) { return }
        }
    }

    /// The outermost compression filter's name (`gzip`, `zstd`, `none`, …).
    var compressionName: String {
        if let decoding { return decoding.compressionName }
        return archive_filter_name(handle, 0).map { String(cString: $0) } ?? "none"
    }

    /// The container format's name, once a header was read (`GNU tar format`, `ZIP 2.0 (deflation)`, `raw`).
    var formatName: String {
        archive_format_name(handle).map { String(cString: $0) } ?? ""
    }

    /// A feed for a nested reader over the current entry, starting with `head` (bytes already read).
    func nestedFeed(head: [UInt8]) -> NestedFeed { NestedFeed(outer: handle, head: head) }

    /// OK passes, WARN is recorded and passes, anything else (RETRY, FAILED, FATAL) throws.
    private mutating func check(_ status: Int32) throws(ArchiveError) {
        switch status {
        case ARCHIVE_OK:
            return
        case ARCHIVE_WARN:
            if warnings.count < 100 { warnings.append(ArchiveError(status: status, handle: handle).message) }
        default:
            throw ArchiveError(status: status, handle: handle)
        }
    }
}

extension ArchiveReader {
    /// A decompression filter the reader may register.
    ///
    /// Registering one whose library libarchive was built without returns ARCHIVE_WARN ("Using external
    /// zstd program") and makes libarchive run `zstd -d`, `lz4 -d`, … on the data: bundle content must never
    /// reach another program, so only the filters that register cleanly (probed once) are used.
    enum Filter: CaseIterable, Sendable {
        case gzip, bzip2, xz, lzma, zstd, lz4, compress

        /// The filters this libarchive decodes in-process.
        static let inProcess: [Filter] = allCases.filter { filter in
            guard let probe = archive_read_new() else { return false }
            defer { archive_read_free(probe) }
            return filter.register(probe) == ARCHIVE_OK
        }

        func register(_ handle: OpaquePointer) -> Int32 {
            switch self {
            case .gzip: archive_read_support_filter_gzip(handle)
            case .bzip2: archive_read_support_filter_bzip2(handle)
            case .xz: archive_read_support_filter_xz(handle)
            case .lzma: archive_read_support_filter_lzma(handle)
            case .zstd: archive_read_support_filter_zstd(handle)
            case .lz4: archive_read_support_filter_lz4(handle)
            case .compress: archive_read_support_filter_compress(handle)
            }
        }
    }
}

extension ArchiveEntry {
    /// Copies the fields we need; libarchive reuses the `archive_entry` on the next header.
    init(_ entry: OpaquePointer) {
        let raw = archive_entry_pathname(entry)
        if let ascii = raw.flatMap(Self.asciiString) {
            // An ASCII name is its own UTF-8: asking libarchive for the UTF-8 form converts it
            // through the locale a character at a time (`mbrtowc`), a tenth of the time spent on
            // a bundle of many small members.
            path = ascii
            pathIsValidUTF8 = true
        } else if let utf8 = archive_entry_pathname_utf8(entry) {
            path = String(cString: utf8)
            pathIsValidUTF8 = true
        } else if let raw {
            let repaired = String(cString: raw)  // invalid UTF-8 becomes U+FFFD
            path = repaired
            pathIsValidUTF8 = !repaired.contains("\u{FFFD}")
        } else {
            path = ""
            pathIsValidUTF8 = false
        }
        if archive_entry_hardlink(entry) != nil {
            kind = .hardlink  // tar hardlinks are AE_IFREG with size 0 plus a target: check first
        } else {
            switch archive_entry_filetype(entry) {
            // AE_IFREG & co. are cast macros Swift cannot import; Glibc's S_IF* are the same values.
            case S_IFREG: kind = .regular
            case S_IFDIR: kind = .directory
            case S_IFLNK: kind = .symlink
            default: kind = .other
            }
        }
        size = archive_entry_size_is_set(entry) != 0 ? archive_entry_size(entry) : nil
        modified = archive_entry_mtime_is_set(entry) != 0 ? Int(archive_entry_mtime(entry)) : nil
        isSparse = archive_entry_sparse_count(entry) > 0
    }

    /// The C string as a `String` when every byte is ASCII, else nil.
    private static func asciiString(_ c: UnsafePointer<CChar>) -> String? {
        let bytes = UnsafeRawBufferPointer(start: c, count: strlen(c))
        guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension ReadBuffer {
    /// What a feed's read callback returns for a `read(2)` of `descriptor` into this buffer: the count
    /// read (the buffer's address in `target`), 0 at the end, or -1 with the error set on `archive`.
    fileprivate func handOut(
        from descriptor: Int32, for archive: OpaquePointer?, into target: UnsafeMutablePointer<UnsafeRawPointer?>
    ) -> Int {
        let count = POSIXRead.read(descriptor, into: bytes.baseAddress, count: bytes.count)
        guard count >= 0 else {
            if let archive { oomlens_archive_set_error(archive, "read error: \(String(cString: strerror(errno)))") }
            return -1
        }
        target.pointee = UnsafeRawPointer(bytes.baseAddress)
        return count
    }
}

/// libarchive's skip callback for a `FileFeed`.
private func skipInFile(_ archive: OpaquePointer?, clientData: UnsafeMutableRawPointer?, request: Int64) -> Int64 {
    guard let clientData else { return -1 }
    return Unmanaged<FileFeed>.fromOpaque(clientData).takeUnretainedValue().skip(archive, request)
}

/// libarchive's seek callback for a `FileFeed`.
private func seekInFile(
    _ archive: OpaquePointer?, clientData: UnsafeMutableRawPointer?, offset: Int64, whence: Int32
) -> Int64 {
    guard let clientData else { return Int64(ARCHIVE_FATAL) }
    return Unmanaged<FileFeed>.fromOpaque(clientData).takeUnretainedValue().seek(archive, offset, whence)
}

/// libarchive's read callback for every `ArchiveFeed`: the feed's next buffer.
private func readFromFeed(
    _ archive: OpaquePointer?, clientData: UnsafeMutableRawPointer?,
    buffer: UnsafeMutablePointer<UnsafeRawPointer?>?
) -> Int {
    guard let clientData, let buffer else { return -1 }
    return Unmanaged<ArchiveFeed>.fromOpaque(clientData).takeUnretainedValue().read(for: archive, into: buffer)
}
