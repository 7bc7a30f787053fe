import Foundation
import OOMLens

/// Renders a `Scenario` into a support bundle: an ordered list of members that can be streamed into an
/// `ArchiveWriter`, written as a directory tree, or materialised for tests.
///
/// The output is deterministic (seeded ids, no clock reads): the same scenario gives byte-identical
/// members. File locations per layout are documented in `docs/samples.md`; in short, troubleshoot:
///
/// ```
/// support-bundle-2024-03-14T10_30_00/version.yaml
/// support-bundle-2024-03-14T10_30_00/cluster-resources/pods/<ns>.json            (PodList)
/// support-bundle-2024-03-14T10_30_00/cluster-resources/events/<ns>.json          (EventList)
/// support-bundle-2024-03-14T10_30_00/cluster-resources/nodes.json                (NodeList)
/// support-bundle-2024-03-14T10_30_00/cluster-resources/pods/logs/<ns>/<pod>/<container>-previous.log
/// support-bundle-2024-03-14T10_30_00/host-collectors/run-host/<node>/var/log/syslog
/// support-bundle-2024-03-14T10_30_00/host-collectors/run-host/<node>/journal/kubelet.log
/// ```
public struct BundleGenerator: Sendable {
    let model: ClusterModel
    /// Generated pods added to the pods JSON (in the namespace `ExtraPods.namespace`).
    let extraPods: ExtraPods?
    /// The layout of the pods JSON files; nil keeps the layout's own (troubleshoot 2 spaces, kubectl 4).
    let podsJSONStyle: JSONStyle?

    /// Resolves and plays the scenario; `noiseLinesPerNode` overrides the scenario's option.
    ///
    /// `extraPods` generated pods (`ExtraPods`) are added to the pods JSON: troubleshoot's
    /// `cluster-resources/pods/workloads.json`, or the ad-hoc layout's `kubectl/pods.json`; nothing else in
    /// the bundle mentions them. `podsJSONStyle` lays out the pods JSON files, e.g. on one line.
    public init(
        scenario: Scenario, noiseLinesPerNode: Int? = nil, extraPods: Int = 0, podsJSONStyle: JSONStyle? = nil
    ) throws(ScenarioError) {
        var scenario = scenario
        if let noiseLinesPerNode {
            var options = scenario.options ?? Scenario.Options()
            options.noiseLinesPerNode = noiseLinesPerNode
            scenario.options = options
        }
        model = try ClusterSimulation.run(scenario)
        self.extraPods = extraPods > 0 ? ExtraPods(count: extraPods, model: model) : nil
        self.podsJSONStyle = podsJSONStyle
    }

    /// The top directory of the bundle: `support-bundle-2024-03-14T10_30_00` or `oom-bundle-<cluster>-20240314-103000`.
    public var rootDirectory: String {
        let c = CivilTime(model.collectedAt)
        let date = "\(TimeText.pad(c.year ?? 0, 4))-\(TimeText.pad(c.month, 2))-\(TimeText.pad(c.day, 2))"
        let clock = [c.hour, c.minute, c.second].map { TimeText.pad($0, 2) }
        switch model.scenario.layout {
        case .troubleshoot: return "support-bundle-\(date)T\(clock.joined(separator: "_"))"
        case .adhoc: return "oom-bundle-\(model.scenario.cluster)-\(date.replacingOccurrences(of: "-", with: ""))-\(clock.joined())"
        }
    }

    /// Modification time given to every member (the collection time).
    public var modified: Int64 { model.collectedAt.seconds }

    /// Every member in archive order: each directory before its contents.
    public func members() -> [BundleMember] {
        let files = fileMembers()
        var seen = Set<String>()
        var out: [BundleMember] = []
        for file in files {
            var parents: [String] = []
            var path = Substring(file.path)
            while let slash = path.lastIndex(of: "/") {
                path = path[..<slash]
                parents.append(String(path) + "/")
            }
            for dir in parents.reversed() where seen.insert(dir).inserted {
                out.append(BundleMember(path: dir, content: .directory))
            }
            out.append(file)
        }
        return out
    }

    /// The files with their bytes, materialised (for tests and small bundles).
    public func render() -> [(path: String, bytes: [UInt8])] {
        fileMembers().map { ($0.path, $0.bytes()) }
    }

    /// Streams every member into `writer`; node logs are produced twice (measure, then write), never held whole.
    public func write(to writer: inout ArchiveWriter) throws(ArchiveWriterError) {
        for member in members() {
            if member.isDirectory {
                try writer.addDirectory(path: member.path, modified: modified)
                continue
            }
            try writer.beginFile(path: member.path, size: member.byteCount(), modified: modified)
            do {
                try member.produce { chunk in try writer.write(chunk) }
            } catch let error as ArchiveWriterError {
                throw error
            } catch {
                throw ArchiveWriterError(status: -30, message: "\(member.path): \(error)")
            }
            try writer.endFile()
        }
    }

    /// Writes the bundle as a directory tree under `directory` (created when missing).
    public func writeDirectory(at directory: String) throws {
        let fm = FileManager.default
        for member in members() {
            let target = directory + "/" + member.path
            if member.isDirectory {
                try fm.createDirectory(atPath: target, withIntermediateDirectories: true)
                continue
            }
            guard fm.createFile(atPath: target, contents: nil),
                  let handle = FileHandle(forWritingAtPath: target) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target])
            }
            defer { try? handle.close() }
            try member.produce { chunk in try handle.write(contentsOf: Data(chunk)) }
        }
    }

    // MARK: Layout

    private func fileMembers() -> [BundleMember] {
        let root = rootDirectory + "/"
        let events = model.events.retained(at: model.collectedAt, ttlSeconds: model.options.eventTTLSeconds ?? 3600)
        let extraNamespace = extraPods == nil ? [] : [ExtraPods.namespace]
        let namespaces = Array(Set(model.pods.map(\.namespace) + events.map(\.namespace) + extraNamespace)).sorted()
        var files: [BundleMember] = []
        func add(_ path: String, _ text: String) {
            files.append(BundleMember(path: root + path, content: .bytes(Array(text.utf8))))
        }
        func list(_ envelope: JSONListFile.Envelope, _ items: [JSONValue], style: JSONStyle) -> JSONListFile {
            JSONListFile(envelope: envelope, style: style, items: items, extraPods: nil)
        }
        let podJSON = model.pods.map { PodJSONWriter.pod($0, in: model) }
        let eventJSON = events.map { EventJSONWriter.event($0, model: model) }
        let nodeJSON = model.nodes.map { NodeJSONWriter.node($0, model: model) }
        var random = StableRandom(seed: model.seed, "resource-version")
        switch model.scenario.layout {
        case .troubleshoot:
            add("version.yaml", "apiVersion: troubleshoot.sh/v1beta2\nkind: SupportBundle\nspec:\n  versionNumber: v0.93.1\n")
            let v = model.kubeVersion
            add("cluster-info/cluster_version.json", JSONValue.object([
                ("info", .object([("major", .string(String(v.major))), ("minor", .string(String(v.minor))),
                                  ("gitVersion", .string(model.kubeVersionString)), ("platform", .string("linux/amd64"))])),
                ("string", .string(model.kubeVersionString)),
            ]).rendered())
            add("cluster-resources/nodes.json", list(.troubleshoot(kind: "NodeList", resourceVersion: random.int(1_000_000...9_000_000)), nodeJSON, style: .indent2).text)
            for ns in namespaces {
                let pods = zip(model.pods, podJSON).filter { $0.0.namespace == ns }.map(\.1)
                var file = list(.troubleshoot(kind: "PodList", resourceVersion: random.int(1_000_000...9_000_000)), pods, style: podsJSONStyle ?? .indent2)
                if ns == ExtraPods.namespace { file.extraPods = extraPods }
                files.append(BundleMember(path: root + "cluster-resources/pods/\(ns).json", content: .jsonList(file)))
            }
            for ns in namespaces {
                let inNamespace = zip(events, eventJSON).filter { $0.0.namespace == ns }.map(\.1)
                add("cluster-resources/events/\(ns).json", list(.troubleshoot(kind: "EventList", resourceVersion: random.int(1_000_000...9_000_000)), inNamespace, style: .indent2).text)
            }
            addContainerLogs(&files, root: root + "cluster-resources/pods/logs/")
            addNodeLogs(&files, root: root + "host-collectors/run-host/")
        case .adhoc:
            add("kubectl/get-pods.txt", KubectlTableWriter.pods(model))
            add("kubectl/get-events.txt", KubectlTableWriter.events(events, at: model.collectedAt))
            add("kubectl/describe-pods.txt", DescribeWriter.pods(model, events: events))
            add("kubectl/describe-nodes.txt", DescribeWriter.nodes(model, events: events))
            var pods = list(.kubectl, podJSON, style: podsJSONStyle ?? .indent4)
            pods.extraPods = extraPods
            files.append(BundleMember(path: root + "kubectl/pods.json", content: .jsonList(pods)))
            add("kubectl/events.json", list(.kubectl, eventJSON, style: .indent4).text)
            add("kubectl/nodes.json", list(.kubectl, nodeJSON, style: .indent4).text)
            addContainerLogs(&files, root: root + "logs/")
            addNodeLogs(&files, root: root + "nodes/")
        }
        return files
    }

    private func addContainerLogs(_ files: inout [BundleMember], root: String) {
        for pod in model.pods {
            for c in pod.containers {
                let dir = "\(root)\(pod.namespace)/\(pod.name)/"
                if let current = c.instances.last, current.end == nil {
                    files.append(BundleMember(path: dir + c.name + ".log",
                                              content: .bytes(Array(ContainerLogWriter.log(c, instance: current, seed: model.seed).utf8))))
                }
                let previous = c.instances.last?.end == nil ? c.instances.dropLast().last : c.instances.last
                if c.restartCount > 0 || c.instances.last?.end != nil, let previous {
                    files.append(BundleMember(path: dir + c.name + "-previous.log",
                                              content: .bytes(Array(ContainerLogWriter.log(c, instance: previous, seed: model.seed).utf8))))
                }
            }
        }
    }

    private func addNodeLogs(_ files: inout [BundleMember], root: String) {
        let options = model.options
        for node in model.nodes {
            let first = node.records.first?.time ?? model.collectedAt
            let window = model.collectedAt.adding(seconds: -3600 * Double(options.logWindowHours ?? 6))
            let start = max(node.boots[0].start, min(window, first.adding(seconds: -600)))
            let targets = model.pods.filter { $0.nodeIndex == model.nodeIndex(node.name) }.compactMap { pod -> (String, String, String, String)? in
                guard let c = pod.containers.first, let id = c.instances.first?.id else { return nil }
                return (pod.reference, pod.uid, id, c.spec.image)
            }
            let plan = NodeLogFile.NoisePlan(count: options.noiseLinesPerNode ?? 0, start: start, seed: model.seed,
                                             kubeMinor: model.kubeVersion.minor, targets: targets)
            func log(_ style: NodeLogFile.Style, _ programs: Set<NodeRecord.Program>) -> BundleMember.Content {
                .nodeLog(NodeLogFile(node: node, offset: model.offset, style: style, programs: programs,
                                     collectedAt: model.collectedAt, noise: plan))
            }
            let dir = root + node.name + "/"
            var syslogPrograms: Set<NodeRecord.Program> = [.kernel, .systemd, .problemDetector]
            if options.syslogIncludesServices == true { syslogPrograms.formUnion([.kubelet, .containerd]) }
            if model.provider == .eks {
                files.append(BundleMember(path: dir + "var/log/messages", content: log(.syslog(uptime: false), syslogPrograms)))
            } else {
                files.append(BundleMember(path: dir + "var/log/syslog", content: log(.syslog(uptime: true), syslogPrograms)))
            }
            files.append(BundleMember(path: dir + "journal/kubelet.log", content: log(.journal, [.kubelet, .bootMarker])))
            files.append(BundleMember(path: dir + "journal/containerd.log", content: log(.journal, [.containerd, .bootMarker])))
            if options.duplicateKernelLogInJournal == true {
                files.append(BundleMember(path: dir + "journal/kernel.log", content: log(.journal, [.kernel, .bootMarker])))
            }
        }
    }
}
