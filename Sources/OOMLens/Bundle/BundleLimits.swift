/// Limits that stop a hostile or broken bundle from running forever or filling memory.
public struct BundleLimits: Sendable, Hashable {
    /// Uncompressed bytes read in all, across nesting levels.
    public var maxTotalBytes: Int64 = 32 << 30
    /// Members read in all, across nesting levels.
    public var maxEntries = 1_000_000
    /// Archives inside archives: the outer archive is level 1.
    public var maxNesting = 4
    /// Uncompressed bytes per compressed byte, checked once `ratioCheckAfterBytes` were inflated
    /// (gzip tops out near 1032:1, so a bomb of zeros trips this; real logs stay far below).
    public var maxCompressionRatio = 500.0
    public var ratioCheckAfterBytes: Int64 = 64 << 20
    /// Lines longer than this are cut (and counted).
    public var maxLineBytes = 1 << 20

    public init() {}
}
