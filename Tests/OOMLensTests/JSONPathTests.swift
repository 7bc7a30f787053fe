import Testing
@testable import OOMLens

@Suite struct JSONPathTests {
    /// The path's answers for every position, with one out of range on each side.
    private static func snapshot(_ path: JSONPath) -> [String] {
        (-1...path.depth).map { i in
            "\(i):\(path.isArray(at: i)):\(path.key(at: i).map(String.init) ?? "-")"
        }
    }

    @Test func pushPopAndKeysAgreeWithAPlainStack() {
        // A reference stack of (isArray, key, index) next to the path, through pops and pushes
        // again, with lookups out of range on both sides.
        var path = JSONPath()
        var model: [JSONPath.Component] = []
        func check(_ step: String) {
            #expect(path.depth == model.count, "\(step)")
            #expect(Array(path.components) == model, "\(step)")
            for i in model.indices {
                #expect(path[i] == model[i], "\(step) at \(i)")
                #expect(path.key(at: i) == (model[i].isArray ? nil : model[i].key), "\(step) at \(i)")
                #expect(path.isArray(at: i) == model[i].isArray, "\(step) at \(i)")
            }
            #expect(path.key(at: -1) == nil && path.key(at: model.count) == nil, "\(step)")
            #expect(!path.isArray(at: -1) && !path.isArray(at: model.count), "\(step)")
        }
        check("empty")
        let script: [(String, Bool, UInt16)] = [
            ("push", false, 0), ("key", false, 3), ("push", true, 0), ("next", false, 0), ("next", false, 0),
            ("push", false, 0), ("key", false, 7), ("push", false, 0), ("key", false, 9), ("pop", false, 0),
            ("pop", false, 0), ("next", false, 0), ("push", true, 0), ("next", false, 0), ("pop", false, 0),
            ("pop", false, 0), ("key", false, 4), ("push", false, 0), ("push", true, 0), ("pop", false, 0),
            ("pop", false, 0), ("pop", false, 0), ("pop", false, 0),
        ]
        for (n, (op, isArray, id)) in script.enumerated() {
            switch op {
            case "push":
                path.push(isArray: isArray)
                model.append(JSONPath.Component(isArray: isArray))
            case "pop":
                path.pop()
                if !model.isEmpty { model.removeLast() }
            case "key":
                path.setKey(id)
                if !model.isEmpty { model[model.count - 1].key = id }
            default:
                path.advanceIndex()
                if !model.isEmpty { model[model.count - 1].index += 1 }
            }
            check("step \(n) \(op)")
        }
        #expect(Self.snapshot(path) == ["-1:false:-", "0:false:-"])
    }
}

@Suite struct BareContainerIDTests {
    private static func bare(_ text: String) -> String? {
        Array(text.utf8).withUnsafeBytes { APIObjectFields.bareContainerID($0) }
    }

    @Test func schemesAreDroppedAndEndsTrimmed() {
        #expect(Self.bare("containerd://65183c1877aa") == "65183c1877aa")
        #expect(Self.bare("docker://abc") == "abc")
        #expect(Self.bare("cri-o://abc") == "abc")
        #expect(Self.bare("abc") == "abc")
        #expect(Self.bare(" \tcontainerd:// abc \t\r") == "abc")
        #expect(Self.bare("a://b://c") == "b://c")
        #expect(Self.bare("a:/b") == "a:/b")
        #expect(Self.bare("://") == nil)
        #expect(Self.bare("containerd://  ") == nil)
        #expect(Self.bare("") == nil)
        #expect(Self.bare("  ") == nil)
        #expect(Self.bare("x:/") == "x:/")
        #expect(Self.bare("\r") == nil)
        #expect(Self.bare("\rabc") == "\rabc")
    }
}
