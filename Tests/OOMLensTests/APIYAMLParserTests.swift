import Testing
import Yams
@testable import OOMLens

@Suite struct APIYAMLParserTests {
    private static func parse(_ text: String, path: String = "namespaces/mem-example/core/pods.yaml",
                              blockSize: Int = 4096) -> ParseOutput {
        APIYAMLParser.parse(Array(text.utf8), context: ParseContext(path: path, kind: .apiYAML), blockSize: blockSize)
    }

    private static func time(_ text: String) -> TimeReading? {
        RFC3339.instant(text).map { TimeReading(.instant($0), text: text) }
    }

    /// Lines `range` (1-based, inclusive) of the fixture, each prefixed with `indent`.
    private static func fixtureLines(_ range: ClosedRange<Int>, indent: String = "") throws -> String {
        let lines = try Fixture.text("pod-status-laststate-oomkilled.yaml")
            .split(separator: "\n", omittingEmptySubsequences: false)
        return lines[(range.lowerBound - 1)...(range.upperBound - 1)].map { indent + $0 }.joined(separator: "\n")
    }

    @Test func fixtureOfExcerptsStopsAtTheFirstNonYAMLLine() throws {
        // The sample is three excerpts separated by `----- (n)` lines: not one YAML document.
        let out = try Fixture.parse(APIYAMLParser.self, "pod-status-laststate-oomkilled.yaml", kind: .apiYAML)
        #expect(out.pods.isEmpty)
        #expect(out.observations.isEmpty)
        #expect(out.diagnostics == [Diagnostic(
            .damage, file: "pod-status-laststate-oomkilled.yaml", line: 10,
            "malformed YAML at line 10: could not find expected ':' (while scanning a simple key at line 9); "
                + "reading stopped (0 object(s) read before)")])
    }

    /// Excerpt (1) — the website's `kubectl get pod memory-demo-2 -o yaml` — under its container status.
    static func memoryDemoPod() throws -> String {
        """
            apiVersion: v1
            kind: Pod
            metadata:
              name: memory-demo-2
              namespace: mem-example
            spec:
              containers:
              - name: memory-demo-2-ctr
                image: polinux/stress
                resources:
                  limits:
                    memory: 100Mi
                  requests:
                    memory: 50Mi
            status:
              containerStatuses:
              - name: memory-demo-2-ctr
                restartCount: 2
            \(try Self.fixtureLines(2...8, indent: "    "))
              phase: Running
            """
    }

    @Test func lastStateOOMKilledInAPod() throws {
        let text = try Self.memoryDemoPod()
        for block in [1, 7, 4096] {
            let out = Self.parse(text, blockSize: block)
            #expect(out.diagnostics.isEmpty)
            try #require(out.pods.count == 1)
            let pod = out.pods[0]
            #expect(pod.name == "memory-demo-2" && pod.namespace == "mem-example")
            #expect(pod.phase == "Running")
            #expect(pod.location == SourceLocation(file: "namespaces/mem-example/core/pods.yaml", line: 1))
            try #require(pod.containers.count == 1)
            let c = pod.containers[0]
            #expect(c.name == "memory-demo-2-ctr")
            #expect(c.image == "polinux/stress")
            #expect(c.memoryLimitBytes == 100 << 20)
            #expect(c.memoryRequestBytes == 50 << 20)
            #expect(c.restartCount == 2)
            #expect(c.lastContainerID == "65183c1877aaec2e8427bc95609cc52677a454b56fcb24340dbd22917c23b10f")
            #expect(c.state == nil)
            try #require(out.observations.count == 1)
            let o = out.observations[0]
            #expect(o.kind == .containerTerminated)
            #expect(o.source == .podStatus)
            #expect(o.location.line == 20)
            #expect(o.reason == "OOMKilled")
            #expect(o.exitCode == 137)
            #expect(o.time == Self.time("2017-06-20T20:52:19Z"))
            // `startedAt: null`: nothing to say.
            #expect(o.message == nil)
            #expect(o.containerID == "65183c1877aaec2e8427bc95609cc52677a454b56fcb24340dbd22917c23b10f")
            #expect(o.container == "memory-demo-2-ctr")
            #expect(o.pod == "memory-demo-2")
            #expect(o.memory == MemoryFigures(limitBytes: 100 << 20, requestBytes: 50 << 20))
        }
    }

    @Test func evictedPodsInAMultiDocumentFile() throws {
        // Excerpt (3): the 1.6.1 eviction message, then a block cut at `reason: Evict`.
        let text = """
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: evicted-a
              namespace: default
            \(try Self.fixtureLines(20...24))
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: evicted-b
              namespace: default
            \(try Self.fixtureLines(25...28))
            """
        let out = Self.parse(text)
        #expect(out.diagnostics.isEmpty)
        #expect(out.pods.map(\.name) == ["evicted-a", "evicted-b"])
        #expect(out.pods.map(\.reason) == ["Evicted", "Evict"])
        #expect(out.pods.map(\.phase) == ["Failed", "Failed"])
        #expect(out.pods.map(\.location.line) == [2, 13])
        try #require(out.observations.count == 1)
        let o = out.observations[0]
        #expect(o.kind == .podEvicted)
        #expect(o.location.line == 2)
        #expect(o.pod == "evicted-a")
        #expect(o.message == "Pod The node was low on resource: [MemoryPressure].")
        #expect(o.resource == "memory")
        #expect(o.time == nil)
    }

    static let mustGather = """
        apiVersion: v1
        items:
        - apiVersion: v1
          count: 2
          eventTime: null
          firstTimestamp: "2020-11-27T11:01:20Z"
          involvedObject:
            kind: Node
            name: node3
            uid: node3
          kind: Event
          lastTimestamp: "2020-11-27T11:01:27Z"
          message: 'Out of memory: Kill process 16711 (stress) score 205 or sacrifice child Killed process 16711 (stress), UID 0, total-vm:826516kB, anon-rss:819296kB, file-rss:0kB, shmem-rss:0kB'
          metadata:
            name: node3.164b58660f8d4590
            namespace: default
          reason: OOMKilling
          source:
            component: kernel-monitor
            host: node3
          type: Warning
        - apiVersion: v1
          kind: ConfigMap
          metadata:
            name: kube-root-ca.crt
          data:
            ca.crt: abc
        kind: List
        metadata:
          resourceVersion: ""
        ---
        apiVersion: v1
        kind: Node
        metadata:
          labels:
            kubernetes.io/hostname: node3
          name: node3
        status:
          allocatable:
            memory: 7134240Ki
          capacity:
            memory: 8025424Ki
          conditions:
          - lastTransitionTime: "2020-11-27T11:01:30Z"
            message: kubelet has insufficient memory available
            reason: KubeletHasInsufficientMemory
            status: "True"
            type: MemoryPressure
          nodeInfo:
            kernelVersion: 4.15.0
        """

    @Test func listOfEventsAndANode() throws {
        let out = Self.parse(Self.mustGather, path: "namespaces/default/core/events.yaml")
        #expect(out.diagnostics == [Diagnostic(.note, file: "namespaces/default/core/events.yaml",
                                               "skipped 1 object(s) of kinds not read here: ConfigMap ×1")])
        try #require(out.observations.count == 2)
        let killing = out.observations[0]
        #expect(killing.kind == .oomKillingEvent)
        #expect(killing.source == .event)
        #expect(killing.location.line == 3)
        #expect(killing.time == Self.time("2020-11-27T11:01:27Z"))
        #expect(killing.node == "node3")
        #expect(killing.count == 2)
        #expect(killing.process == ProcessRef(name: "stress", pid: 16711))

        try #require(out.nodes.count == 1)
        let node = out.nodes[0]
        #expect(node.name == "node3")
        #expect(node.location.line == 32)
        #expect(node.labels == ["kubernetes.io/hostname": "node3"])
        #expect(node.capacityMemoryBytes == Int64(8_025_424) * 1024)
        #expect(node.allocatableMemoryBytes == Int64(7_134_240) * 1024)
        #expect(node.conditions == ["MemoryPressure": "True"])
        let pressure = out.observations[1]
        #expect(pressure.kind == .nodePressure)
        #expect(pressure.location.line == 44)
        #expect(pressure.time == Self.time("2020-11-27T11:01:30Z"))
        #expect(pressure.reason == "KubeletHasInsufficientMemory")
    }

    @Test func jsonAndYAMLGiveTheSameFacts() throws {
        // The same List through both parsers (YAML is a superset of JSON).
        let json = APIJSONParserTests.kubectlList
        let viaJSON = APIJSONParser.parse(Array(json.utf8), context: ParseContext(path: "l", kind: .apiJSON))
        let viaYAML = APIYAMLParser.parse(Array(json.utf8), context: ParseContext(path: "l", kind: .apiYAML))
        #expect(viaYAML.nodes == viaJSON.nodes)
        #expect(viaYAML.observations == viaJSON.observations)
        #expect(viaYAML.diagnostics == viaJSON.diagnostics)
    }

    @Test func piecesOverTheCapAreNotReadAndTheOthersAre() {
        // The List's first item (the OOMKilling event, lines 3–22, about 570 bytes) is over a 500-byte
        // cap; the second item, the List's other keys and the Node document (about 410 bytes) are not.
        let text = Self.mustGather
        var parser = APIYAMLParser(context: ParseContext(path: "big.yaml", kind: .apiYAML), maxChunkBytes: 500)
        var out = ParseOutput()
        Array(text.utf8).withUnsafeBytes { all in
            parser.feed(all.slice(0..<600), into: &out)
            parser.feed(all.slice(600..<all.count), into: &out)
        }
        parser.finish(into: &out)
        #expect(!out.observations.contains { $0.kind == .oomKillingEvent })
        #expect(out.nodes.map(\.name) == ["node3"])
        #expect(out.observations.map(\.kind) == [.nodePressure])
        try? #require(out.diagnostics.count == 2)
        let damage = out.diagnostics.first
        #expect(damage?.severity == .damage)
        #expect(damage?.line == 3)
        #expect(damage?.message.hasPrefix("YAML List item of 5") == true)
        #expect(damage?.message.hasSuffix(" bytes is larger than the 500-byte cap for YAML: not read") == true)
        #expect(out.diagnostics.last == Diagnostic(.note, file: "big.yaml", "skipped 1 object(s) of kinds not read here: ConfigMap ×1"))
    }

    @Test func errorsKeepEarlierDocuments() {
        let text = Self.mustGather + "\n---\nkind: Pod\nmetadata: {name: [unclosed\n"
        let out = Self.parse(text)
        #expect(out.nodes.map(\.name) == ["node3"])
        #expect(out.diagnostics.first?.severity == .damage)
        // libyaml notices the unclosed flow sequence at the end of the input.
        #expect(out.diagnostics.first?.line == 54)
    }

    /// Yams leaves a mapping key unordered against scalar keys when it lists duplicates; the diagnostic
    /// must not follow that order (found by the `api-yaml` fuzz session: whole and split input differed).
    @Test func duplicateKeysGiveTheSameDiagnosticEveryTime() {
        let keys = ["name", "uid", "labels", "namespace", "annotations", "generation"]
        let once = keys.map { "  \($0): 1\n" }.joined()
        let mixed = "kind: Pod\nmetadata:\n" + once + "  ? {x: 1}\n  : 1\n" + once + "  ? {x: 1}\n  : 2\n"
        let outputs = (0..<40).map { _ in Self.parse(mixed).diagnostics }
        #expect(outputs.allSatisfy { $0 == outputs[0] })
        #expect(outputs[0].map(\.message) == [
            "malformed YAML: duplicate key(s) <uncovertable>, annotations, generation, …; reading stopped "
                + "(0 object(s) read before)"])

        let scalars = "kind: Pod\nmetadata:\n  uid: u\n  name: a\n  uid: v\n  name: b\n"
        let out = Self.parse(scalars)
        #expect(out.diagnostics.map(\.message) == [
            "malformed YAML at line 4: duplicate key(s) name, uid; reading stopped (0 object(s) read before)"])
        #expect(out.diagnostics.first?.line == 4)
    }

    @Test func scalarKinds() throws {
        func kind(_ yaml: String) throws -> JSONScalar.Kind? {
            guard case .scalar(let s)? = try Yams.compose(yaml: yaml) else { return nil }
            return YAMLEventSource.kind(s)
        }
        #expect(try kind("null") == .null)
        #expect(try kind("~") == .null)
        #expect(try kind("true") == .true)
        #expect(try kind("'true'") == .string)
        #expect(try kind("137") == .number)
        #expect(try kind("\"137\"") == .string)
        #expect(try kind("2017-06-20T20:52:19Z") == .string)
    }

    @Test func randomDamageNeverCrashes() throws {
        var rng = XorShift(seed: 0x7A31_0001)
        let samples = [Array(Self.mustGather.utf8), try Fixture.bytes("pod-status-laststate-oomkilled.yaml")]
        for round in 0..<150 {
            var bytes = samples[round % samples.count]
            for _ in 0..<Int(rng.next() % 8) where !bytes.isEmpty {
                bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
            }
            bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count + 1))))
            _ = APIYAMLParser.parse(bytes, context: ParseContext(path: "r.yaml", kind: .apiYAML),
                                    blockSize: 1 + Int(rng.next() % 300))
        }
        for _ in 0..<100 {
            let bytes = (0..<Int(rng.next() % 1000)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            _ = APIYAMLParser.parse(bytes, context: ParseContext(path: "r.yaml", kind: .apiYAML))
        }
        // Deep flow nesting: libyaml refuses it before Yams recurses.
        let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        let out = Self.parse(deep)
        #expect(out.diagnostics.first?.severity == .damage)
    }
}

/// A small deterministic generator for robustness tests.
