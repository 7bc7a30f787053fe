/// Something the reader or a parser could not use, or had to guess: a value, never a thrown error.
public struct Diagnostic: Sendable, Hashable {
    public enum Severity: String, Sendable, Hashable {
        /// Reading stopped early or data was lost: results are partial.
        case damage
        /// A record was skipped or cut, or a value had to be guessed.
        case warning
        /// Worth knowing, nothing lost.
        case note
    }

    public var severity: Severity
    public var file: String?
    public var line: Int?
    public var message: String

    public init(_ severity: Severity, file: String?, line: Int? = nil, _ message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.message = message
    }
}
