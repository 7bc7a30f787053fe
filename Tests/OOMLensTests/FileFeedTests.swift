import Foundation
import Testing
@testable import OOMLens

/// Plain archives on disk, which libarchive reads through `FileFeed`: its read, skip and seek callbacks.
@Suite struct FileFeedTests {
    /// Every member's path and bytes, reading only those whose path `wanted` accepts (libarchive skips
    /// the data of the others when it moves to the next header).
    private func members(_ path: String, wanted: (String) -> Bool = { _ in true }) throws -> [(String, [UInt8])] {
        var reader = try ArchiveReader(.file(path: Array(path.utf8CString)), formats: .archives(allowRawCompressed: false))
        var found: [(String, [UInt8])] = []
        while let entry = try reader.next() {
            guard entry.kind == .regular, wanted(entry.path) else { continue }
            var bytes: [UInt8] = []
            try reader.forEachBlock { block, _ in
                bytes.append(contentsOf: block)
                return true
            }
            found.append((entry.path, bytes))
        }
        return found
    }

    /// Pseudo-random bytes, so that a block delivered from a wrong offset would not compare equal.
    private static func pattern(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }

    @Test(arguments: [ArchiveWriter.Format.tar, .zip])
    func readsMembersLargerThanItsBuffer(format: ArchiveWriter.Format) throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let big = Self.pattern(3 << 20 + 17, seed: 1), small = Self.pattern(1000, seed: 2)
        let path = try temp.write("b.\(format.fileExtension)",
                                  try TempBundle.archiveBytes(format, [("a/big.bin", big), ("a/small.bin", small)]))
        let found = try members(path)
        #expect(found.map(\.0) == ["a/big.bin", "a/small.bin"])
        #expect(found.first?.1 == big)
        #expect(found.last?.1 == small)
    }

    /// Members passed over are skipped with `lseek`, not read: what comes after them is still right.
    @Test(arguments: [ArchiveWriter.Format.tar, .zip])
    func skipsMembersItDoesNotRead(format: ArchiveWriter.Format) throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let files = (0..<5).map { ("m\($0).bin", Self.pattern(($0 + 1) << 20 + $0 * 511, seed: UInt64($0) + 10)) }
        let path = try temp.write("b.\(format.fileExtension)", try TempBundle.archiveBytes(format, files))
        let found = try members(path) { $0 == "m1.bin" || $0 == "m4.bin" }
        #expect(found.map(\.0) == ["m1.bin", "m4.bin"])
        #expect(found.first?.1 == files[1].1)
        #expect(found.last?.1 == files[4].1)
    }

    @Test func aFileThatCannotBeOpenedIsAnError() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        #expect {
            _ = try ArchiveReader(.file(path: Array(temp.path("missing.tar").utf8CString)), formats: .archives(allowRawCompressed: false))
        } throws: { error in
            (error as? ArchiveError)?.message.hasPrefix("Failed to open '\(temp.path("missing.tar"))'") == true
        }
    }
}
