/// Renders a report for a terminal: a one-screen summary first, then incidents grouped by workload,
/// then findings with their recommendations. Readable at 80 columns; colour only when asked.
public struct TextRenderer {
    public var useColor: Bool
    public var width: Int

    public init(useColor: Bool = false, width: Int = 80) {
        self.useColor = useColor
        self.width = width
    }

    public func render(_ report: Report) -> String {
        var out: [String] = []
        header(report, &out)
        summary(report, &out)
        incidents(report, &out)
        findings(report, &out)
        warnings(report, &out)
        return out.joined(separator: "\n") + "\n"
    }

    /// Bundle text made safe for a terminal.
    private func safe(_ text: String) -> String { text.withoutControlCharacters }

    // MARK: Sections

    private func header(_ report: Report, _ out: inout [String]) {
        let b = report.bundle
        out.append(bold("oomlens \(report.tool.version)") + " · \(safe(b.source)) (\(b.format))")
        let collected = report.collectedAt.map { "collected \(RFC3339.format($0))" } ?? "collection time unknown"
        out.append("\(b.filesRead) files read, \(b.filesRecognized) recognised, \(b.filesSkipped) skipped · \(Quantity.format(b.bytesParsed)) parsed · \(collected)")
        if !b.complete {
            out.append(color("PARTIAL RESULTS: the bundle is damaged or a limit stopped reading (see warnings).", .red))
        }
        out.append("")
    }

    private func summary(_ report: Report, _ out: inout [String]) {
        out.append(bold("Summary"))
        let counts = report.countsByKind.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: " · ")
        out.append("  Incidents: \(counts)")
        let worst = report.findings.filter { $0.rule != "evidence-gaps" }.prefix(5)
        if worst.isEmpty {
            out.append("  No findings.")
        } else {
            for f in worst {
                let line = "\(severityLabel(f.severity)) \(safe(f.title))"
                out.append(contentsOf: TextWrapper.wrap(line, width: width, indent: "  ").enumerated().map { $0.offset == 0 ? $0.element : "  " + $0.element })
            }
            if report.findings.count > worst.count + (report.findings.contains { $0.rule == "evidence-gaps" } ? 1 : 0) {
                out.append("  … and more below.")
            }
        }
        if let gaps = report.findings.first(where: { $0.rule == "evidence-gaps" }) {
            out.append("  Cannot show:")
            out.append(contentsOf: TextWrapper.wrap(safe(gaps.explanation), width: width, indent: "    "))
        }
        out.append("")
    }

    private func incidents(_ report: Report, _ out: inout [String]) {
        guard !report.incidents.isEmpty else { return }
        out.append(bold("Incidents by workload"))
        var groups: [String: [Incident]] = [:]
        var order: [String] = []
        for inc in report.incidents {
            let key: String
            if let ns = inc.namespace {
                key = "\(ns)/\(inc.workload ?? inc.pod ?? "?")"
            } else {
                key = "node \(inc.node ?? "?")"
            }
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(inc)
        }
        for key in order {
            guard let list = groups[key] else { continue }
            out.append("  " + bold(safe(key)))
            for inc in list {
                out.append("    \(inc.id)  \(time(inc.time))  \(kindLabel(inc.kind))  \(safe(describe(inc)))")
                let evidence = Self.shownEvidence(inc.evidence).map { "\(safe($0.file))\($0.line.map { ":\($0)" } ?? "") (\($0.source.rawValue))" }
                let more = inc.evidence.count > evidence.count ? " +\(inc.evidence.count - evidence.count) more" : ""
                out.append(contentsOf: TextWrapper.wrap("evidence: " + evidence.joined(separator: ", ") + more, width: width, indent: "        "))
            }
        }
        out.append("")
    }

    /// The `limit` records an incident's line cites: one of each source first, the strongest first
    /// (the kernel's kill, the application's own error, the kubelet, the runtime, then the API's
    /// views of it), then the others in that order. An incident's evidence is in file order, in
    /// which the kernel's record, the one its figures come from, often came fifth.
    static func shownEvidence(_ evidence: [Incident.Evidence], limit: Int = 4) -> [Incident.Evidence] {
        func rank(_ source: EvidenceSource) -> Int {
            switch source {
            case .kernel: 0
            case .containerLog: 1
            case .kubelet: 2
            case .containerd, .crio, .docker: 3
            case .systemd: 4
            case .podStatus: 5
            case .describe: 6
            case .event: 7
            case .kubectlGet: 8
            case .cgroup: 9
            case .metadata: 10
            }
        }
        let ranked = evidence.indices.sorted { (rank(evidence[$0].source), $0) < (rank(evidence[$1].source), $1) }
        var shown: [Int] = []
        var sources = Set<EvidenceSource>()
        for i in ranked where shown.count < limit && sources.insert(evidence[i].source).inserted { shown.append(i) }
        for i in ranked where shown.count < limit && !shown.contains(i) { shown.append(i) }
        shown.sort { (rank(evidence[$0].source), $0) < (rank(evidence[$1].source), $1) }
        return shown.map { evidence[$0] }
    }

    private func findings(_ report: Report, _ out: inout [String]) {
        guard !report.findings.isEmpty else { return }
        out.append(bold("Findings"))
        for f in report.findings {
            out.append(contentsOf: TextWrapper.wrap("\(severityLabel(f.severity)) \(safe(f.title))  [\(f.rule)]", width: width, indent: "  "))
            if !f.incidents.isEmpty {
                out.append("      incidents: \(f.incidents.joined(separator: ", "))")
            }
            out.append(contentsOf: TextWrapper.wrap(safe(f.explanation), width: width, indent: "      "))
            out.append(contentsOf: TextWrapper.wrap("→ " + safe(f.recommendation), width: width, indent: "      "))
            for c in f.commands { out.append("        $ " + safe(c)) }
            out.append("")
        }
    }

    private func warnings(_ report: Report, _ out: inout [String]) {
        let all = report.warnings
        guard !all.isEmpty else { return }
        out.append(bold("Warnings and notes (\(all.count))"))
        for d in all.prefix(30) {
            let place = d.file.map { "\(safe($0))\(d.line.map { ":\($0)" } ?? ""): " } ?? ""
            out.append(contentsOf: TextWrapper.wrap("\(d.severity.rawValue): \(place)\(safe(d.message))", width: width, indent: "  "))
        }
        if all.count > 30 { out.append("  … \(all.count - 30) more in the JSON report.") }
    }

    // MARK: Pieces

    private func describe(_ inc: Incident) -> String {
        var parts: [String] = []
        if let c = inc.container { parts.append(c) } else if let p = inc.pod { parts.append(p) }
        if let p = inc.process { parts.append("\(p.name) pid \(p.pid)") }
        if let m = inc.memory {
            let used = m.anonRSSBytes ?? m.usageBytes
            if let used, let limit = m.limitBytes {
                parts.append("\(Quantity.format(used)) of \(Quantity.format(limit))")
            } else if let limit = m.limitBytes {
                parts.append("limit \(Quantity.format(limit))")
            }
        }
        if let r = inc.resource, inc.kind == .eviction { parts.append(r) }
        if let cause = inc.cause { parts.append(cause) } else if let code = inc.exitCode, inc.kind == .restart { parts.append("exit \(code)") }
        if inc.kind == .restart, inc.cause == "node reboot" { parts.append("\(inc.evidence.count) records") }
        // An incident known only from a record that names nothing above (a kernel OOM report whose kill
        // line is missing) says what that record says rather than nothing.
        if parts.isEmpty, let first = inc.evidence.first { parts.append(first.summary) }
        return parts.joined(separator: " · ")
    }

    private func time(_ t: ResolvedTime?) -> String {
        guard let t else { return "time unknown        " }
        let c = CivilTime(t.instant)
        func p(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(c.year ?? 0)-\(p(c.month))-\(p(c.day)) \(p(c.hour)):\(p(c.minute)):\(p(c.second))Z\(t.inferred ? "~" : " ")"
    }

    private func kindLabel(_ kind: Incident.Kind) -> String {
        let label = kind.rawValue.padding(8)
        switch kind {
        case .nodeOOM: return color(label, .red)
        case .oomKill: return color(label, .yellow)
        case .eviction: return color(label, .magenta)
        case .restart: return color(label, .cyan)
        }
    }

    private func severityLabel(_ s: Finding.Severity) -> String {
        switch s {
        case .critical: return color("CRITICAL", .red)
        case .warning: return color("WARNING ", .yellow)
        case .info: return color("INFO    ", .cyan)
        }
    }

    private enum ANSI: String {
        case red = "31", yellow = "33", magenta = "35", cyan = "36", bold = "1"
    }

    private func color(_ text: String, _ code: ANSI) -> String {
        useColor ? "\u{1B}[\(code.rawValue)m\(text)\u{1B}[0m" : text
    }

    private func bold(_ text: String) -> String { color(text, .bold) }
}

extension String {
    /// Pads with spaces to at least `width` characters.
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
