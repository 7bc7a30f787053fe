import Dispatch
import Synchronization

/// Lends the blocks a decoder hands out to the parsing thread where they lie, instead of having them
/// copied into `MemberChannel`'s buffers.
///
/// A decoder whose buffer leaves a block untouched for a while after handing it out (`ZstdDecoder`'s
/// ring: `lendingReach` more bytes) reports each buffer it hands out (`handedOut`) and, before it
/// decodes more, waits until every loan the next bytes could overwrite has come back
/// (`awaitReturns(endingBefore:)`), and until all have before its buffer is replaced or freed
/// (`awaitAllReturned`). The reading thread lends a block that lies in the newest buffer (`lend`); the
/// parsing thread reads it and gives it back (`giveBack`), in the order the loans were made. So the
/// decoder never writes over bytes still being read, and the parsing thread never reads bytes the decoder
/// has moved past, however far behind it falls.
public final class BlockLender: Sendable {
    /// A block lent to the parsing thread: valid until it is given back.
    public struct Loan: Sendable {
        /// The block's address as an integer, so that the loan can cross threads; the lender's protocol
        /// (see the type's description) is what keeps the bytes there.
        let address: UInt
        let count: Int
        /// The offset in the decoded stream just past the block.
        let end: Int64

        /// Calls `body` with the lent bytes.
        func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
            body(UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: address), count: count))
        }
    }

    /// The reading thread's side: the newest buffer and the ends of the loans not yet known returned.
    private struct Lending {
        var newest: (address: UInt, count: Int, end: Int64)?
        var outstanding: [Int64] = []
        var first = 0
    }

    private let lending = Mutex(Lending())
    /// The end of the last loan given back (loans come back in the order they were made).
    private let returnedThrough = Atomic<Int64>(0)
    private let returned = DispatchSemaphore(value: 0)
    /// Loans made so far (for tests and traces).
    private let lent = Atomic<Int>(0)

    public init() {}

    /// The number of loans made so far.
    public var loansMade: Int { lent.load(ordering: .relaxed) }

    // MARK: The decoder (reading thread)

    /// Notes the buffer just handed out, which ends at offset `end` of the decoded stream.
    func handedOut(_ buffer: UnsafeRawBufferPointer, end: Int64) {
        lending.withLock { state in
            guard let base = buffer.baseAddress, !buffer.isEmpty else {
                state.newest = nil
                return
            }
            state.newest = (UInt(bitPattern: base), buffer.count, end)
        }
    }

    /// Waits until every loan that ends before `threshold` has been given back.
    func awaitReturns(endingBefore threshold: Int64) {
        while lending.withLock({ state in
            let returned = returnedThrough.load(ordering: .acquiring)
            while state.first < state.outstanding.count, state.outstanding[state.first] <= returned {
                state.first += 1
            }
            if state.first == state.outstanding.count {
                state.outstanding.removeAll(keepingCapacity: true)
                state.first = 0
                return false
            }
            return state.outstanding[state.first] < threshold
        }) {
            returned.wait()
        }
    }

    /// Waits until every loan has been given back, and forgets the newest buffer (it is about to be
    /// replaced or freed).
    func awaitAllReturned() {
        awaitReturns(endingBefore: .max)
        lending.withLock { $0.newest = nil }
    }

    // MARK: The reading thread's consumer

    /// A loan of `block` when it lies in the newest buffer handed out; nil otherwise (the block is then
    /// copied: a member's head, libarchive's own buffer, an inflater that does not lend).
    func lend(_ block: UnsafeRawBufferPointer) -> Loan? {
        guard let base = block.baseAddress, !block.isEmpty else { return nil }
        let address = UInt(bitPattern: base)
        let loan: Loan? = lending.withLock { state in
            guard let newest = state.newest, address >= newest.address,
                  address + UInt(block.count) <= newest.address + UInt(newest.count)
            else { return nil }
            let end = newest.end - Int64(newest.address + UInt(newest.count) - (address + UInt(block.count)))
            state.outstanding.append(end)
            return Loan(address: address, count: block.count, end: end)
        }
        if loan != nil { lent.add(1, ordering: .relaxed) }
        return loan
    }

    // MARK: The parsing thread

    /// Gives a loan back once its bytes have been read.
    func giveBack(_ loan: Loan) {
        returnedThrough.store(loan.end, ordering: .releasing)
        returned.signal()
    }
}
