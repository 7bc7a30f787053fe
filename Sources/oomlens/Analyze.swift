import ArgumentParser
import Foundation
import OOMLens

/// `oomlens analyze`: the full report.
struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        // Named here, as every command is: without it swift-argument-parser derives the name from the
        // type's name (`String(describing:)`), a runtime look-up through every conformance record of
        // the binary on each run (about 0.5 ms of `oomlens analyze`'s start).
        commandName: "analyze",
        abstract: "Analyse a bundle and report incidents and findings.",
        discussion: """
            Exit status: 0 analysed completely; 1 incidents of a --fail-on kind were found; 2 analysed, but \
            the input was damaged or cut short (partial results); 3 could not analyse (unreadable input); \
            64 usage error.
            """)

    @OptionGroup var input: InputOptions

    @Option(name: .long, help: "Report format: text, markdown, json or html (one self-contained page).")
    var format: ReportFormat = .text

    @Option(name: .shortAndLong, help: "Write the report to this file (atomically) instead of standard output.")
    var output: String?

    @Option(name: .long, parsing: .upToNextOption,
            help: "Exit with status 1 when incidents of these kinds are found (oom-kill, node-oom, eviction, restart; comma-separated).")
    var failOn: [String] = []

    @Option(name: .long, help: "Colour in text output: auto (on a terminal, unless NO_COLOR is set), always or never.")
    var color: ColorChoice = .auto

    func validate() throws {
        let known = Set(Incident.Kind.allCases.map(\.rawValue))
        for kind in failOnKinds where !known.contains(kind) {
            throw ValidationError("--fail-on: unknown incident kind '\(kind)' (expected \(known.sorted().joined(separator: ", ")))")
        }
    }

    private var failOnKinds: [String] {
        failOn.flatMap { $0.split(separator: ",").map { String($0).trimmed } }.filter { !$0.isEmpty }
    }

    @Flag(help: "Replace names of namespaces, pods, workloads and nodes, and IP addresses, by consistent tokens.")
    var redact = false

    @Option(help: "With --redact: write the name → token mapping to this file (tab-separated), kept apart from the report.")
    var redactionMap: String?

    func run() throws {
        let options = try input.analyzerOptions()
        var report = Analyzer(options: options).analyze(input.bundle)
        if redact {
            let redactor = Redactor(report: report)
            report = redactor.redact(report)
            if let redactionMap { try Output.write(redactor.mappingText, to: redactionMap) }
        } else if redactionMap != nil {
            throw ValidationError("--redaction-map needs --redact")
        }
        switch format {
        case .json:
            try Output.write(JSONRenderer().renderUTF8(report, threads: options.threadsAfterReading), to: output)
        case .markdown: try Output.write(MarkdownRenderer().render(report), to: output)
        case .html: try Output.write(HTMLRenderer().render(report), to: output)
        case .text:
            let text = TextRenderer(useColor: output == nil && color.enabled(forStandardOutput: true)).render(report)
            try Output.write(text, to: output)
        }
        let status = exitStatus(of: report)
        // Ends the process with the report still alive: its memory goes back to the system at once,
        // where releasing its values one by one took ~10 ms for a 20,000-pod bundle.
        withExtendedLifetime(report) { Foundation.exit(status) }
    }

    /// 3 when nothing could be read, 1 when `--fail-on` matched an incident, 2 when the bundle was
    /// read only in part, else 0.
    private func exitStatus(of report: Report) -> Int32 {
        if report.bundle.format == "unreadable" || (report.bundle.filesRead == 0 && !report.bundle.complete) { return 3 }
        let failing = Set(failOnKinds)
        if !failing.isEmpty, report.incidents.contains(where: { failing.contains($0.kind.rawValue) }) { return 1 }
        return report.bundle.complete ? 0 : 2
    }
}

/// Report formats.
enum ReportFormat: String, PlainArgumentValues {
    case text, markdown, json, html
}
