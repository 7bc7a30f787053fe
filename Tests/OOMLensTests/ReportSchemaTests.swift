import Foundation
import Testing
@testable import OOMLens

/// The JSON report against `docs/report.schema.json`: real reports validate (checked by python3's
/// `jsonschema`, when installed), broken ones do not, and the schema lists exactly the enums and
/// fields the code writes.
@Suite struct ReportSchemaTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let schemaURL = repository.appendingPathComponent("docs/report.schema.json")

    /// True when `python3 -c 'import jsonschema'` works.
    static let validatorAvailable: Bool = {
        guard let python = ExternalTool.find("python3"),
              let result = try? ExternalTool.run(python, ["-c", "import jsonschema"], timeout: 30) else { return false }
        return result.status == 0
    }()

    /// Prints `VALID path` or `INVALID path json/pointer message` for each document.
    static let validatorScript = """
        import json, sys
        import jsonschema
        with open(sys.argv[1], encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(schema)
        for path in sys.argv[2:]:
            with open(path, encoding="utf-8") as f:
                document = json.load(f)
            errors = sorted(validator.iter_errors(document), key=lambda e: [str(p) for p in e.path])
            if errors:
                where = "/".join(str(p) for p in errors[0].path)
                print("INVALID", path, "/" + where, errors[0].message.replace("\\n", " ")[:300])
            else:
                print("VALID", path)
        """

    // MARK: Reports

    /// Every report the tests validate: the hand-built samples, reports the analyzer built from
    /// hand-made parser output, and one per triggering example of every diagnosis rule.
    static var reports: [(name: String, report: Report)] {
        var list = SampleReports.all.keys.sorted().compactMap { name in SampleReports.all[name].map { ("sample \(name)", $0) } }
        list.append(("analyzer: kernel and API kills", analyze(kills())))
        list.append(("analyzer: eviction and restarts", analyze(evictionAndRestarts())))
        list.append(("analyzer: nothing parsed", analyze(ParseOutput())))
        for rule in DiagnosisRules.all {
            for example in rule.triggeringExamples {
                let findings = DiagnosisRules.evaluate(example.input)
                let report = Report(tool: Report.Tool(version: OOMLensVersion.version, commit: nil), bundle: example.input.bundle,
                                    timeline: example.input.timeline, findings: findings, diagnostics: [])
                list.append(("rule \(rule.id): \(example.name)", report))
            }
        }
        return list
    }

    static func analyze(_ output: ParseOutput) -> Report {
        var summary = BundleSummary(source: "support-bundle-2024-10-12T21_30_00.tar.gz", format: "tar.gz")
        summary.entries = [
            InventoryEntry(path: "nodes/aks-user-1/var/log/syslog", declaredSize: 4096, bytesParsed: 4096, kind: .nodeLog, skipReason: nil, node: "aks-user-1"),
            InventoryEntry(path: "cluster-resources/pods/shop.json", declaredSize: 2048, bytesParsed: 2048, kind: .apiJSON, skipReason: nil, node: nil),
            InventoryEntry(path: "a.link", declaredSize: 0, bytesParsed: 0, kind: nil, skipReason: "symlink", node: nil),
        ]
        return Analyzer().analyze(summary: summary, output: output)
    }

    /// A memcg kill seen by the kernel and the pod status, a node OOM, and the pod and node facts.
    static func kills() -> ParseOutput {
        var output = ParseOutput()
        let syslog = "nodes/aks-user-1/var/log/syslog"
        var kill = Observation(kind: .kernelOOMKill, source: .kernel, location: SourceLocation(file: syslog, line: 812),
                               time: civil(10, 12, 19, 0, 20, "Oct 12 19:00:20"),
                               summary: "Memory cgroup out of memory: Killed process 183960 (stress-ng-vm)")
        kill.node = "aks-user-1"
        kill.process = ProcessRef(name: "stress-ng-vm", pid: 183_960)
        kill.memory = MemoryFigures(limitBytes: 256 << 20, anonRSSBytes: 250 << 20)
        kill.podUID = "5931aa75-4603-4e65-b552-7c71cf55cfb5"
        kill.containerID = "4296b9e2377fddb0e7e42d20223c36771268cb7a1828315331405b66f0030ad8"
        var memcg = KernelOOMDetails()
        memcg.constraint = .memcg
        memcg.limitScope = .container
        memcg.qosClass = "Burstable"
        kill.kernel = memcg
        var status = Observation(kind: .containerTerminated, source: .podStatus,
                                 location: SourceLocation(file: "cluster-resources/pods/shop.json", line: 88),
                                 time: instant("2024-10-12T19:00:21Z"), summary: "cart terminated: OOMKilled, exit code 137")
        status.namespace = "shop"
        status.pod = "cart-7d9f8c6b5-x2x1z"
        status.container = "cart"
        status.podUID = kill.podUID
        status.containerID = kill.containerID
        status.reason = "OOMKilled"
        status.exitCode = 137
        var global = Observation(kind: .kernelOOMKill, source: .kernel, location: SourceLocation(file: syslog, line: 1500),
                                 time: civil(10, 12, 19, 45, 0, "Oct 12 19:45:00"), summary: "Out of memory: Killed process 4242 (java)")
        global.node = "aks-user-1"
        global.process = ProcessRef(name: "java", pid: 4242)
        var none = KernelOOMDetails()
        none.constraint = KernelOOMDetails.Constraint.none
        global.kernel = none
        output.observations = [kill, status, global]
        var pod = PodFacts(namespace: "shop", name: "cart-7d9f8c6b5-x2x1z", location: SourceLocation(file: "cluster-resources/pods/shop.json", line: 1))
        pod.uid = kill.podUID
        pod.node = "aks-user-1"
        pod.ownerKind = "ReplicaSet"
        pod.ownerName = "cart-7d9f8c6b5"
        pod.qosClass = "Burstable"
        var container = ContainerFacts(name: "cart")
        container.memoryLimitBytes = 256 << 20
        container.lastContainerID = kill.containerID
        container.restartCount = 1
        pod.containers = [container]
        output.pods = [pod]
        var node = NodeFacts(name: "aks-user-1", location: SourceLocation(file: "cluster-resources/nodes.json", line: 1))
        node.labels = ["kubernetes.azure.com/mode": "user"]
        node.allocatableMemoryBytes = 4 << 30
        output.nodes = [node]
        output.diagnostics = [Diagnostic(.warning, file: syslog, line: 2048, "line longer than 1 MiB was cut")]
        return output
    }

    /// An eviction under memory pressure, a liveness-probe restart and a crash without a time.
    static func evictionAndRestarts() -> ParseOutput {
        var output = ParseOutput()
        let kubelet = "nodes/aks-user-1/kubelet.log"
        var pressure = Observation(kind: .nodePressure, source: .kubelet, location: SourceLocation(file: kubelet, line: 10),
                                   time: instant("2024-10-12T19:34:40Z"), summary: "Eviction threshold met: memory.available")
        pressure.node = "aks-user-1"
        pressure.resource = "memory"
        var evicted = Observation(kind: .podEvicted, source: .kubelet, location: SourceLocation(file: kubelet, line: 14),
                                  time: instant("2024-10-12T19:34:45.445172Z"), summary: "Eviction manager: pod is evicted successfully")
        evicted.node = "aks-user-1"
        evicted.namespace = "default"
        evicted.pod = "nginx"
        evicted.resource = "memory"
        var probe = Observation(kind: .probeFailed, source: .event, location: SourceLocation(file: "cluster-resources/events/shop.json", line: 30),
                                time: instant("2024-10-12T20:04:30Z"), summary: "Liveness probe failed: HTTP probe failed with statuscode: 500")
        probe.namespace = "shop"
        probe.pod = "web-5c9d7b8f6-qv2pl"
        probe.container = "web"
        probe.reason = "Liveness"
        var killed = Observation(kind: .containerTerminated, source: .podStatus, location: SourceLocation(file: "cluster-resources/pods/shop.json", line: 140),
                                 time: instant("2024-10-12T20:05:00Z"), summary: "web terminated: Error, exit code 137")
        killed.namespace = "shop"
        killed.pod = "web-5c9d7b8f6-qv2pl"
        killed.container = "web"
        killed.reason = "Error"
        killed.exitCode = 137
        var crash = Observation(kind: .containerTerminated, source: .describe, location: SourceLocation(file: "describe-pods.txt", line: 77),
                                time: nil, summary: "coredns terminated: Error, exit code 2")
        crash.namespace = "kube-system"
        crash.pod = "coredns-6d4b75cb6d-abcde"
        crash.container = "coredns"
        crash.reason = "Error"
        crash.exitCode = 2
        let event = Observation(kind: .event, source: .kubectlGet, location: SourceLocation(file: "get-events.txt", line: 2),
                                time: TimeReading(.beforeCollection(seconds: 300, resolution: 60), text: "5m"), summary: "Scaled up replica set")
        output.observations = [pressure, evicted, probe, killed, crash, event]
        return output
    }

    static func instant(_ text: String) -> TimeReading? {
        RFC3339.instant(text).map { TimeReading(.instant($0), text: text) }
    }

    static func civil(_ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int, _ text: String) -> TimeReading {
        TimeReading(.civil(CivilTime(year: nil, month: month, day: day, hour: hour, minute: minute, second: second)), text: text)
    }

    // MARK: Validation with python3 + jsonschema

    @Test(.enabled(if: validatorAvailable, "needs python3 with the jsonschema package (pip install jsonschema)"))
    func reportsConformToTheSchema() throws {
        let reports = Self.reports
        #expect(reports.count >= 10)
        let analyzed = reports.filter { $0.name.hasPrefix("analyzer: kernel") }.flatMap(\.report.incidents)
        #expect(analyzed.map(\.kind.rawValue).sorted() == ["node-oom", "oom-kill"], "the analyzer built no incidents to validate")
        let verdicts = try Self.validate(reports.map { ($0.name, JSONRenderer().render($0.report)) })
        for (name, verdict) in verdicts {
            #expect(verdict == nil, "\(name): \(verdict ?? "")")
        }
    }

    @Test(.enabled(if: validatorAvailable, "needs python3 with the jsonschema package (pip install jsonschema)"))
    func schemaRejectsBrokenReports() throws {
        let valid = JSONRenderer().render(SampleReports.incidents)
        let mutations: [(String, (inout [String: Any]) -> Void)] = [
            ("no schema field", { $0["schema"] = nil }),
            ("another schema version", { $0["schema"] = "oomlens.report/v2" }),
            ("unknown incident kind", { Self.edit(&$0, "incidents", 0) { $0["kind"] = "oom" } }),
            ("time with a zone offset", { Self.edit(&$0, "incidents", 0) { $0["time"] = "2024-10-12T21:00:20+02:00" } }),
            ("incident without evidence", { Self.edit(&$0, "incidents", 0) { $0["evidence"] = nil } }),
            ("uppercase pod UID", { Self.edit(&$0, "incidents", 0) { $0["podUID"] = "5931AA75-4603-4E65-B552-7C71CF55CFB5" } }),
            ("prefixed container id", { Self.edit(&$0, "incidents", 0) { $0["containerID"] = "containerd://4296b9e2377f" } }),
            ("unknown severity", { Self.edit(&$0, "findings", 0) { $0["severity"] = "high" } }),
            ("unknown timeline source", { Self.edit(&$0, "timeline", 0) { $0["source"] = "kernal" } }),
            ("line 0", { Self.edit(&$0, "timeline", 0) { $0["line"] = 0 } }),
            ("count as text", {
                var bundle = $0["bundle"] as? [String: Any] ?? [:]
                bundle["bytes"] = "2.9Mi"
                $0["bundle"] = bundle
            }),
        ]
        var documents: [(String, String)] = [("unchanged", valid)]
        for (name, mutate) in mutations {
            var object = try #require(try JSONSerialization.jsonObject(with: Data(valid.utf8)) as? [String: Any])
            mutate(&object)
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            documents.append((name, String(decoding: data, as: UTF8.self)))
        }
        let verdicts = try Self.validate(documents)
        #expect(verdicts.first?.verdict == nil, "the unchanged report must validate: \(verdicts.first?.verdict ?? "")")
        for (name, verdict) in verdicts.dropFirst() {
            #expect(verdict != nil, "the schema accepted a report with \(name)")
        }
    }

    /// Validates each document; nil where valid, else the validator's first complaint.
    static func validate(_ documents: [(String, String)]) throws -> [(name: String, verdict: String?)] {
        let python = try #require(ExternalTool.find("python3"))
        let directory = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var paths: [String] = []
        for (i, document) in documents.enumerated() {
            let url = directory.appendingPathComponent("report-\(i).json")
            try document.1.write(to: url, atomically: true, encoding: .utf8)
            paths.append(url.path)
        }
        let result = try ExternalTool.run(python, ["-c", validatorScript, schemaURL.path] + paths)
        try #require(result.status == 0, "the validator failed: \(result.stderr)")
        var verdicts: [String: String?] = [:]
        for line in result.stdout.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 2).map(String.init)
            guard fields.count >= 2 else { continue }
            verdicts[fields[1]] = fields[0] == "VALID" ? .some(nil) : .some(fields.count > 2 ? fields[2] : "invalid")
        }
        return zip(documents, paths).map { document, path in
            (document.0, verdicts[path] ?? "the validator said nothing about it")
        }
    }

    /// Applies `change` to `object[key][index]`.
    static func edit(_ object: inout [String: Any], _ key: String, _ index: Int, _ change: (inout [String: Any]) -> Void) {
        guard var array = object[key] as? [[String: Any]], array.indices.contains(index) else { return }
        change(&array[index])
        object[key] = array
    }

    // MARK: Schema and code agree (no python needed)

    @Test func schemaEnumsMatchTheCode() throws {
        let schema = try Self.loadSchema()
        let defs = try #require(schema["$defs"] as? [String: Any])
        func enumeration(_ path: [String]) -> [String] {
            var node: Any? = defs
            for key in path { node = (node as? [String: Any])?[key] }
            return ((node as? [String: Any])?["enum"] as? [String]) ?? []
        }
        #expect(enumeration(["incident", "properties", "kind"]) == Incident.Kind.allCases.map(\.rawValue))
        #expect(enumeration(["source"]) == EvidenceSource.allCases.map(\.rawValue))
        #expect(enumeration(["timelineEntry", "properties", "kind"]) == ObservationKind.allCases.map(\.rawValue))
        let severities: [Finding.Severity] = [.critical, .warning, .info]
        #expect(enumeration(["finding", "properties", "severity"]) == severities.map(\.rawValue))
        let diagnostics: [Diagnostic.Severity] = [.damage, .warning, .note]
        let warnings = ((((defs["bundle"] as? [String: Any])?["properties"] as? [String: Any])?["warnings"] as? [String: Any])?["items"] as? [String: Any])
        let warningSeverity = (warnings?["properties"] as? [String: Any])?["severity"] as? [String: Any]
        #expect(warningSeverity?["enum"] as? [String] == diagnostics.map(\.rawValue))
    }

    @Test func schemaDocumentsEveryFieldTheRendererWrites() throws {
        let schema = try Self.loadSchema()
        for (name, report) in Self.reports {
            let json = try JSONSerialization.jsonObject(with: Data(JSONRenderer().render(report).utf8))
            let missing = Self.undocumented(json, schema, root: schema, path: "")
            #expect(missing.isEmpty, "\(name): fields missing from docs/report.schema.json: \(missing)")
        }
    }

    @Test func incidentReferencesResolve() throws {
        for (name, report) in Self.reports {
            let json = try #require(try JSONSerialization.jsonObject(with: Data(JSONRenderer().render(report).utf8)) as? [String: Any])
            let incidents = json["incidents"] as? [[String: Any]] ?? []
            let ids = incidents.compactMap { $0["id"] as? String }
            #expect(Set(ids).count == ids.count, "\(name): duplicate incident ids")
            let cited = (json["findings"] as? [[String: Any]] ?? []).flatMap { $0["incidents"] as? [String] ?? [] }
                + (json["timeline"] as? [[String: Any]] ?? []).compactMap { $0["incident"] as? String }
            #expect(cited.allSatisfy(Set(ids).contains), "\(name): a finding or timeline entry cites an unknown incident")
        }
    }

    static func loadSchema() throws -> [String: Any] {
        let data = try Data(contentsOf: schemaURL)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// JSON pointers of the object keys in `value` that `node` (a schema) does not list.
    static func undocumented(_ value: Any, _ node: [String: Any], root: [String: Any], path: String) -> [String] {
        let node = resolve(node, root: root)
        if let branches = node["anyOf"] as? [[String: Any]] {
            guard value is [String: Any],
                  let branch = branches.map({ resolve($0, root: root) }).first(where: { $0["type"] as? String == "object" })
            else { return [] }
            return undocumented(value, branch, root: root, path: path)
        }
        if let object = value as? [String: Any] {
            let properties = node["properties"] as? [String: Any] ?? [:]
            let additional = node["additionalProperties"] as? [String: Any]
            return object.keys.sorted().flatMap { key -> [String] in
                guard let child = object[key] else { return [] }
                if let schema = (properties[key] as? [String: Any]) ?? additional {
                    return undocumented(child, schema, root: root, path: path + "/" + key)
                }
                return [path + "/" + key]
            }
        }
        if let array = value as? [Any], let items = node["items"] as? [String: Any] {
            return array.enumerated().flatMap { undocumented($0.element, items, root: root, path: path + "/\($0.offset)") }
        }
        return []
    }

    /// Follows `$ref: "#/$defs/NAME"`.
    static func resolve(_ node: [String: Any], root: [String: Any]) -> [String: Any] {
        guard let ref = node["$ref"] as? String, ref.hasPrefix("#/$defs/"),
              let target = (root["$defs"] as? [String: Any])?[String(ref.dropFirst("#/$defs/".count))] as? [String: Any]
        else { return node }
        return resolve(target, root: root)
    }
}
