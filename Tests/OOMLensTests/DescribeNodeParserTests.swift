import Testing
@testable import OOMLens

@Suite struct DescribeNodeParserTests {
    private func parse(_ text: String, node: String? = nil, blockSize: Int = 64) -> ParseOutput {
        LineParsing<DescribeNodeParser>.parse(
            Array(text.utf8), context: ParseContext(path: "nodes.txt", kind: .describeNodes, nodeHint: node),
            blockSize: blockSize)
    }

    private func fixture(_ name: String, node: String? = nil) throws -> ParseOutput {
        try Fixture.parse(LineParsing<DescribeNodeParser>.self, name, kind: .describeNodes, node: node)
    }

    // MARK: - Fixtures

    @Test func conditionsAndCapacityOfAHintedNode() throws {
        let out = try fixture("kubectl-describe-node-conditions-capacity.txt", node: "node-a")
        #expect(out.nodes.count == 1)
        let node = try #require(out.nodes.first)
        #expect(node.name == "node-a")
        #expect(
            node.conditions == [
                "NetworkUnavailable": "False", "MemoryPressure": "False", "DiskPressure": "False",
                "PIDPressure": "False", "Ready": "True",
            ])
        #expect(node.capacityMemoryBytes == 134_831_128_576)  // 131671024Ki, one-space indent
        #expect(node.allocatableMemoryBytes == 134_592_053_248)
        #expect(node.podsMemoryRequestsBytes == nil)
        #expect(out.observations.isEmpty)  // no pressure
        #expect(out.diagnostics.isEmpty)
    }

    @Test func withoutNameOrHintNoNodeFactsAreMade() throws {
        let out = try fixture("kubectl-describe-node-conditions-capacity.txt")
        #expect(out.nodes.isEmpty)
        #expect(out.diagnostics.map(\.severity) == [.note])
        #expect(out.diagnostics.first?.line == 5)
    }

    @Test func systemOOMEventsAndPressure() throws {
        let out = try fixture("kubectl-describe-node-systemoom-events.txt")
        let obs = out.observations
        #expect(obs.map(\.location.line) == [6, 7, 11, 15, 16, 20, 22, 36, 37, 38, 39, 40, 42, 43])
        #expect(
            obs.map(\.kind) == [
                .systemOOMReported, .systemOOMReported, .nodePressure, .nodePressure, .nodePressure, .event,
                .systemOOMReported, .systemOOMReported, .systemOOMReported, .systemOOMReported,
                .systemOOMReported, .systemOOMReported, .systemOOMReported, .systemOOMReported,
            ])
        // Node from `kubelet, <node>` when the excerpt has no Name: line.
        #expect(
            obs.map(\.node) == [
                "node1", "node1", nil, "10.72.127.182", "10.72.127.182", "kube-node-9f4e", "kube-node-9f4e",
                nil, nil, nil, nil, nil, nil, nil,
            ])
        #expect(obs.map(\.count) == [nil, nil, nil, nil, 3, 3, 4, nil, nil, nil, nil, nil, nil, nil])
        #expect(obs.map(\.process?.pid) == [nil, nil, nil, nil, nil, nil, nil, 11415, 11481, 12147, 13320, 13395, 14281, 32120])
        #expect(obs[7].process?.name == "ld-musl-x86_64.")
        #expect(obs[12].process?.name == "stress")
        #expect(obs.allSatisfy { $0.source == .describe })

        let pressure = obs[2]
        #expect(pressure.resource == "memory")
        #expect(pressure.reason == "KubeletHasInsufficientMemory")
        #expect(pressure.message == "kubelet has insufficient memory available")
        #expect(pressure.time == TimeReading(.instant(Instant(seconds: 1_569_422_317)), text: "Wed, 25 Sep 2019 15:38:37 +0100"))

        #expect(obs[3].reason == "NodeHasInsufficientMemory")
        #expect(obs[3].resource == "memory")
        #expect(obs[3].time == TimeReading(.beforeCollection(seconds: 318, resolution: 1), text: "5m18s"))
        #expect(obs[4].reason == "EvictionThresholdMet")
        #expect(obs[4].resource == "memory")
        #expect(obs[4].time?.time == .beforeCollection(seconds: 170, resolution: 1))
        #expect(obs[6].time == TimeReading(.beforeCollection(seconds: 720, resolution: 60), text: "12m"))
        #expect(obs[0].message == "System OOM encountered")
        #expect(obs[0].process == nil)
        #expect(obs[10].time?.time == .beforeCollection(seconds: 114, resolution: 1))
        #expect(obs[12].time?.time == .beforeCollection(seconds: 1260, resolution: 60))
        #expect(out.nodes.isEmpty)
    }

    @Test func hintedNodeTakesConditionsAllocatedAndEvents() throws {
        let out = try fixture("kubectl-describe-node-systemoom-events.txt", node: "k3s-node")
        let node = try #require(out.nodes.first)
        #expect(out.nodes.count == 1)
        #expect(node.name == "k3s-node")
        #expect(node.conditions == ["MemoryPressure": "True", "DiskPressure": "False", "PIDPressure": "False", "Ready": "True"])
        #expect(node.podsMemoryRequestsBytes == 6_585_057_280)  // 6280Mi
        #expect(node.podsMemoryLimitsBytes == 6_679_429_120)  // 6370Mi
        #expect(out.observations.count == 14)
        #expect(out.observations.allSatisfy { $0.node == "k3s-node" })
        #expect(out.diagnostics.isEmpty)
    }

    // MARK: - Written layouts

    private static let twoNodes = """
        Name:               kbck8s
        Roles:              control-plane
        Labels:             beta.kubernetes.io/arch=amd64
                            kubernetes.io/hostname=kbck8s
                            node-role.kubernetes.io/control-plane=
        Annotations:        kubeadm.alpha.kubernetes.io/cri-socket: unix:///run/containerd/containerd.sock
                            node.alpha.kubernetes.io/ttl: 0
        CreationTimestamp:  Sat, 20 May 2023 03:17:49 +0000
        Taints:             <none>
        Conditions:
          Type            Status  LastHeartbeatTime                LastTransitionTime               Reason                        Message
          ----            ------  -----------------                ------------------               ------                        -------
          MemoryPressure  True    Sat, 20 May 2023 03:23:07 +0000  Sat, 20 May 2023 03:18:07 +0000  KubeletHasInsufficientMemory  kubelet has insufficient memory available
          DiskPressure    False   Sat, 20 May 2023 03:23:07 +0000  Sat, 20 May 2023 03:18:07 +0000  KubeletHasNoDiskPressure      kubelet has no disk pressure
          Ready           True    Sat, 20 May 2023 03:23:07 +0000  Sat, 20 May 2023 03:18:07 +0000  KubeletReady                  kubelet is posting ready status. AppArmor enabled
        Addresses:
          InternalIP:  192.168.5.15
        Capacity:
          cpu:                4
          memory:             16195060Ki
        Allocatable:
          cpu:                4
          memory:             16092660Ki
        System Info:
          Kernel Version:             5.15.0-1022-aws
        Non-terminated Pods:          (3 in total)
          Namespace                   Name                                        CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
          ---------                   ----                                        ------------  ----------  ---------------  -------------  ---
          kube-system                 calico-node-885h4                           250m (6%)     0 (0%)      0 (0%)           0 (0%)         49m
          kube-system                 coredns-d489fb88-drd5n                      100m (2%)     0 (0%)      70Mi (0%)        170Mi (1%)     48m
          kube-system                 calico-kube-controllers-597f868657-r6wvw    0 (0%)        0 (0%)      0 (0%)           0 (0%)         49m
        Events:
          Type     Reason                   Age                    From                    Message
          ----     ------                   ----                   ----                    -------
          Warning  OOMKilling               3m                     kernel-monitor, kbck8s  Memory cgroup out of memory: Kill process 4481 (stress) score 1994 or sacrifice child
          Warning  SystemOOM                2m50s (x3 over 5m19s)  kubelet                 System OOM encountered, victim process: stress, pid: 4481
          Normal   NodeHasSufficientMemory  1m                     kubelet                 Node kbck8s status is now: NodeHasSufficientMemory
        Name:            e2e-test-node-pool-4lw4
        Capacity:
         cpu:                               2
         memory:                            7679792Ki
        Allocatable:
         memory:                            7474992Ki
        Allocated resources:
          (Total limits may be over 100 percent, i.e., overcommitted.)
          CPU Requests    CPU Limits    Memory Requests    Memory Limits
          ------------    ----------    ---------------    -------------
          680m (34%)      400m (20%)    920Mi (12%)        1070Mi (14%)
        Events:          <none>
        """

    @Test(arguments: [1, 13, 4096])
    func twoNodesWithPodsTableAndOldAllocatedForm(blockSize: Int) throws {
        let out = parse(Self.twoNodes, blockSize: blockSize)
        #expect(out.nodes.map(\.name) == ["kbck8s", "e2e-test-node-pool-4lw4"])
        let first = out.nodes[0]
        #expect(
            first.labels == [
                "beta.kubernetes.io/arch": "amd64", "kubernetes.io/hostname": "kbck8s",
                "node-role.kubernetes.io/control-plane": "",
            ])
        #expect(first.conditions == ["MemoryPressure": "True", "DiskPressure": "False", "Ready": "True"])
        #expect(first.capacityMemoryBytes == 16_583_741_440)
        #expect(first.allocatableMemoryBytes == 16_478_883_840)
        #expect(first.podsMemoryRequestsBytes == 73_400_320)  // summed from the pods table: 70Mi
        #expect(first.podsMemoryLimitsBytes == 178_257_920)  // 170Mi
        #expect(first.location.line == 1)

        let second = out.nodes[1]
        #expect(second.capacityMemoryBytes == 7_864_107_008)
        #expect(second.allocatableMemoryBytes == 7_654_391_808)
        #expect(second.podsMemoryRequestsBytes == 964_689_920)  // 920Mi
        #expect(second.podsMemoryLimitsBytes == 1_121_976_320)  // 1070Mi
        #expect(second.location.line == 38)

        #expect(out.pods.map(\.name) == ["calico-node-885h4", "coredns-d489fb88-drd5n", "calico-kube-controllers-597f868657-r6wvw"])
        #expect(out.pods.allSatisfy { $0.namespace == "kube-system" && $0.node == "kbck8s" })
        #expect(out.pods.map(\.location.line) == [29, 30, 31])

        let obs = out.observations
        #expect(obs.map(\.kind) == [.nodePressure, .oomKillingEvent, .systemOOMReported])
        #expect(obs.map(\.location.line) == [13, 35, 36])
        #expect(obs.allSatisfy { $0.node == "kbck8s" })
        #expect(obs[0].time == TimeReading(.instant(Instant(seconds: 1_684_552_687)), text: "Sat, 20 May 2023 03:18:07 +0000"))
        #expect(obs[0].resource == "memory")
        #expect(obs[0].summary.hasPrefix("node kbck8s: MemoryPressure True"))
        #expect(obs[1].process == ProcessRef(name: "stress", pid: 4481))
        #expect(obs[1].kernel?.constraint == .memcg)
        #expect(obs[1].time == TimeReading(.beforeCollection(seconds: 180, resolution: 60), text: "3m"))
        #expect(obs[1].reason == "OOMKilling")
        #expect(obs[2].process == ProcessRef(name: "stress", pid: 4481))
        #expect(obs[2].count == 3)
        #expect(obs[2].time?.time == .beforeCollection(seconds: 170, resolution: 1))
        #expect(out.diagnostics.isEmpty)
    }

    @Test func npdOOMKillingWithJoinedKernelLines() throws {
        let text = """
            Name:  node3
            Events:
              Type     Reason      Age  From                    Message
              ----     ------      ---  ----                    -------
              Warning  OOMKilling  10m  kernel-monitor, node3   Out of memory: Kill process 16711 (stress) score 205 or sacrifice child Killed process 16711 (stress), UID 0, total-vm:826516kB, anon-rss:819296kB, file-rss:0kB, shmem-rss:0kB
            """
        let out = parse(text)
        let obs = try #require(out.observations.first)
        #expect(obs.kind == .oomKillingEvent)
        #expect(obs.process == ProcessRef(name: "stress", pid: 16711))
        #expect(obs.memory == MemoryFigures(anonRSSBytes: 838_959_104, fileRSSBytes: 0, shmemRSSBytes: 0))
        #expect(obs.kernel?.constraint == KernelOOMDetails.Constraint.none)
        #expect(obs.node == "node3")
        #expect(obs.location.line == 5)
    }

    @Test func malformedSectionsAreSkipped() {
        let text = """
            Name:  broken
            Conditions:
              Type  Status
              MemoryPressure
              MemoryPressure  Maybe
            Capacity:
              memory:  lots
            Non-terminated Pods:  (1 in total)
              kube-system  orphan-row-before-header  0 (0%)
              Namespace  Name  CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
              ---------  ----  ------------  ----------  ---------------  -------------  ---
              kube-system  cut-pod  100m (2%)
            Events:
              Type  Reason  Age  From  Message
              Warning
            """
        let out = parse(text)
        #expect(out.nodes.count == 1)
        #expect(out.nodes.first?.conditions == [:])
        #expect(out.nodes.first?.capacityMemoryBytes == nil)
        #expect(out.nodes.first?.podsMemoryRequestsBytes == nil)
        #expect(out.pods.isEmpty)
        #expect(out.observations.isEmpty)
    }

    @Test func robustAgainstRandomBytesAndCuts() throws {
        var rng = KubectlAgeXorShift(seed: 0x0DE5_C21B)
        let samples = try [
            "kubectl-describe-node-conditions-capacity.txt", "kubectl-describe-node-systemoom-events.txt",
        ].map(Fixture.bytes) + [Array(Self.twoNodes.utf8)]
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
            let out = LineParsing<DescribeNodeParser>.parse(
                bytes, context: ParseContext(path: "r", kind: .describeNodes), blockSize: 1 + Int(rng.next() % 97))
            let lines = bytes.count { $0 == .newline } + 1
            #expect(out.observations.allSatisfy { ($0.location.line ?? 0) <= lines })
        }
    }
}
