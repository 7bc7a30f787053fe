import Testing
@testable import OOMLens

/// The correlator's incident look-up: every incident that carried a key is a candidate for it, in
/// ascending order, whatever order the incidents were noted in.
@Suite struct IncidentIndexTests {
    private func observation(containerID: String? = nil, pod: String? = nil, pid: Int? = nil) -> Observation {
        var o = Observation(kind: .containerTerminated, source: .kubelet, location: SourceLocation(file: "f", line: 1),
                            time: nil, summary: "")
        o.containerID = containerID
        o.pod = pod
        o.process = pid.map { ProcessRef(name: "p", pid: $0) }
        return o
    }

    @Test func listsEachIncidentOnceAscendingUnderEveryKeyItCarried() {
        var index = IncidentIndex()
        for n in 0..<5 { index.created(n) }
        // Noted out of order, and twice: as the correlator adds observations to older incidents.
        index.noted(observation(containerID: "c1", pod: "web"), in: 3, node: "node-a")
        index.noted(observation(pod: "web", pid: 7), in: 1, node: nil)
        index.noted(observation(containerID: "c1"), in: 0, node: "node-b")
        index.noted(observation(containerID: "c1", pod: "web"), in: 3, node: "node-a")
        index.noted(observation(pod: "web"), in: 4, node: "node-a")
        index.noted(observation(containerID: "c1"), in: 1, node: "node-a")

        #expect(index.candidates(containerID: "c1") == [0, 1, 3])
        #expect(index.candidates(pod: "web") == [1, 3, 4])
        #expect(index.candidates(containerID: "c1", pod: "web") == [0, 1, 3, 4])
        #expect(index.candidates(containerID: nil, pod: "web") == [1, 3, 4])
        #expect(index.candidates(containerID: "c1", pod: nil) == [0, 1, 3])
        #expect(index.candidates(containerID: "none", pod: "none").isEmpty)
        #expect(index.candidates(pid: 7) == [1])
        #expect(index.candidates(node: "node-a") == [1, 3, 4])
        #expect(index.candidates(node: "node-b") == [0])
        #expect(index.candidates(node: nil) == [2])
        #expect(index.candidates(nodeOrNodeless: "node-b") == [0, 2])
        #expect(index.candidates(nodeOrNodeless: nil) == [0, 1, 2, 3, 4])
    }

    @Test func aNodeSetDirectlyLeavesTheNodeless() {
        var index = IncidentIndex()
        index.created(0)
        index.created(1)
        index.noteNode(nil, of: 0)
        #expect(index.candidates(node: nil) == [0, 1])
        index.noteNode("node-a", of: 1)
        index.noteNode("node-b", of: 1)  // a node is set once; a later value is not the incident's
        #expect(index.candidates(node: nil) == [0])
        #expect(index.candidates(node: "node-a") == [1])
        #expect(index.candidates(node: "node-b").isEmpty)
    }
}
