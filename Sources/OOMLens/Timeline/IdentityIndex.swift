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

    private var byContainerID: [String: Identity] = [:]
    private var byPodUID: [String: Identity] = [:]
    /// Positions in `pods`, which shares its storage with the caller's array.
    private var byPodName: [PodKey: Int] = [:]
    private let pods: [PodFacts]

    init(pods: [PodFacts]) {
        self.pods = pods
        byPodName.reserveCapacity(pods.count)
        byPodUID.reserveCapacity(pods.count)
        for (position, pod) in pods.enumerated() {
            let base = Identity(namespace: pod.namespace, pod: pod.name, container: nil, node: pod.node)
            if let uid = pod.uid { byPodUID[Self.normalizeUID(uid)] = base }
            if let hash = pod.configHash { byPodUID[Self.normalizeUID(hash)] = base }
            byPodName[PodKey(namespace: pod.namespace, name: pod.name)] = position
            for container in pod.containers {
                var identity = base
                identity.container = container.name
                // Two lookups, not a two-element array per container (tens of thousands in a large PodList).
                if let id = container.containerID, !id.isEmpty { byContainerID[id] = identity }
                if let id = container.lastContainerID, !id.isEmpty { byContainerID[id] = identity }
            }
        }
    }

    func container(_ id: String) -> Identity? {
        if let hit = byContainerID[id] { return hit }
        // Short ids (docker ps, 12 hex) match a prefix.
        guard id.count >= 12, id.count < 64 else { return nil }
        return byContainerID.first { $0.key.hasPrefix(id) }?.value
    }

    func pod(uid: String) -> Identity? { byPodUID[Self.normalizeUID(uid)] }

    func facts(namespace: String, pod: String) -> PodFacts? {
        byPodName[PodKey(namespace: namespace, name: pod)].map { pods[$0] }
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
