/// Renders kubelet klog messages (structured `InfoS`/`ErrorS` form, the part after the klog header),
/// in the shapes of the samples `kubelet-eviction-memory-syslog-aks.log`,
/// `kubelet-pleg-containerdied-exitcode-aks.log` and `kubelet-killing-grace-period-short-precise-k8s111762.log`:
///
/// ```
/// "Eviction manager: pods ranked for eviction" pods="[default/nginx kube-system/kube-proxy-5thr6]"
/// "Killing container with a grace period" pod="default/nginx" podUID=27aff94d-… containerName="nginx" containerID="containerd://4296…" gracePeriod=30
/// "SyncLoop (PLEG): event for pod" pod="default/nginx" event={"ID":"7ed0f963-…","Type":"ContainerDied","Data":"f512…"}
/// "Generic (PLEG): container finished" podID="7ed0f963-…" containerID="f512…" exitCode=0
/// ```
///
/// Each function returns `(source file:line, message)`; the header is added by `ClusterSimulation`.
enum KubeletLogWriter {
    typealias Line = (source: String, message: String)

    /// Go `%q`-style quoting of a structured value.
    static func quote(_ text: String) -> String {
        var out = "\""
        for ch in text.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "\""
    }

    /// A `pods=` list: quoted bracket list up to 1.27, JSON array of strings from 1.28 on.
    static func podList(_ pods: [String], minor: Int) -> String {
        if minor >= 28 { return "[" + pods.map { quote($0) }.joined(separator: ",") + "]" }
        return quote("[" + pods.joined(separator: " ") + "]")
    }

    /// A PLEG event: `&{ID:… Type:… Data:…}` up to 1.27, JSON from 1.28 on.
    static func pleg(pod: String, uid: String, type: String, data: String, minor: Int) -> Line {
        let event = minor >= 28
            ? "{\"ID\":\"\(uid)\",\"Type\":\"\(type)\",\"Data\":\"\(data)\"}"
            : "&{ID:\(uid) Type:\(type) Data:\(data)}"
        return (minor >= 28 ? "kubelet.go:2439" : "kubelet.go:2231",
                "\"SyncLoop (PLEG): event for pod\" pod=\(quote(pod)) event=\(event)")
    }

    static func containerFinished(uid: String, containerID: String, exitCode: Int) -> Line {
        ("generic.go:334", "\"Generic (PLEG): container finished\" podID=\(quote(uid)) containerID=\(quote(containerID)) exitCode=\(exitCode)")
    }

    static func killing(pod: String, uid: String, container: String, containerID: String, grace: Int) -> Line {
        ("kuberuntime_container.go:709", "\"Killing container with a grace period\" pod=\(quote(pod)) podUID=\(uid) containerName=\(quote(container)) containerID=\(quote("containerd://" + containerID)) gracePeriod=\(grace)")
    }

    static func crashLoop(pod: String, uid: String, klogName: String, container: String, backoff: String) -> Line {
        let err = "failed to \"StartContainer\" for \"\(container)\" with CrashLoopBackOff: \"back-off \(backoff) restarting failed container=\(container) pod=\(klogName)\""
        return ("pod_workers.go:1298", "\"Error syncing pod, skipping\" err=\(quote(err)) pod=\(quote(pod)) podUID=\(quote(uid))")
    }

    static func probeFailed(pod: String, uid: String, container: String, output: String) -> Line {
        ("prober.go:107", "\"Probe failed\" probeType=\"Liveness\" pod=\(quote(pod)) podUID=\(quote(uid)) containerName=\(quote(container)) probeResult=\"failure\" output=\(quote(output))")
    }

    static func probeUnhealthy(pod: String) -> Line {
        ("kubelet.go:2542", "\"SyncLoop (probe)\" probe=\"liveness\" status=\"unhealthy\" pod=\(quote(pod))")
    }

    static func livenessRestart(pod: String, container: String, containerID: String) -> Line {
        ("kuberuntime_manager.go:1030", "\"Message for Container of pod\" containerName=\(quote(container)) containerStatusID={\"Type\":\"containerd\",\"ID\":\"\(containerID)\"} pod=\(quote(pod)) containerMessage=\(quote("Container \(container) failed liveness probe, will be restarted"))")
    }

    static func evictionAttempt(resource: String) -> Line {
        ("eviction_manager.go:366", "\"Eviction manager: attempting to reclaim\" resourceName=\(quote(resource))")
    }

    static func evictionMustEvict(resource: String) -> Line {
        ("eviction_manager.go:377", "\"Eviction manager: must evict pod(s) to reclaim\" resourceName=\(quote(resource))")
    }

    static func evictionRanked(_ pods: [String], minor: Int) -> Line {
        ("eviction_manager.go:387", "\"Eviction manager: pods ranked for eviction\" pods=\(podList(pods, minor: minor))")
    }

    static func evicted(pod: String) -> Line {
        ("eviction_manager.go:595", "\"Eviction manager: pod is evicted successfully\" pod=\(quote(pod))")
    }

    static func evictionWaiting(_ pods: [String], minor: Int) -> Line {
        ("eviction_manager.go:410", "\"Eviction manager: pods evicted, waiting for pod to be cleaned up\" pods=\(podList(pods, minor: minor))")
    }

    static func evictionCleaned(_ pods: [String], minor: Int) -> Line {
        ("eviction_manager.go:443", "\"Eviction manager: pods successfully cleaned up\" pods=\(podList(pods, minor: minor))")
    }

    static func nodeEvent(node: String, event: String) -> Line {
        ("kubelet_node_status.go:724", "\"Recording event message for node\" node=\(quote(node)) event=\(quote(event))")
    }

    static func version(_ version: String) -> Line {
        ("server.go:487", "\"Kubelet version\" kubeletVersion=\(quote(version))")
    }

    static func startingSyncLoop() -> Line {
        ("kubelet.go:2347", "\"Starting kubelet main sync loop\"")
    }

    /// An ordinary line unrelated to incidents.
    static func noise(pod: String, uid: String, random: inout StableRandom, minor: Int) -> Line {
        switch random.int(0...3) {
        case 0:
            return ("kubelet.go:2428", "\"SyncLoop UPDATE\" source=\"api\" pods=\(podList([pod], minor: minor))")
        case 1:
            return ("kubelet.go:2443", "\"SyncLoop RECONCILE\" source=\"api\" pods=\(podList([pod], minor: minor))")
        case 2:
            return ("kubelet.go:2542", "\"SyncLoop (probe)\" probe=\"readiness\" status=\"ready\" pod=\(quote(pod))")
        default:
            let volume = "kube-api-access-" + random.nameSuffix(5)
            return ("operation_generator.go:721", "\"MountVolume.SetUp succeeded for volume \\\"\(volume)\\\" (UniqueName: \\\"kubernetes.io/projected/\(uid)-\(volume)\\\") pod \\\"\(pod.split(separator: "/").last ?? "")\\\" (UID: \\\"\(uid)\\\") \" pod=\(quote(pod))")
        }
    }
}
