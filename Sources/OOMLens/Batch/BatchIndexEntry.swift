import Foundation

/// One line of a batch's `index.jsonl`: what became of one bundle.
///
/// ```json
/// {"collectedAt":"2024-03-14T10:30:00Z","counts":{"eviction":1,"node-oom":1,"oom-kill":5,"restart":1},
///  "durationSeconds":0.412,"error":null,"exitStatus":0,"finishedAt":"2024-05-02T08:00:03Z",
///  "findings":["repeated-oom-kill","node-oom"],"id":"support-bundle-2024-03-14T10_30_00-3f9a1c2e",
///  "path":"/tickets/4711/support-bundle-2024-03-14T10_30_00.tar.gz","reports":["reports/….json"],
///  "sha256":"3f9a1c2e…","size":1048576,"status":"ok","toolVersion":"0.1.0"}
/// ```
/// (on one line; keys sorted). `docs/batch.md` describes every field.
public struct BatchIndexEntry: Codable, Sendable, Hashable {
    /// How the analysis of the bundle ended.
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Analysed completely.
        case ok
        /// Analysed, but the bundle was damaged or cut short, or a limit stopped reading.
        case partial
        /// No usable report: unreadable, not a bundle, crashed, out of memory or timed out.
        case failed

        /// Higher is better; used to choose between two results for the same bundle.
        public var rank: Int {
            switch self {
            case .ok: 2
            case .partial: 1
            case .failed: 0
            }
        }
    }

    public var path: String
    public var id: String
    public var sha256: String
    public var size: Int64
    public var status: Status
    /// Why the bundle is `partial` or `failed`; null when `ok`.
    public var error: String?
    /// Exit status of the analysing child (0, 2, 3, …); null when it was killed or never started.
    public var exitStatus: Int?
    public var durationSeconds: Double
    /// When the bundle was collected (RFC 3339 UTC), from its report.
    public var collectedAt: String?
    /// Incidents by kind (`oom-kill`, `node-oom`, `eviction`, `restart`).
    public var counts: [String: Int]
    /// Rule ids of the report's findings, most severe first, each once.
    public var findings: [String]
    public var toolVersion: String
    /// The report files, relative to the batch folder (`reports/<id>.json`, …).
    public var reports: [String]
    /// When the analysis ended (RFC 3339 UTC).
    public var finishedAt: String

    public init(path: String, id: String, sha256: String, size: Int64, status: Status, error: String? = nil,
                exitStatus: Int? = nil, durationSeconds: Double = 0, collectedAt: String? = nil,
                counts: [String: Int] = [:], findings: [String] = [], toolVersion: String,
                reports: [String] = [], finishedAt: String) {
        self.path = path
        self.id = id
        self.sha256 = sha256
        self.size = size
        self.status = status
        self.error = error
        self.exitStatus = exitStatus
        self.durationSeconds = durationSeconds
        self.collectedAt = collectedAt
        self.counts = counts
        self.findings = findings
        self.toolVersion = toolVersion
        self.reports = reports
        self.finishedAt = finishedAt
    }

    enum CodingKeys: String, CodingKey {
        case path, id, sha256, size, status, error, exitStatus, durationSeconds, collectedAt, counts, findings
        case toolVersion, reports, finishedAt
    }

    /// Writes every field, nulls included, so a line always has the same keys.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(path, forKey: .path)
        try c.encode(id, forKey: .id)
        try c.encode(sha256, forKey: .sha256)
        try c.encode(size, forKey: .size)
        try c.encode(status, forKey: .status)
        try c.encode(error, forKey: .error)
        try c.encode(exitStatus, forKey: .exitStatus)
        try c.encode(durationSeconds, forKey: .durationSeconds)
        try c.encode(collectedAt, forKey: .collectedAt)
        try c.encode(counts, forKey: .counts)
        try c.encode(findings, forKey: .findings)
        try c.encode(toolVersion, forKey: .toolVersion)
        try c.encode(reports, forKey: .reports)
        try c.encode(finishedAt, forKey: .finishedAt)
    }

    /// The entry as one JSON line, without the newline.
    public func jsonLine() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Parses one line; nil when it is not a complete entry (e.g. torn by a crash mid-write).
    public static func parse(_ line: some Collection<UInt8>) -> BatchIndexEntry? {
        try? JSONDecoder().decode(BatchIndexEntry.self, from: Data(line))
    }
}
