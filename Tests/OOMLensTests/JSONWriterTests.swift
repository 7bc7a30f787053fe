import Testing
@testable import OOMLens

/// The report JSON's writer: layout and string escaping.
@Suite struct JSONWriterTests {
    @Test func indentsNestedValuesAndEscapesStrings() {
        var w = JSONWriter()
        w.beginObject()
        w.string("plain", "web-1")
        w.string("escaped", "a \"q\" \\ b\nc\r\td\u{01}e\u{2028}f\u{2029}")
        w.string("unicode", "é ✓ 🧠 ⌘")
        w.beginArray("list")
        w.int(nil, 42 as Int?)
        w.bool(nil, true)
        w.null(nil)
        w.string(nil, nil)
        w.endArray()
        w.beginArray("empty")
        w.endArray()
        w.beginObject("nested")
        w.int("n", nil as Int64?)
        w.endObject()
        w.endObject()
        #expect(w.output == """
            {
              "plain": "web-1",
              "escaped": "a \\"q\\" \\\\ b\\nc\\r\\td\\u0001e\\u2028f\\u2029",
              "unicode": "é ✓ 🧠 ⌘",
              "list": [
                42,
                true,
                null,
                null
              ],
              "empty": [],
              "nested": {
                "n": null
              }
            }
            """)
    }

    /// Parts written by continuations and joined by `append` are the text of one writer, at every
    /// depth, pretty or compact, with and without elements before the parts.
    @Test(arguments: [true, false])
    func continuationsJoinIntoTheTextOfOneWriter(pretty: Bool) {
        func head(_ w: inout JSONWriter, elementsBefore: Bool) {
            w.beginObject()
            if elementsBefore { w.string("schema", "x") }
            w.beginObject("nested")
        }
        func first(_ w: inout JSONWriter) {
            w.beginArray("list")
            w.int(nil, 1 as Int?)
            w.endArray()
        }
        func second(_ w: inout JSONWriter) {
            w.beginArray("empty")
            w.endArray()
            w.string("after", "y")
            w.endObject()
            w.endObject()
        }
        for elementsBefore in [false, true] {
            var whole = JSONWriter(pretty: pretty)
            head(&whole, elementsBefore: elementsBefore)
            first(&whole)
            second(&whole)

            var joined = JSONWriter(pretty: pretty)
            head(&joined, elementsBefore: elementsBefore)
            var a = joined.continuation()
            var b = joined.continuation(afterOneElement: true)
            second(&b)  // written before `a`, as another thread may
            first(&a)
            joined.append(a)
            joined.append(b)
            #expect(joined.output == whole.output)
            #expect(joined.output.contains("\"after\""))
        }
    }

    @Test func writesCompactlyWhenNotPretty() {
        var w = JSONWriter(pretty: false)
        w.beginObject()
        w.string("k\"ey", "v")
        w.beginArray("a")
        w.int(nil, -7 as Int?)
        w.endArray()
        w.endObject()
        #expect(w.output == #"{"k\"ey":"v","a":[-7]}"#)
    }

    @Test func escapesASpecialCharacterAtEveryOffsetOfALongString() {
        // The word-at-a-time check must see the character in every lane and in the tail.
        func reference(_ s: String) -> String {
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\u{01}": out += "\\u0001"
                case "\u{2028}": out += "\\u2028"
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
        for special in ["\"", "\\", "\n", "\u{01}", "\u{2028}", "é", "✓", "x"] {
            for length in [1, 7, 8, 9, 16, 23, 40] {
                for at in 0..<length {
                    let text = String(repeating: "a", count: at) + special + String(repeating: "b", count: length - at - 1)
                    var w = JSONWriter(pretty: false)
                    w.string(nil, text)
                    #expect(w.output == reference(text), "\(special.unicodeScalars.map(\.value)) at \(at) of \(length)")
                }
            }
        }
    }

    @Test func writesIntegersAtEveryWidthAndTheirLimits() {
        var values: [Int64] = [0, 9, 10, 99, 100, -1, -10, .max, .min, .max - 1, .min + 1]
        var power: Int64 = 1
        for _ in 0..<18 {
            power *= 10
            values += [power - 1, power, power + 1, -power]
        }
        var w = JSONWriter(pretty: false)
        w.beginArray()
        for v in values { w.int(nil, v) }
        w.endArray()
        w.endLine()
        #expect(w.output == "[" + values.map(String.init).joined(separator: ",") + "]\n")
        #expect(w.bytes == Array(w.output.utf8))
    }
}
