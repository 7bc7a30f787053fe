import CSieve

/// Counts the occurrences of one byte value (32 bytes a step with AVX2), and passes over whole lines
/// (64 bytes a step), with a vector scan.
///
///     ByteCount.occurrences(of: UInt8(ascii: "\n"), in: block)   // the lines a block ends
///     ByteCount.passLines(in: block, atMost: 191)                 // (end: just past the 191st newline, lines: 191)
public enum ByteCount {
    public static func occurrences(of byte: UInt8, in bytes: UnsafeRawBufferPointer) -> Int {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else { return 0 }
        return oomlens_count_byte(base, bytes.count, byte)
    }

    /// The offset just past the `maxLines`-th newline in `bytes` (or the last one, when there are fewer)
    /// and how many newlines that passes; (0, 0) when there is none.
    public static func passLines(in bytes: UnsafeRawBufferPointer, atMost maxLines: Int, portable: Bool = false)
        -> (end: Int, lines: Int)
    {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0, maxLines > 0
        else { return (0, 0) }
        var lines = 0
        let end = portable
            ? oomlens_pass_lines_portable(base, bytes.count, maxLines, &lines)
            : oomlens_pass_lines(base, bytes.count, maxLines, &lines)
        return (end, lines)
    }
}
