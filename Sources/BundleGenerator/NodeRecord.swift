import OOMLens

/// One line (or one kernel record) of a node's logs, before a file format adds its prefix.
///
/// `message` is what follows `program[pid]: ` — for the kubelet the whole klog line
/// (`I1012 19:34:45.000152    2480 kuberuntime_container.go:709] "Killing container…"`), for containerd
/// the whole logrus line (`time="…" level=info msg="…"`), for the kernel the text after the uptime stamp.
struct NodeRecord: Sendable {
    enum Program: Sendable {
        case kernel
        case systemd
        case kubelet
        case containerd
        /// node-problem-detector's own klog output (AKS: `node-problem-detector-startup.sh[pid]`).
        case problemDetector
        /// Start of a new boot: `-- Boot <id> --` in journal files, nothing in syslog.
        case bootMarker
    }

    var time: Instant
    var program: Program
    var pid: Int?
    var message: String
}
