import Testing
@testable import OOMLens

/// How the correlator joins observations into incidents, on observations made in the test.
@Suite struct CorrelatorTests {
    /// One kernel kill of `stress-ng-vm` (pid 183960) on `aks-user-1`, as read from `file` at `time`.
    private static func kernelKill(_ file: String, line: Int, _ time: String) -> Observation {
        var kill = Observation(kind: .kernelOOMKill, source: .kernel, location: SourceLocation(file: file, line: line),
                               time: ReportSchemaTests.instant(time),
                               summary: "Memory cgroup out of memory: Killed process 183960 (stress-ng-vm)")
        kill.node = "aks-user-1"
        kill.process = ProcessRef(name: "stress-ng-vm", pid: 183_960)
        var memcg = KernelOOMDetails()
        memcg.constraint = .memcg
        kill.kernel = memcg
        return kill
    }

    /// A kernel kill copied into other logs, a second apart each (syslog, journal, dmesg), is one
    /// incident at the time of the copy read first: a later copy is evidence, not a later time. Each
    /// copy is added to the incident without copying the incident's evidence, however many there are.
    @Test(arguments: [2, 3, 400])
    func copiesOfAKernelKillKeepTheFirstRecordsTime(copies: Int) throws {
        var output = ParseOutput()
        output.observations = (0..<copies).map { c in
            Self.kernelKill("nodes/aks-user-1/log\(c)", line: 10 + c, c % 2 == 0 ? "2024-10-12T19:00:20Z" : "2024-10-12T19:00:21Z")
        }
        let report = ReportSchemaTests.analyze(output)
        #expect(report.incidents.count == 1)
        let incident = try #require(report.incidents.first)
        #expect(incident.evidence.count == copies)
        #expect(Set(incident.evidence.compactMap(\.line)) == Set((0..<copies).map { 10 + $0 }))
        #expect(incident.time?.instant == RFC3339.instant("2024-10-12T19:00:20Z"))
    }

    /// An eviction reported by an event first and by the kubelet after it is one incident at the
    /// kubelet's time: the event's is when it was recorded, the kubelet's when it evicted.
    @Test func theKubeletsEvictionTimeWinsOverAnEventsRecordedFirst() throws {
        func eviction(_ source: EvidenceSource, _ file: String, _ time: String) -> Observation {
            var o = Observation(kind: .podEvicted, source: source, location: SourceLocation(file: file, line: 5),
                                time: ReportSchemaTests.instant(time), summary: "evicted shop/cart-1")
            o.namespace = "shop"
            o.pod = "cart-1"
            o.node = "aks-user-1"
            return o
        }
        var output = ParseOutput()
        output.observations = [
            eviction(.event, "cluster-resources/events/shop.json", "2024-10-12T19:00:50Z"),
            eviction(.kubelet, "nodes/aks-user-1/kubelet.log", "2024-10-12T19:00:20Z"),
        ]
        let report = ReportSchemaTests.analyze(output)
        let incident = try #require(report.incidents.first)
        #expect(report.incidents.count == 1)
        #expect(incident.evidence.count == 2)
        #expect(incident.time?.instant == RFC3339.instant("2024-10-12T19:00:20Z"))
    }

    /// A StatefulSet's pod evicted twice ten minutes apart, recreated under its name each time, is two
    /// evictions: the kubelet's and the events' records of each carry that pod's UID, and the kubelet's
    /// "evicted successfully" line, which carries none, joins the eviction nearest it, not the first
    /// (the UID of the pod running now, which `fillIdentities` lends it, is neither).
    @Test func aPodEvictedTwiceUnderOneNameIsTwoEvictions() throws {
        func at(_ second: Int) -> String { RFC3339.format(Instant(seconds: 1_728_727_200 + Int64(second))) }
        func evicted(_ source: EvidenceSource, _ line: Int, _ second: Int, uid: String?, _ summary: String) -> Observation {
            let file = source == .event ? "cluster-resources/events/monitoring.json" : "nodes/aks-user-1/kubelet.log"
            var o = Self.prometheusEvicted(source, file, line, second, summary)
            o.podUID = uid
            o.reason = "Evicted"
            return o
        }
        var output = ParseOutput()
        var pod = PodFacts(namespace: "monitoring", name: "prometheus-0", location: SourceLocation(file: "cluster-resources/pods/monitoring.json", line: 1))
        pod.uid = "uid-now"
        pod.node = "aks-user-2"
        output.pods = [pod]
        output.observations = [
            evicted(.event, 1, 40, uid: "uid-1", "Event Evicted: The node was low on resource: memory."),
            evicted(.event, 2, 640, uid: "uid-2", "Event Evicted: The node was low on resource: memory."),
            evicted(.kubelet, 10, 0, uid: "uid-1", "kubelet is evicting pod monitoring/prometheus-0"),
            // The first eviction's "evicted successfully" line is not in the log (rotated away).
            evicted(.kubelet, 20, 600, uid: "uid-2", "kubelet is evicting pod monitoring/prometheus-0"),
            evicted(.kubelet, 21, 602, uid: nil, "kubelet evicted pod monitoring/prometheus-0"),
        ]
        let report = ReportSchemaTests.analyze(output)
        let evictions = report.incidents.filter { $0.kind == .eviction }
        #expect(evictions.map { Set($0.evidence.compactMap(\.line)) } == [[1, 10], [2, 20, 21]])
        #expect(evictions.map(\.time?.instant) == [RFC3339.instant(at(0)), RFC3339.instant(at(602))])  // the kubelet's last
    }

    /// A pod evicted, recreated under its name and evicted again within two minutes: each eviction
    /// takes the termination of its own pod's container, the nearest, not the first eviction both.
    @Test func eachEvictionTakesTheTerminationNearest() throws {
        func at(_ second: Int) -> String { RFC3339.format(Instant(seconds: 1_728_727_200 + Int64(second))) }
        var output = ParseOutput()
        for (line, second, uid) in [(1, 0, "uid-1"), (2, 90, "uid-2")] {
            var evicted = Self.record(.podEvicted, line, at(second), reason: "Evicted")
            evicted.podUID = uid
            evicted.summary = "kubelet is evicting pod shop/cart-1"
            output.observations.append(evicted)
        }
        output.observations.append(Self.record(.containerDied, 11, at(3), exitCode: 137, containerID: String(format: "%064x", 1)))
        output.observations.append(Self.record(.containerDied, 12, at(92), exitCode: 137, containerID: String(format: "%064x", 2)))
        let report = ReportSchemaTests.analyze(output)
        let evictions = report.incidents.filter { $0.kind == .eviction }
        #expect(evictions.map { Set($0.evidence.compactMap(\.line)) } == [[1, 11], [2, 12]])
    }

    /// Without UIDs or events (an older kubelet's "eviction manager: pod … is evicted successfully"),
    /// the same line for the same pod name more than a minute from it is another eviction, whichever file
    /// it is read from first; lines of one eviction within a minute stay one.
    @Test func theSameEvictionLineLaterIsAnotherEviction() throws {
        func evicted(_ file: String, _ line: Int, _ second: Int) -> Observation {
            var o = Self.prometheusEvicted(.kubelet, file, line, second, "kubelet evicted pod monitoring/prometheus-0")
            o.node = "aks-user-1"
            return o
        }
        var output = ParseOutput()
        output.observations = [
            evicted("nodes/aks-user-1/journal.txt", 7, 600),  // read first: the copy of the later line below
            evicted("nodes/aks-user-1/kubelet.log", 1, 0),
            evicted("nodes/aks-user-1/kubelet.log", 2, 45),  // the same eviction's line again within the minute
            evicted("nodes/aks-user-1/kubelet.log", 3, 600),
            evicted("nodes/aks-user-1/kubelet.log", 4, 700),  // a third, 100 s after the second
        ]
        let report = ReportSchemaTests.analyze(output)
        let evictions = report.incidents.filter { $0.kind == .eviction }
        #expect(evictions.map { Set($0.evidence.compactMap(\.line)) } == [[1, 2], [7, 3], [4]])
    }

    /// An eviction record of the StatefulSet pod `monitoring/prometheus-0`, `second`s after a fixed time.
    private static func prometheusEvicted(
        _ source: EvidenceSource, _ file: String, _ line: Int, _ second: Int, _ summary: String
    ) -> Observation {
        var o = Observation(kind: .podEvicted, source: source, location: SourceLocation(file: file, line: line),
                            time: ReportSchemaTests.instant(RFC3339.format(Instant(seconds: 1_728_727_200 + Int64(second)))), summary: summary)
        o.namespace = "monitoring"
        o.pod = "prometheus-0"
        return o
    }

    /// A record of pod `shop/cart-1`'s container `cart` on `aks-user-1`.
    private static func record(_ kind: ObservationKind, _ line: Int, _ time: String, exitCode: Int? = nil,
                               reason: String? = nil, containerID: String? = nil) -> Observation {
        var o = Observation(kind: kind, source: .kubelet, location: SourceLocation(file: "nodes/aks-user-1/kubelet.log", line: line),
                            time: ReportSchemaTests.instant(time), summary: "\(kind) cart")
        o.namespace = "shop"
        o.pod = "cart-1"
        o.container = "cart"
        o.node = "aks-user-1"
        o.exitCode = exitCode
        o.reason = reason
        o.containerID = containerID
        return o
    }

    /// A crash loop of one pod: each end is its own restart, and each record of the pod joins the
    /// restarts near it, however many restarts the pod has (they are looked up by time, not read
    /// all for each record). A restart's liveness cause is the first failed probe of the ten minutes
    /// before it; later failures within two minutes join it as context.
    @Test(arguments: [3, 300])
    func aCrashLoopsRecordsJoinTheRestartsNearThem(restarts: Int) throws {
        var output = ParseOutput()
        for r in 0..<restarts {
            // One restart every 20 minutes.
            func at(_ second: Int) -> String { RFC3339.format(Instant(seconds: 1_728_727_200 + Int64(r * 1200 + second))) }
            output.observations += [
                Self.record(.probeFailed, 100 * r + 1, at(-480), reason: "Liveness"),
                Self.record(.probeFailed, 100 * r + 2, at(10), reason: "Liveness"),
                Self.record(.containerDied, 100 * r + 3, at(20), exitCode: 137, containerID: String(format: "%064x", r)),
                Self.record(.backOff, 100 * r + 4, at(21), reason: "CrashLoopBackOff"),
            ]
            // The runtime's exit, which names the container by its id alone.
            var exit = Self.record(.runtimeExit, 100 * r + 5, at(22), exitCode: 137, containerID: String(format: "%064x", r))
            (exit.namespace, exit.pod, exit.container) = (nil, nil, nil)
            output.observations.append(exit)
        }
        let report = ReportSchemaTests.analyze(output)
        #expect(report.incidents.count == restarts)
        for (r, incident) in report.incidents.enumerated() {
            #expect(incident.kind == .restart)
            #expect(incident.cause == "liveness probe failed")
            // The first probe joins only as the cause: it is more than two minutes before the end.
            #expect(incident.evidence.compactMap(\.line) == [100 * r + 1, 100 * r + 2, 100 * r + 3, 100 * r + 4, 100 * r + 5])
        }
    }

    /// In a crash loop ten seconds a turn, each back-off (the kubelet writes one at every sync until
    /// the next start) joins the end before it, even when the next end is nearer, and a failed liveness
    /// probe joins and explains only the end after it: the other ends are crashes, not probe kills.
    @Test func aCrashLoopsBackOffsAndProbesJoinTheirOwnEnd() throws {
        var output = ParseOutput()
        let restarts = 40
        for r in 0..<restarts {
            func at(_ second: Int) -> String { RFC3339.format(Instant(seconds: 1_728_727_200 + Int64(r * 10 + second))) }
            if r % 5 == 0 { output.observations.append(Self.record(.probeFailed, 10 * r + 1, at(-7), reason: "Liveness")) }
            output.observations += [
                Self.record(.containerDied, 10 * r + 2, at(0), exitCode: 1, containerID: String(format: "%064x", r)),
                Self.record(.backOff, 10 * r + 3, at(1), reason: "CrashLoopBackOff"),
                Self.record(.backOff, 10 * r + 4, at(6), reason: "CrashLoopBackOff"),
            ]
        }
        let report = ReportSchemaTests.analyze(output)
        #expect(report.incidents.count == restarts)
        for (r, incident) in report.incidents.enumerated() {
            let lines = incident.evidence.compactMap(\.line)
            if r % 5 == 0 {
                #expect(incident.cause == "liveness probe failed", "restart \(r)")
                #expect(lines == [10 * r + 1, 10 * r + 2, 10 * r + 3, 10 * r + 4], "restart \(r)")
            } else {
                #expect(incident.cause == "crash (exit code 1)", "restart \(r)")
                #expect(lines == [10 * r + 2, 10 * r + 3, 10 * r + 4], "restart \(r)")
            }
        }
    }

    /// The pod's status, which names the last end of a crash loop without its container id, is the same
    /// restart as the kubelet's record of that end, not of an earlier end within two minutes of it.
    @Test func aTerminationSeenTwiceJoinsTheNearestEnd() throws {
        var output = ParseOutput()
        func at(_ second: Int) -> String { RFC3339.format(Instant(seconds: 1_728_727_200 + Int64(second))) }
        for r in 0..<20 {
            output.observations.append(Self.record(.containerDied, r + 1, at(10 * r), exitCode: 1, containerID: String(format: "%064x", r)))
        }
        var status = Self.record(.containerTerminated, 100, at(190), exitCode: 1, reason: "Error")
        status.source = .podStatus
        output.observations.append(status)
        let report = ReportSchemaTests.analyze(output)
        #expect(report.incidents.count == 20)
        let last = try #require(report.incidents.last)
        #expect(last.evidence.compactMap(\.line) == [20, 100])
        #expect(report.incidents.dropLast().allSatisfy { $0.evidence.count == 1 })
    }

    /// An application's own out-of-memory error explains the end of its container after it, not an
    /// earlier end of the crash loop within minutes of it.
    @Test func anApplicationsOutOfMemoryErrorExplainsTheEndAfterIt() throws {
        var output = ParseOutput()
        func at(_ second: Int) -> String { RFC3339.format(Instant(seconds: 1_728_727_200 + Int64(second))) }
        for r in 0..<12 {
            output.observations.append(Self.record(.containerDied, r + 1, at(10 * r), exitCode: 1, containerID: String(format: "%064x", r)))
        }
        output.observations.append(Self.record(.applicationOOM, 100, at(47), reason: "java.lang.OutOfMemoryError"))
        let report = ReportSchemaTests.analyze(output)
        #expect(report.incidents.count == 12)
        let explained = report.incidents.filter { $0.cause?.hasPrefix("application out of memory") == true }
        #expect(explained.map { $0.evidence.compactMap(\.line) } == [[6, 100]])
    }

    /// A pod status in CrashLoopBackOff has no time: it joins the container's latest end, whatever
    /// order the ends were read in, rather than none.
    @Test func aPodStatusBackOffJoinsTheLatestEnd() throws {
        var output = ParseOutput()
        func at(_ second: Int) -> String { RFC3339.format(Instant(seconds: 1_728_727_200 + Int64(second))) }
        for (r, second) in [(0, 300), (1, 600), (2, 0)] {
            output.observations.append(Self.record(.containerDied, r + 1, at(second), exitCode: 1, containerID: String(format: "%064x", r)))
        }
        var waiting = Self.record(.backOff, 100, at(0), reason: "CrashLoopBackOff")
        waiting.time = nil
        waiting.source = .podStatus
        output.observations.append(waiting)
        let report = ReportSchemaTests.analyze(output)
        #expect(report.incidents.count == 3)
        let withBackOff = report.incidents.filter { $0.evidence.contains { $0.line == 100 } }
        #expect(withBackOff.map { $0.evidence.compactMap(\.line) } == [[2, 100]])
    }

    /// An eviction that does not name its resource takes the one of the node's last pressure record
    /// within fifteen minutes before it.
    @Test func anEvictionTakesTheResourceOfTheLastPressureBeforeIt() throws {
        func pressure(_ resource: String, _ line: Int, _ time: String, node: String = "aks-user-1") -> Observation {
            var o = Observation(kind: .nodePressure, source: .kubelet, location: SourceLocation(file: "nodes/\(node)/kubelet.log", line: line),
                                time: ReportSchemaTests.instant(time), summary: "pressure")
            o.node = node
            o.resource = resource
            return o
        }
        var output = ParseOutput()
        output.observations = [
            pressure("pids", 1, "2024-10-12T09:40:00Z"),  // more than fifteen minutes before
            pressure("memory", 2, "2024-10-12T09:50:00Z"),
            pressure("ephemeral-storage", 3, "2024-10-12T09:58:00Z"),
            pressure("nodefs.inodesFree", 4, "2024-10-12T09:59:00Z", node: "aks-user-2"),  // another node
            pressure("imagefs.available", 5, "2024-10-12T10:00:30Z"),  // after it
            Self.record(.podEvicted, 6, "2024-10-12T10:00:00Z", reason: "Evicted"),
        ]
        let report = ReportSchemaTests.analyze(output)
        let eviction = try #require(report.incidents.first { $0.kind == .eviction })
        #expect(eviction.resource == "ephemeral-storage")
    }

    /// Each pressure record joins the eviction it led to, the nearest after it on its node (or, when
    /// neither names one, among those without a node), whatever order the evictions were read in.
    @Test(arguments: ["aks-user-1", nil] as [String?])
    func aPressureRecordJoinsTheEvictionAfterIt(node: String?) throws {
        func at(_ second: Int) -> String { RFC3339.format(Instant(seconds: 1_728_727_200 + Int64(second))) }
        var output = ParseOutput()
        for (line, second) in [(1, 300), (2, 200), (3, 100)] {  // read latest first
            var eviction = Self.record(.podEvicted, line, at(second), reason: "Evicted")
            eviction.pod = "cart-\(line)"
            eviction.node = node
            eviction.resource = "memory"
            output.observations.append(eviction)
        }
        for (line, second) in [(11, 90), (12, 190), (13, 290)] {
            var pressure = Observation(kind: .nodePressure, source: .kubelet, location: SourceLocation(file: "kubelet.log", line: line),
                                       time: ReportSchemaTests.instant(at(second)), summary: "pressure")
            pressure.node = node
            output.observations.append(pressure)
        }
        let report = ReportSchemaTests.analyze(output)
        let evictions = report.incidents.filter { $0.kind == .eviction }
        #expect(evictions.map { Set($0.evidence.compactMap(\.line)) } == [[3, 11], [2, 12], [1, 13]])
    }

    /// Containers of three or more pods ended on one node within 30 s of the first read of them are
    /// one node reboot; a record with no node joins it, and those of other nodes or later do not.
    @Test func terminationsOfManyPodsWithinHalfAMinuteAreOneNodeReboot() throws {
        func ended(_ pod: String, _ line: Int, _ second: Int, node: String?) -> Observation {
            var o = Self.record(.containerTerminated, line, RFC3339.format(Instant(seconds: 1_728_727_200 + Int64(second))),
                                exitCode: 255, reason: "Unknown")
            o.pod = pod
            o.node = node
            return o
        }
        var output = ParseOutput()
        output.observations = [
            ended("a-1", 1, 0, node: "aks-user-1"),  // read first: the group is formed around it
            ended("b-1", 2, 5, node: "aks-user-2"),
            ended("a-2", 3, 10, node: "aks-user-1"),
            ended("a-3", 4, 30, node: "aks-user-1"),  // the window's last second
            ended("x-1", 5, 15, node: nil),
            ended("a-4", 6, 31, node: "aks-user-1"),  // a second too late
            ended("b-2", 7, 6, node: "aks-user-2"),  // two pods of aks-user-2 left: not a reboot
        ]
        let report = ReportSchemaTests.analyze(output)
        let reboots = report.incidents.filter { $0.cause == "node reboot" }
        #expect(reboots.count == 1)
        let reboot = try #require(reboots.first)
        #expect(reboot.node == "aks-user-1")
        #expect(Set(reboot.evidence.compactMap(\.line)) == [1, 3, 4, 5])
        #expect(report.incidents.filter { $0.kind == .restart && $0.cause != "node reboot" }.count == 3)
    }
}
