/// Draws a report's incidents as inline SVG: one lane per node and per pod/container, one marker
/// per incident on a UTC time axis, and a legend.
///
/// Each marker is a `<g class="marker" data-incident="inc-N" data-kind="KIND">` holding an SVG
/// `<title>` (the hover tooltip: time, subject, process, memory, evidence) and the kind's shape:
/// a circle for `oom-kill`, a diamond for `node-oom`, a triangle for `eviction`, a square for
/// `restart`; hollow when the time was inferred. Kills carry a small `RSS / limit` label where the
/// sources gave the figures. Incidents without a time sit in a "time unknown" column on the right.
/// Every piece of bundle text goes through `HTMLEscaping`.
struct SVGTimeline {
    /// One horizontal lane: a node (its node-level incidents) or one pod/container on it.
    struct Lane {
        var label: String
        var isNode: Bool
        var incidents: [Incident]
    }

    let incidents: [Incident]

    private static let width = 1000.0
    private static let plotStart = 300.0
    private static let plotEnd = 975.0
    /// Where the plot ends when a "time unknown" column is needed, and that column's start.
    private static let plotEndBeforeUnknown = 880.0
    private static let unknownStart = 905.0
    private static let laneTop = 64.0
    private static let laneHeight = 34.0
    /// The narrowest gap between two memory labels in one lane before the second is left out.
    private static let labelGap = 92.0
    /// How many characters a lane label keeps before it is shortened in the middle.
    private static let labelLimit = 40
    /// How many evidence records a tooltip lists.
    private static let tooltipEvidence = 6

    init(incidents: [Incident]) {
        self.incidents = incidents
    }

    /// The lanes, grouped by node (names sorted, unknown last): the node's own lane first, then its
    /// pods' containers sorted by `namespace/pod/container`.
    var lanes: [Lane] {
        var nodeIncidents: [String: [Incident]] = [:]
        var podIncidents: [String: [String: [Incident]]] = [:]
        for inc in incidents {
            let node = inc.node ?? ""
            if inc.namespace == nil, inc.pod == nil, inc.container == nil {
                nodeIncidents[node, default: []].append(inc)
            } else {
                podIncidents[node, default: [:]][inc.subjectLabel, default: []].append(inc)
            }
        }
        let nodes = Set(nodeIncidents.keys).union(podIncidents.keys).sorted { a, b in
            a.isEmpty != b.isEmpty ? !a.isEmpty : a < b
        }
        var lanes: [Lane] = []
        for node in nodes {
            lanes.append(Lane(label: node.isEmpty ? "node unknown" : "node \(node)", isNode: true,
                              incidents: nodeIncidents[node] ?? []))
            let pods = podIncidents[node] ?? [:]
            for label in pods.keys.sorted() {
                lanes.append(Lane(label: label, isNode: false, incidents: pods[label] ?? []))
            }
        }
        return lanes
    }

    /// The axis the known times are drawn on.
    var axis: TimeAxis {
        let hasUnknown = incidents.contains { $0.time == nil }
        return TimeAxis(covering: incidents.compactMap { $0.time?.instant }, from: Self.plotStart,
                        to: hasUnknown ? Self.plotEndBeforeUnknown : Self.plotEnd)
    }

    func render() -> String {
        let lanes = self.lanes
        let axis = self.axis
        let hasKnown = incidents.contains { $0.time != nil }
        let hasUnknown = incidents.contains { $0.time == nil }
        let bottom = Self.laneTop + Double(lanes.count) * Self.laneHeight
        let height = bottom + 12
        var out: [String] = []
        out.append("<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(n(Self.width)) \(n(height))\" width=\"\(n(Self.width))\" height=\"\(n(height))\" role=\"group\" aria-labelledby=\"timeline-title\">")
        out.append("<title id=\"timeline-title\">Incidents by node and container over time (UTC)</title>")
        legend(&out)
        for (i, lane) in lanes.enumerated() {
            let top = Self.laneTop + Double(i) * Self.laneHeight
            let fill = lane.isNode ? "#e9edf3" : (i % 2 == 0 ? "#f7f8fa" : "#ffffff")
            out.append("<rect class=\"lane-bg\" x=\"0\" y=\"\(n(top))\" width=\"\(n(Self.width))\" height=\"\(n(Self.laneHeight))\" fill=\"\(fill)\"/>")
            if lane.isNode, i > 0 {
                out.append("<line x1=\"0\" y1=\"\(n(top))\" x2=\"\(n(Self.width))\" y2=\"\(n(top))\" stroke=\"#b8c0cc\"/>")
            }
        }
        if hasKnown {
            for tick in axis.ticks {
                out.append("<line class=\"tick\" x1=\"\(n(tick.x))\" y1=\"\(n(Self.laneTop - 6))\" x2=\"\(n(tick.x))\" y2=\"\(n(bottom))\" stroke=\"#c9d0da\" stroke-dasharray=\"3 3\"/>")
                out.append("<text class=\"tick-label\" x=\"\(n(tick.x))\" y=\"\(n(Self.laneTop - 10))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#4a5261\">\(tick.label)</text>")
            }
        }
        if hasUnknown {
            let x = Self.unknownStart - 12
            out.append("<line x1=\"\(n(x))\" y1=\"\(n(Self.laneTop - 18))\" x2=\"\(n(x))\" y2=\"\(n(bottom))\" stroke=\"#8a93a3\" stroke-dasharray=\"5 3\"/>")
            out.append("<text x=\"\(n((Self.unknownStart + Self.width) / 2 - 6))\" y=\"\(n(Self.laneTop - 10))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#4a5261\">time unknown</text>")
        }
        out.append("<line x1=\"\(n(Self.plotStart - 10))\" y1=\"\(n(Self.laneTop))\" x2=\"\(n(Self.plotStart - 10))\" y2=\"\(n(bottom))\" stroke=\"#8a93a3\"/>")
        for (i, lane) in lanes.enumerated() {
            let top = Self.laneTop + Double(i) * Self.laneHeight
            laneLabel(lane, top: top, &out)
            var lastLabelX = -Double.infinity
            var unknownCount = 0
            for inc in lane.incidents {
                let x: Double
                if let time = inc.time {
                    x = axis.x(time.instant)
                } else {
                    x = Swift.min(Self.unknownStart + 10 + Double(unknownCount) * 16, Self.width - 12)
                    unknownCount += 1
                }
                var label = memoryLabel(inc)
                if label != nil {
                    if x - lastLabelX < Self.labelGap { label = nil } else { lastLabelX = x }
                }
                marker(inc, x: x, top: top, label: label, &out)
            }
        }
        out.append("</svg>")
        return out.joined(separator: "\n")
    }

    // MARK: Pieces

    private func legend(_ out: inout [String]) {
        out.append("<g class=\"legend\" font-size=\"12\" fill=\"#1d2330\">")
        var x = 14.0
        let y = 20.0
        for kind in Incident.Kind.allCases {
            out.append(Self.shape(kind, x: x, y: y, inferred: false))
            out.append("<text x=\"\(n(x + 14))\" y=\"\(n(y + 4))\">\(kind.rawValue)</text>")
            x += 105
        }
        out.append(Self.shape(.oomKill, x: x, y: y, inferred: true))
        out.append("<text x=\"\(n(x + 14))\" y=\"\(n(y + 4))\">time inferred</text>")
        x += 120
        out.append("<text x=\"\(n(x))\" y=\"\(n(y + 4))\" fill=\"#4a5261\">labels: RSS / memory limit at the kill</text>")
        out.append("</g>")
    }

    private func laneLabel(_ lane: Lane, top: Double, _ out: inout [String]) {
        let shown = Self.shorten(lane.label)
        let x = lane.isNode ? 10.0 : 24.0
        let weight = lane.isNode ? " font-weight=\"600\"" : ""
        out.append("<text class=\"lane-label\" x=\"\(n(x))\" y=\"\(n(top + 22))\" font-size=\"12\"\(weight) fill=\"#1d2330\"><title>\(HTMLEscaping.escape(lane.label))</title>\(HTMLEscaping.escape(shown))</text>")
    }

    private func marker(_ inc: Incident, x: Double, top: Double, label: String?, _ out: inout [String]) {
        let y = top + 21
        let id = HTMLEscaping.escape(inc.id)
        let aria = HTMLEscaping.escape("\(inc.id) \(inc.kind.rawValue) \(inc.subjectLabel)")
        out.append("<g class=\"marker\" data-incident=\"\(id)\" data-kind=\"\(inc.kind.rawValue)\" tabindex=\"0\" role=\"button\" aria-label=\"\(aria)\">")
        out.append("<title>\(HTMLEscaping.escape(tooltip(inc)))</title>")
        out.append(Self.shape(inc.kind, x: x, y: y, inferred: inc.time?.inferred ?? false))
        if let label {
            out.append("<text class=\"memory-label\" x=\"\(n(x))\" y=\"\(n(y - 11))\" text-anchor=\"middle\" font-size=\"10\" fill=\"#4a5261\">\(HTMLEscaping.escape(label))</text>")
        }
        out.append("</g>")
    }

    /// The tooltip text: what, when, who, and the first pieces of evidence.
    private func tooltip(_ inc: Incident) -> String {
        var lines: [String] = []
        let time = inc.time.map { RFC3339.format($0.instant) + ($0.inferred ? " (inferred)" : "") } ?? "time unknown"
        lines.append("\(inc.id) · \(inc.kind.rawValue) · \(time)")
        var subject = inc.subjectLabel
        if let node = inc.node, inc.namespace != nil || inc.pod != nil || inc.container != nil { subject += " on node \(node)" }
        lines.append(subject)
        if let p = inc.process { lines.append("process \(p.name) (pid \(p.pid))") }
        if let m = inc.memory {
            var parts: [String] = []
            if let v = m.limitBytes { parts.append("limit \(Quantity.format(v))") }
            if let v = m.anonRSSBytes { parts.append("anon RSS \(Quantity.format(v))") }
            if let v = m.usageBytes { parts.append("usage \(Quantity.format(v))") }
            if let v = m.requestBytes { parts.append("request \(Quantity.format(v))") }
            if !parts.isEmpty { lines.append("memory: " + parts.joined(separator: ", ")) }
        }
        var facts: [String] = []
        if let v = inc.reason { facts.append("reason \(v)") }
        if let v = inc.exitCode { facts.append("exit \(v)") }
        if let v = inc.resource { facts.append("resource \(v)") }
        if let v = inc.cause { facts.append("cause \(v)") }
        if !facts.isEmpty { lines.append(facts.joined(separator: " · ")) }
        lines.append("evidence (\(inc.evidence.count)):")
        for e in inc.evidence.prefix(Self.tooltipEvidence) {
            lines.append("  \(e.file)\(e.line.map { ":\($0)" } ?? "") (\(e.source.rawValue)) \(e.summary)")
        }
        if inc.evidence.count > Self.tooltipEvidence {
            lines.append("  … \(inc.evidence.count - Self.tooltipEvidence) more")
        }
        lines.append("Click for the evidence list.")
        return lines.joined(separator: "\n")
    }

    /// `250Mi / 256Mi` (RSS / limit) for kills, as far as the sources gave them.
    private func memoryLabel(_ inc: Incident) -> String? {
        guard inc.kind == .oomKill || inc.kind == .nodeOOM, let m = inc.memory else { return nil }
        let used = m.anonRSSBytes ?? m.usageBytes
        switch (used, m.limitBytes) {
        case let (used?, limit?): return "\(Quantity.format(used)) / \(Quantity.format(limit))"
        case let (nil, limit?): return "limit \(Quantity.format(limit))"
        case let (used?, nil): return "RSS \(Quantity.format(used))"
        case (nil, nil): return nil
        }
    }

    /// The kind's marker shape centred on (x, y).
    private static func shape(_ kind: Incident.Kind, x: Double, y: Double, inferred: Bool) -> String {
        let color = self.color(kind)
        let paint = inferred
            ? "fill=\"#ffffff\" stroke=\"\(color)\" stroke-width=\"2\""
            : "fill=\"\(color)\" stroke=\"#ffffff\" stroke-width=\"1\""
        switch kind {
        case .oomKill:
            return "<circle class=\"shape\" cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"7\" \(paint)/>"
        case .nodeOOM:
            return "<path class=\"shape\" d=\"M\(n(x)) \(n(y - 9))L\(n(x + 9)) \(n(y))L\(n(x)) \(n(y + 9))L\(n(x - 9)) \(n(y))Z\" \(paint)/>"
        case .eviction:
            return "<path class=\"shape\" d=\"M\(n(x)) \(n(y - 8))L\(n(x + 8)) \(n(y + 7))L\(n(x - 8)) \(n(y + 7))Z\" \(paint)/>"
        case .restart:
            return "<rect class=\"shape\" x=\"\(n(x - 6))\" y=\"\(n(y - 6))\" width=\"12\" height=\"12\" \(paint)/>"
        }
    }

    /// The kind's colour, shared with the page's stylesheet.
    static func color(_ kind: Incident.Kind) -> String {
        switch kind {
        case .oomKill: "#e8590c"
        case .nodeOOM: "#c2255c"
        case .eviction: "#7048e8"
        case .restart: "#1971c2"
        }
    }

    /// A lane label short enough for the label column, shortened in the middle.
    static func shorten(_ label: String) -> String {
        guard label.count > labelLimit else { return label }
        let head = labelLimit / 2 - 1
        return String(label.prefix(head)) + "…" + String(label.suffix(labelLimit - head - 1))
    }
}

/// A coordinate with at most one decimal, without a trailing `.0`.
private func n(_ value: Double) -> String {
    let rounded = (value * 10).rounded() / 10
    if rounded == rounded.rounded() { return String(Int(rounded)) }
    return String(rounded)
}
