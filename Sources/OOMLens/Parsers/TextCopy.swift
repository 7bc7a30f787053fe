/// A copy of a short text (a time stamp) kept inline, so remembering it per line allocates nothing.
///
/// Holds up to 48 bytes; longer texts are cut (time stamps are at most ~35 bytes).
struct TextCopy: Equatable {
    private var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
    private var count = 0

    init() {}

    init(_ bytes: UnsafeRawBufferPointer?) {
        guard let bytes, let source = bytes.baseAddress else { return }
        count = Swift.min(bytes.count, 48)
        let n = count
        withUnsafeMutableBytes(of: &storage) { raw in
            raw.baseAddress?.copyMemory(from: source, byteCount: n)
        }
    }

    /// Equal bytes (unused storage is always zero).
    static func == (a: TextCopy, b: TextCopy) -> Bool {
        a.count == b.count && a.storage.0 == b.storage.0 && a.storage.1 == b.storage.1 && a.storage.2 == b.storage.2
            && a.storage.3 == b.storage.3 && a.storage.4 == b.storage.4 && a.storage.5 == b.storage.5
    }

    /// The text, decoded as UTF-8 (invalid bytes repaired).
    var string: String {
        withUnsafeBytes(of: storage) { raw in String(decoding: raw.prefix(count), as: UTF8.self) }
    }
}
