/// Maps a span of UTC time onto a horizontal range of the SVG timeline and picks round tick marks.
///
/// The span covers every given time, is at least a minute wide and is padded on both sides so
/// markers never sit on the edge. Ticks fall on round UTC times (every 5 minutes, every hour,
/// every midnight, …), at most seven of them.
struct TimeAxis {
    /// A tick mark: where it is drawn and its label (`19:05`, `10-13 00:00`, `19:05:30`).
    struct Tick: Equatable {
        var x: Double
        var label: String
    }

    /// The span shown, in seconds since the epoch.
    let start: Double
    let end: Double
    /// The horizontal range it is drawn on.
    let x0: Double
    let x1: Double

    /// Round steps between ticks, in seconds.
    private static let steps: [Double] = [
        1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200,
        86_400, 172_800, 604_800, 1_209_600, 2_592_000, 7_776_000, 31_536_000,
    ]

    init(covering times: [Instant], from x0: Double, to x1: Double) {
        let values = times.map(\.secondsSinceEpoch)
        var lo = values.min() ?? 0
        var hi = values.max() ?? 0
        if hi - lo < 60 {
            let middle = (lo + hi) / 2
            lo = middle - 30
            hi = middle + 30
        }
        let pad = (hi - lo) * 0.04
        start = lo - pad
        end = hi + pad
        self.x0 = x0
        self.x1 = x1
    }

    /// The horizontal position of `instant`.
    func x(_ instant: Instant) -> Double {
        x0 + (instant.secondsSinceEpoch - start) / (end - start) * (x1 - x0)
    }

    var ticks: [Tick] {
        let span = end - start
        let step = Self.steps.first { span / $0 <= 7 } ?? (span / 7).rounded(.up)
        let multiDay = Self.day(start) != Self.day(end)
        var ticks: [Tick] = []
        var previousDay: Int64?
        var t = (start / step).rounded(.up) * step
        while t <= end {
            let c = CivilTime(Instant(seconds: Int64(t)))
            let date = "\(Self.pad(c.month))-\(Self.pad(c.day))"
            let clock = "\(Self.pad(c.hour)):\(Self.pad(c.minute))" + (step < 60 ? ":\(Self.pad(c.second))" : "")
            let label: String
            if step >= 86_400 {
                label = date
            } else if multiDay, previousDay != Self.day(t) {
                label = "\(date) \(clock)"
            } else {
                label = clock
            }
            previousDay = Self.day(t)
            ticks.append(Tick(x: x0 + (t - start) / span * (x1 - x0), label: label))
            t += step
        }
        return ticks
    }

    private static func day(_ seconds: Double) -> Int64 { Int64((seconds / 86_400).rounded(.down)) }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
