import Testing
@testable import OOMLens

@Suite struct DescribePodParserTests {
    private func parse(_ text: String, path: String = "describe.txt", blockSize: Int = 64) -> ParseOutput {
        LineParsing<DescribePodParser>.parse(
            Array(text.utf8), context: ParseContext(path: path, kind: .describePods), blockSize: blockSize)
    }

    private func fixture(_ name: String) throws -> ParseOutput {
        try Fixture.parse(LineParsing<DescribePodParser>.self, name, kind: .describePods)
    }

    // MARK: - Fixtures

    @Test func fullHeaderGivesPodFactsAndThePreviousTermination() throws {
        let out = try fixture("kubectl-describe-pod-full-header.txt")
        #expect(out.pods.count == 1)
        let pod = try #require(out.pods.first)
        #expect(pod.name == "pay-65dd7b9cb4-l84p8")
        #expect(pod.namespace == "default")
        #expect(pod.node == "ip-192.168.4.238.au-southeast-2.compute.internal")
        #expect(pod.phase == "Running")
        #expect(pod.qosClass == "Burstable")
        #expect(pod.ownerKind == "ReplicaSet")
        #expect(pod.ownerName == "pay-65dd7b9cb4")
        #expect(pod.reason == nil)
        #expect(pod.location.line == 2)
        #expect(pod.containers.count == 1)
        let c = try #require(pod.containers.first)
        #expect(c.name == "payment")
        #expect(!c.isInit)
        #expect(c.containerID == "f57bdd65e2b53fc6281928076844b76563a0c2bd9b7462c420c9a2d74b479840")
        #expect(c.image == "879772956301.dkr.ecr.ap-southeast-2.amazonaws.com/pay:v1")
        #expect(c.restartCount == 4)
        #expect(c.state == "Running")
        #expect(c.memoryLimitBytes == nil)  // only cpu limits in this pod
        #expect(c.memoryRequestBytes == nil)

        #expect(out.observations.count == 1)
        let obs = try #require(out.observations.first)
        #expect(obs.kind == .containerTerminated)
        #expect(obs.source == .describe)
        #expect(obs.location == SourceLocation(file: "kubectl-describe-pod-full-header.txt", line: 24))
        #expect(obs.reason == "Error")
        #expect(obs.exitCode == 143)
        #expect(obs.time == TimeReading(.instant(Instant(seconds: 1_625_737_233)), text: "Thu, 08 Jul 2021 09:40:33 +0000"))
        #expect(obs.message == "started Thu, 08 Jul 2021 09:40:14 +0000")
        #expect(obs.pod == "pay-65dd7b9cb4-l84p8")
        #expect(obs.namespace == "default")
        #expect(obs.node == "ip-192.168.4.238.au-southeast-2.compute.internal")
        #expect(obs.container == "payment")
        // Describe does not print the dead container's id; the current one is another container.
        #expect(obs.containerID == nil)
        #expect(out.diagnostics.isEmpty)
    }

    @Test func oomKilledExcerptsKeepEveryTermination() throws {
        let out = try fixture("kubectl-describe-pod-oomkilled-excerpts.txt")
        #expect(out.pods.isEmpty)  // no Name: line anywhere
        #expect(out.observations.map(\.kind) == [.containerTerminated, .containerTerminated, .backOff, .containerTerminated])
        #expect(out.observations.map(\.location.line) == [19, 31, 37, 39])
        #expect(out.observations.map(\.reason) == ["OOMKilled", "OOMKilled", "CrashLoopBackOff", "OOMKilled"])
        #expect(out.observations.map(\.exitCode) == [137, 137, nil, 1])  // OOMKilled with exit code 1
        #expect(out.observations.map(\.container) == ["metrics-server", "nginx", nil, nil])
        #expect(
            out.observations.map(\.time?.time) == [
                .instant(Instant(seconds: 1_631_295_097)), .instant(Instant(seconds: 1_697_137_248)), nil,
                .instant(Instant(seconds: 1_704_361_969)),
            ])
        #expect(out.observations[0].message == "started Fri, 10 Sep 2021 05:59:51 +0000")
        #expect(out.observations[3].message == "started Thu, 04 Jan 2024 17:52:29 +0800")
        #expect(out.observations.allSatisfy { $0.pod == nil && $0.source == .describe })
        #expect(out.diagnostics.count == 1)
        #expect(out.diagnostics.first?.severity == .note)
    }

    @Test func eventsWithAggregationAndThe2015TabLayout() throws {
        let out = try fixture("kubectl-describe-pod-events-backoff-oom.txt")
        // Part 1 has Events rows only: the BackOff row names its pod in the message.
        #expect(out.observations.count == 1)
        let backOff = try #require(out.observations.first)
        #expect(backOff.kind == .backOff)
        #expect(backOff.location.line == 3)
        #expect(backOff.time == TimeReading(.beforeCollection(seconds: 78, resolution: 1), text: "78s"))
        #expect(backOff.count == 231)
        #expect(backOff.reason == "BackOff")
        #expect(backOff.container == "app")
        #expect(backOff.pod == "rc-oomkilled-memory-limit-b6d999d-m8sl8")
        #expect(backOff.namespace == "aiops-e2e")
        #expect(backOff.podUID == "837f1b14-9cec-4f6f-8f5b-c89f5b397ca5")
        #expect(backOff.node == nil)

        // Part 2, 2015: TAB-separated fields.
        #expect(out.pods.count == 1)
        let pod = try #require(out.pods.first)
        #expect(pod.name == "simmemleak-hra99")
        #expect(pod.namespace == "default")
        #expect(pod.node == "kubernetes-minion-tf0f")
        #expect(pod.phase == "Running")
        #expect(pod.reason == nil)  // `Reason:` present but empty
        #expect(pod.ownerKind == "ReplicationController")
        #expect(pod.ownerName == "simmemleak")
        #expect(pod.location.line == 5)
        let c = try #require(pod.containers.first)
        #expect(c.name == "simmemleak")
        #expect(c.memoryLimitBytes == 52_428_800)
        #expect(c.restartCount == 5)
        #expect(c.image == "saadali/simmemleak")
        #expect(c.state == "Running")
        #expect(out.diagnostics.count == 1)  // the Name-less excerpt
    }

    // MARK: - Written layouts

    private static let evicted = """
        Name:             web-7d9c6b5b9f-x2x8l
        Namespace:        shop
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Thu, 12 Jan 2023 16:33:36 +0800
        Labels:           app=web
                          pod-template-hash=7d9c6b5b9f
        Annotations:      <none>
        Status:           Failed
        Reason:           Evicted
        Message:          The node was low on resource: memory. Threshold quantity: 750Mi, available: 225800Ki. Container nginx was using 4395616Ki, request is 0, has larger consumption of memory.
        IP:               10.244.1.3
        IPs:
          IP:  10.244.1.3
        Controlled By:  ReplicaSet/web-7d9c6b5b9f
        Containers:
          nginx:
            Container ID:   containerd://fe3d07c9a2541242d36da8097de3896f740c1363f6d2bfd01b8d96a641192b1b
            Image:          nginx:1.25
            State:          Terminated
              Reason:       ContainerStatusUnknown
              Message:      The container could not be located when the pod was deleted.  The container used to be Running
              Exit Code:    137
              Started:      Mon, 01 Jan 0001 00:00:00 +0000
              Finished:     Mon, 01 Jan 0001 00:00:00 +0000
            Ready:          False
            Restart Count:  0
            Limits:
              cpu:     25m
              memory:  25Mi
            Requests:
              cpu:        25m
              memory:     25Mi
            Environment:
              memory:  1Gi
        Conditions:
          Type              Status
          DisruptionTarget  True
        QoS Class:                   Guaranteed
        Node-Selectors:              <none>
        Events:
          Type     Reason   Age    From             Message
          ----     ------   ----   ----             -------
          Warning  Evicted  7m24s  kubelet          The node was low on resource: memory. Threshold quantity: 750Mi, available: 225800Ki.
          Normal   Killing  7m24s  kubelet, node-2  Stopping container nginx
          Warning  Evicted  2m                      The node was low on resource: memory.
        Name:             second
        Namespace:        shop
        Priority Class Name:  system-node-critical
        Node:             <none>
        Annotations:      kubernetes.io/config.hash: 0b2c3d4e5f60718293a4b5c6d7e8f901
                          kubernetes.io/config.seen: 2025-05-16T18:00:00Z
        Status:           Pending
        Init Containers:
          init-db:
            State:          Waiting
              Reason:       CrashLoopBackOff
            Last State:     Terminated
              Reason:       OOMKilled
              Exit Code:    137
              Started:      Fri, 16 May 2025 18:00:45 +0000
              Finished:     Fri, 16 May 2025 18:01:05 +0000
            Restart Count:  3
            Limits:
              memory:  64Mi
        Containers:
          app:
            State:          Waiting
              Reason:       PodInitializing
        Events:  <none>
        """

    @Test(arguments: [1, 7, 64, 4096])
    func severalPodsEvictionAndInitContainers(blockSize: Int) throws {
        let out = parse(Self.evicted, blockSize: blockSize)
        #expect(out.pods.map(\.name) == ["web-7d9c6b5b9f-x2x8l", "second"])
        let web = out.pods[0]
        #expect(web.namespace == "shop")
        #expect(web.node == "node-1")
        #expect(web.phase == "Failed")
        #expect(web.reason == "Evicted")
        #expect(web.message?.hasPrefix("The node was low on resource: memory.") == true)
        #expect(web.qosClass == "Guaranteed")
        #expect(web.ownerKind == "ReplicaSet")
        let nginx = try #require(web.containers.first)
        #expect(nginx.containerID == "fe3d07c9a2541242d36da8097de3896f740c1363f6d2bfd01b8d96a641192b1b")
        #expect(nginx.memoryLimitBytes == 26_214_400)
        #expect(nginx.memoryRequestBytes == 26_214_400)  // the Environment `memory:` is not a request
        #expect(nginx.restartCount == 0)
        #expect(nginx.state == "Terminated (ContainerStatusUnknown)")

        let second = out.pods[1]
        #expect(second.node == nil)
        #expect(second.priorityClass == "system-node-critical")
        #expect(second.configHash == "0b2c3d4e5f60718293a4b5c6d7e8f901")
        #expect(second.containers.map(\.name) == ["init-db", "app"])
        #expect(second.containers.map(\.isInit) == [true, false])
        #expect(second.containers[0].memoryLimitBytes == 67_108_864)
        #expect(second.containers[0].restartCount == 3)
        #expect(second.containers[0].state == "Waiting (CrashLoopBackOff)")

        let kinds = out.observations.map(\.kind)
        #expect(kinds == [.podEvicted, .containerTerminated, .podEvicted, .containerKilled, .podEvicted,
                          .backOff, .containerTerminated])
        #expect(out.observations.map(\.location.line) == [11, 21, 45, 46, 47, 57, 59])

        let statusEvicted = out.observations[0]
        #expect(statusEvicted.reason == "Evicted")
        #expect(statusEvicted.resource == "memory")
        #expect(statusEvicted.message == web.message)
        #expect(statusEvicted.pod == "web-7d9c6b5b9f-x2x8l")

        let unknown = out.observations[1]
        #expect(unknown.reason == "ContainerStatusUnknown")
        #expect(unknown.exitCode == 137)
        #expect(unknown.time == nil)  // zero time
        #expect(unknown.containerID == "fe3d07c9a2541242d36da8097de3896f740c1363f6d2bfd01b8d96a641192b1b")
        #expect(unknown.memory == MemoryFigures(limitBytes: 26_214_400, requestBytes: 26_214_400))
        #expect(unknown.message?.hasPrefix("The container could not be located when the pod was deleted.  The") == true)

        let evictedEvent = out.observations[2]
        #expect(evictedEvent.source == .describe)
        #expect(evictedEvent.time == TimeReading(.beforeCollection(seconds: 444, resolution: 1), text: "7m24s"))
        #expect(evictedEvent.node == "node-1")  // From `kubelet`: the pod's node
        #expect(evictedEvent.namespace == "shop")
        #expect(evictedEvent.resource == "memory")

        let killing = out.observations[3]
        #expect(killing.node == "node-2")  // From `kubelet, node-2`
        #expect(killing.container == "nginx")
        #expect(killing.reason == "Killing")

        let noFrom = out.observations[4]  // empty From cell
        #expect(noFrom.time == TimeReading(.beforeCollection(seconds: 120, resolution: 60), text: "2m"))
        #expect(noFrom.node == "node-1")
        #expect(noFrom.message == "The node was low on resource: memory.")

        let initOOM = out.observations[6]
        #expect(initOOM.pod == "second")
        #expect(initOOM.container == "init-db")
        #expect(initOOM.reason == "OOMKilled")
        #expect(initOOM.time?.time == .instant(Instant(seconds: 1_747_418_465)))
        #expect(initOOM.memory?.limitBytes == 67_108_864)
        #expect(out.observations[5].reason == "CrashLoopBackOff")
        #expect(out.observations[5].container == "init-db")
        #expect(out.diagnostics.isEmpty)
    }

    @Test func old2015EventRowsAreReadByPosition() throws {
        let text = "Name:\t\t\t\tsimmemleak-hra99\nNamespace:\t\t\tdefault\n"
            + "Node:\t\t\t\tkubernetes-minion-tf0f/10.240.216.66\nEvents:\n"
            + "  FirstSeen\t\t\t\tLastSeen\t\t\tCount\tFrom\t\t\t\t\tSubobjectPath\t\t\t\tReason\t\tMessage\n"
            + "  Tue, 07 Jul 2015 12:53:51 -0700\tTue, 07 Jul 2015 12:53:51 -0700\t1\t{scheduler }\t\t\t\t\t\tscheduled\tSuccessfully assigned simmemleak-hra99 to kubernetes-minion-tf0f\n"
            + "  Tue, 07 Jul 2015 12:55:41 -0700\tTue, 07 Jul 2015 12:58:51 -0700\t4\t{kubelet kubernetes-minion-tf0f}\tspec.containers{simmemleak}\tbackOff\tBack-off restarting failed container\n"
        let out = parse(text)
        #expect(out.observations.count == 1)
        let obs = try #require(out.observations.first)
        #expect(obs.kind == .backOff)
        #expect(obs.reason == "BackOff")
        #expect(obs.location.line == 7)
        #expect(obs.time == TimeReading(.instant(Instant(seconds: 1_436_299_131)), text: "Tue, 07 Jul 2015 12:58:51 -0700"))
        #expect(obs.count == 4)
        #expect(obs.node == "kubernetes-minion-tf0f")
        #expect(obs.container == "simmemleak")
        #expect(obs.pod == "simmemleak-hra99")
    }

    @Test func malformedBlocksDoNotInventValues() {
        let text = """
            Name:
            Namespace:
            Containers:
              :
              app:
                Restart Count:  lots
                Limits:
                  memory:  plenty
                Last State:     Terminated
                  Exit Code:    x
                  Finished:     yesterday
            Events:
              Type     Reason   Age
              Warning  BackOff
            """
        let out = parse(text)
        #expect(out.pods.isEmpty)  // a Name: with no value names nothing
        let obs = out.observations
        #expect(obs.count == 1)
        #expect(obs.first?.kind == .containerTerminated)
        #expect(obs.first?.exitCode == nil)
        #expect(obs.first?.time == nil)
        #expect(obs.first?.container == "app")
        #expect(out.diagnostics.map(\.severity) == [.note])
    }

    @Test func robustAgainstRandomBytesAndCuts() throws {
        var rng = KubectlAgeXorShift(seed: 0xD35C_0B1D)
        let samples = try [
            "kubectl-describe-pod-full-header.txt", "kubectl-describe-pod-oomkilled-excerpts.txt",
            "kubectl-describe-pod-events-backoff-oom.txt",
        ].map(Fixture.bytes) + [Array(Self.evicted.utf8)]
        for round in 0..<300 {
            var bytes: [UInt8]
            if round % 3 == 0 {
                bytes = (0..<Int(rng.next() % 600)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            } else {
                bytes = samples[Int(rng.next() % UInt64(samples.count))]
                // Cut a random range out and flip a few bytes.
                let a = Int(rng.next() % UInt64(bytes.count))
                let b = min(bytes.count, a + Int(rng.next() % 200))
                bytes.removeSubrange(a..<b)
                for _ in 0..<Int(rng.next() % 6) where !bytes.isEmpty {
                    bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
                }
            }
            let out = LineParsing<DescribePodParser>.parse(
                bytes, context: ParseContext(path: "r", kind: .describePods), blockSize: 1 + Int(rng.next() % 97))
            let lines = bytes.count { $0 == .newline } + 1
            #expect(out.observations.allSatisfy { ($0.location.line ?? 0) <= lines })
        }
    }
}
