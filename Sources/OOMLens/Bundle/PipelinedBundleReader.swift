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
