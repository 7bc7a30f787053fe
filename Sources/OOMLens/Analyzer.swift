/// Runs the whole pipeline on one bundle: read → parse → timeline → diagnosis → report.
public struct Analyzer {
    public struct Options: Sendable {
        public var limits = BundleLimits()
        /// UTC offset to assume for zone-less node log times, when the bundle does not say.
        public var utcOffsetSeconds: Int?

        public init() {}
    }

    public var options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    /// Analyses the bundle at `path`.
    public func analyze(_ path: String) -> Report {
        var reader = BundleReader(limits: options.limits)
        var consumer = ParsingConsumer(maxLineBytes: options.limits.maxLineBytes)
        let summary = reader.read(path, into: &consumer)
        return analyze(summary: summary, output: consumer.output)
    }

    /// Builds the report from what was read and parsed.
    public func analyze(summary: BundleSummary, output: ParseOutput) -> Report {
        var hints = output.clockHints
        if let folderTime = Self.collectionTimeFromNames(summary) {
            hints.insert(.collectedAt(folderTime.0, origin: folderTime.1), at: 0)
        }
        let newestAPI = output.observations.compactMap { o -> Instant? in
            if case .instant(let i) = o.time?.time, o.source == .podStatus || o.source == .event { return i }
            return nil
        }.max()
        let clock = Clock(hints: hints, userOffset: options.utcOffsetSeconds, fallbackCollectedAt: newestAPI)
        let timeline = Correlator.build(output, clock: clock)
        let findings = DiagnosisRules.evaluate(DiagnosisInput(timeline: timeline, bundle: summary))
        return Report(tool: Report.Tool(version: BuildInfo.version, commit: BuildInfo.commit), bundle: summary,
                      timeline: timeline, findings: findings, diagnostics: output.diagnostics)
    }

    /// troubleshoot names its folder `support-bundle-2022-09-20T16_18_35`; periscope runs `2024-01-01T10-00-00Z`.
    static func collectionTimeFromNames(_ summary: BundleSummary) -> (Instant, String)? {
        let candidates = [summary.source] + summary.entries.prefix(5).map(\.path)
        for candidate in candidates {
            for part in candidate.split(separator: "/") {
                guard let range = part.firstRange(of: "support-bundle-") else { continue }
                var stamp = String(part[range.upperBound...])
                for suffix in [".tar.gz", ".tgz", ".tar", ".zip", ".tar.zst"] where stamp.hasSuffix(suffix) {
                    stamp.removeLast(suffix.count)
                }
                // 2022-09-20T16_18_35 → 2022-09-20T16:18:35Z (the zone is not stated: taken as UTC).
                let fixed = String(stamp.enumerated().map { i, ch in i > 10 && ch == "_" ? ":" : ch })
                if let instant = RFC3339.instant(fixed + "Z") {
                    return (instant, "the bundle folder name \(part) (zone assumed UTC)")
                }
            }
        }
        return nil
    }
}
