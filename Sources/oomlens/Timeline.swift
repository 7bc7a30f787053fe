import ArgumentParser
import OOMLens

/// `oomlens timeline`: the merged timeline, one line per observation with its source.
struct Timeline: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the merged UTC timeline: one line per observation, with its file and line.")

    @OptionGroup var input: InputOptions

    @Option(help: "Only entries at or after this time (RFC 3339, e.g. 2024-10-12T19:00:00Z).")
    var since: String?
    @Option(help: "Only entries at or before this time (RFC 3339).")
    var until: String?
    @Option(help: "Only this namespace.")
    var namespace: String?
    @Option(help: "Only this pod.")
    var pod: String?
    @Option(help: "Only this node.")
    var node: String?
    @Option(help: "Only observations of this kind (e.g. kernel-oom-kill, pod-evicted) or incidents of this kind (oom-kill, node-oom, eviction, restart).")
    var kind: String?

    func run() throws {
        let report = Analyzer(options: try input.analyzerOptions()).analyze(input.bundle)
        let sinceInstant = try since.map { s -> Instant in
            guard let i = RFC3339.instant(s) else { throw ValidationError("--since: expected RFC 3339, got '\(s)'") }
            return i
        }
        let untilInstant = try until.map { s -> Instant in
            guard let i = RFC3339.instant(s) else { throw ValidationError("--until: expected RFC 3339, got '\(s)'") }
            return i
        }
        let t = report.timeline
        let kindsOfIncidents = Dictionary(uniqueKeysWithValues: report.incidents.map { ($0.id, $0.kind.rawValue) })
        for i in t.orderedIndices {
            let o = t.observations[i]
            if let namespace, o.namespace != namespace { continue }
            if let pod, o.pod != pod { continue }
            if let node, o.node != node { continue }
            if let kind, o.kind.rawValue != kind, t.incidentIDs[i].flatMap({ kindsOfIncidents[$0] }) != kind { continue }
            if let sinceInstant, let time = t.times[i], time.instant < sinceInstant { continue }
            if let untilInstant, let time = t.times[i], time.instant > untilInstant { continue }
            if (sinceInstant != nil || untilInstant != nil) && t.times[i] == nil { continue }
            let time = t.times[i].map { RFC3339.format($0.instant) + ($0.inferred ? "~" : "") } ?? "(time unknown)"
            let incident = t.incidentIDs[i].map { " [\($0)]" } ?? ""
            print("\(time)  \(o.source.rawValue)  \(o.summary)\(incident)  — \(o.location.description)")
        }
    }
}
