import Testing
import Yams
@testable import OOMLens

/// Holds `APIYAMLParser`'s piece-by-piece reading to composing every document whole (what it did
/// before `YAMLChunker`), and checks where the chunker cuts.
@Suite struct YAMLChunkerTests {
    /// The old way: the whole file through Yams, every document replayed as one tree.
    static func wholeDocuments(_ text: String, path: String) throws -> ParseOutput {
        let context = ParseContext(path: path, kind: .apiYAML)
        var builder = APIObjectBuilder(context: context)
        var source = YAMLEventSource()
        var output = ParseOutput()
        let parser = try Yams.Parser(yaml: text, resolver: .basic, constructor: .default, encoding: .utf8)
        while let root = try parser.nextRoot() {
            source.replay(root, to: &builder)
            builder.drain(into: &output)
        }
        builder.drain(into: &output)
        if let note = builder.skippedNote() { output.diagnostics.append(note) }
        return output
    }

    /// The pieces the chunker cuts `text` into, its lines given one by one.
    static func chunks(_ text: String) -> [YAMLChunker.Piece] {
        var chunker = YAMLChunker(maxBytes: 1 << 20)
        var pieces: [YAMLChunker.Piece] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            Array(line.utf8).withUnsafeBytes { chunker.add($0, number: n + 1, into: &pieces) }
        }
        return pieces + chunker.finish()
    }

    static func pieces(_ text: String) -> [(kind: String, firstLine: Int, text: String)] {
        chunks(text).map { piece in
            func text(_ c: YAMLChunker.Chunk) -> String { String(decoding: c.bytes, as: UTF8.self) }
            switch piece {
            case .document(let c): return ("document", c.firstLine, text(c))
            case .listStart(let head, let itemsLine): return ("listStart@\(itemsLine)", head.firstLine, text(head))
            case .item(let c, _): return ("item", c.firstLine, text(c))
            case .listEnd(let tail): return ("listEnd", tail.firstLine, text(tail))
            }
        }
    }

    /// A pod as `kubectl get -o yaml` (Go yaml) writes it, with what makes cutting hard: nested
    /// sequences at their key's indentation, a block scalar holding `- ` and `kind:` lines and a blank
    /// line, a single-quoted message wrapped onto the next line, a comment at the first column.
    static func pod(_ i: Int, indent: String) -> String {
        let body = """
            - apiVersion: v1
              kind: Pod
              metadata:
                annotations:
                  note: |
                    - not an item
                    kind: List

                    items:
                  wrapped: 'The node was low on resource: memory. Container app was using 1234Ki, which
                    exceeds its request of 0.'
                managedFields:
                - apiVersion: v1
                  fieldsType: FieldsV1
                  fieldsV1:
                    f:metadata:
                      f:labels:
                        .: {}
                        f:app: {}
                    f:status:
                      f:containerStatuses: {}
                  manager: kubelet
                  operation: Update

                  time: "2024-03-14T10:00:00Z"
                # managed by kubelet
                - apiVersion: v1
                  manager: kube-controller-manager
                name: web-\(i)
                namespace: shop
                uid: 00000000-0000-0000-0000-\(String(format: "%012d", i))
              spec:
                containers:
                - name: app
                  resources:
                    limits:
                      memory: 256Mi
              status:
                containerStatuses:
                - containerID: containerd://\(String(repeating: "ab", count: 32))
                  lastState:
                    terminated:
                      exitCode: 137
                      finishedAt: "2024-03-14T10:0\(i % 10):00Z"
                      reason: OOMKilled
                      startedAt: "2024-03-14T09:00:00Z"
                  name: app
                  restartCount: \(i)
                  ready: true
            # a comment between items
            """
        return body.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : indent + $0 }
            .joined(separator: "\n")
    }

    static func list(pods: Int, indent: String, headFirst: Bool) -> String {
        let items = (0..<pods).map { pod($0, indent: indent) }.joined(separator: "\n")
        let head = headFirst ? "apiVersion: v1\nkind: List\n" : "apiVersion: v1\n"
        let tail = headFirst ? "" : "kind: List\nmetadata:\n  resourceVersion: \"\"\n"
        return "# must-gather\n" + head + "items:\n" + items + "\n" + tail
    }

    static let inputs: [(String, String)] = [
        ("go-style list, kind after items", list(pods: 6, indent: "", headFirst: false)),
        ("indented items, kind before", list(pods: 5, indent: "  ", headFirst: true)),
        ("two documents and an empty one", list(pods: 3, indent: "", headFirst: false) + "---\n---\n"
            + list(pods: 2, indent: "  ", headFirst: true)),
        ("a lone dash line", "apiVersion: v1\nitems:\n-\n  apiVersion: v1\n  kind: Pod\n  metadata:\n    name: a\n    namespace: x\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: b, namespace: x}\nkind: List\n"),
        ("items not a block sequence", "apiVersion: v1\nitems:\n  - kind: Pod\n    metadata:\n      name: a\n      namespace: x\nkind: List\n"),
        ("items as a flow sequence", "apiVersion: v1\nitems: []\nkind: List\n"),
        ("items empty, then a key", "apiVersion: v1\nitems:\n\n# none\nkind: List\n"),
        ("kinds not read here, among pods", "apiVersion: v1\nitems:\n"
            + "- apiVersion: v1\n  data:\n    kind: not this one\n    key: |\n      kind: Secret\n  kind: ConfigMap\n  metadata:\n    name: a\n"
            + pod(1, indent: "") + "\n"
            + "- kind: Secret # redacted\n  metadata:\n    name: s\n"
            + "-\n  kind: 'Deployment'\n  metadata:\n    name: d\n"
            + "- apiVersion: v1\n  kind: \"Service\"\n"
            + "- apiVersion: v1\n  kind: PodList\n  items: []\n"
            + "- apiVersion: v1\n  metadata:\n    name: no-kind\n"
            + pod(2, indent: "") + "\nkind: List\n"),
        ("directives and an explicit end", "%YAML 1.1\n---\n" + list(pods: 2, indent: "", headFirst: false) + "...\n"),
    ]

    @Test("reading in pieces gives what composing each document whole gives", arguments: inputs.map(\.0))
    func piecesEqualWholeDocuments(name: String) throws {
        let text = try #require(Self.inputs.first { $0.0 == name }?.1)
        let whole = try Self.wholeDocuments(text, path: "pods.yaml")
        let emptyList = name.hasPrefix("items as a flow") || name.hasPrefix("items empty")
        #expect(whole.pods.isEmpty == emptyList, "\(name): \(whole.pods.count) pods")
        for blockSize in [7, 4096, 1 << 20] {
            let pieces = APIYAMLParser.parse(Array(text.utf8), context: ParseContext(path: "pods.yaml", kind: .apiYAML),
                                             blockSize: blockSize)
            #expect(pieces.pods == whole.pods, "\(name), blocks of \(blockSize)")
            #expect(pieces.observations == whole.observations, "\(name), blocks of \(blockSize)")
            #expect(pieces.nodes == whole.nodes, "\(name), blocks of \(blockSize)")
            #expect(pieces.diagnostics == whole.diagnostics, "\(name), blocks of \(blockSize)")
        }
    }

    /// The chunker follows each item as its lines come: the item it gives is the item's own lines with
    /// `managedFields` left out, and its kind is the one read from those lines whole.
    @Test("items are followed line by line as reading them whole would", arguments: inputs.map(\.0))
    func itemsFollowedAsTheyComeAsWhole(name: String) throws {
        let text = try #require(Self.inputs.first { $0.0 == name }?.1)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var items = 0
        for case .item(let chunk, let kind) in Self.chunks(text) {
            items += 1
            let first = chunk.firstLine - 1
            let count = chunk.bytes.split(separator: .newline, omittingEmptySubsequences: false).count
            let whole = Array(lines[first..<(first + count)].joined(separator: "\n").utf8)
            let at = "\(name), item at line \(chunk.firstLine)"
            #expect(chunk.bytes == YAMLListItem.withoutManagedFields(whole), "\(at)")
            #expect(kind == YAMLListItem.kind(of: whole), "\(at)")
        }
        #expect(items > 0 || name.hasPrefix("items "))
    }

    @Test func theGoStyleListIsCutIntoItems() {
        let text = Self.list(pods: 3, indent: "", headFirst: false)
        let pieces = Self.pieces(text)
        #expect(pieces.map(\.kind) == ["listStart@3", "item", "item", "item", "listEnd"])
        #expect(pieces.map(\.firstLine) == [1, 4, 54, 104, 154])
        #expect(pieces[1].text.hasPrefix("- apiVersion: v1\n  kind: Pod\n"))
        #expect(pieces[1].text.contains("        - not an item\n        kind: List\n\n        items:\n"))
        #expect(pieces[4].text == "kind: List\nmetadata:\n  resourceVersion: \"\"\n")
        // Every line is in exactly one piece, the `items:` line aside.
        let lines = pieces.map { $0.text.split(separator: "\n", omittingEmptySubsequences: false).count }
        #expect(lines.reduce(0, +) + 1 == text.split(separator: "\n", omittingEmptySubsequences: false).count)
    }

    @Test(arguments: [
        ("- apiVersion: v1\n  data:\n    kind: x\n  kind: ConfigMap\n  metadata:\n    name: a", "ConfigMap"),
        ("- kind: Secret # redacted\n  metadata: {}", "Secret"),
        ("-\n  apiVersion: apps/v1\n  kind: 'Deployment'", "Deployment"),
        ("  - apiVersion: v1\n    kind: \"Pod\"\n    spec: {}", "Pod"),
        // Nothing that needs YAML to read, or no single `kind` at the item's column: nil.
        ("- apiVersion: v1\n  kind: ConfigMap\n  kind: Secret", nil),
        ("- apiVersion: v1\n  kind: &k ConfigMap", nil),
        ("- apiVersion: v1\n  kind: \"Config\\u004dap\"", nil),
        ("- apiVersion: v1\n  kind:\n    ConfigMap", nil),
        ("- apiVersion: v1\n  kind:ConfigMap", nil),
        ("- apiVersion: v1\n  metadata:\n    kind: ConfigMap", nil),
        ("- {kind: ConfigMap}", nil),
    ] as [(String, String?)])
    func readsAnItemsKindFromItsLines(item: String, kind: String?) {
        #expect(YAMLListItem.kind(of: Array(item.utf8)) == kind)
    }

    /// The List's own keys over the cap: before `items`, the List is not read; after, its items are;
    /// either way the next document is.
    @Test func listKeysOverTheCap() {
        let big = "  annotations:\n" + (0..<40).map { "    note\($0): \(String(repeating: "x", count: 40))\n" }.joined()
        let node = "---\napiVersion: v1\nkind: Node\nmetadata:\n  name: node3\nstatus:\n  capacity:\n    memory: 8025424Ki\n"
        func parse(_ text: String) -> ParseOutput {
            var parser = APIYAMLParser(context: ParseContext(path: "pods.yaml", kind: .apiYAML), maxChunkBytes: 1500)
            return parser.parseAll(Array(text.utf8), blockSize: 97)
        }
        let before = parse("apiVersion: v1\nkind: List\nmetadata:\n" + big + "items:\n" + Self.pod(1, indent: "") + "\n" + node)
        #expect(before.pods.isEmpty)
        #expect(before.nodes.map(\.name) == ["node3"])
        #expect(before.diagnostics.map(\.severity) == [.damage])
        #expect(before.diagnostics.first?.line == 1)
        #expect(before.diagnostics.first?.message.hasPrefix("YAML List's keys before items of ") == true)

        let after = parse("apiVersion: v1\nitems:\n" + Self.pod(1, indent: "") + "\nkind: List\nmetadata:\n" + big + node)
        #expect(after.pods.map(\.name) == ["web-1"])
        #expect(after.nodes.map(\.name) == ["node3"])
        #expect(after.diagnostics.map(\.severity) == [.damage])
        #expect(after.diagnostics.first?.line == 53)
        #expect(after.diagnostics.first?.message.hasPrefix("YAML List's keys after items of ") == true)
    }

    @Test func managedFieldsAreLeftOutLineForLine() {
        let item = Self.pod(3, indent: "  ")
        let out = String(decoding: YAMLListItem.withoutManagedFields(Array(item.utf8)), as: UTF8.self)
        let before = item.split(separator: "\n", omittingEmptySubsequences: false)
        let after = out.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(after.count == before.count)
        let emptied = zip(before, after).filter { $0 != $1 }
        #expect(emptied.count == 15)  // the blank line inside was empty already
        #expect(emptied.allSatisfy { $0.1.isEmpty })
        #expect(after.contains("      managedFields:"))
        #expect(after.contains("      name: web-3"))
        #expect(!out.contains("manager:"))
        // A `managedFields:` that is not metadata's own, or not alone on its line, stays.
        let other = "- kind: Pod\n  spec:\n    managedFields:\n    - a: 1\n  metadata:\n    managedFields: []\n"
        #expect(YAMLListItem.withoutManagedFields(Array(other.utf8)) == Array(other.utf8))
    }

    @Test func aListIsReadInBoundedMemory() {
        // 400 items of about 1.1 KB under a 4 KB cap: every item is read, none is over the cap.
        let text = Self.list(pods: 400, indent: "", headFirst: false)
        let out = APIYAMLParser.parse(Array(text.utf8), context: ParseContext(path: "pods.yaml", kind: .apiYAML))
        var small = APIYAMLParser(context: ParseContext(path: "pods.yaml", kind: .apiYAML), maxChunkBytes: 4096)
        var capped = ParseOutput()
        Array(text.utf8).withUnsafeBytes { small.feed($0, into: &capped) }
        small.finish(into: &capped)
        #expect(out.pods.count == 400)
        #expect(capped.pods == out.pods)
        #expect(capped.diagnostics.isEmpty)
    }
}
