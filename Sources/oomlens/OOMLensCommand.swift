import ArgumentParser
import OOMLens

@main
struct OOMLensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "oomlens", abstract: "Explains OOM kills, evictions and restarts in Kubernetes support bundles.")
    func run() throws {}
}
