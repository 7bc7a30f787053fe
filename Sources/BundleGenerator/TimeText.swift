import OOMLens

/// The time stamps real node logs, API objects and kubectl print, rendered from an `Instant`.
///
/// Node-local renderings take the node's UTC offset; none of the node-log renderings has a year
/// (`Oct 12 19:00:20`, `I1012 19:00:20.884452`), exactly like the real formats.
enum TimeText {
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday

    /// `v` right-aligned in `width` columns, padded with `fill`.
    static func pad(_ v: Int, _ width: Int, _ fill: Character = "0") -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: fill, count: width - s.count) + s
    }

    /// `Oct 12 19:00:20`, `Sep  8 06:22:08` (RFC 3164: day padded with a space).
    static func syslog(_ t: Instant, offset: Int) -> String {
        let c = CivilTime(t, offsetSeconds: offset)
        return "\(months[c.month - 1]) \(pad(c.day, 2, " ")) \(clock(c))"
    }

    /// `Feb 03 19:57:08` (journalctl `short`: day padded with a zero).
    static func journal(_ t: Instant, offset: Int) -> String {
        let c = CivilTime(t, offsetSeconds: offset)
        return "\(months[c.month - 1]) \(pad(c.day, 2)) \(clock(c))"
    }

    /// `I1012 19:00:20.884452    3240 log_monitor.go:160] ` (klog header: local time, no year, pid in 7 columns).
    static func klog(_ severity: Character, _ t: Instant, offset: Int, pid: Int, source: String) -> String {
        let c = CivilTime(t, offsetSeconds: offset)
        return "\(severity)\(pad(c.month, 2))\(pad(c.day, 2)) \(clock(c)).\(pad(Int(t.nanoseconds) / 1000, 6)) \(pad(pid, 7, " ")) \(source)] "
    }

    /// `2023-10-12T19:00:20.879932879Z` or `2025-04-14T05:21:34.519809409+08:00` (Go RFC3339Nano:
    /// trailing zeros of the fraction dropped).
    static func rfc3339Nano(_ t: Instant, offset: Int) -> String {
        let c = CivilTime(t, offsetSeconds: offset)
        var s = "\(pad(c.year ?? 0, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))T\(clock(c))"
        if t.nanoseconds != 0 {
            var fraction = pad(Int(t.nanoseconds), 9)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            s += "." + fraction
        }
        return s + zone(offset, colon: true)
    }

    /// `2023-10-12T19:00:20Z`: API timestamps, whole seconds in UTC.
    static func api(_ t: Instant) -> String {
        let c = CivilTime(Instant(seconds: t.seconds), offsetSeconds: 0)
        return "\(pad(c.year ?? 0, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))T\(clock(c))Z"
    }

    /// `Thu, 12 Oct 2023 19:00:49 +0000` (kubectl describe, RFC 1123 with a numeric zone).
    static func rfc1123Z(_ t: Instant, offset: Int = 0) -> String {
        let c = CivilTime(t, offsetSeconds: offset)
        let days = CivilTime.daysFromCivil(year: c.year ?? 1970, month: c.month, day: c.day)
        let weekday = weekdays[Int(((days % 7) + 7) % 7)]
        return "\(weekday), \(pad(c.day, 2)) \(months[c.month - 1]) \(pad(c.year ?? 0, 4)) \(clock(c)) \(zone(offset, colon: false))"
    }

    /// `Tue Sep 26 11:49:45 UTC 2023`: the build date in the kernel's `Linux version` line.
    static func kernelBuildDate(_ t: Instant) -> String {
        let c = CivilTime(t, offsetSeconds: 0)
        let days = CivilTime.daysFromCivil(year: c.year ?? 1970, month: c.month, day: c.day)
        let weekday = weekdays[Int(((days % 7) + 7) % 7)]
        return "\(weekday) \(months[c.month - 1]) \(pad(c.day, 2, " ")) \(clock(c)) UTC \(c.year ?? 0)"
    }

    /// `[ 8523.347168]`: printk's `[%5lu.%06lu]` seconds since boot.
    static func uptime(_ seconds: Double) -> String {
        let micros = Int64((max(seconds, 0) * 1_000_000).rounded(.down))
        return "[\(pad(Int(micros / 1_000_000), 5, " ")).\(pad(Int(micros % 1_000_000), 6))]"
    }

    /// kubectl's `HumanDuration`: `45s`, `5m19s`, `51m`, `3h20m`, `27h`, `5d1h`, `102d`.
    static func human(_ seconds: Int64) -> String {
        let s = seconds
        if s < -1 { return "<invalid>" }
        if s < 0 { return "0s" }
        if s < 120 { return "\(s)s" }
        let minutes = s / 60
        if minutes < 10 {
            let rest = s % 60
            return rest == 0 ? "\(minutes)m" : "\(minutes)m\(rest)s"
        }
        if minutes < 180 { return "\(minutes)m" }
        let hours = s / 3600
        if hours < 8 {
            let rest = minutes % 60
            return rest == 0 ? "\(hours)h" : "\(hours)h\(rest)m"
        }
        if hours < 48 { return "\(hours)h" }
        let days = hours / 24
        if hours < 192 {
            let rest = hours % 24
            return rest == 0 ? "\(days)d" : "\(days)d\(rest)h"
        }
        if days < 730 { return "\(days)d" }
        let years = days / 365
        if years < 8 {
            let rest = days % 365
            return rest == 0 ? "\(years)y" : "\(years)y\(rest)d"
        }
        return "\(years)y"
    }

    /// Parses `+01:00`, `-0500`, `Z` or `UTC` into seconds east of UTC.
    static func offsetSeconds(_ text: String) -> Int? {
        if text == "Z" || text == "UTC" || text.isEmpty { return 0 }
        let chars = Array(text.utf8)
        guard chars.count >= 3, chars[0] == UInt8(ascii: "+") || chars[0] == UInt8(ascii: "-") else { return nil }
        let digits = chars.dropFirst().filter { $0 != UInt8(ascii: ":") }
        guard digits.count == 4 || digits.count == 2, digits.allSatisfy({ (48...57).contains($0) }) else { return nil }
        let values = digits.map { Int($0 - 48) }
        let hours = values[0] * 10 + values[1]
        let minutes = values.count == 4 ? values[2] * 10 + values[3] : 0
        let total = hours * 3600 + minutes * 60
        return chars[0] == UInt8(ascii: "-") ? -total : total
    }

    private static func clock(_ c: CivilTime) -> String {
        "\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))"
    }

    private static func zone(_ offset: Int, colon: Bool) -> String {
        if offset == 0 && colon { return "Z" }
        let sign = offset < 0 ? "-" : "+"
        let a = abs(offset)
        return "\(sign)\(pad(a / 3600, 2))\(colon ? ":" : "")\(pad(a % 3600 / 60, 2))"
    }
}
