import BundleGenerator
import Foundation
import Testing
@testable import OOMLens

/// Members parsed on two threads must give exactly what one thread gives.
@Suite("Parallel bundle reader")
struct ParallelBundleReaderTests {
    typealias Call = PipelinedBundleReaderTests.RecordingConsumer.Call

    /// Records every call in order, and whether the calling thread (`ParallelBundleReader.read`'s)
    /// began the member.
    struct Recorder: DivisibleConsumer {
        struct Part: Sendable {
            var calls: [Call]
            var onCallingThread: [Bool]
        }

        var recording = PipelinedBundleReaderTests.RecordingConsumer()
        var calls: [Call] { recording.calls }
        var onCallingThread: [Bool] = []
        /// `pthread_self()` of the thread that calls `read` (all its consumers are made from this).
        let recipe: pthread_t

        init(recipe: pthread_t = pthread_self()) {
            self.recipe = recipe
        }

        mutating func begin(_ context: ParseContext) {
            recording.begin(context)
            onCallingThread.append(pthread_equal(pthread_self(), recipe) != 0)
        }

        mutating func feed(_ block: UnsafeRawBufferPointer) { recording.feed(block) }

        mutating func end(damaged: Bool) { recording.end(damaged: damaged) }

        mutating func takePart() -> Part {
            defer { (recording.calls, onCallingThread) = ([], []) }
            return Part(calls: recording.calls, onCallingThread: onCallingThread)
        }

        mutating func absorb(_ part: consuming Part) {
            recording.calls.append(contentsOf: part.calls)
            onCallingThread.append(contentsOf: part.onCallingThread)
        }
    }

    /// Reads `path` with `BundleReader` and with `ParallelBundleReader` (or, with `pipelined`,
    /// `PipelinedBundleReader`) and checks that the consumer saw the same calls and the summaries agree;
    /// returns which members the calling thread parsed.
    @discardableResult
    private func expectSameBothWays(
        _ path: String, pipelined: Bool = false, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> [Bool] {
        var reader = BundleReader()
        var direct = Recorder()
        let directSummary = reader.read(path, into: &direct)
        var parallel = Recorder()
        let parallelSummary = pipelined
            ? PipelinedBundleReader().read(path, into: &parallel) : ParallelBundleReader().read(path, into: &parallel)
        #expect(parallel.calls == direct.calls, sourceLocation: sourceLocation)
        #expect(parallelSummary.entries == directSummary.entries, sourceLocation: sourceLocation)
        #expect(parallelSummary.warnings == directSummary.warnings, sourceLocation: sourceLocation)
        #expect(parallelSummary.complete == directSummary.complete, sourceLocation: sourceLocation)
        #expect(parallelSummary.format == directSummary.format, sourceLocation: sourceLocation)
        #expect(parallelSummary.bytesDecompressed == directSummary.bytesDecompressed, sourceLocation: sourceLocation)
        return parallel.onCallingThread
    }

    private static func generated(noiseLines: Int) throws -> BundleGenerator {
        let data = try Data(contentsOf: EndToEndTests.root.appendingPathComponent("samples/scenarios/aks-oom-incident.json"))
        return try BundleGenerator(scenario: try Scenario.decode(data), noiseLinesPerNode: noiseLines)
    }

    @Test("a generated bundle as a directory and as a plain tar: the same calls, summary and report as one thread")
    func generatedBundle() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let generator = try Self.generated(noiseLines: 12_000)
        let directory = temp.path("bundle")
        try generator.writeDirectory(at: directory)
        var writer = try ArchiveWriter(format: .tar)
        try generator.write(to: &writer)
        let tar = try temp.write("bundle.tar", try writer.finish())

        for path in [directory, tar] {
            let calling = expectSameBothWays(path)
            // Both threads parsed members: the test would prove nothing otherwise.
            #expect(calling.contains(true) && calling.contains(false))

            var one = ParsingConsumer()
            var reader = BundleReader()
            let oneSummary = reader.read(path, into: &one)
            var two = ParsingConsumer()
            let twoSummary = ParallelBundleReader().read(path, into: &two)
            #expect(two.unparsed == one.unparsed)
            let analyzer = Analyzer()
            let oneReport = JSONRenderer().render(analyzer.analyze(summary: oneSummary, output: one.output))
            let twoReport = JSONRenderer().render(analyzer.analyze(summary: twoSummary, output: two.output))
            #expect(twoReport == oneReport)
            #expect(oneReport.contains("\"oom-kill\""))
        }
    }

    @Test("long member names (extended tar headers): offloaded members are read from the right place")
    func extendedHeaders() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let deep = String(repeating: "very-long-directory-name/", count: 8)
        var log = [UInt8]()
        while log.count < 3 << 20 { log.append(contentsOf: BundleReaderTests.syslog.utf8) }
        let tar = try temp.write("long.tar", TempBundle.archiveBytes(.tar, [
            ("\(deep)node-a/syslog", log), ("short/kern.log", log), ("\(deep)node-b/syslog", log),
        ]))
        #expect(expectSameBothWays(tar).contains(true))
    }

    @Test("a plain tar cut inside a large member: the same partial members and damage as one thread")
    func truncatedTar() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        var log = [UInt8]()
        while log.count < 2 << 20 { log.append(contentsOf: BundleReaderTests.syslog.utf8) }
        let bytes = try TempBundle.archiveBytes(.tar, [("a/syslog", log), ("b/syslog", log), ("c/syslog", log)])
        let tar = try temp.write("cut.tar", Array(bytes.prefix(bytes.count - (1 << 20))))
        expectSameBothWays(tar)
        var reader = BundleReader()
        var direct = Recorder()
        #expect(!reader.read(tar, into: &direct).complete)
    }

    @Test("a compressed bundle with a large PodList first: read again and parsed on the calling thread while the reading thread parses what follows",
          arguments: [ArchiveWriter.Format.tarGzip, .tarZstd])
    func compressedPodList(format: ArchiveWriter.Format) throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let data = try Data(contentsOf: EndToEndTests.root.appendingPathComponent("samples/scenarios/aks-oom-incident.json"))
        let generator = try BundleGenerator(
            scenario: try Scenario.decode(data), noiseLinesPerNode: 3_000, extraPods: 1_000, podsJSONStyle: .compact)
        var writer = try ArchiveWriter(format: format)
        try generator.write(to: &writer)
        let path = try temp.write("bundle.\(format.fileExtension)", try writer.finish())

        let calling = expectSameBothWays(path, pipelined: true)
        // The reading thread parsed members itself while the PodList was read again: the offload happened.
        #expect(calling.contains(false))

        var one = ParsingConsumer()
        var reader = BundleReader()
        let oneSummary = reader.read(path, into: &one)
        var two = ParsingConsumer()
        let twoSummary = PipelinedBundleReader().read(path, into: &two)
        let analyzer = Analyzer()
        let oneReport = JSONRenderer().render(analyzer.analyze(summary: oneSummary, output: one.output))
        #expect(JSONRenderer().render(analyzer.analyze(summary: twoSummary, output: two.output)) == oneReport)
        #expect(oneReport.contains("\"oom-kill\""))
    }

    @Test("a .tar.zst's blocks are lent to the calling thread, not copied (gzip's are copied): the same calls as one thread, whole and cut",
          arguments: [ArchiveWriter.Format.tarZstd, .tarGzip])
    func lentBlocks(format: ArchiveWriter.Format) throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        var log = [UInt8]()
        while log.count < 3 << 20 { log.append(contentsOf: BundleReaderTests.syslog.utf8) }
        let bytes = try TempBundle.archiveBytes(format, [("a/syslog", log), ("b/kern.log", log), ("c/syslog", log)])
        let whole = try temp.write("whole.\(format.fileExtension)", bytes)
        let cut = try temp.write("cut.\(format.fileExtension)", Array(bytes.prefix(bytes.count / 2)))
        for path in [whole, cut] {
            expectSameBothWays(path, pipelined: true)
            var consumer = Recorder()
            let lender = BlockLender()
            _ = PipelinedBundleReader().read(path, into: &consumer, lender: lender)
            #expect((lender.loansMade > 0) == (format == .tarZstd), "\(path)")
        }
    }

    @Test("a compressed bundle cut inside a large offloaded member: the same partial member, damage and warnings as one thread",
          arguments: [ArchiveWriter.Format.tarGzip, .tarZstd])
    func compressedCutInsideOffloaded(format: ArchiveWriter.Format) throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        var rng = XorShift(seed: 5)
        var pods = Array(#"{"kind":"PodList","apiVersion":"v1","items":["#.utf8)
        for i in 0..<60_000 {
            let uid = (0..<4).map { _ in String(UInt32.random(in: 0...UInt32.max, using: &rng), radix: 16) }.joined()
            pods += Array(#"{"kind":"Pod","metadata":{"name":"p-\#(i)","namespace":"n","uid":"\#(uid)"},"spec":{"containers":[{"name":"c"}]},"status":{"phase":"Running"}},"#.utf8)
        }
        pods.removeLast()
        pods += Array("]}\n".utf8)
        var log = [UInt8]()
        while log.count < 1 << 20 { log.append(contentsOf: BundleReaderTests.syslog.utf8) }
        let bytes = try TempBundle.archiveBytes(format, [("cluster-resources/pods/all.json", pods), ("node/syslog", log)])
        let whole = try temp.write("whole.\(format.fileExtension)", bytes)
        expectSameBothWays(whole, pipelined: true)
        let cut = try temp.write("cut.\(format.fileExtension)", Array(bytes.prefix(bytes.count / 3)))
        expectSameBothWays(cut, pipelined: true)
        var reader = BundleReader()
        var direct = Recorder()
        #expect(!reader.read(cut, into: &direct).complete)
        #expect(pods.count > 8 << 20)
    }

    @Test("which members may be read again: plain tars whole in the file; large ones near the start of gzip, zstd, lz4")
    func rereadableMembers() {
        let file = (path: Array("b.tar".utf8CString), size: Int64(100 << 20))
        let big = BundleReader.compressedOffloadMinimumBytes
        #expect(BundleReader.rereadable(file, filter: "none", dataOffset: 512, size: 1 << 20)?.storage == .plain)
        #expect(BundleReader.rereadable(file, filter: "none", dataOffset: 99 << 20, size: 2 << 20) == nil)
        for filter in ["gzip", "zstd", "lz4"] {
            #expect(BundleReader.rereadable(file, filter: filter, dataOffset: 4096, size: big)?.storage == .compressedArchive)
            #expect(BundleReader.rereadable(file, filter: filter, dataOffset: big + 1, size: big) == nil)
            #expect(BundleReader.rereadable(file, filter: filter, dataOffset: 4096, size: big - 1) == nil)
        }
        for filter in ["xz", "bzip2"] {
            #expect(BundleReader.rereadable(file, filter: filter, dataOffset: 4096, size: big) == nil)
        }
    }
}
