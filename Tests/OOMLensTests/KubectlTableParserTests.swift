import Testing
@testable import OOMLens

@Suite struct KubectlTableParserTests {
    private func parse(_ text: String, kind: FileKind, blockSize: Int = 64) -> ParseOutput {
        LineParsing<KubectlTableParser>.parse(
            Array(text.utf8), context: ParseContext(path: "get.txt", kind: kind), blockSize: blockSize)
    }

    private func fixture(_ name: String, kind: FileKind) throws -> ParseOutput {
        try Fixture.parse(LineParsing<KubectlTableParser>.self, name, kind: kind)
    }

    /// Lays rows out the way kubectl's tabwriter does: each column padded to its widest cell plus 3.
    private static func table(_ rows: [[String]]) -> String {
        let widths = rows[0].indices.map { i in rows.map { $0[i].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count + 3)
            }.joined()
        }.joined(separator: "\n")
    }

    // MARK: - Fixtures

    @Test func getPodsFixture() throws {
        let out = try fixture("kubectl-get-pods-tables.txt", kind: .getPods)
        #expect(
            out.pods.map(\.name) == [
                "tax-tribunals-application-base-74464f6b98-2kj6g", "memory-demo-2", "nginx",
                "istio-citadel-894d98c88-zkt23", "gatekeeper-audit-6cd8fb57f5-8dvcw",
                "gatekeeper-controller-manager-7845f7c466-cm6vx",
            ])
        #expect(out.pods.map(\.location.line) == [3, 6, 9, 12, 15, 16])
        #expect(out.pods.map(\.phase) == [nil, nil, "Running", "Failed", "Running", "Running"])
        #expect(out.pods[3].reason == "Evicted")
        #expect(out.pods.allSatisfy { $0.namespace == "" && $0.node == nil })  // no -A, no -o wide

        let obs = out.observations
        #expect(obs.map(\.kind) == [.containerTerminated, .containerTerminated, .containerTerminated, .podEvicted])
        #expect(obs.map(\.location.line) == [3, 6, 9, 12])
        #expect(obs.map(\.reason) == ["OOMKilled", "OOMKilled", nil, "Evicted"])
        #expect(obs.allSatisfy { $0.source == .kubectlGet })
        // Currently OOMKilled: killed after the last restart, within the last 57(+1) seconds.
        #expect(obs[0].time == TimeReading(.beforeCollection(seconds: 0, resolution: 58), text: "4 (57s ago)"))
        #expect(obs[0].pod == "tax-tribunals-application-base-74464f6b98-2kj6g")
        #expect(obs[0].message == "restarts 4, last 57s before collection")
        #expect(obs[1].time == nil)  // old kubectl: plain restart count
        #expect(obs[1].message == "restarts 1")
        // Running after a restart 11 s ago: the previous container ended then, reason not shown.
        #expect(obs[2].time == TimeReading(.beforeCollection(seconds: 11, resolution: 1), text: "1 (11s ago)"))
        #expect(obs[2].pod == "nginx")
        #expect(obs[3].pod == "istio-citadel-894d98c88-zkt23")  // row not aligned with its header

        #expect(out.diagnostics.count == 1)
        #expect(out.diagnostics.first?.severity == .warning)
        #expect(out.diagnostics.first?.line == 4)
        #expect(out.diagnostics.first?.message.contains("4 line(s)") == true)
        #expect(out.diagnostics.first?.message.contains("lines 4, 7, 10, 13") == true)
    }

    @Test func getEventsFixtureWithoutHeaders() throws {
        let out = try fixture("kubectl-get-events-tables.txt", kind: .getEvents)
        let obs = out.observations
        #expect(obs.map(\.location.line) == [4, 5, 6, 8, 10, 12, 13, 15, 16, 19])
        #expect(
            obs.map(\.kind) == [
                .systemOOMReported, .probeFailed, .systemOOMReported, .event, .event, .systemOOMReported,
                .systemOOMReported, .systemOOMReported, .oomKillingEvent, .backOff,
            ])
        #expect(
            obs.map(\.node) == [
                "nlk8s-node04", nil, "nlk8s-node04", nil, nil, "minikube", "minikube", "node3", "node3", nil,
            ])
        #expect(
            obs.map(\.process?.pid) == [1_568_701, nil, 2_055_777, nil, nil, 465_488, 465_125, 16713, 16711, nil])
        #expect(obs[0].process?.name == "grafana")
        #expect(obs[0].namespace == nil)  // node events live in "default"; not a pod namespace
        #expect(obs[0].time == TimeReading(.beforeCollection(seconds: 3180, resolution: 60), text: "53m"))
        #expect(obs[1].pod == "monitoring-kube-prometheus-operator-67d8d4c647-vwbbr")
        #expect(obs[1].namespace == "monitoring")
        #expect(obs[1].reason == "Unhealthy")
        #expect(obs[3].pod == "memory-waster-6b8478554c-p5q5v")
        #expect(obs[3].container == "memory-demo-ctr")
        #expect(obs[3].time?.time == .beforeCollection(seconds: 107, resolution: 1))
        // Custom columns: RFC 3339 TIME and the event name `node3.<hex>`.
        #expect(obs[7].time == TimeReading(.instant(Instant(seconds: 1_606_474_869)), text: "2020-11-27T19:01:09+08:00"))
        #expect(obs[8].time?.time == .instant(Instant(seconds: 1_606_474_887)))
        #expect(obs[8].process == ProcessRef(name: "stress", pid: 16711))
        #expect(obs[8].memory?.anonRSSBytes == 838_959_104)
        #expect(obs[8].kernel?.constraint == KernelOOMDetails.Constraint.none)
        // SUBOBJECT names the container.
        #expect(obs[9].container == "crashloop")
        #expect(obs[9].pod == "crashloop")
        #expect(obs[9].time?.time == .beforeCollection(seconds: 8, resolution: 1))

        #expect(out.diagnostics.map(\.severity) == [.warning, .note])
        #expect(out.diagnostics[0].message.contains("lines 7, 11, 14, 17") == true)
        #expect(out.diagnostics[1].message.hasPrefix("14 event row(s) had no header line") == true)
    }

    @Test func topRowsAreOnlyCounted() throws {
        let out = try fixture("kubectl-top-pod.txt", kind: .top)
        #expect(out.observations.isEmpty)
        #expect(out.pods.isEmpty)
        #expect(out.diagnostics.map(\.message) == ["10 kubectl top row(s) read; memory usage samples are not kept"])

        var parser = KubectlTableParser(context: ParseContext(path: "top", kind: .top))
        var output = ParseOutput()
        for (i, text) in try Fixture.text("kubectl-top-pod.txt").split(separator: "\n").enumerated() {
            Array(text.utf8).withLine(number: i + 1) { parser.parse($0, into: &output) }
        }
        #expect(parser.topRowCount == 10)
        #expect(parser.rowCount == 10)
    }

    // MARK: - Written tables

    private static let widePods = table([
        ["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
        ["shop", "web-7d9c6b5b9f-x2x8l", "0/1", "CrashLoopBackOff", "5 (2m10s ago)", "12m", "10.244.1.3", "node-1", "<none>", "<none>"],
        ["shop", "init-demo", "0/1", "Init:OOMKilled", "2 (30s ago)", "3m", "10.244.1.9", "node-2", "<none>", "<none>"],
        ["kube-system", "big-job-abcde", "0/1", "ExitCode:137", "0", "9m", "<none>", "node-1", "<none>", "<none>"],
        ["kube-system", "ok-pod", "1/1", "Running", "0", "102d", "10.244.2.2", "node-2", "<none>", "<none>"],
        ["shop", "gone-pod", "0/1", "Evicted", "0", "5d1h", "<none>", "node-1", "<none>", "<none>"],
    ])

    @Test(arguments: [1, 9, 4096])
    func allNamespacesWidePods(blockSize: Int) throws {
        let out = parse(Self.widePods, kind: .getPods, blockSize: blockSize)
        #expect(out.pods.map(\.name) == ["web-7d9c6b5b9f-x2x8l", "init-demo", "big-job-abcde", "ok-pod", "gone-pod"])
        #expect(out.pods.map(\.namespace) == ["shop", "shop", "kube-system", "kube-system", "shop"])
        #expect(out.pods.map(\.node) == ["node-1", "node-2", "node-1", "node-2", "node-1"])
        #expect(out.pods.map(\.phase) == [nil, nil, nil, "Running", "Failed"])

        let obs = out.observations
        #expect(obs.map(\.kind) == [.backOff, .containerTerminated, .containerTerminated, .containerTerminated, .podEvicted])
        #expect(obs.map(\.location.line) == [2, 2, 3, 4, 6])
        #expect(obs[0].reason == "CrashLoopBackOff")
        #expect(obs[0].node == "node-1")
        #expect(obs[0].namespace == "shop")
        #expect(obs[0].message == "restarts 5, last 130s before collection")
        #expect(obs[1].reason == nil)
        #expect(obs[1].time == TimeReading(.beforeCollection(seconds: 130, resolution: 1), text: "5 (2m10s ago)"))
        #expect(obs[2].reason == "OOMKilled")
        #expect(obs[2].time == TimeReading(.beforeCollection(seconds: 0, resolution: 31), text: "2 (30s ago)"))
        #expect(obs[2].message == "init container, restarts 2, last 30s before collection")
        #expect(obs[2].node == "node-2")
        #expect(obs[3].exitCode == 137)
        #expect(obs[3].reason == nil)
        #expect(obs[3].time == nil)
        #expect(obs[3].pod == "big-job-abcde")
        #expect(obs[3].namespace == "kube-system")
        #expect(obs[4].pod == "gone-pod")
        #expect(out.diagnostics.isEmpty)
    }

    private static let wideEvents = table([
        ["NAMESPACE", "LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN", "COUNT", "NAME"],
        ["default", "53m", "Warning", "SystemOOM", "node/nlk8s-node04", "", "kubelet, nlk8s-node04",
         "System OOM encountered, victim process: grafana, pid: 1568701", "2h", "3", "nlk8s-node04.17a2c3d4e5f6a7b8"],
        ["shop", "2m", "Warning", "Evicted", "pod/web-7d9c6b5b9f-x2x8l", "", "kubelet, node-1",
         "The node was low on resource: memory. Threshold quantity: 750Mi, available: 225800Ki.", "2m", "1",
         "web-7d9c6b5b9f-x2x8l.17a2c3d4e5f6a7c9"],
        ["shop", "30s", "Warning", "BackOff", "pod/crashloop", "spec.containers{app}", "kubelet, node-1",
         "Back-off restarting failed container app in pod crashloop_shop(5b1d7a0e-1c1f-4c59-a4a5-2d0c4e0f9a11)",
         "10m", "42", "crashloop.17a2c3d4e5f6a7d0"],
        ["shop", "<unknown>", "Normal", "Killing", "pod/crashloop", "spec.containers{app}", "kubelet, node-1",
         "Stopping container app", "<unknown>", "1", "crashloop.17a2c3d4e5f6a7d1"],
        ["shop", "5m", "Normal", "Pulled", "pod/crashloop", "spec.containers{app}", "kubelet, node-1",
         "Container image \"nginx\" already present on machine", "5m", "1", "crashloop.17a2c3d4e5f6a7d2"],
    ])

    @Test func allNamespacesWideEvents() throws {
        let out = parse(Self.wideEvents, kind: .getEvents)
        let obs = out.observations
        #expect(obs.map(\.kind) == [.systemOOMReported, .podEvicted, .backOff, .containerKilled])
        #expect(obs.map(\.location.line) == [2, 3, 4, 5])
        #expect(obs.map(\.count) == [3, nil, 42, nil])
        #expect(obs.map(\.node) == ["nlk8s-node04", "node-1", "node-1", "node-1"])
        #expect(obs.map(\.namespace) == [nil, "shop", "shop", "shop"])
        #expect(obs.map(\.pod) == [nil, "web-7d9c6b5b9f-x2x8l", "crashloop", "crashloop"])
        #expect(obs[0].process == ProcessRef(name: "grafana", pid: 1_568_701))
        #expect(obs[0].time?.time == .beforeCollection(seconds: 3180, resolution: 60))
        #expect(obs[1].resource == "memory")
        #expect(obs[1].message == "The node was low on resource: memory. Threshold quantity: 750Mi, available: 225800Ki.")
        #expect(obs[2].container == "app")
        #expect(obs[2].podUID == "5b1d7a0e-1c1f-4c59-a4a5-2d0c4e0f9a11")
        #expect(obs[2].time == TimeReading(.beforeCollection(seconds: 30, resolution: 1), text: "30s"))
        #expect(obs[3].time == nil)  // <unknown>
        #expect(obs[3].container == "app")
        #expect(obs.allSatisfy { $0.source == .kubectlGet })
        #expect(obs[0].summary == "SystemOOM event on node/nlk8s-node04 (x3): System OOM encountered, victim process: grafana, pid: 1568701")
        #expect(out.diagnostics.isEmpty)
    }

    @Test func severalTablesInOneFile() throws {
        let text = Self.table([
            ["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
            ["node-1", "Ready", "control-plane", "102d", "v1.27.3"],
            ["node-2", "NotReady", "<none>", "5d1h", "v1.27.3"],
        ]) + "\n\n" + Self.table([
            ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
            ["78s", "Warning", "SystemOOM", "node/minikube", "System OOM encountered, victim process: stress, pid: 465488"],
            ["5m", "Normal", "Pulled", "pod/x", "Container image \"nginx\" already present on machine"],
        ]) + "\n\n" + Self.table([
            ["NAME", "CPU(cores)", "CPU%", "MEMORY(bytes)", "MEMORY%"],
            ["k8s-107", "1072m", "2%", "127894Mi", "100%"],
        ]) + "   \n"
        let out = parse(text, kind: .getNodes)
        #expect(out.nodes.map(\.name) == ["node-1", "node-2"])
        #expect(out.nodes.map { $0.conditions["Ready"] } == ["True", "False"])
        #expect(out.nodes.map(\.location.line) == [2, 3])
        #expect(out.observations.map(\.kind) == [.systemOOMReported])
        #expect(out.observations.first?.location.line == 6)
        #expect(out.observations.first?.node == "minikube")
        #expect(out.observations.first?.process == ProcessRef(name: "stress", pid: 465_488))
        #expect(out.diagnostics.map(\.message) == ["1 kubectl top row(s) read; memory usage samples are not kept"])
    }

    @Test func malformedRowsBecomeOneDiagnostic() {
        let text = "orphan-before-header   1/1   Running   0   5m\n"
            + "NAME            READY   STATUS      RESTARTS   AGE\n"
            + "memory-demo-2   0/1     OOMKi\n"
            + "short\n"
            + "\u{01}\u{7f}binary   junk\n"
            + "memory-demo-3   0/1       OOMKilled   1          24s\n"
        let out = parse(text, kind: .getPods)
        #expect(out.pods.map(\.name) == ["memory-demo-3"])
        #expect(out.observations.map(\.location.line) == [6])
        #expect(out.observations.first?.reason == "OOMKilled")
        #expect(out.diagnostics.count == 1)
        #expect(out.diagnostics.first?.line == 1)
        #expect(out.diagnostics.first?.message.contains("lines 1, 3, 4, 5") == true)
    }

    @Test func unknownHeaderIsNoted() {
        let out = parse("NAME   DATA   AGE\nkube-root-ca.crt   1   102d\n", kind: .unrecognized)
        #expect(out.pods.isEmpty && out.observations.isEmpty)
        #expect(out.diagnostics.map(\.severity) == [.note, .warning])
    }

    @Test func columnsKeepDoubleSpacesInsideTheMessage() throws {
        let header = Array("  Type     Reason   Age   From     Message".utf8)
        let row = Array("  Warning  Failed   2m             The container could not be located.  The container used to be Running".utf8)
        let columns = try #require(header.withUnsafeBytes { KubectlTableParser.Columns(header: $0) })
        #expect(columns.names == ["TYPE", "REASON", "AGE", "FROM", "MESSAGE"])
        let cells = try #require(row.withUnsafeBytes { columns.cells($0) })
        let texts = row.withUnsafeBytes { b in cells.map { b.string($0) } }
        #expect(texts == ["Warning", "Failed", "2m", "", "The container could not be located.  The container used to be Running"])
    }

    @Test func robustAgainstRandomBytesAndCuts() throws {
        var rng = KubectlAgeXorShift(seed: 0x7AB1_E5ED)
        let samples = try ["kubectl-get-pods-tables.txt", "kubectl-get-events-tables.txt", "kubectl-top-pod.txt"]
            .map(Fixture.bytes) + [Array(Self.widePods.utf8), Array(Self.wideEvents.utf8)]
        let kinds: [FileKind] = [.getPods, .getEvents, .getNodes, .top]
        for round in 0..<300 {
            var bytes: [UInt8]
            if round % 3 == 0 {
                bytes = (0..<Int(rng.next() % 600)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            } else {
                bytes = samples[Int(rng.next() % UInt64(samples.count))]
                let a = Int(rng.next() % UInt64(bytes.count))
                let b = min(bytes.count, a + Int(rng.next() % 200))
                bytes.removeSubrange(a..<b)
                for _ in 0..<Int(rng.next() % 6) where !bytes.isEmpty {
                    bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
                }
            }
            let out = LineParsing<KubectlTableParser>.parse(
                bytes, context: ParseContext(path: "r", kind: kinds[round % kinds.count]),
                blockSize: 1 + Int(rng.next() % 97))
            let lines = bytes.count { $0 == .newline } + 1
            #expect(out.observations.allSatisfy { ($0.location.line ?? 0) <= lines })
            #expect(out.pods.allSatisfy { !$0.name.isEmpty })
        }
    }
}
