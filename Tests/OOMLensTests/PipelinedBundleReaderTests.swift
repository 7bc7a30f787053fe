import Foundation
import Testing
@testable import OOMLens

/// The second-thread reader must hand the consumer exactly what `BundleReader` would.
@Suite("Pipelined bundle reader")
struct PipelinedBundleReaderTests {
    /// Every call a consumer receives, in order (blocks joined per member: their split may differ).
    struct RecordingConsumer: MemberConsumer {
        enum Call: Equatable {
            case begin(String, FileKind)
            case bytes([UInt8])
            case end(damaged: Bool)
        }
        var calls: [Call] = []

        mutating func begin(_ context: ParseContext) { calls.append(.begin(context.path, context.kind)) }

        mutating func feed(_ block: UnsafeRawBufferPointer) {
            if case .bytes(var bytes) = calls.last {
                bytes.append(contentsOf: block)
                calls[calls.count - 1] = .bytes(bytes)
            } else {
                calls.append(.bytes(Array(block)))
            }
        }

        mutating func end(damaged: Bool) { calls.append(.end(damaged: damaged)) }
    }

    private func bothWays(_ path: String, depth: Int = 8, bufferBytes: Int = 256 * 1024)
        -> (direct: (BundleSummary, RecordingConsumer), pipelined: (BundleSummary, ParallelBundleReaderTests.Recorder))
    {
        var reader = BundleReader()
        var direct = RecordingConsumer()
        let directSummary = reader.read(path, into: &direct)
        var pipelined = ParallelBundleReaderTests.Recorder()
        let pipelinedSummary = PipelinedBundleReader(depth: depth, bufferBytes: bufferBytes).read(path, into: &pipelined)
        return ((directSummary, direct), (pipelinedSummary, pipelined))
    }

    @Test("the sample bundle: same members, bytes and summary, with roomy and with tiny buffers")
    func sampleBundle() {
        let path = EndToEndTests.root.appendingPathComponent("samples/aks-oom-incident.tar.gz").path
        for (depth, bufferBytes) in [(8, 256 * 1024), (1, 4096)] {
            let (direct, pipelined) = bothWays(path, depth: depth, bufferBytes: bufferBytes)
            #expect(pipelined.1.calls == direct.1.calls)
            #expect(pipelined.0.entries == direct.0.entries)
            #expect(pipelined.0.complete == direct.0.complete)
            #expect(direct.1.calls.count > 10)
        }
    }

    @Test("a truncated archive: the same partial members, damage and warnings")
    func truncatedArchive() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        var filler = [UInt8]()
        var rng = XorShift(seed: 7)
        for _ in 0..<200_000 { filler.append(UInt8.random(in: 32...126, using: &rng)) }
        let bytes = try TempBundle.archiveBytes(.tarGzip, [
            ("node/syslog", Array(BundleReaderTests.syslog.utf8)), ("node/filler.log", filler),
            ("node/kubelet.log", Array("I0311 07:00:56.479893 2351 kubelet.go:2428] done\n".utf8)),
        ])
        let path = try temp.write("cut.tgz", Array(bytes.prefix(bytes.count / 2)))
        let (direct, pipelined) = bothWays(path, depth: 2, bufferBytes: 4096)
        #expect(!direct.0.complete)
        #expect(pipelined.1.calls == direct.1.calls)
        #expect(pipelined.0.complete == direct.0.complete)
        #expect(pipelined.0.warnings == direct.0.warnings)
    }

    @Test("an unreadable path gives the same summary and no calls")
    func missingFile() {
        let (direct, pipelined) = bothWays("/nonexistent/bundle.tgz")
        #expect(pipelined.1.calls.isEmpty && direct.1.calls.isEmpty)
        #expect(pipelined.0.warnings == direct.0.warnings)
        #expect(pipelined.0.complete == direct.0.complete)
    }

    @Test("compressed bundles are pipelined; directories and plain tars parsed on two threads")
    func plans() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let tgz = try temp.write("b.tgz", TempBundle.archive(.tarGzip, [("a/syslog", BundleReaderTests.syslog)]))
        let tar = try temp.write("b.tar", TempBundle.archive(.tar, [("a/syslog", BundleReaderTests.syslog)]))
        let log = try temp.write("syslog", Array(BundleReaderTests.syslog.utf8))
        let twoOrMore = ReadingPlan.availableProcessors() > 1
        #expect(ReadingPlan.choose(for: tgz) == (twoOrMore ? .pipelined : .oneThread))
        #expect(ReadingPlan.choose(for: tar) == (twoOrMore ? .parallel : .oneThread))
        #expect(ReadingPlan.choose(for: temp.directory.path) == (twoOrMore ? .parallel : .oneThread))
        #expect(ReadingPlan.choose(for: log) == .oneThread)
        #expect(ReadingPlan.choose(for: "/nonexistent") == .oneThread)
    }

    /// `Cpus_allowed` as `/proc/self/status` writes it: one hex group on small machines, comma-separated
    /// 32-bit groups on large ones; `taskset -c 0` leaves one bit.
    @Test("the affinity mask counts the processors it allows", arguments: [
        ("Name:\toomlens\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\n", 2),
        ("Cpus_allowed:\t1\n", 1),
        ("Tgid:\t1\nCpus_allowed:\tffffffff,ffffffff\nMems_allowed:\t1\n", 64),
        ("Cpus_allowed:\t00000000,00000f0f", 8),
    ])
    func affinityMask(status: String, processors: Int) {
        #expect(ReadingPlan.allowedProcessors(status: Array(status.utf8)) == processors)
    }

    @Test("no Cpus_allowed line, or an empty mask, says nothing")
    func affinityMaskMissing() {
        #expect(ReadingPlan.allowedProcessors(status: Array("Name:\toomlens\nCpus_allowed_list:\t0-1\n".utf8)) == nil)
        #expect(ReadingPlan.allowedProcessors(status: Array("Cpus_allowed:\t0\n".utf8)) == nil)
        #expect(ReadingPlan.allowedProcessors(status: []) == nil)
    }

    /// cgroup v2's `cpu.max` (`150000 100000`) and v1's quota and period: 1.5 processors allow two
    /// threads; no quota (`max`, `-1`) allows any number.
    @Test("a cgroup CPU quota is rounded up to whole processors")
    func cgroupQuota() {
        #expect(ReadingPlan.processors(quota: 150_000, period: 100_000) == 2)
        #expect(ReadingPlan.processors(quota: 100_000, period: 100_000) == 1)
        #expect(ReadingPlan.processors(quota: 20_000, period: 100_000) == 1)
        #expect(ReadingPlan.processors(quota: -1, period: 100_000) == nil)
        #expect(ReadingPlan.processors(quota: 50_000, period: 0) == nil)
        #expect(ReadingPlan.processors(cpuMax: "150000 100000") == 2)
        #expect(ReadingPlan.processors(cpuMax: "400000 100000") == 4)
        #expect(ReadingPlan.processors(cpuMax: "max 100000") == nil)
        #expect(ReadingPlan.processors(cpuMax: "") == nil)
        #expect(ReadingPlan.availableProcessors() >= 1)
    }
}
