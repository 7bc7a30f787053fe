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
}

extension StringProtocol {
    /// The pieces between `/`, empty ones left out: `split(separator: "/")`, split on the byte.
    ///
    /// Splitting by `Character` runs grapheme breaking over the whole path: about 40,000 instructions
    /// for a bundle member's path, which every member's recognition and path hints did.
    func slashComponents() -> [String] {
        utf8.split(separator: UInt8(ascii: "/")).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The last non-empty piece between `!/` (the separator of a nested archive's member paths), or
    /// nil when there is none: `split(separator: "!/").last`, over bytes.
    func lastNestedPiece() -> SubSequence? {
        let bytes = utf8
        var last: Range<Index>?
        var start = bytes.startIndex
        var i = bytes.startIndex
        while i != bytes.endIndex {
            let next = bytes.index(after: i)
            if bytes[i] == UInt8(ascii: "!"), next != bytes.endIndex, bytes[next] == UInt8(ascii: "/") {
                if start != i { last = start..<i }
                i = bytes.index(after: next)
                start = i
                continue
            }
            i = next
        }
        if start != bytes.endIndex { last = start..<bytes.endIndex }
        return last.map { self[$0] }
    }
}
