import Foundation

/// A readable description of a cluster and what went wrong in it, decoded from JSON; the generator
/// renders it into a support bundle.
///
/// Times are RFC 3339 strings in UTC or with an offset (`"2024-03-14T09:12:30Z"`), memory sizes are
/// Kubernetes quantities (`"512Mi"`, `"7Gi"`), pods are referenced as `"namespace/name"`.
/// `samples/scenarios/README.md` documents every field; a minimal scenario:
///
/// ```json
/// {"cluster": "demo", "provider": "aks", "collectedAt": "2024-03-14T10:00:00Z", "layout": "troubleshoot",
///  "nodes": [{"name": "aks-user-1", "pool": "user", "mode": "user", "allocatableMemory": "12Gi",
///             "kernelRelease": "5.15.0-1064-azure", "cgroupVersion": 2, "cgroupDriver": "systemd",
///             "bootTime": "2024-03-10T08:00:00Z"}],
///  "pods": [{"namespace": "shop", "name": "cart-7d9f8c6b5-x2x9k", "node": "aks-user-1",
///            "workload": {"kind": "Deployment", "name": "cart"},
///            "containers": [{"name": "cart", "image": "shop/cart:1.4", "memoryRequest": "256Mi", "memoryLimit": "256Mi"}]}],
///  "incidents": [{"kind": "oomKill", "pod": "shop/cart-7d9f8c6b5-x2x9k", "container": "cart",
///                 "time": "2024-03-14T09:12:30Z", "anonRSS": "250Mi", "repeat": 3, "intervalSeconds": 300}]}
/// ```
public struct Scenario: Codable, Sendable {
    /// Free text; small test scenarios state their expected incidents here.
    public var comment: String?
    /// Machine-readable expectations for tests (`{"containerOOMKill": 4, "eviction": 1}`); not used to render.
    public var expectedIncidents: [String: Int]?
    public var cluster: String
    public var provider: Provider
    /// `1.29.4` (no `v`); chooses kubelet message renderings.
    public var kubernetesVersion: String?
    /// When the bundle was collected (RFC 3339); names the troubleshoot directory and ends every log.
    public var collectedAt: String
    /// UTC offset of node-local log times (`"+00:00"`, `"-05:00"`, `"Z"`); API objects stay in UTC.
    public var nodeTimezone: String?
    public var layout: Layout
    /// Seeds every generated id, pid and jitter; the same scenario and seed give identical bytes.
    public var seed: UInt64?
    public var nodes: [Node]
    public var pods: [Pod]
    public var incidents: [Incident]
    public var options: Options?

    /// The platform flavour: node names, hardware lines, log file names and node-problem-detector.
    public enum Provider: String, Codable, Sendable {
        /// Ubuntu nodes: `/var/log/syslog` with kernel uptime stamps; node-problem-detector events.
        case aks
        /// Amazon Linux nodes: `/var/log/messages` without uptime stamps.
        case eks
        /// Plain Ubuntu nodes without node-problem-detector.
        case generic
    }

    /// Where files go inside the bundle (see `docs/samples.md`).
    public enum Layout: String, Codable, Sendable {
        /// replicatedhq/troubleshoot: `support-bundle-<date>T<hh>_<mm>_<ss>/cluster-resources/…`.
        case troubleshoot
        /// A hand-rolled collector: `kubectl/*.txt|json`, `logs/`, `nodes/<node>/…`.
        case adhoc
    }

    /// One node.
    public struct Node: Codable, Sendable {
        public var name: String
        public var pool: String
        public var mode: Mode
        /// `status.allocatable.memory`.
        public var allocatableMemory: String
        /// `status.capacity.memory`; defaults to allocatable plus the usual reservations.
        public var capacityMemory: String?
        public var cpu: Int?
        /// `5.15.0-1064-azure`: appears in `CPU:` lines and `nodeInfo.kernelVersion`.
        public var kernelRelease: String
        public var cgroupVersion: Int
        public var cgroupDriver: CgroupDriver
        /// Only `containerd` is rendered.
        public var runtime: String?
        /// `1.7.15`; 1.6 and older log the gogo `&TaskOOM{…}` rendering.
        public var containerdVersion: String?
        /// The boot before the first log line (RFC 3339); kernel uptime stamps count from it.
        public var bootTime: String
        public var internalIP: String?

        public enum Mode: String, Codable, Sendable { case system, user }
        public enum CgroupDriver: String, Codable, Sendable { case systemd, cgroupfs }
    }

    /// One pod, its placement and its containers.
    public struct Pod: Codable, Sendable {
        public var namespace: String
        public var name: String
        public var workload: Workload?
        public var node: String
        /// `Guaranteed`, `Burstable` or `BestEffort`; derived from the containers when absent.
        public var qos: String?
        /// When the pod started (RFC 3339); defaults to 30 minutes after the node booted.
        public var startTime: String?
        public var priorityClassName: String?
        public var containers: [Container]
    }

    /// The controller that owns a pod.
    public struct Workload: Codable, Sendable {
        /// `Deployment` (owner becomes a ReplicaSet), `StatefulSet`, `DaemonSet`, `Job`, or `Node`
        /// (a static pod: 32-hex UID, owned by the Node).
        public var kind: String
        public var name: String
    }

    /// One container of a pod.
    public struct Container: Codable, Sendable {
        public var name: String
        public var image: String
        public var memoryRequest: String?
        public var memoryLimit: String?
        public var cpuRequest: String?
        public var cpuLimit: String?
        /// The main process's kernel comm (15 chars at most); defaults to the image's base name.
        public var process: String?
        /// Extra processes with the same comm (worker processes) listed in kernel task tables.
        public var workers: Int?
        /// Port of an HTTP liveness probe on `/healthz`; a `livenessKill` incident implies 8080.
        public var livenessPort: Int?
    }

    /// Something that happens at a given time. Which fields apply depends on `kind`:
    ///
    /// | kind | fields |
    /// | --- | --- |
    /// | `oomKill` | pod, container, time, anonRSS, repeat, intervalSeconds, growth |
    /// | `podLimitOOM` | pod, container, time, anonRSS (the pod slice's limit is the sum of limits) |
    /// | `nodeOOM` | node, time, anonRSS, and either pod+container or process (+unit) for a node daemon |
    /// | `eviction` | node, time, pods (victims in rank order), resource, threshold, available |
    /// | `livenessKill` | pod, container, time, failures |
    /// | `nodeReboot` | node, time, downtimeSeconds |
    /// | `appOOM` | pod, container, time (Java `OutOfMemoryError`, exit code 3) |
    public struct Incident: Codable, Sendable {
        public var kind: Kind
        public var time: String
        public var pod: String?
        public var container: String?
        public var node: String?
        public var anonRSS: String?
        public var `repeat`: Int?
        public var intervalSeconds: Int?
        public var growth: String?
        public var pods: [String]?
        public var resource: String?
        public var threshold: String?
        public var available: String?
        public var process: String?
        public var unit: String?
        public var failures: Int?
        public var downtimeSeconds: Int?

        public enum Kind: String, Codable, Sendable {
            case oomKill, podLimitOOM, nodeOOM, eviction, livenessKill, nodeReboot, appOOM
        }
    }

    /// Rendering switches.
    public struct Options: Codable, Sendable {
        /// Also write each node's kernel records as `journalctl -k` output (`journal/kernel.log`).
        public var duplicateKernelLogInJournal: Bool?
        /// Ordinary kubelet/containerd/kernel/systemd lines per node, spread over the log window.
        public var noiseLinesPerNode: Int?
        /// Also copy kubelet and containerd lines into syslog, as a stock Ubuntu rsyslog does.
        public var syslogIncludesServices: Bool?
        /// Events older than this (by lastTimestamp) are gone from the API (default 3600).
        public var eventTTLSeconds: Int?
        /// How far before `collectedAt` the node logs start at least (default 6).
        public var logWindowHours: Int?
    }

    /// Decodes a scenario from JSON bytes.
    public static func decode(_ data: Data) throws -> Scenario {
        try JSONDecoder().decode(Scenario.self, from: data)
    }
}
