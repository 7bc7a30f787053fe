/// A failure in batch bookkeeping (reading an input, the index or a report), with a message for people.
public struct BatchError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
