import Testing
@testable import OOMLens

@Suite struct NodeLogParserTests {
    private func parse(_ text: String, kind: FileKind = .nodeLog, node: String? = nil) -> ParseOutput {
        LineParsing<NodeLogParser>.parse(text, context: ParseContext(path: "n.log", kind: kind, nodeHint: node))
    }

    private let killLine = "Memory cgroup out of memory: Killed process 183960 (stress-ng-vm) total-vm:299192kB, anon-rss:93176kB, file-rss:316kB, shmem-rss:12kB, UID:0 pgtables:476kB oom_score_adj:1000"

    @Test func programNamesRouteToTheirParsers() {
        for name in ["kubelet", "k3s", "kubelite", "microk8s.daemon-kubelite", "kubenswrapper", "rke2-agent", "rke2-server", "hyperkube"] {
            #expect(LogRecordDispatcher.route(forProgram: name) == .kubelet, "\(name)")
        }
        for name in ["containerd", "crio", "dockerd", "docker"] {
            #expect(LogRecordDispatcher.route(forProgram: name) == .runtime, "\(name)")
        }
        #expect(LogRecordDispatcher.route(forProgram: "kernel") == .kernel)
        #expect(LogRecordDispatcher.route(forProgram: "systemd") == .systemd)
        #expect(LogRecordDispatcher.route(forProgram: "journal-marker") == .marker)
        #expect(LogRecordDispatcher.route(forProgram: "sshd") == nil)
        #expect(LogRecordDispatcher.route(forProgram: "node-problem-detector-startup.sh") == nil)
    }

    @Test func linesWithoutProgramRouteByFileKind() {
        let expected: [(FileKind, LogRecordDispatcher.Route)] = [
            (.dmesg, .kernel), (.nodeLog, .kernel), (.kubeletLog, .kubelet), (.containerdLog, .runtime), (.crioLog, .runtime),
        ]
        for (kind, route) in expected {
            var d = LogRecordDispatcher(context: ParseContext(path: "x", kind: kind))
            #expect(d.route(program: nil) == route, "\(kind)")
            #expect(d.route(program: "kernel") == .kernel)
            #expect(d.route(program: "systemd") == .systemd)
        }
        var node = LogRecordDispatcher(context: ParseContext(path: "x", kind: .nodeLog))
        #expect(node.route(program: "sshd") == LogRecordDispatcher.Route.none)
        var kubelet = LogRecordDispatcher(context: ParseContext(path: "x", kind: .kubeletLog))
        #expect(kubelet.route(program: "kubelet-wrapper") == .kubelet)
    }

    @Test func onlyKernelLinesReachTheKernelParser() {
        let text = """
            Oct 12 19:00:20 aks-1 node-problem-detector-startup.sh[3240]: \(killLine)
            Oct 12 19:00:20 aks-1 kubelet[4052]: \(killLine)
            Oct 12 19:00:20 aks-1 sshd[1]: \(killLine)
            Oct 12 19:00:20 aks-1 kernel: [ 8523.347333] \(killLine)

            """
        let kills = parse(text).observations.filter { $0.kind == .kernelOOMKill }
        #expect(kills.count == 1)
        #expect(kills.first?.location.line == 4)
        #expect(kills.first?.node == "aks-1")
        // In a kubelet log file a bare line is the kubelet's, in dmesg the kernel's.
        #expect(parse(killLine + "\n", kind: .kubeletLog).observations.isEmpty)
        #expect(parse(killLine + "\n", kind: .dmesg).observations.count == 1)
    }

    @Test func nodeComesFromHostThenFromTheBundleLayout() {
        let withHost = parse("Oct 12 19:00:20 aks-1 kernel: \(killLine)\n", node: "from-path")
        #expect(withHost.observations.first?.node == "aks-1")
        let withoutHost = parse("Oct 12 19:00:20 kernel: \(killLine)\n", node: "from-path")
        #expect(withoutHost.observations.first?.node == "from-path")
    }

    @Test func wallClockAndUptimeHintOncePerBoot() throws {
        let out = try Fixture.parse(LineParsing<NodeLogParser>.self, "kernel-oom-cgroupv2-systemd-containerd-syslog-aks.log", kind: .nodeLog)
        let hints = out.clockHints.filter { if case .wallAndUptime = $0 { return true } else { return false } }
        #expect(hints == [.wallAndUptime(
            node: "aks-nodepool1-24207654-vmss000001",
            wall: CivilTime(year: nil, month: 10, day: 12, hour: 19, minute: 0, second: 20), uptimeSeconds: 8523.347168,
            file: "kernel-oom-cgroupv2-systemd-containerd-syslog-aks.log")])
        // A reboot (uptime back near zero) gives a second hint.
        let rebooted = parse("""
            Oct 12 19:00:20 n1 kernel: [ 8523.000000] a
            Oct 12 19:00:21 n1 kernel: [ 8524.000000] b
            Oct 12 21:00:00 n1 kernel: [    3.000000] c

            """)
        #expect(rebooted.clockHints.count == 2)
        #expect(rebooted.clockHints.last == .wallAndUptime(
            node: "n1", wall: CivilTime(year: nil, month: 10, day: 12, hour: 21, minute: 0, second: 0), uptimeSeconds: 3, file: "n.log"))
    }

    @Test func newestDatedRecordAndBootTimeFromVMware() throws {
        let rsyslog = try Fixture.parse(LineParsing<NodeLogParser>.self, "kubelet-pleg-rsyslog-iso8601-azurelinux.log", kind: .nodeLog)
        let instant = try #require(RFC3339.instant("2025-06-18T10:29:40.483477Z"))
        #expect(rsyslog.clockHints == [.datedRecord(instant)])
        let talos = try Fixture.parse(LineParsing<NodeLogParser>.self, "kernel-oom-talos-kmsg-iso-prefix.log", kind: .dmesg)
        #expect(talos.clockHints == [.datedRecord(Instant(seconds: 1_785_021_535, nanoseconds: 766_105_743))])
        let vmware = parse("2023-12-04T10:49:30.127Z In(05) vcpu-5 - Guest: <6>[39291577.009360] Memory cgroup stats for /kubepods\n", node: "vm-1")
        let boot = Instant(seconds: 1_701_686_970, nanoseconds: 127_000_000).adding(seconds: -39291577.009360)
        #expect(vmware.clockHints.contains(.bootTime(node: "vm-1", boot, origin: "n.log:1 wall clock minus uptime")))
        #expect(vmware.clockHints.contains(.datedRecord(Instant(seconds: 1_701_686_970, nanoseconds: 127_000_000))))
    }

    @Test func journalBootMarkersMakeNodeBoots() {
        let out = parse("""
            -- Logs begin at Mon 2024-01-01 00:00:00 UTC, end at Tue 2024-01-02 00:00:00 UTC. --
            May 28 16:05:50 192-168-250-5 sshd[1]: Accepted
            -- Boot 0c5a3e0f8e5c4b1f9a0c7b4a4b4d2e3f --
            May 28 17:00:01 192-168-250-5 systemd[1]: Started Journal Service.
            -- Reboot --

            """, node: "w1")
        let boots = out.observations.filter { $0.kind == .nodeBoot }
        #expect(boots.count == 2)
        #expect(boots.first?.location.line == 3)
        #expect(boots.first?.time == TimeReading(
            .civil(CivilTime(year: nil, month: 5, day: 28, hour: 17, minute: 0, second: 1)), text: "May 28 17:00:01"))
        #expect(boots.first?.node == "192-168-250-5")
        #expect(boots.first?.summary.contains("0c5a3e0f8e5c4b1f9a0c7b4a4b4d2e3f") == true)
        #expect(boots.last?.time == nil)
        #expect(boots.last?.location.line == 5)
        #expect(boots.last?.node == "w1")
    }

    @Test func kernelBannerMakesNodeBoot() {
        let out = parse("Oct 12 10:00:00 n1 kernel: [    0.000000] Linux version 5.15.0-1041-azure (buildd@lcy02-amd64-032) #48-Ubuntu SMP\n")
        let boot = out.observations.first
        #expect(boot?.kind == .nodeBoot)
        #expect(boot?.source == .kernel)
        #expect(boot?.node == "n1")
        #expect(boot?.time?.text == "Oct 12 10:00:00")
        #expect(boot?.secondaryTime?.time == .sinceBoot(seconds: 0))
    }

    @Test func prefixDiagnosticsReachTheOutput() throws {
        let out = try Fixture.parse(LineParsing<NodeLogParser>.self, "containerd-taskexit-events-formats.log", kind: .nodeLog)
        #expect(out.diagnostics.filter { $0.message.contains("not English") }.count == 1)
    }

    @Test func manyUninterestingLinesMakeNothing() {
        var text = ""
        for i in 0..<20_000 {
            text += "Oct 12 19:00:\(10 + i % 50) aks-1 kernel: [ \(8000 + i).000001] eth0: link up, veth\(i) entered forwarding state\n"
            text += "Oct 12 19:00:\(10 + i % 50) aks-1 sshd[\(i)]: Accepted publickey for azureuser\n"
        }
        let out = parse(text)
        #expect(out.observations.isEmpty)
        #expect(out.diagnostics.isEmpty)
    }
}
