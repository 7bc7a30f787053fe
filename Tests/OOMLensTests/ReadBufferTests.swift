import Testing
@testable import OOMLens

@Suite struct ReadBufferTests {
    /// Buffers made after the allocator has handed out and taken back blocks of many sizes still start
    /// on a page.
    @Test func startsOnAPageWhateverCameBefore() {
        var kept: [[UInt8]] = []
        for size in [100, 200_000, 1 << 20, 3 << 20, 48, 1 << 20 + 16] {
            kept.append([UInt8](repeating: 1, count: size))
            let buffer = ReadBuffer()
            #expect(Int(bitPattern: buffer.bytes.baseAddress) % 4096 == 0)
            #expect(buffer.bytes.count == 1 << 20)
            if size > 100_000 { kept.removeLast() }
        }
        #expect(kept.count == 2)
    }

    @Test func prefixIsWhatWasWritten() {
        let buffer = ReadBuffer(count: 64)
        for i in 0..<64 { buffer.bytes[i] = UInt8(i) }
        #expect(Array(buffer.prefix(5)) == [0, 1, 2, 3, 4])
        #expect(buffer.prefix(0).isEmpty)
        #expect(buffer.prefix(100).count == 64)
    }
}
