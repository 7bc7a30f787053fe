/// Replaces the names of namespaces, pods, workloads and nodes, and IPv4 addresses, by consistent
/// tokens (`namespace-1`, `pod-3`, `node-2`, `ip-1`) everywhere in a report, so it can leave the company.
///
/// The same name always becomes the same token within one report; names are replaced only where they
/// stand as whole words (delimited by anything but letters, digits, `-`, `_` and `.`), longest first, so
/// `web` does not eat into `webhook`. The mapping is returned so it can be kept apart from the report.
public final class Redactor {
    /// Original name → token, in the order tokens were given.
    public private(set) var mapping: [(original: String, token: String)] = []
    private var tokens: [String: String] = [:]
    private var counters: [String: Int] = [:]
    /// Names by length, longest first.
    private var ordered: [String] = []

    public init(report: Report) {
        let t = report.timeline
        let nodes = t.nodes.map(\.name) + t.pods.compactMap(\.node) + t.incidents.compactMap(\.node)
            + t.observations.compactMap(\.node) + report.bundle.entries.compactMap(\.node)
        let namespaces = t.pods.map(\.namespace) + t.incidents.compactMap(\.namespace) + t.observations.compactMap(\.namespace)
        let pods = t.pods.map(\.name) + t.incidents.compactMap(\.pod) + t.observations.compactMap(\.pod)
        let workloads = t.pods.compactMap(\.ownerName) + t.incidents.compactMap { $0.workload?.split(separator: "/").last.map(String.init) }
        for (kind, names) in [("node", nodes), ("pod", pods), ("workload", workloads), ("namespace", namespaces)] {
            for name in names where !name.isEmpty && tokens[name] == nil && !Self.keep.contains(name) {
                counters[kind, default: 0] += 1
                let token = "\(kind)-\(counters[kind, default: 0])"
                tokens[name] = token
                mapping.append((name, token))
            }
        }
        ordered = tokens.keys.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }

    /// Names that identify nothing about a customer and keep reports readable.
    static let keep: Set<String> = ["kube-system", "kube-public", "kube-node-lease", "default"]

    /// The report with every name and address replaced.
    public func redact(_ report: Report) -> Report {
        var r = report
        r.bundle.source = scrub(r.bundle.source)
        r.bundle.entries = r.bundle.entries.map { e in
            var e = e
            e.path = scrub(e.path)
            e.node = e.node.map(scrub)
            return e
        }
        r.bundle.warnings = r.bundle.warnings.map(scrub)
        r.diagnostics = r.diagnostics.map(scrub)
        r.timeline.clock.rewriteNotes { scrub($0) }
        r.timeline.observations = r.timeline.observations.map { o in
            var o = o
            o.location.file = scrub(o.location.file)
            o.node = o.node.map(scrub)
            o.namespace = o.namespace.map(scrub)
            o.pod = o.pod.map(scrub)
            o.summary = scrub(o.summary)
            o.message = o.message.map(scrub)
            o.time = o.time.map { TimeReading($0.time, text: scrub($0.text)) }
            return o
        }
        r.timeline.incidents = r.timeline.incidents.map { inc in
            var inc = inc
            inc.node = inc.node.map(scrub)
            inc.namespace = inc.namespace.map(scrub)
            inc.pod = inc.pod.map(scrub)
            inc.workload = inc.workload.map(scrub)
            inc.evidence = inc.evidence.map { e in
                var e = e
                e.file = scrub(e.file)
                e.summary = scrub(e.summary)
                e.timeText = e.timeText.map(scrub)
                return e
            }
            return inc
        }
        r.timeline.pods = r.timeline.pods.map { p in
            var p = p
            p.namespace = scrub(p.namespace)
            p.name = scrub(p.name)
            p.node = p.node.map(scrub)
            p.ownerName = p.ownerName.map(scrub)
            p.message = p.message.map(scrub)
            p.location.file = scrub(p.location.file)
            return p
        }
        r.timeline.nodes = r.timeline.nodes.map { n in
            var n = n
            n.name = scrub(n.name)
            n.labels = Dictionary(n.labels.map { ($0.key, scrub($0.value)) }, uniquingKeysWith: { a, _ in a })
            n.location.file = scrub(n.location.file)
            return n
        }
        r.findings = r.findings.map { f in
            var f = f
            f.title = scrub(f.title)
            f.explanation = scrub(f.explanation)
            f.recommendation = scrub(f.recommendation)
            f.commands = f.commands.map(scrub)
            f.subject = Finding.Subject(namespace: f.subject.namespace.map(scrub), workload: f.subject.workload.map(scrub),
                                        pod: f.subject.pod.map(scrub), container: f.subject.container, node: f.subject.node.map(scrub))
            return f
        }
        return r
    }

    private func scrub(_ d: Diagnostic) -> Diagnostic {
        var d = d
        d.file = d.file.map(scrub)
        d.message = scrub(d.message)
        return d
    }

    /// `text` with every known name (as a whole word) and every IPv4 address replaced.
    public func scrub(_ text: String) -> String {
        var out = Array(text.unicodeScalars)
        for name in ordered {
            guard let token = tokens[name], text.contains(name) else { continue }
            out = Self.replaceWords(name, with: token, in: out)
        }
        return replaceIPv4(String(String.UnicodeScalarView(out)))
    }

    private static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "-" || s == "_" || s == "."
    }

    private static func replaceWords(_ name: String, with token: String, in text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        let needle = Array(name.unicodeScalars)
        let replacement = Array(token.unicodeScalars)
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        var i = 0
        while i < text.count {
            if i + needle.count <= text.count, text[i] == needle[0], Array(text[i..<(i + needle.count)]) == needle,
               i == 0 || !isWordScalar(text[i - 1]),
               i + needle.count == text.count || !isWordScalar(text[i + needle.count])
                   || (text[i + needle.count] == "." && (i + needle.count + 1 == text.count || !isWordScalar(text[i + needle.count + 1]))) {
                out.append(contentsOf: replacement)
                i += needle.count
            } else {
                out.append(text[i])
                i += 1
            }
        }
        return out
    }

    /// Dotted quads (`10.244.1.3`) become `ip-N`.
    private func replaceIPv4(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            if ("0"..."9").contains(scalars[i]), i == 0 || !Self.isWordScalar(scalars[i - 1]) || scalars[i - 1] == "-" {
                var j = i
                var parts = 0
                var digits = 0
                var valid = true
                while j < scalars.count {
                    let c = scalars[j]
                    if ("0"..."9").contains(c) {
                        digits += 1
                        if digits > 3 { valid = false; break }
                    } else if c == ".", digits > 0, parts < 3 {
                        parts += 1
                        digits = 0
                    } else {
                        break
                    }
                    j += 1
                }
                if valid, parts == 3, digits > 0, j == scalars.count || !(("0"..."9").contains(scalars[j]) || scalars[j].properties.isAlphabetic) {
                    let address = String(String.UnicodeScalarView(scalars[i..<j]))
                    let token = tokens[address] ?? {
                        counters["ip", default: 0] += 1
                        let t = "ip-\(counters["ip", default: 0])"
                        tokens[address] = t
                        mapping.append((address, t))
                        return t
                    }()
                    out.append(contentsOf: token.unicodeScalars)
                    i = j
                    continue
                }
            }
            out.append(scalars[i])
            i += 1
        }
        return String(out)
    }

    /// The mapping as `original<TAB>token` lines, for `--redaction-map`.
    public var mappingText: String {
        mapping.map { "\($0.original)\t\($0.token)" }.joined(separator: "\n") + "\n"
    }
}
