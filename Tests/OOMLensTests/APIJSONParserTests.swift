import Foundation
import Testing
@testable import OOMLens

@Suite struct APIJSONParserTests {
    private static func parse(_ text: String, path: String = "cluster-resources/pods/shop.json", blockSize: Int = 64 * 1024)
        -> ParseOutput
    {
        APIJSONParser.parse(Array(text.utf8), context: ParseContext(path: path, kind: .apiJSON), blockSize: blockSize)
    }

    private static func time(_ text: String) -> TimeReading? {
        RFC3339.instant(text).map { TimeReading(.instant($0), text: text) }
    }

    @Test func coreEventFixture() throws {
        let out = try Fixture.parse(APIJSONParser.self, "event-core-v1-backoff.json", kind: .apiJSON,
                                    path: "cluster-resources/events/psa-restricted.json")
        #expect(out.diagnostics.isEmpty)
        #expect(out.pods.isEmpty)
        try #require(out.observations.count == 1)
        let o = out.observations[0]
        #expect(o.kind == .backOff)
        #expect(o.source == .event)
        #expect(o.location == SourceLocation(file: "cluster-resources/events/psa-restricted.json", line: 2))
        #expect(o.time == Self.time("2026-04-17T12:00:17Z"))
        #expect(o.count == 10)
        #expect(o.namespace == "psa-restricted")
        #expect(o.pod == "restricteddeploy-66bddd5dc8-9ggwb")
        #expect(o.podUID == "8dcdd4e8-981e-43f3-92a8-456f5b5bb591")
        #expect(o.node == "k8scilium1")
        #expect(o.container == "nginx")
        #expect(o.reason == "BackOff")
        #expect(o.message == "Back-off restarting failed container nginx in pod restricteddeploy-66bddd5dc8-9ggwb_psa-restricted(8dcdd4e8-981e-43f3-92a8-456f5b5bb591)")
        #expect(o.summary.hasPrefix("event BackOff on pod psa-restricted/restricteddeploy-66bddd5dc8-9ggwb (×10): Back-off"))
    }

    @Test func podListFacts() throws {
        let out = Self.parse(Self.podList)
        #expect(out.diagnostics.isEmpty)
        try #require(out.pods.count == 2)
        let pay = out.pods[0]
        #expect(pay.namespace == "shop")
        #expect(pay.name == "pay-65dd7b9cb4-x2x7q")
        #expect(pay.uid == "b53d7fb0-9151-4f0e-870a-ffbccd16f809")
        #expect(pay.node == "worker-2")
        #expect(pay.qosClass == "Burstable")
        #expect(pay.priorityClass == "high")
        #expect(pay.ownerKind == "ReplicaSet")
        #expect(pay.ownerName == "pay-65dd7b9cb4")
        #expect(pay.phase == "Running")
        #expect(pay.reason == nil)
        #expect(pay.configHash == nil)
        #expect(pay.location == SourceLocation(file: "cluster-resources/pods/shop.json", line: 8))
        try #require(pay.containers.count == 3)
        let (migrate, app, sidecar) = (pay.containers[0], pay.containers[1], pay.containers[2])
        #expect(migrate.name == "migrate" && migrate.isInit)
        #expect(migrate.image == "registry.example/pay-migrate:1.2")
        #expect(migrate.containerID == String(repeating: "1", count: 64))
        #expect(migrate.lastContainerID == nil)
        #expect(migrate.restartCount == 0)
        #expect(migrate.state == "terminated: Completed")
        #expect(migrate.memoryLimitBytes == nil && migrate.memoryRequestBytes == nil)
        #expect(app.name == "app" && !app.isInit)
        #expect(app.memoryLimitBytes == 268_435_456)
        #expect(app.memoryRequestBytes == 129_000_000)
        #expect(app.image == "registry.example/pay:1.2")
        #expect(app.containerID == String(repeating: "2", count: 64))
        #expect(app.lastContainerID == String(repeating: "2", count: 64))
        #expect(app.restartCount == 5)
        #expect(app.state == "waiting: CrashLoopBackOff")
        #expect(sidecar.name == "sidecar")
        #expect(sidecar.containerID == String(repeating: "3", count: 64))
        #expect(sidecar.lastContainerID == nil)
        #expect(sidecar.restartCount == 1)
        #expect(sidecar.state == "running")

        let batch = out.pods[1]
        #expect(batch.name == "batch-7f9c-abcde" && batch.namespace == "jobs")
        #expect(batch.phase == "Failed")
        #expect(batch.reason == "Evicted")
        #expect(batch.message == "The node was low on resource: memory. Threshold quantity: 750Mi, available: 225800Ki. Container nginx was using 4395616Ki, request is 0, has larger consumption of memory.")
        #expect(batch.qosClass == "BestEffort")
        #expect(batch.containers.map(\.memoryLimitBytes) == [1 << 30])
        #expect(batch.location.line == 123)
        // Nothing of the pod before it carries over (the builder reuses its arrays' storage).
        #expect(batch.ownerKind == nil && batch.ownerName == nil && batch.priorityClass == nil)
        #expect(batch.containers.map(\.name) == ["worker"] && !batch.containers[0].isInit)
        #expect(batch.containers[0].containerID == nil && batch.containers[0].restartCount == nil)
        #expect(batch.containers[0].state == nil && batch.containers[0].image == "busybox")
    }

    @Test func podListObservations() throws {
        let out = Self.parse(Self.podList)
        let obs = out.observations
        try #require(obs.count == 5)
        #expect(obs.map(\.kind) == [.containerTerminated, .containerTerminated, .backOff, .containerTerminated, .podEvicted])
        #expect(obs.map(\.source) == Array(repeating: .podStatus, count: 5))
        #expect(obs.map(\.location.line) == [65, 88, 82, 109, 123])

        let completed = obs[0]
        #expect(completed.container == "migrate")
        #expect(completed.reason == "Completed" && completed.exitCode == 0)
        #expect(completed.time == Self.time("2024-11-28T10:00:09Z"))
        #expect(completed.containerID == String(repeating: "1", count: 64))
        #expect(completed.startedAt?.text == "2024-11-28T10:00:01Z")

        let oom = obs[1]
        #expect(oom.container == "app")
        #expect(oom.reason == "OOMKilled")
        #expect(oom.exitCode == 137)
        #expect(oom.time == Self.time("2024-11-28T10:15:02Z"))
        #expect(oom.startedAt?.text == "2024-11-28T10:12:40Z")
        #expect(oom.containerID == String(repeating: "2", count: 64))
        #expect(oom.memory == MemoryFigures(limitBytes: 268_435_456, requestBytes: 129_000_000))
        #expect(oom.node == "worker-2")
        #expect(oom.namespace == "shop")
        #expect(oom.pod == "pay-65dd7b9cb4-x2x7q")
        #expect(oom.podUID == "b53d7fb0-9151-4f0e-870a-ffbccd16f809")
        #expect(oom.summary == "container app of pod shop/pay-65dd7b9cb4-x2x7q terminated earlier: OOMKilled (exit code 137)")

        let backOff = obs[2]
        #expect(backOff.container == "app")
        #expect(backOff.reason == "CrashLoopBackOff")
        #expect(backOff.time == nil)
        #expect(backOff.message == "back-off 5m0s restarting failed container=app pod=pay-65dd7b9cb4-x2x7q_shop(b53d7fb0-9151-4f0e-870a-ffbccd16f809)")

        let unknown = obs[3]
        #expect(unknown.container == "sidecar")
        #expect(unknown.reason == "ContainerStatusUnknown")
        #expect(unknown.exitCode == 137)
        #expect(unknown.time == nil)
        #expect(unknown.containerID == nil)
        #expect(unknown.message == "The container could not be located when the pod was terminated")

        let evicted = obs[4]
        #expect(evicted.pod == "batch-7f9c-abcde")
        #expect(evicted.node == "worker-1")
        #expect(evicted.reason == "Evicted")
        #expect(evicted.resource == "memory")
        #expect(evicted.time == Self.time("2024-11-28T09:58:11Z"))
        #expect(evicted.message == out.pods[1].message)
        #expect(evicted.podUID == "17eed503-f948-11e6-92ea-42010a80000b")
    }

    @Test(arguments: [1, 2, 7, 100, 4096])
    func blockSizeDoesNotChangeTheResult(block: Int) {
        let reference = Self.parse(Self.podList)
        let out = Self.parse(Self.podList, blockSize: block)
        #expect(out.pods == reference.pods)
        #expect(out.observations == reference.observations)
        #expect(out.diagnostics == reference.diagnostics)
    }

    @Test func declinedSubtreesWithEscapesAndBracketsInStringsAtEveryBlockSize() {
        // `managedFields`, `env` and `volumes` are passed over unread; their strings hold escaped
        // quotes, backslashes and brackets that must not end a string or close the subtree early.
        let text = #"""
            {"kind": "PodList", "items": [{"kind": "Pod", "metadata": {"name": "web-1", "namespace": "shop",
              "managedFields": [{"fieldsV1": {"f:spec": {"k:{\"name\":\"web\"}": {".": {}, "f:env": {}}}},
                                 "manager": "kube\\controller]}", "x": "\\"}],
              "uid": "u-1"},
             "spec": {"env": [{"name": "CFG", "value": "{\"a\":[1,{\"b\":\"]}\\\\\"}]}"}],
                      "volumes": [{"name": "v", "emptyDir": {}}], "nodeName": "node-a",
                      "containers": [{"name": "web", "image": "web:1", "env": [{"value": "\\\\"}],
                                      "resources": {"limits": {"memory": "256Mi"}}}]},
             "status": {"phase": "Running", "containerStatuses": [{"name": "web", "restartCount": 3,
               "lastState": {"terminated": {"reason": "OOMKilled", "exitCode": 137, "message": "}]\"["}}}]}}]}
            """#
        let reference = Self.parse(text)
        #expect(reference.diagnostics.isEmpty)
        #expect(reference.pods.count == 1)
        #expect(reference.pods.first?.uid == "u-1")
        #expect(reference.pods.first?.node == "node-a")
        for block in 1...text.utf8.count {
            let out = Self.parse(text, blockSize: block)
            #expect(out.pods == reference.pods, "block \(block)")
            #expect(out.observations == reference.observations, "block \(block)")
            #expect(out.diagnostics == reference.diagnostics, "block \(block)")
        }
    }

    @Test func systemOOMVictimLastStateFromTheSample() throws {
        // Excerpt (2) of the pod-status sample (k8s#53669, JSON): the victim of a *system* OOM has
        // reason `Error`, exit code 137. Its lines are kept verbatim inside a minimal pod.
        let lines = try Fixture.text("pod-status-laststate-oomkilled.yaml").split(separator: "\n", omittingEmptySubsequences: false)
        let text = """
            {"kind": "Pod", "metadata": {"name": "stress-1", "namespace": "default"},
             "status": {"containerStatuses": [{
            \(lines[9...17].joined(separator: "\n"))
             "name": "stress"}]}}
            """
        let out = Self.parse(text, path: "pod.json")
        #expect(out.diagnostics.isEmpty)
        try #require(out.observations.count == 1)
        let o = out.observations[0]
        #expect(o.kind == .containerTerminated)
        #expect(o.location == SourceLocation(file: "pod.json", line: 4))
        #expect(o.reason == "Error")
        #expect(o.exitCode == 137)
        #expect(o.time == Self.time("2017-10-10T17:41:58Z"))
        #expect(o.startedAt?.text == "2017-10-10T17:20:37Z")
        #expect(o.containerID == "5954f621c17f13706c25a215db06fe2bf7b9a9a6c732a909eb0db39d62346724")
        #expect(o.container == "stress")
        #expect(out.pods.first?.containers.first?.lastContainerID == "5954f621c17f13706c25a215db06fe2bf7b9a9a6c732a909eb0db39d62346724")
    }

    @Test func bareArrayOfPodsWithoutKind() throws {
        let out = Self.parse(Self.bareArray, path: "cluster-resources/pods/kube-system.json")
        #expect(out.diagnostics.isEmpty)
        try #require(out.pods.count == 1)
        let pod = out.pods[0]
        #expect(pod.name == "kube-apiserver-master-0")
        #expect(pod.namespace == "kube-system")
        #expect(pod.uid == "6f4b1c0e-8a31-4d6e-9f0a-3c2b1a0d9e8f")
        #expect(pod.configHash == "7c7a2e5e0b3f4a8d9c1e2f3a4b5c6d7e")
        #expect(pod.ownerKind == "Node" && pod.ownerName == "master-0")
        #expect(pod.priorityClass == "system-node-critical")
        #expect(pod.node == "master-0")
        #expect(pod.location.line == 2)
        try #require(pod.containers.count == 1)
        #expect(pod.containers[0].memoryRequestBytes == nil)
        #expect(pod.containers[0].image == "registry.k8s.io/kube-apiserver:v1.29.4")
        #expect(pod.containers[0].containerID == String(repeating: "f", count: 64))
        #expect(pod.containers[0].lastContainerID == String(repeating: "e", count: 64))
        #expect(pod.containers[0].restartCount == 3)
        #expect(pod.containers[0].state == "running")
        try #require(out.observations.count == 1)
        let o = out.observations[0]
        #expect(o.kind == .containerTerminated)
        #expect(o.location.line == 47)
        #expect(o.reason == "OOMKilled")
        // Zero times (0001-01-01T00:00:00Z) are no times.
        #expect(o.time == nil)
        #expect(o.message == nil)
        #expect(o.containerID == String(repeating: "e", count: 64))
    }

    /// Condition texts are kept as bytes until the object is emitted: escaped and split texts, a
    /// key given twice, a number for a string, and conditions of two objects in a row each come out
    /// as their own text.
    @Test(arguments: [7, 64 * 1024])
    func conditionTextsKeptAsBytes(blockSize: Int) throws {
        let text = """
            {"kind":"NodeList","items":[
            {"kind":"Node","metadata":{"name":"n1"},"status":{"conditions":[
              {"type":"Ready","status":"True","reason":"KubeletReady"},
              {"type":"Memory\\u0050ressure","status":"False","status":"True",
               "lastTransitionTime":"2024-03-14T10:00:00Z","reason":"Kubelet\\"Low\\"",
               "message":"caf\\u00e9 \\ud83d\\ude00 low"},
              {"type":7,"status":"Unknown"}]}},
            {"kind":"Node","metadata":{"name":"n2"},"status":{"conditions":[
              {"type":"DiskPressure","status":"False"}]}}]}
            """
        let out = Self.parse(text, path: "cluster-resources/nodes.json", blockSize: blockSize)
        #expect(out.diagnostics.isEmpty)
        try #require(out.nodes.count == 2)
        #expect(out.nodes[0].conditions == ["Ready": "True", "MemoryPressure": "True", "7": "Unknown"])
        #expect(out.nodes[1].conditions == ["DiskPressure": "False"])
        try #require(out.observations.count == 1)
        let o = out.observations[0]
        #expect(o.kind == .nodePressure)
        #expect(o.node == "n1")
        #expect(o.reason == "Kubelet\"Low\"")
        #expect(o.message == "café 😀 low")
        #expect(o.time == Self.time("2024-03-14T10:00:00Z"))
    }

    @Test func kubectlListOfNodeAndEvents() throws {
        let out = Self.parse(Self.kubectlList, path: "kubectl-get-all.json")
        try #require(out.nodes.count == 1)
        let node = out.nodes[0]
        #expect(node.name == "worker-2")
        #expect(node.labels == ["kubernetes.io/hostname": "worker-2", "node.kubernetes.io/instance-type": "m5.large"])
        #expect(node.capacityMemoryBytes == Int64(8_025_424) * 1024)
        #expect(node.allocatableMemoryBytes == Int64(7_134_240) * 1024)
        #expect(node.conditions == ["MemoryPressure": "True", "Ready": "True"])
        #expect(node.location == SourceLocation(file: "kubectl-get-all.json", line: 27))
        #expect(out.pods.isEmpty)

        try #require(out.observations.count == 3)
        let pressure = out.observations[0]
        #expect(pressure.kind == .nodePressure)
        #expect(pressure.source == .kubectlGet)
        #expect(pressure.location.line == 53)
        #expect(pressure.time == Self.time("2024-11-28T10:14:50Z"))
        #expect(pressure.node == "worker-2")
        #expect(pressure.reason == "KubeletHasInsufficientMemory")
        #expect(pressure.message == "kubelet has insufficient memory available")
        #expect(pressure.resource == "memory")

        let systemOOM = out.observations[1]
        #expect(systemOOM.kind == .systemOOMReported)
        #expect(systemOOM.source == .event)
        #expect(systemOOM.location.line == 75)
        #expect(systemOOM.time == Self.time("2024-11-28T10:15:01Z"))
        #expect(systemOOM.node == "worker-2")
        #expect(systemOOM.namespace == nil)
        #expect(systemOOM.pod == nil)
        #expect(systemOOM.process == ProcessRef(name: "stress", pid: 14281))
        #expect(systemOOM.count == nil)

        let killing = out.observations[2]
        #expect(killing.kind == .oomKillingEvent)
        #expect(killing.location.line == 99)
        #expect(killing.time == Self.time("2020-11-27T11:01:27Z"))
        #expect(killing.node == "node3")
        #expect(killing.count == 2)
        #expect(killing.process == ProcessRef(name: "stress", pid: 16711))

        // The Deployment is skipped and counted; the `Pulled` event is read but not worth an observation.
        #expect(out.diagnostics == [
            Diagnostic(.note, file: "kubectl-get-all.json", "skipped 1 object(s) of kinds not read here: Deployment ×1"),
        ])
    }

    @Test func eventsK8sIoV1() throws {
        let out = Self.parse(Self.eventsV1, path: "events.json")
        #expect(out.diagnostics.isEmpty)
        try #require(out.observations.count == 2)
        let evicted = out.observations[0]
        #expect(evicted.kind == .podEvicted)
        #expect(evicted.location.line == 5)
        // deprecatedLastTimestamp is null: series.lastObservedTime wins over eventTime.
        #expect(evicted.time == Self.time("2024-11-28T10:15:20.654321Z"))
        if case .instant(let instant)? = evicted.time?.time { #expect(instant.nanoseconds == 654_321_000) }
        #expect(evicted.count == 4)
        #expect(evicted.namespace == "shop")
        #expect(evicted.pod == "pay-65dd7b9cb4-x2x7q")
        #expect(evicted.podUID == "b53d7fb0-9151-4f0e-870a-ffbccd16f809")
        #expect(evicted.node == "worker-2")
        #expect(evicted.resource == "memory")
        #expect(evicted.message?.hasPrefix("The node was low on resource: memory. Threshold quantity: 750Mi") == true)

        let threshold = out.observations[1]
        #expect(threshold.kind == .nodePressure)
        #expect(threshold.location.line == 34)
        #expect(threshold.time == Self.time("2026-09-06T00:00:00Z"))
        #expect(threshold.count == 7)
        #expect(threshold.node == "worker-2")
        #expect(threshold.resource == "memory")
        #expect(threshold.message == "Attempting to reclaim memory")
    }

    @Test func watchStreamLines() throws {
        let text = """
            {"type":"ADDED","object":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"web-0","namespace":"shop","uid":"u-1"},"spec":{"containers":[{"name":"web"}]},"status":{"phase":"Pending"}}}
            {"type":"MODIFIED","object":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"web-0","namespace":"shop","uid":"u-1"},"spec":{"containers":[{"name":"web"}]},"status":{"phase":"Running","containerStatuses":[{"name":"web","restartCount":1,"lastState":{"terminated":{"exitCode":137,"reason":"OOMKilled","finishedAt":"2024-11-28T10:15:02Z"}}}]}}}
            {"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"12746"}}}
            """
        let out = Self.parse(text, blockSize: 16)
        #expect(out.pods.map(\.phase) == ["Pending", "Running"])
        #expect(out.pods.map(\.location.line) == [1, 2])
        try #require(out.observations.count == 1)
        #expect(out.observations[0].reason == "OOMKilled")
        #expect(out.observations[0].location.line == 2)
        // The bookmark's pod has no name and no containers: dropped without a word.
        #expect(out.diagnostics.isEmpty)
        // A pod with containers but no name is reported.
        let nameless = Self.parse(#"{"kind":"Pod","metadata":{},"spec":{"containers":[{"name":"a"}]}}"#)
        #expect(nameless.pods.isEmpty)
        #expect(nameless.diagnostics == [Diagnostic(.warning, file: "cluster-resources/pods/shop.json", line: 1,
                                                    "pod object without metadata.name skipped")])
    }

    @Test func malformedJSONKeepsEarlierObjects() throws {
        let lines = Self.podList.split(separator: "\n", omittingEmptySubsequences: false)
        // Cut inside the second pod.
        let cut = lines.prefix(130).joined(separator: "\n")
        let out = Self.parse(cut, blockSize: 333)
        #expect(out.pods.map(\.name) == ["pay-65dd7b9cb4-x2x7q"])
        #expect(out.observations.count == 4)
        #expect(out.diagnostics == [Diagnostic(
            .damage, file: "cluster-resources/pods/shop.json", line: 130,
            "malformed JSON at line 130: unexpected end of input with 3 object(s)/array(s) still open; "
                + "reading stopped (1 object(s) read before)")])

        // A syntax error stops the file at its line.
        var broken = lines.map(String.init)
        broken[126] = broken[126].replacingOccurrences(of: ",", with: "")
        let out2 = Self.parse(broken.joined(separator: "\n"))
        #expect(out2.pods.count == 1)
        #expect(out2.diagnostics.first?.severity == .damage)
        #expect(out2.diagnostics.first?.line == 128)
    }

    @Test func hugeStringsAreCutAndReported() {
        let long = String(repeating: "x", count: 5000)
        let text = #"{"kind":"Pod","metadata":{"name":"p","namespace":"n"},"status":{"message":"\#(long)"}}"#
        var parser = APIJSONParser(context: ParseContext(path: "p.json", kind: .apiJSON), maxStringBytes: 1000, maxDepth: 64)
        var out = ParseOutput()
        Array(text.utf8).withUnsafeBytes { parser.feed($0, into: &out) }
        parser.finish(into: &out)
        #expect(out.pods.first?.message?.utf8.count == 1000)
        #expect(out.diagnostics == [Diagnostic(.warning, file: "p.json",
                                               "1 string value(s) longer than 1000 bytes were cut (4000 bytes dropped)")])
    }

    @Test func manyPodsInBoundedMemory() throws {
        // 50 000 pods streamed block by block (never one string), each with fields oomlens does not
        // keep. The pods come from two byte templates whose digits are patched in place.
        var parser = APIJSONParser(context: ParseContext(path: "pods.json", kind: .apiJSON))
        var out = ParseOutput()
        func feed(_ bytes: [UInt8]) { bytes.withUnsafeBytes { parser.feed($0, into: &out) } }
        struct Template {
            var bytes: [UInt8]
            var index: [Int] = []  // where the 5-digit pod index goes
            var node = 0           // 2 digits
            var restarts = 0       // 1 digit
            init(_ text: String) {
                bytes = Array(text.utf8)
                var i = 0
                while i < bytes.count {
                    if bytes[i...].starts(with: Array("99999".utf8)) {
                        index.append(i)
                        i += 5
                    } else if bytes[i...].starts(with: Array("node-88".utf8)) {
                        node = i + 5
                        i += 7
                    } else if bytes[i...].starts(with: Array("\"restartCount\":7".utf8)) {
                        restarts = i + 15
                        i += 16
                    } else {
                        i += 1
                    }
                }
            }
            mutating func patch(_ n: Int) {
                var v = n
                for d in 0..<5 {
                    for at in index { bytes[at + 4 - d] = UInt8(ascii: "0") + UInt8(v % 10) }
                    v /= 10
                }
                bytes[node] = UInt8(ascii: "0") + UInt8(n % 100 / 10)
                bytes[node + 1] = UInt8(ascii: "0") + UInt8(n % 10)
                bytes[restarts] = UInt8(ascii: "0") + UInt8(n % 7)
            }
        }
        func template(oom: Bool) -> Template {
            Template("," + Self.generatedPod(99999, bulk: false, lastState: oom)
                .replacingOccurrences(of: "node-99", with: "node-88")
                .replacingOccurrences(of: "\"restartCount\":\(99999 % 7)", with: "\"restartCount\":7"))
        }
        var plain = template(oom: false)
        var oomed = template(oom: true)
        #expect(plain.index.count == 2 && oomed.index.count == 2)
        feed(Array(#"{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":[{}"#.utf8))
        let pods = 50_000
        for i in 0..<pods {
            if i % 10 == 0 {
                oomed.patch(i)
                feed(oomed.bytes)
            } else {
                plain.patch(i)
                feed(plain.bytes)
            }
        }
        feed(Array("]}\n".utf8))
        parser.finish(into: &out)
        // The leading `{}` item has no kind and no shape: skipped and counted.
        #expect(out.diagnostics == [Diagnostic(.note, file: "pods.json", "skipped 1 object(s) of kinds not read here: (no kind) ×1")])
        #expect(out.pods.count == pods)
        #expect(out.observations.count == pods / 10)
        #expect(parser.peakBufferBytes < 16 * 1024)
        let last = try #require(out.pods.last)
        #expect(last.name == "gen-49999")
        #expect(last.uid == "00000000-0000-0000-0000-000000049999")
        #expect(last.node == "node-99")
        #expect(last.containers == [{
            var c = ContainerFacts(name: "app")
            c.image = "registry.example/app:1"
            c.memoryLimitBytes = 512 << 20
            c.memoryRequestBytes = 256 << 20
            c.containerID = String(repeating: "c", count: 64)
            c.restartCount = 49999 % 7
            c.state = "running"
            return c
        }()])
        let oom = try #require(out.observations.last)
        #expect(oom.location == SourceLocation(file: "pods.json", line: 1))
        #expect(oom.pod == "gen-49990")
        #expect(oom.reason == "OOMKilled")
        #expect(oom.containerID == String(repeating: "d", count: 64))
    }

    /// One generated pod: the kept facts plus fields a real pod carries that are not kept
    /// (`managedFields`, labels, env, …; volumes and tolerations too with `bulk`).
    static func generatedPod(_ i: Int, bulk: Bool = true, lastState: Bool? = nil) -> String {
        let uid = "00000000-0000-0000-0000-\(String(format: "%012d", i))"
        let last = lastState ?? (i % 10 == 0)
            ? #","lastState":{"terminated":{"exitCode":137,"reason":"OOMKilled","startedAt":"2024-11-28T10:00:00Z","finishedAt":"2024-11-28T10:15:02Z","containerID":"containerd://\#(String(repeating: "d", count: 64))"}}"#
            : #","lastState":{}"#
        return #"{"kind":"Pod","apiVersion":"v1","metadata":{"name":"gen-\#(i)","namespace":"load","uid":"\#(uid)","labels":{"app":"gen","pod-template-hash":"6c9f8d7b5"},\#(bulk ? #""annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"gen\"}}\n"},"# : "")"managedFields":[{"manager":"kubelet","operation":"Update","apiVersion":"v1","time":"2024-11-28T10:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:status":{"f:conditions":{"k:{\"type\":\"Ready\"}":{".":{},"f:lastProbeTime":{},"f:status":{}}}}}}]},"spec":{\#(bulk ? #""volumes":[{"name":"kube-api-access","projected":{"sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}}]}}],"# : "")"containers":[{"name":"app","image":"registry.example/app:1","env":[{"name":"MODE","value":"fast"}],"resources":{"limits":{"cpu":"1","memory":"512Mi"},"requests":{"cpu":"100m","memory":"256Mi"}},"terminationMessagePath":"/dev/termination-log"}],"nodeName":"node-\#(i % 100)"\#(bulk ? #","schedulerName":"default-scheduler","tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}]"# : "")},"status":{"phase":"Running",\#(bulk ? #""conditions":[{"type":"Ready","status":"True","lastProbeTime":null,"lastTransitionTime":"2024-11-28T10:00:00Z"}],"hostIP":"10.0.0.\#(i % 250)","podIP":"10.244.\#(i % 250).\#(i % 200)","# : "")"qosClass":"Burstable","containerStatuses":[{"name":"app","state":{"running":{"startedAt":"2024-11-28T10:15:03Z"}}\#(last),"ready":true,"restartCount":\#(i % 7),"image":"registry.example/app:1","imageID":"registry.example/app@sha256:\#(String(repeating: "b", count: 64))","containerID":"containerd://\#(String(repeating: "c", count: 64))","started":true}]}}"#
    }

    @Test func randomDamageNeverCrashes() throws {
        var rng = XorShift(seed: 0xA11C_E5ED)
        let samples = [Array(Self.podList.utf8), Array(Self.kubectlList.utf8), Array(Self.eventsV1.utf8),
                       try Fixture.bytes("event-core-v1-backoff.json")]
        for round in 0..<200 {
            var bytes = samples[round % samples.count]
            for _ in 0..<Int(rng.next() % 8) where !bytes.isEmpty {
                bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
            }
            bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count + 1))))
            let block = 1 + Int(rng.next() % 500)
            _ = APIJSONParser.parse(bytes, context: ParseContext(path: "r.json", kind: .apiJSON), blockSize: block)
        }
        for _ in 0..<100 {
            let bytes = (0..<Int(rng.next() % 2000)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            _ = APIJSONParser.parse(bytes, context: ParseContext(path: "r.json", kind: .apiJSON), blockSize: 64)
        }
    }

    /// Throughput on a generated ~300 MB PodList (release build): `OOMLENS_BENCH=1 swift test -c release --filter APIJSONParserTests/throughput`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["OOMLENS_BENCH"] != nil))
    func throughput() {
        var items: [UInt8] = []
        for i in 0..<200 {
            // Indented like troubleshoot's MarshalIndent output.
            var pod = Self.generatedPod(i)
            if let object = try? JSONSerialization.jsonObject(with: Data(pod.utf8)),
               let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted]) {
                pod = String(decoding: data, as: UTF8.self)
            }
            items += Array(("," + pod).utf8)
        }
        let chunk = items
        var parser = APIJSONParser(context: ParseContext(path: "big.json", kind: .apiJSON))
        var out = ParseOutput()
        let start = Date()
        var total = 0
        let head = Array(#"{"kind":"PodList","items":[{}"#.utf8)
        head.withUnsafeBytes { parser.feed($0, into: &out) }
        chunk.withUnsafeBytes { all in
            while total < 300_000_000 {
                var offset = 0
                while offset < all.count {
                    let end = min(all.count, offset + 256 * 1024)
                    parser.feed(all.slice(offset..<end), into: &out)
                    offset = end
                }
                total += all.count
            }
        }
        Array("]}".utf8).withUnsafeBytes { parser.feed($0, into: &out) }
        parser.finish(into: &out)
        let seconds = Date().timeIntervalSince(start)
        print("APIJSONParser: \(total / 1_000_000) MB in \(seconds) s = \(Double(total) / 1e6 / seconds) MB/s, "
              + "\(out.pods.count) pods, peak buffer \(parser.peakBufferBytes) bytes")
        #expect(out.pods.count > 0)
    }

    static let podList = #"""
        {
          "kind": "PodList",
          "apiVersion": "v1",
          "metadata": {
            "resourceVersion": "812"
          },
          "items": [
            {
              "kind": "Pod",
              "apiVersion": "v1",
              "metadata": {
                "name": "pay-65dd7b9cb4-x2x7q",
                "namespace": "shop",
                "uid": "b53d7fb0-9151-4f0e-870a-ffbccd16f809",
                "labels": {
                  "app": "pay"
                },
                "ownerReferences": [
                  {
                    "apiVersion": "apps/v1",
                    "kind": "ReplicaSet",
                    "name": "pay-65dd7b9cb4",
                    "controller": true
                  }
                ]
              },
              "spec": {
                "initContainers": [
                  {
                    "name": "migrate",
                    "image": "registry.example/pay-migrate:1.2",
                    "resources": {}
                  }
                ],
                "containers": [
                  {
                    "name": "app",
                    "image": "registry.example/pay:1.2",
                    "resources": {
                      "limits": {
                        "cpu": "500m",
                        "memory": "256Mi"
                      },
                      "requests": {
                        "memory": "129e6"
                      }
                    }
                  },
                  {
                    "name": "sidecar",
                    "image": "envoyproxy/envoy:v1.27",
                    "resources": {}
                  }
                ],
                "nodeName": "worker-2",
                "priorityClassName": "high"
              },
              "status": {
                "phase": "Running",
                "qosClass": "Burstable",
                "initContainerStatuses": [
                  {
                    "name": "migrate",
                    "state": {
                      "terminated": {
                        "exitCode": 0,
                        "reason": "Completed",
                        "startedAt": "2024-11-28T10:00:01Z",
                        "finishedAt": "2024-11-28T10:00:09Z",
                        "containerID": "containerd://1111111111111111111111111111111111111111111111111111111111111111"
                      }
                    },
                    "lastState": {},
                    "restartCount": 0,
                    "containerID": "containerd://1111111111111111111111111111111111111111111111111111111111111111"
                  }
                ],
                "containerStatuses": [
                  {
                    "name": "app",
                    "state": {
                      "waiting": {
                        "reason": "CrashLoopBackOff",
                        "message": "back-off 5m0s restarting failed container=app pod=pay-65dd7b9cb4-x2x7q_shop(b53d7fb0-9151-4f0e-870a-ffbccd16f809)"
                      }
                    },
                    "lastState": {
                      "terminated": {
                        "exitCode": 137,
                        "reason": "OOMKilled",
                        "startedAt": "2024-11-28T10:12:40Z",
                        "finishedAt": "2024-11-28T10:15:02Z",
                        "containerID": "containerd://2222222222222222222222222222222222222222222222222222222222222222"
                      }
                    },
                    "ready": false,
                    "restartCount": 5,
                    "image": "registry.example/pay:1.2",
                    "containerID": "containerd://2222222222222222222222222222222222222222222222222222222222222222"
                  },
                  {
                    "name": "sidecar",
                    "state": {
                      "running": {
                        "startedAt": "2024-11-28T10:00:10Z"
                      }
                    },
                    "lastState": {
                      "terminated": {
                        "exitCode": 137,
                        "reason": "ContainerStatusUnknown",
                        "message": "The container could not be located when the pod was terminated",
                        "startedAt": null,
                        "finishedAt": null
                      }
                    },
                    "restartCount": 1,
                    "containerID": "cri-o://3333333333333333333333333333333333333333333333333333333333333333"
                  }
                ]
              }
            },
            {
              "kind": "Pod",
              "apiVersion": "v1",
              "metadata": {
                "name": "batch-7f9c-abcde",
                "namespace": "jobs",
                "uid": "17eed503-f948-11e6-92ea-42010a80000b"
              },
              "spec": {
                "containers": [
                  {
                    "name": "worker",
                    "image": "busybox",
                    "resources": {
                      "limits": {
                        "memory": "1Gi"
                      }
                    }
                  }
                ],
                "nodeName": "worker-1"
              },
              "status": {
                "phase": "Failed",
                "conditions": [
                  {
                    "type": "DisruptionTarget",
                    "status": "True",
                    "lastProbeTime": null,
                    "lastTransitionTime": "2024-11-28T09:58:11Z",
                    "reason": "TerminationByKubelet",
                    "message": "The node was low on resource: memory. Threshold quantity: 750Mi, available: 225800Ki. "
                  }
                ],
                "message": "The node was low on resource: memory. Threshold quantity: 750Mi, available: 225800Ki. Container nginx was using 4395616Ki, request is 0, has larger consumption of memory. ",
                "reason": "Evicted",
                "qosClass": "BestEffort"
              }
            }
          ]
        }
        """#

    static let bareArray = #"""
        [
          {
            "metadata": {
              "name": "kube-apiserver-master-0",
              "namespace": "kube-system",
              "uid": "6f4b1c0e-8a31-4d6e-9f0a-3c2b1a0d9e8f",
              "annotations": {
                "kubernetes.io/config.hash": "7c7a2e5e0b3f4a8d9c1e2f3a4b5c6d7e",
                "kubernetes.io/config.source": "file"
              },
              "ownerReferences": [
                {
                  "apiVersion": "v1",
                  "kind": "Node",
                  "name": "master-0",
                  "controller": true
                }
              ]
            },
            "spec": {
              "containers": [
                {
                  "name": "kube-apiserver",
                  "image": "registry.k8s.io/kube-apiserver:v1.29.4",
                  "resources": {
                    "requests": {
                      "cpu": "250m"
                    }
                  }
                }
              ],
              "nodeName": "master-0",
              "priorityClassName": "system-node-critical"
            },
            "status": {
              "phase": "Running",
              "qosClass": "Burstable",
              "containerStatuses": [
                {
                  "name": "kube-apiserver",
                  "state": {
                    "running": {
                      "startedAt": "2024-11-28T10:16:00Z"
                    }
                  },
                  "lastState": {
                    "terminated": {
                      "exitCode": 137,
                      "reason": "OOMKilled",
                      "startedAt": "0001-01-01T00:00:00Z",
                      "finishedAt": "0001-01-01T00:00:00Z",
                      "containerID": "containerd://eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"
                    }
                  },
                  "restartCount": 3,
                  "containerID": "containerd://ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
                }
              ]
            }
          }
        ]
        """#

    static let kubectlList = #"""
        {
            "apiVersion": "v1",
            "items": [
                {
                    "apiVersion": "apps/v1",
                    "kind": "Deployment",
                    "metadata": {
                        "name": "pay",
                        "namespace": "shop"
                    },
                    "spec": {
                        "replicas": 2,
                        "template": {
                            "spec": {
                                "containers": [
                                    {
                                        "name": "app"
                                    }
                                ]
                            }
                        }
                    },
                    "status": {
                        "replicas": 2
                    }
                },
                {
                    "apiVersion": "v1",
                    "kind": "Node",
                    "metadata": {
                        "labels": {
                            "kubernetes.io/hostname": "worker-2",
                            "node.kubernetes.io/instance-type": "m5.large"
                        },
                        "name": "worker-2",
                        "uid": "0c7d2f4e-1b3a-4c5d-8e9f-a0b1c2d3e4f5"
                    },
                    "spec": {
                        "podCIDR": "10.244.2.0/24"
                    },
                    "status": {
                        "allocatable": {
                            "cpu": "1930m",
                            "memory": "7134240Ki",
                            "pods": "110"
                        },
                        "capacity": {
                            "cpu": "2",
                            "memory": "8025424Ki",
                            "pods": "110"
                        },
                        "conditions": [
                            {
                                "lastHeartbeatTime": "2024-11-28T10:15:30Z",
                                "lastTransitionTime": "2024-11-28T10:14:50Z",
                                "message": "kubelet has insufficient memory available",
                                "reason": "KubeletHasInsufficientMemory",
                                "status": "True",
                                "type": "MemoryPressure"
                            },
                            {
                                "lastHeartbeatTime": "2024-11-28T10:15:30Z",
                                "lastTransitionTime": "2024-11-28T08:00:00Z",
                                "message": "kubelet is posting ready status",
                                "reason": "KubeletReady",
                                "status": "True",
                                "type": "Ready"
                            }
                        ],
                        "nodeInfo": {
                            "kernelVersion": "5.15.0-1041-azure"
                        }
                    }
                },
                {
                    "apiVersion": "v1",
                    "count": 1,
                    "eventTime": null,
                    "firstTimestamp": "2024-11-28T10:15:01Z",
                    "involvedObject": {
                        "kind": "Node",
                        "name": "worker-2",
                        "uid": "worker-2"
                    },
                    "kind": "Event",
                    "lastTimestamp": "2024-11-28T10:15:01Z",
                    "message": "System OOM encountered, victim process: stress, pid: 14281",
                    "metadata": {
                        "name": "worker-2.180c4a1b2c3d4e5f",
                        "namespace": "default"
                    },
                    "reason": "SystemOOM",
                    "source": {
                        "component": "kubelet",
                        "host": "worker-2"
                    },
                    "type": "Warning"
                },
                {
                    "apiVersion": "v1",
                    "count": 2,
                    "eventTime": null,
                    "firstTimestamp": "2020-11-27T11:01:20Z",
                    "involvedObject": {
                        "kind": "Node",
                        "name": "node3",
                        "uid": "node3"
                    },
                    "kind": "Event",
                    "lastTimestamp": "2020-11-27T11:01:27Z",
                    "message": "Out of memory: Kill process 16711 (stress) score 205 or sacrifice child Killed process 16711 (stress), UID 0, total-vm:826516kB, anon-rss:819296kB, file-rss:0kB, shmem-rss:0kB",
                    "metadata": {
                        "name": "node3.164b58660f8d4590",
                        "namespace": "default"
                    },
                    "reason": "OOMKilling",
                    "source": {
                        "component": "kernel-monitor",
                        "host": "node3"
                    },
                    "type": "Warning"
                },
                {
                    "apiVersion": "v1",
                    "count": 1,
                    "involvedObject": {
                        "kind": "Pod",
                        "name": "web-0",
                        "namespace": "shop"
                    },
                    "kind": "Event",
                    "message": "Pulled image",
                    "metadata": {
                        "name": "web-0.1",
                        "namespace": "shop"
                    },
                    "reason": "Pulled",
                    "type": "Normal"
                }
            ],
            "kind": "List",
            "metadata": {
                "resourceVersion": ""
            }
        }
        """#

    static let eventsV1 = #"""
        {
          "apiVersion": "events.k8s.io/v1",
          "kind": "EventList",
          "items": [
            {
              "kind": "Event",
              "apiVersion": "events.k8s.io/v1",
              "metadata": {
                "name": "pay-65dd7b9cb4-x2x7q.17f0a1b2c3d4e5f6",
                "namespace": "shop"
              },
              "eventTime": "2024-11-28T10:14:58.123456Z",
              "series": {
                "count": 4,
                "lastObservedTime": "2024-11-28T10:15:20.654321Z"
              },
              "reportingController": "kubelet",
              "reportingInstance": "worker-2",
              "action": "Evicting",
              "reason": "Evicted",
              "regarding": {
                "kind": "Pod",
                "namespace": "shop",
                "name": "pay-65dd7b9cb4-x2x7q",
                "uid": "b53d7fb0-9151-4f0e-870a-ffbccd16f809",
                "apiVersion": "v1"
              },
              "note": "The node was low on resource: memory. Threshold quantity: 750Mi, available: 225800Ki. Container nginx was using 4395616Ki, request is 0, has larger consumption of memory.",
              "type": "Warning",
              "deprecatedSource": {},
              "deprecatedFirstTimestamp": null,
              "deprecatedLastTimestamp": null
            },
            {
              "kind": "Event",
              "apiVersion": "events.k8s.io/v1",
              "metadata": {
                "name": "worker-2.17f0",
                "namespace": "default"
              },
              "eventTime": null,
              "reportingController": "kubelet",
              "reportingInstance": "worker-2",
              "reason": "EvictionThresholdMet",
              "regarding": {
                "kind": "Node",
                "name": "worker-2",
                "uid": "worker-2"
              },
              "note": "Attempting to reclaim memory",
              "type": "Warning",
              "deprecatedSource": {
                "component": "kubelet",
                "host": "worker-2"
              },
              "deprecatedFirstTimestamp": "2026-09-05T23:50:00Z",
              "deprecatedLastTimestamp": "2026-09-06T00:00:00Z",
              "deprecatedCount": 7
            }
          ]
        }
        """#
}

/// A small deterministic generator for robustness tests.
