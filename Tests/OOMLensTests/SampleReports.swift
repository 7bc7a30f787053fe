@testable import OOMLens

/// Fixed, hand-built reports for the renderer tests: every value is spelled out (no current date,
/// no correlator, no rules), so rendered output only changes when a renderer does.
enum SampleReports {
    /// The reports by name, as their golden files are named.
    static let all: [String: Report] = ["incidents": incidents, "hostile": hostile, "empty": empty]

    /// Two nodes, four workloads, every incident kind, an inferred and an unknown time, findings of
    /// every severity, a parser warning and skipped members: a complete bundle.
    static let incidents: Report = {
        let kernel = "nodes/aks-user-1/var/log/syslog"
        let kubelet = "nodes/aks-user-1/kubelet.log"
        var cart1 = Incident(id: "inc-1", kind: .oomKill)
        cart1.time = time("2024-10-12T19:00:20.347Z")
        cart1.node = "aks-user-1"
        cart1.namespace = "shop"
        cart1.pod = "cart-7d9f8c6b5-x2x1z"
        cart1.container = "cart"
        cart1.podUID = "5931aa75-4603-4e65-b552-7c71cf55cfb5"
        cart1.containerID = "4296b9e2377fddb0e7e42d20223c36771268cb7a1828315331405b66f0030ad8"
        cart1.process = ProcessRef(name: "cart", pid: 183_960)
        cart1.memory = MemoryFigures(limitBytes: 256 << 20, usageBytes: 256 << 20, anonRSSBytes: 250 << 20, requestBytes: 128 << 20)
        cart1.exitCode = 137
        cart1.reason = "OOMKilled"
        cart1.workload = "Deployment/cart"
        cart1.qosClass = "Burstable"
        cart1.constraint = "CONSTRAINT_MEMCG"
        cart1.limitScope = "container"
        cart1.evidence = [
            evidence(kernel, 812, .kernel, "Oct 12 19:00:20", "Memory cgroup out of memory: Killed process 183960 (cart) anon-rss:256000kB"),
            evidence("nodes/aks-user-1/containerd.log", 40, .containerd, "2024-10-12T19:00:20.351Z", "TaskOOM 4296b9e2377f"),
            evidence(kubelet, 1207, .kubelet, "I1012 19:00:20.912", "ContainerDied cart (exit code 137)"),
            evidence("cluster-resources/pods/shop.json", 88, .podStatus, "2024-10-12T19:00:20Z", "lastState terminated OOMKilled, exit code 137"),
        ]
        cart1.observationIndices = [0, 1]
        var cart2 = Incident(id: "inc-2", kind: .oomKill)
        cart2.time = time("2024-10-12T19:20:05Z")
        cart2.node = "aks-user-1"
        cart2.namespace = "shop"
        cart2.pod = "cart-7d9f8c6b5-x2x1z"
        cart2.container = "cart"
        cart2.process = ProcessRef(name: "cart", pid: 190_211)
        cart2.memory = MemoryFigures(limitBytes: 256 << 20, anonRSSBytes: 251 << 20)
        cart2.exitCode = 137
        cart2.reason = "OOMKilled"
        cart2.workload = "Deployment/cart"
        cart2.evidence = [evidence(kernel, 977, .kernel, "Oct 12 19:20:05", "Memory cgroup out of memory: Killed process 190211 (cart)")]
        var nodeOOM = Incident(id: "inc-3", kind: .nodeOOM)
        nodeOOM.time = time("2024-10-12T19:45:00Z")
        nodeOOM.node = "aks-user-1"
        nodeOOM.process = ProcessRef(name: "node_exporter", pid: 4242)
        nodeOOM.memory = MemoryFigures(anonRSSBytes: 90 << 20)
        nodeOOM.constraint = "CONSTRAINT_NONE"
        nodeOOM.limitScope = "node"
        nodeOOM.evidence = [evidence(kernel, 1500, .kernel, "Oct 12 19:45:00", "Out of memory: Killed process 4242 (node_exporter)")]
        nodeOOM.observationIndices = [2]
        var eviction = Incident(id: "inc-4", kind: .eviction)
        eviction.time = time("2024-10-12T19:46:10Z")
        eviction.node = "aks-user-1"
        eviction.namespace = "monitoring"
        eviction.pod = "prometheus-0"
        eviction.reason = "Evicted"
        eviction.resource = "memory"
        eviction.workload = "StatefulSet/prometheus"
        eviction.qosClass = "BestEffort"
        eviction.evidence = [
            evidence(kubelet, 1622, .kubelet, "I1012 19:46:10.000152", "Eviction manager: pod is evicted successfully"),
            evidence("cluster-resources/events/monitoring.json", 12, .event, "2024-10-12T19:46:10Z", "Evicted: The node was low on resource: memory."),
        ]
        eviction.observationIndices = [3]
        var probe = Incident(id: "inc-5", kind: .restart)
        probe.time = time("2024-10-12T20:05:00Z", inferred: true)
        probe.node = "aks-system-0"
        probe.namespace = "shop"
        probe.pod = "web-5c9d7b8f6-qv2pl"
        probe.container = "web"
        probe.exitCode = 137
        probe.reason = "Error"
        probe.cause = "liveness probe failed"
        probe.evidence = [evidence("nodes/aks-system-0/kubelet.log", 310, .kubelet, "I1012 20:05:00.1", "Liveness probe failed: HTTP probe failed with statuscode: 500")]
        var unknown = Incident(id: "inc-6", kind: .restart)
        unknown.node = "aks-system-0"
        unknown.namespace = "kube-system"
        unknown.pod = "coredns-6d4b75cb6d-abcde"
        unknown.container = "coredns"
        unknown.exitCode = 2
        unknown.cause = "unknown"
        unknown.evidence = [evidence("cluster-resources/pods/kube-system.json", 301, .podStatus, nil, "restartCount 4, lastState terminated Error, exit code 2")]

        var observations = [
            observation(.kernelOOMKill, .kernel, kernel, 812, "Oct 12 19:00:20", node: "aks-user-1", "Memory cgroup out of memory: Killed process 183960 (cart)"),
            observation(.containerTerminated, .podStatus, "cluster-resources/pods/shop.json", 88, "2024-10-12T19:00:20Z", node: nil, "cart terminated: OOMKilled, exit code 137"),
            observation(.kernelOOMKill, .kernel, kernel, 1500, "Oct 12 19:45:00", node: "aks-user-1", "Out of memory: Killed process 4242 (node_exporter)"),
            observation(.podEvicted, .kubelet, kubelet, 1622, "I1012 19:46:10.000152", node: "aks-user-1", "Eviction manager: pod is evicted successfully"),
            observation(.nodePressure, .kubelet, kubelet, 1600, "I1012 19:45:58.1", node: "aks-user-1", "Eviction threshold met: memory.available<100Mi"),
            observation(.event, .event, "cluster-resources/events/shop.json", 3, nil, node: nil, "Scaled up replica set cart-7d9f8c6b5 to 1"),
        ]
        observations[1].namespace = "shop"
        observations[1].pod = "cart-7d9f8c6b5-x2x1z"
        observations[1].container = "cart"
        let timeline = Timeline(
            observations: observations,
            times: [time("2024-10-12T19:00:20Z"), time("2024-10-12T19:00:20Z"), time("2024-10-12T19:45:00Z"),
                    time("2024-10-12T19:46:10.000152Z"), time("2024-10-12T19:45:58.1Z"), nil],
            incidentIDs: ["inc-1", "inc-1", "inc-3", "inc-4", nil, nil],
            incidents: [cart1, cart2, nodeOOM, eviction, probe, unknown],
            pods: [], nodes: [],
            clock: Clock(hints: [.collectedAt(instant("2024-10-12T21:30:00Z"), origin: "the bundle folder name")], userOffset: 0))

        var bundle = BundleSummary(source: "support-bundle-2024-10-12T21_30_00.tar.gz", format: "tar.gz")
        bundle.entries = [
            InventoryEntry(path: kernel, declaredSize: 912_384, bytesParsed: 912_384, kind: .nodeLog, skipReason: nil, node: "aks-user-1"),
            InventoryEntry(path: kubelet, declaredSize: 2_097_152, bytesParsed: 2_097_152, kind: .kubeletLog, skipReason: nil, node: "aks-user-1"),
            InventoryEntry(path: "cluster-resources/pods/shop.json", declaredSize: 40_960, bytesParsed: 40_960, kind: .apiJSON, skipReason: nil, node: nil),
            InventoryEntry(path: "host-collectors/run-host/kernel.link", declaredSize: 0, bytesParsed: 0, kind: nil, skipReason: "symlink", node: nil),
            InventoryEntry(path: "cluster-resources/images.bin", declaredSize: 1_048_576, bytesParsed: 0, kind: nil, skipReason: "binary", node: nil),
        ]

        let findings = [
            Finding(
                rule: "repeated-oom-kill", severity: .critical, title: "shop/cart was OOM-killed 2 times in 20 minutes",
                subject: Finding.Subject(namespace: "shop", workload: "Deployment/cart", container: "cart"), incidents: ["inc-1", "inc-2"],
                explanation: "The container reached its 256Mi limit twice (anon RSS 250Mi and 251Mi).",
                recommendation: "Raise the memory limit to 384Mi and look for a leak.",
                commands: [
                    "kubectl set resources deployment/cart -n shop -c cart --limits=memory=384Mi --requests=memory=384Mi",
                    "kubectl top pod -n shop --containers",
                ]),
            Finding(
                rule: "node-oom", severity: .critical, title: "Node aks-user-1 ran out of memory",
                subject: Finding.Subject(node: "aks-user-1"), incidents: ["inc-3"],
                explanation: "The kernel killed node_exporter because the whole node was out of memory.",
                recommendation: "Set memory requests equal to actual use so the scheduler stops overcommitting the node."),
            Finding(
                rule: "liveness-restart", severity: .warning, title: "shop/web restarted after failed liveness probes",
                subject: Finding.Subject(namespace: "shop", pod: "web-5c9d7b8f6-qv2pl", container: "web"), incidents: ["inc-5"],
                explanation: "The kubelet killed web after its liveness probe failed.",
                recommendation: "Check the probe's timeout and the endpoint's latency."),
            Finding(
                rule: "evidence-gaps", severity: .info, title: "No container logs in the bundle",
                subject: Finding.Subject(), incidents: [],
                explanation: "Without container logs, application out-of-memory errors cannot be shown.",
                recommendation: "Collect container logs too (`kubectl logs --previous`)."),
        ]
        let diagnostics = [Diagnostic(.warning, file: kubelet, line: 2048, "line longer than 1 MiB was cut")]
        return Report(tool: Report.Tool(version: "0.1.0", commit: "fdd798c"), bundle: bundle, timeline: timeline,
                      findings: findings, diagnostics: diagnostics)
    }()

    /// Bundle text that is markup or code: every renderer must show it as text. Damaged bundle.
    static let hostile: Report = {
        let markup = "<img src=x onerror=alert(1)> & </pre></script> \"quoted\" 'single' `tick` *star* | pipe \u{1}"
        var kill = Incident(id: "inc-1", kind: .oomKill)
        kill.time = time("2024-03-01T08:00:00Z", inferred: true)
        kill.node = "node<1>&\"x\""
        kill.namespace = "a&b"
        kill.pod = "<script>alert(1)</script>"
        kill.container = "\"quoted'"
        kill.process = ProcessRef(name: "<b>java</b>", pid: 7)
        kill.memory = MemoryFigures(limitBytes: 512 << 20, anonRSSBytes: 500 << 20)
        kill.reason = "OOMKilled"
        kill.workload = "Deployment/<i>x</i>"
        kill.evidence = [evidence("logs/<script>.log", 3, .kernel, "Mar  1 08:00:00 <x>", markup)]
        var evict = Incident(id: "inc-2", kind: .eviction)
        evict.time = time("2024-03-01T08:02:00Z")
        evict.namespace = "a&b"
        evict.pod = "</svg><script>alert(2)</script>"
        evict.resource = "memory"
        evict.evidence = [evidence("events.json", nil, .event, nil, "Evicted: <b>low</b> on memory & more")]
        let record = observation(.kernelOOMKill, .kernel, "logs/<script>.log", 3, "Mar  1 08:00:00 <x>", node: "node<1>&\"x\"", markup)
        let timeline = Timeline(
            observations: [record], times: [time("2024-03-01T08:00:00Z", inferred: true)], incidentIDs: ["inc-1"],
            incidents: [kill, evict], pods: [], nodes: [], clock: Clock(hints: []))
        var bundle = BundleSummary(source: "/tmp/<bundle> & \"co\".tar.gz", format: "tar.gz")
        bundle.complete = false
        bundle.entries = [InventoryEntry(path: "logs/<script>.log", declaredSize: 100, bytesParsed: 100, kind: .nodeLog, skipReason: nil, node: nil, damaged: true)]
        bundle.warnings = [Diagnostic(.damage, file: "logs/<script>.log", "unexpected end of archive <EOF> & \"stop\"")]
        let finding = Finding(
            rule: "single-oom-kill", severity: .warning, title: "<b>bold</b> & \"quotes\" in <script>alert(3)</script>",
            subject: Finding.Subject(namespace: "a&b", pod: "<script>alert(1)</script>"), incidents: ["inc-1"],
            explanation: markup, recommendation: "Do <not> & \"do\"",
            commands: ["kubectl logs -n 'a&b' '<script>alert(1)</script>' | grep \"x>y\" ```"])
        return Report(tool: Report.Tool(version: "0.1.0", commit: nil), bundle: bundle, timeline: timeline,
                      findings: [finding], diagnostics: [])
    }()

    /// Nothing found, collection time unknown.
    static let empty: Report = {
        let timeline = Timeline(observations: [], times: [], incidentIDs: [], incidents: [], pods: [], nodes: [], clock: Clock(hints: []))
        return Report(tool: Report.Tool(version: "0.1.0", commit: nil), bundle: BundleSummary(source: "empty-dir", format: "directory"),
                      timeline: timeline, findings: [], diagnostics: [])
    }()

    // MARK: Builders

    static func instant(_ text: String) -> Instant {
        RFC3339.instant(text) ?? Instant(seconds: 0)
    }

    static func time(_ text: String, inferred: Bool = false) -> ResolvedTime? {
        ResolvedTime(instant(text), inferred: inferred)
    }

    static func evidence(_ file: String, _ line: Int?, _ source: EvidenceSource, _ timeText: String?, _ summary: String) -> Incident.Evidence {
        Incident.Evidence(file: file, line: line, source: source, timeText: timeText, summary: summary)
    }

    /// An observation read at `file:line`; only its time text is rendered, so the parsed time is a placeholder.
    static func observation(
        _ kind: ObservationKind, _ source: EvidenceSource, _ file: String, _ line: Int?, _ timeText: String?, node: String?,
        _ summary: String
    ) -> Observation {
        var o = Observation(kind: kind, source: source, location: SourceLocation(file: file, line: line),
                            time: timeText.map { TimeReading(.civil(CivilTime(year: nil, month: 1, day: 1, hour: 0, minute: 0, second: 0)), text: $0) },
                            summary: summary)
        o.node = node
        return o
    }
}
