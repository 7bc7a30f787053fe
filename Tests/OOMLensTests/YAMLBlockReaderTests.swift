import Testing
import Yams
@testable import OOMLens

/// `YAMLBlockReader` against Yams: every piece it accepts must replay the same events, keys, values
/// and lines as the Yams node tree; every piece outside its subset must be refused before any event.
@Suite struct YAMLBlockReaderTests {
    /// Records every event as text; names keys by small ids of their own, and declines `env`,
    /// `managedFields` and keys starting with `skip` so that passing over values is replayed too.
    private struct Recorder: JSONEventConsumer {
        var events: [String] = []
        var ids: [String: UInt16] = [:]

        private func where_(_ path: JSONPath) -> String {
            path.components.map { $0.isArray ? "[\($0.index)]" : ".\($0.key)" }.joined()
        }

        mutating func beginObject(at path: JSONPath, line: Int) { events.append("{ \(where_(path)) @\(line)") }
        mutating func endObject(at path: JSONPath, line: Int) { events.append("} \(where_(path)) @\(line)") }
        mutating func beginArray(at path: JSONPath, line: Int) { events.append("[ \(where_(path)) @\(line)") }
        mutating func endArray(at path: JSONPath, line: Int) { events.append("] \(where_(path)) @\(line)") }

        mutating func key(_ bytes: UnsafeRawBufferPointer, in path: JSONPath) -> UInt16 {
            let text = bytes.string
            events.append("key \(text) in \(where_(path))")
            if text == "env" || text == "managedFields" || text.hasPrefix("skip") { return JSONPath.skipValue }
            if let id = ids[text] { return id }
            let id = UInt16(ids.count + 1)
            ids[text] = id
            return id
        }

        mutating func wantsScalar(at path: JSONPath) -> Bool {
            events.append("wants \(where_(path))")
            return true
        }

        mutating func scalar(_ value: JSONScalar, at path: JSONPath, line: Int) {
            events.append("scalar \(value.kind) \(value.text.map { "'\($0)'" } ?? "-") \(where_(path)) @\(line)")
        }
    }

    /// The events of `text` composed by Yams and replayed, as `APIYAMLParser` does a document (or,
    /// with `items`, a List item piece, after the List's root has begun).
    private static func composed(_ text: String, items: Bool, lineOffset: Int) throws -> [String] {
        var source = YAMLEventSource()
        var recorder = Recorder()
        if items { _ = source.beginList(head: nil, line: 1, itemsLine: 1, to: &recorder) }
        source.lineOffset = lineOffset
        let parser = try Yams.Parser(yaml: text, resolver: .basic, constructor: .default, encoding: .utf8)
        while let root = try parser.nextRoot() {
            if items {
                guard case .sequence(let entries) = root else { continue }
                for entry in entries { source.replayItem(entry, to: &recorder) }
            } else {
                source.replay(root, to: &recorder)
            }
        }
        return recorder.events
    }

    /// The events of `text` read by `YAMLBlockReader` and replayed; nil when it refused the text.
    private static func readPlainly(_ text: String, items: Bool, lineOffset: Int) -> [String]? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { raw -> [String]? in
            guard let block = YAMLBlockReader.read(raw) else { return nil }
            var source = YAMLEventSource()
            var recorder = Recorder()
            if items { _ = source.beginList(head: nil, line: 1, itemsLine: 1, to: &recorder) }
            source.lineOffset = lineOffset
            if items {
                source.replayItems(block, in: raw, to: &recorder)
            } else {
                source.replay(block, in: raw, to: &recorder)
            }
            return recorder.events
        }
    }

    // MARK: - Accepted: the same events as Yams

    /// Documents as `kubectl get -o yaml` and must-gather write them, and the corners of the subset.
    static let documents: [String] = [
        // The evicted pod of kubernetes#48632 (the fixture's excerpt (3)): quoted and plain values.
        """
        status:
          message: 'Pod The node was low on resource: [MemoryPressure].'
          phase: Failed
          reason: Evicted
          startTime: '2017-07-07T19:36:11Z'
        """,
        // Sequences indented under their key, entries under a lone dash, empty values and collections.
        """
        ---
        # a comment line
        metadata:
          labels: {}
          ownerReferences:
            - apiVersion: apps/v1
              controller: true   # trailing comment
              kind: ReplicaSet
            -
              kind: Job
              name: "batch-1"
            -
          finalizers: []
        spec:
          containers:
          - args:
            - --listen=:8080
            - -v=2
            - "quoted arg"
            - plain, with a comma [and brackets] {too}
            -
            - 'single # not a comment'
            env:
            - name: A
              value: B
            resources: {}
            skipped:
              deep:
              - a
          nodeName:
          priorityClassName: system-node-critical
        status:
          conditions:
          - lastProbeTime:
            lastTransitionTime: "2024-03-14T10:02:11Z"
            status: "True"
            type: Ready
          "quoted key": 1
          'single key'  : 2.5
          spaced key   : x
          n1: -3
          n2: 1e3
          n3: 0x1F
          t: true
          f: FALSE
          z: ~
          s: http://example.com:8080/x
          h: value#not-a-comment
        """,
        // Long values as Go's YAML writer wraps them (kubectl, must-gather): at spaces, deeper than
        // their key; `''` in single quotes.
        """
        status:
          conditions:
          - message: '0/6 nodes are available: 3 node(s) didn''t match Pod''s node affinity/selector,
              3 node(s) had untolerated taint {node-role.kubernetes.io/master: }. preemption:
              0/6 nodes are available: 6 Preemption is not helpful for scheduling.'
            reason: Unschedulable
            type: PodScheduled
          message: The node was low on resource memory. Threshold quantity 100Mi, available
            92160Ki. Container app was using 1048576Ki,
               which exceeds its request of 0.
          double: "a wrapped
            double-quoted value"
          args:
          - --one long argument that
            wraps
          - 'it''s'
          tail: x # comment
        """,
        // Text with newlines as Go's YAML writer puts it: literal blocks, kept or stripped last newline.
        """
        metadata:
          annotations:
            kubectl.kubernetes.io/last-applied-configuration: |
              {"apiVersion":"v1","kind":"Pod",
                "metadata":{"name":"bare-1"}}

              # not a comment: text
            note: |-
              one: line
          name: bare-1
        spec:
          containers:
          - args:
            - |
              set -euo pipefail

              exec etcd --data-dir=/var/lib/etcd
            - |-   # a comment after the header
                deeper
            name: etcd
          terminationMessage: |
            last line
        status: {}
        """,
        // Double-quoted escapes, as Go writes text with tabs or other control characters, an escaped
        // line break, and escaped spaces before a wrapped break.
        """
        spec:
          containers:
          - args:
            - "#!/bin/sh\\nset -e\\n\\tcase \\"$1\\" in\\n\\t\\tstart) exec app ;;\\n\\tesac\\n"
            - "\\x41\\u00e9\\U0001F600 \\0\\a\\b\\v\\f\\r\\e\\ \\/\\\\ \\N\\_\\L\\P"
            - "first part \\
              second part"
            - "kept\\t\\ \\t  
              wrapped"
            - "an escaped space\\ 
              stays"
        """,
        // Text beyond ASCII.
        """
        metadata:
          annotations:
            description: "Café — 日本語の説明"
            note: 'it’s ok'
          name: naïve-😀
        """,
        // Only comments: no root at all.
        """
        # source: nothing here

        """,
        // The root indented; keys at the end of the piece with no value.
        """
          a:
            b:
          c:
        """,
    ]

    /// `kubectl get pod memory-demo-2 -o yaml` (kubernetes/website) with the fixture's lastState.
    @Test func fixturePodReadsAsYamsReadsIt() throws {
        let text = try APIYAMLParserTests.memoryDemoPod()
        let plain = try #require(Self.readPlainly(text, items: false, lineOffset: 0))
        #expect(plain == (try Self.composed(text, items: false, lineOffset: 0)))
        #expect(plain.contains { $0.hasPrefix("scalar string 'OOMKilled' ") })
    }

    @Test(arguments: documents)
    func documentReadsAsYamsReadsIt(_ text: String) throws {
        let plain = try #require(Self.readPlainly(text, items: false, lineOffset: 4))
        #expect(plain == (try Self.composed(text, items: false, lineOffset: 4)))
    }

    /// List items as `YAMLChunker` cuts them from a must-gather `pods.yaml`.
    static let items: [String] = [
        """
        - apiVersion: v1
          kind: Pod
          metadata:
            annotations:
              kubernetes.io/config.hash: 9d0d8c5e4d5c3c8f
              kubernetes.io/config.seen: "2024-03-14T09:58:01.123456789Z"
            managedFields:
            name: etcd-master-0
            namespace: openshift-etcd
            uid: 4b0f5c2e-1d7a-4e55-9f43-0c8d2f1e6a10
          spec:
            containers:
            - image: quay.io/openshift/etcd:4.14
              name: etcd
              resources:
                requests:
                  cpu: 300m
                  memory: 600Mi
            nodeName: master-0
          status:
            containerStatuses:
            - containerID: cri-o://0e5b1c5d
              lastState:
                terminated:
                  containerID: cri-o://7a1d
                  exitCode: 137
                  finishedAt: "2024-03-14T10:02:11Z"
                  reason: OOMKilled
                  startedAt: "2024-03-14T09:58:02Z"
              name: etcd
              restartCount: 3
              state:
                running:
                  startedAt: "2024-03-14T10:02:12Z"
            qosClass: Burstable
        """,
        // The item's keys under a lone dash, at a deeper indentation.
        """
          -
            kind: Pod
            metadata:
              name: web-1
        """,
    ]

    @Test(arguments: items)
    func listItemReadsAsYamsReadsIt(_ text: String) throws {
        let plain = try #require(Self.readPlainly(text, items: true, lineOffset: 40))
        #expect(plain == (try Self.composed(text, items: true, lineOffset: 40)))
    }

    // MARK: - Refused: left to Yams

    static let refused: [String] = [
        "a: >-\n  text\n",  // a folded block
        "a: |+\n  text\n\n",
        "a: |2\n    text\n",
        "a: |\nb: 1\n",  // an empty block
        "a: |\n\n  text\n",  // a blank line first
        "a: |\n  text\n  \n  more\n",  // a line of spaces only
        "a:\n  b: |\n  text\n",  // not deeper than its key
        "message: 'wrapped with\n\n  a blank line'\n",  // would read as a newline
        "message: plain wrapped with\n\n  a blank line\n",
        "message: 'wrapped at\nthe key column'\n",
        "a:\n  b: 'wrapped at\n  the key column'\n",
        "message: plain then\n  key: value\n",
        "message: plain then\n  - entry\n",
        "message: plain # comment\n  more\n",
        "message: plain\n  more # comment\n",
        "a:\n  value on the next line\n",
        "a: \"unknown \\q escape\"\n",
        "a: \"half a pair \\uD800\"\n",
        "a: \"short \\x4\"\n",
        "a: \"past the last \\U00110000\"\n",
        "a: &anchor 1\nb: *anchor\n",
        "a: !!str 1\n",
        "a: {b: 1}\n",
        "a: [1, 2]\n",
        "? complex\n: key\n",
        "a: 1\na: 2\n",  // a repeated key
        "a:\n  b: 1\n  b: 2\n",
        "a:\n\tb: 1\n",  // a tab
        "a: x\u{85}y\n",  // NEL, U+2028 and U+2029 break lines in libyaml
        "a: x\u{2028}y\n",
        "a: x\u{2029}y\n",
        "a: \u{FEFF}x\n",
        "a: \u{9F}\n",
        "a: 1\r\n",
        "- - nested\n",
        "a: b: c\n",
        "a:\n  b: 1\n c: 2\n",  // indentation between levels
        "a: 1\n---\nb: 2\n",  // a second document
        "%YAML 1.2\n---\na: 1\n",
        "a: 1\n...\n",
        "just a scalar\n",
        "a: 1\n  b: 2\n",  // a line under a value
        "a:\n- x\nb: 1\n  c: 2\n",
        "a: \"unclosed\n",
        "a: 'x'y\n",
    ]

    @Test(arguments: refused)
    func otherYAMLIsLeftToYams(_ text: String) {
        let bytes = Array(text.utf8)
        #expect(bytes.withUnsafeBytes { YAMLBlockReader.read($0) } == nil)
    }

    /// Mappings of values made of words, spaces, quotes, colons, hashes, dashes and letters beyond
    /// ASCII, written by Yams's own emitter 30 columns wide (so that it wraps them, in all three
    /// styles), a quarter of them as literal blocks with newlines: whatever the reader accepts must
    /// read as Yams reads it, and it must accept most of them.
    @Test func valuesYamsWritesReadAsYamsReadsThem() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let words = ["node", "memory", "OOMKilled", "it's", "a:b", "x: y", "#tag", "a #b", "-v", "- z", "\"q\"", "café", "日本", "a\tb", "bell\u{7}", "back\\slash",
                     "100Mi", "true", "null", "3", "0/6", "{m: }", "[a]", "didn't", "x,", "long-word-without-spaces"]
        var accepted = 0
        let documents = 200
        for _ in 0..<documents {
            var pairs: [(Node, Node)] = []
            for k in 0..<(1 + next(5)) {
                var value = (0..<(1 + next(12))).map { _ in words[next(words.count)] }.joined(separator: " ")
                if next(4) == 0 {
                    // Text with newlines, as a literal block.
                    value = value.split(separator: " ").joined(separator: next(2) == 0 ? "\n" : " \n\n")
                        + (next(2) == 0 ? "\n" : "")
                    pairs.append((Node.scalar(.init("key\(k)")), Node.scalar(.init(value, .implicit, .literal))))
                    continue
                }
                let entries = (0..<next(3)).map { _ in Node.scalar(.init(words[next(words.count)] + " " + value)) }
                pairs.append((Node.scalar(.init("key\(k)")),
                              entries.isEmpty ? Node.scalar(.init(value)) : Node.sequence(.init(entries))))
            }
            let text = try Yams.serialize(node: Node.mapping(.init(pairs)), width: 30, allowUnicode: true)
            guard let plain = Self.readPlainly(text, items: false, lineOffset: 0) else { continue }
            accepted += 1
            #expect(plain == (try Self.composed(text, items: false, lineOffset: 0)), "\(text)")
        }
        #expect(accepted > documents / 2)
    }

    @Test func aTokenTakesSixteenBytes() {
        #expect(MemoryLayout<YAMLBlockReader.Token>.stride == 16)
    }

    @Test func aMappingOfManyKeysIsLeftToYams() {
        func keys(_ count: Int) -> [UInt8] { Array((0..<count).map { "key\($0): \($0)\n" }.joined().utf8) }
        #expect(keys(128).withUnsafeBytes { YAMLBlockReader.read($0) } != nil)
        #expect(keys(129).withUnsafeBytes { YAMLBlockReader.read($0) } == nil)
    }

    @Test func malformedUTF8IsLeftToYams() {
        for bad: [UInt8] in [[0x80], [0xC3], [0xC0, 0xA9], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
                             [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE6, 0x97]] {
            let text = Array("a: x".utf8) + bad + Array("y\n".utf8)
            #expect(text.withUnsafeBytes { YAMLBlockReader.read($0) } == nil, "\(bad)")
        }
        let good = Array("a: caf\u{e9} \u{65E5} \u{1F600}\n".utf8)
        #expect(good.withUnsafeBytes { YAMLBlockReader.isPrintableUTF8($0) })
    }

    @Test func printableASCIIIsCheckedOnEveryByte() {
        for bad: UInt8 in [0x00, 0x09, 0x0D, 0x1F, 0x7F, 0x80, 0xC3, 0xFF] {
            for position in [0, 7, 8, 31, 63] {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 64)
                bytes[position] = bad
                let printable = bytes.withUnsafeBytes { YAMLBlockReader.isPrintableASCII($0) }
                #expect(!printable, "0x\(String(bad, radix: 16)) at \(position)")
            }
        }
        let good = Array("a: b\n- 'c' # ~\n".utf8)
        #expect(good.withUnsafeBytes { YAMLBlockReader.isPrintableASCII($0) })
    }

    // MARK: - The whole parser, with and without the reader

    /// A must-gather `pods.yaml` whose items mix the plain style (read here) with pieces Yams must
    /// compose: a wrapped message, a block scalar, a kind not read.
    static let mustGatherPods = """
        apiVersion: v1
        items:
        - apiVersion: v1
          kind: Pod
          metadata:
            name: memory-demo-2
            namespace: mem-example
            uid: 0b6f1c2a-0d3e-4f6a-9b1c-2d3e4f5a6b7c
          spec:
            containers:
            - image: polinux/stress
              name: memory-demo-2-ctr
              resources:
                limits:
                  memory: 100Mi
            nodeName: worker-1
          status:
            containerStatuses:
            - containerID: containerd://65183c1877aaec2e8427bc95609cc52677a454b56fcb24340dbd22917c23b10f
              lastState:
                terminated:
                  containerID: containerd://0e5b1c5d8f
                  exitCode: 137
                  finishedAt: "2017-06-20T20:52:19Z"
                  reason: OOMKilled
                  startedAt: "2017-06-20T20:50:01Z"
              name: memory-demo-2-ctr
              restartCount: 2
            phase: Running
        - apiVersion: v1
          kind: Pod
          metadata:
            name: evicted-1
            namespace: shop
          spec:
            containers:
            - name: app
            nodeName: worker-2
          status:
            message: 'The node was low on resource: memory. Threshold quantity: 100Mi, available:
              92160Ki. Container app was using 1048576Ki, request is 0, has larger consumption
              of memory.'
            phase: Failed
            reason: Evicted
        - apiVersion: v1
          data:
            key: value
          kind: ConfigMap
          metadata:
            name: settings
        - apiVersion: v1
          kind: Pod
          metadata:
            annotations:
              kubectl.kubernetes.io/last-applied-configuration: |
                {"apiVersion":"v1","kind":"Pod"}
            name: bare-1
            namespace: default
          spec:
            containers:
            - name: main
            nodeName: worker-1
          status:
            phase: Running
        -
          apiVersion: v1
          kind: Pod
          metadata:
            annotations:
              kubernetes.io/config.hash: 9d0d8c5e4d5c3c8f1a2b
            name: etcd-master-0
            namespace: openshift-etcd
          spec:
            containers:
            - name: etcd
            nodeName: master-0
          status:
            containerStatuses:
            - name: etcd
              restartCount: 1
              lastState:
                terminated:
                  exitCode: 137
                  reason: OOMKilled
                  finishedAt: "2024-03-14T10:02:11Z"
        kind: List
        metadata:
          resourceVersion: ""

        """

    /// Documents: a node as `cluster-scoped-resources/core/nodes/<node>.yaml` holds it, then a pod.
    static let documentsFile = """
        apiVersion: v1
        kind: Node
        metadata:
          labels:
            kubernetes.io/hostname: worker-1
            node-role.kubernetes.io/worker: ""
          name: worker-1
        status:
          allocatable:
            memory: 15225868Ki
          capacity:
            memory: 16375244Ki
          nodeInfo:
            kubeletVersion: v1.27.8
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: web-1
          namespace: default
        spec:
          containers:
          - name: web
            resources: {}
          nodeName: worker-1
        status:
          phase: Running

        """

    @Test(arguments: [(mustGatherPods, "namespaces/mem-example/core/pods.yaml"),
                      (documentsFile, "cluster-scoped-resources/core/nodes/worker-1.yaml")])
    func parserReadsTheSameWithAndWithoutTheReader(_ text: String, _ path: String) {
        let context = ParseContext(path: path, kind: .apiYAML)
        for blockSize in [1, 7, 4096] {
            var plain = APIYAMLParser(context: context)
            var composed = APIYAMLParser(context: context)
            composed.composesEveryPiece = true
            let a = plain.parseAll(Array(text.utf8), blockSize: blockSize)
            let b = composed.parseAll(Array(text.utf8), blockSize: blockSize)
            #expect(a.pods == b.pods)
            #expect(a.nodes == b.nodes)
            #expect(a.observations == b.observations)
            #expect(a.diagnostics == b.diagnostics)
            #expect(a.pods.count == (path.hasSuffix("pods.yaml") ? 4 : 1))
            #expect(a.nodes.count == (path.hasSuffix("pods.yaml") ? 0 : 1))
        }
    }
}
