import ArgumentParser
import OOMLens

/// `oomlens batch-worker` (hidden): what each child of `oomlens batch` runs — `analyze` of one bundle,
/// rendered once into every requested format, with `analyze`'s exit status (0 complete, 2 partial,
/// 3 unreadable). One analysis serves all formats, where separate `analyze` runs would read the
/// bundle once per format.
struct BatchWorker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch-worker",
        abstract: "Analyse one bundle for oomlens batch, writing several report formats.",
        shouldDisplay: false)

    @OptionGroup var input: InputOptions

    @Option(name: .long, help: "Write the JSON report here.")
    var json: String

    @Option(name: .long, help: "Also write the Markdown report here.")
    var markdown: String?

    @Option(name: .long, help: "Also write the HTML report here.")
    var html: String?

    func run() throws {
        var options = try input.analyzerOptions()
        options.readOnTwoThreads = false  // batch shares the processors out by bundle (--jobs)
        let report = Analyzer(options: options).analyze(input.bundle)
        try Output.write(JSONRenderer().render(report), to: json)
        if let markdown { try Output.write(MarkdownRenderer().render(report), to: markdown) }
        if let html { try Output.write(HTMLRenderer().render(report), to: html) }
        if report.bundle.format == "unreadable" || (report.bundle.filesRead == 0 && !report.bundle.complete) {
            throw ExitCode(3)
        }
        if !report.bundle.complete { throw ExitCode(2) }
    }
}
