/// Renders `oomlens inventory`: every member with its size and what it was recognised as.
public enum InventoryRenderer {
    public static func text(_ summary: BundleSummary, lines: [String: Int]) -> String {
        var out: [String] = []
        out.append("\(summary.source) (\(summary.format))\(summary.complete ? "" : " — PARTIAL: damaged or cut short")")
        let width = Swift.min(70, summary.entries.map(\.path.count).max() ?? 10)
        for e in summary.entries {
            let size = e.kind != nil ? Quantity.format(e.bytesParsed) : e.declaredSize.map(Quantity.format) ?? "-"
            let what = e.kind.map { $0.rawValue + (lines[e.path].map { ", \($0) lines" } ?? "") } ?? "skipped: \(e.skipReason ?? "?")"
            out.append("\(e.path.padding(width))  \(size.padding(8))  \(what)\(e.damaged ? " (damaged)" : "")")
        }
        out.append("")
        out.append("\(summary.filesRead) files: \(summary.filesRecognized) recognised, \(summary.filesSkipped) skipped; \(summary.bytesParsed) bytes read, \(summary.bytesSkipped) bytes skipped")
        for (reason, count) in summary.skippedByReason.sorted(by: { $0.key < $1.key }) {
            out.append("  skipped \(count): \(reason)")
        }
        for w in summary.warnings {
            out.append("\(w.severity.rawValue): \(w.file.map { "\($0): " } ?? "")\(w.message)")
        }
        return out.joined(separator: "\n") + "\n"
    }

    public static func json(_ summary: BundleSummary, lines: [String: Int]) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.string("source", summary.source)
        w.string("format", summary.format)
        w.bool("complete", summary.complete)
        w.beginArray("members")
        for e in summary.entries {
            w.beginObject()
            w.string("path", e.path)
            w.int("declaredSize", e.declaredSize)
            w.int("bytes", e.bytesParsed)
            w.int("lines", lines[e.path])
            w.string("kind", e.kind?.rawValue)
            w.string("skipped", e.skipReason)
            w.string("node", e.node)
            w.bool("damaged", e.damaged)
            w.endObject()
        }
        w.endArray()
        w.beginArray("warnings")
        for d in summary.warnings {
            w.beginObject()
            w.string("file", d.file)
            w.string("message", d.message)
            w.string("severity", d.severity.rawValue)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.output + "\n"
    }
}
