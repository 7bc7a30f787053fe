import Testing
@testable import OOMLens

@Suite struct APIKeyTests {
    private static func key(_ bytes: [UInt8]) -> APIKey {
        bytes.withUnsafeBytes { APIKey.key($0) }
    }

    @Test func everyKeyIsRecognisedFromItsText() {
        for k in APIKey.allCases where k != .other {
            #expect(Self.key(Array(k.text.utf8)) == k, "\(k.text)")
        }
    }

    @Test func nearMissesAreNotTheKey() {
        // One byte changed at every position (the word compares cover each byte), one byte more or
        // less, and keys read out of a larger buffer.
        for k in APIKey.allCases where k != .other {
            let text = Array(k.text.utf8)
            for i in text.indices {
                var changed = text
                changed[i] ^= 0x01
                #expect(Self.key(changed) != k, "\(k.text) changed at \(i)")
            }
            #expect(Self.key(Array(text.dropLast())) != k)
            #expect(Self.key(text + [UInt8(ascii: "s")]) != k)
            let padded = [UInt8(ascii: "\"")] + text + [UInt8(ascii: "\""), UInt8(ascii: ":")]
            let found = padded.withUnsafeBytes { APIKey.key($0.slice(1..<(1 + text.count))) }
            #expect(found == k)
        }
        #expect(Self.key([]) == .other)
        #expect(Self.key(Array("Name".utf8)) == .other)
    }

    @Test func everyIDNamesItsOwnKey() {
        #expect(Int(APIKey.caseCount) == APIKey.allCases.count)
        for k in APIKey.allCases {
            #expect(APIKey(id: k.rawValue) == k, "\(k.text)")
            #expect(APIKey(id: k.rawValue) == APIKey(rawValue: k.rawValue))
        }
        // Every other id (the skip marker among them) names no key: the same answer as the
        // synthesized `init(rawValue:)` for all 65,536.
        let differing = (0...UInt16.max).filter { APIKey(id: $0) != (APIKey(rawValue: $0) ?? .other) }
        #expect(differing.isEmpty, "\(differing.prefix(8))")
        #expect(APIKey(id: JSONPath.skipValue) == .other)
    }
}
