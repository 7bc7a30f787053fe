import ArgumentParser
import Foundation
import OOMLens

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `oomlens merge`: joins the output folders of sharded `oomlens batch` runs into one — one index
/// (the newest line per bundle of each, the best result where shards overlap), the reports, and a
/// summary recomputed from them.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the output folders of sharded batch runs into one index, reports and summary.",
        discussion: """
            Writes OUT/index.jsonl (replacing it) with one line per bundle, sorted by path, copies each \
            bundle's reports into OUT/reports, and recomputes OUT/summary.md and OUT/summary.json. OUT may \
            be one of the folders. Exit status: 0 merged; 3 a folder or report could not be read (the \
            rest is merged); 1 OUT could not be written.
            """)

    @Argument(help: "Output folders of oomlens batch (one per shard).")
    var directories: [String]

    @Option(name: .long, help: "The merged folder (created when missing).")
    var out: String

    func run() throws {
        let target = BatchLayout(root: out)
        try target.create()
        var sources: [BatchLayout] = []
        var indexes: [BatchIndex] = []
        var problems = 0
        for directory in directories {
            let layout = BatchLayout(root: directory)
            guard FileManager.default.fileExists(atPath: layout.index) else {
                Progress.write("oomlens merge: \(directory): no index.jsonl, skipped\n")
                problems += 1
                continue
            }
            do throws(BatchError) {
                let index = try layout.loadIndex()
                if index.tornLastLine { Progress.write("oomlens merge: \(layout.index): last line cut short, ignored\n") }
                sources.append(layout)
                indexes.append(index)
            } catch {
                Progress.write("oomlens merge: \(error.message)\n")
                problems += 1
            }
        }
        let merged = BatchIndex.merged(indexes)
        for item in merged {
            let source = sources[item.source]
            for relative in item.entry.reports {
                let from = source.path(relative), to = target.path(relative)
                if Self.sameFile(from, to) { continue }
                do {
                    if FileManager.default.fileExists(atPath: to) { try FileManager.default.removeItem(atPath: to) }
                    try FileManager.default.copyItem(atPath: from, toPath: to)
                } catch {
                    Progress.write("oomlens merge: cannot copy \(from): \(error.localizedDescription)\n")
                    problems += 1
                }
            }
        }
        let entries = merged.map(\.entry)
        try BatchIndexWriter.writeIndex(entries, to: target.index)
        let summary = BatchSummary.build(entries: entries, directory: target.root)
        try Output.write(summary.json(), to: target.summaryJSON)
        try Output.write(BatchSummaryRenderer.markdown(summary), to: target.summaryMarkdown)
        let t = summary.totals
        Progress.write("oomlens merge: \(t.bundles) bundle\(t.bundles == 1 ? "" : "s") from \(sources.count) folder\(sources.count == 1 ? "" : "s") (\(t.ok) ok, \(t.partial) partial, \(t.failed) failed) into \(target.root)\n")
        if problems > 0 { throw ExitCode(3) }
    }

    /// True when both paths name the same existing file (merging a folder into itself).
    static func sameFile(_ a: String, _ b: String) -> Bool {
        var x = stat(), y = stat()
        guard stat(a, &x) == 0, stat(b, &y) == 0 else { return false }
        return x.st_dev == y.st_dev && x.st_ino == y.st_ino
    }
}
