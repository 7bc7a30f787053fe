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

    /// Container positions by the digest of their container id (`digest(_:)`), the later position
    /// where two ids share one: looked up by digest, then checked against the id itself.
    private var byContainerID = DigestTable<ContainerPosition>()
    /// Positions in `pods` by the digest of their UID or static-pod hash, made like `byContainerID`.
    private var byPodUID = DigestTable<Int>()
    /// Positions in `pods`, which shares its storage with the caller's array.
    private var byPodName: [PodKey: Int] = [:]
    private let pods: [PodFacts]
    /// `IdentityIndex.digest(_:)`, or in tests one that makes ids collide.
    private let digest: (String) -> UInt64

    /// Indexes `pods`, whose positions by namespace and name the caller has already worked out (the
    /// correlator needs them to merge pods described twice): `byPodName` maps each pod's key to its
    /// position in `pods`.
    init(pods: [PodFacts], byPodName: [PodKey: Int], digest: @escaping (String) -> UInt64 = IdentityIndex.digest) {
        self.pods = pods
        self.digest = digest
        self.byPodName = byPodName
        byPodUID = DigestTable(capacity: pods.count)
        var containerIDs = 0
        for pod in pods.indices {
            for container in pods[pod].containers.indices {
                if pods[pod].containers[container].containerID != nil { containerIDs += 1 }
                if pods[pod].containers[container].lastContainerID != nil { containerIDs += 1 }
            }
        }
        byContainerID = DigestTable(capacity: containerIDs)
        // Integer keys: string keys cost a hash of every id and a string comparison at every occupied
        // slot probed (about 28 ms for the 60,000 ids of a 20,000-pod PodList).
        for position in pods.indices {
            if let uid = pods[position].uid { byPodUID[digest(Self.normalizeUID(uid))] = position }
            if let hash = pods[position].configHash { byPodUID[digest(Self.normalizeUID(hash))] = position }
            let containers = pods[position].containers
            for c in containers.indices {
                let value = ContainerPosition(pod: position, container: c)
                // Two lookups, not a two-element array per container (tens of thousands in a large PodList).
                if let id = containers[c].containerID, !id.isEmpty { byContainerID[digest(id)] = value }
                if let id = containers[c].lastContainerID, !id.isEmpty { byContainerID[digest(id)] = value }
            }
        }
    }

    func container(_ id: String) -> Identity? {
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
        guard id.count >= 12, id.count < 64 else { return nil }
        for pod in pods.indices {
            for container in pods[pod].containers {
                for full in [container.containerID, container.lastContainerID] {
                    if let full, full.count > id.count, full.hasPrefix(id) { return self.container(full) }
                }
            }
        }
        return nil
    }

    func pod(uid: String) -> Identity? {
        let key = Self.normalizeUID(uid)
        guard let hit = byPodUID[digest(key)] else { return nil }
        func holds(_ position: Int) -> Bool {
            pods[position].uid.map(Self.normalizeUID) == key || pods[position].configHash.map(Self.normalizeUID) == key
        }
        guard let position = holds(hit) ? hit : pods.indices.reversed().first(where: holds) else { return nil }
        return Identity(namespace: pods[position].namespace, pod: pods[position].name, container: nil, node: pods[position].node)
    }

    func facts(namespace: String, pod: String) -> PodFacts? {
        byPodName[PodKey(namespace: namespace, name: pod)].map { pods[$0] }
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

    /// The UID in lower case with dashes (cgroup paths write `_`); the string itself when it already is.
    static func normalizeUID(_ uid: String) -> String {
        // Over the contiguous UTF-8 of a native string when there is one: the generic UTF8View
        // iteration cost a thousand instructions per pod.
        let needed = uid.utf8.withContiguousStorageIfAvailable { needsWork(UnsafeRawBufferPointer($0)) }
            ?? uid.utf8.contains(where: needsWork)
        guard needed else { return uid }
        return String(uid.lowercased().map { $0 == "_" ? "-" : $0 })
    }

    /// A byte that `normalizeUID` changes or must look at as text: `_`, an upper-case letter, non-ASCII.
    static func needsWork(_ b: UInt8) -> Bool { b == UInt8(ascii: "_") || b >= 0x80 || (0x41...0x5A).contains(b) }

    /// Whether any byte `needsWork`, eight bytes a step: a set top bit is non-ASCII; for ASCII bytes
    /// (below 0x80, so that no sum carries into the next byte) b + 0x3F has its top bit set from `A` on
    /// and b + 0x25 from `[` on, and b ^ 0x5F is zero for `_`.
    static func needsWork(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let high: UInt64 = 0x8080_8080_8080_8080
        let ones: UInt64 = 0x0101_0101_0101_0101
        var i = 0
        while i + 8 <= bytes.count {
            let w = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            if w & high != 0 { return true }
            let upper = (w &+ 0x3F * ones) & ~(w &+ 0x25 * ones) & high
            let x = w ^ (0x5F * ones)
            let underscore = (x &- ones) & ~x & high
            if upper | underscore != 0 { return true }
            i += 8
        }
        while i < bytes.count {
            if needsWork(bytes[i]) { return true }
            i += 1
        }
        return false
    }

    /// A 64-bit digest of the string's UTF-8 bytes, eight at a time: a dictionary key that hashes and
    /// compares as one integer. Different strings may share a digest; lookups check the string itself.
    static func digest(_ string: String) -> UInt64 {
        if let value = string.utf8.withContiguousStorageIfAvailable({ digest(UnsafeRawBufferPointer($0)) }) { return value }
        var native = string
        native.makeContiguousUTF8()
        return native.utf8.withContiguousStorageIfAvailable { digest(UnsafeRawBufferPointer($0)) } ?? 0
    }

    static func digest(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        func mix(_ word: UInt64) {
            h = (h ^ word) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h &>> 32
        }
        var i = 0
        while i + 8 <= bytes.count {
            mix(bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < bytes.count {
            tail |= UInt64(bytes[i]) &<< shift
            shift += 8
            i += 1
        }
        mix(tail)
        h ^= h &>> 29
        h = h &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h &>> 32)
    }
}
