import Foundation
import OOMLens

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Progress of `oomlens batch` on standard error: on a terminal, one bar redrawn in place (done/total,
/// bytes, rate, ETA), with a line above it for each bundle that was not `ok`; otherwise one plain line
/// per finished bundle, for logs. The total grows while bundles are still being hashed (the tail then
/// says how far hashing got, and there is no ETA yet).
///
///     [########----------------]  12/40  310Mi/1.0Gi  24.1Mi/s  ETA 0:31  2 running, 1 failed
///     [12/40] ok         0.84s  support-bundle-2024-03-14T10_30_00-3f9a1c2e  5 oom-kill, 1 eviction
struct Progress {
    private(set) var total = 0
    private(set) var totalBytes: Int64 = 0
    /// Bundles hashed, of all found.
    var hashed = (done: 0, of: 0)
    let interactive: Bool
    private let start = ContinuousClock.now
    private var lastDraw: ContinuousClock.Instant?
    private(set) var done = 0
    private var doneBytes: Int64 = 0
    private var failed = 0
    private var partial = 0

    init(interactive: Bool = isatty(2) == 1) {
        self.interactive = interactive
    }

    /// Adds a bundle to the work.
    mutating func planned(bytes: Int64) {
        total += 1
        totalBytes += bytes
    }

    /// Prints a message line (above the bar on a terminal).
    mutating func note(_ text: String) {
        if interactive {
            Self.write("\r\u{1B}[K" + text + "\n")
            lastDraw = nil
        } else {
            Self.write(text + "\n")
        }
    }

    /// Records a finished bundle.
    mutating func finished(_ entry: BatchIndexEntry) {
        done += 1
        doneBytes += entry.size
        if entry.status == .failed { failed += 1 }
        if entry.status == .partial { partial += 1 }
        let width = String(total).count
        let more = hashed.done < hashed.of ? "+" : ""  // more bundles may come while hashing goes on
        let counter = "[\(String(repeating: " ", count: max(0, width - String(done).count)))\(done)/\(total)\(more)]"
        var line = "\(counter) \(entry.status.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) "
            + String(format: "%6.2fs", entry.durationSeconds) + "  \(entry.id)"
        let counts = ReportDigest.Incident.allKinds.compactMap { kind in
            entry.counts[kind].flatMap { $0 > 0 ? "\($0) \(kind)" : nil }
        }
        if !counts.isEmpty { line += "  " + counts.joined(separator: ", ") }
        if let error = entry.error { line += "  — " + ControlText.clean(error) }
        if interactive {
            if entry.status != .ok { note(line) }
            lastDraw = nil  // the runner redraws once it has reaped every finished child
        } else {
            Self.write(line + "\n")
        }
    }

    /// Redraws the bar on a terminal, at most five times a second unless forced.
    mutating func draw(running: Int, force: Bool = false) {
        guard interactive else { return }
        let now = ContinuousClock.now
        if !force, let lastDraw, now - lastDraw < .milliseconds(200) { return }
        lastDraw = now
        let width = 24
        let filled = total == 0 ? width : min(width, done * width / total)
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let seconds = Self.seconds(now - start)
        let rate = seconds > 0 ? Double(doneBytes) / seconds : 0
        let hashing = hashed.done < hashed.of
        let eta = rate > 0 && done > 0 && !hashing ? Self.clock(Double(totalBytes - doneBytes) / rate) : "--:--"
        var line = "[\(bar)] \(done)/\(total)  \(Quantity.format(doneBytes))/\(Quantity.format(totalBytes))"
            + "  \(Quantity.format(Int64(rate)))/s  ETA \(eta)"
        var tail: [String] = []
        if hashing { tail.append("hashed \(hashed.done)/\(hashed.of)") }
        if running > 0 { tail.append("\(running) running") }
        if partial > 0 { tail.append("\(partial) partial") }
        if failed > 0 { tail.append("\(failed) failed") }
        if !tail.isEmpty { line += "  " + tail.joined(separator: ", ") }
        Self.write("\r\u{1B}[K" + line)
    }

    /// Ends the bar's line.
    func finish() {
        if interactive { Self.write("\n") }
    }

    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// `1:05:09`, `4:02`.
    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        let two = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
        return s >= 3600 ? "\(s / 3600):\(two(s / 60 % 60)):\(two(s % 60))" : "\(s / 60):\(two(s % 60))"
    }
}

/// Bundle-derived text made safe for a terminal line: C0 and C1 control characters (ESC among
/// them) and DEL become spaces.
enum ControlText {
    static func clean(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) ? " " : $0 }))
    }
}
