import Testing
@testable import OOMLens

/// `IdentityIndex` keys its tables by 64-bit digests and checks every hit against the id itself: it
/// must answer as an index keyed by the ids would, also when every id shares one digest.
@Suite struct IdentityIndexTests {
    static let idA = String(repeating: "a1", count: 32)
    static let idB = String(repeating: "b2", count: 32)
    static let idC = String(repeating: "c3", count: 32)

    /// Three pods: `web` holds idA (current) and idB (last); `api` holds idC; `dup` holds idA again,
    /// indexed later, so idA names `dup`.
    static func pods() -> [PodFacts] {
        let here = SourceLocation(file: "pods.json", line: 1)
        var web = PodFacts(namespace: "shop", name: "web", location: here)
        web.uid = "0f3c2a4e-1111-4b6e-9c1e-2f0a3b4c5d6e"
        web.node = "n1"
        var c1 = ContainerFacts(name: "nginx")
        c1.containerID = idA
        c1.lastContainerID = idB
        web.containers = [c1]
        var api = PodFacts(namespace: "shop", name: "api", location: here)
        api.uid = "7a8b9c0d-2222-4e5f-8a9b-0c1d2e3f4a5b"
        api.configHash = "5F2C1D3E4A5B6C7D8E9F0A1B2C3D4E5F"
        var c2 = ContainerFacts(name: "app")
        c2.containerID = idC
        api.containers = [ContainerFacts(name: "sidecar"), c2]
        var dup = PodFacts(namespace: "batch", name: "dup", location: here)
        var c3 = ContainerFacts(name: "job")
        c3.containerID = idA
        dup.containers = [c3]
        return [web, api, dup]
    }

    static func index(collide: Bool) -> IdentityIndex {
        let pods = pods()
        let digests = collide ? PodDigests(of: pods, digest: { _ in 42 }) : PodDigests(of: pods)
        let (byName, shared) = IdentityIndex.positions(digests)
        #expect(shared == collide)
        return collide
            ? IdentityIndex(pods: pods, digests: digests, byPodName: byName, digest: { _ in 42 })
            : IdentityIndex(pods: pods, digests: digests, byPodName: byName)
    }

    @Test(arguments: [false, true])
    func podsByNamespaceAndName(collide: Bool) {
        // With every name sharing one digest, the table holds the first pod and the others are found
        // by their names.
        let index = Self.index(collide: collide)
        #expect(index.facts(namespace: "shop", pod: "web")?.uid == "0f3c2a4e-1111-4b6e-9c1e-2f0a3b4c5d6e")
        #expect(index.facts(namespace: "shop", pod: "api")?.configHash == "5F2C1D3E4A5B6C7D8E9F0A1B2C3D4E5F")
        #expect(index.facts(namespace: "batch", pod: "dup")?.containers.map(\.name) == ["job"])
        #expect(index.facts(namespace: "batch", pod: "web") == nil)
        #expect(index.facts(namespace: "shop", pod: "dup") == nil)
        #expect(index.facts(namespace: "shop", pod: "we") == nil)
    }

    @Test(arguments: [false, true])
    func containersByFullAndShortID(collide: Bool) {
        var index = Self.index(collide: collide)
        #expect(index.container(Self.idA).map { "\($0.namespace)/\($0.pod)/\($0.container ?? "")" } == "batch/dup/job")
        #expect(index.container(Self.idB).map { "\($0.pod)/\($0.container ?? "")/\($0.node ?? "")" } == "web/nginx/n1")
        #expect(index.container(Self.idC).map { "\($0.pod)/\($0.container ?? "")" } == "api/app")
        // A docker ps id names what its full id names.
        #expect(index.container(String(Self.idA.prefix(12))).map(\.pod) == "dup")
        #expect(index.container(String(Self.idB.prefix(12))).map(\.pod) == "web")
        #expect(index.container(String(Self.idC.prefix(12))).map(\.pod) == "api")
        #expect(index.container(String(repeating: "d4", count: 32)) == nil)
        #expect(index.container(String(repeating: "d4", count: 6)) == nil)
        #expect(index.container("a1a1") == nil)  // too short to be an id prefix
        // Asked again, from what the first look-up found.
        #expect(index.container(String(Self.idA.prefix(12))).map(\.pod) == "dup")
        #expect(index.container(String(repeating: "d4", count: 6)) == nil)
    }

    /// The sorted ids find what a pass over every pod in order finds: the first id, in pod order, longer
    /// than the short one and beginning with it. Many ids share long prefixes, and some are the short
    /// id itself.
    @Test func shortIDsFindWhatAPassOverThePodsFinds() {
        var rng = XorShift(seed: 23)
        // Five stems of ten letters, then letters of two kinds: many ids begin alike.
        let stems = (0..<5).map { n in String(repeating: String(n), count: 10) }
        func id(_ length: Int) -> String {
            (stems.randomElement(using: &rng) ?? "")
                + String((10..<length).map { _ in "ab".randomElement(using: &rng) ?? "a" })
        }
        var pods: [PodFacts] = []
        for p in 0..<200 {
            var pod = PodFacts(namespace: "ns", name: "p\(p)", location: SourceLocation(file: "pods.json", line: p + 1))
            for c in 0..<Int.random(in: 0...3, using: &rng) {
                var container = ContainerFacts(name: "c\(c)")
                container.containerID = Bool.random(using: &rng) ? id(Int.random(in: 12...20, using: &rng)) : nil
                container.lastContainerID = Bool.random(using: &rng) ? id(Int.random(in: 12...20, using: &rng)) : ""
                pod.containers.append(container)
            }
            pods.append(pod)
        }
        let prefixes = ContainerIDPrefixes(pods)
        var found = 0
        var mismatches: [String] = []
        for _ in 0..<2_000 {
            let short = id(Int.random(in: 12...16, using: &rng))
            var expected: String?
            search: for pod in pods {
                for container in pod.containers {
                    for full in [container.containerID, container.lastContainerID] {
                        if let full, full.utf8.count > short.utf8.count, full.hasPrefix(short) {
                            expected = full
                            break search
                        }
                    }
                }
            }
            let answer = prefixes.first(startingWith: short)
            if answer != expected { mismatches.append("\(short): \(answer ?? "nil") against \(expected ?? "nil")") }
            if expected != nil { found += 1 }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        // The draw must hit ids, and miss some, for the comparison to mean anything.
        #expect(found > 100 && found < 1_900, "\(found) found")
    }

    @Test(arguments: [false, true])
    func podsByUIDAndConfigHash(collide: Bool) {
        let index = Self.index(collide: collide)
        #expect(index.pod(uid: "0f3c2a4e-1111-4b6e-9c1e-2f0a3b4c5d6e")?.pod == "web")
        // cgroup paths write the UID with underscores.
        #expect(index.pod(uid: "0f3c2a4e_1111_4b6e_9c1e_2f0a3b4c5d6e")?.pod == "web")
        #expect(index.pod(uid: "7a8b9c0d-2222-4e5f-8a9b-0c1d2e3f4a5b")?.pod == "api")
        #expect(index.pod(uid: "5f2c1d3e4a5b6c7d8e9f0a1b2c3d4e5f")?.pod == "api")
        #expect(index.pod(uid: "00000000-0000-0000-0000-000000000000") == nil)
    }
}
