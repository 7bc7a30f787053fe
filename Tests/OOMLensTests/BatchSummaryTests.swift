import Foundation
import Testing
@testable import OOMLens

/// The summary across bundles, from hand-made reports, and how a child's end becomes a status.
@Suite struct BatchSummaryTests {
    struct I {
        var kind: String
        var time: String?
        var namespace: String?
        var pod: String?
        var workload: String?
        var node: String?
    }

    /// A minimal `oomlens.report/v1` document.
    static func report(_ incidents: [I], findings: [(rule: String, severity: String, namespace: String?, workload: String?, node: String?)] = [],
                       recognized: Int = 12, complete: Bool = true, warnings: [[String: Any]] = []) throws -> ReportDigest {
        func value(_ s: String?) -> Any { s ?? NSNull() }
        let json: [String: Any] = [
            "schema": "oomlens.report/v1",
            "tool": ["name": "oomlens", "version": "0.1.0", "commit": NSNull()],
            "bundle": ["source": "b.tar.gz", "format": "tar.gz", "collectedAt": "2024-03-14T10:30:00Z", "complete": complete,
                       "files": ["read": recognized + 2, "recognized": recognized, "skipped": 2], "bytes": 100, "warnings": warnings],
            "incidents": incidents.enumerated().map { n, i in
                ["id": "inc-\(n + 1)", "kind": i.kind, "time": value(i.time), "namespace": value(i.namespace), "pod": value(i.pod),
                 "container": "c", "workload": value(i.workload), "node": value(i.node), "evidence": []] as [String: Any]
            },
            "findings": findings.map { f in
                ["rule": f.rule, "severity": f.severity, "title": "\(f.rule) title", "incidents": [], "explanation": "", "recommendation": "",
                 "commands": [], "subject": ["namespace": value(f.namespace), "workload": value(f.workload), "pod": NSNull(),
                                             "container": NSNull(), "node": value(f.node)]] as [String: Any]
            },
            "timeline": [],
        ]
        return try ReportDigest.decode(JSONSerialization.data(withJSONObject: json)).get()
    }

    static func entry(_ n: Int, _ status: BatchIndexEntry.Status = .ok) -> BatchIndexEntry {
        BatchIndexEntry(path: "/b/\(n).tar.gz", id: "b\(n)", sha256: String(repeating: "\(n)", count: 64), size: 1000,
                        status: status, error: status == .ok ? nil : "broken \(n)", toolVersion: "0.1.0", finishedAt: "2024-05-01T00:00:00Z")
    }

    @Test func summarisesIncidentsRankingsAndRecurringFindings() throws {
        let web = "Deployment/web"
        let one = try Self.report([
            I(kind: "oom-kill", time: "2024-03-14T09:00:00Z", namespace: "shop", pod: "web-1", workload: web, node: "n1"),
            I(kind: "oom-kill", time: "2024-03-14T09:05:00.5Z", namespace: "shop", pod: "web-1", workload: web, node: "n1"),
            I(kind: "eviction", time: "2024-03-15T01:00:00Z", namespace: "batch", pod: "etl-x", workload: nil, node: "n2"),
            I(kind: "restart", time: nil, namespace: "shop", pod: "web-1", workload: web, node: "n1"),
        ], findings: [("repeated-oom-kill", "critical", "shop", web, nil), ("evidence-gaps", "info", nil, nil, nil)])
        let two = try Self.report([
            I(kind: "oom-kill", time: "2024-03-15T12:00:00Z", namespace: "shop", pod: "web-2", workload: web, node: "n3"),
            I(kind: "node-oom", time: "2024-03-15T12:30:00Z", namespace: nil, pod: nil, workload: nil, node: "n3"),
        ], findings: [("repeated-oom-kill", "critical", "shop", web, nil), ("node-oom", "critical", nil, nil, "n3")])
        let entries = [Self.entry(1), Self.entry(2), Self.entry(3, .failed), Self.entry(4, .partial)]
        let s = BatchSummary.build(entries: entries, reports: [entries[0].sha256: one, entries[1].sha256: two, entries[2].sha256: one])

        #expect(s.totals.bundles == 4)
        #expect((s.totals.ok, s.totals.partial, s.totals.failed) == (2, 1, 1))
        #expect(s.totals.bytes == 4000)
        // The failed bundle's report is not counted, the partial one without a report adds nothing.
        #expect(s.totals.incidents == ["oom-kill": 3, "node-oom": 1, "eviction": 1, "restart": 1])
        #expect(s.incidentsByDay.map(\.day) == ["2024-03-14", "2024-03-15", "unknown"])
        #expect(s.incidentsByDay[0].incidents["oom-kill"] == 2)
        #expect(s.incidentsByDay[1].incidents == ["oom-kill": 1, "node-oom": 1, "eviction": 1, "restart": 0])
        #expect(s.incidentsByDay[2].incidents["restart"] == 1)

        #expect(s.workloads.map(\.name) == ["shop/Deployment/web", "batch/Pod/etl-x"])
        #expect(s.workloads[0].oomKills == 3 && s.workloads[0].bundles == 2)
        #expect(s.workloads[1].evictions == 1)
        #expect(s.namespaces.map(\.name) == ["shop", "batch"])
        #expect(s.nodes.map(\.name) == ["n1", "n3", "n2"])
        #expect(s.nodes[1].oomKills == 1 && s.nodes[1].nodeOOMKills == 1)
        #expect(s.images.isEmpty)

        #expect(s.findingsByRule.first == BatchSummary.RuleCount(rule: "repeated-oom-kill", severity: "critical", bundles: 2))
        #expect(s.recurringFindings.count == 1)
        #expect(s.recurringFindings.first?.subject == "shop/Deployment/web")
        #expect(s.recurringFindings.first?.bundles == ["b1", "b2"])
        #expect(s.problems.map(\.id) == ["b3", "b4"])
        #expect(s.problems.first?.error == "broken 3")

        let markdown = BatchSummaryRenderer.markdown(s)
        #expect(markdown.contains("- Bundles: 4 (2 ok, 1 partial, 1 failed)"))
        #expect(markdown.contains("| 2024-03-14 | 2 | 0 | 0 | 0 |"))
        #expect(markdown.contains("| shop/Deployment/web | 3 | 0 | 0 | 2 |"))
        #expect(markdown.contains("| `repeated-oom-kill` | shop/Deployment/web | 2 | repeated-oom-kill title |"))
        #expect(markdown.contains("| b3 | failed | broken 3 |"))
        #expect(markdown.contains("Not known: the reports do not name container images."))

        // JSON: stable bytes, decodes back to the same summary.
        let json = s.json()
        #expect(json == BatchSummary.build(entries: entries.reversed(), reports: [entries[0].sha256: one, entries[1].sha256: two]).json())
        #expect(try JSONDecoder().decode(BatchSummary.self, from: Data(json.utf8)) == s)
        #expect(json.contains("\"schema\" : \"oomlens.batch-summary/v1\""))
    }

    @Test func emptyBatch() {
        let s = BatchSummary.build(entries: [], reports: [:])
        #expect(s.totals.bundles == 0)
        #expect(s.totals.incidents["oom-kill"] == 0)
        #expect(BatchSummaryRenderer.markdown(s).contains("No incidents."))
    }

    @Test func childEndsBecomeStatuses() throws {
        let good = try Self.report([I(kind: "oom-kill")])
        let ok = BatchOutcome.classify(.exited(0), report: .success(good), stderr: "", memoryLimitMB: 4096)
        #expect(ok == BatchOutcome(status: .ok, error: nil, exitStatus: 0))

        let damaged = try Self.report([], complete: false, warnings: [
            ["file": NSNull(), "message": "a note", "severity": "note"],
            ["file": "b.tar.gz", "message": "truncated gzip input", "severity": "damage"],
        ])
        let partial = BatchOutcome.classify(.exited(2), report: .success(damaged), stderr: "", memoryLimitMB: nil)
        #expect(partial == BatchOutcome(status: .partial, error: "b.tar.gz: truncated gzip input", exitStatus: 2))

        let nothing = try Self.report([], recognized: 0)
        let notABundle = BatchOutcome.classify(.exited(0), report: .success(nothing), stderr: "", memoryLimitMB: nil)
        #expect(notABundle.status == .failed)
        #expect(notABundle.error?.hasPrefix("not a support bundle") == true)

        let unreadable = BatchOutcome.classify(.exited(3), report: .success(damaged), stderr: "", memoryLimitMB: nil)
        #expect(unreadable.error == "unreadable: b.tar.gz: truncated gzip input")
        #expect(BatchOutcome.classify(.exited(3), report: nil, stderr: "Error: cannot open x\n\n", memoryLimitMB: nil).error
                == "unreadable: cannot open x")

        let missing = BatchOutcome.classify(.exited(0), report: .failure(BatchError("cannot read r.json")), stderr: "", memoryLimitMB: nil)
        #expect(missing == BatchOutcome(status: .failed, error: "report unreadable: cannot read r.json", exitStatus: 0))

        let crash = BatchOutcome.classify(.signaled(11), report: nil, stderr: "", memoryLimitMB: 512)
        #expect(crash.status == .failed && crash.exitStatus == nil)
        #expect(crash.error == "crashed: killed by SIGSEGV (11), possibly at the 512 MB memory limit")
        let oom = BatchOutcome.classify(.signaled(4), report: nil, stderr: "Fatal error: could not allocate memory\n", memoryLimitMB: 512)
        #expect(oom.error?.hasPrefix("out of memory: exceeded the 512 MB limit (SIGILL (4))") == true)
        #expect(BatchOutcome.classify(.timedOut(30), report: nil, stderr: "", memoryLimitMB: nil).error == "timed out after 30 s (killed)")
        #expect(BatchOutcome.classify(.timedOut(0.5), report: nil, stderr: "", memoryLimitMB: nil).error == "timed out after 0.5 s (killed)")
        #expect(BatchOutcome.classify(.exited(70), report: nil, stderr: "ulimit: bad\n", memoryLimitMB: 1).error
                == "could not set resource limits: ulimit: bad")
        #expect(BatchOutcome.classify(.exited(64), report: nil, stderr: "", memoryLimitMB: nil).error == "analysis failed with exit status 64")
        #expect(BatchOutcome.classify(.notStarted("No such file"), report: nil, stderr: "", memoryLimitMB: nil).status == .failed)
    }
}
