import Dispatch
import Foundation
import Synchronization

/// Reads a bundle whose members can be read on their own — a directory, a plain tar file — on two
/// threads, each parsing different members at once.
///
/// `BundleReader` walks the bundle on a thread of its own and parses members there, except that while
/// the calling thread is idle it offers it the next large member (`MemberConsumer.offload(_:from:)`):
/// the calling thread reads that member's bytes from their place in the file and parses them while the
/// walk goes on. Each member is parsed whole by one consumer; their parts are absorbed into the
/// caller's consumer in member order, so the result is the one a single thread would give. Memory is
/// two parsers' and two read buffers, whatever the bundle's size.
public struct ParallelBundleReader {
    public var limits: BundleLimits

    public init(limits: BundleLimits = BundleLimits()) {
        self.limits = limits
    }

    /// Reads `path` into `consumer`, returning what `BundleReader.read` returns.
    public func read<C: DivisibleConsumer>(_ path: String, into consumer: inout C) -> BundleSummary {
        let board = Board<C.Part>()
        let recipe = consumer.recipe
        let limits = self.limits
        let thread = Thread {
            var dealer = Dealer<C>(board: board, local: C(recipe: recipe))
            var reader = BundleReader(limits: limits)
            let summary = reader.read(path, into: &dealer)
            board.finish(summary, parts: &dealer.parts)
        }
        thread.name = "oomlens-reader"
        thread.start()

        var worker = C(recipe: recipe)
        var parts: [(order: Int, part: C.Part)] = []
        var outcomes: [(location: MemberLocation, outcome: MemberLocation.Outcome)] = []
        let buffer = ReadBuffer()
        while let ticket = board.next() {
            worker.begin(ticket.context)
            let outcome = ticket.location.read(using: buffer, limits: limits) { worker.feed($0) }
            worker.end(damaged: outcome.failure != nil)
            parts.append((ticket.order, worker.takePart()))
            outcomes.append((ticket.location, outcome))
            board.done()
        }
        var (summary, readerParts) = board.result()
        for (location, outcome) in outcomes { summary.settle(location, outcome) }
        parts.append(contentsOf: consume readerParts)
        consumer.absorb(inOrder: consume parts)
        return summary
    }
}

/// A member offered to the calling thread.
private struct Ticket: Sendable {
    var order: Int
    var context: ParseContext
    var location: MemberLocation
}

/// Where the walking thread leaves offloaded members and, at the end, what it read itself.
private final class Board<Part: Sendable>: Sendable {
    private struct State: ~Copyable {
        var tickets: [Ticket] = []
        /// Tickets taken and not yet done, or waiting.
        var outstanding = 0
        var result: (BundleSummary, [(order: Int, part: Part)])?
    }

    private let state = Mutex(State())
    private let posted = DispatchSemaphore(value: 0)

    /// Leaves a member for the calling thread if it has none: true when it was taken.
    func offer(_ ticket: Ticket) -> Bool {
        let taken = state.withLock { s -> Bool in
            guard s.outstanding == 0 else { return false }
            s.tickets.append(ticket)
            s.outstanding += 1
            return true
        }
        if taken { posted.signal() }
        return taken
    }

    /// The next member to read, waiting for one; nil once the walk has finished and none is left.
    func next() -> Ticket? {
        posted.wait()
        return state.withLock { s in s.tickets.isEmpty ? nil : s.tickets.removeFirst() }
    }

    /// The member taken last has been read.
    func done() {
        state.withLock { $0.outstanding -= 1 }
    }

    /// The walk is over: what it returned and the parts of the members it parsed itself, moved out of
    /// `parts` (so that the calling thread holds them alone and can take their arrays whole).
    func finish(_ summary: BundleSummary, parts: inout [(order: Int, part: Part)]) {
        state.withLock { s in
            var taken: [(order: Int, part: Part)] = []
            swap(&taken, &parts)
            s.result = (summary, taken)
        }
        posted.signal()
    }

    /// What `finish` left, taken out of the board; call after `next()` returned nil.
    func result() -> (BundleSummary, [(order: Int, part: Part)]) {
        state.withLock { s in
            defer { s.result = nil }
            return s.result ?? (BundleSummary(source: "", format: "unreadable"), [])
        }
    }
}

/// The walking thread's consumer: parses members itself, offloading large ones while the calling
/// thread is idle, and numbers every member so that the parts can be put back in order.
private struct Dealer<C: DivisibleConsumer>: MemberConsumer {
    let board: Board<C.Part>
    var local: C
    var order = 0
    var parts: [(order: Int, part: C.Part)] = []

    mutating func offload(_ context: ParseContext, from location: MemberLocation) -> Bool {
        guard board.offer(Ticket(order: order, context: context, location: location)) else { return false }
        order += 1
        return true
    }

    mutating func begin(_ context: ParseContext) { local.begin(context) }

    mutating func feed(_ block: UnsafeRawBufferPointer) { local.feed(block) }

    mutating func end(damaged: Bool) {
        local.end(damaged: damaged)
        parts.append((order, local.takePart()))
        order += 1
    }
}
