import Testing
@testable import OOMLens

@Suite struct SystemdMessageParserTests {
    @Test func containerScopeKilledByOOMKillerAKS() throws {
        let out = try RecordCut.run(SystemdMessageParser.self, fixture: "kernel-oom-cgroupv2-systemd-containerd-syslog-aks.log",
                                    programs: ["systemd"])
        let o = try #require(out.observations.first)
        #expect(out.observations.count == 1)
        #expect(o.kind == .systemdOOMKill && o.source == .systemd)
        #expect(o.location.line == 47)
        #expect(o.containerID == "25a38b5b8d556d7983d975577f5ac75ebbcfb4b269e6deaa0a0440c1ffc969ca")
        #expect(o.node == "aks-nodepool1-24207654-vmss000001")
        #expect(o.reason == nil)
        #expect(o.time == TimeReading(.civil(CivilTime(year: nil, month: 10, day: 12, hour: 19, minute: 0, second: 20)),
                                      text: "Oct 12 19:00:20"))
        #expect(o.message == "cri-containerd-25a38b5b8d556d7983d975577f5ac75ebbcfb4b269e6deaa0a0440c1ffc969ca.scope: A process of this unit has been killed by the OOM killer.")
    }

    @Test func serviceUnitsKilledAndFailed() throws {
        let out = try RecordCut.run(SystemdMessageParser.self, fixture: "systemd-unit-oom-kill-journal.log",
                                    programs: ["systemd"])
        let obs = out.observations
        #expect(obs.map { $0.location.line } == [4, 5, 6, 7, 8, 10])
        #expect(obs.allSatisfy { $0.kind == .systemdOOMKill && $0.containerID == nil })
        #expect(obs.map(\.reason) == [nil, "oom-kill", nil, "oom-kill", nil, "oom-kill"])
        #expect(obs[1].message == "test-oom-mem.service: Failed with result 'oom-kill'.")
        #expect(obs[1].summary == "systemd: unit test-oom-mem.service failed with result 'oom-kill'")
        #expect(obs[1].node == "cqeunxhpza")
        #expect(obs[2].message == "notice-bot.service: The kernel OOM killer killed some processes in this unit.")
        #expect(obs[2].node == nil)
        #expect(obs[4].time?.time == .instant(Instant(seconds: 1_789_984_943)))
        #expect(obs[4].node == "priceless-mayer")
        #expect(obs[5].summary == "systemd: unit mariadb.service failed with result 'oom-kill'")
    }

    @Test func scopeAndSliceNames() {
        func ids(_ unit: String) -> (String?, String?) {
            Array(unit.utf8).withUnsafeBytes {
                (SystemdMessageParser.containerID($0, 0..<$0.count), SystemdMessageParser.podUID($0, 0..<$0.count))
            }
        }
        // Unit names as printed in 04-runtime.md §3-4 and the kernel samples' cpuset=/task_memcg= paths.
        #expect(ids("docker-00748bf4e957f82c239a1db8a88579059b7d40c7b5fbd3f43617d31d3f646f12.scope").0
            == "00748bf4e957f82c239a1db8a88579059b7d40c7b5fbd3f43617d31d3f646f12")
        #expect(ids("crio-conmon-00748bf4e957f82c239a1db8a88579059b7d40c7b5fbd3f43617d31d3f646f12.scope").0 == nil)
        #expect(ids("kubepods-burstable-pod5931aa75_4603_4e65_b552_7c71cf55cfb5.slice").1
            == "5931aa75-4603-4e65-b552-7c71cf55cfb5")
        #expect(ids("kubelet.service") == (nil, nil))
    }

    @Test func randomBytesAndCutsNeverCrash() throws {
        let samples = try ["systemd-unit-oom-kill-journal.log", "kernel-oom-cgroupv2-systemd-containerd-syslog-aks.log"]
            .map { try Fixture.text($0) }
        let output = Robustness.feed(SystemdMessageParser.self, Robustness.inputs(from: samples, seed: 0x5157_E3D))
        #expect(output.observations.allSatisfy { $0.kind == .systemdOOMKill })
    }
}
