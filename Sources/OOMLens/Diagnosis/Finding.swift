/// A diagnosis: what pattern was found, why it matters, and what to change.
public struct Finding: Sendable, Hashable {
    public enum Severity: String, Sendable, Hashable, Comparable {
        case critical, warning, info

        private var rank: Int {
            switch self {
            case .critical: 0
            case .warning: 1
            case .info: 2
            }
        }

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    /// Who the finding is about; nil fields do not apply.
    public struct Subject: Sendable, Hashable {
        public var namespace: String?
        public var workload: String?
        public var pod: String?
        public var container: String?
        public var node: String?

        public init(namespace: String? = nil, workload: String? = nil, pod: String? = nil, container: String? = nil,
                    node: String? = nil) {
            self.namespace = namespace
            self.workload = workload
            self.pod = pod
            self.container = container
            self.node = node
        }
    }

    public var rule: String
    public var severity: Severity
    public var title: String
    public var subject: Subject
    /// Ids of the incidents that support it.
    public var incidents: [String]
    public var explanation: String
    public var recommendation: String
    public var commands: [String]

    public init(rule: String, severity: Severity, title: String, subject: Subject, incidents: [String],
                explanation: String, recommendation: String, commands: [String] = []) {
        self.rule = rule
        self.severity = severity
        self.title = title
        self.subject = subject
        self.incidents = incidents
        self.explanation = explanation
        self.recommendation = recommendation
        self.commands = commands
    }
}
