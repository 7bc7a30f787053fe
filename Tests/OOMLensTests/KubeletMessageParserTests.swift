import Testing
@testable import OOMLens

/// Test-only stand-in for `LinePrefixParser`: cuts a sample line after its syslog/journal/rsyslog
/// prefix (or a Talos `10.200.1.3: ` node prefix) and fills `time`, `host`, `program` and `pid`
/// naively; a line with no prefix is handed over whole.
enum RecordCut {
    struct Prefix {
        var time: TimeReading?
        var host: String?
        var program: String?
        var pid: Int?
        var messageStart: Int
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Reads the prefix of one line (paste artefacts `* ` and leading spaces are skipped).
    static func prefix(_ line: [UInt8]) -> Prefix {
        var i = 0
        while i < line.count, line[i] == .space { i += 1 }
        if line.count > i + 1, line[i] == UInt8(ascii: "*"), line[i + 1] == .space { i += 2 }
        let start = i
        var time: TimeReading?
        var afterTime: Int?
        line.withUnsafeBytes { b in
            if let reading = RFC3339.read(b, at: start), reading.end < b.count, b[reading.end] == .space {
                let t: SourceTime = reading.instant.map { .instant($0) } ?? .civil(reading.civil)
                time = TimeReading(t, text: b.string(start..<reading.end))
                afterTime = reading.end + 1
            } else if b.count > start + 15, b[start + 3] == .space, b[start + 9] == .colon, b[start + 12] == .colon {
                // "Oct 12 19:34:44" or "Oct 09 00:15:38.395304" (month names of other locales: no time)
                var end = start + 15
                var nanos = 0
                if end < b.count, b[end] == .dot {
                    var scale = 100_000_000
                    end += 1
                    while end < b.count, b[end].isDigit { nanos += Int(b[end] - .zero) * scale; scale /= 10; end += 1 }
                }
                let month = months.firstIndex(of: b.string(start..<(start + 3))).map { $0 + 1 }
                let dayText = b.string((start + 4)..<(start + 6)).filter { $0 != " " }
                func two(_ at: Int) -> Int { Int(b.string(at..<(at + 2))) ?? 0 }
                if let month, let day = Int(dayText) {
                    let civil = CivilTime(year: nil, month: month, day: day, hour: two(start + 7),
                                          minute: two(start + 10), second: two(start + 13), nanosecond: nanos)
                    time = TimeReading(.civil(civil), text: b.string(start..<end))
                }
                afterTime = end + 1
            }
        }
        let bytes = line
        func token(from: Int) -> (String, Int) {
            guard from < bytes.count else { return ("", bytes.count) }
            var end = from
            while end < bytes.count, bytes[end] != .space { end += 1 }
            return (String(decoding: bytes[from..<end], as: UTF8.self), end)
        }
        guard let afterTime, afterTime < bytes.count else {
            // Talos: "10.200.1.3: {…}"
            let (first, end) = token(from: start)
            if first.hasSuffix(":"), end + 1 < bytes.count, bytes[end + 1] == .openBrace {
                return Prefix(host: String(first.dropLast()), messageStart: end + 1)
            }
            return Prefix(messageStart: start)
        }
        var (first, end) = token(from: afterTime)
        var host: String?
        if !first.hasSuffix(":") {
            host = first
            (first, end) = token(from: end + 1)
            guard first.hasSuffix(":") else {
                return Prefix(time: time, host: host, messageStart: Swift.min(bytes.count, end + 1))
            }
        }
        var program = String(first.dropLast())
        var pid: Int?
        if let open = program.firstIndex(of: "["), program.hasSuffix("]") {
            pid = Int(program[program.index(after: open)..<program.index(before: program.endIndex)])
            program = String(program[..<open])
        }
        return Prefix(time: time, host: host, program: program.lowercased(), pid: pid,
                      messageStart: Swift.min(bytes.count, end + 1))
    }

    /// Runs a message parser over every line of `text`, as `NodeLogParser` will; `programs` keeps
    /// only the lines of those programs (and lines without a program).
    static func run<P: MessageParser>(
        _ type: P.Type, _ text: String, path: String = "node.log", node: String? = nil, programs: Set<String>? = nil
    ) -> ParseOutput {
        var parser = P(context: ParseContext(path: path, kind: .nodeLog, nodeHint: node))
        var output = ParseOutput()
        var number = 0
        for lineText in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let bytes = Array(lineText.utf8)
            let prefix = prefix(bytes)
            if let programs, let program = prefix.program, !programs.contains(program) { continue }
            bytes.withUnsafeBytes { b in
                var record = LogRecord(message: b.suffix(from: prefix.messageStart), line: number)
                record.time = prefix.time
                record.host = prefix.host
                record.program = prefix.program
                record.pid = prefix.pid
                parser.parse(record, into: &output)
            }
        }
        parser.finish(into: &output)
        return output
    }

    static func run<P: MessageParser>(
        _ type: P.Type, fixture: String, node: String? = nil, programs: Set<String>? = nil
    ) throws -> ParseOutput {
        run(type, try Fixture.text(fixture), path: fixture, node: node, programs: programs)
    }
}

/// A small deterministic xorshift generator for robustness tests.
struct XorShift: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }

    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}

enum Robustness {
    /// Random byte strings, and random cuts, splices and byte flips of real sample lines.
    static func inputs(from samples: [String], seed: UInt64, count: Int = 400) -> [[UInt8]] {
        var rng = XorShift(seed: seed)
        let lines = samples.flatMap { $0.split(separator: "\n").map { Array($0.utf8) } }
        var out: [[UInt8]] = []
        for n in 0..<count {
            switch n % 4 {
            case 0:
                let length = Int.random(in: 0...300, using: &rng)
                out.append((0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) })
            case 1:
                guard let line = lines.randomElement(using: &rng), !line.isEmpty else { continue }
                let a = Int.random(in: 0...line.count, using: &rng)
                let b = Int.random(in: a...line.count, using: &rng)
                out.append(Array(line[a..<b]))
            case 2:
                guard let line = lines.randomElement(using: &rng), !line.isEmpty else { continue }
                out.append(Array(line[0..<Int.random(in: 0...line.count, using: &rng)]))
            default:
                guard var line = lines.randomElement(using: &rng), !line.isEmpty else { continue }
                for _ in 0..<Int.random(in: 1...6, using: &rng) {
                    line[Int.random(in: 0..<line.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
                out.append(line)
            }
        }
        return out
    }

    /// Feeds every input to a message parser as a whole message and as a message after its prefix.
    static func feed<P: MessageParser>(_ type: P.Type, _ inputs: [[UInt8]]) -> ParseOutput {
        var parser = P(context: ParseContext(path: "fuzz.log", kind: .nodeLog))
        var output = ParseOutput()
        for (n, input) in inputs.enumerated() {
            let prefix = RecordCut.prefix(input)
            input.withUnsafeBytes { b in
                parser.parse(LogRecord(message: b, line: n + 1), into: &output)
                var record = LogRecord(message: b.suffix(from: Swift.min(prefix.messageStart, b.count)), line: n + 1)
                record.isContinuation = n % 3 == 0
                parser.parse(record, into: &output)
            }
        }
        parser.finish(into: &output)
        return output
    }
}

@Suite struct KubeletMessageParserTests {
    private func civil(_ month: Int, _ day: Int, _ h: Int, _ m: Int, _ s: Int, _ ns: Int) -> SourceTime {
        .civil(CivilTime(year: nil, month: month, day: day, hour: h, minute: m, second: s, nanosecond: ns))
    }

    @Test func structuredEvictionSequenceAKS() throws {
        let out = try RecordCut.run(KubeletMessageParser.self, fixture: "kubelet-eviction-memory-syslog-aks.log")
        let obs = out.observations
        #expect(obs.map(\.kind) == [.nodePressure, .containerKilled, .containerDied, .podEvicted])
        #expect(obs.map { $0.location.line } == [2, 3, 4, 5])
        #expect(obs.allSatisfy { $0.source == .kubelet && $0.node == "aks-nodepool1-24207654-vmss000002" })

        let ranked = obs[0]
        #expect(ranked.message == "pods ranked for eviction: [default/nginx kube-system/kube-proxy-5thr6 kube-system/csi-azurefile-node-wz6c7 kube-system/csi-azuredisk-node-vsljb kube-system/cloud-node-manager-wcrvk kube-system/azure-ip-masq-agent-mr5d7 kube-system/ama-logs-6h992]")
        #expect(ranked.time == TimeReading(civil(10, 12, 19, 34, 44, 999_261_000), text: "1012 19:34:44.999261"))
        #expect(ranked.secondaryTime == TimeReading(civil(10, 12, 19, 34, 44, 0), text: "Oct 12 19:34:44"))

        let kill = obs[1]
        #expect(kill.namespace == "default")
        #expect(kill.pod == "nginx")
        #expect(kill.podUID == "27aff94d-e0d9-43d1-84d6-9ab000aa57e2")
        #expect(kill.container == "nginx")
        #expect(kill.containerID == "4296b9e2377fddb0e7e42d20223c36771268cb7a1828315331405b66f0030add")
        #expect(kill.message == "gracePeriod=30")
        #expect(kill.time?.text == "1012 19:34:45.000152")

        let died = obs[2]
        #expect(died.podUID == "27aff94d-e0d9-43d1-84d6-9ab000aa57e2")
        #expect(died.containerID == "4296b9e2377fddb0e7e42d20223c36771268cb7a1828315331405b66f0030add")
        #expect(died.namespace == "default" && died.pod == "nginx")
        #expect(died.reason == "ContainerDied")

        let evicted = obs[3]
        #expect(evicted.namespace == "default" && evicted.pod == "nginx" && evicted.reason == "Evicted")
        #expect(evicted.time == TimeReading(civil(10, 12, 19, 34, 45, 445_172_000), text: "1012 19:34:45.445172"))
        #expect(evicted.summary == "kubelet evicted pod default/nginx")
    }

    @Test func journalJSONArrayRankedListAndEviction() throws {
        let out = try RecordCut.run(KubeletMessageParser.self, fixture: "kubelet-eviction-journal-k8s132001.log")
        #expect(out.observations.map(\.kind) == [.nodePressure, .podEvicted])
        #expect(out.observations[0].message == "pods ranked for eviction: [\"sre/infras-logstash-d484d57fc-rkx95\",\"sre/admin-api-server-847868d7b-7sqdm\",\"scrm/portal-h5-7c46694b8f-bkz95\"]")
        let evicted = out.observations[1]
        #expect(evicted.namespace == "sre" && evicted.pod == "infras-logstash-d484d57fc-rkx95")
        #expect(evicted.node == "192-168-250-5")
        #expect(evicted.time == TimeReading(civil(5, 28, 16, 5, 54, 802_914_000), text: "0528 16:05:54.802914"))
        #expect(evicted.location.line == 3)
    }

    @Test func unstructuredObservationsAfterReclaim() throws {
        let out = try RecordCut.run(
            KubeletMessageParser.self, fixture: "kubelet-eviction-observations-unstructured-k8s107024.log", node: "n1")
        let obs = out.observations
        #expect(obs.count == 4)
        #expect(obs.allSatisfy { $0.kind == .nodePressure && $0.node == "n1" && $0.secondaryTime == nil })
        #expect(obs.map(\.resource) == ["ephemeral-storage", "ephemeral-storage", "memory", "memory"])
        #expect(obs[0].message == "signal=nodefs.inodesFree, available: 104781035, capacity: 104857600")
        #expect(obs[0].memory == nil)
        #expect(obs[2].message == "signal=memory.available, available: 60687100Ki, capacity: 65973468Ki")
        #expect(obs[2].memory == MemoryFigures(limitBytes: 65_973_468 * 1024, usageBytes: (65_973_468 - 60_687_100) * 1024))
        #expect(obs[2].time == TimeReading(civil(12, 15, 19, 22, 59, 485_628_000), text: "1215 19:22:59.485628"))
        #expect(obs[3].message == "signal=allocatableMemory.available, available: 56502720Ki")
        #expect(obs[3].memory == nil)
    }

    @Test func preStructuredEvictionKillAndEventEcho() throws {
        let out = try RecordCut.run(KubeletMessageParser.self, fixture: "kubelet-eviction-unstructured-k8s1.5-era.log")
        let obs = out.observations
        #expect(obs.map(\.kind) == [.nodePressure, .containerKilled, .podEvicted])
        #expect(obs.map { $0.location.line } == [2, 3, 5])
        #expect(obs[0].message == "pods ranked for eviction: container-inode-hog-pod_e2e-tests-inode-eviction-test-827vc(17eed503-f948-11e6-92ea-42010a80000b), normal-memory-usage-pod_e2e-tests-inode-eviction-test-827vc(1b85d6ef-f948-11e6-92ea-42010a80000b)")
        #expect(obs[1].containerID == "9a4c58c575f7656066711faf414e1e4834d9d5013d19656279f36b57f2cf4029")
        #expect(obs[1].message == "gracePeriod=30")
        let evicted = obs[2]
        #expect(evicted.pod == "container-inode-hog-pod")
        #expect(evicted.namespace == "e2e-tests-inode-eviction-test-827vc")
        #expect(evicted.podUID == "17eed503-f948-11e6-92ea-42010a80000b")
        #expect(evicted.reason == "Evicted")
        #expect(evicted.message == "The node was low on resource: nodefsInodes.")
        #expect(evicted.resource == "ephemeral-storage")
    }

    @Test func staticPodKillsShortPrecise() throws {
        let out = try RecordCut.run(
            KubeletMessageParser.self, fixture: "kubelet-killing-grace-period-short-precise-k8s111762.log")
        let obs = out.observations
        #expect(obs.count == 3)
        #expect(obs.allSatisfy { $0.kind == .containerKilled && $0.node == "bootstrap-e2e-master" })
        #expect(obs.map(\.pod) == ["kube-scheduler-bootstrap-e2e-master", "konnectivity-server-bootstrap-e2e-master",
                                   "kube-scheduler-bootstrap-e2e-master"])
        #expect(obs.map(\.podUID) == ["fdc306cbf97a0dbaee0206928d5441ca", "4302e15c6ab2da7264a36e7f070fe58b",
                                      "fdc306cbf97a0dbaee0206928d5441ca"])
        #expect(obs[1].container == "konnectivity-server-container")
        #expect(obs[2].containerID == "ee2ef2cde730f70c1eabe6ab35d720b830f791c407989ebab95d61a9cf1e1a1f")
        #expect(obs[0].secondaryTime == TimeReading(civil(10, 9, 0, 15, 38, 395_304_000), text: "Oct 09 00:15:38.395304"))
        #expect(obs[0].time == TimeReading(civil(10, 9, 0, 15, 38, 394_801_000), text: "1009 00:15:38.394801"))
    }

    @Test func cAdvisorOOMEventLineCutShort() throws {
        let out = try RecordCut.run(KubeletMessageParser.self, fixture: "kubelet-oom-event-cadvisor-manager-k8s53669.log")
        #expect(out.observations.count == 1)
        let o = try #require(out.observations.first)
        #expect(o.kind == .systemOOMReported)
        #expect(o.message == "Created an OOM event in containe")
        #expect(o.node == "ip-10-0-211-82.us-west-1.compute.internal")
        #expect(o.time == TimeReading(civil(10, 10, 17, 41, 57, 858_757_000), text: "1010 17:41:57.858757"))
        #expect(o.secondaryTime?.text == "Oct 10 17:41:58")
    }

    @Test func plegAndCrashLoopUnstructured() throws {
        let out = try RecordCut.run(KubeletMessageParser.self, fixture: "kubelet-pleg-backoff-unstructured-1.20.log")
        let obs = out.observations
        #expect(obs.map(\.kind) == [.containerDied, .backOff])
        let died = obs[0]
        #expect(died.location.line == 3)
        #expect(died.pod == "jumpserver-reader-589945c95c-d2nzg" && died.namespace == "tts-team")
        #expect(died.podUID == "e9a15367-9f7c-44c7-a03e-6b01bf40a705")
        #expect(died.containerID == "d01a562554dc9e4a7d673bdd7a0075d78efe7667f954cadeb6113c74464988f4")
        let back = obs[1]
        #expect(back.location.line == 6)
        #expect(back.node == "minikube")
        #expect(back.container == "posts")
        #expect(back.pod == "posts-ddd9f5767-d7b26" && back.namespace == "default")
        #expect(back.podUID == "1e886b83-484e-4651-a433-877310cc63c1")
        #expect(back.reason == "CrashLoopBackOff")
        #expect(back.message == "back-off 5m0s restarting failed container=posts pod=posts-ddd9f5767-d7b26_default(1e886b83-484e-4651-a433-877310cc63c1)")
        #expect(back.time == TimeReading(civil(11, 20, 21, 23, 52, 724_589_000), text: "1120 21:23:52.724589"))
    }

    @Test func plegJSONRenderingAndExitCode() throws {
        let out = try RecordCut.run(
            KubeletMessageParser.self, fixture: "kubelet-pleg-containerdied-exitcode-aks.log", programs: ["kubelet"])
        let obs = out.observations
        #expect(obs.map(\.kind) == [.containerDied, .containerDied])
        #expect(obs.map { $0.location.line } == [5, 7])
        #expect(obs[0].namespace == "default" && obs[0].pod == "nginx")
        #expect(obs[0].podUID == "7ed0f963-37b7-4383-9d94-77e3a5afb787")
        #expect(obs[0].containerID == "f51267392f05152ad8ef082073f1b65abea345f4d4445cf079acd0d770374a1c")
        #expect(obs[0].time == TimeReading(civil(5, 16, 18, 0, 44, 655_347_000), text: "0516 18:00:44.655347"))
        #expect(obs[0].secondaryTime?.text == "May 16 18:02:44")
        #expect(obs[1].exitCode == 0)
        #expect(obs[1].podUID == "7ed0f963-37b7-4383-9d94-77e3a5afb787")
        #expect(obs[1].containerID == "f51267392f05152ad8ef082073f1b65abea345f4d4445cf079acd0d770374a1c")
        #expect(obs[1].pod == nil)
    }

    @Test func plegStartedUnderRsyslogISOPrefix() throws {
        let out = try RecordCut.run(KubeletMessageParser.self, fixture: "kubelet-pleg-rsyslog-iso8601-azurelinux.log")
        let o = try #require(out.observations.first)
        #expect(out.observations.count == 1)
        #expect(o.kind == .containerStarted)
        #expect(o.pod == "kata-volume-demo" && o.namespace == "default")
        #expect(o.podUID == "03d5bf64-4223-4243-ad5a-7a1080188e87")
        #expect(o.containerID == "3de294a4fb2e3a7bb3c41c200591e7ab79c7fbf59fc811066a39c51234ec212f")
        #expect(o.node == "aks-nodepool1-26030419-vmss000000")
        #expect(o.secondaryTime?.time == .instant(Instant(seconds: 1_750_242_580, nanoseconds: 483_477_000)))
    }

    @Test func docsExamplesAndJSONStartupLinesYieldNothing() throws {
        #expect(try RecordCut.run(KubeletMessageParser.self, fixture: "kubelet-klog-docs-examples.txt").observations.isEmpty)
        let json = try RecordCut.run(KubeletMessageParser.self, fixture: "kubelet-json-logging-format-talosctl.log")
        #expect(json.observations.isEmpty)
        #expect(json.diagnostics.isEmpty)
    }

    @Test func jsonEpochTimesInMillisecondsAndSeconds() {
        func instant(_ text: String) -> Instant? {
            Array(text.utf8).withUnsafeBytes { KubeletMessageParser.epochInstant($0, 0..<$0.count) }
        }
        // talosctl (epoch ms) and the Kubernetes docs example (epoch s)
        #expect(instant("1753121332053.9302") == Instant(seconds: 1_753_121_332, nanoseconds: 53_930_200))
        #expect(instant("1753121332054.528") == Instant(seconds: 1_753_121_332, nanoseconds: 54_528_000))
        #expect(instant("1580306777.04728") == Instant(seconds: 1_580_306_777, nanoseconds: 47_280_000))
    }

    /// A JSON-format eviction line assembled from the sample's `ts`/`caller` keys and the docs' pod object.
    @Test func jsonEvictionLine() {
        let line = #"10.200.1.3: {"ts":1753121332053.9302,"caller":"eviction/eviction_manager.go:595","msg":"Eviction manager: pod is evicted successfully","v":0,"pod":{"name":"nginx-1","namespace":"default"}}"#
        let out = RecordCut.run(KubeletMessageParser.self, line)
        let o = out.observations.first
        #expect(out.observations.count == 1)
        #expect(o?.kind == .podEvicted)
        #expect(o?.pod == "nginx-1" && o?.namespace == "default")
        #expect(o?.node == "10.200.1.3")
        #expect(o?.time == TimeReading(.instant(Instant(seconds: 1_753_121_332, nanoseconds: 53_930_200)), text: "1753121332053.9302"))
        #expect(out.clockHints == [.datedRecord(Instant(seconds: 1_753_121_332, nanoseconds: 53_930_200))])
    }

    /// Shapes quoted in 03-kubelet.md (§2, §4, §5) and the project brief.
    @Test func structuredShapesFromReferenceNotes() {
        let text = """
        I1012 19:34:40.000001    2480 eviction_manager.go:349] "Eviction manager: attempting to reclaim" resourceName="memory"
        I1012 19:34:40.000002    2480 eviction_manager.go:366] "Eviction manager: must evict pod(s) to reclaim" resourceName="memory"
        E1012 19:34:40.000003    2480 pod_workers.go:1300] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"x\\" with CrashLoopBackOff: \\"back-off 5m0s restarting failed container=x pod=x_ns(27aff94d-e0d9-43d1-84d6-9ab000aa57e2)\\"" pod="ns/x" podUID="27aff94d-e0d9-43d1-84d6-9ab000aa57e2"
        I1012 19:34:40.000004    2480 kubelet.go:2500] "SyncLoop (probe)" probe="liveness" status="unhealthy" pod="default/liveness-exec"
        I1012 19:34:40.000005    2480 prober.go:107] "Probe failed" probeType="Liveness" pod="default/liveness-exec" podUID=27aff94d-e0d9-43d1-84d6-9ab000aa57e2 containerName="liveness" probeResult="failure" output="cat: can't open '/tmp/healthy': No such file or directory\\n"
        I1012 19:34:40.000006    2480 kubelet.go:2500] "SyncLoop (probe)" probe="readiness" status="ready" pod="default/liveness-exec"
        I1012 19:34:40.000007    2480 event.go:389] "Event occurred" object="aks-node-1" fieldPath="" kind="Node" apiVersion="v1" type="Warning" reason="SystemOOM" message="System OOM encountered, victim process: stress, pid: 183960"
        """
        let out = RecordCut.run(KubeletMessageParser.self, text, node: "aks-node-1")
        let obs = out.observations
        #expect(obs.map(\.kind) == [.nodePressure, .nodePressure, .backOff, .probeFailed, .probeFailed, .systemOOMReported])
        #expect(obs[0].resource == "memory" && obs[1].resource == "memory")
        #expect(obs[0].summary == "kubelet eviction manager: attempting to reclaim memory")
        #expect(obs[2].container == "x" && obs[2].pod == "x" && obs[2].namespace == "ns")
        #expect(obs[2].podUID == "27aff94d-e0d9-43d1-84d6-9ab000aa57e2")
        #expect(obs[2].message == "back-off 5m0s restarting failed container=x pod=x_ns(27aff94d-e0d9-43d1-84d6-9ab000aa57e2)")
        #expect(obs[3].reason == "Liveness" && obs[3].pod == "liveness-exec")
        #expect(obs[4].reason == "Liveness" && obs[4].container == "liveness")
        #expect(obs[4].message == "cat: can't open '/tmp/healthy': No such file or directory\n")
        #expect(obs[5].process == ProcessRef(name: "stress", pid: 183960))
        #expect(obs[5].node == "aks-node-1")
        #expect(obs[5].reason == "SystemOOM")
    }

    @Test func podReferenceForms() {
        func ref(_ text: String) -> KubeletMessageParser.PodRef {
            Array(text.utf8).withUnsafeBytes { KubeletMessageParser.podRef($0, 0..<$0.count) }
        }
        let a = ref("posts-ddd9f5767-d7b26_default(1E886B83-484e-4651-a433-877310cc63c1)")
        #expect(a.name == "posts-ddd9f5767-d7b26" && a.namespace == "default")
        #expect(a.uid == "1e886b83-484e-4651-a433-877310cc63c1")
        let b = ref("\"kube-system/kube-proxy-5thr6\"")
        #expect(b.name == "kube-proxy-5thr6" && b.namespace == "kube-system" && b.uid == nil)
        let c = ref(#"{"name":"nginx-1","namespace":"default"}"#)
        #expect(c.name == "nginx-1" && c.namespace == "default")
        #expect(KubeletMessageParser.bareContainerID("containerd://4296B9e2") == "4296b9e2")
        #expect(KubeletMessageParser.bareContainerID("not-an-id") == nil)
        #expect(KubeletMessageParser.bareContainerID("cri-o://ABCDEF0123") == "abcdef0123")
        #expect(KubeletMessageParser.bareContainerID("9a4c51d2") == "9a4c51d2")
        #expect(KubeletMessageParser.bareContainerID("docker://") == nil)
        #expect(KubeletMessageParser.bareContainerID("") == nil)
        #expect(KubeletMessageParser.bareContainerID("docker://9a4c 51") == nil)
        #expect(KubeletMessageParser.bareContainerID("docker://ｆｆ") == nil)  // fullwidth letters are not hex
        var victim = Observation(kind: .systemOOMReported, source: .kubelet, location: SourceLocation(file: "f", line: 1), time: nil, summary: "")
        KubeletMessageParser.applyVictim("System OOM encountered, victim process: ld-musl-x86_64., pid: 11415", to: &victim)
        #expect(victim.process == ProcessRef(name: "ld-musl-x86_64.", pid: 11415))
        var noPid = Observation(kind: .systemOOMReported, source: .kubelet, location: SourceLocation(file: "f", line: 1), time: nil, summary: "")
        KubeletMessageParser.applyVictim("System OOM encountered, victim process: stress, pid: x", to: &noPid)
        #expect(noPid.process == nil)
    }

    @Test func randomBytesAndCutsNeverCrash() throws {
        let samples = try [
            "kubelet-eviction-memory-syslog-aks.log", "kubelet-eviction-unstructured-k8s1.5-era.log",
            "kubelet-eviction-observations-unstructured-k8s107024.log", "kubelet-pleg-backoff-unstructured-1.20.log",
            "kubelet-pleg-containerdied-exitcode-aks.log", "kubelet-json-logging-format-talosctl.log",
            "kubelet-killing-grace-period-short-precise-k8s111762.log",
        ].map { try Fixture.text($0) }
        let output = Robustness.feed(KubeletMessageParser.self, Robustness.inputs(from: samples, seed: 0x5EED_4B75))
        #expect(output.observations.allSatisfy { $0.source == .kubelet })
    }
}
