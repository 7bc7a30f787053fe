import Foundation

/// What a batch found across all its bundles: incidents by kind per day, the workloads, namespaces,
/// images and nodes with the most OOM kills and evictions, and the findings that recur in several
/// bundles — written as `summary.json` (this type, encoded) and `summary.md`.
///
/// Built only from the index and the JSON reports, so `oomlens merge` recomputes exactly what a
/// single run over all bundles writes. The output is deterministic: no clock reads, stable order.
public struct BatchSummary: Codable, Sendable, Hashable {
    /// Bundle and incident totals.
    public struct Totals: Codable, Sendable, Hashable {
        public var bundles = 0
        public var ok = 0
        public var partial = 0
        public var failed = 0
        /// Sum of the bundles' sizes on disk.
        public var bytes: Int64 = 0
        /// Incidents by kind over every analysed (ok or partial) bundle.
        public var incidents: [String: Int] = [:]
    }

    /// Incidents by kind on one UTC day (`2024-03-14`, or `unknown` for incidents without a time).
    public struct Day: Codable, Sendable, Hashable {
        public var day: String
        public var incidents: [String: Int]
    }

    /// One workload, namespace, image or node and how often it was hit.
    public struct Ranked: Codable, Sendable, Hashable {
        public var name: String
        public var oomKills = 0
        public var nodeOOMKills = 0
        public var evictions = 0
        /// Bundles in which it was hit.
        public var bundles = 0

        /// What the ranking orders by.
        var hits: Int { oomKills + nodeOOMKills + evictions }
    }

    /// A finding rule and how many bundles raised it.
    public struct RuleCount: Codable, Sendable, Hashable {
        public var rule: String
        public var severity: String
        public var bundles: Int
    }

    /// The same rule about the same subject in two or more bundles.
    public struct RecurringFinding: Codable, Sendable, Hashable {
        public var rule: String
        public var severity: String
        /// `namespace/Kind/name[/container]`, `namespace/pod`, or `node NAME`.
        public var subject: String
        public var title: String
        public var bundles: [String]
    }

    /// A bundle that was not analysed completely.
    public struct Problem: Codable, Sendable, Hashable {
        public var id: String
        public var path: String
        public var status: BatchIndexEntry.Status
        public var error: String?
    }

    public var schema = "oomlens.batch-summary/v1"
    /// Tool versions that produced the reports.
    public var toolVersions: [String] = []
    public var totals = Totals()
    public var incidentsByDay: [Day] = []
    public var workloads: [Ranked] = []
    public var namespaces: [Ranked] = []
    /// Empty while reports carry no image (`oomlens.report/v1` does not).
    public var images: [Ranked] = []
    public var nodes: [Ranked] = []
    public var findingsByRule: [RuleCount] = []
    public var recurringFindings: [RecurringFinding] = []
    public var problems: [Problem] = []

    public init() {}

    /// Summarises the current index entries; `reports` maps a bundle's SHA-256 to its report digest
    /// (ok and partial bundles; a missing digest only leaves the bundle out of the incident tables).
    public static func build(entries: [BatchIndexEntry], reports: [String: ReportDigest]) -> BatchSummary {
        var s = BatchSummary()
        let kinds = ReportDigest.Incident.allKinds
        s.totals.incidents = Dictionary(uniqueKeysWithValues: kinds.map { ($0, 0) })
        var byDay: [String: [String: Int]] = [:]
        var workloads = Tally(), namespaces = Tally(), images = Tally(), nodes = Tally()
        var rules: [String: (severity: String, bundles: Set<String>)] = [:]
        var recurring: [String: (finding: ReportDigest.Finding, subject: String, bundles: Set<String>)] = [:]
        var versions = Set<String>()

        for entry in BatchIndex.sorted(entries) {
            s.totals.bundles += 1
            s.totals.bytes += entry.size
            switch entry.status {
            case .ok: s.totals.ok += 1
            case .partial: s.totals.partial += 1
            case .failed: s.totals.failed += 1
            }
            if entry.status != .ok {
                s.problems.append(Problem(id: entry.id, path: entry.path, status: entry.status, error: entry.error))
            }
            guard entry.status != .failed, let report = reports[entry.sha256] else { continue }
            versions.insert(report.tool.version)
            for incident in report.incidents {
                s.totals.incidents[incident.kind, default: 0] += 1
                let day = incident.time.map { String($0.prefix(10)) } ?? "unknown"
                byDay[day, default: Dictionary(uniqueKeysWithValues: kinds.map { ($0, 0) })][incident.kind, default: 0] += 1
                if let ns = incident.namespace {
                    namespaces.count(ns, incident.kind, bundle: entry.sha256)
                    let owner = incident.workload ?? incident.pod.map { "Pod/\($0)" }
                    if let owner { workloads.count("\(ns)/\(owner)", incident.kind, bundle: entry.sha256) }
                }
                if let image = incident.image { images.count(image, incident.kind, bundle: entry.sha256) }
                if let node = incident.node { nodes.count(node, incident.kind, bundle: entry.sha256) }
            }
            for finding in report.findings {
                rules[finding.rule, default: (finding.severity, [])].bundles.insert(entry.sha256)
                let subject = Self.subjectLabel(finding.subject)
                let key = finding.rule + "\u{0}" + subject
                recurring[key, default: (finding, subject, [])].bundles.insert(entry.id)
            }
        }
        s.toolVersions = versions.sorted()
        s.incidentsByDay = byDay.map { Day(day: $0.key, incidents: $0.value) }
            .sorted { ($0.day == "unknown" ? 1 : 0, $0.day) < ($1.day == "unknown" ? 1 : 0, $1.day) }
        s.workloads = workloads.ranked
        s.namespaces = namespaces.ranked
        s.images = images.ranked
        s.nodes = nodes.ranked
        s.findingsByRule = rules.map { RuleCount(rule: $0.key, severity: $0.value.severity, bundles: $0.value.bundles.count) }
            .sorted { (-$0.bundles, $0.rule) < (-$1.bundles, $1.rule) }
        s.recurringFindings = recurring.values.filter { $0.bundles.count >= 2 }
            .map { RecurringFinding(rule: $0.finding.rule, severity: $0.finding.severity, subject: $0.subject,
                                    title: $0.finding.title, bundles: $0.bundles.sorted()) }
            .sorted { (-$0.bundles.count, $0.rule, $0.subject) < (-$1.bundles.count, $1.rule, $1.subject) }
        return s
    }

    /// The subject of a finding as one label: `namespace/Kind/name[/container]`, `namespace/pod`, `node NAME`.
    static func subjectLabel(_ subject: ReportDigest.Subject) -> String {
        var parts: [String] = []
        if let ns = subject.namespace { parts.append(ns) }
        if let owner = subject.workload ?? subject.pod { parts.append(owner) }
        if let c = subject.container { parts.append(c) }
        if !parts.isEmpty { return parts.joined(separator: "/") }
        if let node = subject.node { return "node \(node)" }
        return "(cluster)"
    }

    /// The summary as pretty JSON with sorted keys, ending in a newline.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Counts hits per name, and the bundles each name was hit in.
    struct Tally {
        private var rows: [String: Ranked] = [:]
        private var bundles: [String: Set<String>] = [:]

        mutating func count(_ name: String, _ kind: String, bundle: String) {
            var row = rows[name] ?? Ranked(name: name)
            switch kind {
            case "oom-kill": row.oomKills += 1
            case "node-oom": row.nodeOOMKills += 1
            case "eviction": row.evictions += 1
            default: return
            }
            rows[name] = row
            bundles[name, default: []].insert(bundle)
        }

        /// Rows hit at least once, most hits first, then most OOM kills, then by name.
        var ranked: [Ranked] {
            rows.values.map { row in
                var row = row
                row.bundles = bundles[row.name]?.count ?? 0
                return row
            }
            .sorted { (-$0.hits, -$0.oomKills, $0.name) < (-$1.hits, -$1.oomKills, $1.name) }
        }
    }
}

extension BatchSummary {
    /// Summarises `entries`, reading each analysed bundle's JSON report from the batch folder
    /// `directory`; reports that are missing or unreadable leave their bundle out of the incident tables.
    public static func build(entries: [BatchIndexEntry], directory: String) -> BatchSummary {
        var reports: [String: ReportDigest] = [:]
        for entry in entries where entry.status != .failed {
            let relative = entry.reports.first { $0.hasSuffix(".json") } ?? "reports/\(entry.id).json"
            if case .success(let digest) = ReportDigest.load(directory + "/" + relative) {
                reports[entry.sha256] = digest
            }
        }
        return build(entries: entries, reports: reports)
    }
}
