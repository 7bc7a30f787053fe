import BundleGenerator
import Foundation
import Testing
@testable import OOMLens

/// `oomlens batch` and `oomlens merge` as a user runs them: the built binary on bundles made by the
/// generator, with broken ones among them.
@Suite(.serialized) struct BatchCommandTests {
    /// Scenarios rendered as `.tar.gz` bundles for these tests.
    static let scenarios = ["eviction.json", "global-oom.json", "liveness-kill.json", "repeated-oom.json"]

    /// A temporary archive: good bundles under `in/good/`, an extracted one, and (optionally) broken ones.
    struct Archive {
        let temp: TempBundle
        var root: String { temp.path("in") }

        init(broken: Bool) throws {
            temp = try TempBundle()
            let fm = FileManager.default
            try fm.createDirectory(atPath: temp.path("in/good/extracted"), withIntermediateDirectories: true)
            for name in BatchCommandTests.scenarios {
                let stem = String(name.dropLast(5))
                try BatchCommandTests.generate(name, to: temp.path("in/good/\(stem).tar.gz"))
            }
            let generator = try BundleGenerator(scenario: BundleGeneratorTests.scenario("new-year.json"))
            try generator.writeDirectory(at: temp.path("in/good/extracted"))
            if broken {
                try fm.createDirectory(atPath: temp.path("in/broken"), withIntermediateDirectories: true)
                let whole = try Data(contentsOf: URL(fileURLWithPath: temp.path("in/good/eviction.tar.gz")))
                try whole.prefix(whole.count / 3).write(to: URL(fileURLWithPath: temp.path("in/broken/truncated.tar.gz")))
                var random = BatchRandom(seed: 7)
                try Data((0..<4000).map { _ in UInt8(truncatingIfNeeded: random.next()) })
                    .write(to: URL(fileURLWithPath: temp.path("in/broken/noise.zip")))
                try BatchCommandTests.bomb(to: temp.path("in/broken/bomb.tar.gz"))
            }
        }

        func remove() { temp.remove() }
    }

    static func generate(_ scenario: String, to path: String) throws {
        let generator = try BundleGenerator(scenario: BundleGeneratorTests.scenario(scenario))
        var writer = try ArchiveWriter(format: .tarGzip, path: path)
        try generator.write(to: &writer)
        _ = try writer.finish()
    }

    /// A decompression bomb: 100 MiB of one short line, about 1000:1 compressed.
    static func bomb(to path: String) throws {
        var writer = try ArchiveWriter(format: .tarGzip, path: path)
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20).enumerated().map { $0.offset % 2 == 1 ? 0x0A : $0.element }
        try writer.beginFile(path: "support-bundle-x/host-collectors/run-host/n1/var/log/syslog", size: 100 << 20, modified: 1_700_000_000)
        for _ in 0..<100 { try chunk.withUnsafeBytes { try writer.write($0) } }
        try writer.endFile()
        _ = try writer.finish()
    }

    static func run(_ arguments: [String], timeout: Double = 300) throws -> ExternalTool.Result {
        let binary = try #require(EndToEndTests.binary, "oomlens was not built next to the tests")
        return try ExternalTool.run(binary.path, arguments, timeout: timeout)
    }

    static func index(_ directory: String) throws -> BatchIndex {
        try BatchLayout(root: directory).loadIndex()
    }

    /// The entries' meaning, without the run's timings.
    static func normalised(_ entries: [BatchIndexEntry]) -> [BatchIndexEntry] {
        entries.map { e in
            var e = e
            e.durationSeconds = 0
            e.finishedAt = ""
            return e
        }
    }

    @Test func brokenBundlesFailAndTheRestAreAnalysed() throws {
        let archive = try Archive(broken: true)
        defer { archive.remove() }
        let out = archive.temp.path("out")
        let result = try Self.run(["batch", archive.root, "--out", out, "--jobs", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        let entries = try Self.index(out).current
        let byName = Dictionary(uniqueKeysWithValues: entries.map { (($0.path as NSString).lastPathComponent, $0) })
        #expect(byName.count == 8, "\(byName.keys.sorted())")
        for name in ["eviction.tar.gz", "global-oom.tar.gz", "liveness-kill.tar.gz", "repeated-oom.tar.gz",
                     "support-bundle-2025-01-01T00_20_00"] {
            let e = try #require(byName[name], "\(name)")
            #expect(e.status == .ok, "\(name): \(e.error ?? "")")
            #expect(e.error == nil && e.exitStatus == 0)
            #expect(e.reports == ["json", "md", "html"].map { "reports/\(e.id).\($0)" })
            for report in e.reports { #expect(FileManager.default.fileExists(atPath: out + "/" + report)) }
            #expect(e.toolVersion == OOMLensVersion.version)
            #expect(e.sha256.count == 64 && e.id.hasSuffix("-" + e.sha256.prefix(8)))
        }
        #expect(byName["eviction.tar.gz"]?.collectedAt == "2024-04-22T12:10:00Z")
        #expect(byName["eviction.tar.gz"]?.id.hasPrefix("eviction-") == true)
        let size = try FileManager.default.attributesOfItem(atPath: archive.temp.path("in/good/eviction.tar.gz"))[.size] as? Int
        #expect(byName["eviction.tar.gz"].map { Int($0.size) } == size)

        let truncated = try #require(byName["truncated.tar.gz"])
        #expect(truncated.status != .ok)
        #expect(truncated.error?.isEmpty == false)
        let noise = try #require(byName["noise.zip"])
        #expect(noise.status == .failed)
        let bomb = try #require(byName["bomb.tar.gz"])
        #expect(bomb.status == .partial)
        #expect(bomb.error?.contains("compression ratio") == true)
        // The child's log is kept for the bundles that were not ok, and only for them.
        let logs = try FileManager.default.contentsOfDirectory(atPath: out + "/logs")
        #expect(logs.count == 3 && logs.contains(noise.id + ".log"))

        let summary = try JSONDecoder().decode(BatchSummary.self, from: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json")))
        #expect(summary.totals.bundles == 8)
        #expect(summary.totals.ok == 5)
        #expect(summary.totals.ok + summary.totals.partial + summary.totals.failed == 8)
        let incidents = entries.filter { $0.status != .failed }.reduce(0) { $0 + $1.counts.values.reduce(0, +) }
        #expect(summary.totals.incidents.values.reduce(0, +) == incidents)
        #expect(summary.problems.map(\.id).sorted() == [bomb.id, noise.id, truncated.id].sorted())
        let markdown = try String(contentsOfFile: out + "/summary.md", encoding: .utf8)
        #expect(markdown.contains("- Bundles: 8 (5 ok,"))

        // --strict turns the failures into exit status 2; the rerun skips the ok bundles.
        let strict = try Self.run(["batch", archive.root, "--out", out, "--strict", "--formats", "json"])
        #expect(strict.status == 2)
        #expect(strict.stderr.contains("3 analysed"), "\(strict.stderr)")
        #expect(strict.stderr.contains("5 already done"))
        let after = try Self.index(out)
        #expect(after.entries.count == 11)
        #expect(Self.normalised(after.current) == Self.normalised(entries).map { e in
            var e = e
            if e.status != .ok { e.reports = e.reports.filter { $0.hasSuffix(".json") } }
            return e
        })
    }

    @Test func rerunSkipsOKBundlesAndForceRedoesThem() throws {
        let archive = try Archive(broken: false)
        defer { archive.remove() }
        let out = archive.temp.path("out")
        let first = try Self.run(["batch", archive.root, "--out", out, "--formats", "json", "--jobs", "2"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try Self.index(out).entries.count == 5)
        let report = try Data(contentsOf: URL(fileURLWithPath: out + "/" + (Self.index(out).entries[0].reports[0])))

        let second = try Self.run(["batch", archive.root, "--out", out, "--formats", "json"])
        #expect(second.status == 0)
        #expect(second.stderr.contains("0 analysed"), "\(second.stderr)")
        #expect(try Self.index(out).entries.count == 5)

        // A torn last line (a crash mid-write) is ignored and cut off; that bundle is redone.
        let indexPath = out + "/index.jsonl"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: indexPath))
        bytes.removeLast(30)
        try bytes.write(to: URL(fileURLWithPath: indexPath))
        let third = try Self.run(["batch", archive.root, "--out", out, "--formats", "json"])
        #expect(third.status == 0)
        #expect(third.stderr.contains("last line was cut short"))
        #expect(third.stderr.contains("1 analysed"), "\(third.stderr)")
        let repaired = try Self.index(out)
        #expect(repaired.entries.count == 5 && !repaired.tornLastLine)
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/" + repaired.entries[0].reports[0])) == report)

        let forced = try Self.run(["batch", archive.root, "--out", out, "--formats", "json", "--force"])
        #expect(forced.stderr.contains("5 analysed"))
        #expect(try Self.index(out).entries.count == 10)
        #expect(try Self.index(out).current.count == 5)

        // Paths on standard input: the same bundles, already done.
        let listed = try ExternalTool.run("/bin/sh", ["-c", "find '\(archive.root)' -name '*.tar.gz' | '\(EndToEndTests.binary?.path ?? "oomlens")' batch - --out '\(out)'"])
        #expect(listed.status == 0)
        #expect(listed.stderr.contains("4 bundles found"), "\(listed.stderr)")
        #expect(listed.stderr.contains("0 analysed"))
    }

    /// Three shards merged give the index, reports and summary of one run over everything.
    @Test func mergedShardsEqualASingleRun() throws {
        let archive = try Archive(broken: true)
        defer { archive.remove() }
        let single = archive.temp.path("single")
        let whole = try Self.run(["batch", archive.root, "--out", single, "--jobs", "2"])
        #expect(whole.status == 0, "\(whole.stderr)")
        var shardFolders: [String] = []
        var counted = 0
        for k in 0..<3 {
            let folder = archive.temp.path("shard-\(k)")
            shardFolders.append(folder)
            let result = k == 1
                ? try ExternalTool.run("/usr/bin/env", ["JOB_COMPLETION_INDEX=1", "OOMLENS_SHARDS=3",
                                                        try #require(EndToEndTests.binary).path, "batch", archive.root, "--out", folder, "--shard-from-env"],
                                         timeout: 300)
                : try Self.run(["batch", archive.root, "--out", folder, "--shard", "\(k)/3"])
            #expect(result.status == 0, "\(result.stderr)")
            counted += try Self.index(folder).current.count
        }
        #expect(counted == 8)
        let merged = archive.temp.path("merged")
        let merge = try Self.run(["merge"] + shardFolders + ["--out", merged])
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(merge.stderr.contains("8 bundles from 3 folders"))

        let a = try Self.index(single).current, b = try Self.index(merged).current
        #expect(Self.normalised(a) == Self.normalised(b))
        #expect(try String(contentsOfFile: single + "/summary.json", encoding: .utf8)
                == String(contentsOfFile: merged + "/summary.json", encoding: .utf8))
        #expect(try String(contentsOfFile: single + "/summary.md", encoding: .utf8)
                == String(contentsOfFile: merged + "/summary.md", encoding: .utf8))
        let fm = FileManager.default
        let reports = try fm.contentsOfDirectory(atPath: single + "/reports").sorted()
        #expect(reports.count == 24)
        #expect(try fm.contentsOfDirectory(atPath: merged + "/reports").sorted() == reports)
        for name in reports where name.hasSuffix(".json") {
            #expect(fm.contentsEqual(atPath: single + "/reports/" + name, andPath: merged + "/reports/" + name), "\(name)")
        }
        // Merging again (into one of the folders, too) changes nothing.
        let again = try Self.run(["merge", merged, shardFolders[0], "--out", merged])
        #expect(again.status == 0)
        #expect(Self.normalised(try Self.index(merged).current) == Self.normalised(a))
    }

    @Test func timeAndMemoryLimitsFailTheBundle() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let bundle = temp.path("eviction.tar.gz")
        try Self.generate("eviction.json", to: bundle)
        let slow = try Self.run(["batch", bundle, "--out", temp.path("t"), "--timeout", "0.001"])
        #expect(slow.status == 0)
        let timedOut = try #require(try Self.index(temp.path("t")).entries.first)
        #expect(timedOut.status == .failed)
        #expect(timedOut.error == "timed out after 0.001 s (killed)")
        #expect(timedOut.exitStatus == nil)

        let small = try Self.run(["batch", bundle, "--out", temp.path("m"), "--memory-mb", "16"])
        #expect(small.status == 0)
        let starved = try #require(try Self.index(temp.path("m")).entries.first)
        #expect(starved.status == .failed)
        #expect(starved.error?.isEmpty == false)

        let usage = try Self.run(["batch", bundle, "--out", temp.path("u"), "--shard", "2/2"])
        #expect(usage.status == 64)
        let missing = try Self.run(["batch", temp.path("nope"), "--out", temp.path("n")])
        #expect(missing.status == 3)
    }

    /// SIGTERM kills the running children and leaves a valid index; the next run finishes the job.
    @Test func terminationLeavesAValidIndex() throws {
        let archive = try Archive(broken: false)
        defer { archive.remove() }
        let out = archive.temp.path("out")
        let binary = try #require(EndToEndTests.binary)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["batch", archive.root, "--out", out, "--jobs", "1"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait for the first finished bundle (of five, one at a time), then stop the batch.
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning, Date() < deadline,
              ((try? FileManager.default.attributesOfItem(atPath: out + "/index.jsonl")[.size] as? Int) ?? 0) == 0 {
            Thread.sleep(forTimeInterval: 0.005)
        }
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 143)
        let index = try Self.index(out)
        #expect(!index.tornLastLine && index.unparsableLines.isEmpty)
        #expect(index.entries.allSatisfy { $0.status == .ok })
        #expect((1..<5).contains(index.entries.count))
        let rerun = try Self.run(["batch", archive.root, "--out", out, "--jobs", "2"])
        #expect(rerun.status == 0)
        #expect(rerun.stderr.contains("\(5 - index.entries.count) analysed"), "\(rerun.stderr)")
        #expect(try Self.index(out).current.count == 5)
    }
}
