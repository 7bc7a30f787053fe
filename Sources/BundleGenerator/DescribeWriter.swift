import OOMLens

/// Renders `kubectl describe pods -A` and `kubectl describe nodes` text (kubectl ≥ 1.27 layout), following
/// `kubectl-describe-pod-full-header.txt`, `kubectl-describe-pod-oomkilled-excerpts.txt`,
/// `kubectl-describe-node-conditions-capacity.txt` and `kubectl-describe-node-systemoom-events.txt`:
///
/// ```
///     Last State:     Terminated
///       Reason:       OOMKilled
///       Exit Code:    137
/// ```
///
/// Times are printed in UTC (`+0000`), as from a client whose zone is UTC.
enum DescribeWriter {
    static func pods(_ model: ClusterModel, events: [APIEvent]) -> String {
        model.pods.map { pod(for: $0, model: model, events: events) }.joined(separator: "\n\n\n") + "\n"
    }

    static func nodes(_ model: ClusterModel, events: [APIEvent]) -> String {
        model.nodes.map { node(for: $0, model: model, events: events) }.joined(separator: "\n\n\n") + "\n"
    }

    private static func field(_ key: String, _ value: String, width: Int) -> String {
        let label = key + ":"
        return label + String(repeating: " ", count: max(2, width - label.count)) + value
    }

    private static func pod(for pod: PodModel, model: ClusterModel, events: [APIEvent]) -> String {
        let node = model.nodes[pod.nodeIndex]
        var lines: [String] = []
        let w = 18
        lines.append(field("Name", pod.name, width: w))
        lines.append(field("Namespace", pod.namespace, width: w))
        lines.append(field("Priority", pod.spec.priorityClassName == "system-node-critical" ? "2000001000" : pod.spec.priorityClassName == "system-cluster-critical" ? "2000000000" : "0", width: w))
        if let priorityClass = pod.spec.priorityClassName { lines.append(field("Priority Class Name", priorityClass, width: w)) }
        lines.append(field("Service Account", "default", width: w))
        lines.append(field("Node", "\(node.name)/\(node.internalIP)", width: w))
        lines.append(field("Start Time", TimeText.rfc1123Z(pod.startTime), width: w))
        if let workload = pod.spec.workload {
            lines.append(field("Labels", "app=\(workload.name)", width: w))
            if pod.ownerKind == "ReplicaSet", let owner = pod.ownerName, let dash = owner.lastIndex(of: "-") {
                lines.append(String(repeating: " ", count: w) + "pod-template-hash=" + owner[owner.index(after: dash)...])
            }
        } else {
            lines.append(field("Labels", "<none>", width: w))
        }
        lines.append(field("Annotations", "<none>", width: w))
        if let eviction = pod.eviction {
            lines.append(field("Status", "Failed", width: w))
            lines.append(field("Reason", "Evicted", width: w))
            lines.append(field("Message", eviction.message, width: w))
            lines.append(field("IP", "", width: w))
            lines.append("IPs:              <none>")
        } else {
            lines.append(field("Status", "Running", width: w))
            lines.append(field("IP", pod.podIP, width: w))
            lines.append("IPs:")
            lines.append("  IP:           \(pod.podIP)")
        }
        if let kind = pod.ownerKind, let name = pod.ownerName { lines.append("Controlled By:  \(kind)/\(name)") }
        lines.append("Containers:")
        let views = pod.containers.map { PodJSONWriter.view($0, pod: pod) }
        for (c, v) in zip(pod.containers, views) {
            let cw = 20
            func cfield(_ key: String, _ value: String) -> String { "    " + field(key, value, width: cw - 4) }
            lines.append("  \(c.name):")
            lines.append(cfield("Container ID", v.currentID.isEmpty ? "" : "containerd://" + v.currentID))
            lines.append(cfield("Image", c.spec.image))
            lines.append(cfield("Image ID", PodJSONWriter.imageID(c.spec.image, seed: model.seed)))
            let port = PodJSONWriter.livenessPort(c, pod: pod, model: model)
            lines.append(cfield("Port", port.map { "\($0)/TCP" } ?? "<none>"))
            lines.append(cfield("Host Port", port == nil ? "<none>" : "0/TCP"))
            switch v.state {
            case .running(let at):
                lines.append(cfield("State", "Running"))
                lines.append("      " + field("Started", TimeText.rfc1123Z(at), width: cw - 6))
            case .waiting(let reason, _):
                lines.append(cfield("State", "Waiting"))
                lines.append("      " + field("Reason", reason, width: cw - 6))
            case .terminated(let end, let instance):
                lines.append(cfield("State", "Terminated"))
                lines += terminated(end, instance, width: cw)
            }
            if let (end, instance) = v.last {
                lines.append(cfield("Last State", "Terminated"))
                lines += terminated(end, instance, width: cw)
            }
            lines.append(cfield("Ready", v.ready ? "True" : "False"))
            lines.append(cfield("Restart Count", String(c.restartCount)))
            var limits: [(String, String)] = []
            if let v = c.spec.cpuLimit { limits.append(("cpu", v)) }
            if let v = c.spec.memoryLimit { limits.append(("memory", v)) }
            var requests: [(String, String)] = []
            if let v = c.spec.cpuRequest ?? c.spec.cpuLimit { requests.append(("cpu", v)) }
            if let v = c.spec.memoryRequest ?? c.spec.memoryLimit { requests.append(("memory", v)) }
            if !limits.isEmpty {
                lines.append("    Limits:")
                let lw = (limits.map(\.0.count).max() ?? 0) + 3
                lines += limits.map { "      " + field($0.0, $0.1, width: lw) }
            }
            if !requests.isEmpty {
                lines.append("    Requests:")
                lines += requests.map { "      " + field($0.0, $0.1, width: 12) }
            }
            if let port {
                lines.append(cfield("Liveness", "http-get http://:\(port)/healthz delay=0s timeout=1s period=10s #success=1 #failure=3"))
            }
            lines.append(cfield("Environment", "<none>"))
            lines.append("    Mounts:")
            lines.append("      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access (ro)")
        }
        lines.append("Conditions:")
        let allReady = views.allSatisfy(\.ready)
        var conditions: [[String]] = [["Type", "Status"]]
        if pod.eviction != nil, model.kubeVersion.minor >= 26 { conditions.append(["DisruptionTarget", "True "]) }
        if model.kubeVersion.minor >= 29 { conditions.append(["PodReadyToStartContainers", pod.eviction == nil ? "True " : "False "]) }
        conditions += [["Initialized", "True "], ["Ready", allReady ? "True " : "False "],
                       ["ContainersReady", allReady ? "True " : "False "], ["PodScheduled", "True "]]
        lines += TextTable.render(conditions, padding: 2, indent: "  ")
        lines.append("Volumes:")
        lines.append("  kube-api-access:")
        lines.append("    Type:                    Projected (a volume that contains injected data from multiple sources)")
        lines.append("QoS Class:                   \(pod.qos.rawValue)")
        lines.append("Node-Selectors:              <none>")
        lines.append("Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s")
        lines.append("                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s")
        lines += eventsSection(events.filter { $0.involvedKind == "Pod" && $0.involvedName == pod.name && $0.namespace == pod.namespace },
                               at: model.collectedAt)
        return lines.joined(separator: "\n")
    }

    private static func terminated(_ end: Termination, _ instance: ContainerInstance, width: Int) -> [String] {
        let w = width - 6
        return ["      " + field("Reason", end.reason, width: w),
                "      " + field("Exit Code", String(end.exitCode), width: w),
                "      " + field("Started", TimeText.rfc1123Z(instance.startedAt), width: w),
                "      " + field("Finished", TimeText.rfc1123Z(end.at), width: w)]
    }

    /// `Events:` with `Type Reason Age From Message` rows; `Age` is `5m24s` or `78s (x231 over 51m)`.
    private static func eventsSection(_ events: [APIEvent], at now: Instant) -> [String] {
        guard !events.isEmpty else { return ["Events:                      <none>"] }
        var rows = [["Type", "Reason", "Age", "From", "Message"], ["----", "------", "----", "----", "-------"]]
        for e in events {
            let last = TimeText.human(now.seconds - e.last.seconds)
            let age = e.count > 1 ? "\(last) (x\(e.count) over \(TimeText.human(now.seconds - e.first.seconds)))" : last
            rows.append([e.type, e.reason, age, e.component, e.message])
        }
        return ["Events:"] + TextTable.render(rows, padding: 2, indent: "  ")
    }

    private static func node(for node: NodeModel, model: ClusterModel, events: [APIEvent]) -> String {
        let now = model.collectedAt
        let boot = node.boot(at: now)
        let pressure = node.pressure.last { $0.start <= now }
        let underPressure = pressure.map { now < $0.end } ?? false
        let heartbeat = TimeText.rfc1123Z(now.adding(seconds: -17))
        let since = TimeText.rfc1123Z(boot.start.adding(seconds: 20))
        var lines = [
            "Name:               \(node.name)",
            "Roles:              \(node.spec.mode == .system ? "agent" : "<none>")",
            "Labels:             kubernetes.io/hostname=\(node.name)",
            "                    kubernetes.io/os=linux",
            "Annotations:        node.alpha.kubernetes.io/ttl: 0",
            "CreationTimestamp:  \(TimeText.rfc1123Z(node.boots[0].start.adding(seconds: -86_400 * 3)))",
            "Taints:             \(node.spec.mode == .system ? "CriticalAddonsOnly=true:NoSchedule" : "<none>")",
            "Unschedulable:      false",
            "Conditions:",
        ]
        let memoryTransition = TimeText.rfc1123Z(pressure.map { underPressure ? $0.start : $0.end } ?? boot.start.adding(seconds: 20))
        lines += TextTable.render([
            ["Type", "Status", "LastHeartbeatTime", "LastTransitionTime", "Reason", "Message"],
            ["----", "------", "-----------------", "------------------", "------", "-------"],
            ["MemoryPressure", underPressure ? "True" : "False", heartbeat, memoryTransition,
             underPressure ? "KubeletHasInsufficientMemory" : "KubeletHasSufficientMemory",
             underPressure ? "kubelet has insufficient memory available" : "kubelet has sufficient memory available"],
            ["DiskPressure", "False", heartbeat, since, "KubeletHasNoDiskPressure", "kubelet has no disk pressure"],
            ["PIDPressure", "False", heartbeat, since, "KubeletHasSufficientPID", "kubelet has sufficient PID available"],
            ["Ready", "True", heartbeat, TimeText.rfc1123Z(boot.start.adding(seconds: 38)), "KubeletReady", "kubelet is posting ready status"],
        ], padding: 3, indent: "  ")
        lines += ["Addresses:", "  InternalIP:  \(node.internalIP)", "  Hostname:    \(node.name)", "Capacity:"]
        lines += TextTable.render([["cpu:", String(node.cpu)], ["memory:", "\(node.capacityBytes / 1024)Ki"], ["pods:", "110"]], padding: 2, indent: " ")
        lines.append("Allocatable:")
        lines += TextTable.render([["cpu:", "\(node.cpu * 1000 - 140)m"], ["memory:", "\(node.allocatableBytes / 1024)Ki"], ["pods:", "110"]], padding: 2, indent: " ")
        lines += ["System Info:", "  Boot ID:                    \(boot.id)",
                  "  Kernel Version:             \(node.spec.kernelRelease)",
                  "  Container Runtime Version:  containerd://\(node.containerdVersionString)",
                  "  Kubelet Version:            \(model.kubeVersionString)"]
        let pods = model.pods.filter { model.nodes[$0.nodeIndex].name == node.name && $0.eviction == nil }
        lines.append("Non-terminated Pods:          (\(pods.count) in total)")
        var rows = [["Namespace", "Name", "CPU Requests", "CPU Limits", "Memory Requests", "Memory Limits", "Age"],
                    ["---------", "----", "------------", "----------", "---------------", "-------------", "---"]]
        var requested: Int64 = 0
        var limited: Int64 = 0
        for pod in pods {
            let request = pod.containers.reduce(Int64(0)) { $0 + ($1.requestBytes ?? 0) }
            let limit = pod.containers.reduce(Int64(0)) { $0 + ($1.limitBytes ?? 0) }
            requested += request
            limited += limit
            func percent(_ v: Int64) -> String { "\(v / (1 << 20))Mi (\(v * 100 / max(node.allocatableBytes, 1))%)" }
            rows.append([pod.namespace, pod.name, "0 (0%)", "0 (0%)", request == 0 ? "0 (0%)" : percent(request),
                         limit == 0 ? "0 (0%)" : percent(limit), TimeText.human(now.seconds - pod.startTime.seconds)])
        }
        lines += TextTable.render(rows, padding: 2, indent: "  ")
        lines += ["Allocated resources:", "  (Total limits may be over 100 percent, i.e., overcommitted.)"]
        lines += TextTable.render([
            ["Resource", "Requests", "Limits"], ["--------", "--------", "------"],
            ["memory", "\(requested / (1 << 20))Mi (\(requested * 100 / max(node.allocatableBytes, 1))%)",
             "\(limited / (1 << 20))Mi (\(limited * 100 / max(node.allocatableBytes, 1))%)"],
        ], padding: 2, indent: "  ")
        lines += eventsSection(events.filter { $0.involvedKind == "Node" && $0.involvedName == node.name }, at: now)
        return lines.joined(separator: "\n")
    }
}
