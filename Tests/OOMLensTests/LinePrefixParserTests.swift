import Testing
@testable import OOMLens

@Suite struct LinePrefixParserTests {
    /// A record copied out of its borrowed line.
    struct R: Equatable {
        var program: String?
        var host: String?
        var pid: Int?
        var time: SourceTime?
        var timeText: String?
        var uptime: Double?
        var message: String
        var isContinuation = false
    }

    private func read(_ lines: [String]) -> ([R], [Diagnostic]) {
        var parser = LinePrefixParser(file: "test.log")
        var out: [R] = []
        for (i, text) in lines.enumerated() {
            Array(text.utf8).withLine(number: i + 1) { line in
                let r = parser.parse(line)
                var uptime: Double?
                if case .sinceBoot(let s)? = r.uptime?.time { uptime = s }
                out.append(R(program: r.program, host: r.host, pid: r.pid, time: r.time?.time, timeText: r.time?.text,
                             uptime: uptime, message: r.message.string, isContinuation: r.isContinuation))
            }
        }
        return (out, parser.diagnostics)
    }

    private func one(_ line: String) -> R { read([line]).0[0] }

    private func civil(_ y: Int?, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int, _ ns: Int = 0) -> SourceTime {
        .civil(CivilTime(year: y, month: mo, day: d, hour: h, minute: mi, second: s, nanosecond: ns))
    }

    @Test func rfc3164WithHost() {
        let r = one("Jan  5 02:12:02 iZbp153spuk45ulvkwxf34Z kernel: Task in /kubepods.slice/kubepods-burstable.slice killed as a result of limit of /x")
        #expect(r == R(program: "kernel", host: "iZbp153spuk45ulvkwxf34Z", pid: nil, time: civil(nil, 1, 5, 2, 12, 2),
                       timeText: "Jan  5 02:12:02", message: "Task in /kubepods.slice/kubepods-burstable.slice killed as a result of limit of /x"))
    }

    @Test func rfc3164WithoutHostAndWithoutPid() {
        let r = one("Sep  8 06:22:08 kernel: Memory cgroup out of memory: Killed process 2908 (gunicorn) total-vm:208060kB")
        #expect(r.program == "kernel")
        #expect(r.host == nil)
        #expect(r.time == civil(nil, 9, 8, 6, 22, 8))
        #expect(r.message == "Memory cgroup out of memory: Killed process 2908 (gunicorn) total-vm:208060kB")
        let k = one("Sep  8 06:22:08 kubelet: I0908 06:22:08.641656    4813 oom_watcher_linux.go")
        #expect(k.program == "kubelet")
        #expect(k.message == "I0908 06:22:08.641656    4813 oom_watcher_linux.go")
        let c = one(#"Mar 15 09:22:41 acc-jejupass03 containerd: time="2022-03-15T09:22:41.553168162+09:00" level=info"#)
        #expect(c.program == "containerd")
        #expect(c.host == "acc-jejupass03")
        #expect(c.pid == nil)
        #expect(c.message == #"time="2022-03-15T09:22:41.553168162+09:00" level=info"#)
    }

    @Test func redactedAndLocalHostsAreNil() {
        let r = one("Feb 03 19:57:08 ** kernel: virt-launcher invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=986")
        #expect(r.host == nil)
        #expect(r.program == "kernel")
        #expect(r.time == civil(nil, 2, 3, 19, 57, 8))
        #expect(r.message.hasPrefix("virt-launcher invoked oom-killer"))
        #expect(one("Jan 21 22:01:49 localhost kernel: [62279.421192] Killed process 1234 (Plex Media Server)").host == nil)
    }

    @Test func kernelUptimeInsideSyslog() {
        let r = one("Oct 12 19:00:20 aks-nodepool1-24207654-vmss000001 kernel: [ 8523.347168] stress-ng-vm invoked oom-killer: gfp_mask=0x1100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=1000")
        #expect(r.program == "kernel")
        #expect(r.host == "aks-nodepool1-24207654-vmss000001")
        #expect(r.time == civil(nil, 10, 12, 19, 0, 20))
        #expect(r.uptime == 8523.347168)
        #expect(r.message.hasPrefix("stress-ng-vm invoked oom-killer:"))
        // Not for other programs.
        let s = one("Oct 12 19:00:20 aks-nodepool1-24207654-vmss000001 systemd[1]: [ 1.5] x")
        #expect(s.uptime == nil)
        #expect(s.pid == 1)
        #expect(s.message == "[ 1.5] x")
    }

    @Test func journalShortAndShortPrecise() {
        let r = one(#"May 28 16:05:50 192-168-250-5 kubelet[2269385]: I0528 16:05:50.514706 2269385 eviction_manager.go:405] "Eviction manager: pods ranked for eviction""#)
        #expect(r.program == "kubelet")
        #expect(r.pid == 2269385)
        #expect(r.host == "192-168-250-5")
        #expect(r.time == civil(nil, 5, 28, 16, 5, 50))
        #expect(r.message.hasPrefix("I0528 16:05:50.514706 2269385 eviction_manager.go:405]"))
        let p = one(#"Oct 09 00:15:38.395304 bootstrap-e2e-master kubelet[2291]: I1009 00:15:38.394801    2291 kuberuntime_container.go:702] "Killing container with a grace period""#)
        #expect(p.time == civil(nil, 10, 9, 0, 15, 38, 395_304_000))
        #expect(p.timeText == "Oct 09 00:15:38.395304")
        #expect(p.host == "bootstrap-e2e-master")
        #expect(p.pid == 2291)
    }

    @Test func shortIsoAndRsyslogRFC3339() {
        let rfc = one(#"2025-06-18T10:29:40.483477+00:00 aks-nodepool1-26030419-vmss000000 kubelet[3217]: I0618 10:29:40.482904    3217 kubelet.go:2439] "SyncLoop (PLEG): event for pod""#)
        let instant = CivilTime(year: 2025, month: 6, day: 18, hour: 10, minute: 29, second: 40, nanosecond: 483_477_000)
            .instant(offsetSeconds: 0)
        #expect(rfc.time == instant.map { .instant($0) })
        #expect(rfc.timeText == "2025-06-18T10:29:40.483477+00:00")
        #expect(rfc.host == "aks-nodepool1-26030419-vmss000000")
        #expect(rfc.program == "kubelet")
        #expect(rfc.pid == 3217)
        let iso = one("2024-11-28T10:15:02+0100 node-1 containerd[88]: msg")
        #expect(iso.time == CivilTime(year: 2024, month: 11, day: 28, hour: 10, minute: 15, second: 2).instant(offsetSeconds: 3600).map { .instant($0) })
        #expect(iso.program == "containerd")
        #expect(iso.message == "msg")
        let precise = one("2024-11-28T10:15:02.123456+00:00 node-1 kernel: Memory cgroup out of memory: x")
        #expect(precise.program == "kernel")
        #expect(precise.message == "Memory cgroup out of memory: x")
        // dmesg --time-format iso: no host or program.
        let dmesgISO = one("2024-05-09T14:52:38,123456+02:00 Memory cgroup out of memory: Killed process 1 (a)")
        #expect(dmesgISO.program == nil)
        #expect(dmesgISO.message == "Memory cgroup out of memory: Killed process 1 (a)")
    }

    @Test func rawDmesgWithCallerIDAndCutBracket() {
        let r = one("[ 7063.247407] Memory cgroup out of memory: Killed process 63214 (uwsgi) total-vm:3149468kB")
        #expect(r.time == .sinceBoot(seconds: 7063.247407))
        #expect(r.timeText == "7063.247407")
        #expect(r.program == "kernel")
        #expect(r.uptime == nil)
        #expect(r.message == "Memory cgroup out of memory: Killed process 63214 (uwsgi) total-vm:3149468kB")
        let c = one("[   37.110840][ T9185] memory: usage 51200kB, limit 51200kB, failcnt 125")
        #expect(c.time == .sinceBoot(seconds: 37.11084))
        #expect(c.message == "memory: usage 51200kB, limit 51200kB, failcnt 125")
        let cut = one("5193605.506728] Task in /kubepods/pod951f6bc5 killed as a result of limit of /kubepo")
        #expect(cut.time == .sinceBoot(seconds: 5193605.506728))
        #expect(cut.message.hasPrefix("Task in /kubepods/pod951f6bc5"))
        // journalctl -o short-monotonic
        let mono = one("[ 8523.347168] node-1 kubelet[2291]: I1012 19:00:20.1 1 x.go:1] y")
        #expect(mono.host == "node-1")
        #expect(mono.program == "kubelet")
        #expect(mono.message == "I1012 19:00:20.1 1 x.go:1] y")
        // Kernel messages that look like `word word:` are not hosts and programs.
        #expect(one("[ 12.000001] usb 1-1: new high-speed USB device").program == "kernel")
        #expect(one("[ 12.000001] systemd[1]: Started Journal.").message == "systemd[1]: Started Journal.")
    }

    @Test func dmesgTEnglishAndLocalised() {
        let r = one("[Thu May  9 14:52:38 2024] CPU 11/KVM invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=830")
        #expect(r.time == civil(2024, 5, 9, 14, 52, 38))
        #expect(r.timeText == "Thu May  9 14:52:38 2024")
        #expect(r.program == "kernel")
        #expect(r.message.hasPrefix("CPU 11/KVM invoked oom-killer"))
        let zh = one("[二 9月  3 05:57:48 2024] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null)")
        #expect(zh.time == civil(2024, 9, 3, 5, 57, 48))
        #expect(zh.message == "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null)")
    }

    @Test func nonEnglishMonthIsDiagnosedOncePerFile() throws {
        let lines = try Fixture.text("containerd-taskexit-events-formats.log").split(separator: "\n").map(String.init)
        let (records, diagnostics) = read(lines)
        let mai = try #require(records.first { $0.host == "worker04-k8s" })
        #expect(mai.time == nil)
        #expect(mai.program == "containerd")
        #expect(mai.pid == 147380)
        #expect(mai.message.hasPrefix(#"time="2025-05-12T10:19:45.319398178+11:00""#))
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.contains("\"mai\"") == true)
        let may = try #require(records.first { $0.host == "ovn-control-plane3" })
        #expect(may.time == civil(nil, 5, 6, 17, 42, 20))
    }

    @Test func talosAndVMware() {
        let t = one("kern:     err: [2026-07-25T14:23:17.527285605Z]: Memory cgroup out of memory: Killed process 109324 (bun)")
        #expect(t.time == .instant(Instant(seconds: 1_784_989_397, nanoseconds: 527_285_605)))
        #expect(t.program == "kernel")
        #expect(t.message == "Memory cgroup out of memory: Killed process 109324 (bun)")
        let u = one(#"user: warning: [2026-07-25T23:18:55.766105743Z]: [talos] time query error with server "142.248.192.33""#)
        #expect(u.program == "user")
        #expect(u.message == #"[talos] time query error with server "142.248.192.33""#)
        let v = one("2023-12-04T10:49:30.127Z In(05) vcpu-5 - Guest: <6>[39291577.009360] Memory cgroup stats for /kubepods")
        #expect(v.time == .instant(Instant(seconds: 1_701_686_970, nanoseconds: 127_000_000)))
        #expect(v.uptime == 39291577.009360)
        #expect(v.program == "kernel")
        #expect(v.message == "Memory cgroup stats for /kubepods")
        let w = one("2023-12-04T10:49:30.103Z In(05) vcpu-5 - Guest: <4>[39261021.091611]  dump_stack+0x6d/0x8b")
        #expect(w.message == " dump_stack+0x6d/0x8b")
    }

    @Test func pasteArtefacts() {
        let star = one("* Oct 12 19:00:20 node-1 kernel: [ 1.000000] x")
        #expect(star.program == "kernel")
        #expect(star.uptime == 1.0)
        #expect(star.message == "x")
        let indented = one("  Oct 12 19:00:20 node-1 kubelet[9]: y")
        #expect(indented.program == "kubelet")
        #expect(indented.isContinuation == false)
        let bats = one(#"# time="2023-05-31 15:54:15.113161747Z" level=info msg="Started container""#)
        #expect(bats.program == nil)
        #expect(bats.message == #"time="2023-05-31 15:54:15.113161747Z" level=info msg="Started container""#)
        let prompt = one("$ [ 7.5] z")
        #expect(prompt.time == .sinceBoot(seconds: 7.5))
        #expect(prompt.message == "z")
    }

    @Test func journalMarkers() {
        let (records, _) = read([
            "-- Logs begin at Mon 2024-01-01 00:00:00 UTC, end at Tue 2024-01-02 00:00:00 UTC. --",
            "-- Boot 0c5a3e0f8e5c4b1f9a0c7b4a4b4d2e3f --", "-- Reboot --", "-- No entries --",
        ])
        #expect(records.allSatisfy { $0.program == LinePrefixParser.journalMarkerProgram })
        #expect(records[1].message == "-- Boot 0c5a3e0f8e5c4b1f9a0c7b4a4b4d2e3f --")
    }

    @Test func continuationLinesInheritThePreviousRecord() {
        let (r, _) = read([
            "[Wed Jun 17 10:37:10 2020] anon 1062739968",
            "                           file 0",
            "                           kernel_stack 0",
            "",
            "   after a blank line",
            "I0908 06:22:08.641656    4813 oom_watcher_linux.go:1] klog",
            "\tat java.lang.Thread.run",
        ])
        #expect(r[1] == R(program: "kernel", time: civil(2020, 6, 17, 10, 37, 10), timeText: "Wed Jun 17 10:37:10 2020",
                          message: "file 0", isContinuation: true))
        #expect(r[2].message == "kernel_stack 0")
        #expect(r[2].isContinuation)
        #expect(r[4].isContinuation == false)
        #expect(r[4].program == nil)
        #expect(r[5] == R(message: "I0908 06:22:08.641656    4813 oom_watcher_linux.go:1] klog"))
        #expect(r[6].isContinuation == false)  // the klog line had no prefix
    }

    @Test func unprefixedKernelLinesAreNotMistakenForPrefixes() {
        for line in [
            "CPU    0: hi:    0, btch:   1 usd:   0", "Node 0 DMA: 5*4kB (UM) 6*8kB (UEM)", "[ pid ]   uid  tgid total_vm      rss",
            "[ 1381]     0  1381   530382     5191", "memory: usage 980kB, limit 980kB, failcnt 4152239",
            "oom_reaper: reaped process 1381 (gunpowder-memho), now anon-rss:0kB", "E0516 18:00:44.655347 4052 x.go:1] y",
            #"{"ts":1753121332053.9302,"caller":"x"}"#, "10.200.1.3: {\"ts\":1}", "# source: https://example/issues/1",
        ] {
            let r = one(line)
            #expect(r.time == nil, "\(line)")
            #expect(r.program == nil, "\(line)")
        }
    }

    @Test func kubeletFixturesKeepHostsProgramsAndTimes() throws {
        for (name, host, count) in [
            ("kubelet-pleg-rsyslog-iso8601-azurelinux.log", "aks-nodepool1-26030419-vmss000000", 1),
            ("kubelet-killing-grace-period-short-precise-k8s111762.log", "bootstrap-e2e-master", 3),
            ("kubelet-eviction-journal-k8s132001.log", "192-168-250-5", 3),
        ] {
            let lines = try Fixture.text(name).split(separator: "\n").map(String.init)
            let records = read(lines).0.filter { $0.program == "kubelet" }
            #expect(records.count == count, "\(name)")
            #expect(records.allSatisfy { $0.host == host && $0.time != nil && $0.message.first == "I" }, "\(name)")
        }
    }

    @Test func randomBytesNeverCrash() {
        var seed: UInt64 = 7
        var parser = LinePrefixParser(file: "r")
        let shapes = ["Oct 12 19:00:20 h kernel: [ 1.0] ", "[Thu May  9 14:52:38 2024] ", "kern:  err: [", "2023-12-04T10:49:30.127Z In(05) v - Guest: <6>[", "-- Boot ", "[ 1.5][ T", "9月 "]
        for round in 0..<2000 {
            var bytes = Array(shapes[round % shapes.count].utf8)
            let cut = Int(xorshift(&seed) % UInt64(bytes.count + 1))
            bytes = Array(bytes[..<cut])
            for _ in 0..<(xorshift(&seed) % 40) { bytes.append(UInt8(truncatingIfNeeded: xorshift(&seed))) }
            bytes.withLine(number: round) { line in
                let r = parser.parse(line)
                #expect(r.message.count <= line.bytes.count)
            }
        }
    }
}
