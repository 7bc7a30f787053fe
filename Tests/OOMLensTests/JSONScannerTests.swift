import Testing
@testable import OOMLens

/// Records every event as text: `{`, `}`, `[`, `]`, `k:name`, `s:text`, `n:text`, `true`, `false`,
/// `null`, each with the path (`a/0/b`) and, for containers and scalars, the line.
private struct Recorder: JSONEventConsumer {
    static let names = ["a", "b", "c", "items", "name", "x"]
    var events: [String] = []
    var wantScalars = true
    var truncated: [Bool] = []
    /// Keys whose values are declined (`JSONPath.skipValue`).
    var skip: Set<String> = []

    func render(_ path: JSONPath) -> String {
        (0..<path.depth).map { i -> String in
            let c = path[i]
            if c.isArray { return String(c.index) }
            return c.key == 0 ? "?" : Self.names[Int(c.key) - 1]
        }.joined(separator: "/")
    }

    mutating func beginObject(at path: JSONPath, line: Int) { events.append("{ \(render(path)) @\(line)") }
    mutating func endObject(at path: JSONPath, line: Int) { events.append("} \(render(path)) @\(line)") }
    mutating func beginArray(at path: JSONPath, line: Int) { events.append("[ \(render(path)) @\(line)") }
    mutating func endArray(at path: JSONPath, line: Int) { events.append("] \(render(path)) @\(line)") }
    mutating func key(_ bytes: UnsafeRawBufferPointer, in path: JSONPath) -> UInt16 {
        events.append("k:\(bytes.string)")
        if skip.contains(bytes.string) { return JSONPath.skipValue }
        return UInt16((Self.names.firstIndex(of: bytes.string) ?? -1) + 1)
    }
    mutating func wantsScalar(at path: JSONPath) -> Bool { wantScalars }
    mutating func scalar(_ value: JSONScalar, at path: JSONPath, line: Int) {
        let text: String
        switch value.kind {
        case .string: text = "s:\(value.bytes.string)"
        case .number: text = "n:\(value.bytes.string)"
        case .true: text = "true"
        case .false: text = "false"
        case .null: text = "null"
        }
        events.append("\(text) \(render(path)) @\(line)")
        truncated.append(value.truncated)
    }
}

private struct ScanResult {
    var events: [String]
    var truncated: [Bool]
    var scanner: JSONScanner
}

private func scan(_ bytes: [UInt8], cuts: [Int], want: Bool = true, maxString: Int = 1 << 20, maxDepth: Int = 256,
                  skip: Set<String> = []) -> ScanResult
{
    var scanner = JSONScanner(maxStringBytes: maxString, maxDepth: maxDepth)
    var recorder = Recorder()
    recorder.wantScalars = want
    recorder.skip = skip
    bytes.withUnsafeBytes { all in
        var start = 0
        for cut in cuts + [all.count] where cut >= start {
            scanner.feed(all.slice(start..<cut), to: &recorder)
            start = cut
        }
    }
    scanner.finish(to: &recorder)
    return ScanResult(events: recorder.events, truncated: recorder.truncated, scanner: scanner)
}

private func scan(_ text: String, blockSize: Int = 1 << 16, want: Bool = true, maxString: Int = 1 << 20,
                  maxDepth: Int = 256, skip: Set<String> = []) -> ScanResult
{
    let bytes = Array(text.utf8)
    return scan(bytes, cuts: Array(stride(from: blockSize, to: bytes.count, by: blockSize)), want: want,
                maxString: maxString, maxDepth: maxDepth, skip: skip)
}

@Suite struct JSONScannerTests {
    static let document = """
        {"a": [1, -2.5e+3, "x\\u00e9\\n", true, false, null],
         "b": {"name": "\\ud83d\\ude00 \\"q\\" \\\\ \\/ \\t"},
         "c": [], "x": {}, "unknown": 0}
        """

    @Test func reportsStructureScalarsAndLines() {
        let r = scan(Self.document)
        #expect(r.scanner.failure == nil)
        #expect(r.events == [
            "{  @1", "k:a", "[ a @1",
            "n:1 a/0 @1", "n:-2.5e+3 a/1 @1", "s:xé\n a/2 @1", "true a/3 @1", "false a/4 @1", "null a/5 @1",
            "] a @1", "k:b", "{ b @2", "k:name", "s:😀 \"q\" \\ / \t b/name @2", "} b @2",
            "k:c", "[ c @3", "] c @3", "k:x", "{ x @3", "} x @3", "k:unknown", "n:0 ? @3", "}  @3",
        ])
        #expect(r.scanner.documents == 1)
    }

    @Test func everySplitOffsetGivesTheSameEvents() {
        let bytes = Array(Self.document.utf8)
        let whole = scan(bytes, cuts: []).events
        for cut in 1..<bytes.count {
            #expect(scan(bytes, cuts: [cut]).events == whole, "cut at \(cut)")
        }
        // Two cuts, and byte-by-byte.
        for cut in stride(from: 1, to: bytes.count - 3, by: 3) {
            #expect(scan(bytes, cuts: [cut, cut + 2]).events == whole, "cuts at \(cut), \(cut + 2)")
        }
        #expect(scan(bytes, cuts: Array(1..<bytes.count)).events == whole)
    }

    @Test func surrogatePairsAndLoneSurrogates() {
        let r = scan(#"["\ud83d\ude00", "\ud83dx", "\ude00", "\ud83d\n", "\ud83d\ud83d\ude00", "\u0041\u00e9\u20ac"]"#)
        let strings = r.events.filter { $0.hasPrefix("s:") }
        #expect(strings == [
            "s:😀 0 @1", "s:\u{FFFD}x 1 @1", "s:\u{FFFD} 2 @1", "s:\u{FFFD}\n 3 @1", "s:\u{FFFD}😀 4 @1", "s:Aé€ 5 @1",
        ])
        // The pair split between its halves and inside the second escape.
        let bytes = Array(#"["\ud83d\ude00"]"#.utf8)
        for cut in 1..<bytes.count {
            #expect(scan(bytes, cuts: [cut]).events.contains("s:😀 0 @1"), "cut at \(cut)")
        }
    }

    @Test func skipsUnwantedScalarsButKeepsKeys() {
        let r = scan(Self.document, blockSize: 7, want: false)
        #expect(r.scanner.failure == nil)
        #expect(!r.events.contains { $0.hasPrefix("s:") || $0.hasPrefix("n:") || $0.hasPrefix("true") })
        #expect(r.events.filter { $0.hasPrefix("k:") } == ["k:a", "k:b", "k:name", "k:c", "k:x", "k:unknown"])
    }

    @Test func declinedValuesArePassedOverAtEverySplit() {
        let text = """
            {"x": {"a": [1, "]}\\"", {"b": "{["}],
                   "c": "q\\u0022"},
             "a": [true],
             "x": "skipped string",
             "x": [[], {}],
             "b": 7}
            """
        let bytes = Array(text.utf8)
        let whole = scan(bytes, cuts: [], skip: ["x"])
        #expect(whole.scanner.failure == nil)
        #expect(whole.events == [
            "{  @1", "k:x", "k:a", "[ a @3", "true a/0 @3", "] a @3", "k:x", "k:x", "k:b", "n:7 b @6", "}  @6",
        ])
        for cut in 1..<bytes.count {
            #expect(scan(bytes, cuts: [cut], skip: ["x"]).events == whole.events, "cut at \(cut)")
        }
        // Brackets inside a declined value must still match, and count towards the depth cap.
        #expect(scan(#"{"x": [1, 2}"#, skip: ["x"]).scanner.failure?.message == "unexpected '}' (brackets do not match)")
        #expect(scan(#"{"x": [[[[1]]]]}"#, maxDepth: 4, skip: ["x"]).scanner.failure?.message == "nesting deeper than 4 levels")
        #expect(scan(#"{"x": [[[1]]]}"#, maxDepth: 4, skip: ["x"]).scanner.failure == nil)
        #expect(scan(#"{"x": {"a": "#, skip: ["x"]).scanner.failure?.message == "unexpected end of input with 2 object(s)/array(s) still open")
    }

    @Test func declinedValuesWithLongEscapedStringsAndIndentationAtEverySplit() {
        // Strings longer than a word with escaped quotes and backslashes at every offset within it,
        // brackets inside strings, a backslash just before a closing quote, and indentation runs of
        // eight spaces and more: the word-at-a-time paths of `skipValue` must land on the same bytes.
        var text = "{\"x\": {\n"
        for k in 0..<10 {
            let pad = String(repeating: "p", count: k)
            text += "        \"k\(pad)\": [\"\(pad)\\\"]}{[\\\\\", \"\(pad)abcdefghij\\\\\"],\n"
        }
        text += "                \"tail\": {\"}\": \"\\u005d\\u007d\", \"y\": [\"\\\\\"]}\n"
        text += "    },\n \"a\": [\"after \\\"skip\\\"\"], \"b\": 1}"
        let bytes = Array(text.utf8)
        let whole = scan(bytes, cuts: [], skip: ["x"])
        #expect(whole.scanner.failure == nil)
        #expect(whole.events == [
            "{  @1", "k:x", "k:a", "[ a @14", "s:after \"skip\" a/0 @14", "] a @14", "k:b", "n:1 b @14", "}  @14",
        ])
        for cut in 1..<bytes.count {
            #expect(scan(bytes, cuts: [cut], skip: ["x"]).events == whole.events, "cut at \(cut)")
        }
        for block in 1...9 {
            #expect(scan(text, blockSize: block, skip: ["x"]).events == whole.events, "block \(block)")
        }
    }

    @Test func declinedValuesNestedBeyondSixtyFourLevels() {
        // The first 64 open brackets of a declined value are a bit set, deeper ones a list: both must
        // match their closing brackets.
        let deep = String(repeating: "[{\"a\":", count: 50) + "1" + String(repeating: "}]", count: 50)
        let ok = scan("{\"x\": \(deep), \"b\": 2}", blockSize: 3, skip: ["x"])
        #expect(ok.scanner.failure == nil)
        #expect(ok.events.last == "}  @1")
        let wrongDeep = String(repeating: "[", count: 70) + "}"
        #expect(scan("{\"x\": \(wrongDeep)}", skip: ["x"]).scanner.failure?.message
                    == "unexpected '}' (brackets do not match)")
        let wrongShallow = String(repeating: "[", count: 70) + String(repeating: "]", count: 69) + "}"
        #expect(scan("{\"x\": \(wrongShallow)}", skip: ["x"]).scanner.failure?.message
                    == "unexpected '}' (brackets do not match)")
        #expect(scan("{\"x\": \(String(repeating: "[", count: 70))", skip: ["x"]).scanner.failure?.message
                    == "unexpected end of input with 71 object(s)/array(s) still open")
        // An empty pair is passed over whole, but still counts towards the depth cap.
        #expect(scan(#"{"x": [[{}]]}"#, maxDepth: 4, skip: ["x"]).scanner.failure == nil)
        #expect(scan(#"{"x": [[[{}]]]}"#, maxDepth: 4, skip: ["x"]).scanner.failure?.message == "nesting deeper than 4 levels")
        #expect(scan(#"{"x": [{]]}"#, skip: ["x"]).scanner.failure?.message == "unexpected ']' (brackets do not match)")
    }

    @Test func severalTopLevelValuesCommentsAndBOM() {
        let text = "\u{FEFF}# source: test\n{\"a\":1}\n{\"a\":2}\n# trailing\n[3]"
        let r = scan(text, blockSize: 5)
        #expect(r.scanner.failure == nil)
        #expect(r.scanner.documents == 3)
        #expect(r.events.filter { $0.hasPrefix("n:") } == ["n:1 a @2", "n:2 a @3", "n:3 0 @5"])
    }

    @Test func malformedInputStopsWithTheLine() {
        let cases: [(String, Int, String)] = [
            ("{\n\"a\" 1}", 2, "unexpected '1' where ':' was expected"),
            ("[1,\n\n]", 3, "unexpected ']' where a value was expected"),
            ("{\"a\":tru}", 1, "invalid literal (expected 'true')"),
            ("{\"a\":01}", 1, "invalid number '01'"),
            ("[-]", 1, "invalid number '-'"),
            ("[\"a\nb\"]", 1, "control character 0xa inside a string"),
            ("[\"\\x\"]", 1, "invalid escape '\\x' in a string"),
            ("[\"\\u12G4\"]", 1, "invalid \\u escape in a string"),
            ("}", 1, "unexpected '}' where a value was expected"),
            ("{\"a\":1]", 1, "unexpected ']' where ',' or '}' was expected"),
        ]
        for (text, line, message) in cases {
            for block in [1, 3, 100] {
                let r = scan(text, blockSize: block)
                #expect(r.scanner.failure == JSONScanner.Failure(line: line, message: message), "\(text) / \(block)")
            }
        }
    }

    @Test func errorsKeepEarlierEventsAndIgnoreTheRest() {
        let r = scan("{\"a\":1}\n{\"a\":2,,}\n{\"a\":3}", blockSize: 4)
        #expect(r.scanner.failure?.line == 2)
        #expect(r.events.filter { $0.hasPrefix("n:") } == ["n:1 a @1", "n:2 a @2"])
    }

    @Test func truncatedInputIsReportedAtFinish() {
        #expect(scan("{\"a\": [1, 2").scanner.failure?.message == "unexpected end of input with 2 object(s)/array(s) still open")
        #expect(scan("{\"a\": \"xy").scanner.failure?.message == "unexpected end of input inside a string that began on line 1")
        #expect(scan("[nu").scanner.failure?.message == "unexpected end of input inside a literal")
        // A number at the very end of the input is complete.
        let r = scan("12", blockSize: 1)
        #expect(r.scanner.failure == nil)
        #expect(r.events == ["n:12  @1"])
    }

    @Test func deepNestingIsCapped() {
        let deep = String(repeating: "[", count: 9) + String(repeating: "]", count: 9)
        #expect(scan(deep, maxDepth: 9).scanner.failure == nil)
        let r = scan(deep, maxDepth: 8)
        #expect(r.scanner.failure == JSONScanner.Failure(line: 1, message: "nesting deeper than 8 levels"))
        // Far deeper than the default cap: no recursion, no crash.
        let huge = String(repeating: "{\"a\":", count: 100_000)
        #expect(scan(huge).scanner.failure?.message == "nesting deeper than 256 levels")
    }

    @Test(arguments: [1, 10, 4096])
    func hugeStringsAreCutAndCounted(block: Int) {
        let long = String(repeating: "y", count: 100)
        let r = scan("[\"\(long)\", \"ab\\ncd\\u00e9xyz\", {\"\(long)\": 1}]", blockSize: block, maxString: 16)
        #expect(r.scanner.failure == nil)
        let strings = r.events.filter { $0.hasPrefix("s:") }
        #expect(strings == ["s:\(String(repeating: "y", count: 16)) 0 @1", "s:ab\ncdéxyz 1 @1"])
        #expect(r.truncated.prefix(2) == [true, false])
        #expect(r.events.contains("k:\(String(repeating: "y", count: 16))"))
        #expect(r.scanner.truncatedStrings == 2)
        #expect(r.scanner.truncatedBytes == 168)
        #expect(r.scanner.peakBufferBytes < 4096)
    }

    /// Keys and string values that `feed` hands over whole (compact `"k":"v"`, a key with a space before
    /// its ':', values exactly at the cap, one byte over it, declined ones) give the same events, cuts
    /// and counts however the input is split.
    @Test func wholeStringsAtTheCapAtEverySplit() {
        let at = String(repeating: "y", count: 8), over = String(repeating: "z", count: 9)
        let text = """
            {"name":"\(at)","a" :["\(over)","","q\\"x"],"x":"\(over)","\(at)":"v","\(over)":{"b":"\(at)"},\
            "c":{"name":"\(at)"},"x":{"a":"w"}}
            """
        let bytes = Array(text.utf8)
        func run(_ cuts: [Int]) -> ScanResult { scan(bytes, cuts: cuts, maxString: 8, skip: ["x"]) }
        let whole = run([])
        #expect(whole.scanner.failure == nil)
        #expect(whole.events.filter { $0.hasPrefix("s:") } == [
            "s:\(at) name @1", "s:\(String(repeating: "z", count: 8)) a/0 @1", "s: a/1 @1", "s:q\"x a/2 @1", "s:v ? @1", "s:\(at) ?/b @1",
            "s:\(at) c/name @1",
        ])
        #expect(whole.events.contains("k:\(at)") && whole.events.contains("k:\(String(repeating: "z", count: 8))"))
        #expect(whole.truncated == [false, true, false, false, false, false, false])
        #expect(whole.scanner.truncatedStrings == 2)
        for cut in 1..<bytes.count {
            let r = run([cut])
            #expect(r.events == whole.events, "cut at \(cut)")
            #expect(r.truncated == whole.truncated, "cut at \(cut)")
            #expect(r.scanner.truncatedStrings == 2 && r.scanner.truncatedBytes == whole.scanner.truncatedBytes)
        }
        let bytewise = run(Array(1..<bytes.count))
        #expect(bytewise.events == whole.events)
        #expect(bytewise.scanner.truncatedBytes == whole.scanner.truncatedBytes)
    }

    /// Literals whole in a block are matched at once, split ones byte by byte: the same events, and
    /// the same failure for a near miss, wherever the input is cut.
    @Test func literalsAndNearMissesAtEverySplit() {
        let good = Array(#"{"a":[true,false,null],"b":false,"x":true}"#.utf8)
        let whole = scan(good, cuts: [])
        #expect(whole.scanner.failure == nil)
        #expect(whole.events.filter { ["true", "false", "null"].contains($0.split(separator: " ")[0]) } == [
            "true a/0 @1", "false a/1 @1", "null a/2 @1", "false b @1", "true x @1",
        ])
        for cut in 1..<good.count { #expect(scan(good, cuts: [cut]).events == whole.events, "cut at \(cut)") }
        for text in [#"[tru]"#, #"[truE]"#, #"[fals]"#, #"[falsE]"#, #"[falsee]"#, #"[nul]"#, #"[nulL]"#, #"[t]"#] {
            let bytes = Array(text.utf8)
            let reference = scan(bytes, cuts: Array(1..<bytes.count))
            #expect(reference.scanner.failure != nil, "\(text)")
            for cut in 0..<bytes.count {
                let r = scan(bytes, cuts: [cut])
                #expect(r.events == reference.events && r.scanner.failure == reference.scanner.failure, "\(text) cut at \(cut)")
            }
        }
    }

    @Test func bufferStaysSmallOnLargeInput() {
        // 2 MB of objects fed in 64 KiB blocks: only the path and one token are ever held.
        var text = "{\"items\": ["
        let item = "{\"name\": \"pod-\(String(repeating: "z", count: 200))\", \"a\": [1, 2, 3], \"b\": {\"c\": null}},"
        for _ in 0..<8000 { text += item }
        text += "{}]}"
        let r = scan(text, blockSize: 64 * 1024, want: false)
        #expect(r.scanner.failure == nil)
        #expect(r.scanner.peakBufferBytes < 2048)
    }

    @Test func wordAtATimeStopTest() {
        func word(_ text: String) -> UInt64 {
            Array(text.utf8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        }
        #expect(!JSONScanner.hasStringStop(word("abcdefgh")))
        #expect(!JSONScanner.hasStringStop(word("é€ ~!#$%")))
        #expect(JSONScanner.hasStringStop(word("abcdefg\"")))
        #expect(JSONScanner.hasStringStop(word("\\bcdefgh")))
        #expect(JSONScanner.hasStringStop(word("abc\ndefg")))
        #expect(JSONScanner.hasStringStop(word("abc\u{1F}defg")))
        #expect(!JSONScanner.hasStringStop(word("abc defg")))
        #expect(!JSONScanner.hasStringStop(UInt64.max))
        #expect(JSONScanner.firstStringStop(word("abcdefgh")) == 8)
        for k in 0..<8 {
            for stop in ["\"", "\\", "\n", "\u{1F}"] {
                // Stops after the first one must not move it (a borrow only flags later bytes).
                let text = String(repeating: "a", count: k) + stop + String(repeating: "\"", count: 7 - k)
                #expect(JSONScanner.firstStringStop(word(text)) == k, "\(k) \(stop.debugDescription)")
            }
        }
        #expect(JSONScanner.firstStringStop(word("\u{0}\u{0}\"abcde")) == 0)
        #expect(JSONScanner.firstStringStop(word("é\u{1}\"abcde")) == 2)
    }

    @Test func numberGrammar() {
        for good in ["0", "-0", "12", "1.5", "-1.5e10", "1E-2", "1e+2"] {
            #expect(Array(good.utf8).withUnsafeBytes { JSONScanner.isValidNumber($0) }, "\(good)")
        }
        for bad in ["", "-", "01", "1.", ".5", "1e", "1e+", "+1", "1-2", "--1"] {
            #expect(!Array(bad.utf8).withUnsafeBytes { JSONScanner.isValidNumber($0) }, "\(bad)")
        }
    }

    @Test func randomBytesAndCutsNeverCrash() {
        var rng = XorShift(seed: 0x5EED_1234)
        let base = Array(Self.document.utf8)
        for _ in 0..<300 {
            var bytes = base
            let mutations = Int(rng.next() % 6)
            for _ in 0..<mutations where !bytes.isEmpty {
                let at = Int(rng.next() % UInt64(bytes.count))
                bytes[at] = UInt8(truncatingIfNeeded: rng.next())
            }
            let cut = Int(rng.next() % UInt64(bytes.count + 1))
            bytes = Array(bytes.prefix(cut))
            let cuts = (0..<3).map { _ in Int(rng.next() % UInt64(bytes.count + 1)) }.sorted()
            _ = scan(bytes, cuts: cuts)
        }
        for _ in 0..<200 {
            let bytes = (0..<Int(rng.next() % 200)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            _ = scan(bytes, cuts: [bytes.count / 2])
        }
    }
}

/// A small deterministic generator for robustness tests.
