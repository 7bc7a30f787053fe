import Testing
@testable import OOMLens

@Suite struct ParseOutputTests {
    private static let here = SourceLocation(file: "pods.json", line: 1)

    @Test(arguments: [(0, 0), (0, 3), (3, 0), (2, 5), (5, 2), (4, 4)])
    func movingKeepsTheOrder(targetCount: Int, valuesCount: Int) {
        var target = (0..<targetCount).map { "t\($0)" }
        var values = (0..<valuesCount).map { "v\($0)" }
        let expected = target + values
        ParseOutput.move(&values, after: &target)
        #expect(target == expected)
        #expect(values.isEmpty)
    }

    @Test func appendingKeepsEveryArrayInOrder() {
        var first = ParseOutput()
        first.diagnostics = [Diagnostic(.warning, file: "a", "one")]
        first.pods = [PodFacts(namespace: "ns", name: "a", location: Self.here)]
        var second = ParseOutput()
        second.diagnostics = [Diagnostic(.warning, file: "b", "two"), Diagnostic(.warning, file: "b", "three")]
        second.pods = [PodFacts(namespace: "ns", name: "b", location: Self.here), PodFacts(namespace: "ns", name: "c", location: Self.here)]
        second.nodes = [NodeFacts(name: "n", location: Self.here)]
        first.append(contentsOf: second)
        #expect(first.diagnostics.map(\.message) == ["one", "two", "three"])
        #expect(first.pods.map(\.name) == ["a", "b", "c"])
        #expect(first.nodes.map(\.name) == ["n"])
    }
}
