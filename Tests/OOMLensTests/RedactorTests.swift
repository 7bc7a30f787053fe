import Testing
@testable import OOMLens

@Suite struct RedactorTests {
    static func report() -> Report {
        var o = Observation(kind: .kernelOOMKill, source: .kernel,
                            location: SourceLocation(file: "nodes/aks-user-1/var/log/syslog", line: 12), time: nil,
                            summary: "killed java in shop/cart-7d9f8c6b5-x2x1z on aks-user-1 (10.244.1.3)")
        o.node = "aks-user-1"
        o.namespace = "shop"
        o.pod = "cart-7d9f8c6b5-x2x1z"
        let input = ExampleTimeline()
            .pod("shop", "cart-7d9f8c6b5-x2x1z", node: "aks-user-1", owner: "ReplicaSet/cart-7d9f8c6b5", container: "cart", limit: "256Mi")
            .pod("webhook", "webhook-0", node: "aks-user-1")
            .incident(.oomKill, "shop", "cart-7d9f8c6b5-x2x1z", "cart", at: "2024-01-01T00:00:00Z", rss: "250Mi")
            .incident(.oomKill, "shop", "cart-7d9f8c6b5-x2x1z", "cart", at: "2024-01-01T01:00:00Z", rss: "250Mi")
            .observation(o)
            .input
        let findings = DiagnosisRules.evaluate(input)
        return Report(tool: Report.Tool(version: "0.1.0", commit: nil), bundle: input.bundle, timeline: input.timeline,
                      findings: findings, diagnostics: [Diagnostic(.warning, file: "nodes/aks-user-1/kubelet.log", "cut at 10.0.0.7")])
    }

    @Test func replacesEveryNameConsistently() throws {
        let report = Self.report()
        let redactor = Redactor(report: report)
        let redacted = redactor.redact(report)
        let json = JSONRenderer().render(redacted)
        for secret in ["aks-user-1", "cart-7d9f8c6b5-x2x1z", "shop", "10.244.1.3", "10.0.0.7", "cart-7d9f8c6b5", "webhook-0"] {
            #expect(!json.contains(secret), "\(secret) leaked")
        }
        let node = try #require(redactor.mapping.first { $0.original == "aks-user-1" }?.token)
        #expect(redacted.incidents.allSatisfy { $0.node == node })
        #expect(redacted.timeline.observations.first?.summary.contains(node) == true)
        #expect(redacted.findings.first { $0.rule == "repeated-oom-kill" }?.commands.first?.contains("deployment/workload-") == true)
        #expect(redactor.mappingText.contains("aks-user-1\t\(node)"))
    }

    @Test func replacesWholeWordsOnly() {
        let report = Self.report()
        let redactor = Redactor(report: report)
        // "webhook" is a namespace here; "webhooks" and "shopping" are other words.
        #expect(redactor.scrub("webhooks in shopping, webhook/shop") == "webhooks in shopping, namespace-2/namespace-1")
        #expect(redactor.scrub("kube-system and default stay") == "kube-system and default stay")
    }
}
