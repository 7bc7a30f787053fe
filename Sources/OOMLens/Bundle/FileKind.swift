/// What a bundle member was recognised as; decides which parser reads it.
public enum FileKind: String, Sendable, Hashable, CaseIterable {
    /// A syslog, kern.log, messages or journalctl text file: kernel, kubelet, runtime and systemd lines mixed.
    case nodeLog = "node-log"
    /// `dmesg` or `dmesg -T` output.
    case dmesg
    /// `journalctl -o json` (one object per line).
    case journalJSON = "journal-json"
    /// A kubelet log file of bare klog (or JSON) lines.
    case kubeletLog = "kubelet-log"
    /// A containerd log file of logrus lines.
    case containerdLog = "containerd-log"
    /// A CRI-O log file.
    case crioLog = "crio-log"
    /// `docker events` output.
    case dockerEvents = "docker-events"
    /// `kubectl describe pod(s)` text.
    case describePods = "describe-pods"
    /// `kubectl describe node(s)` text.
    case describeNodes = "describe-nodes"
    /// `kubectl get pods` table.
    case getPods = "get-pods"
    /// `kubectl get events` table.
    case getEvents = "get-events"
    /// `kubectl get nodes` table.
    case getNodes = "get-nodes"
    /// `kubectl top pod|node` table.
    case top
    /// Kubernetes API objects as JSON (Pod, PodList, Event(List), Node(List), bare arrays, `List`).
    case apiJSON = "api-json"
    /// Kubernetes API objects as YAML.
    case apiYAML = "api-yaml"
    /// A cgroup memory file (`memory.events`, `memory.max`, `memory.current`, `memory.peak`,
    /// `memory.stat`, v1 `memory.limit_in_bytes`, `memory.max_usage_in_bytes`, `memory.oom_control`).
    case cgroupMemory = "cgroup-memory"
    /// A container's stdout/stderr (`<container>.log`, `-previous.log`, `/var/log/pods/…/N.log`).
    case containerLog = "container-log"
    /// Bundle metadata: troubleshoot `version.yaml`, sosreport or Rancher `date`.
    case bundleMetadata = "bundle-metadata"
    /// Not something oomlens reads.
    case unrecognized

    /// Whether a parser exists for this kind.
    public var isParsed: Bool { self != .unrecognized }

    /// Documents read token by token (API objects, journal JSON): parsing them costs several times
    /// what decompressing them does, unlike text logs, whose lines a sieve mostly passes over.
    public var isCostlyToParse: Bool {
        switch self {
        case .apiJSON, .apiYAML, .journalJSON: return true
        default: return false
        }
    }
}
