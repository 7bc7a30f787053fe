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
        index.noted(observation(containerID: "c1", pod: "web"), in: 3, node: "node-a", time: nil)
        index.noted(observation(pod: "web", pid: 7), in: 1, node: nil, time: nil)
        index.noted(observation(containerID: "c1"), in: 0, node: "node-b", time: nil)
        index.noted(observation(containerID: "c1", pod: "web"), in: 3, node: "node-a", time: nil)
        index.noted(observation(pod: "web"), in: 4, node: "node-a", time: nil)
        index.noted(observation(containerID: "c1"), in: 1, node: "node-a", time: nil)

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

    /// The window searches answer as a scan over every candidate would: the first incident within the
    /// window that the condition accepts, or the nearest (the lowest number among equally near), while
    /// incidents gain keys and times and change times.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func windowSearchesAnswerAsAScanOverTheCandidates(seed: UInt64) {
        var random = XorShift(seed: seed)
        var index = IncidentIndex()
        var time: [Instant?] = []
        var node: [String?] = []
        let base = Instant(seconds: 1_700_000_000)
        func someInstant() -> Instant {
            // Few distinct seconds, so that ties and window edges (whole and half seconds) are common.
            base.adding(seconds: Double(random.below(80)) / 2)
        }
        for step in 0..<400 {
            let n: Int
            if time.isEmpty || random.below(3) == 0 {
                n = time.count
                index.created(n)
                time.append(nil)
                node.append(nil)
            } else {
                n = random.below(time.count)
            }
            // As `Correlator.add` does: a time once set changes only now and then; a node is set once.
            if time[n] == nil || random.below(5) == 0, random.below(4) != 0 { time[n] = someInstant() }
            if node[n] == nil, random.below(2) == 0 { node[n] = "node-\(random.below(3))" }
            let o = observation(containerID: random.below(2) == 0 ? "c\(random.below(4))" : nil,
                                pod: random.below(2) == 0 ? "p\(random.below(4))" : nil)
            index.noted(o, in: n, node: node[n], time: time[n])
            if step % 4 == 0 { index.noteNode(node[n], of: n) }

            for _ in 0..<5 {
                let at = someInstant()
                let seconds = Double(random.below(12)) / 2
                let id = random.below(2) == 0 ? "c\(random.below(5))" : nil
                let pod = random.below(2) == 0 ? "p\(random.below(5))" : nil
                let rejected = random.below(4)
                let accept = { (n: Int) in n % 4 != rejected }
                func near(_ n: Int) -> Double? {
                    guard let t = time[n] else { return nil }
                    let d = abs(t.interval(since: at))
                    return d <= seconds ? d : nil
                }
                let someNode = "node-\(random.below(3))"
                var closest: (n: Int, d: Double)?
                for n in index.candidates(node: someNode) where accept(n) {
                    guard let d = near(n) else { continue }
                    if let c = closest, c.d <= d { continue }
                    closest = (n, d)
                }
                #expect(index.nearest(under: [.node(someNode)], to: at, within: seconds, where: accept) == closest?.n)

                // A node's incidents with those whose node is not known, or, for none, every incident.
                let nodeOrNone = random.below(3) == 0 ? nil : someNode
                closest = nil
                for n in index.candidates(nodeOrNodeless: nodeOrNone) where accept(n) {
                    guard let d = near(n) else { continue }
                    if let c = closest, c.d <= d { continue }
                    closest = (n, d)
                }
                let nodeKeys = index.keys(nodeOrNodeless: nodeOrNone)
                #expect(index.nearest(under: nodeKeys, to: at, within: seconds, where: accept) == closest?.n)

                // Those whose node is not known alone.
                closest = nil
                for n in index.candidates(node: nil) where accept(n) {
                    guard let d = near(n) else { continue }
                    if let c = closest, c.d <= d { continue }
                    closest = (n, d)
                }
                #expect(index.nearest(under: [.nodeless], to: at, within: seconds, where: accept) == closest?.n)

                // Under two keys, an incident listed under both is still one candidate.
                closest = nil
                for n in index.candidates(containerID: id, pod: pod) where accept(n) {
                    guard let d = near(n) else { continue }
                    if let c = closest, c.d <= d { continue }
                    closest = (n, d)
                }
                let keys: [IncidentIndex.Key?] = [id.map { .containerID($0) }, pod.map { .pod($0) }]
                #expect(index.nearest(under: keys, to: at, within: seconds, where: accept) == closest?.n)
            }
        }
    }
}

private extension XorShift {
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
