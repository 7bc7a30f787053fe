import CLibArchive
import Foundation
import Testing
@testable import OOMLens

@Suite struct ArchiveWriterTests {
    /// One member as read back through libarchive's reader.
    struct ReadBack: Equatable {
        var path: String
        var type: mode_t
        var size: Int64
        var mtime: Int
        var link: String?
        var data: [UInt8]
    }

    /// Reads every member of an archive held in memory (any format, or raw when `raw` is set).
    static func readBack(_ bytes: [UInt8], raw: Bool = false) -> [ReadBack] {
        guard let handle = archive_read_new() else { return [] }
        defer { archive_read_free(handle) }
        archive_read_support_filter_all(handle)
        if raw { archive_read_support_format_raw(handle) } else { archive_read_support_format_all(handle) }
        var members: [ReadBack] = []
        bytes.withUnsafeBytes { buffer in
            guard archive_read_open_memory(handle, buffer.baseAddress, buffer.count) == ARCHIVE_OK else { return }
            var entry: OpaquePointer?
            while archive_read_next_header(handle, &entry) == ARCHIVE_OK, let entry {
                let path = archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
                let link = (archive_entry_hardlink(entry) ?? archive_entry_symlink(entry)).map { String(cString: $0) }
                var data: [UInt8] = []
                var chunk = [UInt8](repeating: 0, count: 4096)
                while true {
                    let n = chunk.withUnsafeMutableBytes { archive_read_data(handle, $0.baseAddress, $0.count) }
                    if n <= 0 { break }
                    data.append(contentsOf: chunk[0..<n])
                }
                members.append(ReadBack(
                    path: path, type: archive_entry_filetype(entry), size: archive_entry_size(entry),
                    mtime: archive_entry_mtime(entry), link: link, data: data))
            }
        }
        return members
    }

    static let mtime: Int64 = 1_697_137_220  // 2023-10-12T19:00:20Z

    static func sampleArchive(_ format: ArchiveWriter.Format) throws -> [UInt8] {
        var writer = try ArchiveWriter(format: format, memoryLimit: 4 << 20)
        try writer.addDirectory(path: "bundle/", modified: mtime)
        try writer.addFile(path: "bundle/version.yaml", contents: Array("kind: SupportBundle\n".utf8), modified: mtime)
        try writer.addSymlink(path: "bundle/latest", target: "version.yaml", modified: mtime)
        if format != .zip {
            try writer.addHardlink(path: "bundle/version-copy.yaml", target: "bundle/version.yaml", modified: mtime)
        }
        return try writer.finish()
    }

    @Test(arguments: [
        (ArchiveWriter.Format.tarGzip, [UInt8]([0x1F, 0x8B])),
        (.tarZstd, [0x28, 0xB5, 0x2F, 0xFD]),
        (.tarXz, [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]),
        (.tarBzip2, Array("BZh".utf8)),
        (.zip, [0x50, 0x4B, 0x03, 0x04]),
    ])
    func compressedFormatsStartWithTheirMagic(format: ArchiveWriter.Format, magic: [UInt8]) throws {
        let bytes = try Self.sampleArchive(format)
        #expect(Array(bytes.prefix(magic.count)) == magic)
    }

    @Test func plainTarHasUstarMagicAndRecordPadding() throws {
        let bytes = try Self.sampleArchive(.tar)
        #expect(String(decoding: bytes[257..<262], as: UTF8.self) == "ustar")
        #expect(bytes.count % 10240 == 0)
    }

    @Test(arguments: ArchiveWriter.Format.allCases.filter { $0 != .gzipRaw })
    func everyEntryTypeReadsBack(format: ArchiveWriter.Format) throws {
        let members = Self.readBack(try Self.sampleArchive(format))
        let byPath = Dictionary(members.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byPath["bundle/"]?.type == S_IFDIR)
        #expect(byPath["bundle/version.yaml"]?.type == S_IFREG)
        #expect(byPath["bundle/version.yaml"]?.data == Array("kind: SupportBundle\n".utf8))
        #expect(byPath["bundle/version.yaml"]?.mtime == Int(Self.mtime))
        #expect(byPath["bundle/latest"]?.type == S_IFLNK)
        #expect(byPath["bundle/latest"]?.link == "version.yaml")
        if format != .zip {
            #expect(byPath["bundle/version-copy.yaml"]?.link == "bundle/version.yaml")
            #expect(members.count == 4)
        }
    }

    @Test func gzipRawHoldsOneFileAndHasNoTimestamp() throws {
        var writer = try ArchiveWriter(format: .gzipRaw)
        let text = Array("Oct 12 19:00:20 aks-nodepool1-24207654-vmss000001 kernel: [ 8523.347168] x\n".utf8)
        try writer.addFile(path: "syslog.2", contents: text, modified: Self.mtime)
        #expect(throws: ArchiveWriterError.self) {
            try writer.addFile(path: "second", contents: [1], modified: Self.mtime)
        }
        let bytes = try writer.finish()
        #expect(Array(bytes.prefix(3)) == [0x1F, 0x8B, 0x08])
        #expect(Array(bytes[4..<8]) == [0, 0, 0, 0])  // MTIME field zeroed: deterministic output
        #expect(Self.readBack(bytes, raw: true).first?.data == text)
    }

    @Test func streamedEntryMustMatchDeclaredSize() throws {
        var writer = try ArchiveWriter(format: .tar)
        try writer.beginFile(path: "big.log", size: 10, modified: Self.mtime)
        let chunk = Array("12345".utf8)
        try chunk.withUnsafeBytes { try writer.write($0) }
        #expect(throws: ArchiveWriterError.self) { try writer.endFile() }

        var second = try ArchiveWriter(format: .tar)
        try second.beginFile(path: "big.log", size: 10, modified: Self.mtime)
        try chunk.withUnsafeBytes { try second.write($0) }
        try chunk.withUnsafeBytes { try second.write($0) }
        #expect(throws: ArchiveWriterError.self) { try chunk.withUnsafeBytes { try second.write($0) } }
        try second.endFile()
        let members = Self.readBack(try second.finish())
        #expect(members.map(\.data) == [Array("1234512345".utf8)])
    }

    @Test func memoryLimitIsEnforced() throws {
        var writer = try ArchiveWriter(format: .tar, memoryLimit: 4096)
        let big = [UInt8](repeating: 0x41, count: 64 * 1024)
        #expect(throws: ArchiveWriterError.self) {
            try writer.addFile(path: "big", contents: big, modified: Self.mtime)
            _ = try writer.finish()
        }
    }

    @Test func sameInputGivesSameBytes() throws {
        for format in ArchiveWriter.Format.allCases where format != .gzipRaw {
            #expect(try Self.sampleArchive(format) == Self.sampleArchive(format))
        }
    }

    @Test func writesToAFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("archive-writer-\(getpid()).tar.zst").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var writer = try ArchiveWriter(format: .tarZstd, path: path)
        try writer.addFile(path: "a.txt", contents: Array("hello\n".utf8), modified: Self.mtime)
        #expect(try writer.finish().isEmpty)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(Array(bytes.prefix(4)) == [0x28, 0xB5, 0x2F, 0xFD])
        #expect(Self.readBack(bytes).map(\.path) == ["a.txt"])
    }
}
