/// Everything the parsers produce from a bundle, gathered in one place.
public struct ParseOutput: Sendable {
    public var observations: [Observation] = []
    public var pods: [PodFacts] = [] {
        didSet { podDigests = nil }
    }
    public var nodes: [NodeFacts] = []
    public var clockHints: [ClockHint] = []
    public var diagnostics: [Diagnostic] = []
    /// The digests of `pods` when they were worked out (`digestPods()`); nil again as soon as `pods`
    /// changes.
    private(set) var podDigests: PodDigests?

    public init() {}

    /// Works out the digests of `pods` (`PodDigests`), kept until `pods` changes.
    mutating func digestPods() {
        podDigests = PodDigests(of: pods)
    }

    /// Appends `other`'s values after these, moving the larger of each pair of arrays rather than
    /// copying it (a 20,000-pod list absorbed after a few small files is not copied value by value).
    public mutating func append(contentsOf other: consuming ParseOutput) {
        var other = consume other
        // The joined pods' digests, when both sides have theirs (or no pods). Moving the pods forgets them.
        var digests: PodDigests?
        if pods.isEmpty {
            digests = other.podDigests
        } else if other.pods.isEmpty {
            digests = podDigests
        } else if podDigests != nil, let theirs = other.podDigests {
            swap(&digests, &podDigests)  // held once, so appended to in place
            digests?.append(theirs)
        }
        Self.move(&other.observations, after: &observations)
        Self.move(&other.pods, after: &pods)
        podDigests = digests
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
