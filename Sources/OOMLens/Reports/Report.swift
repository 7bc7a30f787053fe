/// Everything a renderer shows: one model, shared by every format, so they all say the same thing.
public struct Report: Sendable {
    /// The tool's name, version and build.
    public struct Tool: Sendable, Hashable {
        public var name = "oomlens"
        public var version: String
        public var commit: String?

        public init(version: String, commit: String?) {
            self.version = version
            self.commit = commit
        }
    }

    public var tool: Tool
    public var bundle: BundleSummary
    public var timeline: Timeline
    public var findings: [Finding]
    /// Parser diagnostics (cut lines, malformed records), shown with the bundle's warnings.
    public var diagnostics: [Diagnostic]

    public init(tool: Tool, bundle: BundleSummary, timeline: Timeline, findings: [Finding], diagnostics: [Diagnostic]) {
        self.tool = tool
        self.bundle = bundle
        self.timeline = timeline
        self.findings = findings
        self.diagnostics = diagnostics
    }

    public var incidents: [Incident] { timeline.incidents }
    public var collectedAt: Instant? { timeline.clock.collectedAt }

    /// Every warning for the `bundle.warnings` block: reading problems, parser diagnostics, clock notes.
    public var warnings: [Diagnostic] {
        bundle.warnings + diagnostics.filter { $0.severity != .note || $0.file != nil }
            + timeline.clock.notes.map { Diagnostic(.note, file: nil, $0) }
    }

    /// Incident counts by kind, in the contract's order.
    public var countsByKind: [(Incident.Kind, Int)] {
        Incident.Kind.allCases.map { kind in (kind, incidents.filter { $0.kind == kind }.count) }
    }
}

/// The version of oomlens, shown by `--version` and carried in reports.
public enum OOMLensVersion {
    public static let version = "0.1.0"
}
