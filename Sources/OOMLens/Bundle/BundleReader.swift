#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams every member of a bundle — an archive (tar, tar.gz, tar.zst, tar.xz, tar.bz2, zip), a
/// directory, or a single plain or compressed log, on disk or piped into standard input — to a
/// `MemberConsumer`, recognising what each member is and descending into nested archives in the same
/// pass, without extracting anything to disk.
///
/// Damage (a truncated or corrupt archive) and limits stop reading with a warning and
/// `complete = false`; everything read before stays. A damaged tar header is passed over to the next
/// good one, its bytes listed as a skipped region. Every block taken out of an archive — parsed, or
/// skipped inside a compressed stream — counts against the compression-ratio limit, so a bomb stops
/// inside its member.
public struct BundleReader {
    public var limits: BundleLimits
    /// Lends the blocks of a zstd bundle to another thread instead of their being copied (set by
    /// `PipelinedBundleReader`, whose consumer gives them back; a consumer on the reading thread must not).
    var lender: BlockLender?
    private var summary: BundleSummary
    private var totalBytes: Int64 = 0
    private var entryCount = 0
    /// Set when a limit stops the whole read.
    private var stopped = false
    /// Sizes of the files opened on disk: what the overall compression ratio is measured against.
    private var inputBytes: Int64 = 0
    /// What the top-level archive's reader has taken from its stream, when the bundle is streamed (it
    /// has no size to measure the ratio against).
    private var streamMeter: StreamMeter?

    /// The path that names standard input.
    public static let standardInput = "-"

    /// Fatal conditions that end reading the whole bundle.
    private enum Stop: Error { case limit(String) }

    public init(limits: BundleLimits = BundleLimits()) {
        self.limits = limits
        self.summary = BundleSummary(source: "", format: "")
    }

    /// Reads the bundle at `path` (`standardInput` for standard input) into `consumer` and returns what
    /// was read. A path that is neither a directory nor a regular file (a pipe, `/dev/stdin`) is read
    /// as a stream, once, front to back.
    public mutating func read<C: MemberConsumer>(_ path: String, into consumer: inout C) -> BundleSummary {
        summary = BundleSummary(source: path, format: "")
        totalBytes = 0
        entryCount = 0
        stopped = false
        inputBytes = 0
        streamMeter = nil
        if path == Self.standardInput {
            let fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0)
            guard fd >= 0 else {
                summary.format = "unreadable"
                damage(file: nil, "cannot read standard input: \(String(cString: strerror(errno)))")
                return summary
            }
            readOpened(fd, fullPath: nil, displayPath: path, depth: 0, into: &consumer, topLevel: true)
            return summary
        }
        var info = stat()
        guard stat(path, &info) == 0 else {
            summary.format = "unreadable"
            damage(file: nil, "cannot open \(path): \(String(cString: strerror(errno)))")
            return summary
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            summary.format = "directory"
            var walker = DirectoryWalker(root: path)
            walker.walk { relative, full, kind in
                guard !stopped else { return }
                switch kind {
                case .regular: readFile(full, displayPath: relative, depth: 0, into: &consumer)
                case .symlink: skip(relative, size: nil, reason: "symlink (not followed)")
                case .other: skip(relative, size: nil, reason: "not a regular file")
                case .unreadable(let message):
                    skip(relative, size: nil, reason: "unreadable")
                    summary.warnings.append(Diagnostic(.warning, file: relative, "cannot read: \(message)"))
                }
            }
            if walker.loopsSkipped > 0 {
                summary.warnings.append(Diagnostic(.note, file: nil, "\(walker.loopsSkipped) directory loop(s) skipped"))
            }
        } else {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            readFile(Array(path.utf8CString), displayPath: name, depth: 0, into: &consumer, topLevel: true)
        }
        return summary
    }

    // MARK: - Files on disk

    /// The read buffer for plain files, made once and lent to each (nil while lent). A fresh 1 MiB
    /// per file was page-faulted in again every time: with the allocator's mmap
    /// threshold at 128 KiB, every buffer that size is mapped on allocation and unmapped on free.
    private var readBuffer: ReadBuffer?

    private mutating func takeReadBuffer() -> ReadBuffer {
        guard let buffer = readBuffer else { return ReadBuffer() }
        readBuffer = nil
        return buffer
    }

    /// Reads one file on disk: an archive (opened with libarchive) or a plain file (read directly).
    private mutating func readFile<C: MemberConsumer>(
        _ fullPath: [CChar], displayPath: String, depth: Int, into consumer: inout C, topLevel: Bool = false
    ) {
        // O_NONBLOCK: opening a FIFO with no writer must not wait forever; reads block again below.
        let fd = open(fullPath, O_RDONLY | O_NONBLOCK)
        guard fd >= 0 else {
            skip(displayPath, size: nil, reason: "unreadable")
            summary.warnings.append(Diagnostic(.warning, file: displayPath, "cannot open: \(String(cString: strerror(errno)))"))
            return
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        readOpened(fd, fullPath: fullPath, displayPath: displayPath, depth: depth, into: &consumer, topLevel: topLevel)
    }

    /// Reads a file open as `fd` (closed here), at `fullPath` when it has one: an archive, read by path
    /// when it is a regular file and as a stream otherwise, or a plain file.
    private mutating func readOpened<C: MemberConsumer>(
        _ fd: Int32, fullPath: [CChar]?, displayPath: String, depth: Int, into consumer: inout C, topLevel: Bool
    ) {
        var info = stat()
        let fileSize: Int64? = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? Int64(info.st_size) : nil
        inputBytes += fileSize ?? 0
        let buffer = takeReadBuffer()
        defer { readBuffer = buffer }
        // A pipe's read returns what was written so far: the head is read until it is whole.
        var headCount = 0
        while headCount < FileRecognizer.headSize {
            let got = POSIXRead.read(
                fd, into: buffer.bytes.baseAddress.map { $0 + headCount }, count: FileRecognizer.headSize - headCount)
            if got <= 0 { break }
            headCount += got
        }
        let head = Array(buffer.prefix(headCount))
        summary.bytesDecompressed += Int64(head.count)
        let verdict = head.withUnsafeBytes { FileRecognizer.recognize(path: displayPath, head: $0) }
        if case .nested(let compressed) = verdict {
            if topLevel { summary.format = "" }
            if let fullPath, fileSize != nil {
                close(fd)
                readArchiveFile(fullPath, displayPath: displayPath, compressed: compressed, depth: depth + 1,
                                into: &consumer, topLevel: topLevel)
            } else {
                readArchiveStream(fd, head: head, displayPath: displayPath, compressed: compressed, depth: depth + 1,
                                  into: &consumer, topLevel: topLevel)
                close(fd)
            }
            return
        }
        if topLevel { summary.format = "file" }
        defer { close(fd) }
        guard case .parse(let kind) = verdict else {
            if case .skip(let reason) = verdict { skip(displayPath, size: fileSize ?? Int64(head.count), reason: reason) }
            return
        }
        if let fileSize, let fullPath, offer(displayPath, kind: kind, size: fileSize, head: head,
                               at: MemberLocation(path: fullPath, offset: 0, length: nil, entry: 0), into: &consumer) {
            return
        }
        var entry = beginMember(displayPath, size: fileSize, kind: kind, into: &consumer)
        var damaged = false
        do {
            try head.withUnsafeBytes { try deliver($0, entry: &entry, into: &consumer) }
            while true {
                let count = POSIXRead.read(fd, into: buffer.bytes.baseAddress, count: buffer.bytes.count)
                if count < 0 {
                    damaged = true
                    damage(file: displayPath, "read error: \(String(cString: strerror(errno)))")
                    break
                }
                if count == 0 { break }
                summary.bytesDecompressed += Int64(count)
                try deliver(buffer.prefix(count), entry: &entry, into: &consumer)
            }
        } catch {
            damaged = true
        }
        endMember(entry, damaged: damaged, into: &consumer)
    }

    /// Opens an archive file with libarchive and reads its members.
    private mutating func readArchiveFile<C: MemberConsumer>(
        _ fullPath: [CChar], displayPath: String, compressed: Bool, depth: Int, into consumer: inout C, topLevel: Bool
    ) {
        var info = stat()
        let onDisk = topLevel && stat(fullPath, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
            ? (path: fullPath, size: Int64(info.st_size)) : nil
        do {
            var reader = try ArchiveReader(
                .file(path: fullPath), formats: .archives(allowRawCompressed: compressed), lender: topLevel ? lender : nil)
            readMembers(of: &reader, container: topLevel ? nil : displayPath, rawName: displayPath,
                        depth: depth, into: &consumer, topLevel: topLevel, onDisk: onDisk)
        } catch {
            damage(file: displayPath, "cannot open archive: \(error.message)")
            if topLevel { summary.format = "unreadable" }
        }
    }

    /// Reads an archive streamed through `fd` (standard input, a pipe), whose first bytes, `head`, were
    /// read already.
    private mutating func readArchiveStream<C: MemberConsumer>(
        _ fd: Int32, head: [UInt8], displayPath: String, compressed: Bool, depth: Int, into consumer: inout C,
        topLevel: Bool
    ) {
        do {
            var reader = try ArchiveReader(
                .stream(descriptor: fd, head: head), formats: .archives(allowRawCompressed: compressed),
                lender: topLevel ? lender : nil)
            if topLevel { streamMeter = reader.streamMeter }
            readMembers(of: &reader, container: topLevel ? nil : displayPath, rawName: displayPath,
                        depth: depth, into: &consumer, topLevel: topLevel)
            if topLevel { streamMeter = nil }
        } catch {
            damage(file: displayPath, "cannot open archive: \(error.message)")
            if topLevel { summary.format = "unreadable" }
        }
    }

    // MARK: - Archive members

    /// Reads every member of an open archive; `container` is the display path of the archive itself
    /// (nil at the top level), which prefixes member paths as `container!/member`. `onDisk` is the
    /// archive's file, when it is one: the members of a tar there can be read again on their own.
    private mutating func readMembers<C: MemberConsumer>(
        of reader: inout ArchiveReader, container: String?, rawName: String, depth: Int,
        into consumer: inout C, topLevel: Bool, onDisk: (path: [CChar], size: Int64)? = nil
    ) {
        var first = true
        var previous: String?
        while !stopped {
            let entry: ArchiveEntry?
            do {
                entry = try reader.next()
            } catch {
                damage(file: container ?? rawName, "archive damaged after \(entryCount) member(s): \(error.message)")
                break
            }
            if let region = reader.damagedRegion {
                skippedDamagedRegion(region, after: previous, container: container ?? rawName, prefix: container)
            }
            guard let entry else {
                if first, topLevel {  // an empty archive
                    summary.format = Self.formatLabel(container: reader.formatName, filter: reader.compressionName)
                }
                break
            }
            let isRaw = reader.formatName == "raw"
            if first, topLevel {
                summary.format = Self.formatLabel(container: reader.formatName, filter: reader.compressionName)
            }
            first = false
            // Skipped data of a compressed, zip or nested archive may have to be inflated to get past it:
            // read it here, counted against the ratio limit, rather than let libarchive skip it
            // unchecked. (A plain tar file on disk skips by seeking, which costs nothing.)
            let drainSkipped = container != nil || reader.compressionName != "none" || reader.formatName.hasPrefix("ZIP")
            // A bare compressed file is one member, named after the file itself.
            let memberPath = isRaw ? (container.map { $0 } ?? rawName) : entry.path
            let display = isRaw ? memberPath : container.map { "\($0)!/\(memberPath)" } ?? memberPath
            previous = display
            entryCount += 1
            if entryCount > limits.maxEntries {
                stop(display, "more than \(limits.maxEntries) members: stopped reading")
                break
            }
            switch entry.kind {
            case .directory: entryCount -= 1; continue
            case .symlink: skip(display, size: nil, reason: "symlink"); continue
            case .hardlink: skip(display, size: nil, reason: "hardlink"); continue
            case .other, .regular: break
            }
            if entry.kind == .other || entry.isSparse {
                skip(display, size: entry.size, reason: entry.isSparse ? "sparse file" : "device or special file")
                if drainSkipped, !drainRest(of: &reader, display: display) { break }
                continue
            }
            if !entry.pathIsValidUTF8 {
                summary.warnings.append(Diagnostic(.note, file: display, "member name is not valid UTF-8; shown repaired"))
            }
            // A header's time before 2001 is a placeholder (0, or a reproducible build's epoch); one from
            // 2100 on is damage (a base-256 size field read as a time): neither dates the bundle.
            if !isRaw, let modified = entry.modified.map(Int64.init), (978_307_200..<4_102_444_800).contains(modified) {
                summary.newestMemberModified = Swift.max(summary.newestMemberModified ?? modified, modified)
            }
            let tarOnDisk = container == nil && !isRaw && !reader.formatName.hasPrefix("ZIP")
            let readable = readMember(
                of: &reader, display: display, nameForRecognition: isRaw ? Self.stripCompression(rawName) : entry.path,
                size: entry.size, depth: depth, drainSkipped: drainSkipped, into: &consumer,
                onDisk: tarOnDisk ? onDisk : nil)
            if !readable { break }
        }
        for warning in reader.warnings {
            summary.warnings.append(Diagnostic(.note, file: container ?? rawName, warning))
        }
    }

    /// Reads the current member: sniffs its head, then parses it (or offers it to the consumer, when it
    /// is a member of a tar file `onDisk` that can be read again: see `rereadable`), skips it, or opens it
    /// as a nested archive.
    /// Returns false when the archive cannot be read any further (it failed inside this member).
    private mutating func readMember<C: MemberConsumer>(
        of reader: inout ArchiveReader, display: String, nameForRecognition: String, size: Int64?, depth: Int,
        drainSkipped: Bool, into consumer: inout C, onDisk: (path: [CChar], size: Int64)?
    ) -> Bool {
        let dataOffset = reader.dataOffset
        let filter = reader.compressionName
        let compressed = filter != "none"
        var offloaded = false
        /// Index in `summary.entries` of an offloaded member's entry while the rest of a compressed one is drained.
        var draining: Int?
        var head: [UInt8] = []
        var entry: InventoryEntry?
        var failure: Stop?
        var verdict: FileRecognizer.Verdict?
        var readError: ArchiveError?
        /// Index in `summary.entries` of this member's skip record while its data is drained.
        var skipped: Int?
        var drained: Int64 = 0
        do {
            try reader.forEachBlock { block, progress in
                do throws(Stop) {
                    try checkInflation(block.count, progress, file: display)
                } catch {
                    failure = error
                    return false
                }
                if let skipped {
                    drained += Int64(block.count)
                    summary.entries[skipped].declaredSize = size ?? drained
                    return true
                }
                if draining != nil { return true }
                if verdict == nil {
                    head.append(contentsOf: block)
                    if head.count < FileRecognizer.headSize { return true }
                    verdict = head.withUnsafeBytes { FileRecognizer.recognize(path: nameForRecognition, head: $0.slice(0..<FileRecognizer.headSize)) }
                    if case .parse(let kind) = verdict, let onDisk, let size,
                       let location = Self.rereadable(onDisk, filter: filter, dataOffset: dataOffset, size: size),
                       offer(display, kind: kind, size: size, head: head, at: location, into: &consumer) {
                        offloaded = true
                        guard compressed else { return false }  // libarchive seeks past the rest on `next()`
                        // Inflate the rest here, counted against the ratio limit like any skipped data.
                        draining = summary.entries.count - 1
                        return true
                    }
                    let keepReading = startMember(verdict, head: head, display: display, size: size, entry: &entry, failure: &failure, into: &consumer)
                    if !keepReading, case .skip = verdict, drainSkipped {
                        skipped = summary.entries.count - 1
                        drained = Int64(head.count)
                        return true
                    }
                    return keepReading
                }
                guard var current = entry else { return false }
                defer { entry = current }
                do throws(Stop) {
                    try deliver(block, entry: &current, into: &consumer)
                    return true
                } catch {
                    failure = error
                    return false
                }
            }
        } catch {
            readError = error
        }
        if offloaded {
            if let draining, readError != nil || failure != nil { summary.entries[draining].damaged = true }
            if let readError { damage(file: display, "archive damaged inside this member: \(readError.message)") }
            return !(readError?.isFatal ?? false)
        }
        if verdict == nil, failure == nil, readError == nil || !head.isEmpty {
            // Short member: the whole of it is in `head`.
            verdict = head.withUnsafeBytes { FileRecognizer.recognize(path: nameForRecognition, head: $0) }
            _ = startMember(verdict, head: head, display: display, size: size, entry: &entry, failure: &failure, into: &consumer)
        }
        if case .nested(let compressed) = verdict {
            return readNested(of: &reader, head: head, display: display, size: size, compressed: compressed, depth: depth,
                              drainSkipped: drainSkipped, into: &consumer)
        }
        if let readError {
            damage(file: display, "archive damaged inside this member: \(readError.message)")
            if let skipped { summary.entries[skipped].damaged = true }
        }
        if let entry {
            endMember(entry, damaged: readError != nil || failure != nil, into: &consumer)
        } else if verdict == nil, readError != nil || failure != nil {
            skip(display, size: size, reason: readError != nil ? "damaged" : "not read: limit reached")
        }
        return !(readError?.isFatal ?? false)
    }

    /// Acts on a verdict once the head is known; returns whether to keep reading blocks.
    private mutating func startMember<C: MemberConsumer>(
        _ verdict: FileRecognizer.Verdict?, head: [UInt8], display: String, size: Int64?,
        entry: inout InventoryEntry?, failure: inout Stop?, into consumer: inout C
    ) -> Bool {
        switch verdict {
        case .parse(let kind):
            var started = beginMember(display, size: size, kind: kind, into: &consumer)
            do {
                try head.withUnsafeBytes { try deliver($0, entry: &started, into: &consumer) }
            } catch {
                failure = error as? Stop
                entry = started
                return false
            }
            entry = started
            return true
        case .skip(let reason):
            skip(display, size: size ?? Int64(head.count), reason: reason)
            return false
        case .nested, .none:
            return false  // the nested reader takes over the rest of this entry
        }
    }

    /// Reads an archive or compressed file held in the current entry, streaming from the outer reader.
    /// Returns false when the outer archive failed while feeding it.
    private mutating func readNested<C: MemberConsumer>(
        of reader: inout ArchiveReader, head: [UInt8], display: String, size: Int64?, compressed: Bool, depth: Int,
        drainSkipped: Bool, into consumer: inout C
    ) -> Bool {
        guard depth < limits.maxNesting else {
            skip(display, size: size, reason: "nested too deep")
            summary.warnings.append(Diagnostic(.warning, file: display, "archive nested deeper than \(limits.maxNesting) levels: not read"))
            return drainSkipped ? drainRest(of: &reader, display: display) : true
        }
        let feed = reader.nestedFeed(head: head)
        do {
            var inner = try ArchiveReader(.nested(feed), formats: .archives(allowRawCompressed: compressed))
            readMembers(of: &inner, container: display, rawName: display, depth: depth + 1, into: &consumer, topLevel: false)
        } catch {
            skip(display, size: size, reason: "unreadable archive")
            summary.warnings.append(Diagnostic(.warning, file: display, "nested archive could not be opened: \(error.message)"))
        }
        if let outerError = feed.outerError {
            damage(file: display, "archive damaged inside this member: \(outerError.message)")
            return !outerError.isFatal
        }
        // Whatever the inner reader left unread (after its end marker, or all of an archive it could not open).
        return stopped || !drainSkipped || drainRest(of: &reader, display: display)
    }

    /// Reads and drops the rest of the current member, each block counted against the ratio limit.
    /// Returns false when the archive failed inside it.
    private mutating func drainRest(of reader: inout ArchiveReader, display: String) -> Bool {
        do {
            try reader.forEachBlock { block, progress in
                do {
                    try checkInflation(block.count, progress, file: display)
                    return true
                } catch {
                    return false
                }
            }
        } catch {
            damage(file: display, "archive damaged inside this member: \(error.message)")
            return !error.isFatal
        }
        return true
    }

    /// Counts a block taken out of an archive, delivered or not, and stops reading when the archive
    /// inflates, or the whole input has inflated, beyond the ratio limit: a decompression bomb stops
    /// inside its member, not after it.
    private mutating func checkInflation(_ count: Int, _ progress: ArchiveReader.Progress, file: String) throws(Stop) {
        summary.bytesDecompressed += Int64(count)
        let archiveBomb = progress.bytesOut > limits.ratioCheckAfterBytes && progress.ratio > limits.maxCompressionRatio
        let inputBomb = summary.bytesDecompressed > limits.ratioCheckAfterBytes
            && Double(summary.bytesDecompressed)
                > limits.maxCompressionRatio * Double(Swift.max(1, inputBytes, streamMeter?.bytesIn ?? 0))
        guard archiveBomb || inputBomb else { return }
        let message = "compression ratio above \(Int(limits.maxCompressionRatio)):1 (a decompression bomb?): stopped reading"
        stop(file, message)
        throw Stop.limit(message)
    }

    /// Records the bytes `next()` skipped between a damaged header and the next good one as a skipped,
    /// damaged member, and the damage as a warning: nothing is lost without being counted.
    private mutating func skippedDamagedRegion(
        _ region: ArchiveReader.DamagedRegion, after previous: String?, container: String, prefix: String?
    ) {
        let label = "<\(region.bytes) damaged bytes at offset \(region.offset)>"
        summary.entries.append(InventoryEntry(
            path: prefix.map { "\($0)!/\(label)" } ?? label, declaredSize: region.bytes, bytesParsed: 0, kind: nil,
            skipReason: "damaged header", node: nil, damaged: true))
        damage(file: container, "damaged member header after \(previous ?? "the start"): skipped \(region.bytes) bytes "
            + "to the next readable member (\(region.message))")
    }

    // MARK: - Offloading

    /// Members at least this large may be offloaded (`MemberConsumer.offload(_:from:)`); reading a
    /// smaller one again elsewhere would cost more than it saves.
    static let offloadMinimumBytes: Int64 = 1 << 20
    /// A member of a compressed archive may be offloaded from this size, when no more of the archive
    /// comes before it than the member itself holds, and the archive's filter decompresses far faster
    /// than an API document parses (gzip, zstd, lz4; not xz or bzip2): reading it again costs
    /// decompressing all that again.
    static let compressedOffloadMinimumBytes: Int64 = 8 << 20
    static let fastFilters: Set<String> = ["gzip", "zstd", "lz4"]

    /// Where a member of the tar file `onDisk` can be read again, if it is worth it: a plain tar's
    /// member lying whole in the file, or a large member near the start of a quickly decompressed one.
    static func rereadable(
        _ onDisk: (path: [CChar], size: Int64), filter: String, dataOffset: Int64, size: Int64
    ) -> MemberLocation? {
        if filter != "none" {
            guard fastFilters.contains(filter), size >= compressedOffloadMinimumBytes, dataOffset <= size else {
                return nil
            }
            return MemberLocation(path: onDisk.path, storage: .compressedArchive, offset: dataOffset, length: size, entry: 0)
        }
        guard dataOffset + size <= onDisk.size else { return nil }
        return MemberLocation(path: onDisk.path, offset: dataOffset, length: size, entry: 0)
    }

    /// Offers the consumer a member whose bytes can be read again at `location` (its `entry` is set
    /// here). When taken, its entry is recorded as parsed whole — whoever reads it corrects the entry if
    /// it finds otherwise — and its bytes as read (a compressed archive's are counted as the caller
    /// drains them), and the caller goes on to the next member.
    private mutating func offer<C: MemberConsumer>(
        _ display: String, kind: FileKind, size: Int64, head: [UInt8], at location: MemberLocation,
        into consumer: inout C
    ) -> Bool {
        guard size >= Self.offloadMinimumBytes, totalBytes + size <= limits.maxTotalBytes else { return false }
        var location = location
        location.entry = summary.entries.count
        // A member inside a plain tar: make sure its data is where the header said, before letting it go.
        if location.storage == .plain, location.offset != 0, !head.withUnsafeBytes({ location.starts(with: $0) }) {
            return false
        }
        let context = Self.context(display, kind: kind)
        guard consumer.offload(context, from: location) else { return false }
        totalBytes += size
        if location.storage == .plain { summary.bytesDecompressed += size - Int64(head.count) }
        summary.entries.append(InventoryEntry(path: display, declaredSize: size, bytesParsed: size, kind: kind,
                                              skipReason: nil, node: context.nodeHint))
        return true
    }

    // MARK: - Accounting

    private static func context(_ display: String, kind: FileKind) -> ParseContext {
        let hints = PathHints(path: display)
        var context = ParseContext(path: display, kind: kind, nodeHint: hints.node)
        context.namespaceHint = hints.namespace
        context.podHint = hints.pod
        context.containerHint = hints.container
        return context
    }

    private mutating func beginMember<C: MemberConsumer>(
        _ display: String, size: Int64?, kind: FileKind, into consumer: inout C
    ) -> InventoryEntry {
        let context = Self.context(display, kind: kind)
        consumer.begin(context)
        return InventoryEntry(path: display, declaredSize: size, bytesParsed: 0, kind: kind, skipReason: nil,
                              node: context.nodeHint)
    }

    private mutating func deliver<C: MemberConsumer>(
        _ block: UnsafeRawBufferPointer, entry: inout InventoryEntry, into consumer: inout C
    ) throws(Stop) {
        guard !block.isEmpty else { return }
        totalBytes += Int64(block.count)
        if totalBytes > limits.maxTotalBytes {
            let message = "more than \(limits.maxTotalBytes) uncompressed bytes: stopped reading"
            stop(entry.path, message)
            throw Stop.limit(message)
        }
        entry.bytesParsed += Int64(block.count)
        consumer.feed(block)
    }

    private mutating func endMember<C: MemberConsumer>(_ entry: InventoryEntry, damaged: Bool, into consumer: inout C) {
        var entry = entry
        entry.damaged = damaged
        consumer.end(damaged: damaged)
        summary.entries.append(entry)
    }

    private mutating func skip(_ display: String, size: Int64?, reason: String) {
        summary.entries.append(InventoryEntry(path: display, declaredSize: size, bytesParsed: 0, kind: nil,
                                              skipReason: reason, node: PathHints(path: display).node))
    }

    private mutating func damage(file: String?, _ message: String) {
        summary.complete = false
        summary.warnings.append(Diagnostic(.damage, file: file, message))
    }

    private mutating func stop(_ file: String, _ message: String) {
        stopped = true
        damage(file: file, message)
    }

    // MARK: - Names

    static func formatLabel(container: String, filter: String) -> String {
        let base: String
        if container.hasPrefix("ZIP") { return "zip" }
        if container == "raw" { base = "" } else { base = "tar" }
        let suffix: String
        switch filter {
        case "gzip": suffix = "gz"
        case "zstd": suffix = "zst"
        case "xz": suffix = "xz"
        case "bzip2": suffix = "bz2"
        case "lz4": suffix = "lz4"
        case "lzma": suffix = "lzma"
        case "compress (.Z)": suffix = "Z"
        default: suffix = ""
        }
        if base.isEmpty { return suffix.isEmpty ? "file" : suffix }
        return suffix.isEmpty ? base : "\(base).\(suffix)"
    }

    static func stripCompression(_ name: String) -> String {
        for suffix in [".gz", ".zst", ".xz", ".bz2", ".lz4", ".Z"] where name.hasSuffix(suffix) {
            return String(name.dropLast(suffix.count))
        }
        return name
    }
}
