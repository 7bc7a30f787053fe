/// Receives the members of a bundle, one at a time, as the reader streams them.
///
/// The reader recognises each member first (`FileRecognizer`) and only hands over those it
/// recognised; the blocks are borrowed and valid only during `feed`.
public protocol MemberConsumer {
    mutating func begin(_ context: ParseContext)
    mutating func feed(_ block: UnsafeRawBufferPointer)
    /// The member ended; `damaged` when reading stopped inside it.
    mutating func end(damaged: Bool)
    /// Offered, before `begin`, a member whose bytes can be read again on their own from `location`:
    /// returning true takes it elsewhere (another thread reads it from there), and the reader goes on
    /// to the next member without `begin`, `feed` or `end` for this one. The default declines.
    mutating func offload(_ context: ParseContext, from location: MemberLocation) -> Bool
}

extension MemberConsumer {
    public mutating func offload(_ context: ParseContext, from location: MemberLocation) -> Bool { false }
}

/// A consumer whose members can be shared out between threads: consumers made from the same recipe
/// each take some members, and their parts, absorbed in member order, give what one consumer would
/// have made of all of them. The type itself crosses threads (`SendableMetatype`): the reading thread
/// makes its own consumer from the recipe.
public protocol DivisibleConsumer: MemberConsumer, SendableMetatype {
    /// What a consumer made of the members it took; it crosses threads.
    associatedtype Part: Sendable
    /// Everything needed to make an empty consumer like this one on another thread.
    associatedtype Recipe: Sendable
    var recipe: Recipe { get }
    init(recipe: Recipe)
    /// Takes what the members consumed since the last call made, leaving the consumer empty.
    mutating func takePart() -> Part
    /// Adds a part, as if this consumer had consumed its members next.
    mutating func absorb(_ part: consuming Part)
}

extension DivisibleConsumer {
    /// Absorbs `parts` in member order, each moved out of the array: a part's arrays are then held
    /// once, and the consumer can take them whole instead of copying them.
    mutating func absorb(inOrder parts: consuming [(order: Int, part: Part)]) {
        var parts = consume parts
        parts.sort { $0.order > $1.order }
        while let (_, part) = parts.popLast() {
            absorb(consume part)
        }
    }
}

/// A consumer that reads nothing: for `oomlens inventory`, which only lists members.
public struct DiscardingConsumer: MemberConsumer {
    public init() {}
    public mutating func begin(_ context: ParseContext) {}
    public mutating func feed(_ block: UnsafeRawBufferPointer) {}
    public mutating func end(damaged: Bool) {}
}
