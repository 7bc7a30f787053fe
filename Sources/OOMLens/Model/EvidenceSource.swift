/// The kind of record a piece of evidence came from, as named in the JSON report's `source` fields.
public enum EvidenceSource: String, Sendable, Hashable, CaseIterable, Codable {
    case kernel
    case systemd
    case kubelet
    case containerd
    case crio
    case docker
    case podStatus = "pod-status"
    case event
    case describe
    case kubectlGet = "kubectl-get"
    case cgroup
    case containerLog = "container-log"
    case metadata
}
