#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a stream of byte blocks into lines with `memchr`, without copying except for a line
/// that straddles two blocks, which is stitched in one reused carry buffer.
///
/// A trailing `\r` is removed (CRLF files). A line longer than `maxLineBytes` is cut: its first
/// `maxLineBytes` bytes are delivered once with `wasCut = true`, the rest is skipped and counted.
/// Before each line that starts in the block, `passOver` may name lines not to deliver (counted, not
/// split): at most `maxLineBytes` bytes, so no line passed over is one that would have been cut.
public struct LineSplitter {
    public let maxLineBytes: Int
    private var carry: [UInt8] = []
    /// Inside a line that was already cut: skip bytes until its newline.
    private var skippingCutLine = false
    public private(set) var lineNumber = 0
    public private(set) var cutLines = 0
    public private(set) var cutBytes: Int64 = 0
    /// The first few cut lines, for warnings.
    public private(set) var cutLineNumbers: [Int] = []

    public init(maxLineBytes: Int = 1 << 20) {
        self.maxLineBytes = maxLineBytes
    }

    /// Calls `body` once per complete line found in `block`, except lines that `passOver` (given the
    /// offset of the next line, its number and the most bytes it may pass) answers for with the offset
    /// just past them and their count.
    public mutating func feed(
        _ block: UnsafeRawBufferPointer,
        passOver: (_ offset: Int, _ number: Int, _ limit: Int) -> (end: Int, lines: Int)? = { _, _, _ in nil },
        _ body: (Line) -> Void
    ) {
        guard let base = block.baseAddress, block.count > 0 else { return }
        var cursor = base
        let end = base + block.count
        while cursor < end {
            if carry.isEmpty, !skippingCutLine, let skip = passOver(cursor - base, lineNumber + 1, maxLineBytes),
               skip.lines > 0, skip.end > cursor - base, skip.end <= block.count, skip.end - (cursor - base) <= maxLineBytes {
                lineNumber += skip.lines
                cursor = base + skip.end
                continue
            }
            let hit = memchr(cursor, 0x0A, end - cursor).map { UnsafeRawPointer($0) }
            let segmentEnd = hit ?? end
            let segment = UnsafeRawBufferPointer(start: cursor, count: segmentEnd - cursor)
            if skippingCutLine {
                cutBytes += Int64(segment.count)
                if hit != nil { skippingCutLine = false }
            } else if let _ = hit {
                if carry.isEmpty {
                    deliver(segment, offset: cursor - base, body)
                } else {
                    appendToCarry(segment, body)
                    if !skippingCutLine {
                        carry.withUnsafeBytes { deliver($0, offset: nil, body) }
                    } else {
                        skippingCutLine = false
                    }
                    carry.removeAll(keepingCapacity: true)
                }
            } else {
                appendToCarry(segment, body)
            }
            guard let hit else { return }
            cursor = hit + 1
        }
    }

    /// Delivers a final line that had no trailing newline.
    public mutating func finish(_ body: (Line) -> Void) {
        if !carry.isEmpty, !skippingCutLine {
            carry.withUnsafeBytes { deliver($0, offset: nil, body) }
        }
        carry.removeAll(keepingCapacity: false)
        skippingCutLine = false
    }

    private mutating func appendToCarry(_ segment: UnsafeRawBufferPointer, _ body: (Line) -> Void) {
        let room = maxLineBytes - carry.count
        if segment.count <= room {
            carry.append(contentsOf: segment)
            return
        }
        carry.append(contentsOf: segment.slice(0..<room))
        cutBytes += Int64(segment.count - room)
        // Deliver the cut line now; skip the rest of it until the next newline.
        carry.withUnsafeBytes { emit($0, cut: true, offset: nil, body) }
        carry.removeAll(keepingCapacity: true)
        skippingCutLine = true
    }

    private mutating func deliver(_ bytes: UnsafeRawBufferPointer, offset: Int?, _ body: (Line) -> Void) {
        if bytes.count > maxLineBytes {
            cutBytes += Int64(bytes.count - maxLineBytes)
            emit(bytes.slice(0..<maxLineBytes), cut: true, offset: offset, body)
        } else {
            emit(bytes, cut: false, offset: offset, body)
        }
    }

    private mutating func emit(_ bytes: UnsafeRawBufferPointer, cut: Bool, offset: Int?, _ body: (Line) -> Void) {
        lineNumber += 1
        var trimmed = bytes
        if let last = bytes.last, last == .carriageReturn { trimmed = bytes.slice(0..<(bytes.count - 1)) }
        if cut {
            cutLines += 1
            if cutLineNumbers.count < 5 { cutLineNumbers.append(lineNumber) }
        }
        body(Line(bytes: trimmed, number: lineNumber, wasCut: cut, blockOffset: offset))
    }
}
