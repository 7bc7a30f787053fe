/// One member of a bundle as the reader saw it: what it was recognised as, or why it was skipped.
public struct InventoryEntry: Sendable, Hashable {
    /// The member's path (`outer.tar.gz!/inner/path` inside nested archives).
    public var path: String
    /// The size the archive (or the file system) declared, when it did; for a skipped member whose
    /// archive declared none (a bare `.gz`), the bytes found while skipping it.
    public var declaredSize: Int64?
    /// Uncompressed bytes delivered to a parser.
    public var bytesParsed: Int64
    /// What it was recognised as; nil when skipped.
    public var kind: FileKind?
    /// Why it was skipped (`symlink`, `unrecognised`, `binary`, …); nil when parsed.
    public var skipReason: String?
    /// The node the path says the file belongs to.
    public var node: String?
    /// Reading stopped inside this member (damage or a limit).
    public var damaged: Bool

    public init(path: String, declaredSize: Int64?, bytesParsed: Int64, kind: FileKind?, skipReason: String?,
                node: String?, damaged: Bool = false) {
        self.path = path
        self.declaredSize = declaredSize
        self.bytesParsed = bytesParsed
        self.kind = kind
        self.skipReason = skipReason
        self.node = node
        self.damaged = damaged
    }
}

/// What reading a whole bundle amounted to: the `bundle` block of the report.
public struct BundleSummary: Sendable {
    /// The path as given.
    public var source: String
    /// `tar.gz`, `tar.zst`, `tar`, `zip`, `directory`, `file`, `gz`, …
    public var format: String
    /// False when damage or a limit stopped reading: results are partial.
    public var complete: Bool
    public var entries: [InventoryEntry]
    /// Problems met while reading (damage, limits, skipped members worth naming).
    public var warnings: [Diagnostic]
    /// Bytes taken out of the input after decompression: parsed ones, and skipped ones that had to be
    /// inflated to get past them (a plain archive skips by seeking). What the ratio limit bounds.
    public var bytesDecompressed: Int64 = 0
    /// The newest modification time among the archive members read (seconds since 1970), as their
    /// headers give it (2001 to 2099; others are placeholders or damage): when a log was last written,
    /// shortly before the bundle was packed. Not taken from files on disk, whose times a copy resets.
    public var newestMemberModified: Int64?

    public init(source: String, format: String) {
        self.source = source
        self.format = format
        self.complete = true
        self.entries = []
        self.warnings = []
    }

    public var filesRead: Int { entries.count }
    public var filesRecognized: Int { entries.filter { $0.kind != nil }.count }
    public var filesSkipped: Int { entries.filter { $0.kind == nil }.count }
    public var bytesParsed: Int64 { entries.reduce(0) { $0 + $1.bytesParsed } }
    public var bytesSkipped: Int64 { entries.filter { $0.kind == nil }.reduce(0) { $0 + ($1.declaredSize ?? 0) } }

    /// Bytes of skipped members by reason (as declared, or as found while skipping).
    public var bytesSkippedByReason: [String: Int64] {
        var bytes: [String: Int64] = [:]
        for entry in entries { if let reason = entry.skipReason { bytes[reason, default: 0] += entry.declaredSize ?? 0 } }
        return bytes
    }

    /// Skipped members counted by reason.
    public var skippedByReason: [String: Int] {
        var counts: [String: Int] = [:]
        for entry in entries { if let reason = entry.skipReason { counts[reason, default: 0] += 1 } }
        return counts
    }
}

extension BundleSummary {
    /// Corrects the entry of a member another thread read from `location`, by what that read found.
    mutating func settle(_ location: MemberLocation, _ outcome: MemberLocation.Outcome) {
        guard entries.indices.contains(location.entry) else { return }
        let expected = entries[location.entry].bytesParsed
        entries[location.entry].bytesParsed = outcome.bytes
        // A compressed archive's member was drained, and counted, by the reader itself; so was any damage.
        if location.storage == .plain { bytesDecompressed += outcome.bytes - expected }
        guard let failure = outcome.failure, !entries[location.entry].damaged else { return }
        entries[location.entry].damaged = true
        complete = false
        warnings.append(Diagnostic(.damage, file: entries[location.entry].path,
                                   location.storage == .plain ? "read error: \(failure)" : failure))
    }
}
