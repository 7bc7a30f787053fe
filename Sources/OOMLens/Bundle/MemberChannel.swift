import Dispatch
import Synchronization

/// A bounded, ordered hand-over of bundle members from a reading thread to a parsing thread.
///
/// The reader side is a `MemberConsumer` (`MemberChannel.Sender`) that copies blocks into buffers of
/// about `bufferBytes` and sends `begin`/`data`/`end` events; the parsing side takes them in order with
/// `receive()` and gives spent buffers back with `recycle(_:)`. A block its decoder can lend
/// (`BlockLender`) is sent as a `lent` event instead, without copying, and given back by the parsing
/// side. At most `depth` events wait at once, so memory stays at about `depth × bufferBytes` however
/// large the bundle, and a slow side holds the other back instead of letting data pile up.
public final class MemberChannel: Sendable {
    /// What the reading side sends, in order.
    public enum Event: Sendable {
        /// A member starts; `order` is its place among all the bundle's members.
        case begin(ParseContext, order: Int)
        /// A member for the parsing side to read itself, from `MemberLocation`.
        case offload(ParseContext, MemberLocation, order: Int)
        case data([UInt8])
        /// A block read where the decoder left it; give it back to the lender once read.
        case lent(BlockLender.Loan)
        case end(damaged: Bool)
        /// The reader is done: no event follows.
        case finished(BundleSummary)
    }

    public let depth: Int
    public let bufferBytes: Int
    private let queue = Mutex(Queue())
    private let filled = DispatchSemaphore(value: 0)
    private let free: DispatchSemaphore

    private struct Queue: ~Copyable {
        var events: [Event] = []
        var head = 0
        var spare: [[UInt8]] = []
    }

    public init(depth: Int = 4, bufferBytes: Int = 128 * 1024) {
        self.depth = Swift.max(1, depth)
        self.bufferBytes = Swift.max(4096, bufferBytes)
        free = DispatchSemaphore(value: self.depth)
    }

    /// Sends one event, waiting while `depth` events are already waiting.
    func send(_ event: Event) {
        free.wait()
        queue.withLock { $0.events.append(event) }
        filled.signal()
    }

    /// The next event, waiting until there is one.
    public func receive() -> Event {
        filled.wait()
        let event = queue.withLock { q -> Event in
            let event = q.events[q.head]
            q.head += 1
            if q.head >= 64 || q.head == q.events.count {
                q.events.removeFirst(q.head)
                q.head = 0
            }
            return event
        }
        free.signal()
        return event
    }

    /// Gives a spent buffer back for the sender to fill again (emptied there, once no one else holds it,
    /// so its storage is kept rather than copied).
    public func recycle(_ buffer: consuming [UInt8]) {
        let spent = buffer
        queue.withLock { q in
            if q.spare.count < depth { q.spare.append(spent) }
        }
    }

    fileprivate func emptyBuffer() -> [UInt8] {
        if var buffer = queue.withLock({ $0.spare.popLast() }) {
            buffer.removeAll(keepingCapacity: true)
            return buffer
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(bufferBytes)
        return buffer
    }

    /// The reading side: a consumer that forwards members through the channel.
    public struct Sender: MemberConsumer {
        private let channel: MemberChannel
        private let lender: BlockLender?
        private var pending: [UInt8] = []
        /// The place of the next member, when the caller does not give it.
        private var order = 0

        public init(_ channel: MemberChannel) {
            self.init(channel, lender: nil)
        }

        /// A sender that lends blocks through `lender` where it can instead of copying them.
        init(_ channel: MemberChannel, lender: BlockLender?) {
            self.channel = channel
            self.lender = lender
        }

        public mutating func begin(_ context: ParseContext) {
            begin(context, order: order)
        }

        /// Starts a member at `order` among the bundle's members.
        public mutating func begin(_ context: ParseContext, order: Int) {
            channel.send(.begin(context, order: order))
            self.order = order + 1
        }

        /// Sends a member for the parsing side to read from `location`.
        public mutating func sendOffloaded(_ context: ParseContext, _ location: MemberLocation, order: Int) {
            channel.send(.offload(context, location, order: order))
            self.order = order + 1
        }

        /// Lends the block when the lender can (after sending what was copied before it); otherwise
        /// copies it into buffers of at most `bufferBytes`, sending each one that fills.
        public mutating func feed(_ block: UnsafeRawBufferPointer) {
            if let loan = lender?.lend(block) {
                flush()
                channel.send(.lent(loan))
                return
            }
            var offset = 0
            while offset < block.count {
                if pending.capacity == 0 { pending = channel.emptyBuffer() }
                let n = Swift.min(channel.bufferBytes - pending.count, block.count - offset)
                pending.append(contentsOf: block.slice(offset..<(offset + n)))
                offset += n
                if pending.count >= channel.bufferBytes { flush() }
            }
        }

        public mutating func end(damaged: Bool) {
            flush()
            channel.send(.end(damaged: damaged))
        }

        /// Sends the summary; the sender must not be used after.
        public mutating func finish(_ summary: BundleSummary) {
            flush()
            channel.send(.finished(summary))
        }

        private mutating func flush() {
            guard !pending.isEmpty else { return }
            let full = pending
            pending = []
            channel.send(.data(full))
        }
    }
}
