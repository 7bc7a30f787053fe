/// Renders containerd (CRI plugin) logrus messages, the `msg="…"` part and its trailing fields, in the
/// shapes of `containerd-taskoom-gogo-format.log`, `kernel-oom-cgroupv2-systemd-containerd-syslog-aks.log`
/// and `kubelet-pleg-containerdied-exitcode-aks.log`:
///
/// ```
/// msg="TaskOOM event container_id:\"25a38b5b…\""                                   (1.7 and later)
/// msg="TaskOOM event &TaskOOM{ContainerID:1983…,XXX_unrecognized:[],}"             (1.6 and earlier)
/// msg="received exit event container_id:\"f512…\"  id:\"f512…\"  pid:219567  exited_at:{seconds:1747396843  nanos:754293507}"
/// msg="shim disconnected" id=f512… namespace=k8s.io
/// ```
///
/// `line(level:text:time:)` adds the `time="…" level=…` lead.
enum ContainerdLogWriter {
    /// Go `%q` quoting as logrus applies it to `msg`.
    static func quote(_ text: String) -> String {
        KubeletLogWriter.quote(text)
    }

    /// `time="2023-10-12T19:00:20.879932879Z" level=info msg="…"` plus any trailing fields.
    static func line(level: String, time: String, msg: String, fields: String = "") -> String {
        "time=\"\(time)\" level=\(level) msg=\(quote(msg))" + (fields.isEmpty ? "" : " " + fields)
    }

    static func taskOOM(_ id: String, gogo: Bool) -> String {
        gogo ? "TaskOOM event &TaskOOM{ContainerID:\(id),XXX_unrecognized:[],}"
             : "TaskOOM event container_id:\"\(id)\""
    }

    /// The exit event; `exit_status` is printed only when non-zero (protobuf text format).
    static func exitEvent(_ id: String, pid: Int, exitCode: Int, seconds: Int64, nanos: Int32, gogo: Bool) -> String {
        if gogo {
            return "TaskExit event &TaskExit{ContainerID:\(id),ID:\(id),Pid:\(pid),ExitStatus:\(exitCode),ExitedAt:\(seconds),XXX_unrecognized:[],}"
        }
        let status = exitCode == 0 ? "" : "  exit_status:\(exitCode)"
        return "received exit event container_id:\"\(id)\"  id:\"\(id)\"  pid:\(pid)\(status)  exited_at:{seconds:\(seconds)  nanos:\(nanos)}"
    }

    static func createContainer(sandbox: String, name: String, attempt: Int) -> String {
        "CreateContainer within sandbox \"\(sandbox)\" for container &ContainerMetadata{Name:\(name),Attempt:\(attempt),}"
    }

    static func createdContainer(sandbox: String, name: String, attempt: Int, id: String) -> String {
        "CreateContainer within sandbox \"\(sandbox)\" for &ContainerMetadata{Name:\(name),Attempt:\(attempt),} returns container id \"\(id)\""
    }

    static func runSandbox(pod: String, uid: String, namespace: String, attempt: Int) -> String {
        "RunPodSandbox for &PodSandboxMetadata{Name:\(pod),Uid:\(uid),Namespace:\(namespace),Attempt:\(attempt),}"
    }

    static func ranSandbox(pod: String, uid: String, namespace: String, attempt: Int, id: String) -> String {
        runSandbox(pod: pod, uid: uid, namespace: namespace, attempt: attempt) + " returns sandbox id \"\(id)\""
    }

    /// An ordinary line unrelated to incidents (exec probes and image pulls).
    static func noise(containerID: String, image: String, random: inout StableRandom) -> String {
        switch random.int(0...2) {
        case 0: return "ExecSync for \"\(containerID)\" with command [/bin/sh -c /probe.sh] and timeout 1 (s)"
        case 1: return "ExecSync for \"\(containerID)\" returns with exit code 0"
        default: return "PullImage \"\(image)\""
        }
    }
}
