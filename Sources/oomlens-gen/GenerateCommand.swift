import ArgumentParser
import BundleGenerator

@main
struct GenerateCommand: ParsableCommand {
    func run() throws {}
}
