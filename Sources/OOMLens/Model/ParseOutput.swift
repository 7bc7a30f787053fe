/// Everything the parsers produce from a bundle, gathered in one place.
public struct ParseOutput: Sendable {
    public var observations: [Observation] = []
    public var pods: [PodFacts] = []
    public var nodes: [NodeFacts] = []
    public var clockHints: [ClockHint] = []
    public var diagnostics: [Diagnostic] = []

    public init() {}

    /// Appends `other`'s values after these (taking its arrays whole where these are empty).
    public mutating func append(contentsOf other: ParseOutput) {
        Self.append(other.observations, to: &observations)
        Self.append(other.pods, to: &pods)
        Self.append(other.nodes, to: &nodes)
        Self.append(other.clockHints, to: &clockHints)
        Self.append(other.diagnostics, to: &diagnostics)
    }

    private static func append<T>(_ values: [T], to target: inout [T]) {
        if target.isEmpty { target = values } else { target.append(contentsOf: values) }
    }
}
