/// The `--since`/`--until` window of `oomlens timeline`, resolved to UTC instants.
///
/// Each end is written in one of three forms:
/// ```
/// 2024-03-14T10:05:00Z   2024-03-14T12:05:00.5+02:00   2024-03-14T10:05:00   (RFC 3339; no zone = UTC)
/// 2024-03-14                                                                (a UTC calendar day)
/// 2h   3d   90m   45s   1h30m   1.5h                                         (a duration, as kubectl)
/// ```
/// A day is the whole day: `--since 2024-03-14` starts at its first moment, `--until 2024-03-14` ends
/// at its last. A duration counts back from the bundle's collection time — "the last two hours before
/// the bundle was taken", as `kubectl logs --since 2h` counts back from when it runs — and from now only
/// when the collection time is unknown, which `note` then says.
public struct TimeFilter: Sendable, Hashable {
    /// One end of the window as the user wrote it.
    public enum Bound: Sendable, Hashable {
        /// A moment.
        case instant(Instant)
        /// A UTC calendar day, given by its first moment (midnight UTC).
        case day(Instant)
        /// A duration in seconds, counted back from the collection time.
        case ago(seconds: Double)

        /// The accepted forms, for usage errors and help.
        public static let accepted = "RFC 3339 (2024-03-14T10:05:00Z; no zone means UTC), a UTC date (2024-03-14) or a duration before the bundle's collection time (2h, 3d, 90m, 1h30m)"

        /// Reads a bound; nil when `text` is none of the accepted forms.
        public init?(_ text: String) {
            var text = text
            let parsed: Bound? = text.withUTF8 { buffer in
                let b = UnsafeRawBufferPointer(buffer)
                let r = b.trimmedRange(nil)
                guard !r.isEmpty, r.upperBound - r.lowerBound <= 64 else { return nil }
                if let day = Self.day(b, r) { return .day(day) }
                if let instant = Self.instant(b, r) { return .instant(instant) }
                if let seconds = Self.duration(b, r) { return .ago(seconds: seconds) }
                return nil
            }
            guard let parsed else { return nil }
            self = parsed
        }

        /// The earliest instant the bound admits, as `--since`.
        public func lowerInstant(reference: Instant) -> Instant {
            switch self {
            case .instant(let instant), .day(let instant): return instant
            case .ago(let seconds): return reference.adding(seconds: -seconds)
            }
        }

        /// The latest instant the bound admits, as `--until`: a day's last nanosecond.
        public func upperInstant(reference: Instant) -> Instant {
            switch self {
            case .instant(let instant): return instant
            case .day(let midnight): return Instant(nanosecondsSinceEpoch: midnight.nanosecondsSinceEpoch + 86_400_000_000_000 - 1)
            case .ago(let seconds): return reference.adding(seconds: -seconds)
            }
        }

        /// Whether the bound counts back from a reference time.
        public var isRelative: Bool {
            if case .ago = self { return true }
            return false
        }

        /// `2024-03-14`: exactly a date, and a real one (no February 31st).
        private static func day(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Instant? {
            let o = r.lowerBound
            guard r.count == 10, b[o + 4] == .dash, b[o + 7] == .dash,
                  let year = digits(b, o, 4), let month = digits(b, o + 5, 2), let day = digits(b, o + 8, 2),
                  (1...12).contains(month), (1...31).contains(day)
            else { return nil }
            let days = CivilTime.daysFromCivil(year: year, month: month, day: day)
            guard CivilTime.civilFromDays(days) == (year, month, day) else { return nil }
            return Instant(seconds: days * 86_400)
        }

        /// A whole RFC 3339 timestamp; without a zone it is taken as UTC, the timeline's zone.
        private static func instant(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Instant? {
            let window = UnsafeRawBufferPointer(rebasing: b[r])
            guard let reading = RFC3339.read(window, at: 0), reading.end == window.count else { return nil }
            let c = reading.civil
            guard let year = c.year,
                  CivilTime.civilFromDays(CivilTime.daysFromCivil(year: year, month: c.month, day: c.day)) == (year, c.month, c.day)
            else { return nil }
            return c.instant(offsetSeconds: reading.offsetSeconds ?? 0)
        }

        /// `2h`, `1h30m`, `1.5h`, `3d`: numbers each followed by a unit (d, h, m, s), at most ten years.
        private static func duration(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Double? {
            var i = r.lowerBound
            var total = 0.0
            while i < r.upperBound {
                let start = i
                var value = 0.0
                while i < r.upperBound, b[i].isDigit, i - start < 12 {
                    value = value * 10 + Double(b[i] - .zero)
                    i += 1
                }
                guard i > start else { return nil }
                if i < r.upperBound, b[i] == .dot {
                    i += 1
                    var scale = 0.1
                    let fraction = i
                    while i < r.upperBound, b[i].isDigit, i - fraction < 9 {
                        value += Double(b[i] - .zero) * scale
                        scale /= 10
                        i += 1
                    }
                    guard i > fraction else { return nil }
                }
                guard i < r.upperBound else { return nil }
                switch b[i] {
                case UInt8(ascii: "d"): total += value * 86_400
                case UInt8(ascii: "h"): total += value * 3600
                case UInt8(ascii: "m"): total += value * 60
                case UInt8(ascii: "s"): total += value
                default: return nil
                }
                i += 1
            }
            return total <= 10 * 366 * 86_400 ? total : nil
        }

        private static func digits(_ b: UnsafeRawBufferPointer, _ at: Int, _ n: Int) -> Int? {
            var value = 0
            for i in at..<(at + n) {
                guard b[i].isDigit else { return nil }
                value = value * 10 + Int(b[i] - .zero)
            }
            return value
        }
    }

    /// Entries before this instant are left out.
    public var since: Instant?
    /// Entries after this instant are left out.
    public var until: Instant?
    /// Says so when a duration was counted back from now because the collection time is unknown.
    public var note: String?

    /// Resolves the bounds: durations count back from `collectedAt`, or from `now` when it is nil.
    public init(since: Bound?, until: Bound?, collectedAt: Instant?, now: Instant) {
        let reference = collectedAt ?? now
        self.since = since?.lowerInstant(reference: reference)
        self.until = until?.upperInstant(reference: reference)
        if collectedAt == nil, since?.isRelative == true || until?.isRelative == true {
            note = "the bundle's collection time is unknown: durations count back from now (\(RFC3339.format(now)))"
        }
    }

    /// Whether the window is unbounded on both sides.
    public var isUnbounded: Bool { since == nil && until == nil }

    /// Whether the window admits nothing: it ends before it starts.
    public var isEmpty: Bool {
        guard let since, let until else { return false }
        return until < since
    }

    /// Whether an entry at `time` is in the window; an entry of unknown time only when the window is unbounded.
    public func includes(_ time: Instant?) -> Bool {
        guard let time else { return isUnbounded }
        if let since, time < since { return false }
        if let until, time > until { return false }
        return true
    }
}
