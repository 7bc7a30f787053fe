/// Reads `docker events` output — container `oom` and `die` events of dockershim-managed Kubernetes
/// containers — into runtime OOM and exit observations.
///
/// Real input (docker/for-linux#670; the paste wrapped the attribute list inside a sandbox id):
/// ```
/// 2019-05-04T18:05:45.011072877-05:00 container oom 29d72966e0beb17d9b0b9fbcbfc734e2df2eb5428690115f9b24430357de08e5 (annotation.io.kubernetes.container.hash=cad60de0, …, io.kubernetes.container.name=notebook, io.kubernetes.docker.type=container, io.kubernetes.pod.name=jupyter-******, io.kubernetes.pod.namespace=jhub-prod, io.kubernetes.pod.uid=efa75591-6e89-11e9-bf85-001a4a16016d, io.kubernetes.sandbox.id=67102bbdc496acefcbb81ee736cb25d4ee7c2753a8660ab54b776e0be
/// 321b4f6, maintainer=MUDSA, name=k8s_notebook_jupyter-******_jhub-prod_efa75591-6e89-11e9-bf85-001a4a16016d_0)
/// ```
/// Pod identity comes from the `io.kubernetes.*` labels, or from the container name
/// `k8s_<container>_<pod>_<namespace>_<uid>_<restart>`; `die` events carry `exitCode=`.
public struct DockerEventsParser: LineParser {
    private let context: ParseContext
    /// An event whose attribute list has not been closed yet (hard-wrapped paste).
    private var pending: [UInt8] = []
    private var pendingLine = 0
    private var newestInstant: Instant?

    /// The most bytes one wrapped event may grow to.
    private static let maxPendingBytes = 64 * 1024

    public init(context: ParseContext) {
        self.context = context
    }

    public mutating func parse(_ line: Line, into output: inout ParseOutput) {
        let b = line.bytes
        let startsEvent = RFC3339.read(b, at: 0) != nil
        if !pending.isEmpty {
            if !startsEvent {
                pending.append(contentsOf: b.slice(0..<Swift.min(b.count, Swift.max(0, Self.maxPendingBytes - pending.count))))
                if pending.last == .closeParen || pending.count >= Self.maxPendingBytes { flush(into: &output) }
                return
            }
            flush(into: &output)
        }
        guard startsEvent, b.contains(" container oom ") || b.contains(" container die ") else { return }
        if b.firstIndex(of: " (") != nil, b.last != .closeParen {
            pending = Array(b)
            pendingLine = line.number
            return
        }
        handle(b, line.number, into: &output)
    }

    public mutating func finish(into output: inout ParseOutput) {
        flush(into: &output)
        if let newestInstant { output.clockHints.append(.datedRecord(newestInstant)) }
    }

    private mutating func flush(into output: inout ParseOutput) {
        guard !pending.isEmpty else { return }
        let bytes = pending
        pending = []
        bytes.withUnsafeBytes { handle($0, pendingLine, into: &output) }
    }

    private mutating func handle(_ b: UnsafeRawBufferPointer, _ number: Int, into output: inout ParseOutput) {
        guard let reading = RFC3339.read(b, at: 0), b.matches(" container ", at: reading.end) else { return }
        let actionStart = reading.end + 11
        let actionEnd = b.endOfToken(from: actionStart)
        let kind: ObservationKind
        if b.matches("oom", at: actionStart), actionEnd - actionStart == 3 {
            kind = .runtimeOOM
        } else if b.matches("die", at: actionStart), actionEnd - actionStart == 3 {
            kind = .runtimeExit
        } else {
            return
        }
        let idStart = b.skipSpaces(from: actionEnd)
        let idEnd = b.endOfToken(from: idStart)
        guard idEnd > idStart else { return }
        var attributes = idEnd..<idEnd
        if b.matches(" (", at: idEnd) {
            var end = b.count
            if b.last == .closeParen { end -= 1 }
            attributes = (idEnd + 2)..<end
        }

        let text = b.string(0..<reading.end)
        var time: TimeReading
        if let instant = reading.instant {
            time = TimeReading(.instant(instant), text: text)
            newestInstant = Swift.max(newestInstant ?? instant, instant)
        } else {
            time = TimeReading(.civil(reading.civil), text: text)
        }
        var o = Observation(kind: kind, source: .docker, location: context.location(number), time: time, summary: "")
        o.node = context.nodeHint
        o.containerID = b.string(idStart..<idEnd).lowercased()
        o.reason = kind == .runtimeOOM ? "oom" : "die"
        o.namespace = Self.attribute("io.kubernetes.pod.namespace", b, attributes)
        o.pod = Self.attribute("io.kubernetes.pod.name", b, attributes)
        o.podUID = Self.attribute("io.kubernetes.pod.uid", b, attributes)?.lowercased()
        o.container = Self.attribute("io.kubernetes.container.name", b, attributes)
        if let name = Self.attribute("name", b, attributes) { Self.applyKubernetesName(name, to: &o) }
        if kind == .runtimeExit, let code = Self.attribute("exitCode", b, attributes), let value = Int(code) {
            o.exitCode = value
            o.message = "exitCode=\(value)"
        }
        let subject = "container \(o.container ?? String(o.containerID?.prefix(12) ?? "?"))"
            + (o.pod.map { " of pod \(o.namespace.map { "\($0)/" } ?? "")\($0)" } ?? "")
        o.summary = kind == .runtimeOOM
            ? "docker reported an OOM event for \(subject)"
            : "docker saw \(subject) die" + (o.exitCode.map { " with exit code \($0)" } ?? "")
        output.observations.append(o)
    }

    /// The value of `key=` at the start of the attribute list or after `, `; values end at `, `.
    static func attribute(_ key: StaticString, _ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> String? {
        let n = key.utf8CodeUnitCount
        var from = r.lowerBound
        while let at = b.firstIndex(of: key, from: from), at + n < r.upperBound {
            from = at + 1
            guard b[at + n] == .equals, at == r.lowerBound || b.matches(", ", at: at - 2) else { continue }
            let start = at + n + 1
            var end = b.firstIndex(of: ", ", from: start) ?? r.upperBound
            end = Swift.min(end, r.upperBound)
            return b.string(start..<end)
        }
        return nil
    }

    /// `k8s_<container>_<pod>_<namespace>_<uid>_<restart>`: fills what the labels did not.
    static func applyKubernetesName(_ name: String, to o: inout Observation) {
        guard name.hasPrefix("k8s_") else { return }
        var parts: [Substring] = []
        var rest = name.dropFirst(4)
        while let underscore = rest.firstIndex(of: "_") {
            parts.append(rest[..<underscore])
            rest = rest[rest.index(after: underscore)...]
        }
        parts.append(rest)
        guard parts.count == 5 else { return }
        o.container = o.container ?? String(parts[0])
        o.pod = o.pod ?? String(parts[1])
        o.namespace = o.namespace ?? String(parts[2])
        o.podUID = o.podUID ?? parts[3].lowercased()
    }
}
