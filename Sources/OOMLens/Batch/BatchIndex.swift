import Foundation

/// The contents of a batch's `index.jsonl`, read tolerantly: an append-only log of results in which
/// the newest line for a bundle (by SHA-256) is its current result.
///
/// The file is written a line at a time with fsync, so a crash can leave at most the last line cut
/// short; that line is ignored (`tornLastLine`). Other lines that do not parse are skipped and
/// counted (`unparsableLines`), never fatal.
public struct BatchIndex: Sendable {
    /// Every parsed line in file order.
    public private(set) var entries: [BatchIndexEntry]
    /// The last line did not parse (a write cut short).
    public private(set) var tornLastLine = false
    /// 1-based numbers of other lines that did not parse.
    public private(set) var unparsableLines: [Int] = []
    /// Position in `entries` of the newest line for each SHA-256.
    private var newestPosition: [String: Int] = [:]

    public init(entries: [BatchIndexEntry] = []) {
        self.entries = []
        for entry in entries { append(entry) }
    }

    /// Parses the bytes of an index file.
    public static func parse(_ bytes: [UInt8]) -> BatchIndex {
        var index = BatchIndex()
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") {
            lines.append(bytes[start..<i])
            start = i + 1
        }
        if start < bytes.count { lines.append(bytes[start...]) }
        for (number, line) in lines.enumerated() {
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\t") }) { continue }
            if let entry = BatchIndexEntry.parse(line) {
                index.append(entry)
            } else if number == lines.count - 1 {
                index.tornLastLine = true
            } else {
                index.unparsableLines.append(number + 1)
            }
        }
        return index
    }

    /// Reads the index at `path`; a missing file is an empty index.
    public static func load(_ path: String) -> Result<BatchIndex, BatchError> {
        guard FileManager.default.fileExists(atPath: path) else { return .success(BatchIndex()) }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(BatchError("cannot read \(path)"))
        }
        return .success(parse(Array(data)))
    }

    /// Appends an entry in memory (the file is appended to by `BatchIndexWriter`).
    public mutating func append(_ entry: BatchIndexEntry) {
        newestPosition[entry.sha256] = entries.count
        entries.append(entry)
    }

    /// The newest entry for each bundle, sorted by path, then digest.
    public var current: [BatchIndexEntry] {
        Self.sorted(newestPosition.values.map { entries[$0] })
    }

    /// The newest entry for the bundle with this digest.
    public func newest(sha256: String) -> BatchIndexEntry? {
        newestPosition[sha256].map { entries[$0] }
    }

    /// True when the bundle was analysed completely by this tool version: a rerun skips it.
    public func isDone(sha256: String, toolVersion: String) -> Bool {
        guard let entry = newest(sha256: sha256) else { return false }
        return entry.status == .ok && entry.toolVersion == toolVersion
    }

    /// A bundle's entry chosen by `merged`, and which of the indexes it came from.
    public struct Merged: Sendable, Hashable {
        public var entry: BatchIndexEntry
        public var source: Int
    }

    /// Joins the current entries of several indexes (shards): for a bundle found in more than one,
    /// the best status wins, then the newest `finishedAt`, then the first index given. Sorted by
    /// path, then digest.
    public static func merged(_ indexes: [BatchIndex]) -> [Merged] {
        var best: [String: Merged] = [:]
        for (source, index) in indexes.enumerated() {
            for entry in index.current {
                if let other = best[entry.sha256]?.entry,
                   (entry.status.rank, entry.finishedAt) <= (other.status.rank, other.finishedAt) { continue }
                best[entry.sha256] = Merged(entry: entry, source: source)
            }
        }
        return best.values.sorted { ($0.entry.path, $0.entry.sha256) < ($1.entry.path, $1.entry.sha256) }
    }

    static func sorted(_ entries: [BatchIndexEntry]) -> [BatchIndexEntry] {
        entries.sorted { ($0.path, $0.sha256) < ($1.path, $1.sha256) }
    }
}
