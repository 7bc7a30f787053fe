import Testing
@testable import OOMLens
import BundleGenerator

/// The node-log sieve passes lines over unparsed: these tests hold it to what reading every line finds.
@Suite("Line sieve")
struct LineSieveTests {
    @Test("every message parser's needle and every boot marker holds a sieve needle")
    func sieveCoversParsers() {
        for needle in LogRecordDispatcher.parserNeedles {
            let covered = needle.withUnsafeBytes { LogRecordDispatcher.sieve.occurs(in: $0) }
            #expect(covered, "\(String(decoding: needle, as: UTF8.self)) has no sieve needle")
        }
    }

    /// Every position whose bytes fit a fingerprint without starting a needle sends the scan back to be
    /// checked: the grouping of the needles keeps such positions rare in node logs.
    @Test("the sieve's fingerprints are rare in ordinary node-log lines")
    func fingerprintsAreRareInNoise() throws {
        let generator = try BundleGenerator(scenario: BundleGeneratorTests.scenario("liveness-kill.json"), noiseLinesPerNode: 5000)
        var text = Array((Self.noise + ["I0311 07:00:57.000000    2351 kubelet.go:2443] \"SyncLoop RECONCILE\" source=\"api\""])
            .joined(separator: "\n").utf8)
        for member in generator.members() where member.path.hasSuffix(".log") || member.path.hasSuffix("syslog") {
            text += member.bytes()
        }
        let fits = text.withUnsafeBytes { LogRecordDispatcher.sieve.fingerprintFits(in: $0) }
        let strayPerMB = Double(fits.positions - fits.needles) / (Double(text.count) / 1e6)
        #expect(text.count > 1_000_000)
        #expect(fits.needles > 0)
        // 2,580 a MB on this text with the grouping before this test, 20 with this one.
        #expect(strayPerMB < 50, "\(fits.positions - fits.needles) stray fits in \(text.count) bytes")
    }

    /// Ordinary lines of the shapes node logs are full of (none holds a sieve needle).
    static let noise = [
        "Mar 11 07:08:15 aks-user-31415926-vmss000000 kernel: [ 3253.265477] cni0: port 35(veth63093ca3) entered forwarding state",
        "Mar 11 07:08:28 aks-user-31415926-vmss000000 systemd[1]: run-containerd-runc-k8s.io-8af3425ad308db903bfd61cd45c12d87e71d3c965dd8dff0236a3dac14d1e02a-runc.4cl6x7.mount: Deactivated successfully.",
        #"Mar 11 07:00:56 aks-user-31415926-vmss000000 kubelet[2351]: I0311 07:00:56.479893    2351 kubelet.go:2428] "SyncLoop UPDATE" source="api" pods=["shop/checkout-api-6c9f7d8b5d-x2x9k"]"#,
        #"Mar 11 07:00:56 aks-user-31415926-vmss000000 kubelet[2351]: I0311 07:00:56.851938    2351 kubelet.go:2542] "SyncLoop (probe)" probe="readiness" status="ready" pod="kube-system/kube-proxy-m4k9d""#,
        #"Mar 11 07:07:13 aks-user-31415926-vmss000000 containerd[2012]: time="2024-03-11T07:07:13.20270564Z" level=info msg="ExecSync for \"d5593e2dfd5f379d410813d851fa6f6deb67a8ae7ba31bbf3b418044c2014db4\" returns with exit code 0""#,
        "I0311 07:01:03.345135    2351 operation_generator.go:721] \"MountVolume.SetUp succeeded for volume\"",
        "plain text that continues nothing",
        "    an indented line",
    ]

    /// The node-log fixtures and the kinds of file they are read as.
    static let samples: [(String, [FileKind])] = [
        ("containerd-taskexit-events-formats.log", [.nodeLog, .containerdLog]),
        ("containerd-taskoom-gogo-format.log", [.nodeLog, .containerdLog]),
        ("crio-logrus-format-oom-test.log", [.crioLog]),
        ("kernel-oom-cgroupv1-cgroupfs-containerd-syslog-nohost-eks.log", [.nodeLog]),
        ("kernel-oom-cgroupv1-cgroupfs-wrapped-lines-kubedirector.log", [.dmesg]),
        ("kernel-oom-cgroupv1-docker-kernel4.8-noprefix.log", [.dmesg]),
        ("kernel-oom-cgroupv1-memcg-kernel3.13-noprefix.log", [.dmesg]),
        ("kernel-oom-cgroupv1-systemd-containerd-syslog-harvester.log", [.nodeLog]),
        ("kernel-oom-cgroupv2-swap-line-syslog-dpservice.log", [.nodeLog]),
        ("kernel-oom-cgroupv2-systemd-containerd-syslog-aks.log", [.nodeLog]),
        ("kernel-oom-constraint-none-global_oom-docker-scope.log", [.nodeLog, .dmesg]),
        ("kernel-oom-dmesg-T-cgroupv1-cgroupfs-docker-el7-k8s56891.log", [.dmesg]),
        ("kernel-oom-dmesg-T-cgroupv1-systemd-containerd-harvester.log", [.dmesg]),
        ("kernel-oom-dmesg-T-cgroupv2-stat-continuation-kata.log", [.dmesg]),
        ("kernel-oom-global-kernel3.13-noprefix.log", [.dmesg]),
        ("kernel-oom-global-meminfo-continuation-dmesg-T.log", [.dmesg]),
        ("kernel-oom-group-kill-dmesg-caller-id-linux-mm.log", [.dmesg]),
        ("kernel-oom-group-kill-syslog-aks-memory-oom-group.log", [.nodeLog]),
        ("kernel-oom-memcg-dmesg-raw-kernel5.4-uwsgi.log", [.dmesg]),
        ("kernel-oom-talos-kmsg-iso-prefix.log", [.dmesg]),
        ("kubelet-eviction-journal-k8s132001.log", [.nodeLog, .kubeletLog]),
        ("kubelet-eviction-memory-syslog-aks.log", [.nodeLog, .kubeletLog]),
        ("kubelet-eviction-observations-unstructured-k8s107024.log", [.nodeLog, .kubeletLog]),
        ("kubelet-eviction-unstructured-k8s1.5-era.log", [.nodeLog, .kubeletLog]),
        ("kubelet-json-logging-format-talosctl.log", [.kubeletLog]),
        ("kubelet-killing-grace-period-short-precise-k8s111762.log", [.nodeLog, .kubeletLog]),
        ("kubelet-klog-docs-examples.txt", [.kubeletLog]),
        ("kubelet-oom-event-cadvisor-manager-k8s53669.log", [.nodeLog, .kubeletLog]),
        ("kubelet-pleg-backoff-unstructured-1.20.log", [.nodeLog, .kubeletLog]),
        ("kubelet-pleg-containerdied-exitcode-aks.log", [.nodeLog, .kubeletLog]),
        ("kubelet-pleg-rsyslog-iso8601-azurelinux.log", [.nodeLog]),
        ("systemd-unit-oom-kill-journal.log", [.nodeLog]),
    ]

    /// Parses `lines` in blocks of `blockSize` bytes, with or without the sieve, as the reader does
    /// (`LineParsing`: lines passed over in bulk where the parser says so), or with `inBulk` false
    /// every line split and handed to the parser, which passes over them one by one.
    private func parse(_ lines: [String], kind: FileKind, sieving: Bool, blockSize: Int, inBulk: Bool = true) -> ParseOutput {
        let bytes = Array(lines.joined(separator: "\n").utf8) + [UInt8.newline]
        let context = ParseContext(path: "sample.log", kind: kind, nodeHint: "node-1")
        var parsing = LineParsing(NodeLogParser(context: context, sieving: sieving), context: context)
        var parser = NodeLogParser(context: context, sieving: sieving)
        var splitter = LineSplitter()
        var output = ParseOutput()
        bytes.withUnsafeBytes { all in
            var offset = 0
            while offset < all.count {
                let end = min(all.count, offset + blockSize)
                if inBulk {
                    parsing.feed(all.slice(offset..<end), into: &output)
                } else {
                    parser.blockWillStart(all.slice(offset..<end))
                    splitter.feed(all.slice(offset..<end)) { parser.parse($0, into: &output) }
                    parser.blockDidEnd()
                }
                offset = end
            }
        }
        if inBulk {
            parsing.finish(into: &output)
        } else {
            splitter.finish { parser.parse($0, into: &output) }
            parser.finish(into: &output)
        }
        return output
    }

    /// The sample's lines with noise before, after and (when `interleave` > 0) between them.
    private func embed(_ sample: [String], interleave: Int, seed: UInt64) -> [String] {
        var rng = XorShift(seed: seed)
        var lines = (0..<300).map { _ in Self.noise.randomElement(using: &rng) ?? "" }
        for (k, line) in sample.enumerated() {
            lines.append(line)
            if interleave > 0, k % interleave == interleave - 1 {
                lines += (0..<Int.random(in: 1...5, using: &rng)).map { _ in Self.noise.randomElement(using: &rng) ?? "" }
            }
        }
        lines += (0..<300).map { _ in Self.noise.randomElement(using: &rng) ?? "" }
        return lines
    }

    @Test("reference samples embedded in noise give the same observations with the sieve as without",
          arguments: LineSieveTests.samples.map(\.0))
    func samplesInNoise(fixture: String) throws {
        let kinds = Self.samples.first { $0.0 == fixture }?.1 ?? [.nodeLog]
        let sample = try Fixture.text(fixture).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var observed = 0
        for kind in kinds {
            for (interleave, blockSize) in [(0, 4096), (7, 4096), (3, 97)] {
                let lines = embed(sample, interleave: interleave, seed: UInt64(interleave + 1))
                let full = parse(lines, kind: kind, sieving: false, blockSize: blockSize)
                let sieved = parse(lines, kind: kind, sieving: true, blockSize: blockSize)
                // Passing over in bulk reads exactly the lines passing over one by one reads.
                let oneByOne = parse(lines, kind: kind, sieving: true, blockSize: blockSize, inBulk: false)
                #expect(sieved.observations == oneByOne.observations, "\(fixture) as \(kind), interleave \(interleave)")
                #expect(sieved.clockHints == oneByOne.clockHints, "\(fixture) as \(kind), interleave \(interleave)")
                #expect(sieved.diagnostics == oneByOne.diagnostics, "\(fixture) as \(kind), interleave \(interleave)")
                #expect(sieved.observations == full.observations, "\(fixture) as \(kind), interleave \(interleave)")
                #expect(sieved.diagnostics == full.diagnostics, "\(fixture) as \(kind), interleave \(interleave)")
                for hint in sieved.clockHints {
                    #expect(full.clockHints.contains { Self.sameClock(hint, $0) }, "\(fixture) as \(kind): \(hint)")
                }
                observed += full.observations.count
            }
        }
        // The sample holds evidence (but for two format samples), so the comparison is not between two empty results.
        let formatOnly = ["kubelet-json-logging-format-talosctl.log", "kubelet-klog-docs-examples.txt"]
        #expect(observed > 0 || formatOnly.contains(fixture), "\(fixture) gave no observations")
    }

    /// The same hint, or for wall clock + uptime pairs the same node and a boot time within 5 s (the
    /// sieve reads fewer lines, so a hint for a boot may come from another line of that boot).
    static func sameClock(_ a: ClockHint, _ b: ClockHint) -> Bool {
        guard case let .wallAndUptime(nodeA, wallA, upA, fileA) = a, case let .wallAndUptime(nodeB, wallB, upB, fileB) = b
        else { return a == b }
        func boot(_ wall: CivilTime, _ uptime: Double) -> Double {
            Double(CivilTime.daysFromCivil(year: wall.year ?? 2001, month: wall.month, day: wall.day) * 86_400)
                + Double(wall.hour * 3600 + wall.minute * 60 + wall.second) - uptime
        }
        return nodeA == nodeB && fileA == fileB && abs(boot(wallA, upA) - boot(wallB, upB)) <= 5
    }

    @Test("noise lines are passed over (the sieve is not a no-op)")
    func noiseIsPassedOver() {
        for line in Self.noise {
            let hit = Array(line.utf8).withUnsafeBytes { LogRecordDispatcher.sieve.occurs(in: $0) }
            #expect(!hit, "\(line)")
        }
    }

    @Test("passing over in bulk cites the same lines for clocks as passing over one by one")
    func bulkKeepsLineNumbers() {
        // Kernel lines with a wall clock and an uptime; the node reboots at line 700, so a boot-time
        // hint cites the first line read after it: a sample line or the line replayed before one.
        let lines = (0..<1500).map { i -> String in
            let wall = 1_710_410_400 + i
            let uptime = i < 700 ? 5000 + i : i - 690
            let civil = CivilTime(Instant(seconds: Int64(wall)))
            func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
            let stamp = "2024-03-14T\(two(civil.hour)):\(two(civil.minute)):\(two(civil.second)).000000+00:00"
            return "\(stamp) node-1 kernel: [\(uptime).000000] eth0: link up \(i)"
        }
        for blockSize in [4096, 65_536, 97] {
            let bulk = parse(lines, kind: .nodeLog, sieving: true, blockSize: blockSize)
            let oneByOne = parse(lines, kind: .nodeLog, sieving: true, blockSize: blockSize, inBulk: false)
            #expect(bulk.clockHints == oneByOne.clockHints, "blocks of \(blockSize)")
            #expect(bulk.clockHints.count >= 2, "blocks of \(blockSize): \(bulk.clockHints)")
        }
    }
}
