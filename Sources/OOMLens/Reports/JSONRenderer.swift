import Dispatch
import Synchronization

/// Renders a report as the JSON contract `oomlens.report/v1` (docs/report-json.md).
public struct JSONRenderer: Sendable {
    public init() {}

    public func render(_ report: Report) -> String {
        String(decoding: renderUTF8(report), as: UTF8.self)
    }

    /// The report's JSON as UTF-8 bytes, ending in a newline: what is written out, without making a
    /// `String` of a report that can be megabytes long.
    ///
    /// With `threads` above 1, the incidents are written on one thread while the findings and the
    /// timeline are on another (the same bytes): for a large bundle's hundreds of incidents and
    /// findings, writing them is a part of the work after reading that one thread did alone.
    public func renderUTF8(_ report: Report, threads: Int = 1) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.string("schema", "oomlens.report/v1")
        w.beginObject("tool")
        w.string("name", report.tool.name)
        w.string("version", report.tool.version)
        w.string("commit", report.tool.commit)
        w.endObject()
        bundle(report, &w)
        // The incidents' array, then the rest, each written from where the text before it ends.
        let head = w
        let parts: (incidents: JSONWriter, rest: JSONWriter)
        if threads > 1 {
            let written = Mutex<[JSONWriter]>([JSONWriter(), JSONWriter()])
            DispatchQueue.concurrentPerform(iterations: 2) { part in
                let text = part == 0 ? incidents(report, after: head) : rest(report, after: head)
                written.withLock { $0[part] = text }
            }
            let both = written.withLock { $0 }
            parts = (both[0], both[1])
        } else {
            parts = (incidents(report, after: head), rest(report, after: head))
        }
        w.append(parts.incidents)
        w.append(parts.rest)
        w.endLine()
        return w.bytes
    }

    /// The `incidents` array, written where `head` ends.
    private func incidents(_ report: Report, after head: JSONWriter) -> JSONWriter {
        var w = head.continuation()
        w.beginArray("incidents")
        for inc in report.incidents { incident(inc, &w) }
        w.endArray()
        return w
    }

    /// The `findings` and `timeline` arrays and the document's end, written where `head` and then
    /// the incidents' array end.
    private func rest(_ report: Report, after head: JSONWriter) -> JSONWriter {
        var w = head.continuation(afterOneElement: true)
        w.beginArray("findings")
        for f in report.findings { finding(f, &w) }
        w.endArray()
        w.beginArray("timeline")
        let t = report.timeline
        for i in t.orderedIndices { entry(t, i, &w) }
        w.endArray()
        w.endObject()
        return w
    }

    private func bundle(_ report: Report, _ w: inout JSONWriter) {
        let b = report.bundle
        w.beginObject("bundle")
        w.string("source", b.source)
        w.string("format", b.format)
        w.string("collectedAt", report.collectedAt.map(RFC3339.format))
        w.bool("complete", b.complete)
        w.beginObject("files")
        w.int("read", b.filesRead)
        w.int("recognized", b.filesRecognized)
        w.int("skipped", b.filesSkipped)
        w.endObject()
        w.int("bytes", b.bytesParsed)
        w.int("bytesSkipped", b.bytesSkipped)
        w.beginObject("skippedByReason")
        for (reason, count) in b.skippedByReason.sorted(by: { $0.key < $1.key }) { w.int(reason, count) }
        w.endObject()
        w.beginArray("warnings")
        for d in report.warnings {
            w.beginObject()
            w.string("file", d.file)
            w.string("message", d.line.map { "line \($0): \(d.message)" } ?? d.message)
            w.string("severity", d.severity.rawValue)
            w.endObject()
        }
        w.endArray()
        w.endObject()
    }

    private func incident(_ inc: Incident, _ w: inout JSONWriter) {
        w.beginObject()
        w.string("id", inc.id)
        w.string("kind", inc.kind.rawValue)
        w.string("time", inc.time.map { RFC3339.format($0.instant) })
        w.bool("timeInferred", inc.time?.inferred ?? false)
        w.string("node", inc.node)
        w.string("namespace", inc.namespace)
        w.string("pod", inc.pod)
        w.string("container", inc.container)
        w.string("podUID", inc.podUID)
        w.string("containerID", inc.containerID)
        if let p = inc.process {
            w.beginObject("process")
            w.string("name", p.name)
            w.int("pid", p.pid)
            w.endObject()
        } else {
            w.null("process")
        }
        if let m = inc.memory {
            w.beginObject("memory")
            w.int("limitBytes", m.limitBytes)
            w.int("usageBytes", m.usageBytes)
            w.int("anonRSSBytes", m.anonRSSBytes)
            if let r = m.requestBytes { w.int("requestBytes", r) }
            w.endObject()
        } else {
            w.null("memory")
        }
        w.int("exitCode", inc.exitCode)
        w.string("reason", inc.reason)
        w.string("resource", inc.resource)
        w.string("workload", inc.workload)
        w.string("qosClass", inc.qosClass)
        w.string("constraint", inc.constraint)
        w.string("limitScope", inc.limitScope)
        w.string("cause", inc.cause)
        w.beginArray("evidence")
        for e in inc.evidence {
            w.beginObject()
            w.string("file", e.file)
            w.int("line", e.line)
            w.string("source", e.source.rawValue)
            w.string("timeText", e.timeText)
            w.string("summary", e.summary)
            w.endObject()
        }
        w.endArray()
        w.endObject()
    }

    private func finding(_ f: Finding, _ w: inout JSONWriter) {
        w.beginObject()
        w.string("rule", f.rule)
        w.string("severity", f.severity.rawValue)
        w.string("title", f.title)
        w.beginObject("subject")
        w.string("namespace", f.subject.namespace)
        w.string("workload", f.subject.workload)
        w.string("pod", f.subject.pod)
        w.string("container", f.subject.container)
        w.string("node", f.subject.node)
        w.endObject()
        w.beginArray("incidents")
        for id in f.incidents { w.string(nil, id) }
        w.endArray()
        w.string("explanation", f.explanation)
        w.string("recommendation", f.recommendation)
        w.beginArray("commands")
        for c in f.commands { w.string(nil, c) }
        w.endArray()
        w.endObject()
    }

    private func entry(_ t: Timeline, _ i: Int, _ w: inout JSONWriter) {
        let o = t.observations[i]
        w.beginObject()
        w.string("time", t.times[i].map { RFC3339.format($0.instant) })
        w.bool("timeInferred", t.times[i]?.inferred ?? false)
        w.string("timeText", o.time?.text)
        w.string("kind", o.kind.rawValue)
        w.string("source", o.source.rawValue)
        w.string("node", o.node)
        w.string("namespace", o.namespace)
        w.string("pod", o.pod)
        w.string("container", o.container)
        w.string("summary", o.summary)
        w.string("incident", t.incidentIDs[i])
        w.string("file", o.location.file)
        w.int("line", o.location.line)
        w.endObject()
    }
}
