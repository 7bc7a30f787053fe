/// Decides, bundle by bundle in discovery order, what a batch run does with each: analyse it, or skip
/// it because it belongs to another shard, is already done, repeats the content of an earlier path,
/// or could not be read.
///
/// A bundle is done when the index's newest line for its SHA-256 is `ok` and was written by this
/// version of oomlens; `force` redoes such bundles. The first path with a given content wins.
public struct BatchPlanner: Sendable {
    /// What to do with one bundle.
    public enum Decision: Sendable, Hashable {
        case analyse(id: String)
        case otherShard
        case alreadyDone
        case duplicate(of: String)
        case unreadable(String)
    }

    /// How many bundles each decision took so far.
    public struct Tally: Sendable, Hashable {
        public var analyse = 0
        public var otherShard = 0
        public var alreadyDone = 0
        public var duplicate = 0
        public var unreadable = 0
    }

    public let shard: ShardSelector
    public let force: Bool
    public let toolVersion: String
    private let index: BatchIndex
    private var seen: [String: String] = [:]
    public private(set) var tally = Tally()

    public init(index: BatchIndex, shard: ShardSelector = .all, force: Bool = false, toolVersion: String = OOMLensVersion.version) {
        self.index = index
        self.shard = shard
        self.force = force
        self.toolVersion = toolVersion
    }

    public mutating func decide(_ candidate: BundleDiscovery.Candidate,
                                _ fingerprint: Result<BundleFingerprint, BatchError>) -> Decision {
        let decision = choose(candidate, fingerprint)
        switch decision {
        case .analyse: tally.analyse += 1
        case .otherShard: tally.otherShard += 1
        case .alreadyDone: tally.alreadyDone += 1
        case .duplicate: tally.duplicate += 1
        case .unreadable: tally.unreadable += 1
        }
        return decision
    }

    private mutating func choose(_ candidate: BundleDiscovery.Candidate,
                                 _ fingerprint: Result<BundleFingerprint, BatchError>) -> Decision {
        let print: BundleFingerprint
        switch fingerprint {
        case .failure(let error): return .unreadable(error.message)
        case .success(let value): print = value
        }
        guard shard.contains(sha256: print.sha256) else { return .otherShard }
        if let first = seen[print.sha256] { return .duplicate(of: first) }
        seen[print.sha256] = candidate.path
        if !force, index.isDone(sha256: print.sha256, toolVersion: toolVersion) { return .alreadyDone }
        return .analyse(id: BundleID.make(path: candidate.path, sha256: print.sha256))
    }
}
