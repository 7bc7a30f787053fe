import Foundation
import Testing
@testable import OOMLens

/// SHA-256 against the FIPS 180-4 / NIST example vectors, fed in one piece and in random pieces, and
/// the bundle fingerprints built on it.
@Suite struct BatchSHA256Tests {
    static let vectors: [(String, String)] = [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
        ("The quick brown fox jumps over the lazy dog",
         "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"),
    ]

    @Test func knownVectors() {
        for (text, digest) in Self.vectors {
            #expect(SHA256.hash(Array(text.utf8)).hex == digest, "\(text)")
        }
    }

    @Test func aMillionAs() {
        var hash = SHA256()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hash.update(chunk) }
        #expect(hash.finalize().hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Lengths around the 55/56/64-byte padding edges, fed in random pieces, agree with one-shot hashing.
    @Test func randomSplitsGiveTheSameDigest() {
        var random = BatchRandom(seed: 0x5EED)
        for length in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 4099] {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let whole = SHA256.hash(bytes)
            var hash = SHA256()
            var offset = 0
            while offset < length {
                let take = min(length - offset, Int(random.next() % 70))
                hash.update(Array(bytes[offset..<offset + take]))
                offset += take
            }
            #expect(hash.finalize() == whole, "length \(length)")
        }
    }

    @Test func fileFingerprintIsTheSHA256OfItsBytes() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let path = try temp.write("a.tar.gz", Array("abc".utf8))
        let print = try BundleFingerprint.compute(.init(path: path, isDirectory: false)).get()
        #expect(print.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(print.size == 3)
        let missing = BundleFingerprint.compute(.init(path: temp.path("nope.tgz"), isDirectory: false))
        #expect(throws: BatchError.self) { try missing.get() }
    }

    @Test func folderFingerprintFollowsNamesAndContent() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let fm = FileManager.default
        func folder(_ name: String, _ files: [(String, String)]) throws -> BundleFingerprint {
            for (path, text) in files {
                let full = temp.path("\(name)/\(path)")
                try fm.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(text.utf8).write(to: URL(fileURLWithPath: full))
            }
            return try BundleFingerprint.compute(.init(path: temp.path(name), isDirectory: true)).get()
        }
        let a = try folder("a", [("version.yaml", "kind: SupportBundle\n"), ("cluster-resources/pods/x.json", "{}")])
        let same = try folder("b", [("cluster-resources/pods/x.json", "{}"), ("version.yaml", "kind: SupportBundle\n")])
        let edited = try folder("c", [("version.yaml", "kind: SupportBundle\n"), ("cluster-resources/pods/x.json", "{ }")])
        let renamed = try folder("d", [("version.yaml", "kind: SupportBundle\n"), ("cluster-resources/pods/y.json", "{}")])
        #expect(a == same)
        #expect(a.size == 22)
        #expect(a.sha256 != edited.sha256)
        #expect(a.sha256 != renamed.sha256)
    }
}

/// A seeded xorshift64* generator for the batch tests' random inputs.
struct BatchRandom {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed
    }

    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }

    /// 64 lowercase hex digits.
    mutating func sha256Hex() -> String {
        (0..<4).map { _ in
            let hex = String(next(), radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}
