import Testing
@testable import OOMLens

@Suite struct LineSplitterTests {
    private func lines(_ text: String, block: Int, max: Int = 1 << 20) -> ([String], [Bool], LineSplitter) {
        var splitter = LineSplitter(maxLineBytes: max)
        var out: [String] = []
        var cuts: [Bool] = []
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { all in
            var offset = 0
            while offset < all.count {
                let end = Swift.min(all.count, offset + block)
                splitter.feed(all.slice(offset..<end)) { out.append($0.bytes.string); cuts.append($0.wasCut) }
                offset = end
            }
        }
        splitter.finish { out.append($0.bytes.string); cuts.append($0.wasCut) }
        return (out, cuts, splitter)
    }

    @Test(arguments: [1, 2, 3, 7, 64])
    func splitsAcrossBlocksAndStripsCR(block: Int) {
        let (out, _, splitter) = lines("alpha\r\nbeta\n\ngamma", block: block)
        #expect(out == ["alpha", "beta", "", "gamma"])
        #expect(splitter.lineNumber == 4)
    }

    @Test(arguments: [1, 4, 100])
    func cutsOverlongLinesAndCountsThem(block: Int) {
        let long = String(repeating: "x", count: 50)
        let (out, cuts, splitter) = lines("a\n\(long)\nb\n", block: block, max: 10)
        #expect(out == ["a", String(repeating: "x", count: 10), "b"])
        #expect(cuts == [false, true, false])
        #expect(splitter.cutLines == 1)
        #expect(splitter.cutBytes == 40)
    }
}
