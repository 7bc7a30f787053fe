/// Everything the parsers produce from a bundle, gathered in one place.
public struct ParseOutput: Sendable {
    public var observations: [Observation] = []
    public var pods: [PodFacts] = []
    public var nodes: [NodeFacts] = []
    public var clockHints: [ClockHint] = []
    public var diagnostics: [Diagnostic] = []

    public init() {}

    public mutating func append(contentsOf other: ParseOutput) {
        observations.append(contentsOf: other.observations)
        pods.append(contentsOf: other.pods)
        nodes.append(contentsOf: other.nodes)
        clockHints.append(contentsOf: other.clockHints)
        diagnostics.append(contentsOf: other.diagnostics)
    }
}
