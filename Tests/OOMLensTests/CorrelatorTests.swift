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
}
