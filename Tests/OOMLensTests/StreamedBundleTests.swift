import Foundation
import Testing
@testable import OOMLens
#if canImport(Glibc)
import Glibc
#endif

/// Bytes written into a pipe by another thread, in small writes, and read through `path`
/// (`/dev/fd/N`), as a bundle piped into `oomlens analyze -` is.
final class PipedBytes {
    let path: String
    private let readEnd: Int32
    private let written = DispatchGroup()

    init(_ bytes: [UInt8], chunk: Int = 4_000) throws {
        // A reader that stops early must not leave the writer blocked, nor a SIGPIPE end the tests.
        signal(SIGPIPE, SIG_IGN)
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw POSIXError(.EMFILE) }
        // Not inherited by the programs other tests start: their copy of the write end would hold off the end.
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        readEnd = ends[0]
        path = "/dev/fd/\(ends[0])"
        let writeEnd = ends[1]
        DispatchQueue.global().async(group: written) {
            var offset = 0
            while offset < bytes.count {
                let count = Swift.min(chunk, bytes.count - offset)
                let wrote = bytes.withUnsafeBytes { write(writeEnd, $0.baseAddress.map { $0 + offset }, count) }
                if wrote <= 0 { break }  // the reader closed its end
                offset += wrote
            }
            close(writeEnd)
        }
    }

    /// Closes the read end and waits for the writer.
    func finish() {
        close(readEnd)
        written.wait()
    }
}

@Suite struct StreamedBundleTests {
    private func read(_ path: String, limits: BundleLimits = BundleLimits()) -> (BundleSummary, CollectingConsumer) {
        var reader = BundleReader(limits: limits)
        var consumer = CollectingConsumer()
        let summary = reader.read(path, into: &consumer)
        return (summary, consumer)
    }

    private func readPiped(_ bytes: [UInt8], limits: BundleLimits = BundleLimits()) throws -> (BundleSummary, CollectingConsumer) {
        let piped = try PipedBytes(bytes)
        defer { piped.finish() }
        return read(piped.path, limits: limits)
    }

    @Test("every archive format read from a pipe gives what the same file gives",
          arguments: [ArchiveWriter.Format.tar, .tarGzip, .tarZstd, .tarXz, .tarBzip2, .zip])
    func readsEveryArchiveFormatFromAPipe(format: ArchiveWriter.Format) throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let bytes = try BundleReaderTests.threeMembers(format)
        let (fileSummary, fromFile) = read(try temp.write("bundle.\(format.fileExtension)", bytes))
        let (summary, consumer) = try readPiped(bytes)
        #expect(summary.complete)
        #expect(summary.format == format.fileExtension)
        #expect(consumer.contents == fromFile.contents)
        #expect(consumer.kinds == fromFile.kinds)
        #expect(consumer.contexts["bundle/nodes/aks-node-1/var/log/syslog"]?.nodeHint == "aks-node-1")
        #expect(summary.entries == fileSummary.entries)
        #expect(summary.bytesParsed == fileSummary.bytesParsed)
    }

    @Test func readsAPipedPlainLogAsOneMember() throws {
        var log = [UInt8]()
        while log.count < 100_000 { log.append(contentsOf: BundleReaderTests.syslog.utf8) }
        let piped = try PipedBytes(log)
        defer { piped.finish() }
        let (summary, consumer) = read(piped.path)
        let name = String(piped.path.split(separator: "/").last ?? "")
        #expect(summary.complete)
        #expect(summary.format == "file")
        #expect(consumer.kinds[name] == .nodeLog)
        #expect(consumer.contents[name] == log)
    }

    @Test("a piped bundle cut short keeps what came before the cut, and says where it broke",
          arguments: [ArchiveWriter.Format.tarGzip, .tarZstd, .tarXz])
    func keepsWhatWasReadFromATruncatedStream(format: ArchiveWriter.Format) throws {
        var rng = XorShift(seed: 11)
        let filler = (0..<400_000).map { _ in UInt8.random(in: 0x21...0x7E, using: &rng) }
        let bytes = try TempBundle.archiveBytes(format, [
            ("b/var/log/syslog", Array(BundleReaderTests.syslog.utf8)), ("b/var/log/messages", filler + [0x0A]),
        ])
        let (summary, consumer) = try readPiped(Array(bytes.prefix(bytes.count / 2)))
        #expect(!summary.complete)
        #expect(consumer.text("b/var/log/syslog") == BundleReaderTests.syslog)
        #expect(summary.warnings.contains { $0.severity == .damage && $0.file == "b/var/log/messages" })
        #expect(consumer.damaged.contains("b/var/log/messages"))
    }

    @Test("binary junk, and a gzip stream that turns to junk, piped in: counted and reported, never a crash")
    func reportsDamagedPipedInput() throws {
        var rng = XorShift(seed: 29)
        let junk = (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let (junkSummary, junkRead) = try readPiped(junk)
        #expect(junkRead.contents.isEmpty)
        #expect(junkSummary.entries.count == 1 && junkSummary.entries.first?.skipReason != nil)

        let bundle = try TempBundle.archiveBytes(.tarGzip, [
            ("b/var/log/syslog", Array(BundleReaderTests.syslog.utf8)), ("b/var/log/messages", junk),
        ])
        var damaged = Array(bundle.prefix(bundle.count / 2))
        damaged += junk.prefix(50_000)
        let (summary, consumer) = try readPiped(damaged)
        #expect(!summary.complete)
        #expect(consumer.text("b/var/log/syslog") == BundleReaderTests.syslog)
        #expect(summary.warnings.contains { $0.severity == .damage })
    }

    /// A stream has no size to weigh inflation against: what its reader took from it stands in. A
    /// bomb still stops, and a large, well-compressed bundle (also one inside another archive) does not.
    @Test func weighsAStreamsInflationAgainstWhatWasReadFromIt() throws {
        var limits = BundleLimits()
        limits.ratioCheckAfterBytes = 4 << 20
        limits.maxCompressionRatio = 100

        var writer = try ArchiveWriter(format: .tarZstd)
        let letters = [UInt8](repeating: 0x41, count: 1 << 20)
        try writer.beginFile(path: "bomb/syslog", size: Int64(letters.count) * 64, modified: 0)
        for _ in 0..<64 { try letters.withUnsafeBytes { try writer.write($0) } }
        try writer.endFile()
        let (bomb, _) = try readPiped(try writer.finish(), limits: limits)
        #expect(!bomb.complete)
        #expect(bomb.warnings.contains { $0.message.contains("compression ratio") })

        var rng = XorShift(seed: 3)
        var log = [UInt8]()
        while log.count < 12 << 20 {
            log.append(contentsOf: "Oct 12 19:00:20 node-\(rng.next() % 1000) kubelet[\(rng.next() % 100_000)]: I1012 ok\n".utf8)
        }
        let inner = try TempBundle.archiveBytes(.tarGzip, [("var/log/syslog", log)])
        for bytes in [try TempBundle.archiveBytes(.tarZstd, [("node/var/log/syslog", log)]),
                      try TempBundle.archiveBytes(.tar, [("nodes/node-a.tar.gz", inner)])] {
            #expect(Double(log.count) / Double(bytes.count) < limits.maxCompressionRatio)
            let (summary, consumer) = try readPiped(bytes, limits: limits)
            #expect(summary.complete, "\(summary.warnings.map(\.message))")
            #expect(consumer.contents.values.map(\.count) == [log.count])
        }
    }

    @Test("a piped bundle read on two threads: the same calls as one thread, zstd blocks lent",
          arguments: [ArchiveWriter.Format.tarZstd, .tarGzip, .tar])
    func readsAStreamPipelined(format: ArchiveWriter.Format) throws {
        var log = [UInt8]()
        while log.count < 3 << 20 { log.append(contentsOf: BundleReaderTests.syslog.utf8) }
        let bytes = try TempBundle.archiveBytes(format, [("a/syslog", log), ("b/kern.log", log), ("c/syslog", log)])
        for cut in [bytes.count, bytes.count / 2] {
            let once = try PipedBytes(Array(bytes.prefix(cut)))
            var reader = BundleReader()
            var direct = ParallelBundleReaderTests.Recorder()
            let directSummary = reader.read(once.path, into: &direct)
            once.finish()
            let twice = try PipedBytes(Array(bytes.prefix(cut)))
            var pipelined = ParallelBundleReaderTests.Recorder()
            let lender = BlockLender()
            let summary = PipelinedBundleReader().read(twice.path, into: &pipelined, lender: lender)
            twice.finish()
            #expect(pipelined.calls == direct.calls)
            #expect(summary.entries == directSummary.entries)
            #expect(summary.warnings == directSummary.warnings)
            #expect(summary.complete == (cut == bytes.count))
            #expect((lender.loansMade > 0) == (format == .tarZstd))
        }
    }

    @Test("a piped .tar.gz or .tar.zst is decoded here (igzip, libzstd without the window copy), other compressions by libarchive",
          arguments: [(ArchiveWriter.Format.tarGzip, true), (.tarZstd, true), (.tarXz, false), (.tar, false)])
    func decodesAPipedStreamLikeAFile(format: ArchiveWriter.Format, decodedHere: Bool) throws {
        let bytes = try TempBundle.archive(format, [("var/log/syslog", BundleReaderTests.syslog)])
        let piped = try PipedBytes(bytes)
        defer { piped.finish() }
        let fd = open(piped.path, O_RDONLY | O_CLOEXEC)
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 16)
        let got = head.withUnsafeMutableBytes { POSIXRead.read(fd, into: $0.baseAddress, count: $0.count) }
        #expect(got == head.count)
        var reader = try ArchiveReader(.stream(descriptor: fd, head: head), formats: .archives(allowRawCompressed: true))
        switch reader.streamMeter {
        case .decoding?: #expect(decodedHere)
        case .passing?: #expect(!decodedHere)
        case nil: Issue.record("a stream source has a meter")
        }
        let entry = try #require(try reader.next())
        var contents = [UInt8]()
        try reader.forEachBlock { block, _ in
            contents.append(contentsOf: block)
            return true
        }
        #expect(entry.path == "var/log/syslog")
        #expect(String(decoding: contents, as: UTF8.self) == BundleReaderTests.syslog)
        #expect(try reader.next() == nil)
        let taken = reader.streamMeter?.bytesIn ?? 0
        #expect(taken > 0 && taken <= Int64(bytes.count), "\(taken) of \(bytes.count)")
        #expect(taken == Int64(bytes.count) || !decodedHere, "\(taken) of \(bytes.count)")
    }

    @Test func plansToReadAStreamOnTwoThreads() throws {
        guard ReadingPlan.availableProcessors() > 1 else { return }
        #expect(ReadingPlan.choose(for: BundleReader.standardInput) == .pipelined)
        let piped = try PipedBytes(Array("x\n".utf8))
        defer { piped.finish() }
        #expect(ReadingPlan.choose(for: piped.path) == .pipelined)
    }
}
