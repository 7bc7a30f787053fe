/// How a generated JSON file is laid out: the same values, one line or indented.
///
/// Real bundles hold all three: troubleshoot writes `json.MarshalIndent(v, "", "  ")`, `kubectl get -o json`
/// indents by four spaces, and collectors that save API responses as received (`kubectl get --raw`,
/// `json.Marshal`) write one line with no spaces, which for a large PodList is one line of hundreds of MB.
public enum JSONStyle: String, Sendable, CaseIterable {
    /// One line, no spaces: `{"kind":"PodList","items":[{…},{…}]}`.
    case compact
    /// Two spaces per level, `"key": value` (troubleshoot).
    case indent2
    /// Four spaces per level (`kubectl get -o json`).
    case indent4

    /// What follows an opening bracket and each element.
    var newline: String { self == .compact ? "" : "\n" }

    /// What separates a key from its value.
    var colon: String { self == .compact ? ":" : ": " }

    /// The indentation of a line `level` containers deep.
    func indentation(_ level: Int) -> String {
        switch self {
        case .compact: ""
        case .indent2: String(repeating: "  ", count: level)
        case .indent4: String(repeating: "    ", count: level)
        }
    }
}
