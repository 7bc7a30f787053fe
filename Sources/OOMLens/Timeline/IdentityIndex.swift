/// Looks up who a container id, pod UID or static-pod hash belongs to, from the API facts.
struct IdentityIndex {
    struct Identity {
        var namespace: String
        var pod: String
        var container: String?
        var node: String?
    }

    /// A pod's namespace and name, as a dictionary key without building `namespace/name` strings.
    struct PodKey: Hashable {
        var namespace: String
        var name: String
    }

    /// A container as its pod's position in `pods` and its own position in that pod's containers:
    /// two integers an entry instead of an `Identity` of four strings (tens of thousands of entries in
    /// a large PodList), made into an `Identity` only when looked up.
    private struct ContainerPosition {
        var pod: Int
        var container: Int
    }

    private var byContainerID: [String: ContainerPosition] = [:]
    /// Positions in `pods` by UID or static-pod hash.
    private var byPodUID: [String: Int] = [:]
    /// Positions in `pods`, which shares its storage with the caller's array.
    private var byPodName: [PodKey: Int] = [:]
    private let pods: [PodFacts]

    /// Indexes `pods`, whose positions by namespace and name the caller has already worked out (the
    /// correlator needs them to merge pods described twice): `byPodName` maps each pod's key to its
    /// position in `pods`.
    init(pods: [PodFacts], byPodName: [PodKey: Int]) {
        self.pods = pods
        self.byPodName = byPodName
        byPodUID.reserveCapacity(pods.count)
        var containerIDs = 0
        for pod in pods.indices {
            for container in pods[pod].containers.indices {
                if pods[pod].containers[container].containerID != nil { containerIDs += 1 }
                if pods[pod].containers[container].lastContainerID != nil { containerIDs += 1 }
            }
        }
        byContainerID.reserveCapacity(containerIDs)
        for position in pods.indices {
            if let uid = pods[position].uid { byPodUID[Self.normalizeUID(uid)] = position }
            if let hash = pods[position].configHash { byPodUID[Self.normalizeUID(hash)] = position }
            let containers = pods[position].containers
            for c in containers.indices {
                let value = ContainerPosition(pod: position, container: c)
                // Two lookups, not a two-element array per container (tens of thousands in a large PodList).
                if let id = containers[c].containerID, !id.isEmpty { byContainerID[id] = value }
                if let id = containers[c].lastContainerID, !id.isEmpty { byContainerID[id] = value }
            }
        }
    }

    func container(_ id: String) -> Identity? {
        if let hit = byContainerID[id] { return identity(hit) }
        // Short ids (docker ps, 12 hex) match a prefix.
        guard id.count >= 12, id.count < 64 else { return nil }
        return byContainerID.first { $0.key.hasPrefix(id) }.map { identity($0.value) }
    }

    func pod(uid: String) -> Identity? {
        byPodUID[Self.normalizeUID(uid)].map { Identity(namespace: pods[$0].namespace, pod: pods[$0].name, container: nil, node: pods[$0].node) }
    }

    func facts(namespace: String, pod: String) -> PodFacts? {
        byPodName[PodKey(namespace: namespace, name: pod)].map { pods[$0] }
    }

    private func identity(_ position: ContainerPosition) -> Identity {
        let pod = position.pod
        return Identity(namespace: pods[pod].namespace, pod: pods[pod].name,
                        container: pods[pod].containers[position.container].name, node: pods[pod].node)
    }

    /// The UID in lower case with dashes (cgroup paths write `_`); the string itself when it already is.
    static func normalizeUID(_ uid: String) -> String {
        func needsWork(_ b: UInt8) -> Bool { b == UInt8(ascii: "_") || b >= 0x80 || (0x41...0x5A).contains(b) }
        // Over the contiguous UTF-8 of a native string when there is one: the generic UTF8View
        // iteration cost a thousand instructions per pod.
        let needed = uid.utf8.withContiguousStorageIfAvailable { $0.contains(where: needsWork) }
            ?? uid.utf8.contains(where: needsWork)
        guard needed else { return uid }
        return String(uid.lowercased().map { $0 == "_" ? "-" : $0 })
    }
}
