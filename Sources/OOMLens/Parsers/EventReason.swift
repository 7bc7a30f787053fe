/// Maps a Kubernetes event reason (and, where needed, its message) to the observation it stands for.
///
/// Shared by every parser that reads events: `kubectl get events`, the Events table of
/// `kubectl describe`, and Event objects in JSON or YAML.
public enum EventReason {
    /// The observation kind for an event, or nil when the event is not worth a timeline entry.
    ///
    /// - `Evicted` → `podEvicted`; `OOMKilling` → `oomKillingEvent`; `SystemOOM` → `systemOOMReported`
    /// - `BackOff` (restarting) → `backOff`; `Killing` → `containerKilled`; `Unhealthy` → `probeFailed`
    /// - `EvictionThresholdMet`, `NodeHasInsufficientMemory`, `NodeHasDiskPressure`, `FreeDiskSpaceFailed`
    ///   → `nodePressure`
    /// - `Rebooted`, `NodeReady` after `NodeNotReady`… are left to the correlator as plain `event`s;
    ///   `Preempting`, `Started`, `Created`, `NodeNotReady`, `Rebooted` → `event`.
    public static func kind(reason: String, message: String?) -> ObservationKind? {
        switch reason {
        case "Evicted": return .podEvicted
        case "OOMKilling": return .oomKillingEvent
        case "SystemOOM": return .systemOOMReported
        case "BackOff":
            // Image pull back-off is not a restart.
            if let message, message.containsBytes("pulling image") || message.containsBytes("Back-off pulling") { return nil }
            return .backOff
        case "Killing": return .containerKilled
        case "Unhealthy": return .probeFailed
        case "EvictionThresholdMet", "NodeHasInsufficientMemory", "NodeHasDiskPressure",
             "NodeHasInsufficientPID", "FreeDiskSpaceFailed":
            return .nodePressure
        case "Preempting", "Preempted", "Started", "Created", "NodeNotReady", "Rebooted", "NodeReady",
             "OOMKilled", "FailedScheduling", "ContainerGCFailed", "ImageGCFailed":
            return .event
        default:
            return nil
        }
    }

    /// The starved resource an eviction or pressure event names (`memory`, `ephemeral-storage`, …).
    public static func resource(reason: String, message: String?) -> String? {
        switch reason {
        case "NodeHasInsufficientMemory": return "memory"
        case "NodeHasDiskPressure", "FreeDiskSpaceFailed": return "ephemeral-storage"
        case "NodeHasInsufficientPID": return "pid"
        default: break
        }
        guard let message else { return nil }
        for (needle, resource) in [
            ("low on resource: memory", "memory"), ("reclaim memory", "memory"), ("[MemoryPressure]", "memory"),
            ("low on resource: ephemeral-storage", "ephemeral-storage"), ("reclaim ephemeral-storage", "ephemeral-storage"),
            ("nodefs", "ephemeral-storage"), ("imagefs", "ephemeral-storage"), ("[DiskPressure]", "ephemeral-storage"),
            ("low on resource: pid", "pid"), ("ephemeral local storage", "ephemeral-storage"),
        ] where message.contains(needle) {
            return resource
        }
        return nil
    }
}
