/// Receives the members of a bundle, one at a time, as the reader streams them.
///
/// The reader recognises each member first (`FileRecognizer`) and only hands over those it
/// recognised; the blocks are borrowed and valid only during `feed`.
public protocol MemberConsumer {
    mutating func begin(_ context: ParseContext)
    mutating func feed(_ block: UnsafeRawBufferPointer)
    /// The member ended; `damaged` when reading stopped inside it.
    mutating func end(damaged: Bool)
}

/// A consumer that reads nothing: for `oomlens inventory`, which only lists members.
public struct DiscardingConsumer: MemberConsumer {
    public init() {}
    public mutating func begin(_ context: ParseContext) {}
    public mutating func feed(_ block: UnsafeRawBufferPointer) {}
    public mutating func end(damaged: Bool) {}
}
