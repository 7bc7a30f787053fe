/// Where a record was read: a path inside the bundle and a 1-based line number.
///
/// Paths of members of nested archives use `!/` between levels:
/// `nodes/node-1.tar.gz!/var/log/syslog`.
public struct SourceLocation: Sendable, Hashable, Comparable {
    public var file: String
    public var line: Int?

    public init(file: String, line: Int?) {
        self.file = file
        self.line = line
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        if lhs.file != rhs.file { return lhs.file < rhs.file }
        return (lhs.line ?? 0) < (rhs.line ?? 0)
    }

    /// `file:line`, or just `file` when the line is unknown.
    public var description: String {
        if let line { return "\(file):\(line)" }
        return file
    }
}
