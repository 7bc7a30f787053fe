/// Renders a report as GitHub-flavoured Markdown, ready to paste into a ticket: summary, findings
/// with commands in code blocks, an incidents table, and evidence in `<details>` blocks.
///
/// Every piece of bundle text is escaped, so a pod named `<script>` or a log line with Markdown
/// control characters shows as text.
public struct MarkdownRenderer {
    public init() {}

    public func render(_ report: Report) -> String {
        var out: [String] = []
        let b = report.bundle
        out.append("# oomlens report: \(Self.escape(b.source))")
        out.append("")
        out.append("- Bundle: `\(Self.code(b.source))` (\(b.format)), \(b.filesRead) file\(b.filesRead == 1 ? "" : "s") (\(b.filesRecognized) recognised, \(b.filesSkipped) skipped), \(Quantity.format(b.bytesParsed)) read")
        out.append("- Collected: \(report.collectedAt.map(RFC3339.format) ?? "unknown")")
        if !b.complete { out.append("- **Partial results:** the bundle is damaged or a limit stopped reading.") }
        out.append("- Incidents: " + report.countsByKind.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", "))
        out.append("- oomlens \(report.tool.version)")
        out.append("")
        if !report.findings.isEmpty {
            out.append("## Findings")
            out.append("")
            for f in report.findings {
                out.append("### \(f.severity.rawValue.uppercased()): \(Self.escape(f.title))")
                out.append("")
                out.append("Rule `\(f.rule)`\(f.incidents.isEmpty ? "" : " · incidents " + f.incidents.joined(separator: ", "))")
                out.append("")
                out.append(Self.escape(f.explanation))
                out.append("")
                out.append("**What to change:** \(Self.escape(f.recommendation))")
                if !f.commands.isEmpty {
                    out.append("")
                    out.append("```sh")
                    out.append(contentsOf: f.commands.map(Self.fence))
                    out.append("```")
                }
                out.append("")
            }
        }
        if !report.incidents.isEmpty {
            out.append("## Incidents")
            out.append("")
            out.append("| id | time (UTC) | kind | node | namespace/pod/container | details |")
            out.append("| --- | --- | --- | --- | --- | --- |")
            for inc in report.incidents {
                let time = inc.time.map { RFC3339.format($0.instant) + ($0.inferred ? " (inferred)" : "") } ?? "unknown"
                var details: [String] = []
                if let p = inc.process { details.append("\(p.name) pid \(p.pid)") }
                if let l = inc.memory?.limitBytes { details.append("limit \(Quantity.format(l))") }
                if let r = inc.memory?.anonRSSBytes { details.append("anon-rss \(Quantity.format(r))") }
                if let c = inc.exitCode { details.append("exit \(c)") }
                if let c = inc.cause { details.append(c) }
                if let r = inc.resource { details.append(r) }
                out.append("| \(inc.id) | \(time) | \(inc.kind.rawValue) | \(Self.cell(inc.node ?? "")) | \(Self.cell(inc.subjectLabel)) | \(Self.cell(details.joined(separator: ", "))) |")
            }
            out.append("")
            out.append("### Evidence")
            out.append("")
            for inc in report.incidents {
                out.append("<details><summary>\(inc.id): \(Self.html(inc.subjectLabel)) (\(inc.evidence.count) records)</summary>")
                out.append("")
                for e in inc.evidence {
                    out.append("- `\(Self.code(e.file))\(e.line.map { ":\($0)" } ?? "")` (\(e.source.rawValue)) \(Self.escape(e.summary))")
                }
                out.append("")
                out.append("</details>")
                out.append("")
            }
        }
        let warnings = report.warnings
        if !warnings.isEmpty {
            out.append("## Warnings and notes")
            out.append("")
            for d in warnings {
                out.append("- \(d.severity.rawValue): \(d.file.map { "`\(Self.code($0))` " } ?? "")\(Self.escape(d.message))")
            }
            out.append("")
        }
        return out.joined(separator: "\n")
    }

    /// Escapes Markdown and HTML control characters in running text.
    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text.withoutControlCharacters {
            switch ch {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\\", "`", "*", "_", "[", "]", "#", "|", "!": out += "\\\(ch)"
            case "\n", "\r": out += " "
            default: out.append(ch)
            }
        }
        return out
    }

    /// Text inside a table cell.
    static func cell(_ text: String) -> String { escape(text) }

    /// Text inside an inline code span: backticks cannot be escaped there, so they are replaced.
    static func code(_ text: String) -> String {
        String(text.withoutControlCharacters.map { $0 == "`" ? "'" : ($0 == "\n" ? " " : $0) })
    }

    /// Text inside HTML (`<summary>`).
    static func html(_ text: String) -> String {
        var out = ""
        for ch in text.withoutControlCharacters {
            switch ch {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// A line inside a fenced code block: a fence in the text would end the block.
    static func fence(_ text: String) -> String {
        String(text.withoutControlCharacters.map { $0 == "`" ? "'" : ($0 == "\n" ? " " : $0) })
    }
}
