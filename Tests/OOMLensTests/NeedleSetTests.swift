import Testing
@testable import OOMLens

@Suite("NeedleSet")
struct NeedleSetTests {
    /// The plain answer: does any needle occur anywhere in the text.
    private func naive(_ needles: [[UInt8]], _ text: [UInt8]) -> Bool {
        needles.contains { needle in
            guard needle.count <= text.count else { return false }
            return (0...(text.count - needle.count)).contains { Array(text[$0..<($0 + needle.count)]) == needle }
        }
    }

    @Test("finds a needle at every offset, including the last bytes the vector loop leaves to the tail")
    func everyOffset() {
        let set = NeedleSet(["PLEG", "oom", "Killing container", "-- Boot "])
        let filler = Array("abcdefghij klmnopqrstuvwxyz 0123456789 the quick brown fox ".utf8)
        for needle in set.needles {
            for length in [needle.count, 15, 16, 17, 18, 19, 33, 34, 35, 64, 200] where length >= needle.count {
                for offset in 0...(length - needle.count) {
                    var text = Array(filler.prefix(length))
                    while text.count < length { text.append(UInt8(ascii: "x")) }
                    text.replaceSubrange(offset..<(offset + needle.count), with: needle)
                    let found = text.withUnsafeBytes { set.occurs(in: $0) }
                    let portable = text.withUnsafeBytes { set.occurs(in: $0, portable: true) }
                    #expect(found && portable, "\(String(decoding: needle, as: UTF8.self)) at \(offset) of \(length)")
                }
            }
        }
    }

    @Test("says no for text with fingerprint look-alikes but no needle, and for short or empty text")
    func noFalseAnswers() {
        let set = NeedleSet(["PLEG", "oom event", "robe failed"])
        for text in ["", "PL", "PLE", "PLEX PLEA PLE", "oom-kill oom_reaper oom evenT", "SyncLoop (probe) robe fail"] {
            let found = Array(text.utf8).withUnsafeBytes { set.occurs(in: $0) }
            #expect(!found, "\(text)")
        }
    }

    @Test("agrees with a plain search on random needles and texts (seeded)", arguments: [1, 2, 3, 4] as [UInt64])
    func agreesWithPlainSearch(seed: UInt64) {
        var rng = XorShift(seed: seed)
        // A small alphabet makes fingerprints collide often, so verification is exercised.
        let alphabet = Array("abcOM -:".utf8)
        for _ in 0..<150 {
            let needles: [[UInt8]] = (0..<Int.random(in: 1...12, using: &rng)).map { _ in
                (0..<Int.random(in: 3...6, using: &rng)).map { _ in alphabet.randomElement(using: &rng) ?? 0 }
            }
            let set = NeedleSet(bytes: needles)
            for _ in 0..<20 {
                let text: [UInt8] = (0..<Int.random(in: 0...90, using: &rng)).map { _ in
                    alphabet.randomElement(using: &rng) ?? 0
                }
                let found = text.withUnsafeBytes { set.occurs(in: $0) }
                let portable = text.withUnsafeBytes { set.occurs(in: $0, portable: true) }
                #expect(found == naive(needles, text))
                #expect(portable == found)
            }
        }
    }

    @Test("reads only inside the buffer: a needle straddling its end is not found")
    func boundedByBuffer() {
        let set = NeedleSet(["Killing"])
        let text = Array("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxKilling".utf8)
        text.withUnsafeBytes { all in
            #expect(set.occurs(in: all))
            #expect(!set.occurs(in: all.slice(0..<(all.count - 1))))
        }
    }

    @Test("firstOccurrence resumes a scan from any offset and finds the first needle at or after it")
    func resumedScan() {
        let set = NeedleSet(["PLEG", "oom"])
        let text = Array("aaaa PLEG bbbb oom cccc PLEG".utf8)
        text.withUnsafeBytes { all in
            #expect(set.firstOccurrence(in: all, from: 0) == 5)
            #expect(set.firstOccurrence(in: all, from: 5) == 5)
            #expect(set.firstOccurrence(in: all, from: 6) == 15)
            #expect(set.firstOccurrence(in: all, from: 16) == 24)
            #expect(set.firstOccurrence(in: all, from: 25) == nil)
            #expect(set.firstOccurrence(in: all, from: 6, portable: true) == 15)
        }
    }
}

@Suite("ByteCount")
struct ByteCountTests {
    @Test("counts a byte in buffers of every length around the vector width")
    func countsEveryLength() {
        var rng = XorShift(seed: 11)
        for length in 0...100 {
            let bytes: [UInt8] = (0..<length).map { _ in [UInt8(ascii: "\n"), UInt8(ascii: "a"), 0xFF].randomElement(using: &rng) ?? 0 }
            let counted = bytes.withUnsafeBytes { ByteCount.occurrences(of: UInt8(ascii: "\n"), in: $0) }
            #expect(counted == bytes.filter { $0 == UInt8(ascii: "\n") }.count)
        }
    }

    @Test("passes over lines as a plain loop does: vector and portable, every length and limit")
    func passesLines() {
        var rng = XorShift(seed: 12)
        for length in [0, 1, 5, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 257, 1000, 4099] {
            for density in [1, 2, 5, 40, 200] {
                let bytes: [UInt8] = (0..<length).map { _ in
                    Int.random(in: 0..<density, using: &rng) == 0 ? UInt8(ascii: "\n") : UInt8(ascii: "x")
                }
                let newlines = bytes.indices.filter { bytes[$0] == UInt8(ascii: "\n") }
                for maxLines in [0, 1, 2, 3, 7, 31, 32, 33, 63, 64, 65, 300, Int.max] {
                    let lines = Swift.min(maxLines, newlines.count)
                    let expected = (end: lines == 0 ? 0 : newlines[lines - 1] + 1, lines: lines)
                    for portable in [false, true] {
                        let got = bytes.withUnsafeBytes { ByteCount.passLines(in: $0, atMost: maxLines, portable: portable) }
                        #expect(got == expected, "length \(length) density \(density) max \(maxLines) portable \(portable)")
                    }
                }
            }
        }
    }
}
