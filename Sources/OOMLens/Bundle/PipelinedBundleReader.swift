import Foundation

/// Reads a bundle on a thread of its own while the calling thread consumes its members: decompression
/// and parsing run on two cores at once.
///
/// `BundleReader` runs unchanged on the reading thread and sends every member's blocks through a
/// bounded `MemberChannel`; the consumer sees exactly the calls it would see from `BundleReader`
/// itself, in the same order, on the calling thread. Memory held between the two is bounded by the
/// channel (four buffers of 128 KiB by default).
public struct PipelinedBundleReader {
    public var limits: BundleLimits
    public var depth: Int
    public var bufferBytes: Int

    public init(limits: BundleLimits = BundleLimits(), depth: Int = 4, bufferBytes: Int = 128 * 1024) {
        self.limits = limits
        self.depth = depth
        self.bufferBytes = bufferBytes
    }

    /// The processors this process may run on: on Linux its affinity mask (`Cpus_allowed` in
    /// `/proc/self/status`, which `taskset` and container CPU sets narrow).
    public static func availableProcessors() -> Int {
        let all = ProcessInfo.processInfo.activeProcessorCount
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") })
        else { return all }
        let mask = line.dropFirst("Cpus_allowed:".count).filter { $0.isHexDigit }
        let allowed = mask.reduce(0) { $0 + (Int(String($1), radix: 16) ?? 0).nonzeroBitCount }
        return allowed > 0 ? Swift.min(allowed, all) : all
    }

    /// True when reading `path` on a second thread pays: the process may use two processors and the
    /// file is compressed (gzip, zstd, xz, bzip2 or zip), so decompressing costs about as much as
    /// parsing. For a plain tar, a directory or a plain log the copy through the channel would cost
    /// what the second thread saves.
    public static func pays(for path: String) -> Bool {
        guard availableProcessors() > 1, let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 8), head.count >= 2 else { return false }
        let bytes = Array(head)
        if bytes[0] == 0x50, bytes[1] == 0x4B { return true }  // zip: members are deflated one by one
        return bytes.withUnsafeBytes { FileRecognizer.archiveMagic($0) } == true
    }

    /// Reads `path` into `consumer` on a second thread when that is allowed and `pays(for:)`, else on
    /// this one.
    public static func read<C: MemberConsumer>(
        _ path: String, limits: BundleLimits, secondThread: Bool = true, into consumer: inout C
    ) -> BundleSummary {
        if secondThread, pays(for: path) { return PipelinedBundleReader(limits: limits).read(path, into: &consumer) }
        var reader = BundleReader(limits: limits)
        return reader.read(path, into: &consumer)
    }

    /// Reads `path` into `consumer`, returning what `BundleReader.read` returns.
    public func read<C: MemberConsumer>(_ path: String, into consumer: inout C) -> BundleSummary {
        let channel = MemberChannel(depth: depth, bufferBytes: bufferBytes)
        let limits = self.limits
        let thread = Thread {
            var reader = BundleReader(limits: limits)
            var sender = MemberChannel.Sender(channel)
            let summary = reader.read(path, into: &sender)
            sender.finish(summary)
        }
        thread.name = "oomlens-reader"
        thread.start()
        while true {
            let event = channel.receive()
            switch consume event {
            case .begin(let context):
                consumer.begin(context)
            case .data(let buffer):
                buffer.withUnsafeBytes { consumer.feed($0) }
                channel.recycle(buffer)
            case .end(let damaged):
                consumer.end(damaged: damaged)
            case .finished(let summary):
                return summary
            }
        }
    }
}
