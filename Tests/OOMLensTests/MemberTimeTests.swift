import Foundation
import Testing
@testable import OOMLens

/// A bare archive of node logs, with nothing else that dates it, takes its collection time (and with
/// it the year its syslog lines lack) from its members' modification times; a directory does not, and
/// any other source of the collection time comes first.
@Suite struct MemberTimeTests {
    /// Two evictions of one StatefulSet pod, ten minutes apart, in the kubelet's real line format (the
    /// line of `Fixtures/kubelet-eviction-memory-syslog-aks.log`, with another pod and a second copy).
    static let syslog = """
        Oct 12 19:34:45 aks-nodepool1-24207654-vmss000002 kubelet[2480]: I1012 19:34:45.445172    2480 eviction_manager.go:595] "Eviction manager: pod is evicted successfully" pod="monitoring/prometheus-0"
        Oct 12 19:44:45 aks-nodepool1-24207654-vmss000002 kubelet[2480]: I1012 19:44:45.445172    2480 eviction_manager.go:595] "Eviction manager: pod is evicted successfully" pod="monitoring/prometheus-0"

        """
    /// 2024-10-14T10:00:00Z, two days after the lines.
    static let packed: Int64 = 1_728_900_000

    private func archive(_ folder: String = "logs") throws -> [UInt8] {
        var writer = try ArchiveWriter(format: .tarGzip)
        try writer.addFile(path: "\(folder)/aks-nodepool1-24207654-vmss000002/syslog", contents: Array(Self.syslog.utf8), modified: Self.packed)
        try writer.addFile(path: "\(folder)/notes.txt", contents: Array("collected by hand\n".utf8), modified: Self.packed - 86_400 * 400)
        // A reproducible build's placeholder time says nothing.
        try writer.addFile(path: "\(folder)/README", contents: Array("logs\n".utf8), modified: 0)
        return try writer.finish()
    }

    @Test func aBareArchiveIsDatedByItsNewestMember() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let report = Analyzer().analyze(try temp.write("logs.tar.gz", try archive()))

        #expect(report.collectedAt == Instant(seconds: Self.packed))
        #expect(report.timeline.clock.notes.contains { $0.contains("the newest modification time of the archive's members") })
        let evictions = report.incidents.filter { $0.kind == .eviction }
        #expect(evictions.map(\.time?.instant) == [RFC3339.instant("2024-10-12T19:34:45.445172Z"), RFC3339.instant("2024-10-12T19:44:45.445172Z")])
        #expect(evictions.allSatisfy { $0.time?.inferred == true })  // the year was inferred
    }

    @Test func aDirectoryIsNotDatedByItsFiles() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let node = temp.directory.appendingPathComponent("logs/aks-nodepool1-24207654-vmss000002")
        try FileManager.default.createDirectory(at: node, withIntermediateDirectories: true)
        try Data(Self.syslog.utf8).write(to: node.appendingPathComponent("syslog"))
        let report = Analyzer().analyze(temp.path("logs"))

        #expect(report.collectedAt == nil)
        #expect(report.incidents.allSatisfy { $0.time == nil })
    }

    /// 0 (a reproducible build's placeholder) and the year 10000 (a damaged header) date nothing.
    @Test(arguments: [0, 253_402_300_800] as [Int64])
    func implausibleTimesDateNothing(modified: Int64) throws {
        var writer = try ArchiveWriter(format: .tar)
        try writer.addFile(path: "logs/syslog", contents: Array(Self.syslog.utf8), modified: modified)
        let temp = try TempBundle()
        defer { temp.remove() }
        let report = Analyzer().analyze(try temp.write("logs.tar", try writer.finish()))

        #expect(report.collectedAt == nil)
    }

    @Test func theBundlesOwnTimeComesFirst() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let report = Analyzer().analyze(try temp.write("bundle.tar.gz", try archive("support-bundle-2024-10-13T10_00_00")))

        #expect(report.collectedAt == RFC3339.instant("2024-10-13T10:00:00Z"))
        #expect(report.incidents.filter { $0.kind == .eviction }.count == 2)
    }
}
