/// Renders a `BatchSummary` as `summary.md`: totals, incidents per day, the most-hit workloads,
/// namespaces, images and nodes, findings by rule, recurring findings and the bundles that were not
/// analysed completely. Long tables are cut, pointing to `summary.json`, which has every row.
public enum BatchSummaryRenderer {
    /// Rows shown per ranking table.
    static let topRows = 20
    /// Rows shown in the per-day and problem tables.
    static let longRows = 100

    public static func markdown(_ s: BatchSummary) -> String {
        var out: [String] = []
        let kinds = ReportDigest.Incident.allKinds
        let t = s.totals
        out.append("# oomlens batch summary")
        out.append("")
        out.append("- Bundles: \(t.bundles) (\(t.ok) ok, \(t.partial) partial, \(t.failed) failed), \(Quantity.format(t.bytes)) on disk")
        out.append("- Incidents: " + kinds.map { "\(t.incidents[$0] ?? 0) \($0)" }.joined(separator: ", "))
        out.append("- Reports by: " + (s.toolVersions.isEmpty ? "none" : s.toolVersions.map { "oomlens \($0)" }.joined(separator: ", ")))
        out.append("")

        out.append("## Incidents per day (UTC)")
        out.append("")
        if s.incidentsByDay.isEmpty {
            out.append("No incidents.")
        } else {
            out.append("| day | " + kinds.joined(separator: " | ") + " |")
            out.append("| --- |" + String(repeating: " ---: |", count: kinds.count))
            for day in s.incidentsByDay.prefix(longRows) {
                out.append("| \(day.day) | " + kinds.map { String(day.incidents[$0] ?? 0) }.joined(separator: " | ") + " |")
            }
            more(s.incidentsByDay.count, longRows, &out)
        }
        out.append("")

        ranking("Workloads", "workload", s.workloads, &out)
        ranking("Namespaces", "namespace", s.namespaces, &out)
        if s.images.isEmpty {
            out.append("## Images")
            out.append("")
            out.append("Not known: the reports do not name container images.")
            out.append("")
        } else {
            ranking("Images", "image", s.images, &out)
        }
        ranking("Nodes", "node", s.nodes, &out)

        out.append("## Findings by rule")
        out.append("")
        if s.findingsByRule.isEmpty {
            out.append("No findings.")
        } else {
            out.append("| rule | severity | bundles |")
            out.append("| --- | --- | ---: |")
            for r in s.findingsByRule { out.append("| `\(r.rule)` | \(r.severity) | \(r.bundles) |") }
        }
        out.append("")

        out.append("## Recurring findings")
        out.append("")
        if s.recurringFindings.isEmpty {
            out.append("No finding about the same subject in two or more bundles.")
        } else {
            out.append("| rule | subject | bundles | example |")
            out.append("| --- | --- | ---: | --- |")
            for f in s.recurringFindings.prefix(longRows) {
                out.append("| `\(f.rule)` | \(MarkdownRenderer.cell(f.subject)) | \(f.bundles.count) | \(MarkdownRenderer.cell(f.title)) |")
            }
            more(s.recurringFindings.count, longRows, &out)
        }
        out.append("")

        if !s.problems.isEmpty {
            out.append("## Bundles not analysed completely")
            out.append("")
            out.append("| bundle | status | reason |")
            out.append("| --- | --- | --- |")
            for p in s.problems.prefix(longRows) {
                out.append("| \(MarkdownRenderer.cell(p.id)) | \(p.status.rawValue) | \(MarkdownRenderer.cell(p.error ?? "")) |")
            }
            more(s.problems.count, longRows, &out)
            out.append("")
        }
        return out.joined(separator: "\n")
    }

    private static func ranking(_ title: String, _ column: String, _ rows: [BatchSummary.Ranked], _ out: inout [String]) {
        out.append("## \(title) by OOM kills and evictions")
        out.append("")
        if rows.isEmpty {
            out.append("None.")
        } else {
            out.append("| \(column) | OOM kills | node OOM kills | evictions | bundles |")
            out.append("| --- | ---: | ---: | ---: | ---: |")
            for r in rows.prefix(topRows) {
                out.append("| \(MarkdownRenderer.cell(r.name)) | \(r.oomKills) | \(r.nodeOOMKills) | \(r.evictions) | \(r.bundles) |")
            }
            more(rows.count, topRows, &out)
        }
        out.append("")
    }

    private static func more(_ total: Int, _ shown: Int, _ out: inout [String]) {
        if total > shown { out.append("\n… and \(total - shown) more in `summary.json`.") }
    }
}
