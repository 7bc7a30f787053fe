import OOMLens

/// Many generated pods beside the scenario's own, for large PodLists: each one as `kubectl get pods -o json`
/// shows a Deployment's pod (about 10 KB on one line, 19 KB indented by two spaces), deterministic from the
/// seed and its index.
///
/// The field shapes follow real `kubectl get pods -o json` / troubleshoot output (`06-api-json.md` and a
/// cert-manager PodList of the same shape): `metadata` with labels, annotations, `ownerReferences` and
/// three `managedFields` entries (kube-controller-manager, calico, kubelet); `spec` with volumes (projected
/// service-account token, configMap, secret, emptyDir), two containers (app, log shipper) with args, ports, `env`
/// (`value`, `fieldRef`, `secretKeyRef`, `resourceFieldRef`), resources, volume mounts and a liveness
/// probe, node selector, affinity and tolerations; `status` with five conditions and container statuses.
/// Some strings carry escapes as Go writes them (`\"` in a JSON-valued env var, `\u0026` in a URL).
///
/// Every `oomKillEvery`-th pod's main container was OOM-killed before (`lastState.terminated`, exit 137,
/// `OOMKilled`) and every `errorEvery`-th crashed (exit 1, `Error`); the others have an empty `lastState`.
/// The pods live in the namespace `workloads` on the scenario's nodes.
public struct ExtraPods: Sendable {
    /// The namespace of every extra pod.
    public static let namespace = "workloads"
    static let oomKillEvery = 50
    static let errorEvery = 100

    /// How many pods.
    public let count: Int
    let seed: UInt64
    let collectedAt: Instant
    let nodes: [(name: String, ip: String)]

    init(count: Int, model: ClusterModel) {
        self.count = count
        self.seed = model.seed
        self.collectedAt = model.collectedAt
        self.nodes = model.nodes.map { ($0.name, $0.internalIP) }
    }

    /// Why pod `i`'s main container ended before, if it did: `OOMKilled` (exit 137) or `Error` (exit 1).
    public static func lastTermination(_ i: Int) -> (reason: String, exitCode: Int)? {
        if i % oomKillEvery == oomKillEvery / 2 { return ("OOMKilled", 137) }
        if i % errorEvery == 3 { return ("Error", 1) }
        return nil
    }

    /// How many of the first `count` pods have each `lastTermination` reason.
    public static func terminations(count: Int) -> (oomKilled: Int, error: Int) {
        var oom = 0
        var error = 0
        for i in 0..<max(0, count) {
            switch lastTermination(i)?.reason {
            case "OOMKilled"?: oom += 1
            case "Error"?: error += 1
            default: break
            }
        }
        return (oom, error)
    }

    private static let apps = [
        "checkout", "cart", "catalog", "payments", "search", "recommendations", "inventory", "shipping",
        "notifications", "auth", "gateway", "orders", "reviews", "pricing", "ledger", "profile",
    ]
    private static let replicas = 8

    /// Pod `i` as the API returns it.
    func pod(_ i: Int) -> JSONValue {
        let group = i / Self.replicas
        let base = Self.apps[group % Self.apps.count]
        let app = group < Self.apps.count ? base : "\(base)-\(group / Self.apps.count)"
        var workload = StableRandom(seed: seed, "extra-workload", app)
        let templateHash = workload.nameSuffix(10)
        let replicaSet = "\(app)-\(templateHash)"
        let replicaSetUID = workload.uuid()
        let configMapHash = workload.hex(64)
        let version = "\(workload.int(1...4)).\(workload.int(0...30)).\(workload.int(0...9))"
        var random = StableRandom(seed: seed, "extra-pod", String(i))
        let name = "\(replicaSet)-\(random.nameSuffix(5))"
        let uid = random.uuid()
        let node = nodes.isEmpty ? (name: "node-0", ip: "10.224.0.4") : nodes[i % nodes.count]
        let podIP = "10.244.\(i / 250 % 256).\(i % 250 + 2)"
        let created = collectedAt.adding(seconds: -Double(random.int(86_400...30 * 86_400)))
        let started = created.adding(seconds: 1)
        let ready = started.adding(seconds: Double(random.int(5...40)))
        let mainID = random.hex(64)
        let tokenVolume = "kube-api-access-" + random.nameSuffix(5)
        let memoryLimitMi = [256, 512, 768, 1024, 2048][random.int(0...4)]
        let last = Self.lastTermination(i)
        let restarts = last == nil ? 0 : random.int(1...6)
        let lastEnd = collectedAt.adding(seconds: -Double(random.int(60...3000)))
        let lastStart = lastEnd.adding(seconds: -Double(random.int(300...40_000)))
        let calicoID = random.hex(64)

        let labels: [(String, JSONValue)] = [
            ("app", .string(app)), ("app.kubernetes.io/component", .string("api")),
            ("app.kubernetes.io/instance", .string(app)), ("app.kubernetes.io/name", .string(base)),
            ("app.kubernetes.io/part-of", .string("storefront")), ("app.kubernetes.io/version", .string(version)),
            ("pod-template-hash", .string(templateHash)),
        ]
        let annotations: [(String, JSONValue)] = [
            ("checksum/config", .string(configMapHash)),
            ("cni.projectcalico.org/containerID", .string(calicoID)),
            ("cni.projectcalico.org/podIP", .string(podIP + "/32")),
            ("cni.projectcalico.org/podIPs", .string(podIP + "/32")),
            ("kubectl.kubernetes.io/restartedAt", .string(TimeText.api(created.adding(seconds: -60)))),
            ("prometheus.io/path", .string("/metrics")), ("prometheus.io/port", .string("9102")),
            ("prometheus.io/scrape", .string("true")),
        ]
        let metadata = JSONValue.fields([
            ("name", .string(name)), ("generateName", .string(replicaSet + "-")),
            ("namespace", .string(Self.namespace)), ("uid", .string(uid)),
            ("resourceVersion", .string(String(random.int(100_000_000...900_000_000)))),
            ("creationTimestamp", .string(TimeText.api(created))),
            ("labels", .object(labels)), ("annotations", .object(annotations)),
            ("ownerReferences", .array([.object([
                ("apiVersion", .string("apps/v1")), ("kind", .string("ReplicaSet")), ("name", .string(replicaSet)),
                ("uid", .string(replicaSetUID)), ("controller", .bool(true)), ("blockOwnerDeletion", .bool(true)),
            ])])),
            ("managedFields", managedFields(labels: labels, annotations: annotations, ownerUID: replicaSetUID,
                                            podIP: podIP, created: created, ready: ready, app: base)),
        ])

        let containers: [JSONValue] = [
            container(base, image: "registry.example.com/storefront/\(base):\(version)", app: app,
                      memoryLimitMi: memoryLimitMi, tokenVolume: tokenVolume, main: true),
            container("log-shipper", image: "cr.fluentbit.io/fluent/fluent-bit:2.2.2", app: app,
                      memoryLimitMi: 128, tokenVolume: tokenVolume, main: false),
        ]
        let spec = JSONValue.fields([
            ("volumes", .array([
                .object([("name", .string("config")), ("configMap", .object([("name", .string(app + "-config")),
                                                                            ("defaultMode", .int(420))]))]),
                .object([("name", .string("tls")), ("secret", .object([("secretName", .string(app + "-tls")),
                                                                       ("defaultMode", .int(420))]))]),
                .object([("name", .string("tmp")), ("emptyDir", .object([("sizeLimit", .string("256Mi"))]))]),
                .object([("name", .string(tokenVolume)), ("projected", .object([
                    ("sources", .array([
                        .object([("serviceAccountToken", .object([("expirationSeconds", .int(3607)),
                                                                  ("path", .string("token"))]))]),
                        .object([("configMap", .object([("name", .string("kube-root-ca.crt")), ("items", .array([
                            .object([("key", .string("ca.crt")), ("path", .string("ca.crt"))]),
                        ]))]))]),
                        .object([("downwardAPI", .object([("items", .array([
                            .object([("path", .string("namespace")), ("fieldRef", .object([
                                ("apiVersion", .string("v1")), ("fieldPath", .string("metadata.namespace")),
                            ]))]),
                        ]))]))]),
                    ])),
                    ("defaultMode", .int(420)),
                ]))]),
            ])),
            ("containers", .array(containers)), ("restartPolicy", .string("Always")),
            ("terminationGracePeriodSeconds", .int(30)), ("dnsPolicy", .string("ClusterFirst")),
            ("nodeSelector", .object([("kubernetes.io/os", .string("linux"))])),
            ("serviceAccountName", .string(app)), ("serviceAccount", .string(app)),
            ("nodeName", .string(node.name)),
            ("securityContext", .object([("runAsNonRoot", .bool(true)), ("runAsUser", .int(10001)),
                                         ("fsGroup", .int(10001)),
                                         ("seccompProfile", .object([("type", .string("RuntimeDefault"))]))])),
            ("affinity", .object([
                ("nodeAffinity", .object([("requiredDuringSchedulingIgnoredDuringExecution", .object([
                    ("nodeSelectorTerms", .array([.object([("matchExpressions", .array([.object([
                        ("key", .string("kubernetes.azure.com/mode")), ("operator", .string("In")),
                        ("values", .array([.string("user")])),
                    ])]))])])),
                ]))])),
                ("podAntiAffinity", .object([("preferredDuringSchedulingIgnoredDuringExecution", .array([.object([
                    ("weight", .int(100)),
                    ("podAffinityTerm", .object([
                        ("labelSelector", .object([("matchLabels", .object([("app", .string(app))]))])),
                        ("topologyKey", .string("kubernetes.io/hostname")),
                    ])),
                ])]))])),
            ])),
            ("schedulerName", .string("default-scheduler")),
            ("tolerations", .array(PodJSONWriter.defaultTolerations + [
                .object([("key", .string("node.kubernetes.io/memory-pressure")), ("operator", .string("Exists")),
                         ("effect", .string("NoSchedule"))]),
            ])),
            ("priority", .int(0)), ("enableServiceLinks", .bool(true)),
            ("preemptionPolicy", .string("PreemptLowerPriority")),
        ])

        func condition(_ type: String, _ at: Instant) -> JSONValue {
            .object([("type", .string(type)), ("status", .string("True")), ("lastProbeTime", .null),
                     ("lastTransitionTime", .string(TimeText.api(at)))])
        }
        let readySince = last == nil ? ready : lastEnd.adding(seconds: 12)
        var mainLast = JSONValue.object([])
        if let last {
            mainLast = .object([("terminated", .object([
                ("exitCode", .int(last.exitCode)), ("reason", .string(last.reason)),
                ("startedAt", .string(TimeText.api(lastStart))), ("finishedAt", .string(TimeText.api(lastEnd))),
                ("containerID", .string("containerd://" + random.hex(64))),
            ]))])
        }
        func status(_ name: String, image: String, id: String, lastState: JSONValue, restarts: Int,
                    since: Instant) -> JSONValue {
            var digest = StableRandom(seed: seed, "extra-image", image)
            let repository = image.split(separator: ":").first.map(String.init) ?? image
            return .object([
                ("name", .string(name)), ("state", .object([("running", .object([
                    ("startedAt", .string(TimeText.api(since))),
                ]))])),
                ("lastState", lastState), ("ready", .bool(true)), ("restartCount", .int(restarts)),
                ("image", .string(image)), ("imageID", .string("\(repository)@sha256:\(digest.hex(64))")),
                ("containerID", .string("containerd://" + id)), ("started", .bool(true)),
            ])
        }
        let statusValue = JSONValue.object([
            ("phase", .string("Running")),
            ("conditions", .array([
                condition("PodReadyToStartContainers", started.adding(seconds: 3)), condition("Initialized", started),
                condition("Ready", readySince), condition("ContainersReady", readySince),
                condition("PodScheduled", created),
            ])),
            ("hostIP", .string(node.ip)), ("hostIPs", .array([.object([("ip", .string(node.ip))])])),
            ("podIP", .string(podIP)), ("podIPs", .array([.object([("ip", .string(podIP))])])),
            ("startTime", .string(TimeText.api(started))),
            ("containerStatuses", .array([
                status("log-shipper", image: "cr.fluentbit.io/fluent/fluent-bit:2.2.2", id: random.hex(64),
                       lastState: .object([]), restarts: 0, since: started.adding(seconds: 3)),
                status(base, image: "registry.example.com/storefront/\(base):\(version)", id: mainID,
                       lastState: mainLast, restarts: restarts,
                       since: last == nil ? started.adding(seconds: 2) : lastEnd.adding(seconds: 1)),
            ])),
            ("qosClass", .string("Burstable")),
        ])
        return .object([("kind", .string("Pod")), ("apiVersion", .string("v1")), ("metadata", metadata),
                        ("spec", spec), ("status", statusValue)])
    }

    private func container(
        _ name: String, image: String, app: String, memoryLimitMi: Int, tokenVolume: String, main: Bool
    ) -> JSONValue {
        let port = main ? 8080 : 2020
        var env: [JSONValue] = [
            .object([("name", .string("NODE_NAME")), ("valueFrom", .object([("fieldRef", .object([
                ("apiVersion", .string("v1")), ("fieldPath", .string("spec.nodeName")),
            ]))]))]),
        ]
        if main {
            env += [
                .object([("name", .string("POD_NAME")), ("valueFrom", .object([("fieldRef", .object([
                    ("apiVersion", .string("v1")), ("fieldPath", .string("metadata.name")),
                ]))]))]),
                .object([("name", .string("GOMEMLIMIT")), ("valueFrom", .object([("resourceFieldRef", .object([
                    ("containerName", .string(name)), ("resource", .string("limits.memory")),
                    ("divisor", .string("0")),
                ]))]))]),
                .object([("name", .string("DATABASE_URL")),
                         ("value", .string("postgres://\(app)@pg-primary.data.svc:5432/\(app)?sslmode=require&pool_max_conns=20"))]),
                .object([("name", .string("DATABASE_PASSWORD")), ("valueFrom", .object([("secretKeyRef", .object([
                    ("name", .string(app + "-db")), ("key", .string("password")),
                ]))]))]),
                .object([("name", .string("LOG_CONFIG")),
                         ("value", .string(#"{"level":"info","format":"json","sampling":{"initial":100}}"#))]),
                .object([("name", .string("OTEL_EXPORTER_OTLP_ENDPOINT")),
                         ("value", .string("http://otel-collector.observability.svc:4317"))]),
            ]
        }
        let limits: [(String, JSONValue)] = [("cpu", .string(main ? "2" : "200m")), ("memory", .string("\(memoryLimitMi)Mi"))]
        let requests: [(String, JSONValue)] = [("cpu", .string(main ? "500m" : "50m")),
                                               ("memory", .string("\(memoryLimitMi / 2)Mi"))]
        func probe(_ path: String, delay: Int) -> JSONValue {
            .object([
                ("httpGet", .object([("path", .string(path)), ("port", .int(port)), ("scheme", .string("HTTP"))])),
                ("initialDelaySeconds", .int(delay)), ("timeoutSeconds", .int(1)), ("periodSeconds", .int(10)),
                ("successThreshold", .int(1)), ("failureThreshold", .int(3)),
            ])
        }
        var mounts: [JSONValue] = [
            .object([("name", .string("config")), ("readOnly", .bool(true)), ("mountPath", .string("/etc/\(app)"))]),
        ]
        if main {
            mounts.append(.object([("name", .string("tls")), ("readOnly", .bool(true)), ("mountPath", .string("/etc/tls"))]))
            mounts.append(.object([("name", .string("tmp")), ("mountPath", .string("/tmp"))]))
        }
        mounts.append(.object([("name", .string(tokenVolume)), ("readOnly", .bool(true)),
                               ("mountPath", .string("/var/run/secrets/kubernetes.io/serviceaccount"))]))
        let args: [String] = main
            ? ["--config=/etc/\(app)/config.yaml", "--listen=:\(port)", "--metrics-listen=:9102", "--graceful-shutdown=25s"]
            : ["--config=/etc/\(app)/fluent-bit.conf", "--enable-hot-reload"]
        return .fields([
            ("name", .string(name)), ("image", .string(image)), ("args", .array(args.map { .string($0) })),
            ("ports", .array([.object([("name", .string(main ? "http" : "metrics")), ("containerPort", .int(port)),
                                       ("protocol", .string("TCP"))])])),
            ("env", .array(env)),
            ("resources", .object([("limits", .object(limits)), ("requests", .object(requests))])),
            ("volumeMounts", .array(mounts)),
            ("livenessProbe", main ? probe("/healthz", delay: 10) : nil),
            ("terminationMessagePath", .string("/dev/termination-log")),
            ("terminationMessagePolicy", .string("File")), ("imagePullPolicy", .string("IfNotPresent")),
            ("securityContext", main ? .object([
                ("capabilities", .object([("drop", .array([.string("ALL")]))])),
                ("readOnlyRootFilesystem", .bool(true)), ("allowPrivilegeEscalation", .bool(false)),
            ]) : nil),
        ])
    }

    /// The `managedFields` of a Deployment's pod: what the ReplicaSet controller set, calico's annotations,
    /// and the kubelet's status (FieldsV1 trees: `f:` fields, `k:` list keys, `.` for the item itself).
    private func managedFields(
        labels: [(String, JSONValue)], annotations: [(String, JSONValue)], ownerUID: String, podIP: String,
        created: Instant, ready: Instant, app: String
    ) -> JSONValue {
        let empty = JSONValue.object([])
        func set(_ keys: [String]) -> JSONValue { .object([(".", empty)] + keys.map { ("f:" + $0, empty) }) }
        let conditionFields = set(["lastProbeTime", "lastTransitionTime", "status", "type"])
        let containerFields = JSONValue.object([
            (".", empty), ("f:args", empty), ("f:env", empty), ("f:image", empty), ("f:imagePullPolicy", empty),
            ("f:livenessProbe", empty), ("f:name", empty), ("f:ports", empty),
            ("f:resources", set(["limits", "requests"])), ("f:securityContext", empty),
            ("f:terminationMessagePath", empty), ("f:terminationMessagePolicy", empty), ("f:volumeMounts", empty),
        ])
        let sidecarFields = set(["args", "env", "image", "name", "resources", "volumeMounts"])
        let controller = JSONValue.object([
            ("f:metadata", .object([
                ("f:annotations", set(annotations.map(\.0).filter { !$0.hasPrefix("cni.") })),
                ("f:generateName", empty),
                ("f:labels", set(labels.map(\.0))),
                ("f:ownerReferences", .object([(".", empty), ("k:{\"uid\":\"\(ownerUID)\"}", empty)])),
            ])),
            ("f:spec", .object([
                ("f:affinity", set(["nodeAffinity", "podAntiAffinity"])),
                ("f:containers", .object([
                    ("k:{\"name\":\"\(app)\"}", containerFields),
                    ("k:{\"name\":\"log-shipper\"}", sidecarFields),
                ])),
                ("f:dnsPolicy", empty), ("f:enableServiceLinks", empty), ("f:nodeSelector", empty),
                ("f:restartPolicy", empty), ("f:schedulerName", empty),
                ("f:securityContext", set(["fsGroup", "runAsNonRoot", "runAsUser", "seccompProfile"])),
                ("f:serviceAccount", empty), ("f:serviceAccountName", empty),
                ("f:terminationGracePeriodSeconds", empty), ("f:tolerations", empty),
            ])),
        ])
        let calico = JSONValue.object([("f:metadata", .object([
            ("f:annotations", .object(annotations.map(\.0).filter { $0.hasPrefix("cni.") }.map { ("f:" + $0, empty) })),
        ]))])
        let kubelet = JSONValue.object([("f:status", .object([
            ("f:conditions", .object(["ContainersReady", "Initialized", "PodReadyToStartContainers", "Ready"].map {
                ("k:{\"type\":\"\($0)\"}", conditionFields)
            })),
            ("f:containerStatuses", empty), ("f:hostIP", empty), ("f:hostIPs", empty), ("f:phase", empty),
            ("f:podIP", empty),
            ("f:podIPs", .object([(".", empty), ("k:{\"ip\":\"\(podIP)\"}", set(["ip"]))])),
            ("f:startTime", empty),
        ]))])
        func entry(_ manager: String, _ at: Instant, _ fields: JSONValue, subresource: String?) -> JSONValue {
            .fields([
                ("manager", .string(manager)), ("operation", .string("Update")), ("apiVersion", .string("v1")),
                ("time", .string(TimeText.api(at))), ("fieldsType", .string("FieldsV1")), ("fieldsV1", fields),
                ("subresource", subresource.map { .string($0) }),
            ])
        }
        return .array([
            entry("kube-controller-manager", created, controller, subresource: nil),
            entry("calico", created.adding(seconds: 1), calico, subresource: "status"),
            entry("kubelet", ready, kubelet, subresource: "status"),
        ])
    }
}
