import Foundation
import Testing
@testable import OOMLens

/// The igzip inflater: every byte out, member after member, and each kind of damage reported.
@Suite struct GzipInflaterTests {
    /// Kernel log lines repeated with a counter: compressible, but with enough variety for real deflate blocks.
    static let text: [UInt8] = Array((0..<6_000).map {
        "Oct 12 19:00:\($0 % 60) aks-node-1 kernel: [ \($0).347333] Memory cgroup out of memory: Killed process \(183_960 + $0) (stress-ng-vm)\n"
    }.joined().utf8)

    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        var writer = try ArchiveWriter(format: .gzipRaw)
        try writer.addFile(path: "syslog", contents: bytes, modified: 0)
        return try writer.finish()
    }

    /// Everything the inflater gives for `file`, and the failure that ended it, if any.
    static func inflate(_ file: [UInt8], inputSize: Int = 1 << 20, outputSize: Int = 256 << 10) throws -> (bytes: [UInt8], error: String?) {
        let temp = try TempBundle()
        defer { temp.remove() }
        let path = try temp.write("f.gz", file)
        guard var inflater = GzipInflater(path: Array(path.utf8CString), inputSize: inputSize, outputSize: outputSize) else {
            Issue.record("not recognised as gzip")
            return ([], nil)
        }
        let (out, error) = drain(&inflater)
        if let error { return (out, error) }
        #expect(inflater.bytesIn <= Int64(file.count))
        return (out, nil)
    }

    @Test(arguments: [(1 << 20, 256 << 10), (7, 13), (1, 1), (4096, 333)])
    func inflatesEveryByteWhateverTheBufferSizes(input: Int, output: Int) throws {
        let (bytes, error) = try Self.inflate(try Self.gzip(Self.text), inputSize: input, outputSize: output)
        #expect(error == nil)
        #expect(bytes == Self.text)
    }

    @Test func inflatesConcatenatedMembersAndIgnoresTrailingBytes() throws {
        let first = try Self.gzip(Self.text)
        let second = try Self.gzip(Array("one more line\n".utf8))
        for input in [1 << 20, 5] {
            let (both, error) = try Self.inflate(first + second, inputSize: input)
            #expect(error == nil)
            #expect(both == Self.text + Array("one more line\n".utf8))
            let (trailed, trailedError) = try Self.inflate(first + Array("not gzip".utf8), inputSize: input)
            #expect(trailedError == nil)
            #expect(trailed == Self.text)
        }
    }

    /// A stream cut short and followed by the last bytes of another part of it, as a fuzzer's erasure
    /// makes: igzip then often stops on a bad back-reference near the end of its input, and it may
    /// leave `avail_in` above what it was given (the inflater's byte count trapped on one such file,
    /// 1,157 bytes). Every such file must end in a reported failure, never a trap.
    @Test func damagedStreamsEndInAFailureNotATrap() throws {
        let whole = try Self.gzip(Array(Self.text.prefix(40_000)))
        let tail = Array(whole.suffix(16))
        var failures = 0, files = 0
        for cut in stride(from: 10, to: whole.count - 16, by: 7) {
            let (_, error) = try Self.inflate(Array(whole.prefix(cut)) + tail, outputSize: 4096)
            files += 1
            if let error {
                failures += 1
                #expect(error.hasPrefix("gzip decompression failed") || error == "truncated gzip input", "cut at \(cut): \(error)")
            }
        }
        #expect(failures == files)
    }

    @Test func reportsACutFileAfterGivingWhatItInflated() throws {
        let whole = try Self.gzip(Self.text)
        for cut in [whole.count / 2, whole.count - 4, 11] {
            let (bytes, error) = try Self.inflate(Array(whole.prefix(cut)), outputSize: 4096)
            #expect(error == "truncated gzip input", "cut at \(cut)")
            #expect(Self.text.starts(with: bytes), "cut at \(cut)")
            if cut > whole.count / 2 { #expect(bytes.count > Self.text.count / 4) }
        }
    }

    /// The bytes inflated before the damage are handed out, even those of the igzip call that met it:
    /// a member written by hand, one fixed-Huffman block of 40 literals (`a`…`z`, `a`…`n`) and then a
    /// copy of 10 bytes from 100 back, before the stream's start (zlib also gives the 40 bytes and then
    /// "invalid distance too far back"). The whole block is one igzip call with a large buffer.
    @Test func givesTheBytesBeforeABadBackReference() throws {
        let hex = "1f8b08000000000000034b4c4a4e494d4bcfc8cccacec9cdcb2f282c2a2e292d2bafa8ac4a4c4a4e494d4bcfc8cccacec9cd43d801000000000032000000"
        var member: [UInt8] = []
        var at = hex.startIndex
        while at < hex.endIndex {
            let next = hex.index(at, offsetBy: 2)
            member.append(try #require(UInt8(hex[at..<next], radix: 16)))
            at = next
        }
        let (bytes, error) = try Self.inflate(member)
        #expect(bytes == Array("abcdefghijklmnopqrstuvwxyzabcdefghijklmn".utf8))
        #expect(error == "gzip decompression failed: invalid back-reference distance")
    }

    @Test func reportsATrailerThatDoesNotMatch() throws {
        var whole = try Self.gzip(Self.text)
        whole[whole.count - 8] ^= 0xFF  // the CRC-32's first byte
        let (bytes, error) = try Self.inflate(whole)
        #expect(bytes == Self.text)
        #expect(error?.hasPrefix("gzip decompression failed") == true)
    }

    @Test func reportsAnInvalidStream() throws {
        var whole = try Self.gzip(Self.text)
        for index in 10..<40 { whole[index] = 0xFF }
        let (_, error) = try Self.inflate(whole)
        #expect(error?.hasPrefix("gzip decompression failed") == true)
    }

    static func opens(_ path: String) -> Bool {
        guard GzipInflater(path: Array(path.utf8CString)) != nil else { return false }
        return true
    }

    @Test func declinesAFileThatIsNotGzip() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let plain = try temp.write("plain", Self.text)
        #expect(!Self.opens(plain))
        #expect(!Self.opens(temp.path("missing")))
        #expect(!Self.opens(try temp.write("short", [0x1F, 0x8B])))
        #expect(Self.opens(try temp.write("gz", try Self.gzip(Self.text))))
    }

    /// A tar's end blocks leave the gzip trailer unread: the reader inflates to it, so a damaged trailer
    /// still marks the bundle as damaged, after every member was delivered.
    @Test func bundleReaderChecksTheTrailerAfterTheLastMember() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        var bytes = try TempBundle.archiveBytes(.tarGzip, [("b/var/log/syslog", Self.text)])
        let good = try temp.write("good.tar.gz", bytes)
        bytes[bytes.count - 8] ^= 0xFF
        let bad = try temp.write("bad.tar.gz", bytes)
        let cut = try temp.write("cut.tar.gz", Array(bytes.prefix(bytes.count - 3)))
        for (path, complete) in [(good, true), (bad, false), (cut, false)] {
            var reader = BundleReader(limits: BundleLimits())
            var consumer = CollectingConsumer()
            let summary = reader.read(path, into: &consumer)
            #expect(summary.format == "tar.gz")
            #expect(consumer.contents["b/var/log/syslog"] == Self.text, "\(path)")
            #expect(summary.complete == complete, "\(path)")
            if !complete {
                #expect(summary.warnings.contains { $0.severity == .damage && $0.message.contains("gzip") }, "\(path)")
            }
        }
    }
}
