/// Every observation of a bundle on one UTC time axis, grouped into incidents.
public struct Timeline: Sendable {
    public var observations: [Observation]
    /// The UTC time of each observation (parallel to `observations`); nil when it could not be placed.
    public var times: [ResolvedTime?]
    /// The incident each observation belongs to (parallel to `observations`).
    public var incidentIDs: [String?]
    /// Incidents sorted by time (unknown times last).
    public var incidents: [Incident]
    /// Pods and nodes as the API described them, one entry each.
    public var pods: [PodFacts]
    public var nodes: [NodeFacts]
    public var clock: Clock

    /// Indices of the observations in time order (unknown times last, then by file and line).
    public var orderedIndices: [Int] {
        observations.indices.sorted { a, b in
            switch (times[a], times[b]) {
            case let (x?, y?) where x.instant != y.instant: return x.instant < y.instant
            case (.some, nil): return true
            case (nil, .some): return false
            default: return observations[a].location < observations[b].location
            }
        }
    }

    public func pod(namespace: String?, name: String?) -> PodFacts? {
        guard let namespace, let name else { return nil }
        return pods.first { $0.namespace == namespace && $0.name == name }
    }

    public func node(_ name: String?) -> NodeFacts? {
        guard let name else { return nil }
        return nodes.first { $0.name == name }
    }
}
