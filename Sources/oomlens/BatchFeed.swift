import Foundation
import OOMLens
import Synchronization

/// Feeds `oomlens batch`'s runner: a background thread hashes the discovered bundles in order while
/// the runner is already analysing the first ones, and the planner decides each hashed bundle's fate
/// (analyse, other shard, already done, duplicate, unreadable) in discovery order.
///
/// Hashing ahead is what lets a batch start at once on a large archive and keeps the parent's own
/// work (reading every byte once) off the critical path of the children.
struct BatchFeed {
    /// What the runner gets next.
    enum Next {
        case job(BatchRunner.Job)
        /// A bundle that is not analysed, and why.
        case skipped(BundleDiscovery.Candidate, BatchPlanner.Decision)
        /// The next bundle is still being hashed.
        case pending
        case exhausted
    }

    /// Hash results shared with the hashing thread.
    final class Hashes: Sendable {
        private let results: Mutex<[Result<BundleFingerprint, BatchError>?]>
        private let finished = Atomic<Int>(0)

        init(count: Int) {
            results = Mutex(Array(repeating: nil, count: count))
        }

        func set(_ i: Int, _ result: Result<BundleFingerprint, BatchError>) {
            results.withLock { $0[i] = result }
            _ = finished.add(1, ordering: .releasing)
        }

        func get(_ i: Int) -> Result<BundleFingerprint, BatchError>? {
            results.withLock { $0[i] }
        }

        /// How many bundles are hashed.
        var count: Int { finished.load(ordering: .acquiring) }
    }

    let candidates: [BundleDiscovery.Candidate]
    private let hashes: Hashes
    private(set) var planner: BatchPlanner
    private var cursor = 0

    init(candidates: [BundleDiscovery.Candidate], planner: BatchPlanner) {
        self.candidates = candidates
        self.planner = planner
        self.hashes = Hashes(count: candidates.count)
    }

    /// Starts hashing on a background thread; it stops early when a signal asks the batch to stop.
    func start() {
        let candidates = self.candidates, hashes = self.hashes
        let thread = Thread {
            for (i, candidate) in candidates.enumerated() {
                if SignalWatch.stopRequested { return }
                hashes.set(i, BundleFingerprint.compute(candidate))
                SignalWatch.wake()
            }
        }
        thread.name = "oomlens-hash"
        thread.start()
    }

    /// Bundles hashed so far, of all discovered.
    var hashed: (done: Int, of: Int) { (hashes.count, candidates.count) }

    /// The next bundle, in discovery order.
    mutating func next() -> Next {
        guard cursor < candidates.count else { return .exhausted }
        guard let fingerprint = hashes.get(cursor) else { return .pending }
        let candidate = candidates[cursor]
        cursor += 1
        let decision = planner.decide(candidate, fingerprint)
        guard case .analyse(let id) = decision, case .success(let print) = fingerprint else {
            return .skipped(candidate, decision)
        }
        return .job(BatchRunner.Job(candidate: candidate, fingerprint: print, id: id))
    }
}
