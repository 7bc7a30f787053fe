import ArgumentParser
import OOMLens

/// `oomlens inventory`: every member of a bundle and what it was recognised as, or why it was skipped.
struct Inventory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "List every member of a bundle: size, what it was recognised as, or why it was skipped.",
        discussion: "Reads every byte (to recognise nested archives and count lines) but parses nothing. Exit status as for analyze (0, 2, 3).")

    @OptionGroup var input: InputOptions

    @Option(name: .long, help: "Output format: text or json.")
    var format: InventoryFormat = .text

    func run() throws {
        let options = try input.analyzerOptions()
        var reader = BundleReader(limits: options.limits)
        var consumer = LineCountingConsumer()
        let summary = reader.read(input.bundle, into: &consumer)
        switch format {
        case .text: print(InventoryRenderer.text(summary, lines: consumer.lines), terminator: "")
        case .json: print(InventoryRenderer.json(summary, lines: consumer.lines), terminator: "")
        }
        if summary.format == "unreadable" { throw ExitCode(3) }
        if !summary.complete { throw ExitCode(2) }
    }
}

enum InventoryFormat: String, PlainArgumentValues {
    case text, json
}
