/// A time exactly as much as a source told it; the timeline's clock turns it into UTC.
public enum SourceTime: Sendable, Hashable {
    /// A complete time with a known zone (RFC 3339 with `Z` or an offset, epoch stamps).
    case instant(Instant)
    /// A date and time printed without a zone (syslog, journal short, klog, `dmesg -T`);
    /// the year may be missing too.
    case civil(CivilTime)
    /// Seconds since the node booted (raw `dmesg`, the `[ 8523.347168]` inside kernel syslog lines).
    case sinceBoot(seconds: Double)
    /// A kubectl relative age (`5m19s`, `102d`): this long before the bundle was collected.
    /// `resolution` is the size of the smallest unit printed, the uncertainty of the age.
    case beforeCollection(seconds: Int64, resolution: Int64)
}

/// A time with the text it was read from, kept for evidence.
public struct TimeReading: Sendable, Hashable {
    public var time: SourceTime
    public var text: String

    public init(_ time: SourceTime, text: String) {
        self.time = time
        self.text = text
    }
}
