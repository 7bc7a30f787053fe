/// A moment in UTC, with nanosecond resolution, independent of Foundation's `Date`.
public struct Instant: Sendable, Hashable, Comparable {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    public var seconds: Int64
    /// 0 ..< 1_000_000_000.
    public var nanoseconds: Int32

    public init(seconds: Int64, nanoseconds: Int32 = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }

    /// Seconds since the epoch as a floating-point value (for differences and plots).
    public var secondsSinceEpoch: Double { Double(seconds) + Double(nanoseconds) / 1e9 }

    public func adding(seconds delta: Double) -> Instant {
        let whole = delta.rounded(.down)
        var s = seconds + Int64(whole)
        var n = Int64(nanoseconds) + Int64(((delta - whole) * 1e9).rounded())
        if n >= 1_000_000_000 { s += 1; n -= 1_000_000_000 }
        if n < 0 { s -= 1; n += 1_000_000_000 }
        return Instant(seconds: s, nanoseconds: Int32(n))
    }

    /// Nanoseconds since the epoch (exact for the years logs come from).
    public var nanosecondsSinceEpoch: Int64 { seconds &* 1_000_000_000 &+ Int64(nanoseconds) }

    public init(nanosecondsSinceEpoch ns: Int64) {
        let s = ns >= 0 ? ns / 1_000_000_000 : (ns - 999_999_999) / 1_000_000_000
        self.init(seconds: s, nanoseconds: Int32(ns - s * 1_000_000_000))
    }

    /// `self` moved by a number of seconds given with microsecond precision (uptime stamps).
    public func adding(microseconds seconds: Double) -> Instant {
        Instant(nanosecondsSinceEpoch: nanosecondsSinceEpoch + Int64((seconds * 1e6).rounded()) * 1000)
    }

    /// Seconds from `other` to `self` (positive when `self` is later).
    public func interval(since other: Instant) -> Double {
        Double(seconds - other.seconds) + Double(Int64(nanoseconds) - Int64(other.nanoseconds)) / 1e9
    }
}
