/// Reads bundle metadata files for what they say about clocks: troubleshoot `version.yaml` (recognised,
/// no time in it), sosreport / Rancher `date` output and `timedatectl` `Local time:` lines.
///
/// troubleshoot `version.yaml` (`samples/troubleshoot-version.yaml`):
///
///     apiVersion: troubleshoot.sh/v1beta2
///     kind: SupportBundle
///     spec:
///       versionNumber: v0.50.0-13-gd9e2465-dirty
///
/// `date` (sosreport `date`, `sos_commands/general/date`, Rancher `systeminfo/date`; no verbatim
/// sample was captured, this is `date`'s C-locale format) and `timedatectl`:
///
///     Thu Nov 28 10:15:02 UTC 2024
///                    Local time: Thu 2024-11-28 11:15:02 CET
///                Universal time: Thu 2024-11-28 10:15:02 UTC
///                     Time zone: Europe/Berlin (CET, +0100)
///
/// A time is only turned into `ClockHint.collectedAt` when its zone is known as an offset (`UTC`,
/// `GMT`, `+0530`, or the `Time zone:` line); the node's `ClockHint.utcOffset` comes from the same,
/// except for `date --utc` output (a path with `--utc`), which says nothing about the node's zone.
public struct BundleMetadataParser: LineParser {
    struct Stamp {
        var civil: CivilTime
        var offset: Int?
        var zone: String
        var line: Int
    }

    private let context: ParseContext
    private var isSupportBundle = false
    private var versionNumber: String?
    private var dateStamp: Stamp?
    private var localStamp: Stamp?
    private var universalStamp: Stamp?
    private var zoneLine: (offset: Int, line: Int)?

    public init(context: ParseContext) {
        self.context = context
    }

    public mutating func parse(_ line: Line, into output: inout ParseOutput) {
        let b = line.bytes
        let range = b.trimmedRange()
        guard range.count >= 5, range.count < 200 else { return }
        let start = range.lowerBound
        switch b[start] {
        case UInt8(ascii: "k") where b.matches("kind: SupportBundle", at: start):
            isSupportBundle = true
        case UInt8(ascii: "v") where b.matches("versionNumber:", at: start):
            if start + 14 < range.upperBound {
                let value = b.trimmedRange((start + 14)..<range.upperBound)
                if !value.isEmpty { versionNumber = b.string(value) }
            }
        case UInt8(ascii: "L") where b.matches("Local time: ", at: start):
            localStamp = Self.timedatectlStamp(b, from: start + 12, end: range.upperBound, line: line.number)
        case UInt8(ascii: "U") where b.matches("Universal time: ", at: start):
            universalStamp = Self.timedatectlStamp(b, from: start + 16, end: range.upperBound, line: line.number)
        case UInt8(ascii: "T") where b.matches("Time zone: ", at: start):
            // `Time zone: Europe/Berlin (CET, +0100)`
            if let comma = b.firstIndex(of: ", ", from: start), comma + 2 < range.upperBound,
               let offset = Self.numericOffset(b.slice((comma + 2)..<range.upperBound).trimmedSlice(dropping: .closeParen)) {
                zoneLine = (offset, line.number)
            }
        default:
            if dateStamp == nil, let stamp = Self.dateStamp(b.slice(range), line: line.number) { dateStamp = stamp }
        }
    }

    public mutating func finish(into output: inout ParseOutput) {
        if isSupportBundle {
            output.diagnostics.append(Diagnostic(
                .note, file: context.path,
                "troubleshoot support bundle\(versionNumber.map { " (collector \($0))" } ?? ""); "
                    + "version.yaml carries no collection time"))
        }
        // The collection time: UTC from timedatectl, else a local or `date` time whose zone is known.
        var collected: (Instant, Int)?
        if let u = universalStamp, let instant = u.civil.instant(offsetSeconds: 0) {
            collected = (instant, u.line)
        } else if let l = localStamp, let offset = l.offset ?? zoneLine?.offset,
                  let instant = l.civil.instant(offsetSeconds: offset) {
            collected = (instant, l.line)
        } else if let d = dateStamp, let offset = d.offset, let instant = d.civil.instant(offsetSeconds: offset) {
            collected = (instant, d.line)
        }
        if let (instant, line) = collected {
            output.clockHints.append(.collectedAt(instant, origin: "\(context.path):\(line)"))
        }
        // The node's zone.
        var offset: (Int, Int)?
        if let z = zoneLine {
            offset = (z.offset, z.line)
        } else if let l = localStamp, let o = l.offset {
            offset = (o, l.line)
        } else if let l = localStamp, let u = universalStamp,
                  let local = l.civil.instant(offsetSeconds: 0), let utc = u.civil.instant(offsetSeconds: 0) {
            // Local minus universal, to the nearest quarter hour.
            let delta = Int(local.seconds - utc.seconds)
            offset = ((delta + (delta >= 0 ? 450 : -450)) / 900 * 900, l.line)
        } else if let d = dateStamp, let o = d.offset, !context.path.contains("--utc") {
            offset = (o, d.line)
        }
        if let (seconds, line) = offset {
            output.clockHints.append(.utcOffset(seconds: seconds, node: context.nodeHint,
                                                origin: "\(context.path):\(line)"))
        }
        if collected == nil, let stamp = dateStamp ?? localStamp {
            output.diagnostics.append(Diagnostic(
                .note, file: context.path, line: stamp.line,
                "time zone '\(stamp.zone)' is not an offset: the collection time in this file was not used"))
        }
    }

    // MARK: - Formats

    private static let months: [StaticString] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// `Thu Nov 28 10:15:02 UTC 2024`, `Thu Nov  8 10:15:02 AM UTC 2024`, `Thu 28 Nov 10:15:02 UTC 2024`.
    static func dateStamp(_ b: UnsafeRawBufferPointer, line: Int) -> Stamp? {
        // Tokens split on runs of spaces; at most 7.
        var tokens: [Range<Int>] = []
        var i = 0
        while i < b.count, tokens.count < 8 {
            i = b.skipSpaces(from: i)
            guard i < b.count else { break }
            let end = b.endOfToken(from: i)
            tokens.append(i..<end)
            i = end
        }
        guard tokens.count == 5 || tokens.count == 6 || tokens.count == 7, tokens[0].count == 3 else { return nil }
        var t = 1
        var month: Int?
        var day: Int?
        if let m = monthIndex(b, tokens[t]) {
            month = m
            day = wholeInt(b, tokens[t + 1])
        } else if let d = wholeInt(b, tokens[t]), t + 1 < tokens.count {
            day = d
            month = monthIndex(b, tokens[t + 1])
        }
        t += 2
        guard let month, let day, (1...31).contains(day), t < tokens.count else { return nil }
        // HH:MM:SS
        let clock = tokens[t]
        guard clock.count == 8, b[clock.lowerBound + 2] == .colon, b[clock.lowerBound + 5] == .colon,
              var hour = wholeInt(b, clock.lowerBound..<(clock.lowerBound + 2)),
              let minute = wholeInt(b, (clock.lowerBound + 3)..<(clock.lowerBound + 5)),
              let second = wholeInt(b, (clock.lowerBound + 6)..<clock.upperBound),
              hour < 24, minute < 60, second < 61
        else { return nil }
        t += 1
        if t < tokens.count, b.slice(tokens[t]).matches("AM") || b.slice(tokens[t]).matches("PM"), tokens[t].count == 2 {
            if b[tokens[t].lowerBound] == UInt8(ascii: "P"), hour < 12 { hour += 12 }
            if b[tokens[t].lowerBound] == UInt8(ascii: "A"), hour == 12 { hour = 0 }
            t += 1
        }
        guard t + 2 == tokens.count, tokens[t + 1].count == 4, let year = wholeInt(b, tokens[t + 1]) else { return nil }
        let zone = b.slice(tokens[t])
        let civil = CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: min(second, 59))
        return Stamp(civil: civil, offset: numericOffset(zone), zone: zone.string, line: line)
    }

    /// After `Local time: ` / `Universal time: `: `Thu 2024-11-28 10:15:02 UTC`.
    static func timedatectlStamp(_ b: UnsafeRawBufferPointer, from: Int, end: Int, line: Int) -> Stamp? {
        guard from < end else { return nil }
        let body = b.slice(from..<end)
        let afterDay = body.skipSpaces(from: body.endOfToken(from: body.skipSpaces(from: 0)))
        guard let reading = RFC3339.read(body, at: afterDay), reading.civil.year != nil else { return nil }
        let zoneStart = body.skipSpaces(from: reading.end)
        let zone = body.slice(zoneStart..<body.endOfToken(from: zoneStart))
        return Stamp(civil: reading.civil, offset: reading.offsetSeconds ?? numericOffset(zone), zone: zone.string,
                     line: line)
    }

    /// `UTC`, `GMT`, `UCT`, `Z` → 0; `+0100`, `-0530`, `+01`, `-03` → seconds east of UTC; else nil.
    static func numericOffset(_ z: UnsafeRawBufferPointer) -> Int? {
        switch z.count {
        case 1: return z.matches("Z") ? 0 : nil
        case 3:
            if z.matches("UTC") || z.matches("GMT") || z.matches("UCT") { return 0 }
            guard z[0] == .plus || z[0] == .dash, let h = wholeInt(z, 1..<3), h <= 14 else { return nil }
            return (z[0] == .plus ? 1 : -1) * h * 3600
        case 5:
            guard z[0] == .plus || z[0] == .dash, let h = wholeInt(z, 1..<3), let m = wholeInt(z, 3..<5),
                  h <= 14, m < 60
            else { return nil }
            return (z[0] == .plus ? 1 : -1) * (h * 3600 + m * 60)
        default:
            return nil
        }
    }

    private static func monthIndex(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Int? {
        guard r.count == 3 else { return nil }
        let token = b.slice(r)
        for (index, name) in months.enumerated() where token.matches(name) { return index + 1 }
        return nil
    }

    /// The whole range as an unsigned decimal.
    private static func wholeInt(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Int? {
        let digits = b.slice(r)
        guard !r.isEmpty, digits.count == r.count, let (value, end) = digits.readInt(at: 0), end == digits.count
        else { return nil }
        return Int(value)
    }
}

extension UnsafeRawBufferPointer {
    /// The bytes without surrounding spaces and a trailing `byte` (`+0100)` → `+0100`).
    fileprivate func trimmedSlice(dropping byte: UInt8) -> UnsafeRawBufferPointer {
        var r = trimmedRange()
        if r.upperBound > r.lowerBound, self[r.upperBound - 1] == byte { r = r.lowerBound..<(r.upperBound - 1) }
        return slice(r)
    }
}
