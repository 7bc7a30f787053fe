/// The last line a sieving parser passed over since the last line it read, kept so that its clock can
/// be read before the next line that is (`NodeLogParser`, `JournalJSONParser`).
///
/// The line is borrowed from the current block while that lasts and copied when the block ends or when
/// the line was stitched from two blocks (its bytes then live in the splitter's carry buffer).
struct PassedOverLine {
    private var number = 0
    private var borrowed: UnsafeRawBufferPointer?
    private var copy: [UInt8] = []

    /// A line handed back by `take()`: borrowed bytes, or a copy it owns.
    struct Kept {
        fileprivate let number: Int
        fileprivate let borrowed: UnsafeRawBufferPointer?
        fileprivate let copy: [UInt8]

        func withLine<R>(_ body: (Line) -> R) -> R {
            if let borrowed { return body(Line(bytes: borrowed, number: number)) }
            return copy.withUnsafeBytes { body(Line(bytes: $0, number: number)) }
        }
    }

    /// Keeps `line` as the last one passed over.
    mutating func keep(_ line: Line) {
        if line.isStitched {
            keep(copying: line.bytes, number: line.number)
        } else {
            keep(borrowing: line.bytes, number: line.number)
        }
    }

    /// Keeps bytes of the current block as line `number` (the last of a run passed over in bulk).
    mutating func keep(borrowing bytes: UnsafeRawBufferPointer, number: Int) {
        self.number = number
        borrowed = bytes
    }

    /// The block ends: a line borrowed from it is copied.
    mutating func blockDidEnd() {
        if number > 0, let borrowed { keep(copying: borrowed, number: number) }
    }

    /// The line kept, once; nil when none was passed over since the last call.
    mutating func take() -> Kept? {
        guard number > 0 else { return nil }
        defer {
            number = 0
            borrowed = nil
        }
        return Kept(number: number, borrowed: borrowed, copy: borrowed == nil ? copy : [])
    }

    private mutating func keep(copying bytes: UnsafeRawBufferPointer, number: Int) {
        self.number = number
        copy.removeAll(keepingCapacity: true)
        copy.append(contentsOf: bytes)
        borrowed = nil
    }
}
