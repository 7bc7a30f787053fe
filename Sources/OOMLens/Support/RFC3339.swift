/// Reads RFC 3339 / ISO 8601 timestamps from bytes: `2023-10-12T19:00:20.879932879Z`,
/// `2025-06-18T10:29:40.483477+00:00`, `2024-11-28T10:15:02+0000`, and CRI-O's
/// `2023-05-31 15:54:15.113161747Z` (space instead of `T`).
public enum RFC3339 {
    /// The result of a read: the civil time, the zone offset when one was written, and where it ended.
    public struct Reading {
        public var civil: CivilTime
        public var offsetSeconds: Int?
        public var end: Int

        /// The instant, when the zone was written.
        public var instant: Instant? { offsetSeconds.flatMap { civil.instant(offsetSeconds: $0) } }
    }

    /// Parses a timestamp starting at `offset`; nil when the bytes there are not one.
    public static func read(_ b: UnsafeRawBufferPointer, at offset: Int = 0) -> Reading? {
        func digits(_ at: Int, _ n: Int) -> Int? {
            guard at + n <= b.count else { return nil }
            var v = 0
            for i in at..<(at + n) {
                guard b[i].isDigit else { return nil }
                v = v * 10 + Int(b[i] - .zero)
            }
            return v
        }
        let o = offset
        guard let year = digits(o, 4), o + 4 < b.count, b[o + 4] == .dash,
              let month = digits(o + 5, 2), o + 7 < b.count, b[o + 7] == .dash,
              let day = digits(o + 8, 2), o + 10 < b.count,
              b[o + 10] == UInt8(ascii: "T") || b[o + 10] == .space || b[o + 10] == UInt8(ascii: "t"),
              let hour = digits(o + 11, 2), o + 13 < b.count, b[o + 13] == .colon,
              let minute = digits(o + 14, 2), o + 16 < b.count, b[o + 16] == .colon,
              let second = digits(o + 17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var i = o + 19
        var nanos = 0
        if i < b.count, b[i] == .dot || b[i] == .comma {
            i += 1
            var scale = 100_000_000
            let start = i
            while i < b.count, b[i].isDigit {
                if scale > 0 { nanos += Int(b[i] - .zero) * scale; scale /= 10 }
                i += 1
            }
            if i == start { return nil }
        }
        var offsetSeconds: Int?
        if i < b.count {
            switch b[i] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                offsetSeconds = 0
                i += 1
            case .plus, .dash:
                let sign = b[i] == .plus ? 1 : -1
                if let hh = digits(i + 1, 2) {
                    if i + 3 < b.count, b[i + 3] == .colon, let mm = digits(i + 4, 2) {
                        offsetSeconds = sign * (hh * 3600 + mm * 60)
                        i += 6
                    } else if let mm = digits(i + 3, 2) {
                        offsetSeconds = sign * (hh * 3600 + mm * 60)
                        i += 5
                    } else {
                        offsetSeconds = sign * hh * 3600
                        i += 3
                    }
                }
            default:
                break
            }
        }
        let civil = CivilTime(year: year, month: month, day: day, hour: hour, minute: minute,
                              second: Swift.min(second, 59), nanosecond: nanos)
        return Reading(civil: civil, offsetSeconds: offsetSeconds, end: i)
    }

    /// Parses a whole string (API timestamps, scenario files); nil unless it is a complete zoned timestamp.
    public static func instant(_ text: String) -> Instant? {
        var text = text
        return text.withUTF8 { buffer in
            let raw = UnsafeRawBufferPointer(buffer)
            guard let reading = read(raw, at: 0), reading.end == raw.count else { return nil }
            return reading.instant
        }
    }

    /// Formats an instant as `2023-10-12T19:00:20Z`, with fractional digits only when non-zero
    /// (milliseconds or nanoseconds as needed).
    public static func format(_ instant: Instant) -> String {
        let c = CivilTime(instant)
        let year = c.year ?? 0
        guard (0...9999).contains(year) else { return format(instant, civil: c) }
        // Written as bytes into the string's own storage: interpolating and padding each field as a
        // `String` cost about eleven thousand instructions a time, and a report writes one per entry.
        return String(unsafeUninitializedCapacity: 30) { out in
            var n = 0
            func put(_ value: Int, digits: Int) {
                var divisor = 1
                for _ in 1..<digits { divisor *= 10 }
                while divisor > 0 {
                    out[n] = UInt8(truncatingIfNeeded: 0x30 + value / divisor % 10)
                    n += 1
                    divisor /= 10
                }
            }
            func put(_ byte: UInt8) {
                out[n] = byte
                n += 1
            }
            put(year, digits: 4)
            put(.dash)
            put(c.month, digits: 2)
            put(.dash)
            put(c.day, digits: 2)
            put(UInt8(ascii: "T"))
            put(c.hour, digits: 2)
            put(.colon)
            put(c.minute, digits: 2)
            put(.colon)
            put(c.second, digits: 2)
            if instant.nanoseconds != 0 {
                put(.dot)
                var frac = Int(instant.nanoseconds), digits = 9
                while frac % 10 == 0 {
                    frac /= 10
                    digits -= 1
                }
                put(frac, digits: digits)
            }
            put(UInt8(ascii: "Z"))
            return n
        }
    }

    /// `format` for a year outside 0–9999, through `String`s.
    private static func format(_ instant: Instant, civil c: CivilTime) -> String {
        func pad(_ v: Int, _ n: Int) -> String {
            let s = String(v)
            return s.count >= n ? s : String(repeating: "0", count: n - s.count) + s
        }
        var out = "\(pad(c.year ?? 0, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))T\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))"
        if instant.nanoseconds != 0 {
            var frac = pad(Int(instant.nanoseconds), 9)
            while frac.hasSuffix("0") { frac.removeLast() }
            out += "." + frac
        }
        return out + "Z"
    }
}
