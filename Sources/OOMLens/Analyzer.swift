/// Runs the whole pipeline on one bundle: read → parse → timeline → diagnosis → report.
public struct Analyzer {
    public struct Options: Sendable {
        public var limits = BundleLimits()
        /// UTC offset to assume for zone-less node log times, when the bundle does not say.
        public var utcOffsetSeconds: Int?
        /// Read on two threads when the machine allows it (`ReadingPlan.choose(for:)`), and share the
        /// diagnosis rules out between two. `batch` turns it off in its workers: there the processors
        /// are shared out by bundle (`--jobs`), which costs no copying.
        public var readOnTwoThreads = true

        /// The threads the work after reading shares out (the rules, the JSON report's parts): two
        /// when `readOnTwoThreads` and the machine allows it, else one.
        public var threadsAfterReading: Int {
            readOnTwoThreads ? Swift.min(2, ReadingPlan.availableProcessors()) : 1
        }

        public init() {}
    }

    public var options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    /// Analyses the bundle at `path`, on two threads when that pays (`ReadingPlan`): a compressed
    /// bundle is decompressed on one while the other parses; a directory or plain tar has its members
    /// parsed on both.
    public func analyze(_ path: String) -> Report {
        var consumer = ParsingConsumer(maxLineBytes: options.limits.maxLineBytes)
        let summary = ReadingPlan.read(path, limits: options.limits, threads: options.readOnTwoThreads, into: &consumer)
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
        // A bare archive of node logs has nothing else that dates it: its members' times do, roughly.
        let packed = summary.newestMemberModified.map {
            (instant: Instant(seconds: $0), origin: "the newest modification time of the archive's members")
        }
        let clock = Clock(hints: hints, userOffset: options.utcOffsetSeconds, fallbackCollectedAt: newestAPI, lastResort: packed)
        let timeline = Correlator.build(output, clock: clock)
        let findings = DiagnosisRules.evaluate(DiagnosisInput(timeline: timeline, bundle: summary), threads: options.threadsAfterReading)
        return Report(tool: Report.Tool(version: BuildInfo.version, commit: BuildInfo.commit), bundle: summary,
                      timeline: timeline, findings: findings, diagnostics: output.diagnostics)
    }

    /// troubleshoot names its folder `support-bundle-2022-09-20T16_18_35`; periscope runs
    /// `2024-01-01T10-00-00Z`; ad-hoc collectors often end a name in `20240210-180000`.
    static func collectionTimeFromNames(_ summary: BundleSummary) -> (Instant, String)? {
        if let named = troubleshootTime(summary) { return named }
        let candidates = [summary.source.split(separator: "/").last.map(String.init) ?? summary.source]
            + summary.entries.prefix(3).compactMap { $0.path.split(separator: "/").first.map(String.init) }
        for name in candidates {
            if let instant = compactStamp(in: name) {
                return (instant, "the name \(name) (zone assumed UTC)")
            }
        }
        return nil
    }

    /// `…20240210-180000…` or `…2024-02-10T18-00-00Z…`: a date and a time of day in a name.
    static func compactStamp(in name: String) -> Instant? {
        let digits = name.map { $0.isNumber ? $0 : " " }
        let runs = String(digits).split(separator: " ").map(String.init)
        // YYYYMMDD followed by HHMMSS.
        for (a, b) in zip(runs, runs.dropFirst()) where a.count == 8 && b.count == 6 {
            let stamp = "\(a.prefix(4))-\(a.dropFirst(4).prefix(2))-\(a.suffix(2))T\(b.prefix(2)):\(b.dropFirst(2).prefix(2)):\(b.suffix(2))Z"
            if let instant = RFC3339.instant(stamp) { return instant }
        }
        // YYYY MM DD HH MM SS as six runs.
        for start in runs.indices where start + 5 < runs.count && runs[start].count == 4
            && runs[(start + 1)...(start + 5)].allSatisfy({ $0.count == 2 }) {
            let r = runs[start...(start + 5)].map { $0 }
            if let instant = RFC3339.instant("\(r[0])-\(r[1])-\(r[2])T\(r[3]):\(r[4]):\(r[5])Z") { return instant }
        }
        return nil
    }

    static func troubleshootTime(_ summary: BundleSummary) -> (Instant, String)? {
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
