/// Reads the times kubectl prints in its text output: relative ages, the event and restart forms
/// that carry them, and the RFC 1123 times of `kubectl describe`.
///
/// Forms read (all from the reference samples):
/// ```
/// 5m19s   51m   46h   5d1h   102d   2y30d   0s   <unknown>   <invalid>      (HumanDuration)
/// 78s (x231 over 51m)                                                       (describe Events "Age")
/// 4 (57s ago)                                                               (get pods RESTARTS)
/// Thu, 12 Jan 2023 16:33:36 +0800                                           (describe Start Time, Started, Finished)
/// Mon, 01 Jan 0001 00:00:00 +0000                                           (Go zero time: no time)
/// ```
public enum KubectlAge {
    /// A relative age: how long before the command ran, and the size of the smallest unit printed.
    public struct Age: Sendable, Hashable {
        public var seconds: Int64
        public var resolution: Int64

        public init(seconds: Int64, resolution: Int64) {
            self.seconds = seconds
            self.resolution = resolution
        }

        /// The age as a source time relative to the bundle's collection.
        public var sourceTime: SourceTime { .beforeCollection(seconds: seconds, resolution: resolution) }
    }

    /// The `Age` cell of a describe Events row: `78s (x231 over 51m)` or just `7m24s`.
    public struct EventAge: Sendable, Hashable {
        /// The age of the last occurrence (nil for `<unknown>`).
        public var last: Age?
        /// The `xN` count, when the event was aggregated.
        public var count: Int?
        /// The age of the first occurrence, from `over …`.
        public var first: Age?
        /// The text of the last-seen age (`78s`).
        public var lastText: String
    }

    /// The `RESTARTS` cell of `kubectl get pods`: `4` or `4 (57s ago)`.
    public struct Restarts: Sendable, Hashable {
        public var count: Int
        /// Age of the last restart (the previous container's finish), when printed.
        public var lastRestart: Age?
    }

    private static let minute: Int64 = 60
    private static let hour: Int64 = 3600
    private static let day: Int64 = 86_400
    /// HumanDuration counts a year as 365 days.
    private static let year: Int64 = 365 * 86_400

    /// Parses an age that fills `range` (surrounding spaces allowed); nil for `<unknown>`,
    /// `<invalid>` (a time in the future) and anything that is not an age.
    public static func age(_ b: UnsafeRawBufferPointer, _ range: Range<Int>? = nil) -> Age? {
        let r = b.trimmedRange(range)
        guard !r.isEmpty, b[r.lowerBound].isDigit else { return nil }
        var i = r.lowerBound
        var total: Int64 = 0
        var lastUnit = Int64.max
        var parts = 0
        while i < r.upperBound {
            guard let (value, end) = b.readInt(at: i), end < r.upperBound, value < 1_000_000_000 else { return nil }
            let unit: Int64
            switch b[end] {
            case UInt8(ascii: "y"): unit = year
            case UInt8(ascii: "d"): unit = day
            case UInt8(ascii: "h"): unit = hour
            case UInt8(ascii: "m"): unit = minute
            case UInt8(ascii: "s"): unit = 1
            default: return nil
            }
            // Units must come largest first, each at most once (`5d1h`, never `1h5d`).
            guard unit < lastUnit, parts < 3 else { return nil }
            total += value * unit
            lastUnit = unit
            parts += 1
            i = end + 1
        }
        return Age(seconds: total, resolution: lastUnit)
    }

    /// Parses an age given as text.
    public static func age(_ text: String) -> Age? {
        var text = text
        return text.withUTF8 { age(UnsafeRawBufferPointer($0)) }
    }

    /// The reading of an age cell, keeping its text; nil for `<unknown>`, `<invalid>` and junk.
    public static func reading(_ b: UnsafeRawBufferPointer, _ range: Range<Int>? = nil) -> TimeReading? {
        let r = b.trimmedRange(range)
        guard let age = age(b, r) else { return nil }
        return TimeReading(age.sourceTime, text: b.string(r))
    }

    /// Parses an events age cell: `78s (x231 over 51m)`, `12m (x4 over 25m)`, `7m24s`, `<unknown>`,
    /// or `<unknown> (x3 over 5m)`. Nil when the cell is none of these.
    public static func eventAge(_ b: UnsafeRawBufferPointer, _ range: Range<Int>? = nil) -> EventAge? {
        let r = b.trimmedRange(range)
        guard !r.isEmpty else { return nil }
        let firstEnd = b.endOfToken(from: r.lowerBound)
        let lastRange = r.lowerBound..<min(firstEnd, r.upperBound)
        let last = age(b, lastRange)
        let isUnknown = b.slice(lastRange).hasPrefix("<unknown>") || b.slice(lastRange).hasPrefix("<invalid>")
        guard last != nil || isUnknown else { return nil }
        var result = EventAge(last: last, count: nil, first: nil, lastText: b.string(lastRange))
        let rest = b.skipSpaces(from: lastRange.upperBound)
        guard rest < r.upperBound else { return result }
        // ` (x231 over 51m)`
        guard b.matches("(x", at: rest), let (count, countEnd) = b.readInt(at: rest + 2),
              b.matches(" over ", at: countEnd), let close = b.firstIndex(of: .closeParen, from: countEnd),
              close < r.upperBound, count <= Int64(Int32.max)
        else { return nil }
        result.count = Int(count)
        result.first = age(b, (countEnd + 6)..<close)
        return result
    }

    /// Parses a `RESTARTS` cell: `4`, `4 (57s ago)`, `1 (11s ago)`.
    public static func restarts(_ b: UnsafeRawBufferPointer, _ range: Range<Int>? = nil) -> Restarts? {
        let r = b.trimmedRange(range)
        guard !r.isEmpty, let (count, end) = b.readInt(at: r.lowerBound), count <= Int64(Int32.max) else { return nil }
        var result = Restarts(count: Int(count), lastRestart: nil)
        if end >= r.upperBound { return result }
        guard b[end].isSpaceOrTab else { return nil }
        let rest = b.skipSpaces(from: end)
        guard b.matches("(", at: rest), let close = b.firstIndex(of: .closeParen, from: rest),
              close < r.upperBound, let ago = b.firstIndex(of: " ago", from: rest), ago < close
        else { return nil }
        result.lastRestart = age(b, (rest + 1)..<ago)
        return result
    }

    private static let months: [StaticString] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// Parses a describe time (`Mon, 02 Jan 2006 15:04:05 -0700`, RFC 1123 with a numeric zone; the
    /// weekday is optional and a zone name `UTC`/`GMT` is read as +0000, any other name gives a
    /// zone-less `.civil` time). Nil for Go's zero time (`Mon, 01 Jan 0001 …`) and for junk.
    public static func describeTime(_ b: UnsafeRawBufferPointer, _ range: Range<Int>? = nil) -> SourceTime? {
        let r = b.trimmedRange(range)
        var i = r.lowerBound
        let end = r.upperBound
        // Optional weekday `Thu, `.
        if i + 5 <= end, b[i + 3] == .comma, b[i + 4] == .space { i += 5 }
        guard let (dayValue, dayEnd) = b.readInt(at: i), dayEnd - i <= 2, dayEnd < end, b[dayEnd] == .space
        else { return nil }
        i = dayEnd + 1
        var month = 0
        for (index, name) in months.enumerated() where b.matches(name, at: i) {
            month = index + 1
            break
        }
        guard month > 0, i + 4 <= end, b[i + 3] == .space else { return nil }
        i += 4
        guard let (yearValue, yearEnd) = b.readInt(at: i), yearEnd - i == 4, yearEnd < end, b[yearEnd] == .space
        else { return nil }
        i = yearEnd + 1
        func two(_ at: Int) -> Int? {
            guard at + 2 <= end, b[at].isDigit, b[at + 1].isDigit else { return nil }
            return Int(b[at] - .zero) * 10 + Int(b[at + 1] - .zero)
        }
        guard let hh = two(i), i + 2 < end, b[i + 2] == .colon, let mm = two(i + 3), i + 5 < end,
              b[i + 5] == .colon, let ss = two(i + 6), hh < 24, mm < 60, ss < 61
        else { return nil }
        i += 8
        let civil = CivilTime(
            year: Int(yearValue), month: month, day: Int(dayValue), hour: hh, minute: mm, second: ss)
        guard yearValue > 1, (1...31).contains(dayValue) else { return nil }
        guard i < end, b[i] == .space else { return .civil(civil) }
        i += 1
        if i < end, b[i] == .plus || b[i] == .dash, let zh = two(i + 1), let zm = two(i + 3) {
            let offset = (zh * 3600 + zm * 60) * (b[i] == .dash ? -1 : 1)
            return civil.instant(offsetSeconds: offset).map(SourceTime.instant)
        }
        if b.matches("UTC", at: i) || b.matches("GMT", at: i) || b.matches("Z", at: i) {
            return civil.instant(offsetSeconds: 0).map(SourceTime.instant)
        }
        return .civil(civil)
    }

    /// The reading of a describe time, keeping its text; nil for the zero time and junk.
    public static func describeReading(_ b: UnsafeRawBufferPointer, _ range: Range<Int>? = nil) -> TimeReading? {
        let r = b.trimmedRange(range)
        guard let time = describeTime(b, r) else { return nil }
        return TimeReading(time, text: b.string(r))
    }

    /// Parses a describe time given as text.
    public static func describeTime(_ text: String) -> SourceTime? {
        var text = text
        return text.withUTF8 { describeTime(UnsafeRawBufferPointer($0)) }
    }
}
