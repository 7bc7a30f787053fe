/// Renders a report as one self-contained HTML page: summary, findings, an SVG timeline, the
/// incidents with their evidence, and warnings.
///
/// The page loads nothing: its style and small script are inline and a Content-Security-Policy
/// forbids anything else. Every piece of bundle text is escaped (`HTMLEscaping`). Clicking a marker
/// on the timeline shows that incident's evidence under it; the same evidence is always listed in
/// the incidents table, so the printed page shows everything. Output is deterministic: no current
/// date, stable order.
public struct HTMLRenderer {
    /// How many warnings the page lists before pointing to the JSON report.
    private static let warningLimit = 200

    public init() {}

    public func render(_ report: Report) -> String {
        var out: [String] = []
        let title = "oomlens report: \(report.bundle.source)"
        out.append("<!DOCTYPE html>")
        out.append("<html lang=\"en\">")
        out.append("<head>")
        out.append("<meta charset=\"utf-8\">")
        out.append("<meta http-equiv=\"Content-Security-Policy\" content=\"\(HTMLAssets.contentSecurityPolicy)\">")
        out.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        out.append("<meta name=\"generator\" content=\"oomlens \(e(report.tool.version))\">")
        out.append("<title>\(e(title))</title>")
        out.append("<style>\n\(HTMLAssets.style)</style>")
        out.append("</head>")
        out.append("<body>")
        header(report, &out)
        summary(report, &out)
        findings(report, &out)
        timeline(report, &out)
        incidents(report, &out)
        warnings(report, &out)
        let commit = report.tool.commit.map { " (\(e($0)))" } ?? ""
        out.append("<footer>Generated offline by oomlens \(e(report.tool.version))\(commit). Times are UTC; ~ marks an inferred time.</footer>")
        out.append("<script>\n\(HTMLAssets.script)</script>")
        out.append("</body>")
        out.append("</html>")
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: Sections

    private func header(_ report: Report, _ out: inout [String]) {
        let b = report.bundle
        out.append("<header>")
        out.append("<h1>oomlens report</h1>")
        out.append("<p class=\"sub\"><code>\(e(b.source))</code> (\(e(b.format)))</p>")
        out.append("</header>")
        if !b.complete {
            out.append("<div class=\"banner\" role=\"alert\">Partial results: the bundle is damaged or a limit stopped reading, so some incidents may be missing. See the warnings below.</div>")
        }
    }

    private func summary(_ report: Report, _ out: inout [String]) {
        let b = report.bundle
        out.append("<section id=\"summary\">")
        out.append("<h2>Summary</h2>")
        out.append("<ul class=\"counts\">")
        for (kind, count) in report.countsByKind {
            out.append("<li class=\"count count-\(kind.rawValue)\"><span class=\"n\">\(count)</span><span class=\"kind kind-\(kind.rawValue)\">\(kind.rawValue)</span></li>")
        }
        out.append("</ul>")
        out.append("<dl class=\"facts\">")
        fact("Bundle", "<code>\(e(b.source))</code>", &out)
        fact("Format", e(b.format), &out)
        fact("Collected", report.collectedAt.map { RFC3339.format($0) } ?? "unknown", &out)
        fact("Files", "\(b.filesRead) read, \(b.filesRecognized) recognised, \(b.filesSkipped) skipped", &out)
        var bytes = "\(Quantity.format(b.bytesParsed)) parsed"
        if b.bytesSkipped > 0 { bytes += ", \(Quantity.format(b.bytesSkipped)) skipped" }
        fact("Bytes", bytes, &out)
        let reasons = b.skippedByReason.sorted { $0.key < $1.key }
        if !reasons.isEmpty {
            fact("Skipped", reasons.map { "\(e($0.key)) \($0.value)" }.joined(separator: ", "), &out)
        }
        let severities: [Finding.Severity] = [.critical, .warning, .info]
        let findingCounts = severities.map { s in "\(report.findings.filter { $0.severity == s }.count) \(s.rawValue)" }
        fact("Findings", findingCounts.joined(separator: ", "), &out)
        fact("Results", b.complete ? "complete" : "<strong>partial</strong>", &out)
        out.append("</dl>")
        out.append("</section>")
    }

    private func findings(_ report: Report, _ out: inout [String]) {
        out.append("<section id=\"findings\">")
        out.append("<h2>Findings</h2>")
        if report.findings.isEmpty { out.append("<p>No findings.</p>") }
        for f in report.findings {
            out.append("<article class=\"finding sev-\(f.severity.rawValue)\">")
            out.append("<h3><span class=\"sev\">\(f.severity.rawValue.uppercased())</span>\(e(f.title))</h3>")
            var meta = ["rule <code>\(e(f.rule))</code>"]
            let subject = subjectText(f.subject)
            if !subject.isEmpty { meta.append(subject) }
            if !f.incidents.isEmpty {
                meta.append("incidents " + f.incidents.map { "<a href=\"#\(e($0))\">\(e($0))</a>" }.joined(separator: ", "))
            }
            out.append("<p class=\"meta\">\(meta.joined(separator: " · "))</p>")
            out.append("<p>\(HTMLEscaping.escapeProse(f.explanation))</p>")
            out.append("<p><strong>What to change:</strong> \(HTMLEscaping.escapeProse(f.recommendation))</p>")
            if !f.commands.isEmpty {
                out.append("<pre class=\"commands\"><code>\(f.commands.map(e).joined(separator: "\n"))</code></pre>")
            }
            out.append("</article>")
        }
        out.append("</section>")
    }

    private func timeline(_ report: Report, _ out: inout [String]) {
        out.append("<section id=\"timeline\">")
        out.append("<h2>Timeline</h2>")
        guard !report.incidents.isEmpty else {
            out.append("<p>No incidents to draw.</p>")
            out.append("</section>")
            return
        }
        let svg = SVGTimeline(incidents: report.incidents)
        out.append("<figure>")
        out.append("<div class=\"timeline-wrap\">")
        out.append(svg.render())
        out.append("</div>")
        let times = report.incidents.compactMap { $0.time?.instant }
        var caption = "One lane per node and per container; times in UTC"
        if let first = times.min(), let last = times.max() {
            caption += first == last ? ", at \(RFC3339.format(first))" : ", from \(RFC3339.format(first)) to \(RFC3339.format(last))"
        }
        let unknown = report.incidents.count - times.count
        if unknown > 0 { caption += "; \(unknown) incident\(unknown == 1 ? "" : "s") without a time on the right" }
        out.append("<figcaption>\(caption). <span class=\"screen-only\">Hover over a marker for details; click it to list its evidence here.</span></figcaption>")
        out.append("</figure>")
        out.append("<div id=\"evidence-panel\" hidden>")
        out.append("<h3><span class=\"panel-title\"></span><button type=\"button\">Close</button></h3>")
        out.append("<div class=\"panel-body\"></div>")
        out.append("</div>")
        out.append("</section>")
    }

    private func incidents(_ report: Report, _ out: inout [String]) {
        guard !report.incidents.isEmpty else { return }
        out.append("<section id=\"incidents\">")
        out.append("<h2>Incidents (\(report.incidents.count))</h2>")
        out.append("<table>")
        out.append("<thead><tr><th>id</th><th>time (UTC)</th><th>kind</th><th>where</th><th>details</th><th>evidence</th></tr></thead>")
        out.append("<tbody>")
        for inc in report.incidents {
            let time = inc.time.map { RFC3339.format($0.instant) + ($0.inferred ? " ~" : "") } ?? "unknown"
            let summary = "\(inc.id) · \(inc.kind.rawValue) · \(time) · \(inc.subjectLabel)"
            out.append("<tr id=\"\(e(inc.id))\" data-summary=\"\(e(summary))\">")
            out.append("<td class=\"id\">\(e(inc.id))</td>")
            out.append("<td class=\"time\">\(time)</td>")
            out.append("<td><span class=\"kind kind-\(inc.kind.rawValue)\">\(inc.kind.rawValue)</span></td>")
            var place = "<strong>\(breakable(inc.subjectLabel))</strong>"
            if let node = inc.node, inc.namespace != nil || inc.pod != nil || inc.container != nil {
                place += "<br><span class=\"node\">node \(e(node))</span>"
            }
            if let workload = inc.workload { place += "<br><span class=\"node\">\(e(workload))</span>" }
            out.append("<td class=\"subject\">\(place)</td>")
            out.append("<td>\(details(inc).map(e).joined(separator: "<br>"))</td>")
            out.append("<td>\(evidenceList(inc))</td>")
            out.append("</tr>")
        }
        out.append("</tbody>")
        out.append("</table>")
        out.append("</section>")
    }

    private func warnings(_ report: Report, _ out: inout [String]) {
        let all = report.warnings
        guard !all.isEmpty else { return }
        out.append("<section id=\"warnings\">")
        out.append("<h2>Warnings and notes (\(all.count))</h2>")
        out.append("<ul class=\"warnings\">")
        for d in all.prefix(Self.warningLimit) {
            let place = d.file.map { "<code>\(e($0))\(d.line.map { ":\($0)" } ?? "")</code>: " } ?? ""
            out.append("<li><span class=\"w-\(d.severity.rawValue)\">\(d.severity.rawValue)</span> \(place)\(e(d.message))</li>")
        }
        if all.count > Self.warningLimit {
            out.append("<li>… \(all.count - Self.warningLimit) more in the JSON report.</li>")
        }
        out.append("</ul>")
        out.append("</section>")
    }

    // MARK: Pieces

    private func fact(_ name: String, _ valueHTML: String, _ out: inout [String]) {
        out.append("<dt>\(name)</dt><dd>\(valueHTML)</dd>")
    }

    /// The incident's evidence as a list with the id the page script copies from.
    private func evidenceList(_ inc: Incident) -> String {
        var items: [String] = []
        for ev in inc.evidence {
            var item = "<li><code>\(breakable(ev.file))\(ev.line.map { ":\($0)" } ?? "")</code> <span class=\"src\">\(ev.source.rawValue)</span> "
            if let stamp = ev.timeText { item += "<span class=\"stamp\">\(e(stamp))</span> " }
            item += e(ev.summary) + "</li>"
            items.append(item)
        }
        return "<ul class=\"evidence\" id=\"ev-\(e(inc.id))\">\(items.joined())</ul>"
    }

    /// Plain-text facts of an incident, one per line of its details cell.
    private func details(_ inc: Incident) -> [String] {
        var lines: [String] = []
        if let p = inc.process { lines.append("process \(p.name) (pid \(p.pid))") }
        if let m = inc.memory {
            if let v = m.anonRSSBytes { lines.append("anon RSS \(Quantity.format(v))") }
            if let v = m.usageBytes { lines.append("usage \(Quantity.format(v))") }
            if let v = m.limitBytes { lines.append("limit \(Quantity.format(v))") }
            if let v = m.requestBytes { lines.append("request \(Quantity.format(v))") }
        }
        if let v = inc.reason { lines.append("reason \(v)") }
        if let v = inc.exitCode { lines.append("exit code \(v)") }
        if let v = inc.resource { lines.append("resource \(v)") }
        if let v = inc.cause { lines.append("cause \(v)") }
        if let v = inc.constraint { lines.append(v + (inc.limitScope.map { " (\($0) limit)" } ?? "")) }
        if let v = inc.qosClass { lines.append("QoS \(v)") }
        return lines
    }

    private func subjectText(_ s: Finding.Subject) -> String {
        var parts: [String] = []
        if let v = s.namespace { parts.append("namespace \(e(v))") }
        if let v = s.workload { parts.append(e(v)) }
        if let v = s.pod { parts.append("pod \(e(v))") }
        if let v = s.container { parts.append("container \(e(v))") }
        if let v = s.node { parts.append("node \(e(v))") }
        return parts.joined(separator: ", ")
    }

    private func e(_ text: String) -> String { HTMLEscaping.escape(text) }

    /// Escaped text that may wrap after each `/` (paths, `namespace/pod/container`) in narrow columns.
    private func breakable(_ text: String) -> String {
        var out = ""
        for ch in e(text) {
            out.append(ch)
            if ch == "/" { out += "<wbr>" }
        }
        return out
    }
}
