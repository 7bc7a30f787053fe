import Testing
@testable import OOMLens

/// `PodDigests` are worked out per parsed part and carried along as parts are joined: they must always
/// be the digests of the pods they stand beside, as if worked out from the joined pods at once.
@Suite struct PodDigestsTests {
    static func pod(_ namespace: String, _ name: String, uid: String? = nil, ids: [(String?, String?)] = []) -> PodFacts {
        var pod = PodFacts(namespace: namespace, name: name, location: SourceLocation(file: "pods.json", line: 1))
        pod.uid = uid
        pod.containers = ids.enumerated().map { i, pair in
            var c = ContainerFacts(name: "c\(i)")
            c.containerID = pair.0
            c.lastContainerID = pair.1
            return c
        }
        return pod
    }

    /// Parts of 0, 1 and 3 pods, with ids, empty ids and none, and a static-pod hash.
    static func parts() -> [[PodFacts]] {
        var mirror = pod("kube-system", "etcd-n1", uid: "E3B0C442_98FC_1C14")
        mirror.configHash = "5F2C1D3E4A5B6C7D"
        return [
            [],
            [pod("shop", "web", uid: "0f3c2a4e-1111", ids: [("aa11", "bb22"), (nil, "")])],
            [pod("shop", "api", ids: [("cc33", nil)]), mirror, pod("batch", "job", uid: "7a8b", ids: [("", "dd44"), ("ee55", nil)])],
        ]
    }

    @Test func entriesFollowPodsContainersAndIDsInOrder() {
        let pods = Self.parts()[2]
        let digests = PodDigests(of: pods)
        #expect(digests.pods.count == 3)
        #expect(digests.pods[0].name == PodDigests.nameDigest(namespace: "shop", name: "api"))
        #expect(digests.pods[0].uid == nil)
        #expect(digests.pods[1].uid == PodDigests.digest("e3b0c442-98fc-1c14"))
        #expect(digests.pods[1].configHash == PodDigests.digest("5f2c1d3e4a5b6c7d"))
        #expect(digests.containerIDs.map(\.digest) == ["cc33", "dd44", "ee55"].map(PodDigests.digest))
        #expect(digests.containerIDs.map { [$0.pod, $0.container] } == [[0, 0], [2, 0], [2, 1]])
    }

    /// Parts joined in every order, through `ParseOutput.append` as the readers absorb them (which
    /// moves the larger list of pods and puts the smaller in front of it): the same digests as
    /// working them out from the joined pods, whichever parts had them worked out already.
    @Test(arguments: [false, true])
    func joinedPartsKeepTheDigestsOfTheJoinedPods(someWithout: Bool) {
        let parts = Self.parts()
        for order in [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]] {
            var joined = ParseOutput()
            for (n, i) in order.enumerated() {
                var part = ParseOutput()
                part.pods = parts[i]
                if !(someWithout && n == 1) { part.digestPods() }
                joined.append(contentsOf: part)
            }
            let expected = PodDigests(of: joined.pods)
            #expect(joined.pods.map(\.name) == order.flatMap { parts[$0].map(\.name) })
            if someWithout && !parts[order[1]].isEmpty {
                // A part without digests among parts with pods: none are kept, and the correlator works them out.
                #expect(joined.podDigests == nil, "\(order)")
            } else {
                #expect(joined.podDigests == expected, "\(order)")
            }
        }
    }

    @Test func changingThePodsForgetsTheirDigests() {
        var output = ParseOutput()
        output.pods = Self.parts()[2]
        output.digestPods()
        #expect(output.podDigests != nil)
        output.pods[0].uid = "another"
        #expect(output.podDigests == nil)
        output.digestPods()
        output.pods.append(Self.pod("a", "b"))
        #expect(output.podDigests == nil)
    }

    /// What `ParsingConsumer` hands over from a member holding pods carries their digests.
    @Test func aPartOfPodsCarriesTheirDigests() {
        var consumer = ParsingConsumer()
        consumer.begin(ParseContext(path: "cluster-resources/pods/shop.json", kind: .apiJSON))
        let list = #"{"kind":"PodList","items":[{"metadata":{"name":"web","namespace":"shop","uid":"0F3C_2A4E"},"status":{"containerStatuses":[{"name":"app","containerID":"containerd://aa11"}]}}]}"#
        Array(list.utf8).withUnsafeBytes { consumer.feed($0) }
        consumer.end(damaged: false)
        let part = consumer.takePart()
        #expect(part.output.pods.count == 1)
        #expect(part.output.podDigests == PodDigests(of: part.output.pods))
        #expect(part.output.podDigests?.pods.first?.uid == PodDigests.digest("0f3c-2a4e"))
        #expect(part.output.podDigests?.containerIDs.map(\.digest) == [PodDigests.digest("aa11")])
    }

    /// Pod keys hash as their name digest and are equal only when both strings are.
    @Test func podKeysCompareTheirStrings() {
        let a = IdentityIndex.PodKey(namespace: "shop", name: "web")
        #expect(a == IdentityIndex.PodKey(namespace: "shop", name: "web"))
        #expect(a.digest == PodDigests.nameDigest(namespace: "shop", name: "web"))
        #expect(a != IdentityIndex.PodKey(namespace: "shopw", name: "eb"))
        #expect(a != IdentityIndex.PodKey(namespace: "web", name: "shop"))
        // Two different pods sharing a digest stay apart.
        let b = IdentityIndex.PodKey(namespace: "shop", name: "api", digest: a.digest)
        #expect(a != b)
        #expect(Set([a, b]).count == 2)
    }

    @Test func digestReadsEveryByte() {
        // Strings that differ in one byte, at every position and length up to 40 bytes (tail and words).
        for length in 1...40 {
            let base = [UInt8](repeating: UInt8(ascii: "a"), count: length)
            var seen: Set<UInt64> = [PodDigests.digest(String(decoding: base, as: UTF8.self))]
            for i in 0..<length {
                var changed = base
                changed[i] = UInt8(ascii: "b")
                seen.insert(PodDigests.digest(String(decoding: changed, as: UTF8.self)))
            }
            #expect(seen.count == length + 1, "length \(length)")
        }
        #expect(PodDigests.digest("abc") != PodDigests.digest("abc\0"))
    }

    /// `needsWork` eight bytes a step finds what the byte test finds, at every position and byte value.
    @Test func uidCheckAgreesWithTheByteTestAtEveryPositionAndValue() {
        var disagreements: [String] = []
        for length in [0, 1, 7, 8, 9, 15, 16, 17, 36] {
            for position in 0..<max(length, 1) where position < length || length == 0 {
                for value in UInt8.min...UInt8.max {
                    var bytes = Array("0123456789abcdef-0123456789abcdef-01".utf8.prefix(length))
                    if length > 0 { bytes[position] = value }
                    let fast = bytes.withUnsafeBytes { PodDigests.needsWork($0) }
                    if fast != bytes.contains(where: PodDigests.needsWork) {
                        disagreements.append("length \(length), byte \(value) at \(position)")
                    }
                }
            }
        }
        #expect(disagreements.isEmpty)
    }

    @Test func uidNormalizesAsLowercasingWithDashes() {
        for uid in ["9f1c2b7e-4a6d-4e2b-8c1a-0d3e5f7a9b1c", "9F1C2B7E_4A6D_4E2B_8C1A_0D3E5F7A9B1C", "pod_É_ü", "a", ""] {
            #expect(PodDigests.normalizeUID(uid) == String(uid.lowercased().map { $0 == "_" ? "-" : $0 }))
        }
    }
}
