import OOMLens

/// Renders Pod objects as the API returns them (struct field order), with the fields oomlens reads filled
/// consistently from the model: `metadata.uid` (the UID in cgroup paths), `spec.nodeName`, container
/// limits, `status.containerStatuses[].lastState.terminated` (id, exit code, reason, times) and restart counts.
///
/// Shape of one container status (from `pod-status-laststate-oomkilled.yaml`):
/// `"lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled", "startedAt": …, "finishedAt": …, "containerID": "containerd://…"}}`.
enum PodJSONWriter {
    static func pod(_ pod: PodModel, in model: ClusterModel) -> JSONValue {
        let node = model.nodes[pod.nodeIndex]
        var random = StableRandom(seed: model.seed, "pod-json", pod.reference)
        var labels: [(String, JSONValue)] = []
        if let workload = pod.spec.workload {
            labels.append(("app", .string(workload.name)))
            if pod.ownerKind == "ReplicaSet", let owner = pod.ownerName, let dash = owner.lastIndex(of: "-") {
                labels.append(("pod-template-hash", .string(String(owner[owner.index(after: dash)...]))))
            }
        }
        var owner: JSONValue?
        if let kind = pod.ownerKind, let name = pod.ownerName {
            let apiVersion = kind == "Node" ? "v1" : kind == "Job" ? "batch/v1" : "apps/v1"
            owner = .array([.fields([
                ("apiVersion", .string(apiVersion)), ("kind", .string(kind)), ("name", .string(name)),
                ("uid", .string(kind == "Node" ? node.uid : pod.ownerUID)), ("controller", .bool(true)),
                ("blockOwnerDeletion", kind == "Node" ? nil : .bool(true)),
            ])])
        }
        let volume = "kube-api-access-" + random.nameSuffix(5)
        let metadata = JSONValue.fields([
            ("name", .string(pod.name)),
            ("generateName", pod.ownerKind == "ReplicaSet" ? pod.ownerName.map { .string($0 + "-") } : nil),
            ("namespace", .string(pod.namespace)), ("uid", .string(pod.uid)),
            ("resourceVersion", .string(String(random.int(100_000...9_000_000)))),
            ("creationTimestamp", .string(TimeText.api(pod.startTime.adding(seconds: -3)))),
            ("labels", labels.isEmpty ? nil : .object(labels)), ("ownerReferences", owner),
        ])
        let containers = pod.containers.map { c -> JSONValue in
            var limits: [(String, JSONValue)] = []
            var requests: [(String, JSONValue)] = []
            if let v = c.spec.cpuLimit { limits.append(("cpu", .string(v))) }
            if let v = c.spec.memoryLimit { limits.append(("memory", .string(v))) }
            if let v = c.spec.cpuRequest ?? c.spec.cpuLimit { requests.append(("cpu", .string(v))) }
            if let v = c.spec.memoryRequest ?? c.spec.memoryLimit { requests.append(("memory", .string(v))) }
            let probePort = livenessPort(c, pod: pod, model: model)
            return .fields([
                ("name", .string(c.name)), ("image", .string(c.spec.image)),
                ("ports", probePort.map { .array([.object([("containerPort", .int($0)), ("protocol", .string("TCP"))])]) }),
                ("resources", .fields([("limits", limits.isEmpty ? nil : .object(limits)),
                                       ("requests", requests.isEmpty ? nil : .object(requests))])),
                ("volumeMounts", .array([.object([("name", .string(volume)), ("readOnly", .bool(true)),
                                                  ("mountPath", .string("/var/run/secrets/kubernetes.io/serviceaccount"))])])),
                ("livenessProbe", probePort.map { port in .object([
                    ("httpGet", .object([("path", .string("/healthz")), ("port", .int(port)), ("scheme", .string("HTTP"))])),
                    ("timeoutSeconds", .int(1)), ("periodSeconds", .int(10)), ("successThreshold", .int(1)),
                    ("failureThreshold", .int(3)),
                ]) }),
                ("terminationMessagePath", .string("/dev/termination-log")),
                ("terminationMessagePolicy", .string("File")), ("imagePullPolicy", .string("IfNotPresent")),
            ])
        }
        let spec = JSONValue.fields([
            ("volumes", .array([.object([("name", .string(volume)), ("projected", .object([("defaultMode", .int(420))]))])])),
            ("containers", .array(containers)), ("restartPolicy", .string("Always")),
            ("terminationGracePeriodSeconds", .int(30)), ("dnsPolicy", .string("ClusterFirst")),
            ("serviceAccountName", .string("default")), ("serviceAccount", .string("default")),
            ("nodeName", .string(node.name)), ("securityContext", .object([])),
            ("schedulerName", .string("default-scheduler")),
            ("tolerations", .array(defaultTolerations)),
            ("priorityClassName", pod.spec.priorityClassName.map { .string($0) }),
            ("priority", .int(pod.spec.priorityClassName == "system-node-critical" ? 2_000_001_000 : pod.spec.priorityClassName == "system-cluster-critical" ? 2_000_000_000 : 0)),
            ("enableServiceLinks", .bool(true)), ("preemptionPolicy", .string("PreemptLowerPriority")),
        ])
        return .object([("kind", .string("Pod")), ("apiVersion", .string("v1")), ("metadata", metadata),
                        ("spec", spec), ("status", status(pod, node: node, model: model))])
    }

    /// The tolerations the API server's DefaultTolerationSeconds admission adds to every pod.
    static let defaultTolerations: [JSONValue] = [
        .object([("key", .string("node.kubernetes.io/not-ready")), ("operator", .string("Exists")),
                 ("effect", .string("NoExecute")), ("tolerationSeconds", .int(300))]),
        .object([("key", .string("node.kubernetes.io/unreachable")), ("operator", .string("Exists")),
                 ("effect", .string("NoExecute")), ("tolerationSeconds", .int(300))]),
    ]

    /// The liveness probe port of a container: declared, or implied by a `livenessKill` incident.
    static func livenessPort(_ c: ContainerModel, pod: PodModel, model: ClusterModel) -> Int? {
        if let port = c.spec.livenessPort { return port }
        let implied = model.scenario.incidents.contains {
            $0.kind == .livenessKill && $0.pod == pod.reference && ($0.container ?? pod.containers.first?.name) == c.name
        }
        return implied ? 8080 : nil
    }

    /// What `status.containerStatuses[]` says about a container at collection time.
    struct ContainerView {
        enum State { case running(Instant), waiting(String, String), terminated(Termination, ContainerInstance) }
        var state: State
        var last: (Termination, ContainerInstance)?
        var currentID: String
        var ready: Bool
    }

    static func view(_ c: ContainerModel, pod: PodModel) -> ContainerView {
        guard let current = c.instances.last else {
            return ContainerView(state: .waiting("ContainerCreating", ""), last: nil, currentID: "", ready: false)
        }
        let previous = c.instances.count >= 2 ? c.instances[c.instances.count - 2] : nil
        let previousEnd = previous.flatMap { p in p.end.map { ($0, p) } }
        guard let end = current.end else {
            return ContainerView(state: .running(current.startedAt), last: previousEnd, currentID: current.id,
                                 ready: pod.eviction == nil)
        }
        if c.waitingUntil != nil {
            let message = "back-off \(backoffText(c)) restarting failed container=\(c.name) pod=\(pod.klogName)"
            return ContainerView(state: .waiting("CrashLoopBackOff", message), last: (end, current),
                                 currentID: current.id, ready: false)
        }
        return ContainerView(state: .terminated(end, current), last: previousEnd, currentID: current.id, ready: false)
    }

    static func backoffText(_ c: ContainerModel) -> String {
        guard let until = c.waitingUntil, let end = c.instances.last?.end else { return "10s" }
        let delay = Int(until.interval(since: end.at))
        return delay >= 300 ? "5m0s" : "\(max(10, delay / 10 * 10))s"
    }

    static func imageID(_ image: String, seed: UInt64) -> String {
        var random = StableRandom(seed: seed, "image", image)
        let repository = image.split(separator: ":").first.map(String.init) ?? image
        return "\(repository)@sha256:\(random.hex(64))"
    }

    private static func terminated(_ end: Termination, _ instance: ContainerInstance) -> JSONValue {
        .fields([
            ("exitCode", .int(end.exitCode)), ("reason", .string(end.reason)),
            ("message", end.message.map { .string($0) }),
            ("startedAt", .string(TimeText.api(instance.startedAt))), ("finishedAt", .string(TimeText.api(end.at))),
            ("containerID", .string("containerd://" + instance.id)),
        ])
    }

    private static func status(_ pod: PodModel, node: NodeModel, model: ClusterModel) -> JSONValue {
        let views = pod.containers.map { view($0, pod: pod) }
        let allReady = views.allSatisfy(\.ready)
        let readySince = pod.containers.compactMap { $0.instances.last?.startedAt }.max() ?? pod.startTime
        func condition(_ type: String, _ ok: Bool, _ at: Instant, reason: String? = nil, message: String? = nil) -> JSONValue {
            .fields([("type", .string(type)), ("status", .string(ok ? "True" : "False")), ("lastProbeTime", .null),
                     ("lastTransitionTime", .string(TimeText.api(at))), ("reason", reason.map { .string($0) }),
                     ("message", message.map { .string($0) })])
        }
        var conditions: [JSONValue] = []
        if let eviction = pod.eviction, model.kubeVersion.minor >= 26 {
            conditions.append(condition("DisruptionTarget", true, eviction.at, reason: "TerminationByKubelet", message: eviction.message))
        }
        if model.kubeVersion.minor >= 29 {
            conditions.append(condition("PodReadyToStartContainers", pod.eviction == nil, pod.startTime.adding(seconds: 2)))
        }
        conditions.append(condition("Initialized", true, pod.startTime))
        let notReady = allReady ? nil : "containers with unready status: [\(zip(pod.containers, views).filter { !$0.1.ready }.map(\.0.name).joined(separator: " "))]"
        conditions.append(condition("Ready", allReady, readySince, reason: allReady ? nil : pod.eviction == nil ? "ContainersNotReady" : "PodFailed", message: notReady))
        conditions.append(condition("ContainersReady", allReady, readySince, reason: allReady ? nil : pod.eviction == nil ? "ContainersNotReady" : "PodFailed", message: notReady))
        conditions.append(condition("PodScheduled", true, pod.startTime.adding(seconds: -2)))
        let statuses = zip(pod.containers, views).map { c, v -> JSONValue in
            let state: JSONValue
            switch v.state {
            case .running(let at): state = .object([("running", .object([("startedAt", .string(TimeText.api(at)))]))])
            case .waiting(let reason, let message):
                state = .object([("waiting", .fields([("reason", .string(reason)), ("message", message.isEmpty ? nil : .string(message))]))])
            case .terminated(let end, let instance): state = .object([("terminated", terminated(end, instance))])
            }
            let last: JSONValue = v.last.map { .object([("terminated", terminated($0.0, $0.1))]) } ?? .object([])
            var started: Bool = false
            if case .running = v.state { started = true }
            return .fields([
                ("name", .string(c.name)), ("state", state), ("lastState", last), ("ready", .bool(v.ready)),
                ("restartCount", .int(c.restartCount)), ("image", .string(c.spec.image)),
                ("imageID", .string(imageID(c.spec.image, seed: model.seed))),
                ("containerID", v.currentID.isEmpty ? nil : .string("containerd://" + v.currentID)),
                ("started", .bool(started)),
            ])
        }
        return .fields([
            ("phase", .string(pod.eviction == nil ? "Running" : "Failed")), ("conditions", .array(conditions)),
            ("message", pod.eviction.map { .string($0.message) }), ("reason", pod.eviction == nil ? nil : .string("Evicted")),
            ("hostIP", .string(node.internalIP)), ("hostIPs", .array([.object([("ip", .string(node.internalIP))])])),
            ("podIP", pod.eviction == nil ? .string(pod.podIP) : nil),
            ("podIPs", pod.eviction == nil ? .array([.object([("ip", .string(pod.podIP))])]) : nil),
            ("startTime", .string(TimeText.api(pod.startTime))), ("containerStatuses", .array(statuses)),
            ("qosClass", .string(pod.qos.rawValue)),
        ])
    }
}
