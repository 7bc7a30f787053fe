import Testing
@testable import OOMLens

/// The rules' set of names: the same answers whether it compares (few names) or hashes (many).
@Suite struct NameSetTests {
    @Test(arguments: [0, 1, 3, NameSet.mostCompared, NameSet.mostCompared + 1, 40])
    func answersAsASetDoes(count: Int) {
        let given = (0..<count).map { "node-\($0)" }
        // Each name twice, and in another order: kept once, in the order first given.
        let set = NameSet(given + given.reversed())
        #expect(set.names == given)
        #expect(set.count == count)
        #expect(set.isEmpty == (count == 0))
        for (i, name) in given.enumerated() {
            #expect(set.index(of: name) == i)
            #expect(set.contains(name))
        }
        for absent in ["", "node-", "node-\(count)", "Node-0", "node-0 "] {
            #expect(!set.contains(absent))
            #expect(set.index(of: absent) == nil)
        }
    }
}
