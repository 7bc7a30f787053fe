import Foundation
import Testing
@testable import OOMLens

/// Nothing is lost without being counted: for bundles of every container kind, the bytes of all
/// members equal the bytes parsed plus the bytes skipped (by reason), every skipped member is in the
/// inventory with its reason, problems are named in warnings, cut lines are counted to the byte, and
/// the binary's `inventory` and the report's `bundle` block say the same.
@Suite struct AccountingTests {
    typealias H = HostileInput

    /// One bundle's members, and what the reader must make of each: a kind, or a skip reason.
    struct Member {
        var path: String
        var bytes: [UInt8]
        var expected: String
    }

    static let longLines: [UInt8] = Array((
        "Oct 12 19:01:00 node-1 kernel: [ 8600.000000] short\n"
        + "Oct 12 19:01:01 node-1 kernel: [ 8601.000000] " + String(repeating: "a", count: 2500) + "\n"
        + "Oct 12 19:01:02 node-1 kernel: [ 8602.000000] short\n"
        + "Oct 12 19:01:03 node-1 kernel: [ 8603.000000] " + String(repeating: "b", count: 3000) + "\r\n"
        + String(repeating: "c", count: 1001) + "\n"
        + "Oct 12 19:01:05 node-1 kernel: [ 8605.000000] last\n").utf8)

    static func members() throws -> [Member] {
        var rng = XorShift(seed: 3)
        let binary = (0..<5_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        return [
            Member(path: "b/nodes/node-1/var/log/syslog", bytes: try H.oomBlock(), expected: "node-log"),
            Member(path: "b/nodes/node-1/var/log/kern.log", bytes: longLines, expected: "node-log"),
            Member(path: "b/describe/pods.txt", bytes: try Fixture.bytes("kubectl-describe-pod-oomkilled-excerpts.txt"),
                   expected: "describe-pods"),
            Member(path: "b/README.md", bytes: Array(String(repeating: "nothing to see\n", count: 40).utf8),
                   expected: "not a format oomlens reads"),
            Member(path: "b/bin/tool", bytes: binary, expected: "binary"),
            Member(path: "b/empty.log", bytes: [], expected: "empty"),
        ]
    }

    /// The limits used in-process: lines over 1000 bytes are cut.
    static var limits: BundleLimits {
        var limits = BundleLimits()
        limits.maxLineBytes = 1000
        return limits
    }

    /// Checks one report against the members it was built from; `prefix` is how the reader names them.
    func expectAccounts(
        _ report: Report, _ members: [Member], prefix: String = "", extraSkipped: [String: Int64] = [:],
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        let b = report.bundle
        #expect(b.complete, sourceLocation: sourceLocation)
        for member in members {
            let entry = b.entries.first { $0.path == prefix + member.path }
            #expect(entry != nil, "\(member.path) is missing from the inventory", sourceLocation: sourceLocation)
            guard let entry else { continue }
            #expect((entry.kind?.rawValue ?? entry.skipReason) == member.expected, "\(member.path)", sourceLocation: sourceLocation)
            if entry.kind != nil {
                #expect(entry.bytesParsed == Int64(member.bytes.count), "\(member.path)", sourceLocation: sourceLocation)
            } else {
                #expect(entry.bytesParsed == 0 && entry.declaredSize == Int64(member.bytes.count), "\(member.path)",
                        sourceLocation: sourceLocation)
            }
            #expect(!entry.damaged, sourceLocation: sourceLocation)
        }
        // Bytes of every member = parsed + skipped, and skipped bytes add up by reason.
        let total = Int64(members.reduce(0) { $0 + $1.bytes.count }) + extraSkipped.values.reduce(0, +)
        #expect(b.bytesParsed + b.bytesSkipped == total, sourceLocation: sourceLocation)
        #expect(b.bytesSkippedByReason.values.reduce(0, +) == b.bytesSkipped, sourceLocation: sourceLocation)
        var expectedSkips: [String: Int64] = extraSkipped
        for member in members where !FileKind.allCases.contains(where: { $0.rawValue == member.expected }) {
            expectedSkips[member.expected, default: 0] += Int64(member.bytes.count)
        }
        for (reason, bytes) in expectedSkips {
            #expect(b.bytesSkippedByReason[reason] == bytes, "\(reason)", sourceLocation: sourceLocation)
        }
        // Counts: read = recognised + skipped, skipped = the sum over reasons.
        #expect(b.filesRead == b.filesRecognized + b.filesSkipped, sourceLocation: sourceLocation)
        #expect(b.skippedByReason.values.reduce(0, +) == b.filesSkipped, sourceLocation: sourceLocation)
        #expect(b.entries.allSatisfy { ($0.kind == nil) == ($0.skipReason != nil) }, sourceLocation: sourceLocation)
        // The cut lines of kern.log: counted, and every cut byte named.
        let cut = report.diagnostics.first { $0.file == prefix + "b/nodes/node-1/var/log/kern.log" && $0.message.contains("were cut") }
        let prefixBytes = "Oct 12 19:01:01 node-1 kernel: [ 8601.000000] ".utf8.count
        let skipped = (prefixBytes + 2500 - 1000) + (prefixBytes + 3000 + 1 - 1000) + 1
        #expect(cut?.message == "3 line(s) longer than 1000 bytes were cut (\(skipped) bytes skipped; lines 2, 4, 5)",
                sourceLocation: sourceLocation)
        #expect(cut?.line == 2, sourceLocation: sourceLocation)
        #expect(report.warnings.contains { $0 == cut }, sourceLocation: sourceLocation)
    }

    @Test(arguments: [ArchiveWriter.Format.tar, .tarGzip, .tarZstd, .tarXz, .tarBzip2, .zip])
    func archiveAccountsAddUp(format: ArchiveWriter.Format) throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let members = try Self.members()
        var writer = try ArchiveWriter(format: format)
        for member in members { try writer.addFile(path: member.path, contents: member.bytes, modified: 1_700_000_000) }
        try writer.addSymlink(path: "b/nodes/node-1/var/log/current", target: "syslog", modified: 1_700_000_000)
        if format != .zip { try writer.addHardlink(path: "b/nodes/node-1/var/log/syslog.0", target: members[0].path, modified: 1_700_000_000) }
        let path = try temp.write("bundle.\(format.fileExtension)", try writer.finish())
        let report = H.analyze(path, limits: Self.limits, within: 30)
        expectAccounts(report, members)
        #expect(report.bundle.skippedByReason["symlink"] == 1)
        #expect(report.bundle.skippedByReason["hardlink"] == (format == .zip ? nil : 1))
    }

    @Test func nestedArchivesAndABareGzipAddUp() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let members = try Self.members()
        let inner = try TempBundle.archiveBytes(.tarZstd, members.map { ($0.path, $0.bytes) })
        var rotated = try ArchiveWriter(format: .gzipRaw)
        var rng = XorShift(seed: 5)
        let binary = (0..<70_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        try rotated.addFile(path: "syslog.2", contents: binary, modified: 0)
        let gz = try rotated.finish()
        // Nested five deep: the fifth level is over the limit and skipped whole, its compressed size counted.
        var deep = try TempBundle.archiveBytes(.tarGzip, [("x/syslog", try H.oomBlock())])
        for level in 0..<4 { deep = try TempBundle.archiveBytes(.tarGzip, [("level\(level).tar.gz", deep)]) }
        let path = try H.write(temp, "outer.tar.gz", .tarGzip, [
            ("nodes/node-1.tar.zst", inner), ("nodes/node-2/var/log/syslog.2.gz", gz), ("deep.tar.gz", deep),
        ])
        let report = H.analyze(path, limits: Self.limits, within: 30)
        let tooDeep = try #require(report.bundle.entries.first { $0.skipReason == "nested too deep" })
        let tooDeepSize = try #require(tooDeep.declaredSize)
        expectAccounts(report, members, prefix: "nodes/node-1.tar.zst!/",
                       extraSkipped: ["binary": 70_000, "nested too deep": tooDeepSize])
        // The bare gzip declares no size: the bytes found while skipping it are counted.
        #expect(report.bundle.entries.first { $0.path == "nodes/node-2/var/log/syslog.2.gz" }?.declaredSize == 70_000)
        #expect(report.bundle.warnings.contains { $0.file == tooDeep.path && $0.message.contains("nested deeper") })
    }

    @Test func directoryAccountsAddUp() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let members = try Self.members()
        let root = temp.path("extracted")
        for member in members {
            let url = URL(fileURLWithPath: root + "/" + member.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(member.bytes).write(to: url)
        }
        try FileManager.default.createSymbolicLink(atPath: root + "/b/link", withDestinationPath: "/etc/passwd")
        let report = H.analyze(root, limits: Self.limits, within: 30)
        expectAccounts(report, members)
        #expect(report.bundle.skippedByReason["symlink (not followed)"] == 1)
    }

    /// A damaged header loses the member behind it: the bytes are counted as a skipped region and the
    /// damage is named, and what follows is read.
    @Test func damagedRegionIsCounted() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let members = try Self.members()
        let lost = Array(String(repeating: "lost line\n", count: 300).utf8)
        var files = members.map { ($0.path, $0.bytes) }
        files.insert(("b/lost.txt", lost), at: 2)
        var tar = try TempBundle.archiveBytes(.tar, files)
        let name = Array("b/lost.txt".utf8)
        let header = try #require(stride(from: 0, to: tar.count, by: 512).first { Array(tar[$0..<($0 + name.count)]) == name })
        tar[header + 148] ^= 0x01  // one bit of the checksum
        let path = try temp.write("damaged.tar", tar)
        let report = H.analyze(path, limits: Self.limits, within: 30)
        #expect(!report.bundle.complete)
        let region = try #require(report.bundle.entries.first { $0.skipReason == "damaged header" })
        // The region is the damaged header and the member's data, padded to 512-byte blocks.
        #expect(region.declaredSize == Int64(512 + (lost.count + 511) / 512 * 512))
        #expect(region.damaged)
        #expect(report.bundle.warnings.contains {
            $0.severity == .damage && $0.message.hasPrefix("damaged member header after b/nodes/node-1/var/log/kern.log")
        })
        for member in members {
            let entry = report.bundle.entries.first { $0.path == member.path }
            #expect((entry?.kind?.rawValue ?? entry?.skipReason) == member.expected, "\(member.path)")
        }
        #expect(report.bundle.bytesParsed + report.bundle.bytesSkipped
                == Int64(members.reduce(0) { $0 + $1.bytes.count }) + (region.declaredSize ?? 0))
    }

    /// The binary's inventory and its report's bundle block agree with each other and with the members.
    @Test func inventoryAndReportAgree() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let members = try Self.members()
        let path = try H.write(temp, "bundle.tar.gz", .tarGzip, members.map { ($0.path, $0.bytes) })
        let inventoryRun = try MeasuredRun.oomlens(["inventory", path, "--format", "json"])
        let analyzeRun = try MeasuredRun.oomlens(["analyze", path, "--format", "json"])
        #expect(inventoryRun.status == 0 && analyzeRun.status == 0)
        let inventory = try #require(try JSONSerialization.jsonObject(with: Data(inventoryRun.stdout.utf8)) as? [String: Any])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(analyzeRun.stdout.utf8)) as? [String: Any])
        let rows = try #require(inventory["members"] as? [[String: Any]])
        let bundle = try #require(report["bundle"] as? [String: Any])
        let files = try #require(bundle["files"] as? [String: Any])

        let parsed = rows.filter { $0["kind"] is String }
        let skipped = rows.filter { $0["skipped"] is String }
        #expect(rows.count == members.count && parsed.count + skipped.count == rows.count)
        #expect(files["read"] as? Int == rows.count)
        #expect(files["recognized"] as? Int == parsed.count)
        #expect(files["skipped"] as? Int == skipped.count)
        let parsedBytes = parsed.reduce(0) { $0 + ($1["bytes"] as? Int ?? 0) }
        let skippedBytes = skipped.reduce(0) { $0 + ($1["declaredSize"] as? Int ?? 0) }
        #expect(bundle["bytes"] as? Int == parsedBytes)
        #expect(bundle["bytesSkipped"] as? Int == skippedBytes)
        #expect(parsedBytes + skippedBytes == members.reduce(0) { $0 + $1.bytes.count })
        var byReason: [String: Int] = [:]
        for row in skipped { byReason[row["skipped"] as? String ?? "", default: 0] += 1 }
        #expect(bundle["skippedByReason"] as? [String: Int] == byReason)
        // Line counts of the inventory are the members' own.
        let syslog = try #require(rows.first { $0["path"] as? String == members[0].path })
        #expect(syslog["lines"] as? Int == members[0].bytes.filter { $0 == 0x0A }.count)
    }
}
