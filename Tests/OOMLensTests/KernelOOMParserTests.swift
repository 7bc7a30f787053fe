import Testing
@testable import OOMLens

/// Every `kernel-oom-*` fixture through `NodeLogParser` (prefixes) into `KernelOOMParser`, with exact values.
@Suite struct KernelOOMParserTests {
    // MARK: - Helpers

    private func kills(_ name: String, kind: FileKind, node: String? = nil) throws -> [Observation] {
        let out = try Fixture.parse(LineParsing<NodeLogParser>.self, name, kind: kind, node: node)
        return out.observations.filter { $0.kind == .kernelOOMKill }
    }

    private func parse(_ text: String, kind: FileKind = .nodeLog, node: String? = nil) -> ParseOutput {
        LineParsing<NodeLogParser>.parse(text, context: ParseContext(path: "test.log", kind: kind, nodeHint: node))
    }

    /// The exact values a kill observation must carry (nil: must be absent).
    private struct Expected {
        var line: Int
        var pid: Int?
        var name: String?
        var constraint: KernelOOMDetails.Constraint?
        var cgroupVersion: Int?
        var podUID: String?
        var containerID: String?
        var limit: Int64?
        var usage: Int64?
        var anonRSS: Int64?
        var node: String?
        var incomplete: Bool
    }

    private func check(_ o: Observation, _ e: Expected, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(o.kind == .kernelOOMKill, sourceLocation: sourceLocation)
        #expect(o.source == .kernel, sourceLocation: sourceLocation)
        #expect(o.location.line == e.line, sourceLocation: sourceLocation)
        #expect(o.process?.pid == e.pid, sourceLocation: sourceLocation)
        #expect(o.process?.name == e.name, sourceLocation: sourceLocation)
        #expect(o.kernel?.constraint == e.constraint, sourceLocation: sourceLocation)
        #expect(o.kernel?.cgroupVersion == e.cgroupVersion, sourceLocation: sourceLocation)
        #expect(o.podUID == e.podUID, sourceLocation: sourceLocation)
        #expect(o.containerID == e.containerID, sourceLocation: sourceLocation)
        #expect(o.memory?.limitBytes == e.limit, sourceLocation: sourceLocation)
        #expect(o.memory?.usageBytes == e.usage, sourceLocation: sourceLocation)
        #expect(o.memory?.anonRSSBytes == e.anonRSS, sourceLocation: sourceLocation)
        #expect(o.node == e.node, sourceLocation: sourceLocation)
        #expect(o.kernel?.incomplete == e.incomplete, sourceLocation: sourceLocation)
        #expect(!o.summary.isEmpty, sourceLocation: sourceLocation)
    }

    private static let aksPod = "5931aa75-4603-4e65-b552-7c71cf55cfb5"
    private static let aksContainer = "25a38b5b8d556d7983d975577f5ac75ebbcfb4b269e6deaa0a0440c1ffc969ca"

    // MARK: - Fixtures

    @Test func cgroupV2SystemdContainerdSyslogAKS() throws {
        let obs = try kills("kernel-oom-cgroupv2-systemd-containerd-syslog-aks.log", kind: .nodeLog)
        try #require(obs.count == 2)
        check(obs[0], Expected(
            line: 46, pid: 183960, name: "stress-ng-vm", constraint: .memcg, cgroupVersion: 2, podUID: Self.aksPod,
            containerID: Self.aksContainer, limit: 102_400 * 1024, usage: 102_400 * 1024, anonRSS: 93_176 * 1024,
            node: "aks-nodepool1-24207654-vmss000001", incomplete: false))
        let k = try #require(obs[0].kernel)
        #expect(k.invoker == "stress-ng-vm")
        #expect(k.limitScope == .pod)
        #expect(k.qosClass == "Burstable")
        #expect(k.runtime == "containerd")
        #expect(k.oomScoreAdj == 1000)
        #expect(k.kernelRelease == "5.15.0-1041-azure")
        #expect(k.limitingCgroup == "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod5931aa75_4603_4e65_b552_7c71cf55cfb5.slice")
        #expect(k.victimCgroup?.hasSuffix("cri-containerd-\(Self.aksContainer).scope") == true)
        #expect(obs[0].memory?.fileRSSBytes == Int64(316 * 1024))
        #expect(obs[0].memory?.shmemRSSBytes == Int64(12 * 1024))
        #expect(obs[0].memory?.failCount == 6402)
        #expect(obs[0].time == TimeReading(
            .civil(CivilTime(year: nil, month: 10, day: 12, hour: 19, minute: 0, second: 20)), text: "Oct 12 19:00:20"))
        #expect(obs[0].secondaryTime == TimeReading(.sinceBoot(seconds: 8523.347333), text: "8523.347333"))
        #expect(obs[0].message?.hasPrefix("Memory cgroup out of memory: Killed process 183960 (stress-ng-vm)") == true)
        // The second `invoked oom-killer` 100 ms later is cut off by the excerpt: kept, incomplete.
        check(obs[1], Expected(
            line: 50, pid: nil, name: nil, constraint: nil, cgroupVersion: nil, podUID: nil, containerID: nil,
            limit: nil, usage: nil, anonRSS: nil, node: "aks-nodepool1-24207654-vmss000001", incomplete: true))
        #expect(obs[1].kernel?.invoker == "stress-ng-vm")
        #expect(obs[1].secondaryTime?.time == .sinceBoot(seconds: 8523.444701))
    }

    @Test func cgroupV1CgroupfsNoHostEKS() throws {
        let obs = try kills("kernel-oom-cgroupv1-cgroupfs-containerd-syslog-nohost-eks.log", kind: .nodeLog, node: "ip-10-0-1-2")
        try #require(obs.count == 1)
        check(obs[0], Expected(
            line: 9, pid: 2908, name: "gunicorn", constraint: .memcg, cgroupVersion: nil,
            podUID: "cb4794b7-954b-4831-81cf-403d83ad22a4",
            containerID: "a8638b0128b07b17bd22a5694da752d1c3b018b6237bdee4db906df6e4d1225d", limit: nil, usage: nil,
            anonRSS: 64_296 * 1024, node: "ip-10-0-1-2", incomplete: true))
        #expect(obs[0].kernel?.limitScope == .pod)
        #expect(obs[0].kernel?.qosClass == "Burstable")
        #expect(obs[0].kernel?.oomScoreAdj == 984)
        #expect(obs[0].time?.text == "Sep  8 06:22:08")
    }

    @Test func hardWrappedPasteKubedirector() throws {
        let obs = try kills("kernel-oom-cgroupv1-cgroupfs-wrapped-lines-kubedirector.log", kind: .dmesg)
        try #require(obs.count == 1)
        check(obs[0], Expected(
            line: 13, pid: 62685, name: "bash", constraint: .memcg, cgroupVersion: 1,
            podUID: "951f6bc5-c5a5-11ea-8707-80e455f266a2",
            containerID: "024952d653ef1cd852f875a61bd27cf45cb1fd6cab3659ca7e5f12f037d99aa9",
            limit: 524_288 * 1024, usage: 524_288 * 1024, anonRSS: nil, node: nil, incomplete: true))
        // `… limit of /kubepo` + `ds/pod…` joined again.
        #expect(obs[0].kernel?.limitingCgroup
            == "/kubepods/pod951f6bc5-c5a5-11ea-8707-80e455f266a2/024952d653ef1cd852f875a61bd27cf45cb1fd6cab3659ca7e5f12f037d99aa9")
        #expect(obs[0].kernel?.limitScope == .container)
        #expect(obs[0].kernel?.qosClass == "Guaranteed")
        #expect(obs[0].kernel?.oomScoreAdj == -998)
        #expect(obs[0].time?.time == .sinceBoot(seconds: 5193605.506956))
    }

    @Test func dockerKernel48NoPrefix() throws {
        let obs = try kills("kernel-oom-cgroupv1-docker-kernel4.8-noprefix.log", kind: .dmesg)
        try #require(obs.count == 1)
        check(obs[0], Expected(
            line: 30, pid: 1381, name: "gunpowder-memho", constraint: .memcg, cgroupVersion: 1, podUID: nil,
            containerID: "2e088fe462e25e60be1dafafe2c05c47bda1a97978648d10ad2b7484fc0b8f50",
            limit: 20_480 * 1024, usage: 20_480 * 1024, anonRSS: 18_624 * 1024, node: nil, incomplete: false))
        #expect(obs[0].kernel?.runtime == "docker")
        #expect(obs[0].kernel?.kernelRelease == "4.8.0-gentoo")
        #expect(obs[0].kernel?.limitScope == .container)
        #expect(obs[0].memory?.failCount == 1204)
        #expect(obs[0].time == nil)
    }

    @Test func memcgKernel313NoPrefix() throws {
        let obs = try kills("kernel-oom-cgroupv1-memcg-kernel3.13-noprefix.log", kind: .dmesg)
        try #require(obs.count == 1)
        check(obs[0], Expected(
            line: 32, pid: 13536, name: "memorymonster", constraint: .memcg, cgroupVersion: 1, podUID: nil,
            containerID: nil, limit: 980 * 1024, usage: 980 * 1024, anonRSS: 920 * 1024, node: nil, incomplete: false))
        #expect(obs[0].kernel?.victimCgroup == "/mem2")
        #expect(obs[0].kernel?.limitingCgroup == "/mem2")
        #expect(obs[0].kernel?.limitScope == .other)
        #expect(obs[0].kernel?.kernelRelease == "3.13.0-43-generic")
        // Invoker pid (CPU line) is the victim: its oom_score_adj applies.
        #expect(obs[0].kernel?.oomScoreAdj == 0)
    }

    @Test func systemdContainerdSyslogHarvester() throws {
        let obs = try kills("kernel-oom-cgroupv1-systemd-containerd-syslog-harvester.log", kind: .nodeLog, node: "harvester-1")
        try #require(obs.count == 1)
        // No kill line in the excerpt: the victim comes from `oom-kill:` task=/pid=.
        check(obs[0], Expected(
            line: 19, pid: 39079, name: "qemu-system-x86", constraint: .memcg, cgroupVersion: 1,
            podUID: "968a06fb-9ab9-4819-8caf-0392ddff3d9b",
            containerID: "0f32894de86edf3d3832702af794874ef8d400b4969acdea4976b12040756e0d",
            limit: 17_024_340 * 1024, usage: 17_024_340 * 1024, anonRSS: nil, node: "harvester-1", incomplete: true))
        #expect(obs[0].kernel?.invoker == "virt-launcher")
        #expect(obs[0].kernel?.kernelRelease == "5.14.21-150400.24.60-default")
        #expect(obs[0].kernel?.oomScoreAdj == 986)  // task table row of pid 39079
    }

    @Test func cgroupV2SwapLineDpservice() throws {
        let obs = try kills("kernel-oom-cgroupv2-swap-line-syslog-dpservice.log", kind: .nodeLog)
        try #require(obs.count == 1)
        check(obs[0], Expected(
            line: 8, pid: nil, name: nil, constraint: .memcg, cgroupVersion: 2, podUID: nil, containerID: nil,
            limit: 1_048_576 * 1024, usage: 1_048_576 * 1024, anonRSS: nil, node: "compute-11", incomplete: true))
        #expect(obs[0].memory?.failCount == 141)
    }

    @Test func globalOOMDockerScope() throws {
        let obs = try kills("kernel-oom-constraint-none-global_oom-docker-scope.log", kind: .dmesg)
        try #require(obs.count == 1)
        check(obs[0], Expected(
            line: 2, pid: 7134, name: "java", constraint: KernelOOMDetails.Constraint.none, cgroupVersion: nil,
            podUID: nil, containerID: "00748bf4e957f82c239a1db8a88579059b7d40c7b5fbd3f43617d31d3f646f12",
            limit: nil, usage: nil, anonRSS: nil, node: nil, incomplete: true))
        #expect(obs[0].kernel?.limitScope == .node)
        #expect(obs[0].kernel?.runtime == "docker")
        #expect(obs[0].kernel?.limitingCgroup == nil)
        #expect(obs[0].time?.time == .sinceBoot(seconds: 4650180.470877))
    }

    @Test func dmesgTSacrificeChildK8s56891() throws {
        let obs = try kills("kernel-oom-dmesg-T-cgroupv1-cgroupfs-docker-el7-k8s56891.log", kind: .dmesg)
        // The excerpt joins two chunks 11 minutes apart: the gap splits the reports.
        try #require(obs.count == 3)
        check(obs[0], Expected(
            line: 2, pid: nil, name: nil, constraint: nil, cgroupVersion: nil, podUID: nil, containerID: nil,
            limit: nil, usage: nil, anonRSS: nil, node: nil, incomplete: true))
        #expect(obs[0].kernel?.invoker == "java")
        #expect(obs[0].kernel?.kernelRelease == "3.10.0-327.4.5.el7.x86_64")
        // `Kill process 24572` chose, `Killed process 28438` is the victim.
        check(obs[1], Expected(
            line: 18, pid: 28438, name: "java", constraint: .memcg, cgroupVersion: 1,
            podUID: "95387fa4-da9c-11e7-9d36-5254b24cbf5e",
            containerID: "6895a3e13439535852d3184ac2aadd26d7363cc035f171545ec7d4ce74073b0b",
            limit: nil, usage: nil, anonRSS: 466_160 * 1024, node: nil, incomplete: true))
        #expect(obs[1].kernel?.oomScoreAdj == -998)
        #expect(obs[1].kernel?.qosClass == "Guaranteed")
        #expect(obs[1].time == TimeReading(
            .civil(CivilTime(year: 2017, month: 12, day: 7, hour: 0, minute: 5, second: 15)), text: "Thu Dec  7 00:05:15 2017"))
        check(obs[2], Expected(
            line: 19, pid: nil, name: nil, constraint: nil, cgroupVersion: nil, podUID: nil, containerID: nil,
            limit: nil, usage: nil, anonRSS: nil, node: nil, incomplete: true))
    }

    @Test func dmesgTSystemdContainerdHarvester() throws {
        let obs = try kills("kernel-oom-dmesg-T-cgroupv1-systemd-containerd-harvester.log", kind: .dmesg, node: "harvester-2")
        try #require(obs.count == 1)
        check(obs[0], Expected(
            line: 18, pid: 70870, name: "qemu-system-x86", constraint: .memcg, cgroupVersion: 1,
            podUID: "ef91e487-dec5-4613-800b-eb23e1a1617d",
            containerID: "100093783c22a3ae1a42e21dd887b7c26eef52d56ba44c7273ef54507b6efe7c",
            limit: 67_579_904 * 1024, usage: 67_579_904 * 1024, anonRSS: 66_852_088 * 1024, node: "harvester-2",
            incomplete: false))
        #expect(obs[0].kernel?.invoker == "CPU 11/KVM")
        #expect(obs[0].kernel?.kernelRelease == "5.3.18-150300.59.101-default")
        #expect(obs[0].kernel?.oomScoreAdj == 830)
        #expect(obs[0].kernel?.qosClass == "Burstable")  // despite the `kubepods-urstable.slice` typo
        #expect(obs[0].kernel?.limitScope == .pod)
        #expect(obs[0].memory?.shmemRSSBytes == Int64(4 * 1024))
    }

    @Test func dmesgTStatContinuationKata() throws {
        let obs = try kills("kernel-oom-dmesg-T-cgroupv2-stat-continuation-kata.log", kind: .dmesg)
        try #require(obs.count == 1)
        check(obs[0], Expected(
            line: 2, pid: nil, name: nil, constraint: .memcg, cgroupVersion: 1,
            podUID: "200f55f9-b043-11ea-b578-fa163e82605e", containerID: nil,
            limit: 1_048_576 * 1024, usage: 1_048_576 * 1024, anonRSS: nil, node: nil, incomplete: true))
        #expect(obs[0].kernel?.limitScope == .pod)
    }

    @Test func globalKernel313NoPrefix() throws {
        let obs = try kills("kernel-oom-global-kernel3.13-noprefix.log", kind: .dmesg)
        try #require(obs.count == 1)
        check(obs[0], Expected(
            line: 42, pid: 1532, name: "badsysprogram", constraint: KernelOOMDetails.Constraint.none,
            cgroupVersion: nil, podUID: nil, containerID: nil, limit: nil, usage: nil, anonRSS: 1_595_164 * 1024,
            node: nil, incomplete: false))
        #expect(obs[0].kernel?.limitScope == .node)
        #expect(obs[0].kernel?.kernelRelease == "3.13.0-27-generic")
    }

    @Test func globalMemInfoContinuationRateLimited() throws {
        let out = try Fixture.parse(LineParsing<NodeLogParser>.self, "kernel-oom-global-meminfo-continuation-dmesg-T.log", kind: .dmesg)
        let obs = out.observations.filter { $0.kind == .kernelOOMKill }
        try #require(obs.count == 1)
        check(obs[0], Expected(
            line: 7, pid: nil, name: nil, constraint: KernelOOMDetails.Constraint.none, cgroupVersion: nil,
            podUID: nil, containerID: nil, limit: nil, usage: nil, anonRSS: nil, node: nil, incomplete: true))
        #expect(obs[0].kernel?.invoker == "python3")
        #expect(obs[0].kernel?.kernelRelease == "5.4.0-29-generic")
        let note = try #require(out.diagnostics.first { $0.message.contains("rate-limited") })
        #expect(note.line == 6)
        #expect(note.message.contains("70 OOM-killer"))
    }

    @Test func groupKillDmesgCallerID() throws {
        let obs = try kills("kernel-oom-group-kill-dmesg-caller-id-linux-mm.log", kind: .dmesg)
        try #require(obs.count == 1)
        check(obs[0], Expected(
            line: 7, pid: 9188, name: "a.out", constraint: KernelOOMDetails.Constraint.none, cgroupVersion: 1,
            podUID: nil, containerID: nil, limit: 51_200 * 1024, usage: 51_200 * 1024, anonRSS: 10_324 * 1024,
            node: nil, incomplete: true))
        #expect(obs[0].kernel?.groupKillCount == 12)
        #expect(obs[0].kernel?.limitingCgroup == "/test1")
        #expect(obs[0].time?.time == .sinceBoot(seconds: 37.128158))
        #expect(obs[0].summary.contains("11 other processes of /test1"))
    }

    @Test func groupKillSyslogAKS() throws {
        let obs = try kills("kernel-oom-group-kill-syslog-aks-memory-oom-group.log", kind: .nodeLog)
        try #require(obs.count == 1)
        check(obs[0], Expected(
            line: 3, pid: 68061, name: "stress", constraint: .memcg, cgroupVersion: nil,
            podUID: "10d16a28-60ff-475f-a631-510d9792219f",
            containerID: "178ec18073cc6ac7be2de8d9869daf162a6349dd056b6535849112c53ec3102a",
            limit: nil, usage: nil, anonRSS: 2_884_696 * 1024, node: "aks-nodepool1-31060421-vmss000002", incomplete: true))
        // The group kill repeats the same pid: one process.
        #expect(obs[0].kernel?.groupKillCount == 1)
        #expect(obs[0].kernel?.limitScope == .node)  // oom_memcg=/kubepods.slice
        #expect(obs[0].kernel?.oomScoreAdj == 872)
    }

    @Test func cadvisorTestConstants() throws {
        let obs = try kills("kernel-oom-kill-line-cadvisor-test-constants.txt", kind: .dmesg)
        try #require(obs.count == 3)
        check(obs[0], Expected(
            line: 3, pid: 19667, name: "evil-program2", constraint: nil, cgroupVersion: nil, podUID: nil,
            containerID: nil, limit: nil, usage: nil, anonRSS: 1_414_008 * 1024, node: nil, incomplete: false))
        #expect(obs[0].kernel?.invoker == "ruby")
        // `Task in /mem2 … limit of /mem3` and an `oom-kill:` line whose oom_memcg has a stray space.
        check(obs[1], Expected(
            line: 5, pid: 966, name: "manager", constraint: .memcg, cgroupVersion: nil,
            podUID: "fbdfe8e3-1c87-4ff2-907c-b2ec8e25d012",
            containerID: "ef807430361e6e82b45db92e2e9b6fbec98f419b12c591e655c1a725565e73a8",
            limit: nil, usage: nil, anonRSS: nil, node: nil, incomplete: true))
        #expect(obs[1].kernel?.limitScope == .other)
        // `Plex Media Server`: a name with spaces; `localhost` is not a node name.
        check(obs[2], Expected(
            line: 6, pid: 1234, name: "Plex Media Server", constraint: nil, cgroupVersion: nil, podUID: nil,
            containerID: nil, limit: nil, usage: nil, anonRSS: 1_414_008 * 1024, node: nil, incomplete: true))
        #expect(obs[2].secondaryTime?.time == .sinceBoot(seconds: 62279.421192))
    }

    @Test func rawDmesgKernel54Uwsgi() throws {
        let obs = try kills("kernel-oom-memcg-dmesg-raw-kernel5.4-uwsgi.log", kind: .dmesg)
        try #require(obs.count == 2)
        check(obs[0], Expected(
            line: 2, pid: 63214, name: "uwsgi", constraint: .memcg, cgroupVersion: nil, podUID: nil, containerID: nil,
            limit: nil, usage: nil, anonRSS: 164_992 * 1024, node: nil, incomplete: true))
        #expect(obs[0].kernel?.oomScoreAdj == 986)
        #expect(obs[0].time == TimeReading(.sinceBoot(seconds: 7063.247407), text: "7063.247407"))
        check(obs[1], Expected(
            line: 4, pid: nil, name: nil, constraint: nil, cgroupVersion: nil, podUID: nil, containerID: nil,
            limit: nil, usage: nil, anonRSS: nil, node: nil, incomplete: true))
        #expect(obs[1].kernel?.kernelRelease == "5.4.0-77-generic")
    }

    @Test func talosISOPrefix() throws {
        let obs = try kills("kernel-oom-talos-kmsg-iso-prefix.log", kind: .dmesg, node: "talos-w1")
        try #require(obs.count == 1)
        // Kill line then an `oom-kill:` line for the same pid: one report.
        check(obs[0], Expected(
            line: 3, pid: 109324, name: "bun", constraint: .memcg, cgroupVersion: nil, podUID: nil, containerID: nil,
            limit: nil, usage: nil, anonRSS: 5_225_576 * 1024, node: "talos-w1", incomplete: true))
        #expect(obs[0].time?.time == .instant(Instant(seconds: 1_784_989_397, nanoseconds: 527_285_605)))
    }

    // MARK: - Shapes not in the fixtures

    @Test func bannerMakesNodeBoot() throws {
        let out = parse("[    0.000000] Linux version 5.15.0-1041-azure (buildd@lcy02-amd64-032) (gcc (Ubuntu 11.3.0) 11.3.0) #48-Ubuntu SMP\n", kind: .dmesg, node: "n1")
        try #require(out.observations.count == 1)
        #expect(out.observations.first?.kind == .nodeBoot)
        #expect(out.observations.first?.message == "5.15.0-1041-azure")
        #expect(out.observations.first?.node == "n1")
        #expect(out.observations.first?.time?.time == .sinceBoot(seconds: 0))
    }

    @Test func namesWithParenthesesSpacesAndHashes() {
        let text = """
            [ 100.000001] Memory cgroup out of memory: Killed process 15925 ((resolved)) total-vm:1000kB, anon-rss:8kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:40kB oom_score_adj:0
            [ 200.000001] StreamTrans #72 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=900
            [ 200.000002] CPU: 3 PID: 4242 Comm: StreamTrans #72 Not tainted 6.1.0-13-amd64 #1 Debian
            [ 200.000003] Out of memory: Killed process 4242 (StreamTrans #72) total-vm:10kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:4kB oom_score_adj:900

            """
        let obs = parse(text, kind: .dmesg).observations
        #expect(obs.count == 2)
        #expect(obs.first?.process == ProcessRef(name: "(resolved)", pid: 15925))
        #expect(obs.last?.process == ProcessRef(name: "StreamTrans #72", pid: 4242))
        #expect(obs.last?.kernel?.invoker == "StreamTrans #72")
        #expect(obs.last?.kernel?.kernelRelease == "6.1.0-13-amd64")
        #expect(obs.last?.kernel?.constraint == KernelOOMDetails.Constraint.none)
        #expect(obs.last?.kernel?.incomplete == false)
    }

    /// Two reports with kubelet, containerd and systemd lines between their parts: the other programs'
    /// lines never reach the kernel parser, so neither report is broken.
    @Test func interleavedReportsStayWhole() throws {
        let fixture = try Fixture.text("kernel-oom-cgroupv2-systemd-containerd-syslog-aks.log")
        let kernelLines = fixture.split(separator: "\n").filter { $0.contains(" kernel: ") }.prefix(45)
        var text = ""
        for (i, line) in kernelLines.enumerated() {
            text += line + "\n"
            if i % 3 == 0 {
                text += "Oct 12 19:00:20 aks-nodepool1-24207654-vmss000001 kubelet[4052]: I1012 19:00:20.100000    4052 kubelet.go:2439] \"SyncLoop (PLEG): event for pod\" Killed process 1 (fake) total-vm:1kB\n"
                text += "Oct 12 19:00:20 aks-nodepool1-24207654-vmss000001 containerd[2388]: time=\"2023-10-12T19:00:20.879932879Z\" level=info msg=\"invoked oom-killer: not really\"\n"
            }
        }
        text += "Oct 12 19:00:21 aks-nodepool1-24207654-vmss000001 systemd[1]: Started something.\n"
        text += "Oct 12 19:00:21 aks-nodepool1-24207654-vmss000001 kernel: [ 8524.000001] other invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
        text += "Oct 12 19:00:21 aks-nodepool1-24207654-vmss000001 kubelet[4052]: E1012 19:00:21.000000    4052 x.go:1] noise\n"
        text += "Oct 12 19:00:21 aks-nodepool1-24207654-vmss000001 kernel: [ 8524.000005] memory: usage 2048kB, limit 2048kB, failcnt 3\n"
        text += "Oct 12 19:00:21 aks-nodepool1-24207654-vmss000001 kernel: [ 8524.000009] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/kubepods/besteffort/pod0c1b5d2e-9a77-4c1d-8f00-2f6a3b1c4d5e,task_memcg=/kubepods/besteffort/pod0c1b5d2e-9a77-4c1d-8f00-2f6a3b1c4d5e/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef,task=other,pid=77,uid=0\n"
        text += "Oct 12 19:00:21 aks-nodepool1-24207654-vmss000001 containerd[2388]: time=\"2023-10-12T19:00:21Z\" level=info msg=\"TaskOOM\"\n"
        text += "Oct 12 19:00:21 aks-nodepool1-24207654-vmss000001 kernel: [ 8524.000010] Memory cgroup out of memory: Killed process 77 (other) total-vm:10kB, anon-rss:1024kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:1000\n"
        let obs = parse(text).observations.filter { $0.kind == .kernelOOMKill }
        try #require(obs.count == 2)
        #expect(obs[0].process == ProcessRef(name: "stress-ng-vm", pid: 183960))
        #expect(obs[0].kernel?.incomplete == false)
        #expect(obs[0].containerID == Self.aksContainer)
        #expect(obs[0].memory?.limitBytes == Int64(102_400 * 1024))
        #expect(obs[1].process == ProcessRef(name: "other", pid: 77))
        #expect(obs[1].kernel?.incomplete == false)
        #expect(obs[1].kernel?.qosClass == "BestEffort")
        #expect(obs[1].memory?.limitBytes == Int64(2048 * 1024))
        #expect(obs[1].memory?.anonRSSBytes == Int64(1024 * 1024))
        #expect(obs[1].podUID == "0c1b5d2e-9a77-4c1d-8f00-2f6a3b1c4d5e")
    }

    /// A report cut short by the next `invoked` and one cut by a time gap keep what they had.
    @Test func cutShortReportsKeepWhatTheyHave() throws {
        let text = """
            [ 10.000000] a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=5
            [ 10.000001] memory: usage 1024kB, limit 1024kB, failcnt 1
            [ 10.000002] b invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=7
            [ 10.000003] swap: usage 0kB, limit 9007199254740988kB, failcnt 0
            [ 99.000000] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/x,task_memcg=/x,task=c,pid=3,uid=0

            """
        let obs = parse(text, kind: .dmesg).observations
        try #require(obs.count == 3)
        #expect(obs[0].kernel?.invoker == "a")
        #expect(obs[0].memory?.limitBytes == Int64(1024 * 1024))
        #expect(obs[0].kernel?.incomplete == true)
        #expect(obs[1].kernel?.invoker == "b")
        #expect(obs[1].kernel?.cgroupVersion == 2)
        #expect(obs[1].location.line == 3)
        #expect(obs[2].process == ProcessRef(name: "c", pid: 3))
        #expect(obs[2].location.line == 5)
    }

    @Test func hugeLineBinaryJunkAndInvalidUTF8AroundARealReport() throws {
        var bytes: [UInt8] = Array(repeating: UInt8(ascii: "A"), count: 2 << 20)
        bytes += Array("\n".utf8)
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<4096 { bytes.append(UInt8(truncatingIfNeeded: xorshift(&seed))) }
        bytes += Array("\n\u{1}\u{2}\n".utf8) + [0xFF, 0xFE, 0xC3, 0x28, 0x0A]
        let report = try Fixture.bytes("kernel-oom-dmesg-T-cgroupv1-systemd-containerd-harvester.log")
        bytes += report
        bytes += [0xED, 0xA0, 0x80, 0x0A] + Array(repeating: 0, count: 100) + [0x0A]
        // A kill line with a non-UTF-8 comm.
        bytes += Array("[Thu May  9 14:53:00 2024] Memory cgroup out of memory: Killed process 5 (".utf8) + [0xFF, 0xC0]
            + Array(") total-vm:1kB, anon-rss:2kB, file-rss:0kB, shmem-rss:0kB\n".utf8)
        let out = LineParsing<NodeLogParser>.parse(bytes, context: ParseContext(path: "junk", kind: .dmesg), blockSize: 7919)
        let obs = out.observations.filter { $0.kind == .kernelOOMKill && $0.process != nil }
        #expect(obs.contains { $0.process == ProcessRef(name: "qemu-system-x86", pid: 70870) && $0.kernel?.incomplete == false })
        #expect(obs.contains { $0.process?.pid == 5 && $0.memory?.anonRSSBytes == 2048 })
        #expect(out.diagnostics.contains { $0.message.contains("longer than") })
    }

    @Test func twoMegabyteKernelLinesAreBoundedEvidence() throws {
        let prefix = "[ 1.000000] Memory cgroup out of memory: Killed process 12 ("
        var bytes = Array(prefix.utf8) + Array(repeating: UInt8(ascii: "x"), count: 2 << 20)
        bytes += Array(") total-vm:1kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB\n".utf8)
        bytes += Array("[ 1.000001] ".utf8) + Array(repeating: UInt8(ascii: "-"), count: 2 << 20) + [0x0A]
        var parser = LineParsing<NodeLogParser>(context: ParseContext(path: "big", kind: .dmesg), maxLineBytes: 4 << 20)
        var output = ParseOutput()
        bytes.withUnsafeBytes { parser.feed($0, into: &output) }
        parser.finish(into: &output)
        try #require(output.observations.count == 1)
        #expect(output.observations[0].process?.pid == 12)
        #expect(output.observations[0].process?.name.utf8.count == 256)
        #expect(output.observations[0].memory?.anonRSSBytes == Int64(4 * 1024))
        #expect((output.observations[0].message?.utf8.count ?? 0) <= KernelOOMParser.maxEvidenceBytes)
    }

    /// Random bytes and random cuts of every fixture never crash the parser (seeded, deterministic).
    @Test func randomBytesAndRandomCutsNeverCrash() throws {
        let names = [
            "kernel-oom-cgroupv1-cgroupfs-containerd-syslog-nohost-eks.log", "kernel-oom-cgroupv1-cgroupfs-wrapped-lines-kubedirector.log",
            "kernel-oom-cgroupv1-docker-kernel4.8-noprefix.log", "kernel-oom-cgroupv1-memcg-kernel3.13-noprefix.log",
            "kernel-oom-cgroupv1-systemd-containerd-syslog-harvester.log", "kernel-oom-cgroupv2-swap-line-syslog-dpservice.log",
            "kernel-oom-cgroupv2-systemd-containerd-syslog-aks.log", "kernel-oom-constraint-none-global_oom-docker-scope.log",
            "kernel-oom-dmesg-T-cgroupv1-cgroupfs-docker-el7-k8s56891.log", "kernel-oom-dmesg-T-cgroupv1-systemd-containerd-harvester.log",
            "kernel-oom-dmesg-T-cgroupv2-stat-continuation-kata.log", "kernel-oom-global-kernel3.13-noprefix.log",
            "kernel-oom-global-meminfo-continuation-dmesg-T.log", "kernel-oom-group-kill-dmesg-caller-id-linux-mm.log",
            "kernel-oom-group-kill-syslog-aks-memory-oom-group.log", "kernel-oom-kill-line-cadvisor-test-constants.txt",
            "kernel-oom-memcg-dmesg-raw-kernel5.4-uwsgi.log", "kernel-oom-talos-kmsg-iso-prefix.log",
        ]
        var seed: UInt64 = 42
        let kinds: [FileKind] = [.nodeLog, .dmesg, .kubeletLog, .containerdLog]
        for name in names {
            let original = try Fixture.bytes(name)
            for round in 0..<12 {
                var bytes = original
                // Cut out a random range, flip random bytes, insert random newlines.
                let a = Int(xorshift(&seed) % UInt64(bytes.count))
                let b = Swift.min(bytes.count, a + Int(xorshift(&seed) % 400))
                bytes.removeSubrange(a..<b)
                for _ in 0..<(round * 3) where !bytes.isEmpty {
                    let i = Int(xorshift(&seed) % UInt64(bytes.count))
                    bytes[i] = round % 2 == 0 ? UInt8(truncatingIfNeeded: xorshift(&seed)) : 0x0A
                }
                let cut = Int(xorshift(&seed) % UInt64(bytes.count + 1))
                let kind = kinds[round % kinds.count]
                let out = LineParsing<NodeLogParser>.parse(
                    Array(bytes[..<cut]), context: ParseContext(path: name, kind: kind), blockSize: 1 + round * 37)
                #expect(out.observations.count <= bytes.count)
            }
        }
        for round in 0..<64 {
            let bytes = (0..<(round * 97)).map { _ in UInt8(truncatingIfNeeded: xorshift(&seed)) }
            var parser = KernelOOMParser(context: ParseContext(path: "r", kind: .dmesg))
            var output = ParseOutput()
            bytes.withUnsafeBytes { raw in
                var record = LogRecord(message: raw, line: round)
                parser.parse(record, into: &output)
                record.isContinuation = true
                parser.parse(record, into: &output)
            }
            parser.finish(into: &output)
            _ = LineParsing<NodeLogParser>.parse(bytes, context: ParseContext(path: "r", kind: .nodeLog), blockSize: 13)
        }
    }
}

/// A small deterministic generator for robustness tests.
func xorshift(_ state: inout UInt64) -> UInt64 {
    state ^= state << 13
    state ^= state >> 7
    state ^= state << 17
    return state
}
