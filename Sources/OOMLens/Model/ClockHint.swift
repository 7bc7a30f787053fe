/// A fact about clocks learnt while parsing, used by the timeline to resolve times to UTC.
public enum ClockHint: Sendable, Hashable {
    /// When the bundle was collected (folder name, `date` file, metadata), and how sure we are.
    case collectedAt(Instant, origin: String)
    /// A fully dated record, the newest of which bounds the collection time from below.
    case datedRecord(Instant)
    /// The nodes' local UTC offset (sosreport `date`, journal headers), for zone-less stamps.
    case utcOffset(seconds: Int, node: String?, origin: String)
    /// A line that carried both a wall clock and a since-boot stamp, which fixes the boot time.
    case wallAndUptime(node: String?, wall: CivilTime, uptimeSeconds: Double, file: String)
    /// A fully known boot time for a node (`btime`, journal boot with realtime).
    case bootTime(node: String?, Instant, origin: String)
}
