/// Tells restarts caused by failed liveness probes apart from OOM kills (both can exit 137).
public struct LivenessRestartRule: DiagnosisRule {
    public let id = "liveness-restart"
    public let summary = "A container was restarted by its liveness probe, not by the OOM killer."
    public let rationale = """
        Exit code 137 means SIGKILL, not out-of-memory: the kubelet kills a container with SIGKILL when its \
        liveness probe keeps failing (after the grace period). No kernel OOM record and reason `Error` (not \
        `OOMKilled`) with probe failures before the exit means the probe, not memory, ended it. Raising \
        the memory limit will not help; the probe's timeout, period or the application's responsiveness will.
        """

    public init() {}

    public func evaluate(_ input: DiagnosisInput) -> [Finding] {
        RuleSupport.byContainer(input.incidents.filter { $0.cause == "liveness probe failed" }, kinds: [.restart]).map { group in
            let inc = group[0]
            return Finding(
                rule: id, severity: .info,
                title: "\(inc.container ?? "A container") in \(inc.namespace ?? "?")/\(inc.pod ?? "?") was restarted \(group.count) time(s) by its liveness probe",
                subject: RuleSupport.subject(inc), incidents: RuleSupport.ids(group),
                explanation: "The container exited\(inc.exitCode.map { " with code \($0)" } ?? "") after failed liveness probes; there is no kernel OOM record for it, so this is not a memory kill even though exit code 137 looks like one.",
                recommendation: "Check why the probe fails (slow responses under load, long GC pauses, start-up time): lengthen timeoutSeconds or failureThreshold, add a startupProbe, or make the endpoint cheaper.",
                commands: RuleSupport.describeCommand(inc).map { [$0] } ?? [])
        }
    }

    public var triggeringExamples: [RuleExample] {
        [RuleExample("probe kill", ExampleTimeline().incident(.restart, "web", "api-1", "api", at: "2024-01-01T00:00:00Z", exitCode: 137, reason: "Error", cause: "liveness probe failed").input)]
    }

    public var nonTriggeringExamples: [RuleExample] {
        [RuleExample("crash", ExampleTimeline().incident(.restart, "web", "api-1", "api", at: "2024-01-01T00:00:00Z", exitCode: 1, cause: "crash (exit code 1)").input)]
    }
}
