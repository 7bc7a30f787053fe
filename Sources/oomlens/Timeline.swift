import ArgumentParser
import Foundation
import OOMLens

/// `oomlens timeline`: the merged timeline, one line per observation with its source.
struct Timeline: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "Print the merged UTC timeline: one line per observation, with its file and line.")

    @OptionGroup var input: InputOptions

    @Option(help: "Only entries at or after this time: RFC 3339 (2024-03-14T10:05:00Z; no zone means UTC), a UTC date (2024-03-14, from its start), or a duration like kubectl's (2h, 3d, 90m, 1h30m) counted back from the bundle's collection time.")
    var since: String?
    @Option(help: "Only entries at or before this time: the same forms as --since (a date lasts to its end).")
    var until: String?
    @Option(help: "Only this namespace.")
    var namespace: String?
    @Option(help: "Only this pod.")
    var pod: String?
    @Option(help: "Only this node.")
    var node: String?
    @Option(help: "Only observations of this kind (e.g. kernel-oom-kill, pod-evicted) or incidents of this kind (oom-kill, node-oom, eviction, restart).")
    var kind: String?

    func validate() throws {
        for (flag, text) in [("--since", since), ("--until", until)] {
            if let text, TimeFilter.Bound(text) == nil {
                throw ValidationError("\(flag): expected \(TimeFilter.Bound.accepted), got '\(text)'")
            }
        }
    }

    func run() throws {
        let report = Analyzer(options: try input.analyzerOptions()).analyze(input.bundle)
        let now = Instant(seconds: Int64(Date().timeIntervalSince1970))
        let window = TimeFilter(since: since.flatMap(TimeFilter.Bound.init), until: until.flatMap(TimeFilter.Bound.init),
                                collectedAt: report.collectedAt, now: now)
        if let note = window.note { FileHandle.standardError.write(Data("oomlens: \(note)\n".utf8)) }
        if window.isEmpty, let from = window.since, let to = window.until {
            throw ValidationError("--since is after --until: \(RFC3339.format(from)) > \(RFC3339.format(to))")
        }
        let t = report.timeline
        let kindsOfIncidents = Dictionary(uniqueKeysWithValues: report.incidents.map { ($0.id, $0.kind.rawValue) })
        for i in t.orderedIndices {
            let o = t.observations[i]
            if let namespace, o.namespace != namespace { continue }
            if let pod, o.pod != pod { continue }
            if let node, o.node != node { continue }
            if let kind, o.kind.rawValue != kind, t.incidentIDs[i].flatMap({ kindsOfIncidents[$0] }) != kind { continue }
            if !window.includes(t.times[i]?.instant) { continue }
            let time = t.times[i].map { RFC3339.format($0.instant) + ($0.inferred ? "~" : "") } ?? "(time unknown)"
            let incident = t.incidentIDs[i].map { " [\($0)]" } ?? ""
            print("\(time)  \(o.source.rawValue)  \(o.summary)\(incident)  — \(o.location.description)")
        }
    }
}
