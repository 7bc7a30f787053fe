import Foundation
import Testing
@testable import OOMLens
#if canImport(Glibc)
import Glibc
#endif

/// Hostile and broken bundles, generated here (nothing binary is committed), each through the full
/// pipeline: they must not crash or hang, must stop at a limit with a clear message, and must keep the
/// real kernel OOM block hidden among the damage. A few also run the built binary in a child process
/// whose exit status (< 128: no crash) and peak memory (`ru_maxrss` via `wait4`) are checked.
@Suite struct HostileInputTests {
    typealias H = HostileInput
    static let syslog = "bundle/nodes/\(H.node)/var/log/syslog"
    static let mebibyte = 1 << 20

    // MARK: - Damage

    @Test func truncatedTarGzStillReportsTheOOMBeforeTheCut() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let log = try H.oomBlock() + H.fillerLines(12_000, seed: 1)
        let whole = try TempBundle.archiveBytes(.tarGzip, [
            (Self.syslog, log), ("bundle/cluster-resources/pods/default.json", Array(#"{"kind":"PodList","items":[]}"#.utf8)),
        ])
        let cut = try temp.write("cut.tar.gz", Array(whole.prefix(whole.count * 6 / 10)))

        let report = H.analyze(cut, within: 60)
        #expect(!report.bundle.complete)
        H.expectSampleKill(report, file: Self.syslog, line: H.killLine)
        let entry = try #require(report.bundle.entries.first { $0.path == Self.syslog })
        #expect(entry.damaged)
        #expect(entry.bytesParsed > Int64(H.killLine * 100) && entry.bytesParsed < Int64(log.count))
        #expect(report.bundle.warnings.contains { $0.severity == .damage && $0.file == Self.syslog })

        let run = try MeasuredRun.oomlens(["analyze", cut])
        #expect(run.status == 2 && !run.timedOut, "stderr: \(run.stderr)")
        #expect(run.stdout.contains("PARTIAL RESULTS") && run.stdout.contains("truncated gzip input"))
        #expect(run.stdout.contains("stress-ng-vm pid 183960"))
        #expect(run.maxRSSBytes < MeasuredRun.memoryCeiling(mebibytes: 256), "peak memory \(run.maxRSSBytes) bytes")
    }

    @Test func corruptTarHeaderMidArchiveSkipsToTheNextMember() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let describe = try Fixture.bytes("kubectl-describe-pod-oomkilled-excerpts.txt")
        var tar = try TempBundle.archiveBytes(.tar, [
            (Self.syslog, try H.oomBlock()),
            ("bundle/notes/lost.txt", Array(String(repeating: "this member's header is damaged\n", count: 80).utf8)),
            ("bundle/describe/pods.txt", describe),
        ])
        // The second header: the 512-byte block that names it. Overwrite its size, mode and checksum fields.
        let name = Array("bundle/notes/lost.txt".utf8)
        let header = try #require(stride(from: 0, to: tar.count, by: 512).first { Array(tar[$0..<($0 + name.count)]) == name })
        for i in (header + 100)..<(header + 156) { tar[i] = UInt8(ascii: "Z") }
        let path = try temp.write("corrupt.tar", tar)

        let report = H.analyze(path, within: 30)
        #expect(!report.bundle.complete)
        H.expectSampleKill(report, file: Self.syslog, line: H.killLine)
        #expect(report.bundle.warnings.contains { $0.severity == .damage && $0.message.contains("header") })
        // Reading resumes at the next good header: the member after the damage is read whole.
        let after = try #require(report.bundle.entries.first { $0.path == "bundle/describe/pods.txt" })
        #expect(after.kind == .describePods && after.bytesParsed == Int64(describe.count) && !after.damaged)
        #expect(report.timeline.observations.contains { $0.location.file == "bundle/describe/pods.txt" })
        // The lost bytes are named as a skipped, damaged region.
        #expect(report.bundle.entries.contains { $0.skipReason == "damaged header" })
    }

    // MARK: - Limits

    /// 256 MiB of zeros (skipped as binary) or of one repeated log line (parsed), in gzip and zstd.
    @Test(arguments: [(ArchiveWriter.Format.tarGzip, false), (.tarGzip, true), (.tarZstd, false), (.tarZstd, true)])
    func decompressionBombIsStoppedByTheRatioLimit(format: ArchiveWriter.Format, text: Bool) throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        var writer = try ArchiveWriter(format: format)
        try writer.addFile(path: Self.syslog, contents: try H.oomBlock(), modified: 1_700_000_000)
        let line = Array("Oct 12 19:06:00 \(H.node) kernel: [ 9100.000000] all work and no play makes jack a dull boy\n".utf8)
        let block: [UInt8] = text ? Array((0..<(Self.mebibyte / line.count + 1)).flatMap { _ in line }.prefix(Self.mebibyte))
            : [UInt8](repeating: 0, count: Self.mebibyte)
        try writer.beginFile(path: Self.syslog + ".1", size: Int64(256 * Self.mebibyte), modified: 1_700_000_000)
        for _ in 0..<256 { try block.withUnsafeBytes { try writer.write($0) } }
        try writer.endFile()
        let path = try temp.write("bomb.\(format.fileExtension)", try writer.finish())

        var limits = BundleLimits()
        limits.ratioCheckAfterBytes = 8 << 20
        limits.maxCompressionRatio = 100
        let report = H.analyze(path, limits: limits, within: 30)
        #expect(!report.bundle.complete)
        #expect(report.bundle.warnings.contains { $0.severity == .damage && $0.message.contains("compression ratio above 100:1") })
        #expect(report.bundle.bytesDecompressed < 32 << 20, "decompressed \(report.bundle.bytesDecompressed) bytes before stopping")
        H.expectSampleKill(report, file: Self.syslog, line: H.killLine)
    }

    @Test func decompressionBombStopsTheBinaryWithItsDefaultLimits() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        var writer = try ArchiveWriter(format: .tarGzip)
        try writer.addFile(path: Self.syslog, contents: try H.oomBlock(), modified: 1_700_000_000)
        let zeros = [UInt8](repeating: 0, count: Self.mebibyte)
        try writer.beginFile(path: "bundle/core.dump", size: Int64(512 * Self.mebibyte), modified: 1_700_000_000)
        for _ in 0..<512 { try zeros.withUnsafeBytes { try writer.write($0) } }
        try writer.endFile()
        let path = try temp.write("bomb.tar.gz", try writer.finish())

        let run = try MeasuredRun.oomlens(["analyze", path], timeout: 120)
        #expect(run.status == 2 && !run.timedOut, "stderr: \(run.stderr)")
        #expect(run.stdout.contains("compression ratio above 500:1"))
        #expect(run.stdout.contains("stress-ng-vm pid 183960"))
        #expect(run.maxRSSBytes < MeasuredRun.memoryCeiling(mebibytes: 256), "peak memory \(run.maxRSSBytes) bytes")
        #expect(run.seconds < 60)
    }

    @Test func twentyLevelsOfNestingStopAtTheLimit() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        var bytes = try TempBundle.archiveBytes(.tarGzip, [("deep/var/log/syslog", try H.oomBlock())])
        for level in (1...20).reversed() {
            bytes = try TempBundle.archiveBytes(.tarGzip, [("level\(level).tar.gz", bytes)])
        }
        let path = try H.write(temp, "nested.tar.gz", .tarGzip, [(Self.syslog, try H.oomBlock()), ("bundle/nested.tar.gz", bytes)])

        let report = H.analyze(path, within: 30)
        H.expectSampleKill(report, file: Self.syslog, line: H.killLine)
        let skipped = try #require(report.bundle.entries.first { $0.skipReason == "nested too deep" })
        #expect(skipped.path.components(separatedBy: "!/").count == 4)
        #expect(skipped.declaredSize ?? 0 > 0)
        #expect(report.bundle.warnings.contains { $0.message.contains("nested deeper than 4 levels") })
        #expect(!report.timeline.observations.contains { $0.location.file.hasSuffix("deep/var/log/syslog") })
    }

    @Test func twentyThousandTinyFiles() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        var files: [(String, [UInt8])] = (0..<20_000).map { i in
            ("bundle/cluster-resources/pods/logs/default/web-\(i)/app.log", Array("started worker \(i)\n".utf8))
        }
        files.append((Self.syslog, try H.oomBlock()))
        let path = try H.write(temp, "many.tar.gz", .tarGzip, files)

        let report = H.analyze(path, within: 120)
        #expect(report.bundle.complete)
        #expect(report.bundle.filesRead == 20_001)
        #expect(report.bundle.entries.filter { $0.kind == .containerLog }.count == 20_000)
        H.expectSampleKill(report, file: Self.syslog, line: H.killLine)

        var limits = BundleLimits()
        limits.maxEntries = 5_000
        let capped = H.analyze(path, limits: limits, within: 60)
        #expect(!capped.bundle.complete)
        #expect(capped.bundle.filesRead == 5_000)
        #expect(capped.bundle.warnings.contains { $0.message.contains("more than 5000 members") })

        let run = try MeasuredRun.oomlens(["analyze", path, "--format", "json"], timeout: 180)
        #expect(run.status == 0 && !run.timedOut, "stderr: \(run.stderr)")
        #expect(run.maxRSSBytes < MeasuredRun.memoryCeiling(mebibytes: 512), "peak memory \(run.maxRSSBytes) bytes")
    }

    @Test func twoHundredMegabyteLineThenTheOOM() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let oom = try H.oomBlock()
        let lineBytes = 200 * Self.mebibyte
        let prefix = Array("Oct 12 18:59:00 \(H.node) kernel: [ 8400.000000] ".utf8)
        let path = temp.path("huge-line.tar")
        var writer = try ArchiveWriter(format: .tar, path: path)
        try writer.beginFile(path: Self.syslog, size: Int64(lineBytes + 1 + oom.count), modified: 1_700_000_000)
        try prefix.withUnsafeBytes { try writer.write($0) }
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: Self.mebibyte)
        var remaining = lineBytes - prefix.count
        while remaining > 0 {
            let n = min(remaining, chunk.count)
            try chunk.withUnsafeBytes { try writer.write(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            remaining -= n
        }
        try [UInt8(0x0A)].withUnsafeBytes { try writer.write($0) }
        try oom.withUnsafeBytes { try writer.write($0) }
        try writer.endFile()
        _ = try writer.finish()

        let report = H.analyze(path, within: 120)
        #expect(report.bundle.complete)
        H.expectSampleKill(report, file: Self.syslog, line: H.killLine + 1)
        let cut = report.diagnostics.first { $0.file == Self.syslog && $0.message.contains("were cut") }
        #expect(cut?.line == 1)
        #expect(cut?.message.contains("1 line(s) longer than 1048576 bytes") == true)
        #expect(cut?.message.contains("\(lineBytes - Self.mebibyte) bytes skipped") == true)

        let run = try MeasuredRun.oomlens(["analyze", path, "--format", "json"], timeout: 180)
        #expect(run.status == 0 && !run.timedOut, "stderr: \(run.stderr)")
        #expect(H.incidentPIDs(json: run.stdout).contains(183960))
        #expect(run.maxRSSBytes < MeasuredRun.memoryCeiling(mebibytes: 256), "peak memory \(run.maxRSSBytes) bytes")
    }

    // MARK: - Odd content

    @Test func binaryFileNamedSyslog() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        var rng = XorShift(seed: 7)
        let binary = (0..<65_536).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        // High bytes only: no NUL, no control byte, so it is not "binary" and the node-log parser reads it.
        let highBytes = (0..<65_536).map { _ in UInt8(0x80 + rng.next() % 0x80) }
        let path = try H.write(temp, "binary.tar.gz", .tarGzip, [
            ("bundle/nodes/n1/var/log/syslog", binary),
            (Self.syslog, highBytes + [0x0A] + (try H.oomBlock())),
        ])
        let report = H.analyze(path, within: 30)
        #expect(report.bundle.entries.first { $0.path == "bundle/nodes/n1/var/log/syslog" }?.skipReason == "binary")
        #expect(report.bundle.entries.first { $0.path == Self.syslog }?.kind == .nodeLog)
        H.expectSampleKill(report, file: Self.syslog, line: H.killLine + 1)
    }

    @Test func latin1AndInvalidUTF8AroundTheOOM() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let stamp = Array("Oct 12 18:59:59 \(H.node) kernel: [ 8500.000000] ".utf8)
        let junk: [[UInt8]] = [
            stamp + Array("caf".utf8) + [0xE9] + Array(" cr".utf8) + [0xE8] + Array("me br".utf8) + [0xFB] + Array("l".utf8) + [0xE9, 0x0A],
            stamp + [0xC0, 0xAF, 0xED, 0xA0, 0x80, 0xF8, 0x88, 0x80, 0x80, 0x80, 0x0A],     // overlong, surrogate, 5-byte
            stamp + [0x80, 0xBF, 0xFE, 0xFF, 0xE2, 0x82, 0x0A],                            // lone continuations, BOM-ish, cut
        ]
        let trailing = stamp + Array("Memory cgroup out of memory: Killed process 4242 (caf".utf8) + [0xE9]
            + Array(") total-vm:1000kB, anon-rss:500kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n".utf8)
        let log = junk.flatMap { $0 } + (try H.oomBlock()) + trailing + junk.flatMap { $0 }
        let path = try H.write(temp, "latin1.tar.gz", .tarGzip, [(Self.syslog, log)])

        let report = H.analyze(path, within: 30)
        H.expectSampleKill(report, file: Self.syslog, line: H.killLine + junk.count)
        // Whatever a parser kept of the Latin-1 name is valid text (repaired), never raw bytes.
        for observation in report.timeline.observations where observation.process?.pid == 4242 {
            #expect(observation.process?.name.unicodeScalars.allSatisfy { $0.value != 0 } == true)
        }
    }

    /// After an unclean shutdown — what a node OOM often ends in — syslog holds blocks of NULs where the
    /// file was extended but never written. The file is still a log; the OOM around the NULs is found.
    @Test func nulBlocksFromAnUncleanShutdown() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let reboot = Array("Oct 12 19:12:00 \(H.node) kernel: [    0.000000] Linux version 5.15.0-1041-azure (buildd@lcy02-amd64-079)\n".utf8)
        let log = [UInt8](repeating: 0, count: 3000) + (try H.oomBlock()) + [UInt8](repeating: 0, count: 8192) + reboot
        let path = try H.write(temp, "nul.tar.gz", .tarGzip, [(Self.syslog, log)])
        let report = H.analyze(path, within: 30)
        #expect(report.bundle.entries.first?.kind == .nodeLog)
        H.expectSampleKill(report, file: Self.syslog, line: H.killLine)
        // UTF-16 (NULs between the letters) and an ELF header stay binary.
        let utf16: [UInt8] = Array("Oct 12 19:00:20 node kernel: hello\n".utf8).flatMap { byte -> [UInt8] in [byte, 0] }
        let elf: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 8) + [2, 0, 0x3E, 0, 1, 0, 0, 0]
        for bytes: [UInt8] in [utf16, elf, [UInt8](repeating: 0, count: 4096)] {
            #expect(bytes.withUnsafeBytes { FileRecognizer.recognize(path: "var/log/syslog", head: $0) } == .skip(reason: "binary"))
        }
    }

    @Test func crlfLineEndings() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let crlf = try H.oomBlock().flatMap { $0 == 0x0A ? [0x0D, 0x0A] : [$0] }
        let path = try H.write(temp, "crlf.zip", .zip, [(Self.syslog, crlf)])
        let report = H.analyze(path, within: 30)
        #expect(report.bundle.complete)
        H.expectSampleKill(report, file: Self.syslog, line: H.killLine)
        #expect(!report.timeline.observations.contains { $0.summary.contains("\r") || ($0.containerID?.contains("\r") ?? false) })
    }

    @Test func emptyArchivesAndZeroByteFiles() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        for format in [ArchiveWriter.Format.tarGzip, .tarZstd, .tarXz, .zip] {
            let path = try H.write(temp, "empty.\(format.fileExtension)", format, [])
            let report = H.analyze(path, within: 10)
            #expect(report.bundle.complete, "\(format)")
            #expect(report.bundle.format == format.fileExtension)
            #expect(report.bundle.filesRead == 0 && report.incidents.isEmpty, "\(format)")
        }
        // An empty plain tar is 10 KiB of NULs, like any NUL-filled file: one member, skipped as binary.
        let emptyTar = try H.write(temp, "empty.tar", .tar, [])
        #expect(H.analyze(emptyTar, within: 10).bundle.entries.map(\.skipReason) == ["binary"])
        let zero = try temp.write("zero.tar.gz", [])
        let report = H.analyze(zero, within: 10)
        #expect(report.bundle.entries.map(\.skipReason) == ["empty"])

        let members = try H.write(temp, "zero-members.tar.gz", .tarGzip, [
            ("bundle/nodes/n1/var/log/syslog", []), ("bundle/cluster-resources/pods/default.json", []), (Self.syslog, try H.oomBlock()),
        ])
        let withMembers = H.analyze(members, within: 10)
        #expect(withMembers.bundle.complete)
        #expect(withMembers.bundle.skippedByReason["empty"] == 2)
        H.expectSampleKill(withMembers, file: Self.syslog, line: H.killLine)

        for path in [zero, temp.path("empty.tar.gz")] {
            let run = try MeasuredRun.oomlens(["analyze", path])
            #expect(run.status == 0 && !run.timedOut, "\(path): \(run.stderr)")
            #expect(run.stdout.contains("0 recognised"))
        }
    }

    @Test func directoryWithSymlinkLoopsAFifoAndAnUnreadableFile() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let root = temp.path("extracted")
        let logs = root + "/nodes/\(H.node)/var/log"
        let fm = FileManager.default
        try fm.createDirectory(atPath: logs, withIntermediateDirectories: true)
        try Data(try H.oomBlock()).write(to: URL(fileURLWithPath: logs + "/syslog"))
        try fm.createSymbolicLink(atPath: root + "/loop", withDestinationPath: root)
        try fm.createSymbolicLink(atPath: root + "/nodes/up", withDestinationPath: "..")
        try fm.createSymbolicLink(atPath: root + "/nodes/self", withDestinationPath: "self")
        try fm.createSymbolicLink(atPath: root + "/outside", withDestinationPath: "/etc")
        #expect(mkfifo(root + "/fifo", 0o644) == 0)
        let secret = logs + "/syslog.1"
        try Data("Oct 12 19:10:00 \(H.node) kernel: [ 9600.000000] hidden\n".utf8).write(to: URL(fileURLWithPath: secret))
        #expect(chmod(secret, 0) == 0)
        let locked = root + "/locked"
        try fm.createDirectory(atPath: locked, withIntermediateDirectories: true)
        try Data("Oct 12 19:10:00 node kernel: x\n".utf8).write(to: URL(fileURLWithPath: locked + "/syslog"))
        #expect(chmod(locked, 0) == 0)
        defer {
            chmod(secret, 0o644)
            chmod(locked, 0o755)
        }

        let report = H.analyze(root, within: 10)
        #expect(report.bundle.format == "directory")
        let prefix = "nodes/\(H.node)/var/log/"
        H.expectSampleKill(report, file: prefix + "syslog", line: H.killLine)
        #expect(report.bundle.skippedByReason["symlink (not followed)"] == 4)
        #expect(report.bundle.entries.first { $0.path == "fifo" }?.skipReason == "not a regular file")
        #expect(!report.bundle.entries.contains { $0.path.hasPrefix("loop/") || $0.path.hasPrefix("outside/") || $0.path.hasPrefix("nodes/up/") })
        if geteuid() == 0 {
            // Root reads a chmod 000 file and enters a chmod 000 directory: nothing to skip, and nothing
            // may pretend otherwise. (CI runs as root; the branch below runs on a developer's machine.)
            #expect(report.bundle.entries.first { $0.path == prefix + "syslog.1" }?.kind == .nodeLog)
            #expect(report.bundle.entries.first { $0.path == "locked/syslog" }?.kind == .nodeLog)
        } else {
            #expect(report.bundle.entries.first { $0.path == prefix + "syslog.1" }?.skipReason == "unreadable")
            #expect(report.bundle.entries.first { $0.path == "locked" }?.skipReason == "unreadable")
            #expect(report.bundle.warnings.contains { $0.file == prefix + "syslog.1" && $0.message.contains("cannot read") })
        }
    }

    @Test func hostileMemberNamesAreOnlyLabels() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let names = ["../../etc/passwd", "/etc/shadow", "bundle/../../../tmp/oomlens-escape.log", "./../x/syslog",
                     "bundle/\u{1B}[31mred\u{1B}[0m.log", "bundle/evil\nname.log", String(repeating: "deep/", count: 300) + "syslog"]
        var files = names.map { ($0, Array("Oct 12 19:00:00 host kernel: hello\n".utf8)) }
        files.append((Self.syslog, try H.oomBlock()))
        let path = try H.write(temp, "names.tar.gz", .tarGzip, files)
        let report = H.analyze(path, within: 10)
        #expect(report.bundle.complete)
        for name in names { #expect(report.bundle.entries.contains { $0.path == name }, "\(name.debugDescription)") }
        H.expectSampleKill(report, file: Self.syslog, line: H.killLine)
        for format in ["text", "markdown"] {
            let run = try MeasuredRun.oomlens(["analyze", path, "--format", format])
            #expect(run.status == 0)
            #expect(!run.stdout.contains("\u{1B}[31m"), "\(format) output passes terminal escapes through")
        }
    }
}
