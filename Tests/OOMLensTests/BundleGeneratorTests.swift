import Foundation
import Testing
@testable import BundleGenerator
@testable import OOMLens

@Suite struct BundleGeneratorTests {
    /// `samples/scenarios/`, found from this source file's location.
    static let scenarioDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("samples/scenarios")

    static func scenario(_ name: String) throws -> Scenario {
        try Scenario.decode(Data(contentsOf: scenarioDirectory.appendingPathComponent(name)))
    }

    static func text(_ files: [(path: String, bytes: [UInt8])], suffix: String) -> String? {
        files.first { $0.path.hasSuffix(suffix) }.map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    static let scenarioNames = [
        "aks-oom-incident.json", "repeated-oom.json", "liveness-kill.json", "global-oom.json", "eviction.json",
        "syslog-and-journal-duplicate.json", "new-year.json", "node-reboot.json",
    ]

    @Test(arguments: scenarioNames)
    func everyScenarioDecodesAndRenders(name: String) throws {
        let scenario = try Self.scenario(name)
        #expect(scenario.comment?.isEmpty == false)
        #expect(scenario.expectedIncidents?.isEmpty == false)
        let generator = try BundleGenerator(scenario: scenario)
        let files = generator.render()
        #expect(files.count > 5)
        #expect(files.allSatisfy { $0.path.hasPrefix(generator.rootDirectory + "/") })
    }

    @Test func sameScenarioGivesIdenticalArchives() throws {
        let scenario = try Self.scenario("aks-oom-incident.json")
        var first = try ArchiveWriter(format: .tarGzip)
        try BundleGenerator(scenario: scenario).write(to: &first)
        var second = try ArchiveWriter(format: .tarGzip)
        try BundleGenerator(scenario: scenario).write(to: &second)
        let a = try first.finish()
        let b = try second.finish()
        #expect(a.count > 1000)
        #expect(a == b)
    }

    @Test func kernelContainerIDMatchesPodJSONAndRuntimeLines() throws {
        let files = try BundleGenerator(scenario: Self.scenario("aks-oom-incident.json")).render()
        let syslog = try #require(Self.text(files, suffix: "run-host/aks-user-31415926-vmss000000/var/log/syslog"))
        let kill = try #require(syslog.split(separator: "\n").last { $0.contains("oom-kill:constraint=CONSTRAINT_MEMCG") })
        let scope = try #require(kill.range(of: "task_memcg=")).upperBound
        let taskMemcg = kill[scope...].prefix { $0 != "," }
        // /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid_>.slice/cri-containerd-<id>.scope
        let leaf = try #require(taskMemcg.split(separator: "/").last)
        let containerID = String(leaf.dropFirst("cri-containerd-".count).dropLast(".scope".count))
        #expect(containerID.count == 64)
        let podUID = try #require(taskMemcg.split(separator: "/").dropLast().last)
            .dropFirst("kubepods-burstable-pod".count).dropLast(".slice".count).replacingOccurrences(of: "_", with: "-")

        let podsJSON = try #require(files.first { $0.path.hasSuffix("cluster-resources/pods/shop.json") })
        let list = try JSONSerialization.jsonObject(with: Data(podsJSON.bytes)) as? [String: Any]
        let items = try #require(list?["items"] as? [[String: Any]])
        let pod = try #require(items.first { ($0["metadata"] as? [String: Any])?["name"] as? String == "checkout-api-6c9f7d8b5d-x2x9k" })
        #expect((pod["metadata"] as? [String: Any])?["uid"] as? String == podUID)
        let status = try #require((pod["status"] as? [String: Any])?["containerStatuses"] as? [[String: Any]]).first
        let terminated = (status?["lastState"] as? [String: Any])?["terminated"] as? [String: Any]
        #expect(terminated?["containerID"] as? String == "containerd://" + containerID)
        #expect(terminated?["reason"] as? String == "OOMKilled")
        #expect(terminated?["exitCode"] as? Int == 137)
        #expect(status?["restartCount"] as? Int == 4)

        #expect(syslog.contains("systemd[1]: cri-containerd-\(containerID).scope: A process of this unit has been killed by the OOM killer."))
        let containerd = try #require(Self.text(files, suffix: "aks-user-31415926-vmss000000/journal/containerd.log"))
        #expect(containerd.contains("msg=\"TaskOOM event container_id:\\\"\(containerID)\\\"\""))
        #expect(containerd.contains("exit_status:137"))
        // Four kills of the container plus none of the other pods on this node.
        #expect(syslog.split(separator: "\n").filter { $0.contains("Memory cgroup out of memory: Killed process") && $0.contains("kernel:") }.count == 4)
    }

    @Test func syslogLinesFollowTheRealPrefixes() throws {
        let files = try BundleGenerator(scenario: Self.scenario("aks-oom-incident.json")).render()
        let syslog = try #require(Self.text(files, suffix: "aks-user-31415926-vmss000000/var/log/syslog"))
        let invoked = try #require(syslog.split(separator: "\n").first { $0.contains("invoked oom-killer") })
        // Mar 14 09:41:07 aks-user-31415926-vmss000000 kernel: [271625.123456] java invoked oom-killer: …
        #expect(invoked.hasPrefix("Mar 14 09:41:07 aks-user-31415926-vmss000000 kernel: ["))
        #expect(invoked.contains("] java invoked oom-killer: gfp_mask=0x1100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=968"))
        let kubelet = try #require(Self.text(files, suffix: "aks-user-31415926-vmss000000/journal/kubelet.log"))
        let died = try #require(kubelet.split(separator: "\n").first { $0.contains("ContainerDied") })
        #expect(died.hasPrefix("Mar 14 09:41:09 aks-user-31415926-vmss000000 kubelet["))
        #expect(died.contains("]: I0314 09:41:09."))
    }

    @Test func newYearLogsHaveNoYearAndUseTheNodeZone() throws {
        let files = try BundleGenerator(scenario: Self.scenario("new-year.json")).render()
        let syslog = try #require(Self.text(files, suffix: "worker-7/var/log/syslog"))
        let kills = syslog.split(separator: "\n").filter { $0.contains("Memory cgroup out of memory: Killed process") }
        #expect(kills.count == 2)
        #expect(kills.first?.hasPrefix("Dec 31 23:58:3") == true)
        #expect(kills.last?.hasPrefix("Jan  1 00:03:3") == true)
        #expect(!syslog.contains("2024") && !syslog.contains("2025"))
    }

    @Test func cgroupV1CgroupfsBlockUsesV1Lines() throws {
        let files = try BundleGenerator(scenario: Self.scenario("repeated-oom.json")).render()
        let messages = try #require(Self.text(files, suffix: "var/log/messages"))
        #expect(messages.contains("kernel: memory+swap: usage "))
        #expect(messages.contains("kernel: kmem: usage "))
        #expect(!messages.contains("kernel: swap: usage"))
        #expect(messages.contains("oom_memcg=/kubepods/burstable/pod"))
        let containerd = try #require(Self.text(files, suffix: "journal/containerd.log"))
        #expect(containerd.contains("TaskOOM event &TaskOOM{ContainerID:"))
        let describe = try #require(Self.text(files, suffix: "kubectl/describe-pods.txt"))
        #expect(describe.contains("    Restart Count:  3"))
        #expect(describe.contains("      Reason:       OOMKilled"))
    }

    @Test func livenessKillIsNotAnOOM() throws {
        let files = try BundleGenerator(scenario: Self.scenario("liveness-kill.json")).render()
        let all = files.map { String(decoding: $0.bytes, as: UTF8.self) }.joined()
        #expect(!all.contains("invoked oom-killer"))
        #expect(!all.contains("TaskOOM"))
        #expect(all.contains("\"reason\": \"Error\""))
        #expect(all.contains("Container slow-api failed liveness probe, will be restarted"))
    }

    @Test func noiseLinesAreStreamedAndCounted() throws {
        let generator = try BundleGenerator(scenario: Self.scenario("liveness-kill.json"), noiseLinesPerNode: 5000)
        let syslog = try #require(generator.members().first { $0.path.hasSuffix("var/log/syslog") })
        let kubelet = try #require(generator.members().first { $0.path.hasSuffix("journal/kubelet.log") })
        #expect(syslog.byteCount() == Int64(syslog.bytes().count))
        let lines = [syslog, kubelet].map { m in m.bytes().filter { $0 == UInt8(ascii: "\n") }.count }
        #expect(lines[0] + lines[1] > 2500)
    }

    @Test(arguments: JSONStyle.allCases)
    func extraPodsAreRealisticAndParsed(style: JSONStyle) throws {
        let count = 120
        let generator = try BundleGenerator(scenario: Self.scenario("aks-oom-incident.json"), extraPods: count,
                                            podsJSONStyle: style)
        let member = try #require(generator.members().first { $0.path.hasSuffix("cluster-resources/pods/workloads.json") })
        let bytes = member.bytes()
        #expect(member.byteCount() == Int64(bytes.count))
        // About 10 KB a pod on one line, 19 KB indented by two spaces; compact JSON is one line.
        let newlines = bytes.filter { $0 == UInt8(ascii: "\n") }.count
        switch style {
        case .compact:
            #expect(newlines == 1)
            #expect((8_000...12_000).contains(bytes.count / count))
        case .indent2:
            #expect((15_000...23_000).contains(bytes.count / count))
            #expect(bytes.starts(with: Array("{\n  \"kind\": \"PodList\"".utf8)))
        case .indent4:
            #expect(bytes.starts(with: Array("{\n    \"kind\": \"PodList\"".utf8)))
        }

        let list = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let items = try #require(list["items"] as? [[String: Any]])
        #expect(items.count == count)
        let pod = try #require(items.first)
        let metadata = try #require(pod["metadata"] as? [String: Any])
        for key in ["labels", "annotations", "ownerReferences", "managedFields"] { #expect(metadata[key] != nil) }
        let spec = try #require(pod["spec"] as? [String: Any])
        for key in ["volumes", "containers", "affinity", "tolerations", "nodeName"] { #expect(spec[key] != nil) }
        let containers = try #require(spec["containers"] as? [[String: Any]])
        #expect(containers.count == 2)
        #expect(containers.allSatisfy { $0["env"] != nil && $0["volumeMounts"] != nil })
        let env = try #require(containers.first?["env"] as? [[String: Any]])
        #expect(env.contains { ($0["value"] as? String)?.hasPrefix(#"{"level":"info""#) == true })

        // What oomlens reads from them: every pod, and each planted earlier termination.
        let parsed = APIJSONParser.parse(bytes, context: ParseContext(path: "workloads.json", kind: .apiJSON))
        #expect(parsed.pods.count == count)
        #expect(parsed.diagnostics.isEmpty)
        let planted = ExtraPods.terminations(count: count)
        #expect(planted.oomKilled > 0 && planted.error > 0)
        let terminated = parsed.observations.filter { $0.kind == .containerTerminated }
        #expect(terminated.filter { $0.reason == "OOMKilled" && $0.exitCode == 137 }.count == planted.oomKilled)
        #expect(terminated.filter { $0.reason == "Error" && $0.exitCode == 1 }.count == planted.error)
        #expect(terminated.count == planted.oomKilled + planted.error)
    }

    @Test func extraPodsAreDeterministicAndJoinTheAdhocPodsJSON() throws {
        let scenario = try Self.scenario("repeated-oom.json")
        let a = try BundleGenerator(scenario: scenario, extraPods: 20).render()
        let b = try BundleGenerator(scenario: scenario, extraPods: 20).render()
        #expect(a.map(\.bytes) == b.map(\.bytes))
        let plain = try BundleGenerator(scenario: scenario).render()
        let pods = try #require(a.first { $0.path.hasSuffix("kubectl/pods.json") })
        let plainPods = try #require(plain.first { $0.path.hasSuffix("kubectl/pods.json") })
        let items = { (bytes: [UInt8]) throws -> [[String: Any]] in
            let list = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
            return try #require(list?["items"] as? [[String: Any]])
        }
        #expect(try items(pods.bytes).count == items(plainPods.bytes).count + 20)
        let text = String(decoding: pods.bytes, as: UTF8.self)
        #expect(text.contains("\"namespace\": \"workloads\""))
        // Everything else is as without them.
        #expect(a.filter { !$0.path.hasSuffix("kubectl/pods.json") }.map(\.bytes)
            == plain.filter { !$0.path.hasSuffix("kubectl/pods.json") }.map(\.bytes))
    }

    @Test(arguments: JSONStyle.allCases)
    func listFileRendersLikeTheWholeValue(style: JSONStyle) {
        let items: [JSONValue] = [
            .object([("kind", .string("Pod")), ("tags", .array([.string("a<b"), .int(3)])), ("empty", .object([]))]),
            .object([("kind", .string("Pod")), ("none", .array([])), ("ok", .bool(true)), ("gone", .null)]),
        ]
        for itemList in [items, []] {
            let troubleshoot = JSONListFile(envelope: .troubleshoot(kind: "PodList", resourceVersion: 42), style: style,
                                            items: itemList)
            #expect(troubleshoot.text == JSONValue.object([
                ("kind", .string("PodList")), ("apiVersion", .string("v1")),
                ("metadata", .object([("resourceVersion", .string("42"))])), ("items", .array(itemList)),
            ]).rendered(style: style))
            let kubectl = JSONListFile(envelope: .kubectl, style: style, items: itemList)
            #expect(kubectl.text == JSONValue.object([
                ("kind", .string("List")), ("metadata", .object([("resourceVersion", .string(""))])),
                ("items", .array(itemList)), ("apiVersion", .string("v1")),
            ]).sortedKeys().rendered(style: style))
        }
    }

    @Test func badScenarioIsReported() throws {
        var scenario = try Self.scenario("liveness-kill.json")
        scenario.incidents[0].pod = "apps/missing"
        #expect(throws: ScenarioError.self) { try BundleGenerator(scenario: scenario) }
    }
}
