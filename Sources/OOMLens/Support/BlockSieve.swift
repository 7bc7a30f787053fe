/// A `NeedleSet` run over a whole block for a parser that asks line by line: the next needle at or
/// after a line is found by resuming one vector scan of the block, never by scanning each line again.
///
///     var sieve = BlockSieve(LogRecordDispatcher.sieve)
///     sieve.start(block)                       // blockWillStart
///     if sieve.holdsNeedle(line) { … }         // a line of that block, or one stitched from two
///     let next = sieve.needle(from: offset)    // lines before it hold none
struct BlockSieve {
    let needles: NeedleSet
    /// The block being fed.
    private(set) var block = UnsafeRawBufferPointer(start: nil, count: 0)
    /// The offset of the first needle in `block` at or after the last offset asked about (-1 before the
    /// first scan, `Int.max` when there is none).
    private var nextNeedle = -1

    init(_ needles: NeedleSet) {
        self.needles = needles
    }

    mutating func start(_ block: UnsafeRawBufferPointer) {
        self.block = block
        nextNeedle = -1
    }

    /// The offset of the first needle in the block at or after `offset` (`Int.max` when there is none),
    /// scanning again only when the last one found lies before it.
    mutating func needle(from offset: Int) -> Int {
        if nextNeedle < offset { nextNeedle = needles.firstOccurrence(in: block, from: offset) ?? Int.max }
        return nextNeedle
    }

    /// True when the line holds a needle: from the block's scan for lines in it; a stitched line is
    /// scanned alone.
    mutating func holdsNeedle(_ line: Line) -> Bool {
        guard let offset = line.blockOffset else { return needles.occurs(in: line.bytes) }
        return needle(from: offset) < offset + line.bytes.count
    }
}
