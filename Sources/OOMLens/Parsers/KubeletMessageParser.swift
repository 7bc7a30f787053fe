/// Reads kubelet log messages — klog text, structured `"msg" key=value`, old unstructured text and
/// `--logging-format=json` lines — into eviction, system OOM, kill, probe, back-off and PLEG observations.
///
/// It receives message bodies with the syslog/journal prefix already stripped (or bare kubelet log
/// lines). Real input:
/// ```
/// I1012 19:34:44.999261    2480 eviction_manager.go:374] "Eviction manager: pods ranked for eviction" pods="[default/nginx kube-system/kube-proxy-5thr6 ...]"
/// I1012 19:34:45.000152    2480 kuberuntime_container.go:709] "Killing container with a grace period" pod="default/nginx" podUID=27aff94d-e0d9-43d1-84d6-9ab000aa57e2 containerName="nginx" containerID="containerd://4296b9e2377fddb0e7e42d20223c36771268cb7a1828315331405b66f0030add" gracePeriod=30
/// I1012 19:34:45.357018    2480 kubelet.go:2231] "SyncLoop (PLEG): event for pod" pod="default/nginx" event=&{ID:27aff94d-e0d9-43d1-84d6-9ab000aa57e2 Type:ContainerDied Data:4296b9e2377fddb0e7e42d20223c36771268cb7a1828315331405b66f0030add}
/// I1012 19:34:45.445172    2480 eviction_manager.go:595] "Eviction manager: pod is evicted successfully" pod="default/nginx"
/// I0516 18:00:44.655940    4052 generic.go:334] "Generic (PLEG): container finished" podID="7ed0f963-37b7-4383-9d94-77e3a5afb787" containerID="f51267392f05152ad8ef082073f1b65abea345f4d4445cf079acd0d770374a1c" exitCode=0
/// I0119 11:43:14.742162    1487 kubelet.go:1951] SyncLoop (PLEG): "jumpserver-reader-589945c95c-d2nzg_tts-team(e9a15367-9f7c-44c7-a03e-6b01bf40a705)", event: &pleg.PodLifecycleEvent{ID:"e9a15367-9f7c-44c7-a03e-6b01bf40a705", Type:"ContainerDied", Data:"d01a562554dc9e4a7d673bdd7a0075d78efe7667f954cadeb6113c74464988f4"}
/// E1120 21:23:52.724589    2992 pod_workers.go:191] Error syncing pod 1e886b83-484e-4651-a433-877310cc63c1 ("posts-ddd9f5767-d7b26_default(1e886b83-484e-4651-a433-877310cc63c1)"), skipping: failed to "StartContainer" for "posts" with CrashLoopBackOff: "back-off 5m0s restarting failed container=posts pod=posts-ddd9f5767-d7b26_default(1e886b83-484e-4651-a433-877310cc63c1)"
/// I1215 19:22:59.485628   77158 helpers.go:814] eviction manager: observations after resource reclaim: signal=memory.available, available: 60687100Ki, capacity: 65973468Ki, time: 2021-12-15 19:22:59.462702674 +0800 CST m=+78880.835736331
/// {"ts":1753121332053.9302,"caller":"cpumanager/policy_static.go:180","msg":"Reserved CPUs not available for exclusive assignment","v":0,"reservedSize":1,"reserved":"0","reservedPhysicalCPUs":"0,48"}
/// ```
/// `Observation.time` is the klog header time (`civil`, no year, no zone) or the JSON `ts`
/// (epoch seconds, or milliseconds when larger than 1e11); `secondaryTime` is the record's prefix time.
public struct KubeletMessageParser: MessageParser {
    private let context: ParseContext
    private var newestInstant: Instant?

    public init(context: ParseContext) {
        self.context = context
    }

    public mutating func parse(_ record: LogRecord, into output: inout ParseOutput) {
        let bytes = record.message
        guard Self.mayMatch(bytes) else { return }
        var line = LineInfo(
            number: record.line, time: record.time, secondary: nil, node: record.host ?? context.nodeHint)
        var bodyStart = 0
        let header = Self.readHeader(bytes)
        if let header {
            line.time = header.time
            line.secondary = record.time
            bodyStart = header.bodyStart
        }
        let body = bytes.suffix(from: bodyStart)
        // Without a klog header only JSON lines are kubelet records; other text is a continuation
        // of a multi-line message (or not the kubelet's at all).
        guard let first = body.first, header != nil || first == .openBrace else { return }
        let before = output.observations.count
        if first == .quote, let fields = Fields.structured(body) {
            classify(fields, line, into: &output)
        } else if first == .openBrace, var fields = Fields.json(body) {
            if let ts = fields.tsRange, let instant = Self.epochInstant(body, ts) {
                line.time = TimeReading(.instant(instant), text: body.string(ts))
                line.secondary = record.time
                fields.instant = instant
            }
            classify(fields, line, into: &output)
            if output.observations.count > before, let instant = fields.instant {
                newestInstant = Swift.max(newestInstant ?? instant, instant)
            }
        } else {
            classifyUnstructured(body, line, into: &output)
        }
    }

    public mutating func finish(into output: inout ParseOutput) {
        if let newestInstant { output.clockHints.append(.datedRecord(newestInstant)) }
    }

    // MARK: - Prefilter and header

    /// What a message the parser reads contains: most kubelet lines have none of these. Probes count
    /// only when they fail (`Probe failed`, `Liveness probe failed`, `Readiness probe for "…" failed`,
    /// `status="unhealthy"`, reason `Unhealthy`), not on the frequent `"SyncLoop (probe)" … status="ready"`;
    /// `Killing` covers both `Killing container` and events with reason `Killing`.
    public static let needles = NeedleSet([
        "PLEG", "vict", "OOM", "oom event", "Killing", "robe failed", "robe for ", "nhealthy", "ack-off", "BackOff",
        "Insufficient",
    ])

    public var isMidRecord: Bool { false }

    /// True when the message could be one the parser reads.
    static func mayMatch(_ b: UnsafeRawBufferPointer) -> Bool { needles.occurs(in: b) }

    /// The klog header `I1012 19:34:45.000152    2480 file.go:709] `: its time and where the body starts.
    static func readHeader(_ b: UnsafeRawBufferPointer) -> (time: TimeReading, bodyStart: Int)? {
        guard b.count >= 22 else { return nil }
        switch b[0] {
        case UInt8(ascii: "I"), UInt8(ascii: "W"), UInt8(ascii: "E"), UInt8(ascii: "F"): break
        default: return nil
        }
        func two(_ i: Int) -> Int? {
            guard b[i].isDigit, b[i + 1].isDigit else { return nil }
            return Int(b[i] - .zero) * 10 + Int(b[i + 1] - .zero)
        }
        guard let month = two(1), let day = two(3), b[5] == .space, let hour = two(6), b[8] == .colon,
              let minute = two(9), b[11] == .colon, let second = two(12),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 14
        var nanos = 0
        if b[i] == .dot {
            i += 1
            var scale = 100_000_000
            while i < b.count, b[i].isDigit {
                nanos += Int(b[i] - .zero) * scale
                scale /= 10
                i += 1
            }
        }
        let timeEnd = i
        i = b.skipSpaces(from: i)
        guard let (_, afterThread) = b.readInt(at: i), afterThread < b.count, b[afterThread] == .space else {
            return nil
        }
        var j = afterThread + 1
        while j < b.count, b[j] != .closeBracket, b[j] != .space { j += 1 }
        guard j < b.count, b[j] == .closeBracket else { return nil }
        var bodyStart = j + 1
        if bodyStart < b.count, b[bodyStart] == .space { bodyStart += 1 }
        let civil = CivilTime(year: nil, month: month, day: day, hour: hour, minute: minute,
                              second: Swift.min(second, 59), nanosecond: nanos)
        return (TimeReading(.civil(civil), text: b.string(1..<timeEnd)), bodyStart)
    }

    /// A JSON `ts` (epoch seconds, or milliseconds when above 1e11) read exactly into an instant.
    static func epochInstant(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Instant? {
        guard let (whole, end) = b.readInt(at: r.lowerBound) else { return nil }
        var fraction: Int64 = 0
        var scale: Int64 = 100_000_000
        if end < r.upperBound, b[end] == .dot {
            var i = end + 1
            while i < r.upperBound, b[i].isDigit {
                fraction += Int64(b[i] - .zero) * scale
                scale /= 10
                i += 1
            }
        }
        if whole > 100_000_000_000 {
            // Milliseconds: the fraction is of a millisecond.
            let seconds = whole / 1000
            let nanos = (whole % 1000) * 1_000_000 + fraction / 1000
            return Instant(seconds: seconds, nanoseconds: Int32(nanos))
        }
        return Instant(seconds: whole, nanoseconds: Int32(fraction))
    }

    // MARK: - Structured and JSON messages

    private func classify(_ f: Fields, _ line: LineInfo, into output: inout ParseOutput) {
        let b = f.bytes
        if f.msgHasPrefix("Eviction manager: ") {
            classifyEviction(f, line, into: &output)
        } else if f.msgHasPrefix("Evicting pod") {
            var o = make(.podEvicted, line)
            applyPod(f, "pod", to: &o)
            o.podUID = f.value("podUID").flatMap(Self.normalizedUID) ?? o.podUID
            o.message = f.value("message")
            o.reason = "Evicted"
            o.resource = o.message.flatMap { EventReason.resource(reason: "Evicted", message: $0) }
            o.summary = "kubelet is evicting pod \(Self.podText(o))"
            output.observations.append(o)
        } else if f.msgHasPrefix("Killing container with a grace period") {
            var o = make(.containerKilled, line)
            applyPod(f, "pod", to: &o)
            o.podUID = f.value("podUID").flatMap(Self.normalizedUID) ?? o.podUID
            o.container = f.value("containerName")
            o.containerID = f.value("containerID").flatMap(Self.bareContainerID)
            o.reason = "Killing"
            let grace = f.value("gracePeriod")
            if let grace { o.message = "gracePeriod=\(grace)" }
            o.summary = "kubelet killed container \(o.container ?? "?") of pod \(Self.podText(o))"
                + (grace.map { " with a \($0)s grace period" } ?? "")
            output.observations.append(o)
        } else if f.msgHasPrefix("Probe failed") {
            guard let type = f.value("probeType") else { return }
            var o = make(.probeFailed, line)
            applyPod(f, "pod", to: &o)
            o.podUID = f.value("podUID").flatMap(Self.normalizedUID) ?? o.podUID
            o.container = f.value("containerName")
            o.reason = Self.probeReason(type)
            o.message = f.value("output")
            o.summary = "\(o.reason ?? type) probe failed for container \(o.container ?? "?") of pod \(Self.podText(o))"
            output.observations.append(o)
        } else if f.msgHasPrefix("SyncLoop (probe)") {
            guard f.value("status") == "unhealthy", let probe = f.value("probe") else { return }
            var o = make(.probeFailed, line)
            applyPod(f, "pod", to: &o)
            o.reason = Self.probeReason(probe)
            o.message = "status=unhealthy"
            o.summary = "\(o.reason ?? probe) probe unhealthy for pod \(Self.podText(o))"
            output.observations.append(o)
        } else if f.msgHasPrefix("SyncLoop (PLEG): event for pod") {
            guard let event = f.raw("event"), var o = plegEvent(b, event, line) else { return }
            applyPod(f, "pod", to: &o)
            o.summary = Self.plegSummary(o)
            output.observations.append(o)
        } else if f.msgHasPrefix("Generic (PLEG): container finished") {
            var o = make(.containerDied, line)
            o.podUID = f.value("podID").flatMap(Self.normalizedUID)
            o.containerID = f.value("containerID").flatMap(Self.bareContainerID)
            o.exitCode = f.value("exitCode").flatMap { Int($0) }
            o.reason = "ContainerDied"
            o.summary = "container \(Self.shortID(o.containerID)) finished"
                + (o.exitCode.map { " with exit code \($0)" } ?? "") + " (pod UID \(o.podUID ?? "?"))"
            output.observations.append(o)
        } else if f.msgHasPrefix("Error syncing pod") {
            guard let err = f.value("err"), var o = backOff(fromText: err, line) else { return }
            applyPod(f, "pod", to: &o)
            o.podUID = f.value("podUID").flatMap(Self.normalizedUID) ?? o.podUID
            o.summary = Self.backOffSummary(o)
            output.observations.append(o)
        } else if f.msgHasPrefix("Got sys oom event") {
            var o = make(.systemOOMReported, line)
            o.reason = "SystemOOM"
            if let event = f.raw("event") { applyOOMInstance(b, event, to: &o) }
            o.summary = Self.systemOOMSummary(o)
            output.observations.append(o)
        } else if f.msgHasPrefix("Event occurred") {
            guard let reason = f.value("reason") else { return }
            let message = f.value("message")
            guard var o = eventObservation(reason: reason, message: message, line) else { return }
            let kind = f.value("kind")
            if let object = f.raw("object") {
                if kind == "Node" {
                    o.node = b.string(object)
                } else {
                    let ref = Self.podRef(b, object)
                    o.namespace = ref.namespace
                    o.pod = ref.name
                }
            }
            if let fieldPath = f.value("fieldPath") { o.container = Self.containerFromFieldPath(fieldPath) }
            finishEvent(&o, reason: reason, message: message)
            output.observations.append(o)
        } else if f.msgHasPrefix("Recording event message for node") {
            guard let event = f.value("event"), event.hasPrefix("NodeHasInsufficient") else { return }
            var o = make(.nodePressure, line)
            o.node = f.value("node") ?? o.node
            o.reason = event
            o.resource = EventReason.resource(reason: event, message: nil)
            o.summary = "node \(o.node ?? "?") reported \(event)"
            output.observations.append(o)
        } else {
            // Other messages may still carry a back-off or system OOM text in their values.
            if f.msgHasPrefix("Back-off restarting failed container"),
               var o = backOff(fromText: b.string(f.msg), line)
            {
                o.summary = Self.backOffSummary(o)
                output.observations.append(o)
            }
        }
    }

    private func classifyEviction(_ f: Fields, _ line: LineInfo, into output: inout ParseOutput) {
        if f.msgHasPrefix("Eviction manager: pod is evicted successfully") {
            var o = make(.podEvicted, line)
            applyPod(f, "pod", to: &o)
            o.reason = "Evicted"
            o.summary = "kubelet evicted pod \(Self.podText(o))"
            output.observations.append(o)
            return
        }
        let text = f.bytes.string(f.msg)
        var o = make(.nodePressure, line)
        let resourceName = f.value("resourceName")
        o.resource = resourceName.map(Self.resource)
        if f.msgHasPrefix("Eviction manager: pods ranked for eviction") {
            let pods = f.value("pods") ?? ""
            o.message = "pods ranked for eviction: \(pods)"
            o.summary = "kubelet eviction manager ranked pods for eviction: \(pods)"
        } else if f.msgHasPrefix("Eviction manager: attempting to reclaim")
            || f.msgHasPrefix("Eviction manager: must evict pod(s) to reclaim")
            || f.msgHasPrefix("Eviction manager: able to reduce resource pressure")
            || f.msgHasPrefix("Eviction manager: eviction thresholds have been met")
        {
            o.message = text
            let suffix = resourceName.map { text.hasSuffix("reclaim") ? " \($0)" : " (\($0))" } ?? ""
            o.summary = "kubelet \(Self.lowercasedFirst(text))" + suffix
        } else {
            return
        }
        output.observations.append(o)
    }

    // MARK: - Unstructured messages

    private func classifyUnstructured(_ b: UnsafeRawBufferPointer, _ line: LineInfo, into output: inout ParseOutput) {
        if b.hasPrefix("Event(v1.ObjectReference{") {
            eventEcho(b, line, into: &output)
        } else if let at = b.firstIndex(of: "eviction manager: ") {
            unstructuredEviction(b, from: at + 18, line, into: &output)
        } else if b.hasPrefix("Killing container \"") {
            // Killing container "docker://9a4c…" with 30 second grace period
            guard let close = b.firstIndex(of: .quote, from: 19) else { return }
            var o = make(.containerKilled, line)
            o.containerID = Self.bareContainerID(b.slice(19..<close))
            o.reason = "Killing"
            let rest = b.trimmedRange((close + 1)..<b.count)
            if b.matches(" with ", at: close + 1), let (grace, _) = b.readInt(at: close + 7) {
                o.message = "gracePeriod=\(grace)"
            } else if !rest.isEmpty {
                o.message = b.string(rest)
            }
            o.summary = "kubelet killed container \(Self.shortID(o.containerID))"
                + (o.message.map { " (\($0))" } ?? "")
            output.observations.append(o)
        } else if b.hasPrefix("SyncLoop (PLEG): ") {
            guard let eventAt = b.firstIndex(of: "event: ") else { return }
            guard var o = plegEvent(b, (eventAt + 7)..<b.count, line) else { return }
            if b.count > 17, b[17] == .quote, let close = b.firstIndex(of: .quote, from: 18), close < eventAt {
                let ref = Self.podRef(b, 18..<close)
                o.namespace = ref.namespace
                o.pod = ref.name
                o.podUID = ref.uid ?? o.podUID
            }
            o.summary = Self.plegSummary(o)
            output.observations.append(o)
        } else if b.hasPrefix("Error syncing pod ") || b.contains("restarting failed container") {
            guard var o = backOff(fromText: b.string, line) else { return }
            o.summary = Self.backOffSummary(o)
            output.observations.append(o)
        } else if let at = b.firstIndex(of: "Created an OOM event") {
            // cAdvisor: Created an OOM event in container "<cgroup>" at <time> (often cut in pastes).
            var o = make(.systemOOMReported, line)
            o.reason = "OOM"
            o.message = b.string(at..<b.count)
            var victim: String?
            if b.matches(" in container ", at: at + 20), let open = b.firstIndex(of: .quote, from: at + 34),
               let close = b.firstIndex(of: .quote, from: open + 1)
            {
                victim = b.string((open + 1)..<close)
            }
            if let victim, victim != "/" {
                // cAdvisor names a container cgroup: an ordinary container OOM, not a system one.
                o.kind = .event
                o.summary = "cAdvisor recorded an OOM in container cgroup \(victim)"
            } else {
                o.summary = "cAdvisor recorded an OOM" + (victim == nil ? "" : " in the root cgroup (system OOM)")
            }
            output.observations.append(o)
        } else if let at = b.firstIndex(of: "System OOM encountered") {
            var o = make(.systemOOMReported, line)
            o.reason = "SystemOOM"
            o.message = b.string(at..<b.count)
            Self.applyVictim(o.message ?? "", to: &o)
            o.summary = Self.systemOOMSummary(o)
            output.observations.append(o)
        } else if let probe = Self.unstructuredProbe(b) {
            var o = make(.probeFailed, line)
            o.reason = probe.reason
            if let ref = probe.ref {
                // "pod_ns(uid):container"
                let r = Self.podRef(b, ref.pod)
                o.namespace = r.namespace
                o.pod = r.name
                o.podUID = r.uid
                if let c = ref.container { o.container = b.string(c) }
            }
            o.message = b.string(probe.messageFrom..<b.count)
            o.summary = "\(probe.reason) probe failed" + (o.container.map { " for container \($0)" } ?? "")
                + (o.pod == nil ? "" : " of pod \(Self.podText(o))")
            output.observations.append(o)
        }
    }

    private func unstructuredEviction(
        _ b: UnsafeRawBufferPointer, from start: Int, _ line: LineInfo, into output: inout ParseOutput
    ) {
        let rest = start..<b.count
        var o = make(.nodePressure, line)
        if b.matches("pods ranked for eviction: ", at: start) {
            let list = b.string(b.trimmedRange((start + 26)..<b.count))
            o.message = "pods ranked for eviction: \(list)"
            o.summary = "kubelet eviction manager ranked pods for eviction: \(list)"
        } else if b.matches("attempting to reclaim ", at: start) || b.matches("must evict pod(s) to reclaim ", at: start) {
            let from = b.matches("attempting", at: start) ? start + 22 : start + 29
            let token = b.string(from..<b.endOfToken(from: from))
            o.resource = token.isEmpty ? nil : Self.resource(token)
            o.message = b.string(rest)
            o.summary = "kubelet eviction manager: \(b.string(rest))"
        } else if b.matches("observations", at: start), let signalAt = b.firstIndex(of: "signal=", from: start) {
            let signal = Self.valueUntilComma(b, from: signalAt + 7)
            let available = b.firstIndex(of: "available: ", from: signalAt).map { Self.valueUntilComma(b, from: $0 + 11) }
            let capacity = b.firstIndex(of: "capacity: ", from: signalAt).map { Self.valueUntilComma(b, from: $0 + 10) }
            o.resource = Self.resource(signal)
            var message = "signal=\(signal)"
            if let available { message += ", available: \(available)" }
            if let capacity { message += ", capacity: \(capacity)" }
            o.message = message
            if o.resource == "memory", let capacity, let total = Quantity.bytes(capacity) {
                var figures = MemoryFigures(limitBytes: total)
                if let available, let free = Quantity.bytes(available) { figures.usageBytes = total - free }
                o.memory = figures
            }
            o.summary = "kubelet eviction manager observed \(signal) available \(available ?? "?")"
                + (capacity.map { " of \($0)" } ?? "")
        } else if let evicted = b.firstIndex(of: " evicted successfully", from: start) {
            // eviction manager: pod <ref> is evicted successfully
            guard b.matches("pod ", at: start) else { return }
            var end = evicted
            if b.matches(" is", at: end - 3) { end -= 3 }
            let ref = Self.podRef(b, (start + 4)..<end)
            var e = make(.podEvicted, line)
            e.namespace = ref.namespace
            e.pod = ref.name
            e.podUID = ref.uid
            e.reason = "Evicted"
            e.summary = "kubelet evicted pod \(Self.podText(e))"
            output.observations.append(e)
            return
        } else if b.matches("eviction thresholds have been met", at: start) {
            o.message = b.string(rest)
            o.summary = "kubelet eviction manager: \(b.string(rest))"
        } else {
            return
        }
        output.observations.append(o)
    }

    /// `Event(v1.ObjectReference{Kind:"Pod", Namespace:"…", Name:"…", UID:"…", …}): type: 'Warning' reason: 'Evicted' …`
    private func eventEcho(_ b: UnsafeRawBufferPointer, _ line: LineInfo, into output: inout ParseOutput) {
        guard let reasonAt = b.firstIndex(of: "reason: '"),
              let reasonEnd = b.firstIndex(of: UInt8(ascii: "'"), from: reasonAt + 9)
        else { return }
        let reason = b.string((reasonAt + 9)..<reasonEnd)
        let messageRange = b.trimmedRange((reasonEnd + 1)..<b.count)
        let message = messageRange.isEmpty ? nil : b.string(messageRange)
        guard var o = eventObservation(reason: reason, message: message, line) else { return }
        let header = 0..<reasonAt
        let kind = Self.structField(b, in: header, "Kind").map { b.string($0) }
        let name = Self.structField(b, in: header, "Name").map { b.string($0) }
        if kind == "Node" {
            o.node = name ?? o.node
        } else {
            o.pod = name
            o.namespace = Self.structField(b, in: header, "Namespace").map { b.string($0) }
            o.podUID = Self.structField(b, in: header, "UID").flatMap { Self.normalizedUID(b.string($0)) }
            if let fieldPath = Self.structField(b, in: header, "FieldPath") {
                o.container = Self.containerFromFieldPath(b.string(fieldPath))
            }
        }
        finishEvent(&o, reason: reason, message: message)
        output.observations.append(o)
    }

    // MARK: - Shared pieces

    private func make(_ kind: ObservationKind, _ line: LineInfo) -> Observation {
        var o = Observation(kind: kind, source: .kubelet, location: context.location(line.number),
                            time: line.time, summary: "")
        o.secondaryTime = line.secondary
        o.node = line.node
        return o
    }

    private func applyPod(_ f: Fields, _ key: StaticString, to o: inout Observation) {
        guard let range = f.raw(key) else { return }
        let ref = Self.podRef(f.bytes, range)
        o.namespace = ref.namespace ?? o.namespace
        o.pod = ref.name ?? o.pod
        o.podUID = ref.uid ?? o.podUID
    }

    /// A PLEG event in any of its three renderings: `&{ID:… Type:… Data:…}`, `{"ID":…}`,
    /// `&pleg.PodLifecycleEvent{ID:"…", Type:"…", Data:"…"}`.
    private func plegEvent(_ b: UnsafeRawBufferPointer, _ r: Range<Int>, _ line: LineInfo) -> Observation? {
        guard let type = Self.structField(b, in: r, "Type") else { return nil }
        let kind: ObservationKind
        if b.matches("ContainerDied", at: type.lowerBound), type.count == 13 {
            kind = .containerDied
        } else if b.matches("ContainerStarted", at: type.lowerBound), type.count == 16 {
            kind = .containerStarted
        } else {
            return nil
        }
        var o = make(kind, line)
        o.reason = b.string(type)
        o.podUID = Self.structField(b, in: r, "ID").flatMap { Self.normalizedUID(b.string($0)) }
        o.containerID = Self.structField(b, in: r, "Data").flatMap { Self.bareContainerID(b.slice($0)) }
        return o
    }

    private func applyOOMInstance(_ b: UnsafeRawBufferPointer, _ r: Range<Int>, to o: inout Observation) {
        let pid = Self.structField(b, in: r, "Pid").flatMap { b.readInt(at: $0.lowerBound)?.value }
        let name = Self.structField(b, in: r, "ProcessName").map { b.string($0) }
        if let pid, let name { o.process = ProcessRef(name: name, pid: Int(pid)) }
        o.message = b.string(r)
    }

    /// A CrashLoopBackOff from an `Error syncing pod` error text or a `Back-off restarting failed
    /// container` message; nil for other errors (image pull back-off included).
    private func backOff(fromText text: String, _ line: LineInfo) -> Observation? {
        var bytes = Array(text.utf8)
        // Searched as bytes: the general substring search costs thousands of instructions a call.
        let isBackOff = bytes.withUnsafeBytes { b in
            b.contains("CrashLoopBackOff") || b.contains("restarting failed container")
        }
        guard isBackOff else { return nil }
        var o = make(.backOff, line)
        o.reason = "CrashLoopBackOff"
        bytes.withUnsafeBytes { b in
            if let at = b.firstIndex(of: "restarting failed container") {
                let after = at + 27
                if b.matches("=", at: after) {
                    // back-off 5m0s restarting failed container=posts pod=posts-…_default(uid)
                    o.container = b.string((after + 1)..<b.endOfToken(from: after + 1))
                    if let podAt = b.firstIndex(of: " pod=", from: after) {
                        var end = b.endOfToken(from: podAt + 5)
                        while end > podAt + 5, b[end - 1] == .quote || b[end - 1] == .backslash { end -= 1 }
                        let ref = Self.podRef(b, (podAt + 5)..<end)
                        o.namespace = ref.namespace
                        o.pod = ref.name
                        o.podUID = ref.uid
                    }
                } else if b.matches(" ", at: after) {
                    // Back-off restarting failed container x in pod y_ns(uid)
                    let nameEnd = b.endOfToken(from: after + 1)
                    if nameEnd > after + 1 { o.container = b.string((after + 1)..<nameEnd) }
                    if b.matches(" in pod ", at: nameEnd) {
                        let ref = Self.podRef(b, (nameEnd + 8)..<b.endOfToken(from: nameEnd + 8))
                        o.namespace = ref.namespace
                        o.pod = ref.name
                        o.podUID = ref.uid
                    }
                }
                var start = at
                if let backAt = Self.lastIndex(b, of: "ack-off ", before: at) { start = backAt - 1 }
                var end = b.count
                while end > start, b[end - 1] == .quote || b[end - 1] == .backslash { end -= 1 }
                o.message = b.string(start..<end)
            } else if let forAt = b.firstIndex(of: "for \\\"") ?? b.firstIndex(of: "for \""), forAt + 5 < b.count {
                let open = b[forAt + 4] == .backslash ? forAt + 6 : forAt + 5
                if let close = b.firstIndex(of: .quote, from: open) {
                    var end = close
                    if end > open, b[end - 1] == .backslash { end -= 1 }
                    o.container = b.string(open..<end)
                }
                o.message = text
            }
        }
        bytes.removeAll()
        return o
    }

    private func eventObservation(reason: String, message: String?, _ line: LineInfo) -> Observation? {
        guard let kind = EventReason.kind(reason: reason, message: message), kind != .event else { return nil }
        var o = make(kind, line)
        o.reason = reason
        o.message = message
        o.resource = EventReason.resource(reason: reason, message: message)
        return o
    }

    private func finishEvent(_ o: inout Observation, reason: String, message: String?) {
        if o.kind == .systemOOMReported, let message { Self.applyVictim(message, to: &o) }
        if o.kind == .probeFailed, let message {
            for type in ["Liveness", "Readiness", "Startup"] where message.hasPrefix(type) { o.reason = type }
        }
        let subject: String
        if o.pod != nil {
            subject = "pod \(Self.podText(o))" + (o.container.map { " container \($0)" } ?? "")
        } else {
            subject = "node \(o.node ?? "?")"
        }
        o.summary = "kubelet event \(reason) on \(subject)" + (message.map { ": \($0)" } ?? "")
    }

    // MARK: - Static helpers

    struct PodRef {
        var namespace: String?
        var name: String?
        var uid: String?
    }

    /// A pod named as `ns/name`, `name_ns(uid)`, `"…"` or a JSON `{"name":…,"namespace":…}` object.
    static func podRef(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> PodRef {
        var r = b.trimmedRange(range)
        while r.count >= 2, b[r.lowerBound] == .quote || b[r.lowerBound] == .backslash { r = (r.lowerBound + 1)..<r.upperBound }
        while !r.isEmpty, b[r.upperBound - 1] == .quote || b[r.upperBound - 1] == .backslash || b[r.upperBound - 1] == .comma {
            r = r.lowerBound..<(r.upperBound - 1)
        }
        var ref = PodRef()
        guard !r.isEmpty else { return ref }
        if b[r.lowerBound] == .openBrace {
            ref.name = jsonString(b, in: r, key: "\"name\"")
            ref.namespace = jsonString(b, in: r, key: "\"namespace\"")
            return ref
        }
        var head = r
        if b[r.upperBound - 1] == .closeParen, let open = b.firstIndex(of: .openParen, from: r.lowerBound), open < r.upperBound {
            ref.uid = normalizedUID(b.string((open + 1)..<(r.upperBound - 1)))
            head = r.lowerBound..<open
        }
        if let slash = b.firstIndex(of: .slash, from: head.lowerBound), slash < head.upperBound, ref.uid == nil {
            ref.namespace = b.string(head.lowerBound..<slash)
            ref.name = b.string((slash + 1)..<head.upperBound)
        } else if let underscore = b.firstIndex(of: .underscore, from: head.lowerBound), underscore < head.upperBound {
            ref.name = b.string(head.lowerBound..<underscore)
            ref.namespace = b.string((underscore + 1)..<head.upperBound)
        } else if !head.isEmpty {
            ref.name = b.string(head)
        }
        return ref
    }

    /// The string value of `"key":"value"` inside a small JSON object.
    private static func jsonString(_ b: UnsafeRawBufferPointer, in r: Range<Int>, key: StaticString) -> String? {
        var from = r.lowerBound
        while let at = b.firstIndex(of: key, from: from), at < r.upperBound {
            var i = b.skipSpaces(from: at + key.utf8CodeUnitCount)
            from = at + 1
            guard i < r.upperBound, b[i] == .colon else { continue }
            i = b.skipSpaces(from: i + 1)
            guard i < r.upperBound, b[i] == .quote, let close = b.firstIndex(of: .quote, from: i + 1),
                  close < r.upperBound
            else { return nil }
            return b.string((i + 1)..<close)
        }
        return nil
    }

    /// The value after `label` in a Go `%+v` struct or JSON rendering: `ID:x`, `ID:"x"`, `"ID":"x"`.
    static func structField(_ b: UnsafeRawBufferPointer, in r: Range<Int>, _ label: StaticString) -> Range<Int>? {
        var from = r.lowerBound
        let n = label.utf8CodeUnitCount
        while let at = b.firstIndex(of: label, from: from), at + n < r.upperBound {
            from = at + 1
            if at > r.lowerBound {
                let before = b[at - 1]
                guard before == .openBrace || before == .space || before == .comma || before == .quote else { continue }
            }
            var i = at + n
            if b[i] == .quote { i += 1 }
            guard i < r.upperBound, b[i] == .colon else { continue }
            i += 1
            if i < r.upperBound, b[i] == .quote { i += 1 }
            var end = i
            while end < r.upperBound {
                let c = b[end]
                if c == .quote || c == .space || c == .comma || c == .closeBrace || c == .backslash { break }
                end += 1
            }
            return i..<end
        }
        return nil
    }

    /// Lowercase dashed UID (or 32-hex static-pod hash); nil when it is not one.
    static func normalizedUID(_ text: String) -> String? {
        let lower = text.lowercased()
        let utf8 = lower.utf8
        guard utf8.count == 36 || utf8.count == 32 else { return nil }
        for c in utf8 where !(c.isHexDigit || c == .dash) { return nil }
        return lower
    }

    /// A container id without its `containerd://`, `docker://` or `cri-o://` scheme.
    static func bareContainerID(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bareContainerID(UnsafeRawBufferPointer($0)) }
    }

    /// A container id without its scheme, lower-cased: `containerd://4296B9e2…` → `4296b9e2…`; `nil`
    /// unless what follows the scheme is hex digits.
    ///
    /// Over bytes: the general substring search and `lowercased()` cost several thousand instructions
    /// a call, and every PLEG line and kill record asks this.
    static func bareContainerID(_ bytes: UnsafeRawBufferPointer) -> String? {
        let id = bytes[(bytes.firstIndex(of: "://").map { $0 + 3 } ?? 0)...]
        guard !id.isEmpty, id.allSatisfy({ $0.isHexDigit }) else { return nil }
        guard id.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "F") }) else {
            return String(decoding: id, as: UTF8.self)
        }
        return String(decoding: id.lazy.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "F") ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    static func resource(_ name: String) -> String {
        if name.hasPrefix("memory") || name.hasPrefix("allocatableMemory") { return "memory" }
        if name.hasPrefix("pid") { return "pid" }
        if name.hasPrefix("nodefs") || name.hasPrefix("imagefs") || name.hasPrefix("ephemeral")
            || name.hasPrefix("containerfs")
        {
            return "ephemeral-storage"
        }
        return name
    }

    static func probeReason(_ type: String) -> String {
        switch type.lowercased() {
        case "liveness": return "Liveness"
        case "readiness": return "Readiness"
        case "startup": return "Startup"
        default: return type
        }
    }

    /// `spec.containers{nginx}` → `nginx`.
    static func containerFromFieldPath(_ path: String) -> String? {
        guard let open = path.firstIndex(of: "{"), let close = path.lastIndex(of: "}"), open < close else { return nil }
        return String(path[path.index(after: open)..<close])
    }

    /// `System OOM encountered, victim process: stress, pid: 1234`.
    static func applyVictim(_ message: String, to o: inout Observation) {
        var message = message
        message.withUTF8 { u in
            let b = UnsafeRawBufferPointer(u)
            guard let at = b.firstIndex(of: "victim process: "), let comma = b.firstIndex(of: .comma, from: at + 16),
                  let pidAt = b.firstIndex(of: "pid: ", from: at + 16),
                  let (pid, _) = b.readInt(at: pidAt + 5)
            else { return }
            o.process = ProcessRef(name: b.string((at + 16)..<comma), pid: Int(pid))
        }
    }

    private struct ProbeText {
        var reason: String
        var ref: (pod: Range<Int>, container: Range<Int>?)?
        var messageFrom: Int
    }

    /// `Liveness probe failed: …` or the prober's `Liveness probe for "pod_ns(uid):container" failed (failure): …`.
    private static func unstructuredProbe(_ b: UnsafeRawBufferPointer) -> ProbeText? {
        for (needle, reason) in [("Liveness probe", "Liveness"), ("Readiness probe", "Readiness"),
                                 ("Startup probe", "Startup")] as [(StaticString, String)] {
            guard let at = b.firstIndex(of: needle) else { continue }
            let after = at + needle.utf8CodeUnitCount
            if b.matches(" failed", at: after) { return ProbeText(reason: reason, ref: nil, messageFrom: at) }
            if b.matches(" for \"", at: after), let close = b.firstIndex(of: .quote, from: after + 6),
               b.matches("\" failed", at: close)
            {
                let inner = (after + 6)..<close
                var ref: (Range<Int>, Range<Int>?) = (inner, nil)
                if let colon = lastIndex(b, of: ":", before: close), colon > inner.lowerBound {
                    ref = (inner.lowerBound..<colon, (colon + 1)..<close)
                }
                return ProbeText(reason: reason, ref: ref, messageFrom: at)
            }
        }
        return nil
    }

    private static func lastIndex(_ b: UnsafeRawBufferPointer, of needle: StaticString, before end: Int) -> Int? {
        let n = needle.utf8CodeUnitCount
        var i = end - n
        while i >= 0 {
            if b.matches(needle, at: i) { return i }
            i -= 1
        }
        return nil
    }

    private static func valueUntilComma(_ b: UnsafeRawBufferPointer, from start: Int) -> String {
        var end = start
        while end < b.count, b[end] != .comma { end += 1 }
        return b.string(b.trimmedRange(start..<end))
    }

    static func podText(_ o: Observation) -> String {
        switch (o.namespace, o.pod) {
        case let (ns?, pod?): return "\(ns)/\(pod)"
        case let (nil, pod?): return pod
        default: return o.podUID.map { "UID \($0)" } ?? "?"
        }
    }

    static func shortID(_ id: String?) -> String {
        guard let id else { return "?" }
        return String(id.prefix(12))
    }

    private static func plegSummary(_ o: Observation) -> String {
        let verb = o.kind == .containerDied ? "died" : "started"
        return "container \(shortID(o.containerID)) \(verb) in pod \(podText(o))"
    }

    private static func backOffSummary(_ o: Observation) -> String {
        "kubelet backing off restarting container \(o.container ?? "?") of pod \(podText(o))"
    }

    private static func systemOOMSummary(_ o: Observation) -> String {
        "kubelet reported a system OOM"
            + (o.process.map { " (victim \($0.name), pid \($0.pid))" } ?? "")
    }

    private static func lowercasedFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }
}

/// What the record's prefix and the klog header said about one line.
private struct LineInfo {
    var number: Int
    var time: TimeReading?
    var secondary: TimeReading?
    var node: String?
}

/// The message and key/value ranges of one structured (`"msg" k=v`) or JSON kubelet line.
private struct Fields {
    struct Pair {
        var key: Range<Int>
        var value: Range<Int>
        var quoted: Bool
    }

    let bytes: UnsafeRawBufferPointer
    var msg: Range<Int>
    var pairs: [Pair] = []
    var tsRange: Range<Int>?
    var instant: Instant?

    func msgHasPrefix(_ text: StaticString) -> Bool {
        msg.count >= text.utf8CodeUnitCount && bytes.matches(text, at: msg.lowerBound)
    }

    /// The value range of the first `key` (inside the quotes when quoted).
    func raw(_ key: StaticString) -> Range<Int>? {
        let n = key.utf8CodeUnitCount
        for pair in pairs where pair.key.count == n && bytes.matches(key, at: pair.key.lowerBound) {
            return pair.value
        }
        return nil
    }

    /// The decoded value of `key` (Go/JSON escapes resolved).
    func value(_ key: StaticString) -> String? {
        let n = key.utf8CodeUnitCount
        for pair in pairs where pair.key.count == n && bytes.matches(key, at: pair.key.lowerBound) {
            return pair.quoted ? Fields.unescape(bytes, pair.value) : bytes.string(pair.value)
        }
        return nil
    }

    /// `"msg" key="v" key2=v2 key3=&{…} key4=[…]`, scanned quote- and bracket-aware.
    static func structured(_ b: UnsafeRawBufferPointer) -> Fields? {
        guard b.first == .quote else { return nil }
        let (msg, afterMsg) = quoted(b, from: 0)
        var fields = Fields(bytes: b, msg: msg)
        var i = afterMsg
        while i < b.count {
            i = b.skipSpaces(from: i)
            let keyStart = i
            while i < b.count, b[i] != .equals, !b[i].isSpaceOrTab { i += 1 }
            guard i < b.count, b[i] == .equals, i > keyStart else {
                i = b.endOfToken(from: i) + 1
                continue
            }
            let key = keyStart..<i
            i += 1
            guard i < b.count else {
                fields.pairs.append(Pair(key: key, value: i..<i, quoted: false))
                break
            }
            let isStruct = b[i] == UInt8(ascii: "&") && i + 1 < b.count && b[i + 1] == .openBrace
            switch b[i] {
            case .quote:
                let (value, after) = quoted(b, from: i)
                fields.pairs.append(Pair(key: key, value: value, quoted: true))
                i = after
            case .openBracket, .openBrace:
                let end = bracketed(b, from: i)
                fields.pairs.append(Pair(key: key, value: i..<end, quoted: false))
                i = end
            case UInt8(ascii: "&") where isStruct:
                let end = bracketed(b, from: i)
                fields.pairs.append(Pair(key: key, value: i..<end, quoted: false))
                i = end
            default:
                let end = b.endOfToken(from: i)
                fields.pairs.append(Pair(key: key, value: i..<end, quoted: false))
                i = end
            }
        }
        return fields
    }

    /// One JSON object per line: `{"ts":…,"caller":…,"msg":…,"key":value,…}`.
    static func json(_ b: UnsafeRawBufferPointer) -> Fields? {
        guard b.first == .openBrace else { return nil }
        var fields = Fields(bytes: b, msg: 0..<0)
        var sawMsg = false
        var i = 1
        while i < b.count {
            while i < b.count, b[i].isSpaceOrTab || b[i] == .comma { i += 1 }
            guard i < b.count, b[i] == .quote else { break }
            let (key, afterKey) = quoted(b, from: i)
            i = b.skipSpaces(from: afterKey)
            guard i < b.count, b[i] == .colon else { break }
            i = b.skipSpaces(from: i + 1)
            guard i < b.count else { break }
            let pair: Pair
            switch b[i] {
            case .quote:
                let (value, after) = quoted(b, from: i)
                pair = Pair(key: key, value: value, quoted: true)
                i = after
            case .openBracket, .openBrace:
                let end = bracketed(b, from: i)
                pair = Pair(key: key, value: i..<end, quoted: false)
                i = end
            default:
                var end = i
                while end < b.count, b[end] != .comma, b[end] != .closeBrace, !b[end].isSpaceOrTab { end += 1 }
                pair = Pair(key: key, value: i..<end, quoted: false)
                i = end
            }
            if key.count == 3, b.matches("msg", at: key.lowerBound), pair.quoted, !sawMsg {
                fields.msg = pair.value
                sawMsg = true
            } else if key.count == 2, b.matches("ts", at: key.lowerBound) {
                fields.tsRange = pair.value
            } else {
                fields.pairs.append(pair)
            }
        }
        return sawMsg ? fields : nil
    }

    /// The content of the quoted string starting at `start` (a `"`), and the offset after its close;
    /// an unterminated string runs to the end.
    static func quoted(_ b: UnsafeRawBufferPointer, from start: Int) -> (Range<Int>, Int) {
        var j = start + 1
        while j < b.count {
            if b[j] == .backslash { j += 2; continue }
            if b[j] == .quote { return ((start + 1)..<j, j + 1) }
            j += 1
        }
        return ((start + 1)..<b.count, b.count)
    }

    /// The end of a `[…]`, `{…}` or `&{…}` value (nesting and quoted strings respected); the line's end
    /// when it is not closed.
    static func bracketed(_ b: UnsafeRawBufferPointer, from start: Int) -> Int {
        var depth = 0
        var j = start
        while j < b.count {
            switch b[j] {
            case .quote:
                j = quoted(b, from: j).1
                continue
            case .openBracket, .openBrace:
                depth += 1
            case .closeBracket, .closeBrace:
                depth -= 1
                if depth <= 0 { return j + 1 }
            default:
                break
            }
            j += 1
        }
        return b.count
    }

    /// Resolves Go and JSON escapes (`\"`, `\\`, `\n`, `\t`, `\uXXXX`) in a quoted value.
    static func unescape(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> String {
        guard let first = b.firstIndex(of: .backslash, from: r.lowerBound), first < r.upperBound else {
            return b.string(r)
        }
        var out: [UInt8] = []
        out.reserveCapacity(r.count)
        var i = r.lowerBound
        while i < r.upperBound {
            let c = b[i]
            guard c == .backslash, i + 1 < r.upperBound else {
                out.append(c)
                i += 1
                continue
            }
            let e = b[i + 1]
            switch e {
            case UInt8(ascii: "n"): out.append(.newline)
            case UInt8(ascii: "t"): out.append(.tab)
            case UInt8(ascii: "r"): out.append(.carriageReturn)
            case .quote, .backslash, .slash: out.append(e)
            case UInt8(ascii: "u"):
                if i + 6 <= r.upperBound, let scalar = hexScalar(b, (i + 2)..<(i + 6)) {
                    out.append(contentsOf: String(scalar).utf8)
                    i += 6
                    continue
                }
                out.append(c)
                out.append(e)
            default:
                out.append(c)
                out.append(e)
            }
            i += 2
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexScalar(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Unicode.Scalar? {
        var v: UInt32 = 0
        for i in r {
            guard let d = b[i].hexValue else { return nil }
            v = v * 16 + UInt32(d)
        }
        return Unicode.Scalar(v)
    }
}
