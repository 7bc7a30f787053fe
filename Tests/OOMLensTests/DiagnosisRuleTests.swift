import Testing
@testable import OOMLens

/// Every rule's own examples: triggering ones must produce a finding of that rule, the others none.
@Suite struct DiagnosisRuleTests {
    static let rules = DiagnosisRules.all.map { RuleCase(rule: $0) }

    struct RuleCase: CustomTestStringConvertible, Sendable {
        let rule: any DiagnosisRule
        var testDescription: String { rule.id }
    }

    @Test(arguments: rules)
    func examplesBehave(_ ruleCase: RuleCase) {
        let rule = ruleCase.rule
        #expect(!rule.summary.isEmpty && !rule.rationale.isEmpty)
        #expect(!rule.triggeringExamples.isEmpty, "\(rule.id) has no triggering example")
        #expect(!rule.nonTriggeringExamples.isEmpty, "\(rule.id) has no non-triggering example")
        for example in rule.triggeringExamples {
            let findings = rule.evaluate(example.input)
            #expect(!findings.isEmpty, "\(rule.id): '\(example.name)' should trigger")
            for f in findings {
                #expect(f.rule == rule.id)
                #expect(!f.title.isEmpty && !f.explanation.isEmpty && !f.recommendation.isEmpty)
                let ids = Set(example.input.incidents.map(\.id))
                #expect(f.incidents.allSatisfy(ids.contains), "\(rule.id) cites unknown incidents")
            }
        }
        for example in rule.nonTriggeringExamples {
            #expect(rule.evaluate(example.input).isEmpty, "\(rule.id): '\(example.name)' should not trigger")
        }
    }

    @Test func ruleIDsAreUnique() {
        let ids = DiagnosisRules.all.map(\.id)
        #expect(Set(ids).count == ids.count)
    }

    @Test func repeatedOOMRecommendsALimitFromThePeak() throws {
        let input = try #require(RepeatedOOMKillRule().triggeringExamples.first).input
        let finding = try #require(RepeatedOOMKillRule().evaluate(input).first)
        // Peak 256Mi (the limit) × 1.5 = 384Mi, already a multiple of 64Mi.
        #expect(finding.commands.first == "kubectl set resources deployment/cart -n shop -c cart --limits=memory=384Mi --requests=memory=384Mi")
        #expect(finding.explanation.contains("3 times"))
        #expect(finding.explanation.contains("leak"))
    }

    /// Kills known from node logs alone (no pod list, events or describe output) name the pod by
    /// the UID the kernel's record gives, and the command that finds its name instead of one that
    /// would need it.
    @Test func killsOfAPodKnownOnlyByItsUIDAreFindingsToo() throws {
        let uid = "5931aa75-4603-4e65-b552-7c71cf55cfb5"
        let singleExample = try #require(SingleOOMKillRule().triggeringExamples.last)
        let single = try #require(SingleOOMKillRule().evaluate(singleExample.input).first)
        #expect(single.title == "stress-ng-vm in pod UID \(uid) was OOM-killed")
        #expect(single.explanation.contains("does not name the pod"))
        #expect(single.commands == ["kubectl get pods -A -o custom-columns=NAMESPACE:.metadata.namespace,NAME:.metadata.name,UID:.metadata.uid"])
        let repeatedExample = try #require(RepeatedOOMKillRule().triggeringExamples.last)
        let repeated = try #require(RepeatedOOMKillRule().evaluate(repeatedExample.input).first)
        #expect(repeated.title == "stress-ng-vm in pod UID \(uid) was OOM-killed 2 times")
        #expect(repeated.incidents == ["inc-1", "inc-2"])
        #expect(repeated.commands == single.commands)
        // Two pods' kills are two findings, not one.
        let two = ExampleTimeline()
            .incident(.oomKill, nil, nil, nil, node: "n", at: "2024-01-01T00:00:00Z", process: "java", podUID: uid)
            .incident(.oomKill, nil, nil, nil, node: "n", at: "2024-01-01T00:05:00Z", process: "java", podUID: "0f1e2d3c-0000-4000-8000-000000000001")
        #expect(SingleOOMKillRule().evaluate(two.input).count == 2)
        #expect(RepeatedOOMKillRule().evaluate(two.input).isEmpty)
    }

    /// A node OOM from a bare dmesg, whose node the bundle does not name, is said so: no made-up node
    /// name in the title, the subject or a `kubectl describe node` command.
    @Test func aNodeOOMOnAnUnnamedNodeNamesNoNode() throws {
        let example = try #require(NodeOOMRule().triggeringExamples.last)
        let finding = try #require(NodeOOMRule().evaluate(example.input).first)
        #expect(finding.title == "A node the bundle does not name ran out of memory: 1 process(es) killed by the kernel")
        #expect(finding.subject.node == nil)
        #expect(finding.commands == ["kubectl top pods -A --sort-by=memory"])
        #expect(finding.explanation.contains("badsysprogram"))
    }

    @Test func userWorkloadOnSystemPoolRelatesIncidentsByNodeOrByUserPod() throws {
        // cart-1 is a user pod on the system node; its second kill was recorded on another node, so it
        // is related by the pod; api-1 on the user node and a pod the bundle does not describe are not.
        let input = ExampleTimeline()
            .node("aks-system-1", labels: ["kubernetes.azure.com/mode": "system"])
            .node("aks-user-1", labels: ["kubernetes.azure.com/mode": "user"])
            .pod("shop", "cart-1", node: "aks-system-1", owner: "ReplicaSet/cart-7d9f8c6b5")
            .pod("web", "api-1", node: "aks-user-1", owner: "ReplicaSet/api-5c4b3a2")
            .incident(.oomKill, "shop", "cart-1", "app", at: "2024-01-01T00:00:00Z")
            .incident(.oomKill, "shop", "cart-1", "app", node: "aks-user-1", at: "2024-01-01T01:00:00Z")
            .incident(.oomKill, "web", "api-1", "app", at: "2024-01-01T02:00:00Z")
            .incident(.oomKill, "batch", "job-1", "app", at: "2024-01-01T03:00:00Z")
            .input
        let finding = try #require(UserWorkloadOnSystemPoolRule().evaluate(input).first)
        #expect(finding.incidents == ["inc-1", "inc-2"])
        #expect(finding.severity == .warning)
        #expect(finding.explanation.contains("2 incident(s)"))
    }

    /// Rules shared out between threads give the findings one thread gives, in the same order, on every
    /// rule's examples.
    @Test(arguments: [2, 3, 16])
    func rulesOnSeveralThreadsGiveTheSameFindings(threads: Int) {
        let inputs = DiagnosisRules.all.flatMap { ($0.triggeringExamples + $0.nonTriggeringExamples).map(\.input) }
        var triggered = 0
        for input in inputs {
            let one = DiagnosisRules.evaluate(input)
            triggered += one.count
            #expect(DiagnosisRules.evaluate(input, threads: threads) == one)
        }
        #expect(triggered > DiagnosisRules.all.count)
    }

    @Test func findingsAreOrderedBySeverity() {
        let input = ExampleTimeline()
            .incident(.nodeOOM, nil, nil, nil, node: "n1", at: "2024-01-01T00:00:00Z", process: "kubelet")
            .incident(.restart, "web", "api", "api", at: "2024-01-01T00:01:00Z", exitCode: 137, cause: "liveness probe failed")
            .input
        let severities = DiagnosisRules.evaluate(input).map(\.severity)
        #expect(severities == severities.sorted())
        #expect(severities.first == .critical)
    }
}

@Suite struct ClockTests {
    /// A time an RFC 3339 report cannot write (a damaged journal's `__REALTIME_TIMESTAMP` of 10^18 µs,
    /// the year 33658) places nothing and dates nothing; the last writable instant still does.
    @Test func timesPastTheYear9999AreNotPlaced() throws {
        let damaged = Instant(seconds: 1_000_000_000_000)
        let last = Instant(seconds: 253_402_300_799, nanoseconds: 999_999_999)
        let clock = Clock(hints: [.datedRecord(damaged)], fallbackCollectedAt: damaged, lastResort: (damaged, "test"))
        #expect(clock.collectedAt == nil)
        #expect(clock.resolve(.instant(damaged), node: nil, file: "journal.json") == nil)
        #expect(clock.resolve(.instant(last), node: nil, file: "journal.json")?.instant == last)
        #expect(clock.resolve(.instant(Instant(seconds: -62_167_219_201)), node: nil, file: "journal.json") == nil)
        #expect(Clock(hints: [.collectedAt(damaged, origin: "test"), .datedRecord(last)]).collectedAt == last)
        #expect(RFC3339.format(last) == "9999-12-31T23:59:59.999999999Z")
    }

    @Test func infersTheYearFromTheCollectionTimeAcrossNewYear() throws {
        let collected = try #require(RFC3339.instant("2025-01-01T00:30:00Z"))
        let clock = Clock(hints: [.collectedAt(collected, origin: "test")])
        let december = CivilTime(year: nil, month: 12, day: 31, hour: 23, minute: 59, second: 58)
        let january = CivilTime(year: nil, month: 1, day: 1, hour: 0, minute: 0, second: 5)
        let d = try #require(clock.resolve(.civil(december), node: "n", file: "syslog"))
        let j = try #require(clock.resolve(.civil(january), node: "n", file: "syslog"))
        #expect(RFC3339.format(d.instant) == "2024-12-31T23:59:58Z")
        #expect(RFC3339.format(j.instant) == "2025-01-01T00:00:05Z")
        #expect(d.inferred && j.inferred)
    }

    @Test func resolvesUptimeThroughBootTimeFromDualStamps() throws {
        let wall = CivilTime(year: 2023, month: 10, day: 12, hour: 19, minute: 0, second: 20)
        let clock = Clock(hints: [.wallAndUptime(node: "n", wall: wall, uptimeSeconds: 8523.347, file: "syslog")], userOffset: 0)
        let t = try #require(clock.resolve(.sinceBoot(seconds: 8523.347), node: "n", file: "dmesg"))
        #expect(RFC3339.format(t.instant) == "2023-10-12T19:00:20Z")
        #expect(t.inferred)
        #expect(clock.resolve(.sinceBoot(seconds: 1), node: "other", file: "dmesg") == nil)
    }

    @Test func appliesTheNodeOffsetAndKubectlAges() throws {
        let collected = try #require(RFC3339.instant("2024-03-01T12:00:00Z"))
        let clock = Clock(hints: [.collectedAt(collected, origin: "test"), .utcOffset(seconds: 3600, node: nil, origin: "date")])
        let t = try #require(clock.resolve(.civil(CivilTime(year: 2024, month: 3, day: 1, hour: 12, minute: 0, second: 0)), node: nil, file: "f"))
        #expect(RFC3339.format(t.instant) == "2024-03-01T11:00:00Z")
        #expect(!t.inferred)
        let age = try #require(clock.resolve(.beforeCollection(seconds: 319, resolution: 1), node: nil, file: "f"))
        #expect(RFC3339.format(age.instant) == "2024-03-01T11:54:41Z")
    }
}
