import Testing
@testable import OOMLens

@Suite struct RuntimeMessageParserTests {
    private func instant(_ seconds: Int64, _ nanos: Int32) -> SourceTime { .instant(Instant(seconds: seconds, nanoseconds: nanos)) }

    private func civil(_ month: Int, _ day: Int, _ h: Int, _ m: Int, _ s: Int) -> SourceTime {
        .civil(CivilTime(year: nil, month: month, day: day, hour: h, minute: m, second: s))
    }

    @Test func taskOOMGogoRenderingWithZonedTimes() throws {
        let out = try RecordCut.run(RuntimeMessageParser.self, fixture: "containerd-taskoom-gogo-format.log",
                                    programs: ["containerd"])
        let obs = out.observations
        #expect(obs.count == 2)
        #expect(obs.allSatisfy { $0.kind == .runtimeOOM && $0.source == .containerd && $0.reason == "TaskOOM" })
        #expect(obs.map { $0.location.line } == [3, 6])
        #expect(obs[0].containerID == "198301288f1414171589a049d5f75f9e4c871b8b3e5ad5af12051fdcc65da726")
        #expect(obs[0].time == TimeReading(instant(1_744_579_294, 519_809_409), text: "2025-04-14T05:21:34.519809409+08:00"))
        #expect(obs[0].secondaryTime == TimeReading(civil(4, 14, 5, 21, 34), text: "Apr 14 05:21:34"))
        #expect(obs[0].node == "cc-zzhk-loongarch-controller-1")
        #expect(obs[1].containerID == "0527c6dd14e504ab8c406806e0ce182aec604a0dbeeefc4e94e1ee3550dda3db")
        #expect(obs[1].time?.time == instant(1_647_303_761, 553_168_162))
        #expect(obs[1].node == "acc-jejupass03")
        #expect(obs[1].summary == "containerd reported an OOM event for container 0527c6dd14e5")
        #expect(out.clockHints == [
            .utcOffset(seconds: 28_800, node: "cc-zzhk-loongarch-controller-1",
                       origin: "runtime time= zone matches the log prefix clock at containerd-taskoom-gogo-format.log:3"),
            .datedRecord(Instant(seconds: 1_744_579_294, nanoseconds: 519_809_409)),
        ])
    }

    @Test func taskOOMProtobufRenderingAKS() throws {
        let out = try RecordCut.run(RuntimeMessageParser.self, fixture: "kernel-oom-cgroupv2-systemd-containerd-syslog-aks.log",
                                    programs: ["containerd"])
        let o = try #require(out.observations.first)
        #expect(out.observations.count == 1)
        #expect(o.kind == .runtimeOOM)
        #expect(o.location.line == 48)
        #expect(o.containerID == "25a38b5b8d556d7983d975577f5ac75ebbcfb4b269e6deaa0a0440c1ffc969ca")
        #expect(o.time == TimeReading(instant(1_697_137_220, 879_932_879), text: "2023-10-12T19:00:20.879932879Z"))
        #expect(o.message == "TaskOOM event container_id:\"25a38b5b8d556d7983d975577f5ac75ebbcfb4b269e6deaa0a0440c1ffc969ca\"")
        #expect(o.node == "aks-nodepool1-24207654-vmss000001")
    }

    @Test func exitEventsGogoCutAndHardWrapped() throws {
        let out = try RecordCut.run(RuntimeMessageParser.self, fixture: "containerd-taskexit-events-formats.log")
        let obs = out.observations
        #expect(obs.map(\.kind) == [.runtimeExit, .runtimeExit])
        #expect(obs.map { $0.location.line } == [4, 5])

        let gogo = obs[0]
        #expect(gogo.containerID == "eed4f6efaa9e9683fd004a4eae4c8e307dd8bf55e268a0d80c72e554e981f9e5")
        #expect(gogo.exitCode == nil)
        #expect(gogo.message == nil)
        #expect(gogo.time == TimeReading(instant(1_588_786_940, 536_331_032), text: "2020-05-06T17:42:20.536331032Z"))
        #expect(gogo.secondaryTime == TimeReading(civil(5, 6, 17, 42, 20), text: "May 06 17:42:20"))
        #expect(gogo.node == "ovn-control-plane3")

        // The 2.x line is hard-wrapped over three lines of the paste; its "mai" prefix has no usable time.
        let wrapped = obs[1]
        #expect(wrapped.containerID == "bf59c7e883d11515ddcdf6295ef23ba8d46d8278d3bcc16c320d6be6d7093d35")
        #expect(wrapped.exitCode == 0)
        #expect(wrapped.message == "pid 162385, exit status 0")
        #expect(wrapped.time == TimeReading(instant(1_747_005_585, 318_933_335), text: "exited_at:{seconds:1747005585 nanos:318933335}"))
        #expect(wrapped.secondaryTime?.text == "2025-05-12T10:19:45.319398178+11:00")
        #expect(wrapped.node == "worker04-k8s")
        #expect(out.clockHints.first == .utcOffset(
            seconds: 0, node: "ovn-control-plane3",
            origin: "runtime time= zone matches the log prefix clock at containerd-taskexit-events-formats.log:4"))
    }

    @Test func receivedExitEventProtobufText() throws {
        let out = try RecordCut.run(RuntimeMessageParser.self, fixture: "kubelet-pleg-containerdied-exitcode-aks.log",
                                    programs: ["containerd"])
        let o = try #require(out.observations.first)
        #expect(out.observations.count == 1)
        #expect(o.kind == .runtimeExit && o.source == .containerd)
        #expect(o.location.line == 3)
        #expect(o.containerID == "f51267392f05152ad8ef082073f1b65abea345f4d4445cf079acd0d770374a1c")
        #expect(o.exitCode == 0)
        #expect(o.message == "pid 219567, exit status 0")
        #expect(o.time == TimeReading(instant(1_747_396_843, 754_293_507), text: "exited_at:{seconds:1747396843  nanos:754293507}"))
        #expect(o.secondaryTime == TimeReading(civil(5, 16, 18, 2, 43), text: "May 16 18:02:43"))
        #expect(o.summary == "containerd saw container f51267392f05 exit (pid 219567, exit status 0)")
    }

    @Test func crioExitFileEventReportedOnce() throws {
        let text = try Fixture.text("crio-logrus-format-oom-test.log")
        let lastLine = text.split(separator: "\n").last.map(String.init) ?? ""
        let out = RecordCut.run(RuntimeMessageParser.self, text + "\n" + lastLine, path: "crio.log")
        let o = try #require(out.observations.first)
        #expect(out.observations.count == 1)
        #expect(o.kind == .runtimeExit && o.source == .crio)
        #expect(o.location.line == 3)
        #expect(o.containerID == "ad41a2b86a0eb8ee5cf725eea052b245e0ed3441af420abb7f2bd32d12918c5b")
        #expect(o.time == TimeReading(instant(1_685_548_455, 733_388_177), text: "2023-05-31 15:54:15.733388177Z"))
        #expect(o.message == "Event: WRITE         \"/tmp/tmp.qhWq5MyCkg/containers/exits/ad41a2b86a0eb8ee5cf725eea052b245e0ed3441af420abb7f2bd32d12918c5b.1D8Z51\"")
    }

    /// containerd's exit status appears only when non-zero (04-runtime.md §1, containerd#11837 notes).
    @Test func nonZeroExitStatus() {
        let line = #"time="2025-05-12T10:19:45.319398178+11:00" level=info msg="TaskExit event in podsandbox handler container_id:\"bf59c7e883d11515ddcdf6295ef23ba8d46d8278d3bcc16c320d6be6d7093d35\" id:\"bf59c7e883d11515ddcdf6295ef23ba8d46d8278d3bcc16c320d6be6d7093d35\" pid:162385 exit_status:137 exited_at:{seconds:1747005585 nanos:318933335}""#
        let out = RecordCut.run(RuntimeMessageParser.self, line, path: "containerd.log", node: "worker04-k8s")
        #expect(out.observations.first?.exitCode == 137)
        #expect(out.observations.first?.node == "worker04-k8s")
        #expect(out.observations.first?.secondaryTime?.text == "2025-05-12T10:19:45.319398178+11:00")
    }

    /// An unterminated message longer than the join buffer, then prefix-less lines: read as it is.
    @Test func oversizedWrappedMessageIsBounded() {
        let id = "25a38b5b8d556d7983d975577f5ac75ebbcfb4b269e6deaa0a0440c1ffc969ca"
        let long = #"time="2023-10-12T19:00:20.879932879Z" level=info msg="TaskOOM event container_id:\""# + id
            + String(repeating: "x", count: 20_000)
        let out = RecordCut.run(RuntimeMessageParser.self, long + "\nmore\nand more", path: "containerd.log")
        #expect(out.observations.map(\.containerID) == [id])
    }

    @Test func randomBytesAndCutsNeverCrash() throws {
        let samples = try [
            "containerd-taskoom-gogo-format.log", "containerd-taskexit-events-formats.log",
            "crio-logrus-format-oom-test.log", "kubelet-pleg-containerdied-exitcode-aks.log",
        ].map { try Fixture.text($0) }
        let output = Robustness.feed(RuntimeMessageParser.self, Robustness.inputs(from: samples, seed: 0xC0FFEE))
        #expect(output.observations.allSatisfy { [.containerd, .crio, .docker].contains($0.source) })
    }
}
