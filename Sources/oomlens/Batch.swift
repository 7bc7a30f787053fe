import ArgumentParser
import Foundation
import OOMLens

/// `oomlens batch`: analyses many bundles, each in its own bounded child process, into a folder of
/// reports, an append-only index and a summary across bundles. docs/batch.md has the details.
struct Batch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Analyse many bundles into DIR/reports, DIR/index.jsonl and DIR/summary.{md,json}.",
        discussion: """
            INPUT is a bundle file, a folder searched recursively for bundles (archives, and folders that \
            look like extracted bundles), or - to read paths from standard input, one per line. Each bundle \
            is analysed in its own child process under a wall-time and a memory limit, so a crash, a hang \
            or a decompression bomb marks that bundle failed and the rest go on. A rerun skips bundles the \
            index already has as ok (same SHA-256, same oomlens version) unless --force is given. The first \
            Ctrl-C stops starting new bundles and waits for the running ones; a second one, or SIGTERM, \
            kills them. The index stays valid either way.

            Exit status: 0 every selected bundle was processed (each one's status is in the index); \
            2 with --strict, some bundle is partial or failed; 3 an input could not be read; \
            1 the output folder or index could not be written; 64 usage error; 130/143 interrupted.
            """)

    @Argument(help: "Bundle files, folders to search, or - for a list of paths on standard input.")
    var inputs: [String]

    @Option(name: .long, help: "Output folder (created when missing).")
    var out: String

    @Option(name: .long, help: "Bundles analysed at the same time (default: the processors this process may use).")
    var jobs: Int?

    @Option(name: .long, help: "Report formats, comma-separated: json, markdown, html (json is always written).")
    var formats: String = "json,markdown,html"

    @Flag(name: .long, help: "Analyse again bundles the index already has as ok.")
    var force = false

    @Option(name: .long, help: "Wall-time limit per bundle in seconds; the child is killed after it.")
    var timeout: Double = 900

    @Option(name: .customLong("memory-mb"), help: "Address-space limit per child in MiB (RLIMIT_AS); 0 for none.")
    var memoryMB: Int = 4096

    @Option(name: .long, help: "Process only shard K of N (K from 0), chosen by content hash, e.g. 2/8.")
    var shard: String?

    @Flag(name: .long, help: "Take K from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) and N from --shards or OOMLENS_SHARDS.")
    var shardFromEnv = false

    @Option(name: .long, help: "Number of shards for --shard-from-env.")
    var shards: Int?

    @Flag(name: .long, help: "Exit with status 2 when a bundle is partial or failed.")
    var strict = false

    @Option(name: .long, help: "Passed to each analysis: UTC offset of zone-less node log times.")
    var timezone: String?

    @Option(name: .long, help: "Passed to each analysis: stop reading a bundle after this many uncompressed bytes.")
    var maxBytes: Int64?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        guard timeout > 0 else { throw ValidationError("--timeout must be more than 0 seconds") }
        guard memoryMB >= 0 else { throw ValidationError("--memory-mb must be 0 (no limit) or more") }
        if shard != nil, shardFromEnv { throw ValidationError("--shard and --shard-from-env exclude each other") }
        if shards != nil, !shardFromEnv { throw ValidationError("--shards goes with --shard-from-env") }
        _ = try reportFormats()
        _ = try shardSelector(environment: ProcessInfo.processInfo.environment)
        if let timezone, InputOptions.parseOffset(timezone) == nil {
            throw ValidationError("--timezone: expected an offset like +02:00, -0500 or UTC, got '\(timezone)'")
        }
    }

    /// The formats to write besides JSON.
    func reportFormats() throws -> [ReportFormat] {
        var result: [ReportFormat] = [.json]
        for name in formats.split(separator: ",").map({ String($0).trimmed }) where !name.isEmpty {
            guard let format = ReportFormat(rawValue: name), format != .text else {
                throw ValidationError("--formats: unknown format '\(name)' (expected json, markdown, html)")
            }
            if !result.contains(format) { result.append(format) }
        }
        return result
    }

    /// The shard to process, from --shard, --shard-from-env, or all.
    func shardSelector(environment: [String: String]) throws -> ShardSelector {
        if let shard {
            guard let selector = ShardSelector(parsing: shard) else {
                throw ValidationError("--shard: expected K/N with 0 <= K < N, e.g. 0/4, got '\(shard)'")
            }
            return selector
        }
        guard shardFromEnv else { return .all }
        guard let indexText = environment["JOB_COMPLETION_INDEX"], let index = Int(indexText) else {
            throw ValidationError("--shard-from-env: JOB_COMPLETION_INDEX is not set to a number")
        }
        guard let count = shards ?? environment["OOMLENS_SHARDS"].flatMap({ Int($0) }) else {
            throw ValidationError("--shard-from-env: give the number of shards with --shards or OOMLENS_SHARDS")
        }
        guard let selector = ShardSelector(index: index, count: count) else {
            throw ValidationError("--shard-from-env: JOB_COMPLETION_INDEX \(index) is not in 0..<\(count)")
        }
        return selector
    }

    func run() throws {
        SignalWatch.install()
        let selector = try shardSelector(environment: ProcessInfo.processInfo.environment)
        let formats = try reportFormats()
        // The processors the affinity mask (`taskset`, a container's CPU set) and a cgroup quota allow,
        // as the analysis counts them.
        let jobs = self.jobs ?? ReadingPlan.availableProcessors()
        let layout = BatchLayout(root: out)
        try layout.create()

        // Inputs → bundles; hashed in the background while the first ones are analysed.
        var paths: [String] = []
        for input in inputs {
            if input == "-" { paths.append(contentsOf: Self.readStandardInput()) } else { paths.append(input) }
        }
        let found = BundleDiscovery.discover(paths, excluding: [out])
        for problem in found.problems { Progress.write("oomlens batch: \(ControlText.clean(problem.path)): \(problem.message)\n") }
        let shardNote = selector == .all ? "" : " (shard \(selector))"
        Progress.write("oomlens batch: \(found.bundles.count) bundle\(found.bundles.count == 1 ? "" : "s") found; analysing\(shardNote) with \(jobs) job\(jobs == 1 ? "" : "s")\n")

        // Index: what is done already.
        var index = try layout.loadIndex()
        let writer = try BatchIndexWriter(path: layout.index)
        if index.tornLastLine { Progress.write("oomlens batch: the index's last line was cut short (an earlier run was killed); ignored\n") }
        if !index.unparsableLines.isEmpty {
            Progress.write("oomlens batch: ignored \(index.unparsableLines.count) unreadable line(s) of the index\n")
        }

        var feed = BatchFeed(candidates: found.bundles, planner: BatchPlanner(index: index, shard: selector, force: force))
        feed.start()
        var runner = BatchRunner(layout: layout, formats: formats, jobs: jobs, timeout: timeout,
                                 memoryMB: memoryMB == 0 ? nil : memoryMB, workerOptions: workerOptions(),
                                 executable: Self.executablePath())
        let finished = try runner.run(&feed, writer: writer)
        for entry in finished { index.append(entry) }
        let tally = feed.planner.tally
        var parts = ["\(finished.count) analysed"]
        if tally.alreadyDone > 0 { parts.append("\(tally.alreadyDone) already done (--force redoes them)") }
        if tally.otherShard > 0 { parts.append("\(tally.otherShard) in other shards") }
        if tally.duplicate > 0 { parts.append("\(tally.duplicate) duplicate\(tally.duplicate == 1 ? "" : "s")") }
        if tally.unreadable > 0 { parts.append("\(tally.unreadable) unreadable") }
        Progress.write("oomlens batch: " + parts.joined(separator: ", ") + "\n")
        let unreadable = found.problems.count + tally.unreadable

        // Summary over everything the index holds.
        let summary = BatchSummary.build(entries: index.current, directory: layout.root)
        try Output.write(summary.json(), to: layout.summaryJSON)
        try Output.write(BatchSummaryRenderer.markdown(summary), to: layout.summaryMarkdown)
        let t = summary.totals
        Progress.write("oomlens batch: index has \(t.bundles) bundle\(t.bundles == 1 ? "" : "s"): \(t.ok) ok, \(t.partial) partial, \(t.failed) failed; summary in \(layout.summaryMarkdown)\n")

        if let status = SignalWatch.exitStatus {
            Progress.write("oomlens batch: interrupted; run the same command again to continue\n")
            throw ExitCode(status)
        }
        if unreadable > 0 { throw ExitCode(3) }
        if strict, finished.contains(where: { $0.status != .ok }) { throw ExitCode(2) }
    }

    /// Options every child gets after `batch-worker`.
    private func workerOptions() -> [String] {
        var options: [String] = []
        if let timezone { options += ["--timezone", timezone] }
        if let maxBytes { options += ["--max-bytes", String(maxBytes)] }
        return options
    }

    /// Non-empty lines of standard input, each a path.
    static func readStandardInput() -> [String] {
        var paths: [String] = []
        while let line = readLine(strippingNewline: true) {
            let path = line.hasSuffix("\r") ? String(line.dropLast()) : line
            if !path.isEmpty { paths.append(path) }
        }
        return paths
    }

    /// This program's own executable, to re-run as `batch-worker`.
    static func executablePath() -> String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        return Bundle.main.executablePath ?? CommandLine.arguments[0]
    }
}

