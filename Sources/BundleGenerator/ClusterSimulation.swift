import OOMLens

/// Turns a `Scenario` into a `ClusterModel`: resolves identities, plays every incident forward
/// (terminations, CrashLoopBackOff restarts, reboots, evictions) and records the node log lines and API
/// events each step leaves behind.
///
/// Order matters and is fixed: reboots first (they define the boots that uptime stamps and pids depend on),
/// then every container's terminations in time order (each restart needs the previous instance), then the
/// log records and events of each termination (they need both the killed and the next instance).
struct ClusterSimulation {
    private var model: ClusterModel
    private var plans: [Plan] = []

    /// One scheduled end of a container instance.
    private struct Plan {
        var pod: Int
        var container: Int
        var time: Instant
        var cause: TerminationCause
        var incident: Int
        var anonBytes: Int64
        var failures: Int
        /// Index of the instance this plan ended, filled in by `playContainers`.
        var instance: Int?
    }

    /// Resolves and plays `scenario`.
    static func run(_ scenario: Scenario) throws(ScenarioError) -> ClusterModel {
        var simulation = try ClusterSimulation(scenario)
        try simulation.applyReboots()
        try simulation.planTerminations()
        simulation.playContainers()
        try simulation.emit()
        return simulation.model
    }

    // MARK: Resolution

    private init(_ s: Scenario) throws(ScenarioError) {
        let seed = s.seed ?? 1
        let collectedAt = try Self.instant(s.collectedAt, "collectedAt")
        guard let offset = TimeText.offsetSeconds(s.nodeTimezone ?? "Z") else {
            throw ScenarioError("nodeTimezone \(s.nodeTimezone ?? ""): expected +hh:mm")
        }
        let version = Self.version(s.kubernetesVersion ?? "1.29.4")
        let options = s.options ?? Scenario.Options()
        var nodes: [NodeModel] = []
        for (i, spec) in s.nodes.enumerated() {
            var random = StableRandom(seed: seed, "node", spec.name)
            let allocatable = try Self.bytes(spec.allocatableMemory, "\(spec.name).allocatableMemory")
            let capacity = try spec.capacityMemory.map { q throws(ScenarioError) in try Self.bytes(q, "\(spec.name).capacityMemory") }
                ?? allocatable + allocatable / 9 + 100 * 1024 * 1024
            let bootTime = try Self.instant(spec.bootTime, "\(spec.name).bootTime")
            let kernel = Self.version(spec.kernelRelease)
            let containerd = spec.containerdVersion ?? "1.7.15"
            let cv = Self.version(containerd)
            let hardware: String
            let build: String
            switch s.provider {
            case .aks:
                hardware = "Microsoft Corporation Virtual Machine/Virtual Machine, BIOS Hyper-V UEFI Release v4.1 05/09/2022"
                build = "#\(random.int(40...90))-Ubuntu"
            case .eks:
                hardware = "Amazon EC2 m5.xlarge/, BIOS 1.0 10/16/2017"
                build = "#1 SMP"
            case .generic:
                hardware = "QEMU Standard PC (Q35 + ICH9, 2009), BIOS 1.16.2-debian-1.16.2-1 04/01/2014"
                build = "#\(random.int(40...120))-Ubuntu"
            }
            let ip = spec.internalIP ?? (s.provider == .eks ? "192.168.\(10 + i).\(random.int(20...200))" : "10.224.0.\(4 + i)")
            let boot = Self.boot(start: bootTime, seed: seed, node: spec.name, index: 0)
            nodes.append(NodeModel(
                spec: spec, capacityBytes: capacity, allocatableBytes: allocatable, cpu: spec.cpu ?? 4,
                internalIP: ip, uid: random.uuid(), machineID: random.hex(32), kernelBuild: build,
                hardware: hardware, kernelVersion: (kernel.major, kernel.minor),
                containerdVersion: (cv.major, cv.minor), containerdVersionString: containerd, boots: [boot]))
        }
        model = ClusterModel(
            scenario: s, seed: seed, collectedAt: collectedAt, offset: offset, kubeVersion: version,
            nodes: nodes, pods: [], events: EventLog(), options: options)
        for (i, spec) in s.pods.enumerated() {
            model.pods.append(try resolvePod(spec, index: i))
        }
    }

    private func resolvePod(_ spec: Scenario.Pod, index: Int) throws(ScenarioError) -> PodModel {
        guard let nodeIndex = model.nodeIndex(spec.node) else {
            throw ScenarioError("pod \(spec.namespace)/\(spec.name): unknown node \(spec.node)")
        }
        let node = model.nodes[nodeIndex]
        var random = StableRandom(seed: model.seed, "pod", spec.namespace, spec.name)
        let isStatic = spec.workload?.kind == "Node"
        let uid = isStatic ? random.hex(32) : random.uuid()
        var containers: [ContainerModel] = []
        for c in spec.containers {
            let request = try c.memoryRequest.map { q throws(ScenarioError) in try Self.bytes(q, "\(spec.name)/\(c.name).memoryRequest") }
            let limit = try c.memoryLimit.map { q throws(ScenarioError) in try Self.bytes(q, "\(spec.name)/\(c.name).memoryLimit") }
            let base = c.image.split(separator: "/").last.map { String($0.split(separator: ":").first ?? $0) } ?? c.name
            let comm = String((c.process ?? base).prefix(15))
            containers.append(ContainerModel(spec: c, requestBytes: request ?? limit, limitBytes: limit, comm: comm))
        }
        let qos: QoSClass
        if let explicit = spec.qos {
            guard let q = QoSClass(rawValue: explicit) else { throw ScenarioError("pod \(spec.name): unknown qos \(explicit)") }
            qos = q
        } else if containers.allSatisfy({ $0.limitBytes == nil && $0.requestBytes == nil && $0.spec.cpuRequest == nil && $0.spec.cpuLimit == nil }) {
            qos = .bestEffort
        } else if containers.allSatisfy({ $0.limitBytes != nil && $0.spec.memoryRequest.map { $0 == $0 } != false
            && ($0.spec.memoryRequest == nil || $0.spec.memoryRequest == $0.spec.memoryLimit)
            && $0.spec.cpuLimit != nil && ($0.spec.cpuRequest == nil || $0.spec.cpuRequest == $0.spec.cpuLimit) }) {
            qos = .guaranteed
        } else {
            qos = .burstable
        }
        let start = try spec.startTime.map { t throws(ScenarioError) in try Self.instant(t, "\(spec.name).startTime") }
            ?? node.boots[0].start.adding(seconds: 1800 + Double(random.int(0...600)))
        var ownerKind: String?
        var ownerName: String?
        if let w = spec.workload {
            switch w.kind {
            case "Deployment":
                ownerKind = "ReplicaSet"
                if spec.name.hasPrefix(w.name + "-"), let dash = spec.name.lastIndex(of: "-") {
                    ownerName = String(spec.name[..<dash])
                } else {
                    ownerName = "\(w.name)-\(random.hex(10))"
                }
            default:
                ownerKind = w.kind
                ownerName = w.name
            }
        }
        let limits = containers.compactMap(\.limitBytes)
        return PodModel(
            spec: spec, uid: uid, nodeIndex: nodeIndex, qos: qos,
            podIP: "10.244.\(nodeIndex).\(10 + index)", startTime: start,
            sandboxIDs: (0..<8).map { _ in random.hex(64) }, ownerKind: ownerKind, ownerName: ownerName,
            ownerUID: random.uuid(), containers: containers, eviction: nil,
            podLimitBytes: limits.count == containers.count ? limits.reduce(0, +) : nil)
    }

    private static func boot(start: Instant, seed: UInt64, node: String, index: Int) -> Boot {
        var random = StableRandom(seed: seed, "boot", node, String(index))
        return Boot(start: start, id: random.uuid(), kubeletPid: random.int(2200...3400),
                    containerdPid: random.int(1900...2199), npdPid: random.int(3400...3600), shutdown: nil)
    }

    // MARK: Planning

    private mutating func applyReboots() throws(ScenarioError) {
        let reboots = model.scenario.incidents.filter { $0.kind == .nodeReboot }
            .sorted { $0.time < $1.time }
        for incident in reboots {
            let node = try nodeIndex(incident)
            let t = try Self.instant(incident.time, "nodeReboot.time")
            let last = model.nodes[node].boots.count - 1
            model.nodes[node].boots[last].shutdown = t
            let start = t.adding(seconds: Double(incident.downtimeSeconds ?? 90))
            model.nodes[node].boots.append(Self.boot(start: start, seed: model.seed, node: model.nodes[node].name, index: last + 1))
        }
    }

    private mutating func planTerminations() throws(ScenarioError) {
        for (i, incident) in model.scenario.incidents.enumerated() {
            let t = try Self.instant(incident.time, "incident \(i) time")
            switch incident.kind {
            case .oomKill, .podLimitOOM, .appOOM, .livenessKill:
                let (pod, container) = try target(incident)
                let anon = try incident.anonRSS.map { q throws(ScenarioError) in try Self.bytes(q, "anonRSS") }
                    ?? (model.pods[pod].containers[container].limitBytes ?? 512 << 20) * 97 / 100
                if incident.kind == .oomKill || incident.kind == .podLimitOOM,
                   let limit = incident.kind == .podLimitOOM ? model.pods[pod].podLimitBytes : model.pods[pod].containers[container].limitBytes,
                   anon > limit {
                    throw ScenarioError("incident \(i): anonRSS above the memory limit")
                }
                let growth = try incident.growth.map { q throws(ScenarioError) in try Self.bytes(q, "growth") } ?? 0
                let cause: TerminationCause = switch incident.kind {
                case .oomKill: .memcgOOM
                case .podLimitOOM: .podLimitOOM
                case .appOOM: .appOOM
                default: .liveness
                }
                let repeats = max(1, incident.`repeat` ?? 1)
                for k in 0..<repeats {
                    var jitter = StableRandom(seed: model.seed, "jitter", String(i), String(k))
                    var limit = model.pods[pod].containers[container].limitBytes ?? Int64.max
                    if cause == .podLimitOOM { limit = model.pods[pod].podLimitBytes ?? limit }
                    plans.append(Plan(
                        pod: pod, container: container,
                        time: t.adding(seconds: Double(k * (incident.intervalSeconds ?? 600)) + 0.1 + jitter.unit() * 0.8), cause: cause,
                        incident: i, anonBytes: min(anon + Int64(k) * growth, limit), failures: incident.failures ?? 3))
                }
            case .nodeOOM:
                if incident.pod != nil {
                    let (pod, container) = try target(incident)
                    let anon = try incident.anonRSS.map { q throws(ScenarioError) in try Self.bytes(q, "anonRSS") } ?? 2 << 30
                    plans.append(Plan(pod: pod, container: container, time: t.adding(seconds: 0.347), cause: .globalOOM, incident: i,
                                      anonBytes: anon, failures: 0))
                }
            case .eviction:
                for reference in incident.pods ?? [] {
                    guard let pod = model.podIndex(reference) else { throw ScenarioError("eviction: unknown pod \(reference)") }
                    for c in model.pods[pod].containers.indices {
                        plans.append(Plan(pod: pod, container: c, time: t.adding(seconds: 1), cause: .eviction,
                                          incident: i, anonBytes: 0, failures: 0))
                    }
                }
            case .nodeReboot:
                let node = try nodeIndex(incident)
                for (p, pod) in model.pods.enumerated() where pod.nodeIndex == node && pod.startTime < t {
                    for c in pod.containers.indices {
                        plans.append(Plan(pod: p, container: c, time: t, cause: .reboot, incident: i,
                                          anonBytes: 0, failures: 0))
                    }
                }
            }
        }
        plans.sort { ($0.time, $0.incident) < ($1.time, $1.incident) }
    }

    /// Gives every container its instances: each plan ends the running instance, and the next one
    /// starts after the CrashLoopBackOff delay (1 s, then 10 s doubling to 5 min; reset after 10 min of
    /// running), after the node is back (reboot), or never (eviction).
    private mutating func playContainers() {
        for p in model.pods.indices {
            let node = model.nodes[model.pods[p].nodeIndex]
            for c in model.pods[p].containers.indices {
                var instances = [newInstance(pod: p, container: c, attempt: 0,
                                             at: model.pods[p].startTime.adding(seconds: 4 + Double(c)), node: node)]
                var crashes = 0
                var waiting: Instant?
                for k in plans.indices where plans[k].pod == p && plans[k].container == c {
                    guard waiting == nil, var current = instances.last, current.end == nil else { continue }
                    var t = plans[k].time
                    if t.interval(since: current.startedAt) < 5 { t = current.startedAt.adding(seconds: 5) }
                    plans[k].time = t
                    let (exitCode, reason) = Self.exit(for: plans[k].cause, cgroupV2: node.isCgroupV2)
                    current.end = Termination(at: t, exitCode: exitCode, reason: reason, cause: plans[k].cause)
                    instances[instances.count - 1] = current
                    plans[k].instance = instances.count - 1
                    if plans[k].cause == .eviction { break }
                    let restart: Instant
                    if plans[k].cause == .reboot {
                        crashes = 0
                        let bootAfter = node.boots.first { $0.start > t } ?? node.boot(at: t)
                        restart = bootAfter.start.adding(seconds: 35 + Double(c) * 0.4)
                    } else {
                        if t.interval(since: current.startedAt) >= 600 { crashes = 0 }
                        let delay = crashes == 0 ? 1.0 : Double(min(10 << (crashes - 1), 300))
                        crashes += 1
                        restart = t.adding(seconds: delay + 0.3)
                    }
                    if restart > model.collectedAt {
                        waiting = restart
                    } else {
                        instances.append(newInstance(pod: p, container: c, attempt: instances.count, at: restart, node: node))
                    }
                }
                model.pods[p].containers[c].instances = instances
                model.pods[p].containers[c].waitingUntil = waiting
            }
        }
    }

    private func newInstance(pod: Int, container: Int, attempt: Int, at start: Instant, node: NodeModel) -> ContainerInstance {
        let p = model.pods[pod]
        var random = StableRandom(seed: model.seed, "container", p.reference, p.containers[container].name, String(attempt))
        let pid = 2000 + Int(node.uptime(at: start) / 4) % 4_000_000 + random.int(0...300)
        let id = random.hex(64)
        return ContainerInstance(id: id, pid: pid, startedAt: start.adding(seconds: 0.05 + random.unit() * 0.4), attempt: attempt, end: nil)
    }

    private static func exit(for cause: TerminationCause, cgroupV2: Bool) -> (Int, String) {
        switch cause {
        case .memcgOOM, .podLimitOOM: (137, "OOMKilled")
        // A global OOM kill shows as OOMKilled only where containerd watches memory.events (cgroup v2).
        case .globalOOM: (137, cgroupV2 ? "OOMKilled" : "Error")
        case .liveness, .eviction: (137, "Error")
        case .appOOM: (3, "Error")
        case .reboot: (255, "Unknown")
        }
    }

    // MARK: Emission

    private mutating func emit() throws(ScenarioError) {
        // Container starts (every instance) and their events.
        for p in model.pods.indices {
            for c in model.pods[p].containers.indices {
                for instance in model.pods[p].containers[c].instances {
                    emitStart(pod: p, container: c, instance: instance)
                }
            }
            let pod = model.pods[p]
            model.events.record(
                namespace: pod.namespace, kind: "Pod", name: pod.name, uid: pod.uid, reason: "Scheduled",
                message: "Successfully assigned \(pod.reference) to \(model.nodes[pod.nodeIndex].name)", warning: false,
                component: "default-scheduler", host: nil, at: pod.startTime.adding(seconds: -2))
        }
        for plan in plans {
            guard let instance = plan.instance else { continue }
            emitTermination(plan, instanceIndex: instance)
        }
        for (i, incident) in model.scenario.incidents.enumerated() {
            let t = try Self.instant(incident.time, "incident \(i) time")
            switch incident.kind {
            case .eviction: try emitEviction(incident, at: t, index: i)
            case .nodeReboot: emitReboot(try nodeIndex(incident), at: t)
            case .nodeOOM where incident.pod == nil: try emitDaemonOOM(incident, at: t, index: i)
            default: break
            }
        }
        for n in model.nodes.indices {
            // Stable: records with equal times keep their emission order.
            model.nodes[n].records = model.nodes[n].records.enumerated()
                .sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        }
    }

    private mutating func emitStart(pod p: Int, container c: Int, instance: ContainerInstance) {
        let pod = model.pods[p]
        let node = model.nodes[pod.nodeIndex]
        let container = pod.containers[c]
        let t = instance.startedAt
        let sandbox = pod.sandboxID(at: t, node: node)
        let fieldPath = "spec.containers{\(container.name)}"
        if instance.attempt == 0 || node.boot(at: t).start > (container.instances[instance.attempt - 1].startedAt) {
            if c == 0 {
                let attempt = node.boots.lastIndex { $0.start <= t } ?? 0
                let sandboxAttempt = instance.attempt == 0 ? 0 : attempt
                containerd(pod.nodeIndex, t.adding(seconds: -1.2), ContainerdLogWriter.runSandbox(
                    pod: pod.name, uid: pod.uid, namespace: pod.namespace, attempt: sandboxAttempt))
                containerd(pod.nodeIndex, t.adding(seconds: -0.6), ContainerdLogWriter.ranSandbox(
                    pod: pod.name, uid: pod.uid, namespace: pod.namespace, attempt: sandboxAttempt, id: sandbox))
                if instance.attempt > 0 {
                    model.events.record(
                        namespace: pod.namespace, kind: "Pod", name: pod.name, uid: pod.uid, reason: "SandboxChanged",
                        message: "Pod sandbox changed, it will be killed and re-created.", warning: false,
                        host: node.name, at: t.adding(seconds: -3))
                }
            }
        }
        containerd(pod.nodeIndex, t.adding(seconds: -0.25), ContainerdLogWriter.createContainer(
            sandbox: sandbox, name: container.name, attempt: instance.attempt))
        containerd(pod.nodeIndex, t.adding(seconds: -0.2), ContainerdLogWriter.createdContainer(
            sandbox: sandbox, name: container.name, attempt: instance.attempt, id: instance.id))
        containerd(pod.nodeIndex, t.adding(seconds: -0.19), "StartContainer for \"\(instance.id)\"")
        containerd(pod.nodeIndex, t.adding(seconds: 0.05), "StartContainer for \"\(instance.id)\" returns successfully")
        kubelet(pod.nodeIndex, t.adding(seconds: 0.7), "I", KubeletLogWriter.pleg(
            pod: pod.reference, uid: pod.uid, type: "ContainerStarted", data: instance.id, minor: model.kubeVersion.minor))
        for (reason, message) in [
            ("Pulled", "Container image \"\(container.spec.image)\" already present on machine"),
            ("Created", "Created container \(container.name)"),
            ("Started", "Started container \(container.name)"),
        ] {
            model.events.record(
                namespace: pod.namespace, kind: "Pod", name: pod.name, uid: pod.uid, fieldPath: fieldPath,
                reason: reason, message: message, warning: false, host: node.name, at: t.adding(seconds: -0.3))
        }
    }

    private mutating func emitTermination(_ plan: Plan, instanceIndex: Int) {
        let pod = model.pods[plan.pod]
        let n = pod.nodeIndex
        let node = model.nodes[n]
        let container = pod.containers[plan.container]
        let instance = container.instances[instanceIndex]
        guard let end = instance.end else { return }
        let t = end.at
        var random = StableRandom(seed: model.seed, "termination", pod.reference, container.name, String(instanceIndex))
        let gogo = node.containerdVersion < (1, 7)
        let minor = model.kubeVersion.minor
        let fieldPath = "spec.containers{\(container.name)}"

        switch plan.cause {
        case .memcgOOM, .podLimitOOM:
            emitMemcgOOM(plan, pod: pod, container: container, instance: instance, at: t, random: &random)
        case .globalOOM:
            emitGlobalOOM(n, at: t, victim: victimTask(pod: pod, container: container, instance: instance, anon: plan.anonBytes),
                          cpuset: PodModel.containerLeaf(instance.id, systemd: node.isSystemd),
                          taskMemcg: pod.containerCgroup(instance.id, systemd: node.isSystemd), random: &random)
            if node.isCgroupV2 {
                if node.isSystemd {
                    systemd(n, t.adding(seconds: 0.0004), SystemdLogWriter.oomKilled(unit: "cri-containerd-\(instance.id).scope"))
                }
                containerd(n, t.adding(seconds: 0.52), ContainerdLogWriter.taskOOM(instance.id, gogo: gogo))
            }
        case .liveness:
            let port = container.spec.livenessPort ?? 8080
            let output = "Get \"http://\(pod.podIP):\(port)/healthz\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
            let failures = max(1, plan.failures)
            let killAt = t.adding(seconds: -30)
            for f in 0..<failures {
                let probeAt = killAt.adding(seconds: Double(f - failures + 1) * 10 - 0.2)
                kubelet(n, probeAt, "I", KubeletLogWriter.probeFailed(pod: pod.reference, uid: pod.uid, container: container.name, output: output))
                model.events.record(
                    namespace: pod.namespace, kind: "Pod", name: pod.name, uid: pod.uid, fieldPath: fieldPath,
                    reason: "Unhealthy", message: "Liveness probe failed: " + output, warning: true,
                    host: node.name, at: probeAt)
            }
            kubelet(n, killAt.adding(seconds: 0.001), "I", KubeletLogWriter.probeUnhealthy(pod: pod.reference))
            kubelet(n, killAt.adding(seconds: 0.002), "I", KubeletLogWriter.livenessRestart(pod: pod.reference, container: container.name, containerID: instance.id))
            kubelet(n, killAt.adding(seconds: 0.003), "I", KubeletLogWriter.killing(pod: pod.reference, uid: pod.uid, container: container.name, containerID: instance.id, grace: 30))
            containerd(n, killAt.adding(seconds: 0.01), "StopContainer for \"\(instance.id)\" with timeout 30 (s)")
            containerd(n, killAt.adding(seconds: 0.02), "Stop container \"\(instance.id)\" with signal terminated")
            containerd(n, t.adding(seconds: -0.01), "Kill container \"\(instance.id)\"")
            model.events.record(
                namespace: pod.namespace, kind: "Pod", name: pod.name, uid: pod.uid, fieldPath: fieldPath,
                reason: "Killing", message: "Container \(container.name) failed liveness probe, will be restarted",
                warning: false, host: node.name, at: killAt)
        case .eviction:
            kubelet(n, t.adding(seconds: -0.5), "I", KubeletLogWriter.killing(pod: pod.reference, uid: pod.uid, container: container.name, containerID: instance.id, grace: 30))
            containerd(n, t.adding(seconds: -0.49), "StopContainer for \"\(instance.id)\" with timeout 30 (s)")
            containerd(n, t.adding(seconds: -0.48), "Stop container \"\(instance.id)\" with signal terminated")
            model.events.record(
                namespace: pod.namespace, kind: "Pod", name: pod.name, uid: pod.uid, fieldPath: fieldPath,
                reason: "Killing", message: "Stopping container \(container.name)", warning: false,
                host: node.name, at: t.adding(seconds: -0.5))
        case .appOOM, .reboot:
            break
        }
        guard plan.cause != .reboot else { return }

        // The exit as the runtime, systemd and the kubelet see it.
        let exitAt = t.adding(seconds: 0.6 + random.unit() * 0.1)
        containerd(n, exitAt, ContainerdLogWriter.exitEvent(
            instance.id, pid: instance.pid, exitCode: end.exitCode, seconds: exitAt.seconds,
            nanos: exitAt.nanoseconds, gogo: gogo))
        containerd(n, exitAt.adding(seconds: 0.018), "shim disconnected", fields: "id=\(instance.id) namespace=k8s.io")
        containerd(n, exitAt.adding(seconds: 0.019), "cleaning up after shim disconnected", level: "warning",
                   fields: "id=\(instance.id) namespace=k8s.io")
        if node.isSystemd {
            systemd(n, exitAt.adding(seconds: -0.02), SystemdLogWriter.deactivated(unit: "cri-containerd-\(instance.id).scope"))
        }
        systemd(n, exitAt.adding(seconds: 0.03), SystemdLogWriter.rootfsUnmounted(instance.id))
        let plegAt = exitAt.adding(seconds: 0.9 + random.unit() * 0.5)
        kubelet(n, plegAt, "I", KubeletLogWriter.pleg(pod: pod.reference, uid: pod.uid, type: "ContainerDied", data: instance.id, minor: minor))
        kubelet(n, plegAt.adding(seconds: 0.0003), "I", KubeletLogWriter.containerFinished(uid: pod.uid, containerID: instance.id, exitCode: end.exitCode))
        if plan.cause == .eviction { return }

        // CrashLoopBackOff between this exit and the next start.
        let next = instanceIndex + 1 < container.instances.count ? container.instances[instanceIndex + 1].startedAt : container.waitingUntil
        if let next, next.interval(since: t) >= 9 {
            let delay = Int(next.interval(since: t).rounded(.down))
            let text = delay >= 300 ? "5m0s" : "\(delay / 10 * 10)s"
            kubelet(n, plegAt.adding(seconds: 0.01), "E", KubeletLogWriter.crashLoop(
                pod: pod.reference, uid: pod.uid, klogName: pod.klogName, container: container.name, backoff: text))
            let message = "Back-off restarting failed container \(container.name) in pod \(pod.klogName)"
            model.events.record(
                namespace: pod.namespace, kind: "Pod", name: pod.name, uid: pod.uid, fieldPath: fieldPath,
                reason: "BackOff", message: message, warning: true, host: node.name, at: plegAt.adding(seconds: 0.01),
                count: max(1, delay / 10 - 1))
            if next <= model.collectedAt {
                model.events.record(
                    namespace: pod.namespace, kind: "Pod", name: pod.name, uid: pod.uid, fieldPath: fieldPath,
                    reason: "BackOff", message: message, warning: true, host: node.name, at: next.adding(seconds: -1))
            }
        }
    }

    private mutating func emitMemcgOOM(
        _ plan: Plan, pod: PodModel, container: ContainerModel, instance: ContainerInstance, at t: Instant,
        random: inout StableRandom
    ) {
        let n = pod.nodeIndex
        let node = model.nodes[n]
        let systemdDriver = node.isSystemd
        let podLevel = plan.cause == .podLimitOOM
        let victim = victimTask(pod: pod, container: container, instance: instance, anon: plan.anonBytes)
        var tasks: [KernelLogWriter.Task] = []
        if podLevel {
            tasks.append(pauseTask(pod: pod, node: node, at: t))
            for other in pod.containers where other.name != container.name {
                if let running = other.instances.last(where: { $0.startedAt <= t && ($0.end.map { $0.at > t } ?? true) }) {
                    tasks += processTasks(pod: pod, container: other, pid: running.pid, anon: (other.limitBytes ?? 64 << 20) / 5)
                }
            }
        }
        tasks += processTasks(pod: pod, container: container, pid: instance.pid, anon: 0).dropLast()
        tasks.append(victim)
        tasks.sort { $0.pid < $1.pid }
        let limit = podLevel ? (pod.podLimitBytes ?? container.limitBytes ?? plan.anonBytes) : (container.limitBytes ?? plan.anonBytes)
        let oomMemcg = podLevel ? pod.podCgroup(systemd: systemdDriver) : pod.containerCgroup(instance.id, systemd: systemdDriver)
        let fileRSS = random.int(200...2000)
        let oom = KernelLogWriter.MemcgOOM(
            kernel: kernelInfo(node), cgroupV2: node.isCgroupV2, cpu: random.int(0...max(0, node.cpu - 1)), victim: victim,
            cpuset: PodModel.containerLeaf(instance.id, systemd: systemdDriver), oomMemcg: oomMemcg,
            taskMemcg: pod.containerCgroup(instance.id, systemd: systemdDriver), limitKB: limit / 1024,
            failcnt: random.int(40...9000), anonBytes: limit - Int64(random.int(1...3)) * 1_048_576,
            fileBytes: Int64(random.int(600...3000)) * 4096, tasks: tasks, shmemKB: 0, fileRSSKB: fileRSS)
        let lines = KernelLogWriter.memcgBlock(oom)
        kernel(n, t, lines)
        let killLine = lines.last ?? ""
        let gogo = node.containerdVersion < (1, 7)
        if node.isCgroupV2 && systemdDriver {
            systemd(n, t.adding(seconds: 0.0004), SystemdLogWriter.oomKilled(unit: "cri-containerd-\(instance.id).scope"))
        }
        containerd(n, t.adding(seconds: 0.53 + random.unit() * 0.05), ContainerdLogWriter.taskOOM(instance.id, gogo: gogo))
        problemDetector(n, t, kill: killLine)
    }

    /// node-problem-detector (AKS) turns a kernel kill line into an `OOMKilling` event and a status log line.
    private mutating func problemDetector(_ n: Int, _ t: Instant, kill: String) {
        guard model.provider == .aks else { return }
        let node = model.nodes[n]
        let boot = node.boot(at: t)
        let npdStart = boot.start.adding(seconds: 46.2)
        let seen = t.adding(seconds: 0.088)
        func goTime(_ i: Instant) -> String {
            let c = CivilTime(i, offsetSeconds: model.offset)
            var fraction = TimeText.pad(Int(i.nanoseconds), 9)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            let zone = model.offset == 0 ? "+0000 UTC" : {
                let z = TimeText.rfc1123Z(i, offset: model.offset).suffix(5)
                return "\(z) \(z)"
            }()
            let since = i.interval(since: npdStart)
            let monotonic = "\(Int(since)).\(TimeText.pad(Int((since - Double(Int(since))) * 1e9), 9))"
            return "\(TimeText.pad(c.year ?? 0, 4))-\(TimeText.pad(c.month, 2))-\(TimeText.pad(c.day, 2)) \(TimeText.pad(c.hour, 2)):\(TimeText.pad(c.minute, 2)):\(TimeText.pad(c.second, 2))\(fraction.isEmpty ? "" : "." + fraction) \(zone) m=+\(monotonic)"
        }
        let transition = npdStart.adding(seconds: 0.066207065)
        let message = "New status generated: &{Source:kernel-monitor Events:[{Severity:warn Timestamp:\(goTime(t.adding(seconds: 0.0871))) Reason:OOMKilling Message:\(kill)}] Conditions:[{Type:KernelDeadlock Status:False Transition:\(goTime(transition)) Reason:KernelHasNoDeadlock Message:kernel has no deadlock} {Type:ReadonlyFilesystem Status:False Transition:\(goTime(transition.adding(seconds: 0.0000001))) Reason:FilesystemIsNotReadOnly Message:Filesystem is not read-only}]}"
        model.nodes[n].records.append(NodeRecord(
            time: seen, program: .problemDetector, pid: boot.npdPid,
            message: TimeText.klog("I", seen, offset: model.offset, pid: boot.npdPid, source: "log_monitor.go:160") + message))
        model.events.record(
            namespace: "default", kind: "Node", name: node.name, uid: node.name, reason: "OOMKilling", message: kill,
            warning: true, component: "kernel-monitor", host: node.name, at: t)
    }

    private mutating func emitGlobalOOM(
        _ n: Int, at t: Instant, victim: KernelLogWriter.Task, cpuset: String, taskMemcg: String,
        random: inout StableRandom
    ) {
        let node = model.nodes[n]
        var tasks = systemTasks(node: node, at: t)
        for pod in model.pods where pod.nodeIndex == n && pod.startTime <= t {
            tasks.append(pauseTask(pod: pod, node: node, at: t))
            for container in pod.containers {
                if let running = container.instances.last(where: { $0.startedAt <= t && ($0.end.map { $0.at >= t } ?? true) }),
                   running.pid != victim.pid {
                    tasks += processTasks(pod: pod, container: container, pid: running.pid,
                                          anon: (container.requestBytes ?? 96 << 20) * 8 / 10)
                }
            }
        }
        tasks.removeAll { $0.pid == victim.pid }
        tasks.append(victim)
        tasks.sort { $0.pid < $1.pid }
        let invoker = tasks.filter { $0.pid != victim.pid && $0.comm != "pause" }.last ?? victim
        let g = KernelLogWriter.GlobalOOM(
            kernel: kernelInfo(node), cpu: random.int(0...max(0, node.cpu - 1)), invoker: invoker, victim: victim,
            cpuset: cpuset, taskMemcg: taskMemcg, ramPages: Int(node.capacityBytes / 4096), tasks: tasks,
            fileRSSKB: random.int(100...900), shmemKB: 0)
        let lines = KernelLogWriter.globalBlock(g)
        kernel(n, t, lines)
        problemDetector(n, t, kill: lines.last ?? "")
        model.events.record(
            namespace: "default", kind: "Node", name: node.name, uid: node.name, reason: "SystemOOM",
            message: "System OOM encountered, victim process: \(victim.comm), pid: \(victim.pid)", warning: true,
            host: node.name, at: t.adding(seconds: 0.2))
    }

    private mutating func emitDaemonOOM(_ incident: Scenario.Incident, at t: Instant, index: Int) throws(ScenarioError) {
        let n = try nodeIndex(incident)
        let node = model.nodes[n]
        let comm = String((incident.process ?? "containerd").prefix(15))
        let unit = incident.unit ?? "\(comm).service"
        let anon = try incident.anonRSS.map { q throws(ScenarioError) in try Self.bytes(q, "anonRSS") } ?? 3 << 30
        var random = StableRandom(seed: model.seed, "daemon-oom", String(index))
        let boot = node.boot(at: t)
        let pid = comm == "containerd" ? boot.containerdPid : comm == "kubelet" ? boot.kubeletPid : random.int(900...1800)
        let pages = Int(anon / 4096)
        let victim = KernelLogWriter.Task(pid: pid, uid: 0, totalVM: pages + pages / 3, rss: pages + 300,
                                          pgtablesBytes: max(16384, pages * 8) / 4096 * 4096, adj: comm == "kubelet" ? -999 : 0, comm: comm)
        let memcg = "/system.slice/\(unit)"
        emitGlobalOOM(n, at: t, victim: victim, cpuset: node.isCgroupV2 ? unit : "/", taskMemcg: memcg, random: &random)
        for (k, line) in SystemdLogWriter.serviceOOM(unit: unit, cgroupV2: node.isCgroupV2).enumerated() {
            systemd(n, t.adding(seconds: 0.0004 + Double(k) * 0.002 + (k == 3 ? 5 : 0)), line)
        }
    }

    private mutating func emitEviction(_ incident: Scenario.Incident, at t: Instant, index: Int) throws(ScenarioError) {
        let n = try nodeIndex(incident)
        let node = model.nodes[n]
        let resource = incident.resource ?? "memory"
        let threshold = incident.threshold ?? "750Mi"
        let thresholdBytes = try Self.bytes(threshold, "eviction.threshold")
        let available = incident.available ?? "\(thresholdBytes * 3 / 10 / 1024)Ki"
        let minor = model.kubeVersion.minor
        let victims = incident.pods ?? []
        var ranked = victims
        for pod in model.pods where pod.nodeIndex == n && !victims.contains(pod.reference) && pod.startTime < t {
            ranked.append(pod.reference)
        }
        kubelet(n, t.adding(seconds: -10.5), "I", KubeletLogWriter.nodeEvent(node: node.name, event: "NodeHasInsufficientMemory"))
        kubelet(n, t.adding(seconds: -0.6), "I", KubeletLogWriter.evictionAttempt(resource: resource))
        kubelet(n, t.adding(seconds: -0.59), "I", KubeletLogWriter.evictionMustEvict(resource: resource))
        kubelet(n, t.adding(seconds: -0.58), "I", KubeletLogWriter.evictionRanked(ranked, minor: minor))
        for reference in victims {
            guard let p = model.podIndex(reference) else { continue }
            var message = "The node was low on resource: \(resource). Threshold quantity: \(threshold), available: \(available). "
            for container in model.pods[p].containers {
                let usage = (container.limitBytes ?? (container.requestBytes ?? 1 << 30) * 3) * 9 / 10
                let request = container.spec.memoryRequest ?? "0"
                message += "Container \(container.name) was using \(usage / 1024)Ki, request is \(request), has larger consumption of \(resource). "
            }
            model.pods[p].eviction = EvictionRecord(at: t, message: message)
            let pod = model.pods[p]
            model.events.record(
                namespace: pod.namespace, kind: "Pod", name: pod.name, uid: pod.uid, reason: "Evicted",
                message: message, warning: true, host: node.name, at: t)
            kubelet(n, t.adding(seconds: 2.4), "I", KubeletLogWriter.evicted(pod: reference))
            let sandbox = pod.sandboxID(at: t, node: node)
            containerd(n, t.adding(seconds: 2.2), "StopPodSandbox for \"\(sandbox)\"")
            containerd(n, t.adding(seconds: 2.3), "TearDown network for sandbox \"\(sandbox)\" successfully")
            containerd(n, t.adding(seconds: 2.35), "StopPodSandbox for \"\(sandbox)\" returns successfully")
        }
        kubelet(n, t.adding(seconds: 2.41), "I", KubeletLogWriter.evictionWaiting(victims, minor: minor))
        kubelet(n, t.adding(seconds: 4.5), "I", KubeletLogWriter.evictionCleaned(victims, minor: minor))
        let recovered = t.adding(seconds: 300)
        model.nodes[n].pressure.append((t.adding(seconds: -10.5), recovered))
        model.events.record(
            namespace: "default", kind: "Node", name: node.name, uid: node.name, reason: "NodeHasInsufficientMemory",
            message: "Node \(node.name) status is now: NodeHasInsufficientMemory", warning: false, host: node.name,
            at: t.adding(seconds: -10.5))
        model.events.record(
            namespace: "default", kind: "Node", name: node.name, uid: node.name, reason: "EvictionThresholdMet",
            message: "Attempting to reclaim \(resource)", warning: true, host: node.name, at: t.adding(seconds: -0.6))
        if recovered <= model.collectedAt {
            kubelet(n, recovered, "I", KubeletLogWriter.nodeEvent(node: node.name, event: "NodeHasSufficientMemory"))
            model.events.record(
                namespace: "default", kind: "Node", name: node.name, uid: node.name, reason: "NodeHasSufficientMemory",
                message: "Node \(node.name) status is now: NodeHasSufficientMemory", warning: false, host: node.name,
                at: recovered)
        }
    }

    private mutating func emitReboot(_ n: Int, at t: Instant) {
        let node = model.nodes[n]
        guard let bootIndex = node.boots.firstIndex(where: { $0.start > t }) else { return }
        let boot = node.boots[bootIndex]
        let b = boot.start
        model.nodes[n].records.append(NodeRecord(time: b, program: .bootMarker, pid: nil, message: "-- Boot \(boot.id.replacingOccurrences(of: "-", with: "")) --"))
        let built = Instant(seconds: b.seconds - 86_400 * 40)
        kernel(n, b.adding(seconds: 0.000001), KernelLogWriter.bootBanner(kernelInfo(node), built: TimeText.kernelBuildDate(built)))
        var revision = StableRandom(seed: model.seed, "containerd-revision", node.containerdVersionString)
        containerd(n, b.adding(seconds: 8.1), "starting containerd", fields: "revision=\(revision.hex(40)) version=\(node.containerdVersionString)")
        containerd(n, b.adding(seconds: 8.2), "containerd successfully booted in 0.061035s")
        kubelet(n, b.adding(seconds: 12.0), "I", KubeletLogWriter.version(model.kubeVersionString))
        kubelet(n, b.adding(seconds: 14.0), "I", KubeletLogWriter.nodeEvent(node: node.name, event: "NodeHasSufficientMemory"))
        kubelet(n, b.adding(seconds: 14.1), "I", KubeletLogWriter.startingSyncLoop())
        let events: [(String, String, Bool, String, Double)] = [
            ("NodeNotReady", "Node \(node.name) status is now: NodeNotReady", false, "node-controller", 40),
            ("Starting", "Starting kubelet.", false, "kubelet", b.interval(since: t) + 13),
            ("NodeHasSufficientMemory", "Node \(node.name) status is now: NodeHasSufficientMemory", false, "kubelet", b.interval(since: t) + 14),
            ("NodeAllocatableEnforced", "Updated Node Allocatable limit across pods", false, "kubelet", b.interval(since: t) + 14.2),
            ("Rebooted", "Node \(node.name) has been rebooted, boot id: \(boot.id)", true, "kubelet", b.interval(since: t) + 14.3),
            ("NodeReady", "Node \(node.name) status is now: NodeReady", false, "kubelet", b.interval(since: t) + 24),
        ]
        for (reason, message, warning, component, delay) in events {
            model.events.record(
                namespace: "default", kind: "Node", name: node.name, uid: node.name, reason: reason, message: message,
                warning: warning, component: component, host: component == "kubelet" ? node.name : nil,
                at: t.adding(seconds: delay))
        }
    }

    // MARK: Tasks

    private func kernelInfo(_ node: NodeModel) -> KernelLogWriter.KernelInfo {
        KernelLogWriter.KernelInfo(release: node.spec.kernelRelease, build: node.kernelBuild, hardware: node.hardware,
                                   version: node.kernelVersion)
    }

    /// oom_score_adj as the kubelet sets it: -997 Guaranteed, 1000 BestEffort, else by request share.
    private func scoreAdj(pod: PodModel, container: ContainerModel) -> Int {
        if pod.spec.priorityClassName == "system-node-critical" { return -997 }
        switch pod.qos {
        case .guaranteed: return -997
        case .bestEffort: return 1000
        case .burstable:
            let capacity = model.nodes[pod.nodeIndex].capacityBytes
            let request = container.requestBytes ?? 0
            let adj = 1000 - Int(1000 * request / max(capacity, 1))
            return min(max(adj, 2), 999)
        }
    }

    private func victimTask(pod: PodModel, container: ContainerModel, instance: ContainerInstance, anon: Int64) -> KernelLogWriter.Task {
        let rss = Int(anon / 4096) + 79
        return KernelLogWriter.Task(
            pid: instance.pid, uid: 0, totalVM: rss + rss / 4 + 12_000, rss: rss,
            pgtablesBytes: max(45_056, rss * 8 / 4096 * 4096 + 45_056), adj: scoreAdj(pod: pod, container: container),
            comm: container.comm)
    }

    /// The container's processes other than the victim: a parent (pid - 3) and workers.
    private func processTasks(pod: PodModel, container: ContainerModel, pid: Int, anon: Int64) -> [KernelLogWriter.Task] {
        let adj = scoreAdj(pod: pod, container: container)
        let rss = max(300, Int(anon / 4096))
        var tasks = [KernelLogWriter.Task(pid: pid, uid: 0, totalVM: rss + 9000, rss: rss, pgtablesBytes: 86_016, adj: adj, comm: container.comm)]
        for w in 0..<(container.spec.workers ?? 0) {
            tasks.insert(KernelLogWriter.Task(pid: pid - 40 + w, uid: 0, totalVM: 2963 + w, rss: 718, pgtablesBytes: 53_248, adj: adj, comm: container.comm), at: 0)
        }
        return tasks
    }

    private func pauseTask(pod: PodModel, node: NodeModel, at t: Instant) -> KernelLogWriter.Task {
        var random = StableRandom(seed: model.seed, "pause", pod.reference, String(node.boots.lastIndex { $0.start <= t } ?? 0))
        let start = max(pod.startTime, node.boot(at: t).start)
        let pid = 1900 + Int(node.uptime(at: start) / 4) % 4_000_000 + random.int(0...60)
        return KernelLogWriter.Task(pid: pid, uid: 65535, totalVM: 243, rss: 1, pgtablesBytes: 28_672, adj: -998, comm: "pause")
    }

    private func systemTasks(node: NodeModel, at t: Instant) -> [KernelLogWriter.Task] {
        let boot = node.boot(at: t)
        return [
            KernelLogWriter.Task(pid: 1, uid: 0, totalVM: 42_118, rss: 3102, pgtablesBytes: 102_400, adj: 0, comm: "systemd"),
            KernelLogWriter.Task(pid: 402, uid: 0, totalVM: 39_270, rss: 7211, pgtablesBytes: 335_872, adj: -250, comm: "systemd-journal"),
            KernelLogWriter.Task(pid: boot.containerdPid, uid: 0, totalVM: 471_911, rss: 14_260, pgtablesBytes: 471_040, adj: -999, comm: "containerd"),
            KernelLogWriter.Task(pid: boot.kubeletPid, uid: 0, totalVM: 522_003, rss: 29_117, pgtablesBytes: 630_784, adj: -999, comm: "kubelet"),
        ]
    }

    // MARK: Records

    private mutating func kernel(_ n: Int, _ t: Instant, _ lines: [String]) {
        var time = t
        for (k, line) in lines.enumerated() {
            model.nodes[n].records.append(NodeRecord(time: time, program: .kernel, pid: nil, message: line))
            // Lines of one multi-line record (memory.stat, Mem-Info) share its stamp; others advance a little.
            if k + 1 < lines.count, !Self.continuesRecord(lines[k + 1]) {
                time = time.adding(seconds: 0.000002 + Double(k % 3) * 0.000001)
            }
        }
    }

    private mutating func systemd(_ n: Int, _ t: Instant, _ message: String) {
        model.nodes[n].records.append(NodeRecord(time: t, program: .systemd, pid: 1, message: message))
    }

    private mutating func kubelet(_ n: Int, _ t: Instant, _ severity: Character, _ line: KubeletLogWriter.Line) {
        let pid = model.nodes[n].boot(at: t).kubeletPid
        model.nodes[n].records.append(NodeRecord(
            time: t, program: .kubelet, pid: pid,
            message: TimeText.klog(severity, t, offset: model.offset, pid: pid, source: line.source) + line.message))
    }

    private mutating func containerd(_ n: Int, _ t: Instant, _ msg: String, level: String = "info", fields: String = "") {
        let pid = model.nodes[n].boot(at: t).containerdPid
        model.nodes[n].records.append(NodeRecord(
            time: t, program: .containerd, pid: pid,
            message: ContainerdLogWriter.line(level: level, time: TimeText.rfc3339Nano(t, offset: model.offset), msg: msg, fields: fields)))
    }

    /// True for `anon 98742272`-style stat lines and indented Mem-Info continuations.
    static func continuesRecord(_ line: String) -> Bool {
        if line.hasPrefix(" ") { return !line.contains("+0x") && !line.contains("TASK>") }
        guard let space = line.firstIndex(of: " ") else { return false }
        let name = line[..<space]
        let value = line[line.index(after: space)...]
        return !name.isEmpty && name.allSatisfy { $0 == "_" || ("a"..."z").contains($0) }
            && !value.isEmpty && value.allSatisfy(\.isNumber)
    }

    // MARK: Parsing helpers

    private func nodeIndex(_ incident: Scenario.Incident) throws(ScenarioError) -> Int {
        guard let name = incident.node, let n = model.nodeIndex(name) else {
            throw ScenarioError("\(incident.kind.rawValue): unknown or missing node \(incident.node ?? "")")
        }
        return n
    }

    private func target(_ incident: Scenario.Incident) throws(ScenarioError) -> (Int, Int) {
        guard let reference = incident.pod, let p = model.podIndex(reference) else {
            throw ScenarioError("\(incident.kind.rawValue): unknown or missing pod \(incident.pod ?? "")")
        }
        let name = incident.container ?? model.pods[p].containers.first?.name ?? ""
        guard let c = model.pods[p].containers.firstIndex(where: { $0.name == name }) else {
            throw ScenarioError("\(incident.kind.rawValue): pod \(reference) has no container \(name)")
        }
        return (p, c)
    }

    static func instant(_ text: String, _ what: String) throws(ScenarioError) -> Instant {
        guard let t = RFC3339.instant(text) else { throw ScenarioError("\(what): not an RFC 3339 time: \(text)") }
        return t
    }

    static func bytes(_ text: String, _ what: String) throws(ScenarioError) -> Int64 {
        guard let b = Quantity.bytes(text) else { throw ScenarioError("\(what): not a quantity: \(text)") }
        return b
    }

    /// `5.15.0-1041-azure` → (5, 15, 0); `1.29.4` → (1, 29, 4).
    static func version(_ text: String) -> (major: Int, minor: Int, patch: Int) {
        var parts: [Int] = []
        var current = 0
        var inNumber = false
        for ch in text.utf8 {
            if (48...57).contains(ch) {
                current = current * 10 + Int(ch - 48)
                inNumber = true
            } else if ch == UInt8(ascii: "."), inNumber {
                parts.append(current)
                current = 0
                inNumber = false
            } else if ch == UInt8(ascii: "v") && parts.isEmpty && !inNumber {
                continue
            } else {
                break
            }
        }
        if inNumber { parts.append(current) }
        while parts.count < 3 { parts.append(0) }
        return (parts[0], parts[1], parts[2])
    }
}
