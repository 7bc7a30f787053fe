import OOMLens

/// Renders `kubectl get events -A` and `kubectl get pods -A -o wide` as captured at `collectedAt`
/// (relative ages in kubectl's HumanDuration), in the shapes of `kubectl-get-events-tables.txt` and
/// `kubectl-get-pods-tables.txt`:
///
/// ```
/// NAMESPACE   LAST SEEN   TYPE      REASON      OBJECT          MESSAGE
/// default     53m         Warning   SystemOOM   node/nlk8s-04   System OOM encountered, victim process: grafana, pid: 1568701
/// ```
enum KubectlTableWriter {
    static func events(_ events: [APIEvent], at now: Instant) -> String {
        var rows = [["NAMESPACE", "LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]]
        for e in events {
            rows.append([e.namespace, TimeText.human(now.seconds - e.last.seconds), e.type, e.reason,
                         "\(e.involvedKind.lowercased())/\(e.involvedName)", e.message])
        }
        return TextTable.render(rows, padding: 3).joined(separator: "\n") + "\n"
    }

    static func pods(_ model: ClusterModel) -> String {
        let now = model.collectedAt
        var rows = [["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"]]
        for pod in model.pods.sorted(by: { ($0.namespace, $0.name) < ($1.namespace, $1.name) }) {
            let views = pod.containers.map { PodJSONWriter.view($0, pod: pod) }
            let ready = views.filter(\.ready).count
            var status = "Running"
            for v in views {
                switch v.state {
                case .waiting(let reason, _): status = reason
                case .terminated(let end, _) where status == "Running": status = end.reason
                default: break
                }
            }
            if pod.eviction != nil { status = "Evicted" }
            let restarts = pod.containers.reduce(0) { $0 + $1.restartCount }
            let lastRestart = pod.containers.compactMap { c in c.restartCount > 0 ? c.instances.last?.startedAt : nil }.max()
            let restartText = lastRestart.map { "\(restarts) (\(TimeText.human(now.seconds - $0.seconds)) ago)" } ?? String(restarts)
            rows.append([pod.namespace, pod.name, "\(ready)/\(pod.containers.count)", status, restartText,
                         TimeText.human(now.seconds - pod.startTime.seconds), pod.eviction == nil ? pod.podIP : "<none>",
                         model.nodes[pod.nodeIndex].name, "<none>", "<none>"])
        }
        return TextTable.render(rows, padding: 3).joined(separator: "\n") + "\n"
    }
}
