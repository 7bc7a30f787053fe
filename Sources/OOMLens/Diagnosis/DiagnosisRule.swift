import Dispatch
import Synchronization

/// What a rule looks at: the correlated timeline and what the bundle held.
public struct DiagnosisInput: Sendable {
    public var timeline: Timeline
    public var bundle: BundleSummary

    public init(timeline: Timeline, bundle: BundleSummary) {
        self.timeline = timeline
        self.bundle = bundle
    }

    public var incidents: [Incident] { timeline.incidents }
}

/// One diagnosis rule: it describes itself and carries its own examples.
///
/// Every rule lives in its own file, is listed in `DiagnosisRules.all`, and ships at least one
/// triggering and one non-triggering example timeline; one parameterised test runs them all.
public protocol DiagnosisRule: Sendable {
    /// Stable id used in reports (`repeated-oom-kill`).
    var id: String { get }
    /// One sentence: what the rule finds.
    var summary: String { get }
    /// Why it matters and how the conclusion is reached.
    var rationale: String { get }
    /// Inputs on which the rule must produce at least one finding.
    var triggeringExamples: [RuleExample] { get }
    /// Inputs on which the rule must stay silent.
    var nonTriggeringExamples: [RuleExample] { get }

    func evaluate(_ input: DiagnosisInput) -> [Finding]
}

/// A named example input for a rule.
public struct RuleExample: Sendable {
    public var name: String
    public var input: DiagnosisInput

    public init(_ name: String, _ input: DiagnosisInput) {
        self.name = name
        self.input = input
    }
}

/// The registry of rules, in the order their findings are listed at equal severity.
public enum DiagnosisRules {
    public static let all: [any DiagnosisRule] = [
        NodeOOMRule(),
        RepeatedOOMKillRule(),
        SingleOOMKillRule(),
        SystemPodOOMRule(),
        NodeMemoryPressureRule(),
        ApplicationOOMRule(),
        UserWorkloadOnSystemPoolRule(),
        SystemPoolSizeRule(),
        MissingMemoryLimitsRule(),
        LivenessRestartRule(),
        NodeRebootRule(),
        UnexplainedRestartsRule(),
        EvidenceGapsRule(),
    ]

    /// Runs every rule and returns the findings, most severe first. Suggested commands that would
    /// carry shell syntax from bundle text into a user's shell are dropped (`ShellCommand`).
    ///
    /// With `threads` above 1 the rules are shared out between that many threads, each taking the next
    /// rule not yet taken; the findings are the same, in the same order.
    public static func evaluate(_ input: DiagnosisInput, rules: [any DiagnosisRule] = all, threads: Int = 1) -> [Finding] {
        let found = threads > 1 ? evaluateShared(input, rules: rules, threads: threads) : rules.map { $0.evaluate(input) }
        var findings: [(Int, Finding)] = []
        for (order, ruleFindings) in found.enumerated() {
            for var finding in ruleFindings {
                finding.commands = finding.commands.filter(ShellCommand.isSafe)
                findings.append((order, finding))
            }
        }
        return findings.sorted { a, b in
            a.1.severity != b.1.severity ? a.1.severity < b.1.severity : a.0 < b.0
        }.map(\.1)
    }

    public static func rule(id: String) -> (any DiagnosisRule)? { all.first { $0.id == id } }

    /// Each rule's findings, in `rules`' order, the rules evaluated on `threads` threads at once.
    private static func evaluateShared(_ input: DiagnosisInput, rules: [any DiagnosisRule], threads: Int) -> [[Finding]] {
        let next = Atomic<Int>(0)
        let results = Mutex<[[Finding]]>(Array(repeating: [], count: rules.count))
        DispatchQueue.concurrentPerform(iterations: Swift.min(threads, rules.count)) { _ in
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < rules.count else { return }
                let found = rules[index].evaluate(input)
                results.withLock { $0[index] = found }
            }
        }
        return results.withLock { $0 }
    }
}
