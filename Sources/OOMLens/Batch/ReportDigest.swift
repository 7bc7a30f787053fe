import Foundation

/// What a batch keeps of one JSON report (`oomlens.report/v1`, docs/report-json.md): the bundle's
/// state, its incidents' identities and times, and its findings' rules and subjects — enough for the
/// index line and the summary across bundles, read back from `reports/<id>.json`.
///
/// Decoding ignores every other field (the timeline, evidence, prose), so reports of newer versions
/// that add fields still read.
public struct ReportDigest: Decodable, Sendable, Hashable {
    public struct Tool: Decodable, Sendable, Hashable {
        public var version: String
    }

    public struct Files: Decodable, Sendable, Hashable {
        public var read: Int
        public var recognized: Int
    }

    public struct Warning: Decodable, Sendable, Hashable {
        public var file: String?
        public var message: String
        public var severity: String?
    }

    public struct Bundle: Decodable, Sendable, Hashable {
        public var source: String
        public var format: String
        public var collectedAt: String?
        public var complete: Bool
        public var files: Files
        public var warnings: [Warning]
    }

    public struct Incident: Decodable, Sendable, Hashable {
        public var kind: String
        public var time: String?
        public var node: String?
        public var namespace: String?
        public var pod: String?
        public var container: String?
        public var workload: String?
        /// Not in `oomlens.report/v1`; ranked in the summary when a report carries it.
        public var image: String?
    }

    public struct Subject: Decodable, Sendable, Hashable {
        public var namespace: String?
        public var workload: String?
        public var pod: String?
        public var container: String?
        public var node: String?
    }

    public struct Finding: Decodable, Sendable, Hashable {
        public var rule: String
        public var severity: String
        public var title: String
        public var subject: Subject
    }

    public var schema: String
    public var tool: Tool
    public var bundle: Bundle
    public var incidents: [Incident]
    public var findings: [Finding]

    /// Decodes a report; fails with a message when it is not an `oomlens.report/v1` document.
    public static func decode(_ data: Data) -> Result<ReportDigest, BatchError> {
        do {
            let digest = try JSONDecoder().decode(ReportDigest.self, from: data)
            guard digest.schema == "oomlens.report/v1" else {
                return .failure(BatchError("unknown report schema \(digest.schema)"))
            }
            return .success(digest)
        } catch {
            return .failure(BatchError("not a JSON report: \(error)"))
        }
    }

    /// Reads and decodes the report at `path`.
    public static func load(_ path: String) -> Result<ReportDigest, BatchError> {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(BatchError("cannot read \(path)"))
        }
        return decode(data)
    }

    /// Incidents by kind, every kind of the contract present (zero when none).
    public var countsByKind: [String: Int] {
        var counts = Dictionary(uniqueKeysWithValues: Incident.allKinds.map { ($0, 0) })
        for incident in incidents { counts[incident.kind, default: 0] += 1 }
        return counts
    }

    /// Finding rule ids, most severe first (the report's order), each once.
    public var findingRules: [String] {
        var seen = Set<String>()
        return findings.map(\.rule).filter { seen.insert($0).inserted }
    }

    /// The first warning that made the results partial, for the index's `error`.
    public var damage: String? {
        guard let w = bundle.warnings.first(where: { $0.severity == "damage" }) ?? bundle.warnings.first else { return nil }
        return w.file.map { "\($0): \(w.message)" } ?? w.message
    }
}

extension ReportDigest.Incident {
    /// The incident kinds of `oomlens.report/v1`, in the contract's order.
    public static let allKinds = OOMLens.Incident.Kind.allCases.map(\.rawValue)
}
