/// A set of names the rules test every pod against, compared one by one while it holds a few and
/// hashed once it holds more.
///
/// The names are those of the nodes with incidents or of a system pool, or a handful of namespaces:
/// usually one to three. Hashing a pod's node name into a `Set<String>` to test it took about three
/// hundred instructions, and the rules test tens of thousands of pods.
struct NameSet {
    /// Up to this many names are compared instead of hashed.
    static let mostCompared = 8

    /// The distinct names, in the order first given.
    let names: [String]
    /// Each name's position in `names`; empty while `names` are few enough to compare.
    private let positions: [String: Int]

    init<S: Sequence>(_ given: S) where S.Element == String {
        var names: [String] = []
        var positions: [String: Int] = [:]
        for name in given where positions[name] == nil {
            positions[name] = names.count
            names.append(name)
        }
        self.names = names
        self.positions = names.count > Self.mostCompared ? positions : [:]
    }

    var isEmpty: Bool { names.isEmpty }
    var count: Int { names.count }

    /// The position of `name` in `names`, if it is one of them.
    func index(of name: String) -> Int? {
        guard positions.isEmpty else { return positions[name] }
        for i in names.indices where names[i] == name { return i }
        return nil
    }

    func contains(_ name: String) -> Bool { index(of: name) != nil }
}
