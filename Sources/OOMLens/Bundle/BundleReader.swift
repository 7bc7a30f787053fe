#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams every member of a bundle — an archive (tar, tar.gz, tar.zst, tar.xz, tar.bz2, zip), a
/// directory, or a single plain or compressed log — to a `MemberConsumer`, recognising what each member
/// is and descending into nested archives in the same pass, without extracting anything to disk.
///
/// Damage (a truncated or corrupt archive) and limits stop reading with a warning and
/// `complete = false`; everything read before stays.
public struct BundleReader {
    public var limits: BundleLimits
    private var summary: BundleSummary
    private var totalBytes: Int64 = 0
    private var entryCount = 0
    /// Set when a limit stops the whole read.
    private var stopped = false

    /// Fatal conditions that end reading the whole bundle.
    private enum Stop: Error { case limit(String) }

    public init(limits: BundleLimits = BundleLimits()) {
        self.limits = limits
        self.summary = BundleSummary(source: "", format: "")
    }

    /// Reads the bundle at `path` into `consumer` and returns what was read.
    public mutating func read<C: MemberConsumer>(_ path: String, into consumer: inout C) -> BundleSummary {
        summary = BundleSummary(source: path, format: "")
        totalBytes = 0
        entryCount = 0
        stopped = false
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

    /// Reads one file on disk: an archive (opened with libarchive) or a plain file (read directly).
    private mutating func readFile<C: MemberConsumer>(
        _ fullPath: [CChar], displayPath: String, depth: Int, into consumer: inout C, topLevel: Bool = false
    ) {
        let fd = open(fullPath, O_RDONLY)
        guard fd >= 0 else {
            skip(displayPath, size: nil, reason: "unreadable")
            summary.warnings.append(Diagnostic(.warning, file: displayPath, "cannot open: \(String(cString: strerror(errno)))"))
            return
        }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        let headCount = buffer.withUnsafeMutableBytes { readBytes(fd, $0.baseAddress, FileRecognizer.headSize) }
        let head = Array(buffer.prefix(Swift.max(0, headCount)))
        let verdict = head.withUnsafeBytes { FileRecognizer.recognize(path: displayPath, head: $0) }
        if case .nested(let compressed) = verdict {
            close(fd)
            if topLevel { summary.format = "" }
            readArchiveFile(fullPath, displayPath: displayPath, compressed: compressed, depth: depth + 1,
                            into: &consumer, topLevel: topLevel)
            return
        }
        if topLevel { summary.format = "file" }
        defer { close(fd) }
        guard case .parse(let kind) = verdict else {
            if case .skip(let reason) = verdict {
                var size = stat()
                let declared: Int64? = fstat(fd, &size) == 0 ? Int64(size.st_size) : nil
                skip(displayPath, size: declared, reason: reason)
            }
            return
        }
        var entry = beginMember(displayPath, size: nil, kind: kind, into: &consumer)
        var damaged = false
        do {
            try head.withUnsafeBytes { try deliver($0, entry: &entry, into: &consumer) }
            while true {
                let count = buffer.withUnsafeMutableBytes { readBytes(fd, $0.baseAddress, $0.count) }
                if count < 0 {
                    damaged = true
                    damage(file: displayPath, "read error: \(String(cString: strerror(errno)))")
                    break
                }
                if count == 0 { break }
                try buffer.withUnsafeBytes { try deliver($0.slice(0..<count), entry: &entry, into: &consumer) }
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
        do {
            var reader = try ArchiveReader(.file(path: fullPath), formats: .archives(allowRawCompressed: compressed))
            readMembers(of: &reader, container: topLevel ? nil : displayPath, rawName: displayPath,
                        depth: depth, into: &consumer, topLevel: topLevel)
        } catch {
            damage(file: displayPath, "cannot open archive: \(error.message)")
            if topLevel { summary.format = "unreadable" }
        }
    }

    // MARK: - Archive members

    /// Reads every member of an open archive; `container` is the display path of the archive itself
    /// (nil at the top level), which prefixes member paths as `container!/member`.
    private mutating func readMembers<C: MemberConsumer>(
        of reader: inout ArchiveReader, container: String?, rawName: String, depth: Int,
        into consumer: inout C, topLevel: Bool
    ) {
        var first = true
        while !stopped {
            let entry: ArchiveEntry?
            do {
                entry = try reader.next()
            } catch {
                damage(file: container ?? rawName, "archive damaged after \(entryCount) member(s): \(error.message)")
                break
            }
            guard let entry else { break }
            let isRaw = reader.formatName == "raw"
            if first, topLevel {
                summary.format = Self.formatLabel(container: reader.formatName, filter: reader.compressionName)
            }
            first = false
            // A bare compressed file is one member, named after the file itself.
            let memberPath = isRaw ? (container.map { $0 } ?? rawName) : entry.path
            let display = isRaw ? memberPath : container.map { "\($0)!/\(memberPath)" } ?? memberPath
            entryCount += 1
            if entryCount > limits.maxEntries {
                stop(display, "more than \(limits.maxEntries) members: stopped reading")
                break
            }
            switch entry.kind {
            case .directory: entryCount -= 1; continue
            case .symlink: skip(display, size: nil, reason: "symlink"); continue
            case .hardlink: skip(display, size: nil, reason: "hardlink"); continue
            case .other: skip(display, size: entry.size, reason: "device or special file"); continue
            case .regular: break
            }
            if entry.isSparse {
                skip(display, size: entry.size, reason: "sparse file")
                continue
            }
            if !entry.pathIsValidUTF8 {
                summary.warnings.append(Diagnostic(.note, file: display, "member name is not valid UTF-8; shown repaired"))
            }
            readMember(of: &reader, display: display, nameForRecognition: isRaw ? Self.stripCompression(rawName) : entry.path,
                       size: entry.size, depth: depth, into: &consumer)
            if !stopped, reader.compressionRatio > limits.maxCompressionRatio,
               totalBytes > limits.ratioCheckAfterBytes {
                stop(display, "compression ratio above \(Int(limits.maxCompressionRatio)):1 (a decompression bomb?): stopped reading")
            }
        }
        for warning in reader.warnings {
            summary.warnings.append(Diagnostic(.note, file: container ?? rawName, warning))
        }
    }

    /// Reads the current member: sniffs its head, then parses it, skips it, or opens it as a nested archive.
    private mutating func readMember<C: MemberConsumer>(
        of reader: inout ArchiveReader, display: String, nameForRecognition: String, size: Int64?, depth: Int,
        into consumer: inout C
    ) {
        var head: [UInt8] = []
        var entry: InventoryEntry?
        var failure: Stop?
        var verdict: FileRecognizer.Verdict?
        var readError: ArchiveError?
        do {
            try reader.forEachBlock { block in
                if verdict == nil {
                    head.append(contentsOf: block)
                    if head.count < FileRecognizer.headSize { return true }
                    verdict = head.withUnsafeBytes { FileRecognizer.recognize(path: nameForRecognition, head: $0.slice(0..<FileRecognizer.headSize)) }
                    return startMember(verdict, head: head, display: display, size: size, entry: &entry, failure: &failure, into: &consumer)
                }
                guard var current = entry else { return false }
                defer { entry = current }
                do {
                    try deliver(block, entry: &current, into: &consumer)
                    return true
                } catch {
                    failure = error as? Stop
                    return false
                }
            }
        } catch {
            readError = error
        }
        if verdict == nil, readError == nil || !head.isEmpty {
            // Short member: the whole of it is in `head`.
            verdict = head.withUnsafeBytes { FileRecognizer.recognize(path: nameForRecognition, head: $0) }
            _ = startMember(verdict, head: head, display: display, size: size, entry: &entry, failure: &failure, into: &consumer)
        }
        if case .nested(let compressed) = verdict {
            readNested(of: &reader, head: head, display: display, compressed: compressed, depth: depth, into: &consumer)
            return
        }
        if let readError {
            damage(file: display, "archive damaged inside this member: \(readError.message)")
        }
        if let entry {
            endMember(entry, damaged: readError != nil || failure != nil, into: &consumer)
        } else if readError != nil, verdict == nil {
            skip(display, size: size, reason: "damaged")
        }
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
    private mutating func readNested<C: MemberConsumer>(
        of reader: inout ArchiveReader, head: [UInt8], display: String, compressed: Bool, depth: Int,
        into consumer: inout C
    ) {
        guard depth < limits.maxNesting else {
            skip(display, size: nil, reason: "nested too deep")
            summary.warnings.append(Diagnostic(.warning, file: display, "archive nested deeper than \(limits.maxNesting) levels: not read"))
            return
        }
        let feed = reader.nestedFeed(head: head)
        do {
            var inner = try ArchiveReader(.nested(feed), formats: .archives(allowRawCompressed: compressed))
            readMembers(of: &inner, container: display, rawName: display, depth: depth + 1, into: &consumer, topLevel: false)
            if !stopped, inner.compressionRatio > limits.maxCompressionRatio, totalBytes > limits.ratioCheckAfterBytes {
                stop(display, "compression ratio above \(Int(limits.maxCompressionRatio)):1 (a decompression bomb?): stopped reading")
            }
        } catch {
            skip(display, size: nil, reason: "unreadable archive")
            summary.warnings.append(Diagnostic(.warning, file: display, "nested archive could not be opened: \(error.message)"))
        }
        if let outerError = feed.outerError {
            damage(file: display, "archive damaged inside this member: \(outerError.message)")
        }
    }

    // MARK: - Accounting

    private mutating func beginMember<C: MemberConsumer>(
        _ display: String, size: Int64?, kind: FileKind, into consumer: inout C
    ) -> InventoryEntry {
        let hints = PathHints(path: display)
        var context = ParseContext(path: display, kind: kind, nodeHint: hints.node)
        context.namespaceHint = hints.namespace
        context.podHint = hints.pod
        context.containerHint = hints.container
        consumer.begin(context)
        return InventoryEntry(path: display, declaredSize: size, bytesParsed: 0, kind: kind, skipReason: nil, node: hints.node)
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

/// `read(2)`, named apart from `BundleReader.read`.
private func readBytes(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.read(fd, buffer, count)
    #else
    return Darwin.read(fd, buffer, count)
    #endif
}
