/// The 64-bit digests of the strings a pod is found by: its namespace with its name, its UID, its
/// static-pod hash and its containers' ids, in the order of the pods they belong to.
///
/// The correlator indexes pods by these digests (`IdentityIndex`). Working them out reads every pod's
/// strings, about a microsecond a pod in a 20,000-pod PodList; `ParsingConsumer.takePart()` does it on
/// the thread that parsed the pods, while the other thread still reads, instead of after reading on
/// one. `ParseOutput` keeps them beside its pods and forgets them when the pods change.
struct PodDigests: Sendable, Equatable {
    /// One pod's digests.
    struct Pod: Sendable, Equatable {
        /// `nameDigest(namespace:name:)`.
        var name: UInt64
        /// The digest of the normalised UID (`normalizeUID`).
        var uid: UInt64?
        /// The digest of the normalised static-pod hash.
        var configHash: UInt64?
    }

    /// One container id's digest, with the position of its pod and of the container in that pod.
    struct ContainerID: Sendable, Equatable {
        var digest: UInt64
        var pod: Int32
        var container: Int32
    }

    /// One entry per pod.
    private(set) var pods: [Pod] = []
    /// Every non-empty container id and last container id, pod by pod, container by container, the
    /// current id before the last one.
    private(set) var containerIDs: [ContainerID] = []

    /// No pods.
    init() {}

    /// The digests of `pods`, made with `digest`.
    init(of pods: [PodFacts], digest: (String) -> UInt64 = PodDigests.digest) {
        self.pods.reserveCapacity(pods.count)
        for position in pods.indices {
            // Fields read in place: a copy of each pod would retain and release all its strings.
            self.pods.append(Pod(
                name: Self.nameDigest(namespace: pods[position].namespace, name: pods[position].name, digest: digest),
                uid: pods[position].uid.map { digest(Self.normalizeUID($0)) },
                configHash: pods[position].configHash.map { digest(Self.normalizeUID($0)) }))
            let pod = Int32(truncatingIfNeeded: position)
            for c in pods[position].containers.indices {
                let container = Int32(truncatingIfNeeded: c)
                if let id = pods[position].containers[c].containerID, !id.isEmpty {
                    containerIDs.append(ContainerID(digest: digest(id), pod: pod, container: container))
                }
                if let id = pods[position].containers[c].lastContainerID, !id.isEmpty {
                    containerIDs.append(ContainerID(digest: digest(id), pod: pod, container: container))
                }
            }
        }
    }

    /// These digests followed by `other`'s, whose pods come after this one's.
    mutating func append(_ other: PodDigests) {
        let offset = Int32(truncatingIfNeeded: pods.count)
        pods.append(contentsOf: other.pods)
        containerIDs.reserveCapacity(containerIDs.count + other.containerIDs.count)
        for var entry in other.containerIDs {
            entry.pod += offset
            containerIDs.append(entry)
        }
    }

    /// A pod's namespace and name as one digest.
    static func nameDigest(namespace: String, name: String, digest: (String) -> UInt64 = PodDigests.digest) -> UInt64 {
        let h = (digest(namespace) ^ 0x2545_F491_4F6C_DD1D) &* 0x9E37_79B9_7F4A_7C15
        return (h ^ (h &>> 31)) ^ digest(name)
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

    /// A 64-bit digest of the string's UTF-8 bytes: a dictionary key that hashes and compares as one
    /// integer. Different strings may share a digest; lookups check the string itself.
    static func digest(_ string: String) -> UInt64 {
        if let value = string.utf8.withContiguousStorageIfAvailable({ digest(UnsafeRawBufferPointer($0)) }) { return value }
        var native = string
        native.makeContiguousUTF8()
        return native.utf8.withContiguousStorageIfAvailable { digest(UnsafeRawBufferPointer($0)) } ?? 0
    }

    /// Digests the bytes with the standard library's `Hasher`: SipHash-1-3, keyed by a seed each process
    /// draws at random.
    ///
    /// A bundle's ids are chosen by whoever wrote it: with a digest known in advance, ids
    /// made to share their low bits pile up in one run of `DigestTable`'s slots and make building the
    /// identity index quadratic (40,000 such container ids took 0.9 s more than ordinary ones). About
    /// 45 ns for a 64-byte id, against 17 ns for the fixed multiply-and-shift digest it replaced. A seed
    /// mixed into that digest would not do: flipping a word's top bit flips the same two bits of the
    /// state whatever the seed, so a second word can cancel it and any number of ids collide.
    static func digest(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(bytes: bytes)
        return UInt64(UInt(bitPattern: hasher.finalize()))
    }
}
