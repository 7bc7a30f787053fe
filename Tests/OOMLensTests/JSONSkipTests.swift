import CSieve
import Testing
@testable import OOMLens

/// The 64-byte-step skipper (`oomlens_json_skip`, AVX2 masks where the processor has them), its
/// portable-mask twin and the byte loop must pass over the same bytes, stop at the same bracket and
/// count the same newlines, however the input is cut into blocks.
@Suite struct JSONSkipTests {
    private typealias Skip = (
        UnsafeMutablePointer<oomlens_json_skip_state>, UnsafePointer<UInt8>, Int, UnsafeMutablePointer<Int>
    ) -> Int32

    /// What one skipper made of a whole input fed in blocks.
    private struct Outcome: Equatable, CustomStringConvertible {
        var status: Int32
        var offset: Int
        var newlines: Int
        var depth: UInt32
        /// In-string and escape state, only meaningful when the input ran out (MORE).
        var pending: [UInt8]
        var description: String { "status \(status) offset \(offset) newlines \(newlines) depth \(depth) \(pending)" }
    }

    private static func run(_ skip: Skip, _ bytes: [UInt8], cuts: [Int], limit: UInt32) -> Outcome {
        var state = oomlens_json_skip_state(arrays: 0, depth: 0, limit: limit, in_string: 0, escaped: 0, newlines: 0)
        var newlines = 0
        var position = 0
        var status = Int32(OOMLENS_JSON_SKIP_MORE)
        let ends = cuts.filter { $0 > 0 && $0 < bytes.count } + [bytes.count]
        var start = 0
        for end in ends where end >= start {
            // Each block in its own allocation, so that a read past its end is an error under ASan.
            let block = Array(bytes[start..<end])
            block.withUnsafeBufferPointer { buffer in
                var offset = position - start
                if let base = buffer.baseAddress {
                    status = skip(&state, base, buffer.count, &offset)
                    newlines += state.newlines
                }
                position = start + offset
            }
            start = end
            if status != OOMLENS_JSON_SKIP_MORE { break }
        }
        let pending = status == OOMLENS_JSON_SKIP_MORE ? [state.in_string, state.escaped] : []
        return Outcome(status: status, offset: position, newlines: newlines, depth: state.depth, pending: pending)
    }

    /// Random JSON-like text that starts with a bracket: nested values, strings with escaped quotes,
    /// backslash runs of every length, brackets and newlines inside strings, and (rarely) junk.
    /// One nested bracket in `arrayOneIn` is a '[' (the rest '{'), so that steps of braces alone,
    /// as in `managedFields`, are common when it is large.
    private static func document(_ rng: inout XorShift, junk: UInt64, arrayOneIn: UInt64 = 2) -> [UInt8] {
        var out: [UInt8] = [rng.next() % 2 == 0 ? UInt8(ascii: "{") : UInt8(ascii: "[")]
        func value(_ depth: Int) {
            let pick = rng.next() % 10
            if rng.next() % junk == 0 {
                out.append(Array("{}[]\"\\\n x".utf8)[Int(rng.next() % 9)])
            } else if pick < 3, depth < 80 {
                let open = rng.next() % arrayOneIn == 0 ? UInt8(ascii: "[") : UInt8(ascii: "{")
                out.append(open)
                for k in 0..<Int(rng.next() % 5) {
                    if k > 0 { out.append(UInt8(ascii: ",")) }
                    if open == UInt8(ascii: "{") { out += Array("\"f:k\":".utf8) }
                    value(depth + 1)
                }
                out.append(open == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]"))
            } else if pick < 7 {
                out.append(UInt8(ascii: "\""))
                for _ in 0..<Int(rng.next() % 40) {
                    switch rng.next() % 12 {
                    case 0: out += [UInt8(ascii: "\\"), Array("\"\\n/u{}[]".utf8)[Int(rng.next() % 9)]]
                    case 1: out += Array(repeating: UInt8(ascii: "\\"), count: Int(rng.next() % 5))
                    case 2: out.append(Array("{}[]\n".utf8)[Int(rng.next() % 5)])
                    default: out.append(UInt8(ascii: "a") + UInt8(rng.next() % 26))
                    }
                }
                out.append(UInt8(ascii: "\""))
            } else {
                out += Array("12, \n".utf8).prefix(Int(rng.next() % 5) + 1)
            }
        }
        for _ in 0..<Int(rng.next() % 40) { value(1) }
        if rng.next() % 4 != 0 { out.append(out[0] == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")) }
        for _ in 0..<Int(rng.next() % 100) { out.append(Array("ab{}[]\"\\ \n".utf8)[Int(rng.next() % 10)]) }
        return out
    }

    /// Junk one byte in `junk`; one nested bracket in `arrayOneIn` a '[': the last three make deep
    /// runs of '{' with the odd '[' or none, whose steps move the depth by counts alone, next to junk
    /// brackets that must stop them where the byte loop stops.
    @Test(arguments: [(UInt64(3), UInt64(2)), (50, 2), (1_000_000, 2), (40, 1_000_000), (1_000_000, 1_000_000), (50, 25)])
    func vectorPortableAndByteLoopAgree(junk: UInt64, arrayOneIn: UInt64) {
        var rng = XorShift(seed: 0x15_5EED &+ junk &+ arrayOneIn)
        for _ in 0..<1500 {
            let bytes = Self.document(&rng, junk: junk, arrayOneIn: arrayOneIn)
            let limit = UInt32(1 + rng.next() % 64)
            let reference = Self.run(oomlens_json_skip_bytewise, bytes, cuts: [], limit: limit)
            let cuts = (0..<Int(rng.next() % 4)).map { _ in Int(rng.next() % UInt64(bytes.count + 1)) }.sorted()
            for cuts in [[], cuts] {
                #expect(Self.run(oomlens_json_skip, bytes, cuts: cuts, limit: limit) == reference,
                        "\(String(decoding: bytes, as: UTF8.self)) cuts \(cuts)")
                #expect(Self.run(oomlens_json_skip_portable, bytes, cuts: cuts, limit: limit) == reference,
                        "\(String(decoding: bytes, as: UTF8.self)) cuts \(cuts)")
            }
        }
    }

    @Test func everyBlockBoundaryInsideLongValues() {
        // Values of a few hundred bytes cut at every offset: 64-byte steps straddle each kind of byte.
        var rng = XorShift(seed: 0xB10C)
        var checked = 0
        while checked < 12 {
            let bytes = Self.document(&rng, junk: 1_000_000)
            guard bytes.count > 200 else { continue }
            checked += 1
            let reference = Self.run(oomlens_json_skip_bytewise, bytes, cuts: [], limit: 64)
            for cut in 1..<bytes.count {
                #expect(Self.run(oomlens_json_skip, bytes, cuts: [cut], limit: 64) == reference, "cut \(cut)")
                #expect(Self.run(oomlens_json_skip_portable, bytes, cuts: [cut], limit: 64) == reference, "cut \(cut)")
            }
        }
    }

    @Test func backslashRunsAtEveryPositionOfAStep() {
        // A string holding a run of 1...9 backslashes then a quote, placed so that the run ends at
        // each byte of a 64-byte step: odd runs escape the quote, even ones close the string.
        for run in 1...9 {
            for pad in 0..<70 {
                let text = "[\"" + String(repeating: "x", count: pad) + String(repeating: "\\", count: run)
                    + "\"]\"]" + String(repeating: " ", count: 70) + "]"
                let bytes = Array(text.utf8)
                let reference = Self.run(oomlens_json_skip_bytewise, bytes, cuts: [], limit: 64)
                let end = pad + run + (run % 2 == 0 ? 4 : 6)
                #expect(reference.status == OOMLENS_JSON_SKIP_DONE && reference.offset == end, "\(text)")
                #expect(Self.run(oomlens_json_skip, bytes, cuts: [], limit: 64) == reference, "\(text)")
                #expect(Self.run(oomlens_json_skip_portable, bytes, cuts: [], limit: 64) == reference, "\(text)")
            }
        }
    }

    @Test func scannerGivesTheSameEventsAndFailuresInLargeAndTinyBlocks() {
        // Blocks under 64 bytes go through the byte loop only; a whole document through the 64-byte
        // steps: the scanner's events, failure and line must not depend on which.
        var rng = XorShift(seed: 0xD0C)
        for round in 0..<300 {
            let declined = Self.document(&rng, junk: round % 3 == 0 ? 40 : 1_000_000)
            let text = Array("{\"a\": 1,\n \"skip\": ".utf8) + declined + Array(",\n \"b\": [2]}".utf8)
            var results: [String] = []
            for block in [text.count, 7] {
                var scanner = JSONScanner(maxStringBytes: 1 << 20, maxDepth: 40)
                var events = EventLog()
                text.withUnsafeBytes { all in
                    var start = 0
                    while start < all.count {
                        let end = Swift.min(all.count, start + block)
                        scanner.feed(all.slice(start..<end), to: &events)
                        start = end
                    }
                }
                scanner.finish(to: &events)
                results.append(events.lines.joined(separator: " ") + " | \(String(describing: scanner.failure)) line \(scanner.line)")
            }
            #expect(results[0] == results[1], "\(String(decoding: text, as: UTF8.self))")
        }
    }
}

/// Keys and scalars as text; the key `skip` is declined.
private struct EventLog: JSONEventConsumer {
    var lines: [String] = []
    mutating func beginObject(at path: JSONPath, line: Int) { lines.append("{@\(line)") }
    mutating func endObject(at path: JSONPath, line: Int) { lines.append("}@\(line)") }
    mutating func beginArray(at path: JSONPath, line: Int) { lines.append("[@\(line)") }
    mutating func endArray(at path: JSONPath, line: Int) { lines.append("]@\(line)") }
    mutating func key(_ bytes: UnsafeRawBufferPointer, in path: JSONPath) -> UInt16 {
        lines.append("k:\(bytes.string)")
        return bytes.string == "skip" ? JSONPath.skipValue : 1
    }
    mutating func wantsScalar(at path: JSONPath) -> Bool { true }
    mutating func scalar(_ value: JSONScalar, at path: JSONPath, line: Int) {
        lines.append("s:\(value.bytes.string)@\(line)")
    }
}
