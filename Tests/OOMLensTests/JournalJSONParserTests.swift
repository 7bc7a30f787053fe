import Foundation
import Testing
@testable import OOMLens

@Suite struct JournalJSONParserTests {
    private func parse(_ text: String, node: String? = nil) -> ParseOutput {
        LineParsing<JournalJSONParser>.parse(text, context: ParseContext(path: "journal.json", kind: .journalJSON, nodeHint: node))
    }

    /// The AKS fixture's kernel records as `journalctl -o json` entries (syslog prefix and uptime moved into fields).
    private func aksAsJournal(compact: Bool) throws -> String {
        let lines = try Fixture.text("kernel-oom-cgroupv2-systemd-containerd-syslog-aks.log").split(separator: "\n")
        var out = ""
        for line in lines {
            guard let marker = line.range(of: " kernel: [") else { continue }
            let afterKernel = line[marker.upperBound...]
            guard let close = afterKernel.firstIndex(of: "]") else { continue }
            let uptime = afterKernel[..<close].trimmingCharacters(in: .whitespaces)
            let message = String(afterKernel[afterKernel.index(close, offsetBy: 2)...])
            let parts = uptime.split(separator: ".")
            let monotonic = String(parts[0]) + String(parts[1])
            let fields: [(String, String)] = [
                ("__REALTIME_TIMESTAMP", "1697137220\(monotonic.suffix(6))"), ("__MONOTONIC_TIMESTAMP", monotonic),
                ("_BOOT_ID", "6f0b2c1d9a8e4b7f8c3d2e1f0a9b8c7d"), ("_TRANSPORT", "kernel"), ("PRIORITY", "6"),
                ("SYSLOG_IDENTIFIER", "kernel"), ("_HOSTNAME", "aks-nodepool1-24207654-vmss000001"),
                ("MESSAGE", message.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")),
            ]
            let sep = compact ? ":" : " : "
            out += "{" + fields.map { "\"\($0.0)\"\(sep)\"\($0.1)\"" }.joined(separator: compact ? "," : ", ") + "}\n"
        }
        return out
    }

    @Test(arguments: [true, false])
    func kernelReportFromJournalEntries(compact: Bool) throws {
        let out = parse(try aksAsJournal(compact: compact))
        let kills = out.observations.filter { $0.kind == .kernelOOMKill }
        try #require(kills.count == 2)
        let k = kills[0]
        #expect(k.process == ProcessRef(name: "stress-ng-vm", pid: 183960))
        #expect(k.node == "aks-nodepool1-24207654-vmss000001")
        #expect(k.containerID == "25a38b5b8d556d7983d975577f5ac75ebbcfb4b269e6deaa0a0440c1ffc969ca")
        #expect(k.podUID == "5931aa75-4603-4e65-b552-7c71cf55cfb5")
        #expect(k.memory?.limitBytes == Int64(102_400 * 1024))
        #expect(k.kernel?.cgroupVersion == 2)
        #expect(k.kernel?.incomplete == false)
        #expect(k.time == TimeReading(.instant(Instant(seconds: 1_697_137_220, nanoseconds: 347_333_000)), text: "1697137220347333"))
        #expect(k.secondaryTime == TimeReading(.sinceBoot(seconds: 8523.347333), text: "8523347333"))
        #expect(out.clockHints.contains(.datedRecord(Instant(seconds: 1_697_137_220, nanoseconds: 444_701_000))))
        #expect(out.clockHints.contains { if case .bootTime(let node, _, _) = $0 { return node == k.node } else { return false } })
    }

    @Test func byteArrayEscapesAndMultiLineMessages() throws {
        // `Killed process 7 (a"b)` with the quote escaped, `\u00e9` and a multi-line record.
        let killed = Array("Out of memory: Killed process 7 (x) total-vm:1kB, anon-rss:3kB, file-rss:0kB, shmem-rss:0kB\r".utf8)
        let text = """
            {"__REALTIME_TIMESTAMP":"1700000000000001","SYSLOG_IDENTIFIER":"kernel","MESSAGE":[\(killed.map(String.init).joined(separator: ","))]}
            {"__REALTIME_TIMESTAMP":"1700000100000000","SYSLOG_IDENTIFIER":"kernel","MESSAGE":"Memory cgroup out of memory: Killed process 8 (caf\\u00e9 \\"q\\") total-vm:1kB, anon-rss:5kB"}
            {"__REALTIME_TIMESTAMP":"1700000200000000","_TRANSPORT":"kernel","MESSAGE":"Memory cgroup stats for /kubepods/pod200f55f9-b043-11ea-b578-fa163e82605e:\\nanon 1062739968\\nfile 0"}

            """
        let kills = parse(text).observations.filter { $0.kind == .kernelOOMKill }
        try #require(kills.count == 3)
        #expect(kills[0].process == ProcessRef(name: "x", pid: 7))
        #expect(kills[0].memory?.anonRSSBytes == Int64(3 * 1024))
        #expect(kills[0].kernel?.constraint == KernelOOMDetails.Constraint.none)
        #expect(kills[1].process == ProcessRef(name: "café \"q\"", pid: 8))
        #expect(kills[2].podUID == "200f55f9-b043-11ea-b578-fa163e82605e")
        #expect(kills[2].time?.time == .instant(Instant(seconds: 1_700_000_200)))
    }

    @Test func nullMessagesAndPrettyOutputAreReported() {
        let out = parse("""
            {"__REALTIME_TIMESTAMP":"1700000000000001","SYSLOG_IDENTIFIER":"kubelet","MESSAGE":null}
            {"__REALTIME_TIMESTAMP":"1700000000000002","SYSLOG_IDENTIFIER":"kubelet","MESSAGE":null}
            {
                "MESSAGE" : "x"
            }

            """)
        #expect(out.observations.isEmpty)
        let null = out.diagnostics.first { $0.message.contains("MESSAGE null") }
        #expect(null?.message.hasPrefix("2 journal entries") == true)
        #expect(null?.line == 1)
        let pretty = out.diagnostics.first { $0.message.contains("not one JSON object") }
        #expect(pretty?.message.hasPrefix("3 line(s)") == true)
        #expect(pretty?.line == 3)
    }

    @Test func bootIDChangeMakesNodeBoot() {
        let out = parse("""
            {"__REALTIME_TIMESTAMP":"1700000000000000","_BOOT_ID":"aaaa","_HOSTNAME":"n1","SYSLOG_IDENTIFIER":"sshd","MESSAGE":"x"}
            {"__REALTIME_TIMESTAMP":"1700000001000000","_BOOT_ID":"aaaa","_HOSTNAME":"n1","SYSLOG_IDENTIFIER":"sshd","MESSAGE":"y"}
            {"__REALTIME_TIMESTAMP":"1700009000000000","_BOOT_ID":"bbbb","_HOSTNAME":"n1","SYSLOG_IDENTIFIER":"sshd","MESSAGE":"z"}

            """)
        let boots = out.observations.filter { $0.kind == .nodeBoot }
        #expect(boots.count == 1)
        #expect(boots.first?.location.line == 3)
        #expect(boots.first?.node == "n1")
        #expect(boots.first?.time?.time == .instant(Instant(seconds: 1_700_009_000)))
        #expect(boots.first?.message == "_BOOT_ID=bbbb")
        #expect(out.clockHints == [.datedRecord(Instant(seconds: 1_700_009_000))])
    }

    @Test func unescapeAndByteArrays() {
        var out: [UInt8] = []
        Array(#"a\"b\\c\n\u00e9\ud83d\ude00\u12"#.utf8).withUnsafeBytes { JournalJSONParser.unescape($0, into: &out) }
        #expect(String(decoding: out, as: UTF8.self) == "a\"b\\c\né😀\u{FFFD}12")
        Array("32, 32,121,13,999,x".utf8).withUnsafeBytes { JournalJSONParser.byteArray($0, into: &out) }
        #expect(out == [32, 32, 121, 13])
    }

    @Test func randomCutsAndBytesNeverCrash() throws {
        let base = Array(try aksAsJournal(compact: true).utf8)
        var seed: UInt64 = 1234
        for round in 0..<200 {
            var bytes = base
            for _ in 0..<(round % 20) {
                let i = Int(xorshift(&seed) % UInt64(bytes.count))
                bytes[i] = [UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "{"), UInt8(ascii: "["), 0x0A, 0xFF][Int(xorshift(&seed) % 6)]
            }
            let cut = Int(xorshift(&seed) % UInt64(bytes.count))
            _ = LineParsing<JournalJSONParser>.parse(
                Array(bytes[..<cut]), context: ParseContext(path: "j", kind: .journalJSON), blockSize: 1 + round)
            let random = (0..<(round * 11)).map { _ in UInt8(truncatingIfNeeded: xorshift(&seed)) }
            _ = LineParsing<JournalJSONParser>.parse([UInt8(ascii: "{")] + random, context: ParseContext(path: "j", kind: .journalJSON))
        }
        // A 2 MB message full of escapes stays linear.
        let huge = "{\"MESSAGE\":\"" + String(repeating: "\\\"", count: 1 << 20) + "\"}\n"
        var parser = LineParsing<JournalJSONParser>(context: ParseContext(path: "j", kind: .journalJSON), maxLineBytes: 4 << 20)
        var output = ParseOutput()
        Array(huge.utf8).withUnsafeBytes { parser.feed($0, into: &output) }
        parser.finish(into: &output)
        #expect(output.observations.isEmpty)
    }
}
