import ArgumentParser
import BundleGenerator
import Foundation
import OOMLens

/// `oomlens-gen SCENARIO.json --output FILE [--format tar.gz|tar.zst|tar|zip|dir] [--noise-lines N]
/// [--extra-pods N] [--pods-json-style compact|indent2|indent4] [--list]`: renders a scenario into a support bundle.
extension JSONStyle: ExpressibleByArgument {}

@main
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oomlens-gen",
        abstract: "Renders a scenario description (JSON) into a realistic Kubernetes support bundle.")

    /// Output container formats accepted by `--format`.
    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case tarGzip = "tar.gz"
        case tarZstd = "tar.zst"
        case tar
        case zip
        case dir

        var archiveFormat: ArchiveWriter.Format? {
            switch self {
            case .tarGzip: .tarGzip
            case .tarZstd: .tarZstd
            case .tar: .tar
            case .zip: .zip
            case .dir: nil
            }
        }
    }

    @Argument(help: "The scenario file (JSON).")
    var scenario: String

    @Option(name: .shortAndLong, help: "The archive file, or the directory for --format dir.")
    var output: String?

    @Option(help: "tar.gz, tar.zst, tar, zip or dir.")
    var format: OutputFormat = .tarGzip

    @Option(name: .customLong("noise-lines"), help: "Ordinary log lines per node (overrides the scenario).")
    var noiseLines: Int?

    @Option(name: .customLong("extra-pods"),
            help: "Generated pods (about 15 KB of JSON each) added to the pods JSON, in namespace 'workloads'.")
    var extraPods: Int = 0

    @Option(name: .customLong("pods-json-style"),
            help: "Layout of the pods JSON: compact (one line), indent2 or indent4 (default: the layout's own).")
    var podsJSONStyle: JSONStyle?

    @Flag(help: "Print the member paths instead of writing.")
    var list = false

    func run() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: scenario))
        guard extraPods >= 0 else { throw ValidationError("--extra-pods must not be negative") }
        let generator = try BundleGenerator(scenario: Scenario.decode(data), noiseLinesPerNode: noiseLines,
                                            extraPods: extraPods, podsJSONStyle: podsJSONStyle)
        if list {
            for member in generator.members() { print(member.path) }
            return
        }
        guard let output else { throw ValidationError("--output is required unless --list is given") }
        if let archiveFormat = format.archiveFormat {
            var writer = try ArchiveWriter(format: archiveFormat, path: output)
            try generator.write(to: &writer)
            _ = try writer.finish()
        } else {
            try generator.writeDirectory(at: output)
        }
    }
}
