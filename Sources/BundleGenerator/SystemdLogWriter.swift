/// Renders systemd (PID 1) messages about container scopes and units, as in
/// `kernel-oom-cgroupv2-systemd-containerd-syslog-aks.log` and `kubelet-pleg-containerdied-exitcode-aks.log`:
///
/// ```
/// cri-containerd-25a38b5b….scope: A process of this unit has been killed by the OOM killer.
/// cri-containerd-f5126739….scope: Deactivated successfully.
/// ```
enum SystemdLogWriter {
    static func oomKilled(unit: String) -> String {
        "\(unit): A process of this unit has been killed by the OOM killer."
    }

    static func deactivated(unit: String) -> String {
        "\(unit): Deactivated successfully."
    }

    static func rootfsUnmounted(_ id: String) -> String {
        deactivated(unit: "run-containerd-io.containerd.runtime.v2.task-k8s.io-\(id)-rootfs.mount")
    }

    /// The lines systemd logs when the OOM killer takes a service's main process, then restarts it.
    static func serviceOOM(unit: String, cgroupV2: Bool) -> [String] {
        var lines: [String] = []
        if cgroupV2 { lines.append(oomKilled(unit: unit)) }
        lines.append("\(unit): Main process exited, code=killed, status=9/KILL")
        lines.append("\(unit): Failed with result '\(cgroupV2 ? "oom-kill" : "signal")'.")
        lines.append("\(unit): Scheduled restart job, restart counter is at 1.")
        return lines
    }

    /// An ordinary line: an exec probe's runc mount going away.
    static func noise(containerID: String, random: inout StableRandom) -> String {
        deactivated(unit: "run-containerd-runc-k8s.io-\(containerID)-runc.\(random.nameSuffix(6)).mount")
    }
}
