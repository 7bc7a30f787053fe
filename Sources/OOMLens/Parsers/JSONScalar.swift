/// A scalar value: decoded string content, the text of a number, or a literal.
public struct JSONScalar {
    public enum Kind: UInt8, Sendable {
        case string, number, `true`, `false`, null
    }

    public var kind: Kind
    /// UTF-8 bytes of the unescaped string, or the number as written; empty for literals.
    public var bytes: UnsafeRawBufferPointer
    /// The string was longer than the producer's cap; `bytes` holds its beginning.
    public var truncated: Bool

    public init(kind: Kind, bytes: UnsafeRawBufferPointer, truncated: Bool = false) {
        self.kind = kind
        self.bytes = bytes
        self.truncated = truncated
    }

    /// The value as text (strings and numbers), nil for `null`.
    public var text: String? {
        switch kind {
        case .null: return nil
        case .true: return "true"
        case .false: return "false"
        case .string, .number: return bytes.string
        }
    }
}
