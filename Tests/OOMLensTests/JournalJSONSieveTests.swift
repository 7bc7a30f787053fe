import Testing
@testable import OOMLens

/// Holds `JournalJSONParser`'s sieve to what reading every entry finds: reference samples turned into
/// `journalctl -o json` entries, embedded in ordinary entries.
@Suite struct JournalJSONSieveTests {
    static let fixtures = [
        "kernel-oom-cgroupv2-systemd-containerd-syslog-aks.log",
        "kernel-oom-cgroupv1-systemd-containerd-syslog-harvester.log",
        "kernel-oom-group-kill-syslog-aks-memory-oom-group.log",
        "kernel-oom-cgroupv2-swap-line-syslog-dpservice.log",
        "kubelet-eviction-memory-syslog-aks.log",
        "kubelet-eviction-journal-k8s132001.log",
        "kubelet-pleg-containerdied-exitcode-aks.log",
    ]

    static let firstBoot = "8a1b2c3d4e5f60718293a4b5c6d7e8f9"
    static let secondBoot = "1f2e3d4c5b6a79880796a5b4c3d2e1f0"

    /// JSON string content as journalctl writes it (`"`, `\` and control characters escaped): the
    /// report's own escaper, `JSONWriter.escape`, without the quotes around the literal.
    static func escaped(_ text: Substring) -> String {
        var literal: [UInt8] = []
        JSONWriter.escape(String(text), into: &literal)
        return String(decoding: literal.dropFirst().dropLast(), as: UTF8.self)
    }

    /// One entry with the fields systemd adds to a service's lines (`_CMDLINE` holding words the
    /// message sieve looks for, to show that only the message is sieved).
    static func entry(seconds: Int64, boot: String, host: String, program: String, pid: String?, message: String,
                      uptime: String? = nil) -> String {
        var fields = [
            ("__CURSOR", "s=6f0b2c1d9a8e4b7f8c3d2e1f0a9b8c7d;i=\(seconds);b=\(boot);x=\(seconds % 977)"),
            ("__REALTIME_TIMESTAMP", "\(seconds)000123"),
            ("__MONOTONIC_TIMESTAMP", uptime ?? "\(seconds % 100_000)000456"),
            ("_BOOT_ID", boot), ("PRIORITY", "6"), ("SYSLOG_IDENTIFIER", program), ("_HOSTNAME", host),
        ]
        if program == "kernel" {
            fields.append(("_TRANSPORT", "kernel"))
        } else {
            fields += [("_TRANSPORT", "stdout"), ("_PID", pid ?? "1"), ("_COMM", program),
                       ("_CMDLINE", "/usr/local/bin/\(program) --eviction-hard=memory.available<750Mi --v=2"),
                       ("_SYSTEMD_UNIT", "\(program).service")]
        }
        fields.append(("MESSAGE", message))
        return "{" + fields.map { "\"\($0.0)\":\"\($0.1)\"" }.joined(separator: ",") + "}"
    }

    /// The fixture's syslog lines (`Oct 12 19:00:20 host kernel: [ 8523.347168] …`) as entries of `boot`.
    static func entries(of fixture: String, boot: String) throws -> [String] {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let pattern = /^([A-Z][a-z]{2}) +(\d+) (\d\d):(\d\d):(\d\d) (\S+) ([^ :\[]+)(?:\[(\d+)\])?: (.*)$/
        return try Fixture.text(fixture).split(separator: "\n").compactMap { line -> String? in
            guard let m = try? pattern.wholeMatch(in: line), let month = months.firstIndex(of: String(m.1)),
                  let day = Int(m.2), let hour = Int64(m.3), let minute = Int64(m.4), let second = Int64(m.5)
            else { return nil }
            let seconds = CivilTime.daysFromCivil(year: 2024, month: month + 1, day: day) * 86_400
                + hour * 3600 + minute * 60 + second
            var message = m.9
            var uptime: String?
            if m.7 == "kernel", message.hasPrefix("["), let close = message.firstIndex(of: "]") {
                let stamp = message[message.index(after: message.startIndex)..<close].split(separator: ".")
                if stamp.count == 2, let whole = Int(stamp[0].drop { $0 == " " }) { uptime = "\(whole)\(stamp[1])" }
                message = message[message.index(after: close)...].drop { $0 == " " }
            }
            return entry(seconds: seconds, boot: boot, host: String(m.6), program: String(m.7), pid: m.8.map(String.init),
                         message: escaped(message), uptime: uptime)
        }
    }

    /// Ordinary entries: none holds a sieve needle in its message, some have escapes, a multi-line
    /// message, a `MESSAGE_ID`; one in 50 has a `null` message and one in 70 a byte-array message,
    /// which are always read.
    static func noise(count: Int, from seconds: Int64, boot: String, seed: UInt64) -> [String] {
        let messages: [(String, String)] = [
            ("kubelet", #"I0314 10:00:01.000000    2480 kubelet_pods.go:1082] \"Clean up pods\" pods=[\"default/web-1\"]"#),
            ("kubelet", #"I0314 10:00:02.000000    2480 prober.go:107] \"Probe succeeded\" probeType=\"Readiness\" pod=\"default/web-1\""#),
            ("containerd", #"time=\"2024-03-14T10:00:03.000000000Z\" level=info msg=\"ImageCreate event name:\\\"sha256:1\\\"\""#),
            ("systemd", "Started Session 42 of User azureuser."),
            ("kernel", "cni0: port 3(veth1a2b3c4d) entered forwarding state"),
            ("sshd", #"Accepted publickey for azureuser from 10.0.0.4 port 50122 ssh2\nsecond line"#),
            ("kubelet", #"E0314 10:00:04.000000    2480 pod_workers.go:1300] \"Error syncing pod, skipping\" err=\"failed to \\\"StartContainer\\\"\""#),
        ]
        var rng = XorShift(seed: seed)
        return (0..<count).map { k in
            let (program, message) = messages[Int(rng.next() % UInt64(messages.count))]
            var line = entry(seconds: seconds + Int64(k), boot: boot, host: "aks-nodepool1-24207654-vmss000001",
                             program: program, pid: "2480", message: message)
            if k % 50 == 49 {
                line = line.replacingOccurrences(of: "\"MESSAGE\":\"\(message)\"", with: "\"MESSAGE\":null")
            } else if k % 70 == 69 {
                line = line.replacingOccurrences(of: "\"MESSAGE\":\"\(message)\"", with: "\"MESSAGE\":[83,116,97,114,116,27,91,48,109]")
            } else if k % 13 == 12 {
                line = line.replacingOccurrences(of: "\"PRIORITY\"", with: "\"MESSAGE_ID\":\"39f53479d3a045ac8e11786248231fbf\",\"PRIORITY\"")
            }
            return line
        }
    }

    /// Parses in blocks of `blockSize` bytes, as the reader does.
    static func parse(_ lines: [String], sieving: Bool, blockSize: Int) -> ParseOutput {
        let context = ParseContext(path: "journal.json", kind: .journalJSON, nodeHint: "node-1")
        var parsing = LineParsing(JournalJSONParser(context: context, sieving: sieving), context: context)
        return parsing.parseAll(Array(lines.joined(separator: "\n").utf8) + [UInt8.newline], blockSize: blockSize)
    }

    @Test("reference samples as journal entries, in noise and across a reboot, give the same results sieved",
          arguments: fixtures)
    func samplesInNoise(fixture: String) throws {
        let sample = try Self.entries(of: fixture, boot: Self.firstBoot)
        try #require(sample.count >= 3)
        let start: Int64 = 1_710_400_000
        // A damaged (cut) entry, then the sample, then a reboot in the middle of the noise.
        let lines = Self.noise(count: 400, from: start, boot: Self.firstBoot, seed: 1)
            + [String(Self.noise(count: 1, from: start, boot: Self.firstBoot, seed: 2)[0].dropLast(20))]
            + sample
            + Self.noise(count: 333, from: start + 1000, boot: Self.firstBoot, seed: 3)
            + Self.noise(count: 300, from: start + 2000, boot: Self.secondBoot, seed: 4)
        for blockSize in [4096, 97, 1 << 20] {
            let full = Self.parse(lines, sieving: false, blockSize: blockSize)
            let sieved = Self.parse(lines, sieving: true, blockSize: blockSize)
            #expect(sieved.observations == full.observations, "\(fixture), blocks of \(blockSize)")
            #expect(sieved.diagnostics == full.diagnostics, "\(fixture), blocks of \(blockSize)")
            for hint in sieved.clockHints {
                #expect(full.clockHints.contains { Self.sameClock(hint, $0) }, "\(fixture): \(hint)")
            }
            #expect(full.observations.contains { $0.kind == .nodeBoot }, "\(fixture): the reboot is seen")
            #expect(full.observations.contains { $0.kind != .nodeBoot }, "\(fixture): the sample gives evidence")
        }
    }

    /// The same hint, or for boot times the same node and a boot within 5 s: the sieve reads fewer
    /// entries, so a boot's time may be cited from another entry of that boot (as in `LineSieveTests`).
    static func sameClock(_ a: ClockHint, _ b: ClockHint) -> Bool {
        guard case let .bootTime(nodeA, bootA, _) = a, case let .bootTime(nodeB, bootB, _) = b else { return a == b }
        return nodeA == nodeB && abs(bootA.secondsSinceEpoch - bootB.secondsSinceEpoch) <= 5
    }

    @Test("ordinary entries of the same boot are passed over; null, byte-array and other-boot ones are read")
    func noiseIsPassedOver() {
        let context = ParseContext(path: "journal.json", kind: .journalJSON, nodeHint: "node-1")
        var parser = JournalJSONParser(context: context)
        var output = ParseOutput()
        let lines = Self.noise(count: 140, from: 1_710_400_000, boot: Self.firstBoot, seed: 5)
        Array(lines[0].utf8).withUnsafeBytes { parser.parse(Line(bytes: $0, number: 1), into: &output) }
        for (k, line) in lines.enumerated() {
            let passed = Array(line.utf8).withUnsafeBytes { parser.mayPassOver($0) } != nil
            let alwaysRead = k % 50 == 49 || k % 70 == 69
            #expect(passed == !alwaysRead, "entry \(k): \(line)")
        }
        let otherBoot = Self.noise(count: 1, from: 1_710_400_000, boot: Self.secondBoot, seed: 5)[0]
        #expect(Array(otherBoot.utf8).withUnsafeBytes { parser.mayPassOver($0) } == nil)
    }
}
