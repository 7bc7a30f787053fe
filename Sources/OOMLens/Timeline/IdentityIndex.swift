/// Looks up who a container id, pod UID or static-pod hash belongs to, from the API facts.
struct IdentityIndex {
    struct Identity {
        var namespace: String
        var pod: String
        var container: String?
        var node: String?
    }

    private var byContainerID: [String: Identity] = [:]
    private var byPodUID: [String: Identity] = [:]
    private var byPodName: [String: PodFacts] = [:]

    init(pods: [PodFacts]) {
        for pod in pods {
            let base = Identity(namespace: pod.namespace, pod: pod.name, container: nil, node: pod.node)
            if let uid = pod.uid { byPodUID[Self.normalizeUID(uid)] = base }
            if let hash = pod.configHash { byPodUID[Self.normalizeUID(hash)] = base }
            byPodName["\(pod.namespace)/\(pod.name)"] = pod
            for container in pod.containers {
                var identity = base
                identity.container = container.name
                for id in [container.containerID, container.lastContainerID].compactMap({ $0 }) where !id.isEmpty {
                    byContainerID[id] = identity
                }
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

    func facts(namespace: String, pod: String) -> PodFacts? { byPodName["\(namespace)/\(pod)"] }

    static func normalizeUID(_ uid: String) -> String {
        String(uid.lowercased().map { $0 == "_" ? "-" : $0 })
    }
}
