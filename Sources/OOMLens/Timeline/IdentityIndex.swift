/// Looks up who a container id, pod UID or static-pod hash belongs to, from the API facts.
struct IdentityIndex {
    struct Identity {
        var namespace: String
        var pod: String
        var container: String?
        var node: String?
    }

    /// A pod's namespace and name, as a dictionary key without building `namespace/name` strings: it
    /// hashes as its digest (`PodDigests.nameDigest`), worked out once, and compares the strings only
    /// where the digests are equal.
    struct PodKey: Hashable {
        var namespace: String
        var name: String
        var digest: UInt64

        init(namespace: String, name: String) {
            self.init(namespace: namespace, name: name, digest: PodDigests.nameDigest(namespace: namespace, name: name))
        }

        /// The key of a pod whose name digest is known.
        init(namespace: String, name: String, digest: UInt64) {
            self.namespace = namespace
            self.name = name
            self.digest = digest
        }

        static func == (a: PodKey, b: PodKey) -> Bool {
            a.digest == b.digest && a.name == b.name && a.namespace == b.namespace
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(digest)
        }
    }

    /// A container as its pod's position in `pods` and its own position in that pod's containers:
    /// two integers an entry instead of an `Identity` of four strings (tens of thousands of entries in
    /// a large PodList), made into an `Identity` only when looked up.
    private struct ContainerPosition {
        var pod: Int
        var container: Int
    }

    /// Container positions by the digest of their container id (`digest(_:)`), the later position
    /// where two ids share one: looked up by digest, then checked against the id itself.
    private var byContainerID = DigestTable<ContainerPosition>()
    /// Positions in `pods` by the digest of their UID or static-pod hash, made like `byContainerID`.
    private var byPodUID = DigestTable<Int>()
    /// Positions in `pods` by the digest of their namespace and name (`positions(_:)`), checked
    /// against the names themselves: no `String` kept or hashed per pod.
    private var byPodName = DigestTable<Int>()
    /// The pods, sharing their storage with the caller's array.
    private let pods: [PodFacts]
    /// `PodDigests.digest(_:)`, or in tests one that makes ids collide.
    private let digest: (String) -> UInt64
    /// The container ids by their bytes, made on the first short id looked up.
    private var prefixes: ContainerIDPrefixes?
    /// The short ids looked up so far, with the full id each stands for (nil: none): a bundle that
    /// names one short id many times, or many short ids that begin many ids, costs one search each.
    private var shortIDs: [String: String?] = [:]

    /// Positions by name digest (`PodDigests.Pod.name`) for the pods `digests` were made of: the first
    /// position where two pods share a digest; `shared` tells whether any did (the same pod named
    /// twice, or, very rarely, two names with one digest).
    static func positions(_ digests: PodDigests) -> (table: DigestTable<Int>, shared: Bool) {
        var table = DigestTable<Int>(capacity: digests.pods.count)
        var shared = false
        for (position, pod) in digests.pods.enumerated() where table.insertFirst(position, for: pod.name) != nil {
            shared = true
        }
        return (table, shared)
    }

    /// Indexes `pods` by `digests`, the digests of those pods made with `digest`; the caller has
    /// already worked out their positions by name digest (`positions(_:)`: the correlator needs them
    /// to find pods described twice).
    init(pods: [PodFacts], digests: PodDigests, byPodName: DigestTable<Int>,
         digest: @escaping (String) -> UInt64 = PodDigests.digest) {
        assert(digests.pods.count == pods.count, "digests of other pods")
        self.pods = pods
        self.digest = digest
        self.byPodName = byPodName
        byPodUID = DigestTable(capacity: pods.count)
        byContainerID = DigestTable(capacity: digests.containerIDs.count)
        // Integer keys: string keys cost a hash of every id and a string comparison at every occupied
        // slot probed (about 28 ms for the 60,000 ids of a 20,000-pod PodList).
        for (position, pod) in digests.pods.enumerated() {
            if let uid = pod.uid { byPodUID[uid] = position }
            if let hash = pod.configHash { byPodUID[hash] = position }
        }
        for entry in digests.containerIDs {
            byContainerID[entry.digest] = ContainerPosition(pod: Int(entry.pod), container: Int(entry.container))
        }
    }

    mutating func container(_ id: String) -> Identity? {
        if let hit = byContainerID[digest(id)] {
            if holds(hit, id) { return identity(hit) }
            // Another id with the same digest was indexed after it: the last position holding the id.
            for pod in pods.indices.reversed() {
                for c in pods[pod].containers.indices.reversed() where holds(ContainerPosition(pod: pod, container: c), id) {
                    return identity(ContainerPosition(pod: pod, container: c))
                }
            }
        }
        // Short ids (docker ps, 12 hex) match a prefix: the first id, in pod order, that starts with
        // it, which then names its container as a full id does.
        let length = id.utf8.count
        guard length >= 12, length < 64 else { return nil }
        let full: String?
        if let known = shortIDs[id] {
            full = known
        } else {
            if prefixes == nil { prefixes = ContainerIDPrefixes(pods) }
            full = prefixes?.first(startingWith: id)
            shortIDs[id] = full
        }
        return full.flatMap { self.container($0) }
    }

    func pod(uid: String) -> Identity? {
        let key = PodDigests.normalizeUID(uid)
        guard let hit = byPodUID[digest(key)] else { return nil }
        func holds(_ position: Int) -> Bool {
            pods[position].uid.map(PodDigests.normalizeUID) == key || pods[position].configHash.map(PodDigests.normalizeUID) == key
        }
        guard let position = holds(hit) ? hit : pods.indices.reversed().first(where: holds) else { return nil }
        return Identity(namespace: pods[position].namespace, pod: pods[position].name, container: nil, node: pods[position].node)
    }

    func facts(namespace: String, pod: String) -> PodFacts? {
        guard let hit = byPodName[PodDigests.nameDigest(namespace: namespace, name: pod, digest: digest)] else { return nil }
        if pods[hit].name == pod, pods[hit].namespace == namespace { return pods[hit] }
        // Another name with the same digest was indexed first: the first pod with these names.
        return pods.first { $0.name == pod && $0.namespace == namespace }
    }

    /// Whether the container at `position` has `id` as its container id or its last one.
    private func holds(_ position: ContainerPosition, _ id: String) -> Bool {
        let container = pods[position.pod].containers[position.container]
        return container.containerID == id || container.lastContainerID == id
    }

    private func identity(_ position: ContainerPosition) -> Identity {
        let pod = position.pod
        return Identity(namespace: pods[pod].namespace, pod: pods[pod].name,
                        container: pods[pod].containers[position.container].name, node: pods[pod].node)
    }
}
