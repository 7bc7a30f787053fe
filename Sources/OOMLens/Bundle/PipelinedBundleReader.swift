import Foundation
import Synchronization

/// Reads a bundle on a thread of its own while the calling thread consumes its members: decompression
/// and parsing run on two cores at once.
///
/// `BundleReader` runs on the reading thread and sends every member's blocks through a bounded
/// `MemberChannel`; the consumer (one that can be divided by member, `DivisibleConsumer`) ends up with
/// what it would have made of `BundleReader`'s calls on one thread. Memory held between the two is
/// bounded by the channel (four buffers of 128 KiB by default). A zstd bundle's blocks are not copied
/// into those buffers but lent where the decoder left them (`BlockLender`): the reading thread, which
/// sets the pace once the calling thread is free, then only decodes.
///
/// The calling thread is also spared the wait behind a member that costs far more to parse than to decompress — a large PodList near the start of a
/// `.tar.gz`: the calling thread reads that member again itself (`MemberLocation.Storage
/// .compressedArchive`, decompressing the little that comes before it once more) and parses it, while
/// the reading thread passes over it and parses the members after it itself until the calling thread
/// is free again. Parts are absorbed in member order: the result is the one a single thread gives.
public struct PipelinedBundleReader {
    public var limits: BundleLimits
    public var depth: Int
    public var bufferBytes: Int

    public init(limits: BundleLimits = BundleLimits(), depth: Int = 4, bufferBytes: Int = 128 * 1024) {
        self.limits = limits
        self.depth = depth
        self.bufferBytes = bufferBytes
    }

    /// Reads `path` into `consumer`, dividing its members between the two threads where that pays (see
    /// the type's description); returns what `BundleReader.read` returns.
    public func read<C: DivisibleConsumer>(_ path: String, into consumer: inout C) -> BundleSummary {
        read(path, into: &consumer, lender: BlockLender())
    }

    /// `read(_:into:)` lending blocks through `lender` (which tests look at afterwards).
    func read<C: DivisibleConsumer>(_ path: String, into consumer: inout C, lender: BlockLender) -> BundleSummary {
        let channel = MemberChannel(depth: depth, bufferBytes: bufferBytes)
        let shared = SharedWork<C.Part>()
        let recipe = consumer.recipe
        let limits = self.limits
        let thread = Thread {
            var feeder = Feeder<C>(
                sender: MemberChannel.Sender(channel, lender: lender), shared: shared, local: C(recipe: recipe))
            var reader = BundleReader(limits: limits)
            reader.lender = lender
            let summary = reader.read(path, into: &feeder)
            shared.finish(&feeder.parts)
            feeder.sender.finish(summary)
        }
        thread.name = "oomlens-reader"
        thread.start()

        var worker = C(recipe: recipe)
        var parts: [(order: Int, part: C.Part)] = []
        var current = 0
        var buffer: ReadBuffer?
        var outcomes: [(MemberLocation, MemberLocation.Outcome)] = []
        while true {
            let event = channel.receive()
            switch consume event {
            case .begin(let context, let order):
                current = order
                worker.begin(context)
            case .data(let buffer):
                buffer.withUnsafeBytes { worker.feed($0) }
                channel.recycle(buffer)
            case .lent(let loan):
                loan.withBytes { worker.feed($0) }
                lender.giveBack(loan)
            case .end(let damaged):
                worker.end(damaged: damaged)
                parts.append((current, worker.takePart()))
            case .offload(let context, let location, let order):
                worker.begin(context)
                let reading = buffer ?? ReadBuffer()
                buffer = reading
                let outcome = location.read(using: reading, limits: limits) { worker.feed($0) }
                worker.end(damaged: outcome.failure != nil)
                parts.append((order, worker.takePart()))
                outcomes.append((location, outcome))
                shared.busy.store(false, ordering: .releasing)
            case .finished(var summary):
                for (location, outcome) in outcomes { summary.settle(location, outcome) }
                parts.append(contentsOf: shared.takeParts())
                consumer.absorb(inOrder: consume parts)
                return summary
            }
        }
    }
}

/// What the two threads share besides the channel: whether the calling thread is reading an offloaded
/// member, and the parts of the members the reading thread parsed itself.
private final class SharedWork<Part: Sendable>: Sendable {
    let busy = Atomic<Bool>(false)
    private let parts = Mutex<[(order: Int, part: Part)]>([])

    /// Hands over the reading thread's parts, moved out of `readerParts` (so that the calling thread
    /// holds them alone and can take their arrays whole).
    func finish(_ readerParts: inout [(order: Int, part: Part)]) {
        parts.withLock { swap(&$0, &readerParts) }
    }

    func takeParts() -> [(order: Int, part: Part)] {
        parts.withLock { held in
            var taken: [(order: Int, part: Part)] = []
            swap(&taken, &held)
            return taken
        }
    }
}

/// The reading thread's consumer: sends members through the channel, offloads large members costly to
/// parse while the calling thread is free, and parses members itself while it is not.
private struct Feeder<C: DivisibleConsumer>: MemberConsumer {
    var sender: MemberChannel.Sender
    let shared: SharedWork<C.Part>
    var local: C
    var parts: [(order: Int, part: C.Part)] = []
    private var order = 0
    /// The current member is parsed here, not sent.
    private var parsingHere = false

    init(sender: MemberChannel.Sender, shared: SharedWork<C.Part>, local: C) {
        self.sender = sender
        self.shared = shared
        self.local = local
    }

    mutating func offload(_ context: ParseContext, from location: MemberLocation) -> Bool {
        guard context.kind.isCostlyToParse, !shared.busy.load(ordering: .acquiring) else { return false }
        shared.busy.store(true, ordering: .releasing)
        sender.sendOffloaded(context, location, order: order)
        order += 1
        return true
    }

    mutating func begin(_ context: ParseContext) {
        parsingHere = shared.busy.load(ordering: .acquiring)
        if parsingHere { local.begin(context) } else { sender.begin(context, order: order) }
        order += 1
    }

    mutating func feed(_ block: UnsafeRawBufferPointer) {
        if parsingHere { local.feed(block) } else { sender.feed(block) }
    }

    mutating func end(damaged: Bool) {
        if parsingHere {
            local.end(damaged: damaged)
            parts.append((order - 1, local.takePart()))
        } else {
            sender.end(damaged: damaged)
        }
    }
}
