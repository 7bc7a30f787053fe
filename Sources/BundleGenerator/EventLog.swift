import OOMLens

/// A core/v1 Event as the API server keeps it after the kubelet's aggregation.
struct APIEvent: Sendable {
    var namespace: String
    var involvedKind: String
    var involvedName: String
    var involvedUID: String
    var involvedNamespace: String?
    var fieldPath: String?
    var reason: String
    var message: String
    var type: String
    var component: String
    var host: String?
    var first: Instant
    var last: Instant
    var count: Int
}

/// Collects events and aggregates repeats (same object, reason and message) into one object with a
/// count, the way the legacy event recorder does.
struct EventLog: Sendable {
    private(set) var events: [APIEvent] = []
    private var index: [String: Int] = [:]

    mutating func record(
        namespace: String, kind: String, name: String, uid: String, fieldPath: String? = nil,
        reason: String, message: String, warning: Bool, component: String = "kubelet", host: String?,
        at time: Instant, count: Int = 1
    ) {
        let key = "\(namespace)|\(kind)|\(name)|\(fieldPath ?? "")|\(reason)|\(message)"
        if let i = index[key] {
            events[i].count += count
            if time < events[i].first { events[i].first = time }
            if time > events[i].last { events[i].last = time }
            return
        }
        index[key] = events.count
        events.append(APIEvent(
            namespace: namespace, involvedKind: kind, involvedName: name, involvedUID: uid,
            involvedNamespace: kind == "Node" ? nil : namespace, fieldPath: fieldPath, reason: reason,
            message: message, type: warning ? "Warning" : "Normal", component: component, host: host,
            first: time, last: time, count: count))
    }

    /// The events still stored at `collectedAt` (their last occurrence within the TTL and not in the
    /// future), ordered by last occurrence.
    func retained(at collectedAt: Instant, ttlSeconds: Int) -> [APIEvent] {
        events.filter { collectedAt.interval(since: $0.last) <= Double(ttlSeconds) && $0.last <= collectedAt }
            .sorted { ($0.last, $0.first) < ($1.last, $1.first) }
    }
}
