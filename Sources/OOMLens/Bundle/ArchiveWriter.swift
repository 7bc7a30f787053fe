import CLibArchive
#if canImport(Glibc)
import Glibc
#endif

/// A failure reported while writing an archive, with libarchive's own message when it gave one.
public struct ArchiveWriterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The libarchive status (`ARCHIVE_FATAL` = -30, `ARCHIVE_FAILED` = -25, …), or -30 for misuse.
    public var status: Int32
    public var message: String

    public var description: String { message }

    public init(status: Int32, message: String) {
        self.status = status
        self.message = message
    }

    init(status: Int32, handle: OpaquePointer) {
        let text = archive_error_string(handle).map { String(cString: $0) } ?? "libarchive status \(status)"
        self.init(status: status, message: text)
    }

    static func misuse(_ message: String) -> ArchiveWriterError {
        ArchiveWriterError(status: ARCHIVE_FATAL, message: message)
    }
}

/// Writes tar (plain or compressed), zip, or a single raw gzip member through libarchive.
///
/// Noncopyable so that exactly one value owns the libarchive write handle; `deinit` frees it (which also
/// closes the archive if `finish()` was not called). Entries are added whole (`addFile(path:contents:)`)
/// or streamed (`beginFile`, any number of `write(_:)`, `endFile()`), so a large member never has to sit
/// in memory; its size must be known up front because tar and zip headers record it.
///
/// ```swift
/// var writer = try ArchiveWriter(format: .tarGzip, memoryLimit: 1 << 20)
/// try writer.addDirectory(path: "bundle/", modified: 1_700_000_000)
/// try writer.addFile(path: "bundle/version.yaml", contents: Array("kind: SupportBundle\n".utf8), modified: 1_700_000_000)
/// let bytes = try writer.finish()   // starts with 1f 8b
/// ```
///
/// Output is deterministic: entry times come from the caller and the gzip header's timestamp is zeroed.
public struct ArchiveWriter: ~Copyable {
    /// The container format and compression filter.
    public enum Format: String, Sendable, CaseIterable, Codable {
        case tar
        case tarGzip
        case tarZstd
        case tarXz
        case tarBzip2
        case zip
        /// One gzip-compressed file with no archive around it (`syslog.2.gz`); exactly one entry.
        case gzipRaw

        /// The usual file-name suffix: `tar.gz`, `zip`, `gz`, …
        public var fileExtension: String {
            switch self {
            case .tar: "tar"
            case .tarGzip: "tar.gz"
            case .tarZstd: "tar.zst"
            case .tarXz: "tar.xz"
            case .tarBzip2: "tar.bz2"
            case .zip: "zip"
            case .gzipRaw: "gz"
            }
        }
    }

    private let handle: OpaquePointer
    private let format: Format
    /// Collects the output of an in-memory writer; nil when writing to a file.
    private let sink: MemorySink?
    private var openEntry: (path: String, remaining: Int64)?
    private var entryCount = 0
    private var finished = false

    /// Opens a writer that creates (or truncates) the file at `path`.
    public init(format: Format, path: String) throws(ArchiveWriterError) {
        self.handle = try Self.open(format: format) { handle in
            archive_write_open_filename(handle, path)
        }
        self.format = format
        self.sink = nil
    }

    /// Opens a writer that collects the archive in memory, failing once the output would exceed
    /// `memoryLimit` bytes (256 MiB by default), so a runaway caller cannot exhaust memory.
    public init(format: Format, memoryLimit: Int = 256 << 20) throws(ArchiveWriterError) {
        let sink = MemorySink(limit: memoryLimit)
        self.handle = try Self.open(format: format) { handle in
            archive_write_open(
                handle, Unmanaged.passUnretained(sink).toOpaque(), nil, writeToMemorySink, nil)
        }
        self.format = format
        self.sink = sink
    }

    private static func open(
        format: Format, _ openOutput: (OpaquePointer) -> Int32
    ) throws(ArchiveWriterError) -> OpaquePointer {
        guard let handle = archive_write_new() else {
            throw .misuse("archive_write_new failed")
        }
        var status: Int32
        switch format {
        case .zip: status = archive_write_set_format_zip(handle)
        case .gzipRaw: status = archive_write_set_format_raw(handle)
        default: status = archive_write_set_format_pax_restricted(handle)
        }
        if status == ARCHIVE_OK {
            switch format {
            case .tar, .zip: status = archive_write_add_filter_none(handle)
            case .tarGzip, .gzipRaw:
                status = archive_write_add_filter_gzip(handle)
                // A NULL value turns the option off: no wall-clock time in the gzip header.
                if status == ARCHIVE_OK { status = archive_write_set_filter_option(handle, "gzip", "timestamp", nil) }
            case .tarZstd: status = archive_write_add_filter_zstd(handle)
            case .tarXz: status = archive_write_add_filter_xz(handle)
            case .tarBzip2: status = archive_write_add_filter_bzip2(handle)
            }
        }
        if status == ARCHIVE_OK, format != .tar {
            // Only plain tar keeps the conventional 10 KiB record padding at the end.
            status = archive_write_set_bytes_in_last_block(handle, 1)
        }
        if status == ARCHIVE_OK { status = openOutput(handle) }
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN else {
            let error = ArchiveWriterError(status: status, handle: handle)
            archive_write_free(handle)
            throw error
        }
        return handle
    }

    deinit {
        archive_write_free(handle)  // closes first when still open
    }

    // MARK: Entries

    /// Adds a regular file with the given contents.
    public mutating func addFile(
        path: String, contents: UnsafeRawBufferPointer, modified: Int64, permissions: UInt32 = 0o644
    ) throws(ArchiveWriterError) {
        try beginFile(path: path, size: Int64(contents.count), modified: modified, permissions: permissions)
        try write(contents)
        try endFile()
    }

    /// Adds a regular file with the given contents.
    public mutating func addFile(
        path: String, contents: [UInt8], modified: Int64, permissions: UInt32 = 0o644
    ) throws(ArchiveWriterError) {
        try beginFile(path: path, size: Int64(contents.count), modified: modified, permissions: permissions)
        let result: Result<Void, ArchiveWriterError> = contents.withUnsafeBytes { buffer in
            Result { () throws(ArchiveWriterError) in try write(buffer) }
        }
        try result.get()
        try endFile()
    }

    /// Starts a regular file of exactly `size` bytes; follow with `write(_:)` calls and `endFile()`.
    public mutating func beginFile(
        path: String, size: Int64, modified: Int64, permissions: UInt32 = 0o644
    ) throws(ArchiveWriterError) {
        try writeHeader(path: path, type: S_IFREG, size: size, modified: modified, permissions: permissions)
        openEntry = (path, size)
    }

    /// Appends a chunk of the open file's data; the total may not exceed the size given to `beginFile`.
    public mutating func write(_ chunk: UnsafeRawBufferPointer) throws(ArchiveWriterError) {
        guard let entry = openEntry else { throw .misuse("write without an open file entry") }
        guard Int64(chunk.count) <= entry.remaining else {
            throw .misuse("\(entry.path): more data than the declared size")
        }
        var offset = 0
        while offset < chunk.count {
            guard let base = chunk.baseAddress else { break }
            let written = archive_write_data(handle, base + offset, chunk.count - offset)
            guard written > 0 else {
                throw ArchiveWriterError(status: written == 0 ? ARCHIVE_FATAL : Int32(truncatingIfNeeded: written), handle: handle)
            }
            offset += written
        }
        openEntry = (entry.path, entry.remaining - Int64(chunk.count))
    }

    /// Closes the open file, checking that exactly the declared number of bytes was written.
    public mutating func endFile() throws(ArchiveWriterError) {
        guard let entry = openEntry else { throw .misuse("endFile without an open file entry") }
        openEntry = nil
        guard entry.remaining == 0 else {
            throw .misuse("\(entry.path): \(entry.remaining) bytes short of the declared size")
        }
        try check(archive_write_finish_entry(handle))
    }

    /// Adds a directory entry (`path` may end with `/`).
    public mutating func addDirectory(path: String, modified: Int64, permissions: UInt32 = 0o755) throws(ArchiveWriterError) {
        try writeHeader(path: path, type: S_IFDIR, size: 0, modified: modified, permissions: permissions)
        try check(archive_write_finish_entry(handle))
    }

    /// Adds a symbolic link at `path` pointing to `target` (stored verbatim, usually relative).
    public mutating func addSymlink(path: String, target: String, modified: Int64) throws(ArchiveWriterError) {
        try writeHeader(path: path, type: S_IFLNK, size: 0, modified: modified, permissions: 0o777) { entry in
            archive_entry_set_symlink_utf8(entry, target)
        }
        try check(archive_write_finish_entry(handle))
    }

    /// Adds a hard link at `path` to the earlier member `target` (tar formats only).
    public mutating func addHardlink(path: String, target: String, modified: Int64) throws(ArchiveWriterError) {
        guard format != .zip, format != .gzipRaw else { throw .misuse("\(format) cannot store hard links") }
        try writeHeader(path: path, type: S_IFREG, size: 0, modified: modified, permissions: 0o644) { entry in
            archive_entry_set_hardlink_utf8(entry, target)
        }
        try check(archive_write_finish_entry(handle))
    }

    /// Writes the trailer and closes the archive. Returns the archive's bytes for an in-memory writer
    /// (an empty array for a file writer). Nothing may be added afterwards.
    public mutating func finish() throws(ArchiveWriterError) -> [UInt8] {
        guard !finished else { throw .misuse("finish called twice") }
        guard openEntry == nil else { throw .misuse("finish with an unfinished file entry") }
        finished = true
        try check(archive_write_close(handle))
        guard let sink else { return [] }
        let bytes = sink.bytes
        sink.bytes = []
        return bytes
    }

    // MARK: Helpers

    private mutating func writeHeader(
        path: String, type: mode_t, size: Int64, modified: Int64, permissions: UInt32,
        configure: (OpaquePointer) -> Void = { _ in }
    ) throws(ArchiveWriterError) {
        guard !finished else { throw .misuse("\(path): the archive is already finished") }
        guard openEntry == nil else { throw .misuse("\(path): the previous file entry is still open") }
        guard format != .gzipRaw || (entryCount == 0 && type == S_IFREG) else {
            throw .misuse("a raw gzip member holds exactly one regular file")
        }
        guard let entry = archive_entry_new() else { throw .misuse("archive_entry_new failed") }
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname_utf8(entry, path)
        archive_entry_set_filetype(entry, UInt32(type))
        archive_entry_set_perm(entry, mode_t(permissions))
        archive_entry_set_size(entry, size)
        archive_entry_set_mtime(entry, time_t(modified), 0)
        configure(entry)
        try check(archive_write_header(handle, entry))
        entryCount += 1
    }

    /// OK and WARN pass; anything else throws with libarchive's message.
    private func check(_ status: Int32) throws(ArchiveWriterError) {
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN else {
            if let sink, sink.overflowed {
                throw ArchiveWriterError(status: status, message: "archive output exceeds the \(sink.limit)-byte memory limit")
            }
            throw ArchiveWriterError(status: status, handle: handle)
        }
    }
}

/// The buffer an in-memory `ArchiveWriter` appends to; its address is libarchive's client data.
private final class MemorySink {
    var bytes: [UInt8] = []
    let limit: Int
    var overflowed = false

    init(limit: Int) {
        self.limit = limit
    }
}

/// libarchive write callback for in-memory output: appends to the `MemorySink` behind `clientData`,
/// refusing (-1, which libarchive turns into ARCHIVE_FATAL) once the limit would be passed.
private func writeToMemorySink(
    _: OpaquePointer?, clientData: UnsafeMutableRawPointer?, buffer: UnsafeRawPointer?, length: Int
) -> Int {
    guard let clientData else { return -1 }
    let sink = Unmanaged<MemorySink>.fromOpaque(clientData).takeUnretainedValue()
    guard length > 0 else { return 0 }
    guard let buffer, sink.bytes.count + length <= sink.limit else {
        sink.overflowed = true
        return -1
    }
    sink.bytes.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: length))
    return length
}
