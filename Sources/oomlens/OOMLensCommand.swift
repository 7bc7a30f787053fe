import ArgumentParser
import OOMLens

/// The `oomlens` command line: a thin layer over the OOMLens library.
@main
struct OOMLensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: InvocationName.current,
        abstract: "Explains OOM kills, node OOMs, evictions and restarts in Kubernetes support bundles, offline.",
        discussion: """
            Reads a support bundle (.tar, .tar.gz, .tar.zst, .tar.xz, .tar.bz2, .zip, a directory, or one log \
            file) without extracting it, joins kernel, kubelet, runtime and API evidence into one timeline, and \
            says why each incident happened and what to change.

            Exit status of `analyze`: 0 analysed completely; 1 incidents of a --fail-on kind were found; \
            2 analysed, but the input was damaged or cut short (partial results); 3 could not analyse \
            (unreadable input); 64 usage error.
            """,
        version: BuildInfo.versionLine,
        // Each subcommand but the default states its name: the parser would otherwise derive it from
        // `String(describing:)` of the type at every start, about a million instructions of runtime
        // conformance look-ups per subcommand. Not `analyze`: the parser describes a default subcommand
        // by its stated name (`--experimental-dump-help`), and the man page made from that would
        // then show the subcommand as optional.
        subcommands: [Analyze.self, Inventory.self, Timeline.self, Explain.self, Batch.self, Merge.self, BatchWorker.self],
        defaultSubcommand: Analyze.self
    )

    static func main() {
        AllocatorTuning.returnLargeBlocks()
        main(nil)
    }
}
