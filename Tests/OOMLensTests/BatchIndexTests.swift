import Foundation
import Testing
@testable import OOMLens

/// `index.jsonl`: lines round-trip, a torn last line is ignored and repaired, the newest line wins,
/// reruns skip only `ok` bundles of the same version, shards merge.
@Suite struct BatchIndexTests {
    static func entry(_ n: Int, status: BatchIndexEntry.Status = .ok, version: String = "0.1.0",
                      finishedAt: String = "2024-05-02T08:00:00Z") -> BatchIndexEntry {
        BatchIndexEntry(
            path: "/tickets/\(n)/support-bundle.tar.gz", id: "support-bundle-\(n)", sha256: String(repeating: "\(n % 10)", count: 64),
            size: Int64(1000 + n), status: status, error: status == .ok ? nil : "cut short", exitStatus: status == .failed ? 3 : 0,
            durationSeconds: 0.25 * Double(n), collectedAt: "2024-03-14T10:30:00Z",
            counts: ["oom-kill": n, "node-oom": 0, "eviction": 1, "restart": 0], findings: ["repeated-oom-kill"],
            toolVersion: version, reports: ["reports/support-bundle-\(n).json"], finishedAt: finishedAt)
    }

    static func text(_ entries: [BatchIndexEntry]) -> String {
        entries.map { $0.jsonLine() + "\n" }.joined()
    }

    @Test func lineRoundTrips() throws {
        let e = Self.entry(3, status: .partial)
        let line = e.jsonLine()
        #expect(!line.contains("\n"))
        #expect(line.hasPrefix("{\"collectedAt\":\"2024-03-14T10:30:00Z\",\"counts\":{"))
        #expect(line.contains("\"path\":\"/tickets/3/support-bundle.tar.gz\""))
        #expect(line.contains("\"durationSeconds\":0.75"))
        #expect(BatchIndexEntry.parse(Array(line.utf8)) == e)
        // Nulls are written, not left out.
        var ok = Self.entry(1)
        ok.collectedAt = nil
        #expect(ok.jsonLine().contains("\"error\":null"))
        #expect(ok.jsonLine().contains("\"collectedAt\":null"))
        #expect(BatchIndexEntry.parse(Array(ok.jsonLine().utf8)) == ok)
    }

    @Test func tornLastLineIsIgnored() {
        let full = Self.text([Self.entry(1), Self.entry(2)])
        let third = Self.entry(3).jsonLine()
        for cut in [1, 10, third.utf8.count / 2, third.utf8.count - 1] {
            let index = BatchIndex.parse(Array((full + String(third.prefix(cut))).utf8))
            #expect(index.entries.map(\.id) == ["support-bundle-1", "support-bundle-2"])
            #expect(index.tornLastLine)
            #expect(index.unparsableLines.isEmpty)
        }
        // Complete but unterminated: kept.
        let unterminated = BatchIndex.parse(Array((full + third).utf8))
        #expect(unterminated.entries.count == 3)
        #expect(!unterminated.tornLastLine)
        // A bad line in the middle is skipped and counted, blank lines are fine.
        let middle = BatchIndex.parse(Array((Self.entry(1).jsonLine() + "\n{\"oops\n\n" + Self.entry(2).jsonLine() + "\n").utf8))
        #expect(middle.entries.count == 2)
        #expect(middle.unparsableLines == [2])
        #expect(!middle.tornLastLine)
        #expect(BatchIndex.parse([]).entries.isEmpty)
    }

    @Test func newestLineWinsAndOnlyOKOfThisVersionIsDone() {
        var index = BatchIndex.parse(Array(Self.text([Self.entry(1, status: .failed), Self.entry(2), Self.entry(1)]).utf8))
        #expect(index.current.map(\.id) == ["support-bundle-1", "support-bundle-2"])
        #expect(index.current.first?.status == .ok)
        #expect(index.isDone(sha256: Self.entry(1).sha256, toolVersion: "0.1.0"))
        #expect(!index.isDone(sha256: Self.entry(1).sha256, toolVersion: "0.2.0"))
        #expect(!index.isDone(sha256: Self.entry(4).sha256, toolVersion: "0.1.0"))
        index.append(Self.entry(2, status: .partial))
        #expect(!index.isDone(sha256: Self.entry(2).sha256, toolVersion: "0.1.0"))
        index.append(Self.entry(5, version: "0.0.9"))
        #expect(!index.isDone(sha256: Self.entry(5).sha256, toolVersion: "0.1.0"))
    }

    @Test func writerRepairsATornTailAndAppends() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let path = temp.path("index.jsonl")
        let torn = Self.text([Self.entry(1), Self.entry(2)]) + String(Self.entry(3).jsonLine().prefix(40))
        try Data(torn.utf8).write(to: URL(fileURLWithPath: path))
        do {
            let writer = try BatchIndexWriter(path: path)
            try writer.append(Self.entry(4))
        }
        let repaired = try BatchIndex.load(path).get()
        #expect(repaired.entries.map(\.id) == ["support-bundle-1", "support-bundle-2", "support-bundle-4"])
        #expect(!repaired.tornLastLine)

        // A complete last line without its newline gets one.
        try Data((Self.entry(1).jsonLine()).utf8).write(to: URL(fileURLWithPath: path))
        try BatchIndexWriter(path: path).append(Self.entry(2))
        #expect(try BatchIndex.load(path).get().entries.map(\.id) == ["support-bundle-1", "support-bundle-2"])

        // A file that is one torn line becomes empty, then grows.
        try Data("{\"path\":\"/x".utf8).write(to: URL(fileURLWithPath: path))
        try BatchIndexWriter(path: path).append(Self.entry(7))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == Self.entry(7).jsonLine() + "\n")

        // A missing index is empty.
        #expect(try BatchIndex.load(temp.path("none.jsonl")).get().entries.isEmpty)
    }

    @Test func writeIndexReplacesAtomically() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let path = temp.path("index.jsonl")
        try Data("junk\n".utf8).write(to: URL(fileURLWithPath: path))
        try BatchIndexWriter.writeIndex([Self.entry(1), Self.entry(2)], to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == Self.text([Self.entry(1), Self.entry(2)]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp.directory.path) == ["index.jsonl"])
    }

    @Test func mergePrefersTheBestThenTheNewestResult() {
        let a = BatchIndex(entries: [Self.entry(1, status: .failed, finishedAt: "2024-05-02T09:00:00Z"), Self.entry(2)])
        let b = BatchIndex(entries: [Self.entry(1, status: .ok, finishedAt: "2024-05-02T08:00:00Z"), Self.entry(3, status: .partial)])
        let c = BatchIndex(entries: [Self.entry(3, status: .partial, finishedAt: "2024-05-03T08:00:00Z")])
        let merged = BatchIndex.merged([a, b, c])
        #expect(merged.map(\.entry.id) == ["support-bundle-1", "support-bundle-2", "support-bundle-3"])
        #expect(merged.map(\.source) == [1, 0, 2])
        #expect(merged[0].entry.status == .ok)
        #expect(merged[2].entry.finishedAt == "2024-05-03T08:00:00Z")
    }

    @Test func plannerSkipsDoneDuplicateOtherShardAndUnreadableBundles() {
        let done = Self.entry(1)
        let index = BatchIndex(entries: [done, Self.entry(2, status: .failed)])
        func candidate(_ path: String) -> BundleDiscovery.Candidate { .init(path: path, isDirectory: false) }
        func print(_ sha: String) -> Result<BundleFingerprint, BatchError> { .success(BundleFingerprint(sha256: sha, size: 10)) }
        var planner = BatchPlanner(index: index, toolVersion: "0.1.0")
        #expect(planner.decide(candidate("/a/x.tgz"), print(done.sha256)) == .alreadyDone)
        #expect(planner.decide(candidate("/a/y.tgz"), print(Self.entry(2).sha256)) == .analyse(id: "y-22222222"))
        #expect(planner.decide(candidate("/b/y-copy.tgz"), print(Self.entry(2).sha256)) == .duplicate(of: "/a/y.tgz"))
        #expect(planner.decide(candidate("/a/z.tgz"), .failure(BatchError("Permission denied"))) == .unreadable("Permission denied"))
        #expect(planner.tally == BatchPlanner.Tally(analyse: 1, otherShard: 0, alreadyDone: 1, duplicate: 1, unreadable: 1))

        var forced = BatchPlanner(index: index, force: true, toolVersion: "0.1.0")
        #expect(forced.decide(candidate("/a/x.tgz"), print(done.sha256)) == .analyse(id: "x-11111111"))
        var newer = BatchPlanner(index: index, toolVersion: "0.2.0")
        #expect(newer.decide(candidate("/a/x.tgz"), print(done.sha256)) == .analyse(id: "x-11111111"))

        // Shard 1 of 2 takes digests whose first 8 bytes are odd.
        let odd = "0000000000000001" + String(repeating: "0", count: 48)
        let even = "0000000000000002" + String(repeating: "0", count: 48)
        var shard = BatchPlanner(index: BatchIndex(), shard: ShardSelector(index: 1, count: 2) ?? .all)
        #expect(shard.decide(candidate("/odd.tgz"), print(odd)) == .analyse(id: "odd-00000000"))
        #expect(shard.decide(candidate("/even.tgz"), print(even)) == .otherShard)
    }
}
