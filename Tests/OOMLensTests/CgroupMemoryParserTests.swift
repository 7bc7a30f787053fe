import Testing
@testable import OOMLens

@Suite struct CgroupMemoryParserTests {
    private typealias Parser = LineParsing<CgroupMemoryParser>

    /// A systemd-driver container cgroup: the pod slice and scope of the AKS kernel sample's `task_memcg=`.
    private let systemdDir = "nodes/aks-nodepool1-24207654-vmss000001/sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod5931aa75_4603_4e65_b552_7c71cf55cfb5.slice/cri-containerd-25a38b5b8d556d7983d975577f5ac75ebbcfb4b269e6deaa0a0440c1ffc969ca.scope"
    /// A cgroupfs-driver container cgroup (04-runtime.md §5 path shape).
    private let cgroupfsDir = "sys/fs/cgroup/memory/kubepods/burstable/pod27aff94d-e0d9-43d1-84d6-9ab000aa57e2/4296b9e2377fddb0e7e42d20223c36771268cb7a1828315331405b66f0030add"

    private func parse(_ text: String, _ path: String, node: String? = nil) -> ParseOutput {
        Parser.parse(text, context: ParseContext(path: path, kind: .cgroupMemory, nodeHint: node))
    }

    /// The sample holds two files separated by `--`.
    private func blocks() throws -> [String] {
        let text = try Fixture.text("cgroupv2-memory-events-examples.txt")
        var out: [String] = []
        var current = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "--" { out.append(current); current = ""; continue }
            current += line + "\n"
        }
        out.append(current)
        return out
    }

    @Test func memoryEventsAfterOneOOMKill() throws {
        let out = parse(try blocks()[0], systemdDir + "/memory.events", node: "aks-nodepool1-24207654-vmss000001")
        let o = try #require(out.observations.first)
        #expect(out.observations.count == 1)
        #expect(o.kind == .cgroupMemory && o.source == .cgroup && o.time == nil)
        #expect(o.count == 1)
        #expect(o.message == "memory.events: low 0, high 0, max 35, oom 1, oom_kill 1, oom_group_kill 0")
        #expect(o.podUID == "5931aa75-4603-4e65-b552-7c71cf55cfb5")
        #expect(o.containerID == "25a38b5b8d556d7983d975577f5ac75ebbcfb4b269e6deaa0a0440c1ffc969ca")
        #expect(o.node == "aks-nodepool1-24207654-vmss000001")
        #expect(o.location.line == 2)
        #expect(o.summary == "container 25a38b5b8d55 memory.events: oom_kill 1")
        #expect(out.diagnostics.isEmpty)
    }

    @Test func memoryEventsWithoutKillsAndAuthorNotation() throws {
        // Block (b): max hit 13693 times, no OOM; its `memory.current=…` lines are the author's notation.
        let out = parse(try blocks()[1], cgroupfsDir + "/memory.events.local")
        let o = try #require(out.observations.first)
        #expect(o.count == 0)
        #expect(o.message == "memory.events.local: low 0, high 0, max 13693, oom 0, oom_kill 0, oom_group_kill 0")
        #expect(o.podUID == "27aff94d-e0d9-43d1-84d6-9ab000aa57e2")
        #expect(o.containerID == "4296b9e2377fddb0e7e42d20223c36771268cb7a1828315331405b66f0030add")
        #expect(out.diagnostics.isEmpty)
    }

    /// Single-value files with the figures of sample block (b), `max`, v1's unlimited value and a
    /// pasted thousands-separated value (04-runtime.md §5).
    @Test func singleValueFiles() {
        let current = parse("394907648\n", cgroupfsDir + "/memory.current").observations.first
        #expect(current?.memory == MemoryFigures(usageBytes: 394_907_648))
        #expect(current?.message == "memory.current: 394907648")
        let max = parse("402653184\n", cgroupfsDir + "/memory.max").observations.first
        #expect(max?.memory == MemoryFigures(limitBytes: 402_653_184))
        #expect(max?.summary == "container 4296b9e2377f memory.max: 384Mi")
        let unlimited = parse("max\n", "kubepods.slice/memory.max").observations.first
        #expect(unlimited?.memory == nil)
        #expect(unlimited?.message == "memory.max: max")
        #expect(unlimited?.summary == "cgroup memory.max: unlimited")
        let v1 = parse("9223372036854771712\n", cgroupfsDir + "/memory.limit_in_bytes").observations.first
        #expect(v1?.memory == nil)
        #expect(v1?.summary == "container 4296b9e2377f memory.limit_in_bytes: unlimited")
        let pasted = parse("2,472,419,328\n", cgroupfsDir + "/memory.usage_in_bytes").observations.first
        #expect(pasted?.memory == MemoryFigures(usageBytes: 2_472_419_328))
        let peak = parse("102400000\n", systemdDir + "/memory.peak").observations.first
        #expect(peak?.memory == nil)
        #expect(peak?.message == "memory.peak: 102400000")
        let failcnt = parse("6402\n", cgroupfsDir + "/memory.failcnt").observations.first
        #expect(failcnt?.memory == MemoryFigures(failCount: 6402))
    }

    /// `memory.stat` keys and values as the AKS kernel block printed them for the same cgroup.
    @Test func memoryStat() {
        let stat = """
        anon 98742272
        file 2469888
        kernel_stack 131072
        pagetables 851968
        percpu 11752
        sock 0
        shmem 2297856
        file_mapped 2310144
        inactive_anon 101011456
        active_anon 28672
        slab 2452248
        workingset_restore_anon 0
        """
        let o = parse(stat, systemdDir + "/memory.stat").observations.first
        #expect(o?.memory == MemoryFigures(anonRSSBytes: 98_742_272, fileRSSBytes: 2_310_144, shmemRSSBytes: 2_297_856))
        #expect(o?.message == "memory.stat: anon 98742272, file 2469888, kernel_stack 131072, pagetables 851968, sock 0, shmem 2297856, file_mapped 2310144, slab 2452248")
        #expect(o?.count == nil)
    }

    /// v1 `memory.oom_control` keys (04-runtime.md §5).
    @Test func v1OOMControl() {
        let o = parse("oom_kill_disable 0\nunder_oom 0\noom_kill 3\n", cgroupfsDir + "/memory.oom_control").observations.first
        #expect(o?.count == 3)
        #expect(o?.message == "memory.oom_control: oom_kill_disable 0, under_oom 0, oom_kill 3")
    }

    @Test func unknownFilesAndBadValuesBecomeDiagnostics() {
        let unknown = parse("42\n", "sys/fs/cgroup/cpu.max")
        #expect(unknown.observations.isEmpty)
        #expect(unknown.diagnostics.map(\.severity) == [.note])
        let bad = parse("oom_kill lots\n", "memory.events")
        #expect(bad.observations.isEmpty)
        #expect(bad.diagnostics.map(\.message) == [
            "1 value(s) in memory.events were not numbers and were skipped", "no memory values read from memory.events",
        ])
    }

    @Test func randomBytesAndCutsNeverCrash() throws {
        let samples = [try Fixture.text("cgroupv2-memory-events-examples.txt")]
        let names = ["memory.events", "memory.max", "memory.stat", "memory.oom_control", "memory.current", "x"]
        for (n, input) in Robustness.inputs(from: samples, seed: 0xC60_0007).enumerated() {
            let context = ParseContext(path: cgroupfsDir + "/" + names[n % names.count], kind: .cgroupMemory)
            let out = Parser.parse(input, context: context, blockSize: 1 + n % 13)
            #expect(out.observations.count <= 1)
        }
    }
}
