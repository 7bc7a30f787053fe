import OOMLens

/// Renders Node objects: labels of the provider's pools, capacity/allocatable memory, the memory
/// conditions (MemoryPressure is True while an eviction's pressure lasts at collection time) and
/// `nodeInfo` (kernel, runtime and kubelet versions, current boot id).
enum NodeJSONWriter {
    static func node(_ node: NodeModel, model: ClusterModel) -> JSONValue {
        var random = StableRandom(seed: model.seed, "node-json", node.name)
        let boot = node.boot(at: model.collectedAt)
        var labels: [(String, JSONValue)] = [
            ("beta.kubernetes.io/arch", .string("amd64")), ("beta.kubernetes.io/os", .string("linux")),
        ]
        switch model.provider {
        case .aks:
            labels += [("agentpool", .string(node.spec.pool)), ("kubernetes.azure.com/agentpool", .string(node.spec.pool)),
                       ("kubernetes.azure.com/mode", .string(node.spec.mode.rawValue))]
        case .eks:
            labels += [("eks.amazonaws.com/nodegroup", .string(node.spec.pool))]
        case .generic:
            labels += [("node-pool", .string(node.spec.pool))]
        }
        labels += [("kubernetes.io/arch", .string("amd64")), ("kubernetes.io/hostname", .string(node.name)),
                   ("kubernetes.io/os", .string("linux"))]
        if node.spec.mode == .system { labels.append(("node-role.kubernetes.io/agent", .string(""))) }
        let capacity = JSONValue.object([
            ("cpu", .string(String(node.cpu))), ("ephemeral-storage", .string("129886128Ki")),
            ("hugepages-1Gi", .string("0")), ("hugepages-2Mi", .string("0")),
            ("memory", .string("\(node.capacityBytes / 1024)Ki")), ("pods", .string("110")),
        ])
        let allocatable = JSONValue.object([
            ("cpu", .string("\(node.cpu * 1000 - 140)m")), ("ephemeral-storage", .string("119703055367")),
            ("hugepages-1Gi", .string("0")), ("hugepages-2Mi", .string("0")),
            ("memory", .string("\(node.allocatableBytes / 1024)Ki")), ("pods", .string("110")),
        ])
        let heartbeat = model.collectedAt.adding(seconds: -Double(random.int(5...50)))
        let pressure = node.pressure.last { $0.start <= model.collectedAt }
        let underPressure = pressure.map { model.collectedAt < $0.end } ?? false
        let memoryTransition = pressure.map { underPressure ? $0.start : $0.end } ?? boot.start.adding(seconds: 20)
        func condition(_ type: String, _ status: Bool, _ reason: String, _ message: String, _ transition: Instant) -> JSONValue {
            .object([("type", .string(type)), ("status", .string(status ? "True" : "False")),
                     ("lastHeartbeatTime", .string(TimeText.api(heartbeat))),
                     ("lastTransitionTime", .string(TimeText.api(transition))),
                     ("reason", .string(reason)), ("message", .string(message))])
        }
        let conditions: [JSONValue] = [
            condition("MemoryPressure", underPressure,
                      underPressure ? "KubeletHasInsufficientMemory" : "KubeletHasSufficientMemory",
                      underPressure ? "kubelet has insufficient memory available" : "kubelet has sufficient memory available",
                      memoryTransition),
            condition("DiskPressure", false, "KubeletHasNoDiskPressure", "kubelet has no disk pressure", boot.start.adding(seconds: 20)),
            condition("PIDPressure", false, "KubeletHasSufficientPID", "kubelet has sufficient PID available", boot.start.adding(seconds: 20)),
            condition("Ready", true, "KubeletReady", "kubelet is posting ready status", boot.start.adding(seconds: 38)),
        ]
        let osImage = model.provider == .eks ? "Amazon Linux 2" : "Ubuntu 22.04.4 LTS"
        let providerID: String = switch model.provider {
        case .aks: "azure:///subscriptions/\(random.uuid())/resourceGroups/mc_\(model.scenario.cluster)/providers/Microsoft.Compute/virtualMachineScaleSets/\(node.name)"
        case .eks: "aws:///eu-west-1a/i-\(random.hex(17))"
        case .generic: "kind://docker/\(model.scenario.cluster)/\(node.name)"
        }
        return .object([
            ("kind", .string("Node")), ("apiVersion", .string("v1")),
            ("metadata", .object([
                ("name", .string(node.name)), ("uid", .string(node.uid)),
                ("resourceVersion", .string(String(random.int(100_000...9_000_000)))),
                ("creationTimestamp", .string(TimeText.api(node.boots[0].start.adding(seconds: -86_400 * 3)))),
                ("labels", .object(labels)),
                ("annotations", .object([("node.alpha.kubernetes.io/ttl", .string("0")),
                                         ("volumes.kubernetes.io/controller-managed-attach-detach", .string("true"))])),
            ])),
            ("spec", .object([("podCIDR", .string("10.244.\(model.nodeIndex(node.name) ?? 0).0/24")),
                              ("podCIDRs", .array([.string("10.244.\(model.nodeIndex(node.name) ?? 0).0/24")])),
                              ("providerID", .string(providerID))])),
            ("status", .object([
                ("capacity", capacity), ("allocatable", allocatable), ("conditions", .array(conditions)),
                ("addresses", .array([
                    .object([("type", .string("InternalIP")), ("address", .string(node.internalIP))]),
                    .object([("type", .string("Hostname")), ("address", .string(node.name))]),
                ])),
                ("daemonEndpoints", .object([("kubeletEndpoint", .object([("Port", .int(10250))]))])),
                ("nodeInfo", .object([
                    ("machineID", .string(node.machineID)), ("systemUUID", .string(node.uid)),
                    ("bootID", .string(boot.id)), ("kernelVersion", .string(node.spec.kernelRelease)),
                    ("osImage", .string(osImage)),
                    ("containerRuntimeVersion", .string("containerd://\(node.containerdVersionString)")),
                    ("kubeletVersion", .string(model.kubeVersionString)), ("kubeProxyVersion", .string(model.kubeVersionString)),
                    ("operatingSystem", .string("linux")), ("architecture", .string("amd64")),
                ])),
            ])),
        ])
    }
}
