#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The pods' container ids sorted by their UTF-8 bytes, each with its place in pod order: finds the
/// first id, in pod order, that begins with a short id (`docker ps` writes 12 hex digits) by a binary
/// search instead of a pass over every pod.
///
/// A pass per short id made a bundle of 20,000 Docker events with unknown short ids and a
/// 40,000-pod PodList take 348 s; ids that share a prefix are next to each other here, so a look-up
/// reads only them.
struct ContainerIDPrefixes {
    /// An id and its place among the ids in pod order (pod by pod, container by container, the current
    /// id before the last one).
    private struct Entry {
        var id: String
        var order: Int
    }

    private var entries: [Entry] = []

    /// The non-empty container ids and last container ids of `pods`.
    init(_ pods: [PodFacts]) {
        for pod in pods.indices {
            for container in pods[pod].containers {
                for id in [container.containerID, container.lastContainerID] {
                    if let id, !id.isEmpty { entries.append(Entry(id: id, order: entries.count)) }
                }
            }
        }
        entries.sort { a, b in
            Self.withBytes(a.id) { x in Self.withBytes(b.id) { y in Self.compare(x, y) < 0 } }
        }
    }

    /// The first id in pod order that is longer than `prefix` and begins with its bytes; nil when none does.
    func first(startingWith prefix: String) -> String? {
        Self.withBytes(prefix) { p in
            // The first entry not below the prefix: every id beginning with it follows, together.
            var best: Entry?
            var i = entries.partitionPoint { entry in Self.withBytes(entry.id) { Self.compare($0, p) >= 0 } }
            while i < entries.count {
                let (begins, longer) = Self.withBytes(entries[i].id) { id in
                    (id.count >= p.count && Self.compare(UnsafeBufferPointer(rebasing: id[..<p.count]), p) == 0,
                     id.count > p.count)
                }
                guard begins else { break }
                if longer, entries[i].order < best?.order ?? .max { best = entries[i] }
                i += 1
            }
            return best?.id
        }
    }

    /// The string's UTF-8 bytes, in place when it is stored contiguously.
    private static func withBytes<R>(_ string: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = string.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(string.utf8).withUnsafeBufferPointer(body)
    }

    /// Byte order, a shorter text before a longer one that begins with it: negative, zero or positive.
    private static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let common = Swift.min(a.count, b.count)
        if common > 0, let x = a.baseAddress, let y = b.baseAddress {
            let order = memcmp(x, y, common)
            if order != 0 { return Int(order) }
        }
        return a.count - b.count
    }
}
