import Foundation
import Testing
import BundleGenerator
@testable import OOMLens

/// Scenario bundles made by the project's generator, each with its exact expected incidents: the
/// traps that fool a grep (duplicates across logs, SIGKILL that is not an OOM, global OOMs labelled
/// OOMKilled, New Year, node reboots).
@Suite struct ScenarioTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func report(_ name: String, format: ArchiveWriter.Format = .tarGzip) throws -> Report {
        let data = try Data(contentsOf: root.appendingPathComponent("samples/scenarios/\(name).json"))
        let generator = try BundleGenerator(scenario: try Scenario.decode(data))
        var writer = try ArchiveWriter(format: format)
        try generator.write(to: &writer)
        let temp = try TempBundle()
        defer { temp.remove() }
        let path = try temp.write("\(name).\(format.fileExtension)", try writer.finish())
        return Analyzer().analyze(path)
    }

    static func count(_ report: Report, _ kind: Incident.Kind) -> Int { report.incidents.filter { $0.kind == kind }.count }

    @Test func repeatedOOMOfOneContainerIsExactlyThreeIncidents() throws {
        let r = try Self.report("repeated-oom")
        #expect(Self.count(r, .oomKill) == 3)
        #expect(r.incidents.count == 3)
        for inc in r.incidents {
            #expect(inc.namespace == "web" && inc.pod == "api-5f7b9c8d6-h2kq4" && inc.container == "api")
            #expect(inc.evidence.contains { $0.source == .kernel })
            #expect(inc.memory?.limitBytes == 384 << 20)
        }
        #expect(r.findings.contains { $0.rule == "repeated-oom-kill" })
    }

    @Test func livenessKillIsARestartNotAnOOM() throws {
        let r = try Self.report("liveness-kill")
        #expect(Self.count(r, .oomKill) == 0)
        #expect(r.incidents.contains { $0.kind == .restart && $0.cause == "liveness probe failed" && $0.exitCode == 137 })
        #expect(r.findings.contains { $0.rule == "liveness-restart" })
    }

    @Test func globalOOMOfAContainerIsNodeOOM() throws {
        let r = try Self.report("global-oom")
        #expect(Self.count(r, .nodeOOM) == 2)
        #expect(Self.count(r, .oomKill) == 0)
        #expect(r.findings.first?.rule == "node-oom")
    }

    @Test func evictionsUnderPressureAreOnePerPod() throws {
        let r = try Self.report("eviction")
        #expect(Self.count(r, .eviction) == 2)
        #expect(Self.count(r, .oomKill) == 0)
        #expect(r.incidents.filter { $0.kind == .eviction }.allSatisfy { $0.resource == "memory" })
    }

    @Test func theSameKernelBlockInSyslogAndJournalCountsOnce() throws {
        let r = try Self.report("syslog-and-journal-duplicate")
        let kills = r.incidents.filter { $0.kind == .oomKill }
        #expect(kills.count == 1)
        let kernelFiles = Set(kills.first?.evidence.filter { $0.source == .kernel }.map(\.file) ?? [])
        #expect(kernelFiles.count >= 2)
    }

    @Test func aNewYearCrossingKeepsYearsRight() throws {
        let r = try Self.report("new-year")
        let kills = r.incidents.filter { $0.kind == .oomKill }
        #expect(kills.count == 2)
        // Node-local Dec 31 23:58:30 and Jan 1 00:03:30 at +01:00 (learnt from containerd's zoned
        // times); the year comes from the collection time, walking back across the New Year.
        #expect(kills.map { $0.time.map { RFC3339.format($0.instant) } } == ["2024-12-31T22:58:30Z", "2024-12-31T23:03:30Z"])
    }

    @Test func aNodeRebootIsOneEventNotManyCrashes() throws {
        let r = try Self.report("node-reboot")
        let reboots = r.incidents.filter { $0.cause == "node reboot" }
        #expect(reboots.count == 1)
        // The one other restart is search-0's exit 3 before the reboot (a JVM leaving on
        // OutOfMemoryError, but the reboot replaced the log that said so): a crash, on its own.
        let others = r.incidents.filter { $0.cause != "node reboot" }
        #expect(others.count == 1)
        #expect(others.first?.cause == "crash (exit code 3)")
        #expect(others.first?.pod == "search-0")
        let reboot = try #require(reboots.first)
        #expect(reboot.pod == nil && reboot.node == "lab-node-2")
        #expect(r.findings.contains { $0.rule == "node-reboot" })
    }

    @Test func theAKSSampleShowsEveryKind() throws {
        let r = try Self.report("aks-oom-incident")
        #expect(Self.count(r, .oomKill) == 5)
        #expect(Self.count(r, .nodeOOM) == 1)
        #expect(Self.count(r, .eviction) == 1)
        #expect(r.incidents.contains { $0.cause == "liveness probe failed" })
        let rules = Set(r.findings.map(\.rule))
        for rule in ["repeated-oom-kill", "node-oom", "system-pod-oom", "user-workload-on-system-pool", "node-memory-pressure"] {
            #expect(rules.contains(rule), "missing finding \(rule)")
        }
    }
}
