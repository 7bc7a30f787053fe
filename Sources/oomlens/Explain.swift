import ArgumentParser
import OOMLens

/// `oomlens explain`: what each diagnosis rule and incident kind means, like `kubectl explain`.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a diagnosis rule or an incident kind; with no name, list them.")

    @Argument(help: "A rule id (e.g. repeated-oom-kill) or an incident kind (e.g. node-oom).")
    var name: String?

    @Flag(help: "Print every rule as Markdown (the text of docs/rules.md).")
    var markdown = false

    func run() throws {
        if markdown {
            print(RuleCatalogRenderer.markdown(), terminator: "")
            return
        }
        guard let name else {
            print(RuleCatalogRenderer.list(), terminator: "")
            return
        }
        guard let text = RuleCatalogRenderer.explain(name) else {
            throw ValidationError("no rule or incident kind named '\(name)'; run `oomlens explain` for the list")
        }
        print(text, terminator: "")
    }
}
