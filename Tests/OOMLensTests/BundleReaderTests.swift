import Foundation
import Testing
@testable import OOMLens

/// Collects what the reader delivers: each member's kind and bytes.
struct CollectingConsumer: MemberConsumer {
    var contents: [String: [UInt8]] = [:]
    var kinds: [String: FileKind] = [:]
    var contexts: [String: ParseContext] = [:]
    var damaged: Set<String> = []
    private var current = ""

    mutating func begin(_ context: ParseContext) {
        current = context.path
        kinds[current] = context.kind
        contexts[current] = context
        contents[current] = []
    }

    mutating func feed(_ block: UnsafeRawBufferPointer) { contents[current, default: []].append(contentsOf: block) }

    mutating func end(damaged: Bool) { if damaged { self.damaged.insert(current) } }

    func text(_ path: String) -> String? { contents[path].map { String(decoding: $0, as: UTF8.self) } }
}

/// Archives built in the test with libarchive's writer, written to a temporary folder.
struct TempBundle {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("oomlens-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let p = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }

    static func archive(_ format: ArchiveWriter.Format, _ files: [(String, String)]) throws -> [UInt8] {
        try archiveBytes(format, files.map { ($0.0, Array($0.1.utf8)) })
    }

    static func archiveBytes(_ format: ArchiveWriter.Format, _ files: [(String, [UInt8])]) throws -> [UInt8] {
        var writer = try ArchiveWriter(format: format)
        for (path, bytes) in files { try writer.addFile(path: path, contents: bytes, modified: 1_700_000_000) }
        return try writer.finish()
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

@Suite struct BundleReaderTests {
    static let syslog = "Oct 12 19:00:20 aks-node-1 kernel: [ 8523.347333] Memory cgroup out of memory: Killed process 183960 (stress-ng-vm) total-vm:299192kB, anon-rss:93176kB, file-rss:316kB, shmem-rss:12kB, UID:0 pgtables:476kB oom_score_adj:1000\n"
    static let pods = "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"items\":[]}\n"

    private func read(_ path: String, limits: BundleLimits = BundleLimits()) -> (BundleSummary, CollectingConsumer) {
        var reader = BundleReader(limits: limits)
        var consumer = CollectingConsumer()
        let summary = reader.read(path, into: &consumer)
        return (summary, consumer)
    }

    /// A node's syslog, a PodList and a file oomlens does not read, in `format`.
    static func threeMembers(_ format: ArchiveWriter.Format) throws -> [UInt8] {
        try TempBundle.archive(format, [
            ("bundle/nodes/aks-node-1/var/log/syslog", Self.syslog),
            ("bundle/cluster-resources/pods/default.json", Self.pods),
            ("bundle/README.txt", "hello\n"),
        ])
    }

    @Test(arguments: [ArchiveWriter.Format.tar, .tarGzip, .tarZstd, .tarXz, .tarBzip2, .zip])
    func readsEveryArchiveFormat(format: ArchiveWriter.Format) throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let bytes = try Self.threeMembers(format)
        let path = try temp.write("bundle.\(format.fileExtension)", bytes)
        let (summary, consumer) = read(path)
        #expect(summary.complete)
        #expect(summary.format == format.fileExtension)
        #expect(consumer.text("bundle/nodes/aks-node-1/var/log/syslog") == Self.syslog)
        #expect(consumer.kinds["bundle/nodes/aks-node-1/var/log/syslog"] == .nodeLog)
        #expect(consumer.contexts["bundle/nodes/aks-node-1/var/log/syslog"]?.nodeHint == "aks-node-1")
        #expect(consumer.kinds["bundle/cluster-resources/pods/default.json"] == .apiJSON)
        #expect(summary.filesRead == 3)
        #expect(summary.filesSkipped == 1)
        #expect(summary.bytesParsed == Int64(Self.syslog.utf8.count + Self.pods.utf8.count))
    }

    @Test func readsNestedArchivesInTheSamePass() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let inner = try TempBundle.archive(.tarGzip, [("var/log/kern.log", Self.syslog)])
        let zip = try TempBundle.archive(.zip, [("describe/pods.txt", "Name:         web-1\nNamespace:    default\n")])
        var rotated = try ArchiveWriter(format: .gzipRaw)
        try rotated.addFile(path: "syslog.2", contents: Array(Self.syslog.utf8), modified: 0)
        let gz = try rotated.finish()
        let outer = try TempBundle.archiveBytes(.tarGzip, [
            ("nodes/node-a.tar.gz", inner), ("extra/describe.zip", zip), ("nodes/node-b/var/log/syslog.2.gz", gz),
        ])
        let path = try temp.write("outer.tgz", outer)
        let (summary, consumer) = read(path)
        #expect(summary.complete)
        #expect(consumer.text("nodes/node-a.tar.gz!/var/log/kern.log") == Self.syslog)
        // The node's own archive names the node.
        #expect(consumer.contexts["nodes/node-a.tar.gz!/var/log/kern.log"]?.nodeHint == "node-a")
        #expect(consumer.kinds["extra/describe.zip!/describe/pods.txt"] == .describePods)
        #expect(consumer.text("nodes/node-b/var/log/syslog.2.gz") == Self.syslog)
        #expect(consumer.kinds["nodes/node-b/var/log/syslog.2.gz"] == .nodeLog)
    }

    @Test func limitsNestingDepth() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        var bytes = try TempBundle.archive(.tarGzip, [("deep/syslog", Self.syslog)])
        for level in 0..<20 { bytes = try TempBundle.archiveBytes(.tarGzip, [("level\(level).tar.gz", bytes)]) }
        let path = try temp.write("deep.tgz", bytes)
        let (summary, consumer) = read(path)
        #expect(consumer.contents.isEmpty)
        #expect(summary.entries.contains { $0.skipReason == "nested too deep" })
        #expect(summary.warnings.contains { $0.message.contains("nested deeper") })
    }

    @Test func keepsWhatWasReadFromATruncatedArchive() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        // Incompressible filler after the OOM line makes the cut land inside the later member.
        var rng = SystemRandomNumberGenerator()
        let filler = (0..<400_000).map { _ in UInt8.random(in: 0x21...0x7E, using: &rng) }
        let bytes = try TempBundle.archiveBytes(.tarGzip, [
            ("b/var/log/syslog", Array(Self.syslog.utf8)), ("b/var/log/messages", filler + [0x0A]),
        ])
        let path = try temp.write("cut.tgz", Array(bytes.prefix(bytes.count / 2)))
        let (summary, consumer) = read(path)
        #expect(!summary.complete)
        #expect(consumer.text("b/var/log/syslog") == Self.syslog)
        #expect(summary.warnings.contains { $0.severity == .damage && $0.file == "b/var/log/messages" })
        #expect(consumer.damaged.contains("b/var/log/messages"))
    }

    @Test func stopsADecompressionBomb() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        var writer = try ArchiveWriter(format: .tarZstd)
        let zeros = [UInt8](repeating: 0x41, count: 1 << 20)
        try writer.beginFile(path: "bomb/syslog", size: Int64(zeros.count) * 64, modified: 0)
        for _ in 0..<64 { try zeros.withUnsafeBytes { try writer.write($0) } }
        try writer.endFile()
        let path = try temp.write("bomb.tar.zst", try writer.finish())
        var limits = BundleLimits()
        limits.ratioCheckAfterBytes = 4 << 20
        limits.maxCompressionRatio = 100
        let (summary, _) = read(path, limits: limits)
        #expect(!summary.complete)
        #expect(summary.warnings.contains { $0.message.contains("compression ratio") })
        var total = BundleLimits()
        total.maxTotalBytes = 8 << 20
        let (capped, consumer) = read(path, limits: total)
        #expect(!capped.complete)
        #expect((consumer.contents["bomb/syslog"]?.count ?? 0) <= 8 << 20)
        #expect(capped.warnings.contains { $0.message.contains("uncompressed bytes") })
    }

    @Test func skipsLinksAndCountsThem() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        var writer = try ArchiveWriter(format: .tarGzip)
        try writer.addFile(path: "b/var/log/syslog", contents: Array(Self.syslog.utf8), modified: 0)
        try writer.addSymlink(path: "b/var/log/link", target: "/etc/passwd", modified: 0)
        try writer.addHardlink(path: "b/var/log/hard", target: "b/var/log/syslog", modified: 0)
        try writer.addFile(path: "../../etc/passwd", contents: Array("root:x:0:0\n".utf8), modified: 0)
        let path = try temp.write("links.tgz", try writer.finish())
        let (summary, consumer) = read(path)
        #expect(summary.skippedByReason["symlink"] == 1)
        #expect(summary.skippedByReason["hardlink"] == 1)
        #expect(consumer.text("b/var/log/syslog") == Self.syslog)
        // A hostile name is only a label: nothing is written anywhere.
        #expect(summary.entries.contains { $0.path == "../../etc/passwd" })
    }

    @Test func repairsNonUTF8Names() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let dir = temp.path("latin")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let name: [CChar] = (Array("\(dir)/caf".utf8) + [0xE9] + Array("-syslog".utf8) + [0]).map { CChar(bitPattern: $0) }
        let fd = open(name, O_CREAT | O_WRONLY, 0o644)
        #expect(fd >= 0)
        _ = Self.syslog.withCString { write(fd, $0, strlen($0)) }
        close(fd)
        let (summary, consumer) = read(dir)
        #expect(summary.entries.count == 1)
        #expect(summary.entries.first?.path == "caf\u{FFFD}-syslog")
        #expect(consumer.text("caf\u{FFFD}-syslog") == Self.syslog)
    }

    @Test func readsASCIIUTF8AndLatin1MemberNamesInATar() throws {
        // A ustar archive written by hand: member names are raw bytes in the header.
        func octal(_ value: Int, _ width: Int) -> [UInt8] {
            let digits = Array(String(value, radix: 8).utf8)
            return Array(repeating: UInt8(ascii: "0"), count: width - 1 - digits.count) + digits + [0]
        }
        func member(_ name: [UInt8], _ text: String) -> [UInt8] {
            var header = [UInt8](repeating: 0, count: 512)
            header.replaceSubrange(0..<name.count, with: name)
            header.replaceSubrange(100..<108, with: octal(0o644, 8))
            header.replaceSubrange(108..<116, with: octal(0, 8))
            header.replaceSubrange(116..<124, with: octal(0, 8))
            header.replaceSubrange(124..<136, with: octal(text.utf8.count, 12))
            header.replaceSubrange(136..<148, with: octal(1_710_000_000, 12))
            header.replaceSubrange(148..<156, with: Array(repeating: UInt8(ascii: " "), count: 8))
            header[156] = UInt8(ascii: "0")
            header.replaceSubrange(257..<265, with: Array("ustar\u{0}00".utf8))
            let sum = header.reduce(0) { $0 + Int($1) }
            header.replaceSubrange(148..<155, with: octal(sum, 7))
            let data = Array(text.utf8)
            return header + data + [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
        }
        let tar = member(Array("nodes/node-a/var/log/syslog".utf8), Self.syslog)
            + member(Array("nodes/nœud-é/var/log/syslog".utf8), Self.syslog)
            + member(Array("caf".utf8) + [0xE9] + Array("-syslog".utf8), Self.syslog)
            + [UInt8](repeating: 0, count: 1024)
        let temp = try TempBundle()
        defer { temp.remove() }
        let (summary, consumer) = read(try temp.write("names.tar", tar))
        #expect(summary.entries.map(\.path) == ["nodes/node-a/var/log/syslog", "nodes/nœud-é/var/log/syslog", "caf\u{FFFD}-syslog"])
        #expect(consumer.text("nodes/node-a/var/log/syslog") == Self.syslog)
        #expect(consumer.text("nodes/nœud-é/var/log/syslog") == Self.syslog)
        #expect(consumer.text("caf\u{FFFD}-syslog") == Self.syslog)
        #expect(summary.warnings.filter { $0.message.contains("not valid UTF-8") }.map(\.file) == ["caf\u{FFFD}-syslog"])
    }

    @Test func readsADirectoryWithoutFollowingSymlinks() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let root = temp.path("extracted")
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/nodes/n1/var/log", withIntermediateDirectories: true)
        try Data(Self.syslog.utf8).write(to: URL(fileURLWithPath: root + "/nodes/n1/var/log/syslog"))
        try fm.createSymbolicLink(atPath: root + "/loop", withDestinationPath: root)
        try fm.createSymbolicLink(atPath: root + "/outside", withDestinationPath: "/etc")
        let inner = try TempBundle.archive(.tarGzip, [("kern.log", Self.syslog)])
        try Data(inner).write(to: URL(fileURLWithPath: root + "/nodes/n2.tgz"))
        let (summary, consumer) = read(root)
        #expect(summary.format == "directory")
        #expect(consumer.text("nodes/n1/var/log/syslog") == Self.syslog)
        #expect(consumer.text("nodes/n2.tgz!/kern.log") == Self.syslog)
        #expect(summary.skippedByReason["symlink (not followed)"] == 2)
    }

    @Test func readsASingleLogFilePlainOrCompressed() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let plain = try temp.write("kern.log", Array(Self.syslog.utf8))
        let (s1, c1) = read(plain)
        #expect(s1.format == "file")
        #expect(c1.text("kern.log") == Self.syslog)
        var writer = try ArchiveWriter(format: .gzipRaw)
        try writer.addFile(path: "kern.log", contents: Array(Self.syslog.utf8), modified: 0)
        let gz = try temp.write("kern.log.gz", try writer.finish())
        let (s2, c2) = read(gz)
        #expect(s2.format == "gz")
        #expect(c2.text("kern.log.gz") == Self.syslog)
        #expect(c2.kinds["kern.log.gz"] == .nodeLog)
    }

    @Test func handlesEmptyAndZeroByteInputs() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let empty = try temp.write("empty.tgz", try TempBundle.archive(.tarGzip, []))
        let (s1, _) = read(empty)
        #expect(s1.complete)
        #expect(s1.filesRead == 0)
        let zero = try temp.write("zero.log", [])
        let (s2, _) = read(zero)
        #expect(s2.entries.first?.skipReason == "empty")
        let junk = try temp.write("syslog", (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let (s3, c3) = read(junk)
        #expect(s3.entries.first?.skipReason == "binary")
        #expect(c3.contents.isEmpty)
    }

    @Test func deliversCRLFAndOverlongLinesToLineParsers() throws {
        let text = "first\r\n" + String(repeating: "x", count: 3000) + "\r\nlast\r\n"
        var splitter = LineSplitter(maxLineBytes: 1000)
        var lines: [String] = []
        Array(text.utf8).withUnsafeBytes { bytes in splitter.feed(bytes) { lines.append($0.bytes.string) } }
        splitter.finish { lines.append($0.bytes.string) }
        #expect(lines == ["first", String(repeating: "x", count: 1000), "last"])
        #expect(splitter.cutLines == 1)
    }
}
