extension StringProtocol {
    /// Whether `needle`'s UTF-8 occurs in this text's UTF-8, compared byte for byte.
    ///
    /// With Foundation imported, `contains(_:)` on a `String` or `Substring` is Foundation's, which
    /// bridges to a Unicode-aware search costing a few thousand instructions a call; the call sites here
    /// look for ASCII words in paths, cgroup segments and messages once a record or a member.
    func containsBytes(_ needle: StaticString) -> Bool {
        if let found = utf8.withContiguousStorageIfAvailable({ UnsafeRawBufferPointer($0).contains(needle) }) {
            return found
        }
        return Array(utf8).withUnsafeBytes { $0.contains(needle) }
    }

    /// The pieces between `/`, empty ones left out: `split(separator: "/")`, split on the byte.
    ///
    /// Splitting by `Character` runs grapheme breaking over the whole path: about 40,000 instructions
    /// for a bundle member's path, which every member's recognition and path hints did.
    func slashComponents() -> [String] {
        utf8.split(separator: UInt8(ascii: "/")).map { String(decoding: $0, as: UTF8.self) }
    }
}
