/// A time resolved to UTC, and whether any part of it had to be inferred.
public struct ResolvedTime: Sendable, Hashable {
    public var instant: Instant
    /// True when the year, the zone or the boot time was inferred.
    public var inferred: Bool

    public init(_ instant: Instant, inferred: Bool) {
        self.instant = instant
        self.inferred = inferred
    }
}

/// Turns source times into UTC using what the bundle says about its clocks.
///
/// - Zone-less wall clocks (syslog, journal short, klog, `dmesg -T`) take the node's UTC offset
///   from the bundle (`ClockHint.utcOffset`) or the user's `--timezone`; otherwise UTC is assumed.
/// - A missing year is the collection year, or the year before when that would put the record
///   more than a day after collection (a bundle collected on 2 January holding December logs).
/// - Since-boot stamps take the node's boot time, learnt from lines that carry both a wall clock
///   and an uptime; without one they stay unresolved.
/// - kubectl ages count back from the collection time.
/// Every resolution that used any of these inferences is marked `inferred`.
public struct Clock: Sendable {
    public private(set) var collectedAt: Instant?
    /// Where the collection time came from (`troubleshoot folder name`, `newest dated record`, …).
    public private(set) var collectedAtOrigin: String?
    /// The offset assumed for zone-less stamps, per node (nil key: the default).
    public private(set) var offsets: [String: Int] = [:]
    public private(set) var defaultOffset: Int
    /// True when `defaultOffset` came from the bundle or the user rather than being assumed.
    public private(set) var defaultOffsetKnown: Bool
    /// Boot times by node (or by file, for files without a node).
    public private(set) var bootTimes: [String: Instant] = [:]
    /// Per-node corrections learnt by comparing node clocks with API times (seconds to add).
    public var nodeCorrections: [String: Double] = [:]
    /// Human-readable notes about what was inferred, for the report.
    public private(set) var notes: [String] = []

    /// `fallbackCollectedAt` (the newest dated API record) serves when no hint gives the collection
    /// time and no record is fully dated; `lastResort` (an archive's newest member time) after it.
    public init(
        hints: [ClockHint], userOffset: Int? = nil, fallbackCollectedAt: Instant? = nil,
        lastResort: (instant: Instant, origin: String)? = nil
    ) {
        defaultOffset = userOffset ?? 0
        defaultOffsetKnown = userOffset != nil
        var newestRecord: Instant?
        for hint in hints {
            switch hint {
            case .collectedAt(let instant, let origin):
                if collectedAt == nil, Self.writable.contains(instant) { collectedAt = instant; collectedAtOrigin = origin }
            case .datedRecord(let instant):
                if Self.writable.contains(instant), newestRecord.map({ instant > $0 }) ?? true { newestRecord = instant }
            case .utcOffset(let seconds, let node, _):
                if let node { offsets[node] = seconds } else if userOffset == nil {
                    defaultOffset = seconds
                    defaultOffsetKnown = true
                }
            case .bootTime(let node, let instant, _):
                bootTimes[node ?? ""] = instant
            case .wallAndUptime:
                break
            }
        }
        if collectedAt == nil, let newest = newestRecord ?? fallbackCollectedAt.flatMap({ Self.writable.contains($0) ? $0 : nil }) {
            collectedAt = newest
            collectedAtOrigin = "newest fully dated record"
        }
        if collectedAt == nil, let lastResort, Self.writable.contains(lastResort.instant) {
            collectedAt = lastResort.instant
            collectedAtOrigin = lastResort.origin
        }
        for case .utcOffset(let seconds, let node?, let origin) in hints where userOffset == nil {
            let sign = seconds < 0 ? "-" : "+"
            let h = abs(seconds) / 3600, m = abs(seconds) % 3600 / 60
            notes.append("Node \(node): zone-less times read at UTC\(sign)\(h < 10 ? "0" : "")\(h):\(m < 10 ? "0" : "")\(m) (from \(origin)).")
        }
        if !defaultOffsetKnown {
            notes.append(offsets.isEmpty
                ? "Node log times without a zone were read as UTC (no zone in the bundle; use --timezone to set one)."
                : "Other nodes' times without a zone were read as UTC (use --timezone to set one).")
        }
        if let collectedAt, let origin = collectedAtOrigin {
            notes.append("Collection time \(RFC3339.format(collectedAt)) (from \(origin)) fixes missing years and kubectl ages.")
        } else {
            notes.append("The collection time is unknown: times without a year and kubectl ages cannot be placed.")
        }
        // Boot times from wall clock + uptime pairs: the median per node.
        var samples: [String: [Instant]] = [:]
        for case .wallAndUptime(let node, let wall, let uptime, let file) in hints {
            let key = node ?? file
            guard let wallTime = resolveCivil(wall, node: node)?.instant else { continue }
            samples[key, default: []].append(wallTime.adding(microseconds: -uptime))
        }
        for (key, values) in samples where bootTimes[key] == nil {
            bootTimes[key] = values.sorted()[values.count / 2]
        }
    }

    /// The instants a report can write in RFC 3339, years 0000 to 9999. A time outside them (a damaged
    /// journal's `__REALTIME_TIMESTAMP` of 10^18 µs, the year 33658) places nothing and dates nothing.
    static let writable = Instant(seconds: -62_167_219_200)...Instant(seconds: 253_402_300_799, nanoseconds: 999_999_999)

    /// Resolves a source time for a record of `node` read from `file`; nil when it cannot be placed.
    public func resolve(_ time: SourceTime, node: String?, file: String) -> ResolvedTime? {
        guard let resolved = place(time, node: node, file: file), Self.writable.contains(resolved.instant) else { return nil }
        return resolved
    }

    private func place(_ time: SourceTime, node: String?, file: String) -> ResolvedTime? {
        switch time {
        case .instant(let instant):
            return ResolvedTime(instant, inferred: false)
        case .civil(let civil):
            return resolveCivil(civil, node: node).map { corrected($0, node: node) }
        case .sinceBoot(let seconds):
            guard let boot = bootTimes[node ?? file] ?? bootTimes[file] ?? node.flatMap({ _ in bootTimes[file] }) else {
                return nil
            }
            return corrected(ResolvedTime(boot.adding(microseconds: seconds), inferred: true), node: node)
        case .beforeCollection(let seconds, _):
            guard let collectedAt else { return nil }
            return ResolvedTime(collectedAt.adding(seconds: -Double(seconds)), inferred: true)
        }
    }

    private func corrected(_ time: ResolvedTime, node: String?) -> ResolvedTime {
        guard let node, let delta = nodeCorrections[node] else { return time }
        return ResolvedTime(time.instant.adding(seconds: delta), inferred: true)
    }

    private func resolveCivil(_ civil: CivilTime, node: String?) -> ResolvedTime? {
        let offset = node.flatMap { offsets[$0] } ?? defaultOffset
        let zoneInferred = node.flatMap { offsets[$0] } == nil && !defaultOffsetKnown
        if civil.year != nil {
            return civil.instant(offsetSeconds: offset).map { ResolvedTime($0, inferred: zoneInferred) }
        }
        guard let collectedAt else { return nil }
        let year = CivilTime(collectedAt, offsetSeconds: offset).year ?? 1970
        guard let sameYear = civil.instant(offsetSeconds: offset, year: year) else { return nil }
        if sameYear.interval(since: collectedAt) > 86_400, let previous = civil.instant(offsetSeconds: offset, year: year - 1) {
            return ResolvedTime(previous, inferred: true)
        }
        return ResolvedTime(sameYear, inferred: true)
    }

    /// Rewrites every note (for redaction).
    public mutating func rewriteNotes(_ transform: (String) -> String) { notes = notes.map(transform) }

    /// Adds a note for the report.
    public mutating func note(_ text: String) { notes.append(text) }
}
