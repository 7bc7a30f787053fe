import CSieve

/// Counts the occurrences of one byte value with a vector scan (32 bytes a step with AVX2).
///
///     ByteCount.occurrences(of: UInt8(ascii: "\n"), in: block)   // the lines a block ends
public enum ByteCount {
    public static func occurrences(of byte: UInt8, in bytes: UnsafeRawBufferPointer) -> Int {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else { return 0 }
        return oomlens_count_byte(base, bytes.count, byte)
    }
}
