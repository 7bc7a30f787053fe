/// A scenario that cannot be rendered: a bad time or quantity, an unknown pod or node, a missing field.
public struct ScenarioError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public var description: String { message }

    public init(_ message: String) {
        self.message = message
    }
}
