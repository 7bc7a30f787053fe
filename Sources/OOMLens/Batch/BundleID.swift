/// The name a bundle's reports get in a batch: its file name without the archive suffix, made safe
/// for a file name, then the first eight hex digits of its SHA-256.
///
/// `/tickets/4711/support-bundle-2024-03-14T10_30_00.tar.gz` with digest `3f9a1c2e…` becomes
/// `support-bundle-2024-03-14T10_30_00-3f9a1c2e`. The digest part keeps two bundles with the same
/// name apart; the name part keeps the id readable.
public enum BundleID {
    /// Archive suffixes removed from the name, longest first.
    static let suffixes = [".tar.gz", ".tar.zst", ".tar.xz", ".tar.bz2", ".tgz", ".tzst", ".txz", ".tbz2",
                           ".tar", ".zip", ".gz", ".zst", ".xz", ".bz2"]
    /// Longest name part kept, in bytes.
    static let maxStem = 100

    /// The id for the bundle at `path` whose content hashes to `sha256` (hexadecimal).
    public static func make(path: String, sha256: String) -> String {
        stem(of: path) + "-" + String(sha256.prefix(8))
    }

    /// The file or folder name without directories and archive suffix; every byte outside
    /// `A-Z a-z 0-9 . _ -` becomes `_`. Never empty.
    public static func stem(of path: String) -> String {
        var name = Substring(path)
        while name.hasSuffix("/") { name = name.dropLast() }
        if let slash = name.lastIndex(of: "/") { name = name[name.index(after: slash)...] }
        let lower = name.lowercased()
        for suffix in suffixes where lower.hasSuffix(suffix) && lower.count > suffix.count {
            name = name.dropLast(suffix.count)
            break
        }
        var bytes: [UInt8] = []
        for b in name.utf8.prefix(maxStem) {
            let safe = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
            bytes.append(safe ? b : UInt8(ascii: "_"))
        }
        while bytes.first == UInt8(ascii: ".") { bytes.removeFirst() }
        return bytes.isEmpty ? "bundle" : String(decoding: bytes, as: UTF8.self)
    }
}
