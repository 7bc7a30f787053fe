import Foundation
import Testing
import BundleGenerator
@testable import OOMLens

/// What the text report says of incidents the golden reports do not hold.
@Suite struct TextRendererTests {
    /// The AKS excerpt ends with a second "invoked oom-killer" line whose report was cut off: that
    /// incident names no container, pod or process, and its line says what its record says.
    @Test func anIncidentKnownOnlyFromAnIncompleteReportSaysWhatItsRecordSays() throws {
        let fixture = try Fixture.text("kernel-oom-cgroupv2-systemd-containerd-syslog-aks.log")
        let log = fixture.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n")
        var writer = try ArchiveWriter(format: .tar)
        try writer.addFile(path: "node/aks-node/syslog", contents: Array(log.utf8), modified: 1_700_000_000)
        let temp = try TempBundle()
        defer { temp.remove() }
        let report = Analyzer().analyze(try temp.write("aks.tar", try writer.finish()))

        let cut = try #require(report.incidents.first { $0.process == nil && $0.container == nil && $0.pod == nil })
        let text = TextRenderer(useColor: false, width: 200).render(report)
        let line = try #require(text.split(separator: "\n").first { $0.contains("\(cut.id)  ") })
        #expect(line.contains("Kernel OOM killer invoked by stress-ng-vm; the kill is not in the log"))
        // The complete report's incident keeps its own description.
        let killed = try #require(text.split(separator: "\n").first { $0.contains("stress-ng-vm pid 183960") })
        #expect(!killed.contains("invoked by"))
    }

    /// An incident's line cites the kernel's record first, then one record of each other source,
    /// strongest first, though in file order the kernel's came after five others (the sample bundle's
    /// first kill: an event, containerd twice and the kubelet twice, then syslog).
    @Test func anIncidentCitesTheKernelRecordFirstAndOneOfEachSource() {
        func record(_ file: String, _ line: Int, _ source: EvidenceSource) -> Incident.Evidence {
            Incident.Evidence(file: file, line: line, source: source, timeText: nil, summary: "")
        }
        let evidence = [
            record("cluster-resources/events/default.json", 8, .event),
            record("journal/containerd.log", 38, .containerd),
            record("journal/containerd.log", 39, .containerd),
            record("journal/kubelet.log", 23, .kubelet),
            record("journal/kubelet.log", 24, .kubelet),
            record("var/log/syslog", 77, .kernel),
            record("var/log/syslog", 78, .systemd),
        ]
        #expect(TextRenderer.shownEvidence(evidence).map(\.line) == [77, 23, 38, 78])
        #expect(TextRenderer.shownEvidence(evidence, limit: 6).map(\.line) == [77, 23, 24, 38, 78, 8])  // every source, then the strongest again
        #expect(TextRenderer.shownEvidence(Array(evidence.prefix(3))).map(\.line) == [38, 39, 8])
    }
}
