import Foundation
import Synchronization
import Testing
@testable import OOMLens

/// Blocks lent by the zstd decoder to another thread keep their bytes until given back, however far
/// the decoding side runs ahead, and only blocks of the newest buffer are lent.
@Suite struct BlockLenderTests {
    /// Loans in the order made, for the reading side to hand to the test's thread without bound.
    final class Queue: Sendable {
        private let loans = Mutex<[BlockLender.Loan?]>([])
        private let ready = DispatchSemaphore(value: 0)

        func put(_ loan: BlockLender.Loan?) {
            loans.withLock { $0.append(loan) }
            ready.signal()
        }

        /// The next loan; nil once the reading side is done.
        func take() -> BlockLender.Loan? {
            ready.wait()
            return loans.withLock { $0.removeFirst() }
        }
    }

    /// Decodes `file` on another thread, lending every buffer in two halves through an unbounded
    /// queue; this thread reads them slowly (a pause every `pauseEvery` loans) and gives them back.
    /// Returns the bytes read and the number of loans.
    static func readLent(_ file: [UInt8], outputSize: Int, pauseEvery: Int) throws -> (bytes: [UInt8], loans: Int) {
        let temp = try TempBundle()
        defer { temp.remove() }
        let path = Array(try temp.write("f.zst", file).utf8CString)
        let lender = BlockLender()
        let queue = Queue()
        let opened = Atomic<Bool>(false)
        let reader = Thread {
            if var decoder = ZstdDecoder(path: path, outputSize: outputSize, lender: lender) {
                opened.store(true, ordering: .relaxed)
                while let buffer = try? decoder.next(), !buffer.isEmpty {
                    let half = buffer.count / 2
                    for part in [buffer.slice(0..<half), buffer.slice(half..<buffer.count)] where !part.isEmpty {
                        queue.put(lender.lend(part))
                    }
                }
            }  // the decoder's deinit waits for every loan to come back before freeing its ring
            queue.put(nil)
        }
        reader.start()
        var bytes: [UInt8] = []
        var count = 0
        while let loan = queue.take() {
            count += 1
            if count % pauseEvery == 0 { usleep(2_000) }
            loan.withBytes { bytes.append(contentsOf: $0) }
            lender.giveBack(loan)
        }
        let wasOpened = opened.load(ordering: .relaxed)
        #expect(wasOpened)
        #expect(lender.loansMade == count)
        return (bytes, count)
    }

    /// 20 copies of the decoder tests' text (12.5 MB) wrap a 1 MiB window's lending ring (4.3 MB) almost
    /// three times; read slowly, the decoder would write over loans not yet read unless it waited.
    @Test(arguments: [256 << 10, 4_093])
    func lentBlocksKeepTheirBytesUntilGivenBack(outputSize: Int) throws {
        var long: [UInt8] = []
        for _ in 0..<20 { long += ZstdDecoderTests.text }
        let (bytes, loans) = try Self.readLent(ZstdDecoderTests.zstd(long, windowLog: 20), outputSize: outputSize,
                                               pauseEvery: outputSize > 65_536 ? 3 : 97)
        #expect(loans > 2 * long.count / (outputSize + (128 << 10)))
        try #require(bytes.count == long.count)
        // Compared here, not in `#expect`, which would diff 12.5 MB arrays on a failure.
        let firstDifference = bytes.indices.first { bytes[$0] != long[$0] }
        #expect(firstDifference == nil)
    }

    @Test func onlyBlocksOfTheNewestBufferAreLent() {
        let lender = BlockLender()
        let first = UnsafeMutableRawBufferPointer.allocate(byteCount: 1_000, alignment: 8)
        let second = UnsafeMutableRawBufferPointer.allocate(byteCount: 1_000, alignment: 8)
        defer {
            first.deallocate()
            second.deallocate()
        }
        lender.handedOut(UnsafeRawBufferPointer(first), end: 1_000)
        let loan = lender.lend(UnsafeRawBufferPointer(first).slice(100..<300))
        #expect(loan?.count == 200)
        #expect(loan?.end == 300)
        #expect(lender.lend(UnsafeRawBufferPointer(second)) == nil)  // not handed out
        #expect(lender.lend(UnsafeRawBufferPointer(first).slice(900..<1_000)).map(\.end) == 1_000)
        lender.handedOut(UnsafeRawBufferPointer(second), end: 2_000)
        #expect(lender.lend(UnsafeRawBufferPointer(first).slice(0..<10)) == nil)  // an older buffer
        #expect(lender.lend(UnsafeRawBufferPointer(second).slice(0..<10))?.end == 1_010)
        #expect(lender.lend(UnsafeRawBufferPointer(start: nil, count: 0)) == nil)
        #expect(lender.loansMade == 3)
    }

    @Test func theDecodingSideWaitsForTheLoansItWouldOverwrite() {
        let lender = BlockLender()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 100, alignment: 8)
        defer { buffer.deallocate() }
        lender.handedOut(UnsafeRawBufferPointer(buffer), end: 100)
        guard let early = lender.lend(UnsafeRawBufferPointer(buffer).slice(0..<50)),
              let late = lender.lend(UnsafeRawBufferPointer(buffer).slice(50..<100))
        else {
            Issue.record("not lent")
            return
        }
        lender.awaitReturns(endingBefore: 50)  // nothing ends before 50: no wait
        let waited = Atomic<Int>(0)
        let done = DispatchSemaphore(value: 0)
        let decoding = Thread {
            lender.awaitReturns(endingBefore: 60)  // the first loan (ending at 50) must come back
            waited.store(1, ordering: .releasing)
            lender.awaitAllReturned()
            waited.store(2, ordering: .releasing)
            done.signal()
        }
        decoding.start()
        usleep(20_000)
        let before = waited.load(ordering: .acquiring)
        #expect(before == 0)
        lender.giveBack(early)
        while waited.load(ordering: .acquiring) < 1 { usleep(1_000) }
        usleep(20_000)
        let between = waited.load(ordering: .acquiring)
        #expect(between == 1)
        lender.giveBack(late)
        done.wait()
        let after = waited.load(ordering: .acquiring)
        #expect(after == 2)
    }
}

