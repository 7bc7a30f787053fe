/// Turns the gathered fields of one Pod, Event or Node into facts and timeline observations.
///
/// Pod status, verbatim from kubernetes/website (`samples/pod-status-laststate-oomkilled.yaml`):
///
///     lastState:
///        terminated:
///          containerID: docker://65183c1877aaec2e8427bc95609cc52677a454b56fcb24340dbd22917c23b10f
///          exitCode: 137
///          finishedAt: 2017-06-20T20:52:19Z
///          reason: OOMKilled
///          startedAt: null
///
/// becomes a `containerTerminated` observation (reason `OOMKilled`, exit 137, time = `finishedAt`,
/// container id `65183c18…`). Zero times (`0001-01-01T00:00:00Z`) and nulls give no time.
extension APIObjectFields {
    // MARK: - Pods

    /// Emits the pod's facts and its observations; false when it has no name.
    func emitPod(at location: SourceLocation, context: ParseContext, into output: inout ParseOutput) -> Bool {
        guard let name, !name.isEmpty else {
            // A watch BOOKMARK carries a bare `kind: Pod` with only a resourceVersion: not worth a word.
            if hasPodShape {
                output.diagnostics.append(Diagnostic(.warning, file: location.file, line: location.line,
                                                     "pod object without metadata.name skipped"))
            }
            return false
        }
        let namespace = namespace ?? "default"
        var pod = PodFacts(namespace: namespace, name: name, location: location)
        pod.uid = uid
        pod.node = nodeName
        pod.qosClass = qosClass
        pod.priorityClass = priorityClassName
        if let owner = owners.first(where: \.controller) ?? owners.first {
            pod.ownerKind = owner.kind
            pod.ownerName = owner.name
        }
        pod.phase = phase
        pod.reason = podReason
        pod.message = podMessage.map(Self.trimmed)
        pod.configHash = configHash

        // Containers in spec order (init containers first, as they run), then statuses joined by name.
        // The two passes pick their list by index: no array of (isInit, list) pairs made per pod, and
        // statuses read in place rather than copied out.
        var containerFacts: [ContainerFacts] = []
        containerFacts.reserveCapacity(initContainers.count + containers.count)
        for pass in 0..<2 {
            let isInit = pass == 0
            let specs = isInit ? initContainers : containers
            for spec in specs.indices {
                guard let cname = specs[spec].name else { continue }
                var c = ContainerFacts(name: cname, isInit: isInit)
                c.image = specs[spec].image
                c.memoryRequestBytes = specs[spec].memoryRequest
                c.memoryLimitBytes = specs[spec].memoryLimit
                containerFacts.append(c)
            }
        }
        for pass in 0..<2 {
            let isInit = pass == 0
            let list = isInit ? initStatuses : statuses
            for s in list.indices {
                guard let cname = list[s].name else { continue }
                let index: Int
                if let found = containerFacts.firstIndex(where: { $0.name == cname && $0.isInit == isInit }) {
                    index = found
                } else {
                    containerFacts.append(ContainerFacts(name: cname, isInit: isInit))
                    index = containerFacts.count - 1
                }
                containerFacts[index].containerID = list[s].containerID
                containerFacts[index].lastContainerID = list[s].last?.containerID
                containerFacts[index].restartCount = list[s].restartCount
                containerFacts[index].state = Self.stateText(list[s])
                if containerFacts[index].image == nil { containerFacts[index].image = list[s].image }
            }
        }
        pod.containers = containerFacts

        for pass in 0..<2 {
            let isInit = pass == 0
            let list = isInit ? initStatuses : statuses
            for s in list.indices {
                // Most containers are running and never terminated: nothing to emit, and no copy of
                // their status (one retain and release of each of its strings).
                guard list[s].last != nil || list[s].current != nil || list[s].waitingReason == "CrashLoopBackOff"
                else { continue }
                let status = list[s]
                if status.last != nil || status.current != nil {
                    // The spec (for the memory limit) only for a container that terminated.
                    let spec = containerFacts.first { $0.name == status.name && $0.isInit == isInit }
                    if let last = status.last {
                        emitTerminated(last, isLast: true, status: status, spec: spec, pod: pod, into: &output)
                    }
                    if let current = status.current {
                        emitTerminated(current, isLast: false, status: status, spec: spec, pod: pod, into: &output)
                    }
                }
                if status.waitingReason == "CrashLoopBackOff" {
                    var o = podObservation(.backOff, line: status.waitingLine ?? status.line, pod: pod, time: nil,
                                           summary: "container \(status.name ?? "?") of pod \(namespace)/\(name) "
                                               + "is in CrashLoopBackOff"
                                               + (status.restartCount.map { " after \($0) restart(s)" } ?? ""))
                    o.container = status.name
                    o.reason = "CrashLoopBackOff"
                    o.message = status.waitingMessage
                    output.observations.append(o)
                }
            }
        }

        if podReason == "Evicted" {
            let message = podMessage.map(Self.trimmed)
            let disruption = conditions.first { conditionString($0.type) == "DisruptionTarget" }
            var o = podObservation(.podEvicted, line: location.line, pod: pod,
                                   time: Self.timeReading(conditionString(disruption?.lastTransitionTime)),
                                   summary: "pod \(namespace)/\(name) was evicted"
                                       + (message.map { ": \($0)" } ?? ""))
            o.reason = "Evicted"
            o.message = message
            o.resource = EventReason.resource(reason: "Evicted", message: message)
            output.observations.append(o)
        }
        // Appended last, when nothing reads it any more: moved into the array, not copied.
        output.pods.append(pod)
        return true
    }

    private func emitTerminated(
        _ t: Terminated, isLast: Bool, status: ContainerStatus, spec: ContainerFacts?, pod: PodFacts,
        into output: inout ParseOutput
    ) {
        guard t.reason != nil || t.exitCode != nil || t.finishedAt != nil else { return }
        let container = status.name ?? "?"
        var summary = "container \(container) of pod \(pod.namespace)/\(pod.name) "
            + (isLast ? "terminated earlier" : "terminated")
        if let reason = t.reason { summary += ": \(reason)" }
        if let exit = t.exitCode { summary += " (exit code \(exit))" }
        var o = podObservation(.containerTerminated, line: t.line ?? status.line, pod: pod,
                               time: Self.timeReading(t.finishedAt), summary: summary)
        o.container = status.name
        o.containerID = t.containerID ?? (isLast ? nil : status.containerID)
        o.exitCode = t.exitCode
        o.reason = t.reason
        var notes: [String] = []
        o.startedAt = Self.timeReading(t.startedAt)
        if let message = t.message.map(Self.trimmed), !message.isEmpty { notes.append(message) }
        o.message = notes.isEmpty ? nil : notes.joined(separator: "; ")
        let memory = MemoryFigures(limitBytes: spec?.memoryLimitBytes, requestBytes: spec?.memoryRequestBytes)
        if !memory.isEmpty { o.memory = memory }
        output.observations.append(o)
    }

    private func podObservation(
        _ kind: ObservationKind, line: Int?, pod: PodFacts, time: TimeReading?, summary: String
    ) -> Observation {
        var o = Observation(kind: kind, source: .podStatus,
                            location: SourceLocation(file: pod.location.file, line: line ?? pod.location.line),
                            time: time, summary: summary)
        o.node = pod.node
        o.namespace = pod.namespace
        o.pod = pod.name
        o.podUID = pod.uid
        return o
    }

    /// `running`, `waiting: CrashLoopBackOff`, `terminated: OOMKilled`.
    private static func stateText(_ s: ContainerStatus) -> String? {
        guard let key = s.stateKey else { return nil }
        let reason = key == "waiting" ? s.waitingReason : key == "terminated" ? s.current?.reason : nil
        return reason.map { "\(key): \($0)" } ?? key
    }

    // MARK: - Events

    /// Emits the event's observation when its reason matters; false when it was not an event worth reading.
    func emitEvent(at location: SourceLocation, context: ParseContext, into output: inout ParseOutput) -> Bool {
        guard let reason = eventReason else { return false }
        let message = eventMessage.map(Self.trimmed)
        guard let kind = EventReason.kind(reason: reason, message: message) else { return true }
        let time = Self.timeReading(lastTimestamp) ?? Self.timeReading(seriesLastObserved)
            ?? Self.timeReading(eventTime) ?? Self.timeReading(firstTimestamp)
        let objectKind = involved.kind
        var o = Observation(kind: kind, source: .event, location: location, time: time, summary: "")
        o.reason = reason
        o.message = message
        // Node events sit in `default`; that namespace says nothing about them.
        o.namespace = objectKind == "Node" ? nil : involved.namespace ?? namespace
        if objectKind == "Pod" {
            o.pod = involved.name
            o.podUID = involved.uid
        }
        if objectKind == "Node" {
            o.node = involved.name
        } else if let host = sourceHost, !host.isEmpty {
            o.node = host
        } else if reportingComponent == "kubelet", let instance = reportingInstance, !instance.isEmpty {
            o.node = instance
        }
        o.container = involved.fieldPath.flatMap(Self.containerName(fieldPath:))
        let total = [count, seriesCount].compactMap { $0 }.max()
        if let total, total > 1 { o.count = total }
        if kind == .podEvicted || kind == .nodePressure {
            o.resource = EventReason.resource(reason: reason, message: message)
        }
        if let message {
            if reason == "SystemOOM" {
                o.process = Self.systemOOMVictim(message)
            } else if reason == "OOMKilling" {
                o.process = Self.killedProcess(message)
            }
        }
        var subject = objectKind.map { "\($0.lowercased()) " } ?? ""
        if objectKind == "Pod", let ns = o.namespace { subject += "\(ns)/" }
        subject += involved.name ?? "?"
        o.summary = "event \(reason) on \(subject)" + (o.count.map { " (×\($0))" } ?? "")
            + (message.map { ": \(Self.clipped($0))" } ?? "")
        output.observations.append(o)
        return true
    }

    /// `spec.containers{nginx}` → `nginx` (also `spec.initContainers{…}`, `spec.ephemeralContainers{…}`).
    static func containerName(fieldPath: String) -> String? {
        guard let open = fieldPath.firstIndex(of: "{"), let close = fieldPath.lastIndex(of: "}"), open < close
        else { return nil }
        let name = fieldPath[fieldPath.index(after: open)..<close]
        return name.isEmpty ? nil : String(name)
    }

    /// `System OOM encountered, victim process: stress, pid: 16713` → stress / 16713.
    static func systemOOMVictim(_ message: String) -> ProcessRef? {
        var text = message
        return text.withUTF8 { buffer -> ProcessRef? in
            let b = UnsafeRawBufferPointer(buffer)
            guard let at = b.firstIndex(of: "victim process: ") else { return nil }
            let start = at + 16
            guard let comma = b.firstIndex(of: ", pid: ", from: start),
                  let (pid, _) = b.readInt(at: comma + 7)
            else { return nil }
            return ProcessRef(name: b.string(start..<comma), pid: Int(pid))
        }
    }

    /// `… Killed process 183960 (stress-ng-vm) total-vm:…` (or the older `Kill process N (name)`).
    static func killedProcess(_ message: String) -> ProcessRef? {
        var text = message
        return text.withUTF8 { buffer -> ProcessRef? in
            let b = UnsafeRawBufferPointer(buffer)
            let start: Int
            if let at = b.firstIndex(of: "Killed process ") {
                start = at + 15
            } else if let at = b.firstIndex(of: "Kill process ") {
                start = at + 13
            } else {
                return nil
            }
            guard let (pid, end) = b.readInt(at: start), end + 1 < b.count, b[end] == .space,
                  b[end + 1] == .openParen, let close = b.firstIndex(of: .closeParen, from: end + 2)
            else { return nil }
            return ProcessRef(name: b.string((end + 2)..<close), pid: Int(pid))
        }
    }

    // MARK: - Nodes

    /// Emits the node's facts and a pressure observation per `MemoryPressure=True` condition.
    func emitNode(at location: SourceLocation, context: ParseContext, into output: inout ParseOutput) -> Bool {
        guard let name, !name.isEmpty else {
            output.diagnostics.append(Diagnostic(.warning, file: location.file, line: location.line,
                                                 "node object without metadata.name skipped"))
            return false
        }
        var node = NodeFacts(name: name, location: location)
        node.labels = labels
        node.capacityMemoryBytes = capacityMemory
        node.allocatableMemoryBytes = allocatableMemory
        for condition in conditions {
            guard let type = conditionString(condition.type), let status = conditionString(condition.status)
            else { continue }
            node.conditions[type] = status
            guard type == "MemoryPressure", status == "True" else { continue }
            let message = conditionString(condition.message)
            var o = Observation(kind: .nodePressure, source: .kubectlGet,
                                location: SourceLocation(file: location.file, line: condition.line ?? location.line),
                                time: Self.timeReading(conditionString(condition.lastTransitionTime)),
                                summary: "node \(name) reports MemoryPressure"
                                    + (message.map { ": \(Self.clipped($0))" } ?? ""))
            o.node = name
            o.reason = conditionString(condition.reason)
            o.message = message
            o.resource = "memory"
            output.observations.append(o)
        }
        output.nodes.append(node)
        return true
    }

    // MARK: - Values

    /// An API timestamp as a time reading; nil for absent, unparsable and zero (`0001-01-01T00:00:00Z`) times.
    static func timeReading(_ text: String?) -> TimeReading? {
        guard let text, !text.hasPrefix("0001-01-01"), let instant = RFC3339.instant(text) else { return nil }
        return TimeReading(.instant(instant), text: text)
    }

    static func trimmed(_ text: String) -> String {
        var s = Substring(text)
        while let last = s.last, last == " " || last == "\n" || last == "\t" || last == "\r" { s.removeLast() }
        return String(s)
    }

    /// At most 160 characters, for summaries.
    static func clipped(_ text: String) -> String {
        text.count <= 160 ? text : String(text.prefix(159)) + "…"
    }
}
