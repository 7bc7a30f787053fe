/// Everything the parsers produce from a bundle, gathered in one place.
public struct ParseOutput: Sendable {
    public var observations: [Observation] = []
    public var pods: [PodFacts] = []
    public var nodes: [NodeFacts] = []
    public var clockHints: [ClockHint] = []
    public var diagnostics: [Diagnostic] = []

    public init() {}

    /// Appends `other`'s values after these, moving the larger of each pair of arrays rather than
    /// copying it (a 20,000-pod list absorbed after a few small files is not copied value by value).
    public mutating func append(contentsOf other: consuming ParseOutput) {
        var other = consume other
        Self.move(&other.observations, after: &observations)
        Self.move(&other.pods, after: &pods)
        Self.move(&other.nodes, after: &nodes)
        Self.move(&other.clockHints, after: &clockHints)
        Self.move(&other.diagnostics, after: &diagnostics)
    }

    /// `target` followed by `values`, in `target`; `values` is left empty. When `values` is the larger
    /// (and held only here), `target`'s elements are put in front of it instead.
    static func move<T>(_ values: inout [T], after target: inout [T]) {
        if values.count > target.count {
            values.insert(contentsOf: target, at: 0)
            swap(&target, &values)
        } else {
            target.append(contentsOf: values)
        }
        values = []
    }
}
