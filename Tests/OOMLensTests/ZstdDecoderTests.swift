import CZstd
import Foundation
import Testing
@testable import OOMLens

/// The buffer-less zstd decoder: every byte out across ring wraps and frames, and each kind of damage
/// reported with libarchive's words.
@Suite struct ZstdDecoderTests {
    /// Kernel log lines repeated with a counter: compressible, with back-references across blocks.
    static let text: [UInt8] = Array((0..<6_000).map {
        "Oct 12 19:00:\($0 % 60) aks-node-1 kernel: [ \($0).347333] Memory cgroup out of memory: Killed process \(183_960 + $0) (stress-ng-vm)\n"
    }.joined().utf8)

    /// One zstd frame of `bytes` (libzstd's own compressor), with a checksum unless told otherwise.
    static func zstd(_ bytes: [UInt8], windowLog: Int32 = 0, checksum: Bool = true) -> [UInt8] {
        guard let context = ZSTD_createCCtx() else { return [] }
        defer { ZSTD_freeCCtx(context) }
        _ = ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, checksum ? 1 : 0)
        if windowLog > 0 { _ = ZSTD_CCtx_setParameter(context, ZSTD_c_windowLog, windowLog) }
        var out = [UInt8](repeating: 0, count: ZSTD_compressBound(bytes.count))
        let size = out.withUnsafeMutableBytes { o in
            bytes.withUnsafeBytes { i in ZSTD_compress2(context, o.baseAddress, o.count, i.baseAddress, i.count) }
        }
        guard ZSTD_isError(size) == 0 else { return [] }
        return Array(out.prefix(size))
    }

    /// Everything the decoder gives for `file`, and the failure that ended it, if any.
    static func decode(_ file: [UInt8], inputSize: Int = 1 << 20, outputSize: Int = 256 << 10) throws -> (bytes: [UInt8], error: String?) {
        let temp = try TempBundle()
        defer { temp.remove() }
        let path = try temp.write("f.zst", file)
        guard var decoder = ZstdDecoder(path: Array(path.utf8CString), inputSize: inputSize, outputSize: outputSize) else {
            Issue.record("not opened as zstd")
            return ([], nil)
        }
        let (out, error) = drain(&decoder)
        if let error { return (out, error) }
        #expect(decoder.bytesIn == Int64(file.count))
        return (out, nil)
    }

    @Test(arguments: [(1 << 20, 256 << 10), (1, 1), (4096, 333)])
    func decodesEveryByteWhateverTheBufferSizes(input: Int, output: Int) throws {
        let (bytes, error) = try Self.decode(Self.zstd(Self.text), inputSize: input, outputSize: output)
        #expect(error == nil)
        #expect(bytes == Self.text)
    }

    /// Nine copies of the text (5.6 MB) wrap the ring (2.25 MB for a 1 KiB window) twice: blocks after
    /// each wrap still find what they refer back to.
    @Test func decodesAcrossRingWraps() throws {
        let long = Array([[UInt8]](repeating: Self.text, count: 9).joined())
        for windowLog: Int32 in [10, 20, 21] {
            let (bytes, error) = try Self.decode(Self.zstd(long, windowLog: windowLog, checksum: windowLog != 20))
            #expect(error == nil, "window 2^\(windowLog)")
            #expect(bytes == long, "window 2^\(windowLog)")
        }
    }

    /// Frames one after another, a skippable frame among them, and a later frame whose window (8 MiB)
    /// is larger than the first's: the ring grows between frames.
    @Test func decodesConcatenatedAndSkippableFrames() throws {
        let skippable: [UInt8] = [0x50, 0x2A, 0x4D, 0x18, 4, 0, 0, 0, 1, 2, 3, 4]
        let second = Array([[UInt8]](repeating: Self.text, count: 16).joined())
        let file = Self.zstd(Self.text, windowLog: 10) + skippable + Self.zstd(second, windowLog: 23) + Self.zstd(Array("one more line\n".utf8))
        for input in [1 << 20, 5] {
            let (bytes, error) = try Self.decode(file, inputSize: input)
            #expect(error == nil)
            #expect(bytes == Self.text + second + Array("one more line\n".utf8))
        }
    }

    @Test func reportsACutFileAfterGivingWhatItDecoded() throws {
        let whole = Self.zstd(Self.text)
        for cut in [whole.count / 2, whole.count - 2, 20] {
            let (bytes, error) = try Self.decode(Array(whole.prefix(cut)), outputSize: 4096)
            #expect(error == "Truncated zstd input", "cut at \(cut)")
            #expect(Self.text.starts(with: bytes), "cut at \(cut)")
        }
    }

    @Test func reportsAChecksumThatDoesNotMatchAndTrailingJunk() throws {
        var whole = Self.zstd(Self.text)
        whole[whole.count - 1] ^= 0xFF  // the frame checksum's last byte
        let (bytes, error) = try Self.decode(whole)
        #expect(bytes == Self.text)
        #expect(error == "Zstd decompression failed: Restored data doesn't match checksum")
        let (trailed, trailedError) = try Self.decode(Self.zstd(Self.text) + Array("not zstd".utf8))
        #expect(trailed == Self.text)
        #expect(trailedError == "Zstd decompression failed: Unknown frame descriptor")
    }

    static func opens(_ path: String) -> Bool {
        guard ZstdDecoder(path: Array(path.utf8CString)) != nil else { return false }
        return true
    }

    /// Not zstd, missing, too short, or a first window above 8 MiB (left to libarchive's decoder).
    @Test func declinesWhatItDoesNotDecode() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        #expect(!Self.opens(try temp.write("plain", Self.text)))
        #expect(!Self.opens(temp.path("missing")))
        #expect(!Self.opens(try temp.write("short", [0x28, 0xB5, 0x2F])))
        let big = Array([[UInt8]](repeating: Self.text, count: 30).joined())
        #expect(!Self.opens(try temp.write("wide", Self.zstd(big, windowLog: 24))))
        #expect(Self.opens(try temp.write("zst", Self.zstd(Self.text))))
    }

    /// A tar's end blocks leave the last frame's end unread: the reader decodes to it, so a damaged
    /// checksum still marks the bundle as damaged, after every member was delivered.
    @Test func bundleReaderChecksTheEndAfterTheLastMember() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let tar = try TempBundle.archiveBytes(.tar, [("b/var/log/syslog", Self.text)])
        var bytes = Self.zstd(tar)
        let good = try temp.write("good.tar.zst", bytes)
        bytes[bytes.count - 1] ^= 0xFF
        let bad = try temp.write("bad.tar.zst", bytes)
        let cut = try temp.write("cut.tar.zst", Array(bytes.prefix(bytes.count - 3)))
        for (path, complete) in [(good, true), (bad, false), (cut, false)] {
            var reader = BundleReader(limits: BundleLimits())
            var consumer = CollectingConsumer()
            let summary = reader.read(path, into: &consumer)
            #expect(summary.format == "tar.zst")
            #expect(consumer.contents["b/var/log/syslog"] == Self.text, "\(path)")
            #expect(summary.complete == complete, "\(path)")
            if !complete {
                #expect(summary.warnings.contains { $0.severity == .damage && $0.message.lowercased().contains("zstd") }, "\(path)")
            }
        }
    }
}
