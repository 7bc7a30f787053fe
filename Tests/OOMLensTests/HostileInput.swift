import Foundation
import Testing
@testable import OOMLens

/// What the hostile-input, accounting and security tests share: the real kernel OOM block they hide in
/// broken bundles, the pipeline run with a time limit, and the checks that the OOM still comes out.
enum HostileInput {
    /// The real AKS syslog excerpt: `stress-ng-vm` (pid 183960) killed at line 46 by its pod's memcg limit.
    static let oomFixture = "kernel-oom-cgroupv2-systemd-containerd-syslog-aks.log"
    static let node = "aks-nodepool1-24207654-vmss000001"
    static let killLine = 46
    static let containerID = "25a38b5b8d556d7983d975577f5ac75ebbcfb4b269e6deaa0a0440c1ffc969ca"

    static func oomBlock() throws -> [UInt8] { try Fixture.bytes(oomFixture) }

    /// Runs the whole pipeline (read → parse → timeline → diagnosis) and every renderer on `path`,
    /// failing the test when it takes `seconds` or longer. The JSON report must parse.
    static func analyze(
        _ path: String, limits: BundleLimits = BundleLimits(), within seconds: Double,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> Report {
        var options = Analyzer.Options()
        options.limits = limits
        var report: Report?
        let elapsed = ContinuousClock().measure {
            let analysed = Analyzer(options: options).analyze(path)
            _ = TextRenderer().render(analysed)
            _ = MarkdownRenderer().render(analysed)
            _ = HTMLRenderer().render(analysed)
            let json = JSONRenderer().render(analysed)
            #expect((try? JSONSerialization.jsonObject(with: Data(json.utf8))) != nil, "the JSON report does not parse",
                    sourceLocation: sourceLocation)
            report = analysed
        }
        #expect(elapsed < .seconds(seconds), "took \(elapsed), limit \(seconds) s", sourceLocation: sourceLocation)
        return report ?? Analyzer().analyze(summary: BundleSummary(source: path, format: ""), output: ParseOutput())
    }

    /// The sample's kill, read whole from `file` at `line`, and the oom-kill incident built from it.
    static func expectSampleKill(
        _ report: Report, file: String, line: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        let kills = report.timeline.observations.filter { $0.kind == .kernelOOMKill && $0.process?.pid == 183960 }
        #expect(!kills.isEmpty, "the kernel's kill of pid 183960 was not found", sourceLocation: sourceLocation)
        for kill in kills {
            #expect(kill.location == SourceLocation(file: file, line: line), sourceLocation: sourceLocation)
            #expect(kill.process?.name == "stress-ng-vm", sourceLocation: sourceLocation)
            #expect(kill.memory?.limitBytes == Int64(102_400 * 1024), sourceLocation: sourceLocation)
            #expect(kill.containerID == containerID, sourceLocation: sourceLocation)
            #expect(kill.node == node, sourceLocation: sourceLocation)
        }
        #expect(report.incidents.contains { $0.kind == .oomKill && $0.process?.pid == 183960 },
                "no oom-kill incident for pid 183960", sourceLocation: sourceLocation)
    }

    /// The kernel pids of the incidents in a JSON report.
    static func incidentPIDs(json: String) -> [Int] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let incidents = object["incidents"] as? [[String: Any]] else { return [] }
        return incidents.compactMap { ($0["process"] as? [String: Any])?["pid"] as? Int }
    }

    /// `count` syslog-shaped lines of random printable text (incompressible, so a cut lands inside them).
    static func fillerLines(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = XorShift(seed: seed)
        var out: [UInt8] = []
        out.reserveCapacity(count * 130)
        let prefix = Array("Oct 12 19:05:00 \(node) kernel: [ 9000.000000] ".utf8)
        for _ in 0..<count {
            out.append(contentsOf: prefix)
            for _ in 0..<8 {
                let word = rng.next()
                for shift in stride(from: 0, to: 64, by: 6) { out.append(0x21 + UInt8((word >> UInt64(shift)) % 94)) }
            }
            out.append(0x0A)
        }
        return out
    }

    /// A tar (any compression) of `files`, written to `name` in `temp`.
    @discardableResult
    static func write(
        _ temp: TempBundle, _ name: String, _ format: ArchiveWriter.Format, _ files: [(String, [UInt8])]
    ) throws -> String {
        try temp.write(name, try TempBundle.archiveBytes(format, files))
    }
}
