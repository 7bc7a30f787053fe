/// Reads `kubectl describe pod(s)` text: one `PodFacts` per pod block and observations for its
/// terminated containers, its eviction and its Events table.
///
/// Sample input (reference samples; each pod block starts at a column-0 `Name:` line):
/// ```
/// Name:         pay-65dd7b9cb4-l84p8
/// Node:         ip-192.168.4.238.au-southeast-2.compute.internal/192.168.4.238
/// Controlled By:  ReplicaSet/pay-65dd7b9cb4
/// Containers:
///   metrics-server:
///     Container ID:  containerd://fe3d07c9a2541242d36da8097de3896f740c1363f6d2bfd01b8d96a641192b1b
///     Last State:     Terminated
///       Reason:       OOMKilled
///       Exit Code:    137
///       Started:      Fri, 10 Sep 2021 05:59:51 +0000
///       Finished:     Fri, 10 Sep 2021 17:31:37 +0000
///     Restart Count:  36
/// QoS Class:       Burstable
/// Events:
///   Warning  BackOff         78s (x231 over 51m)  kubelet            Back-off restarting failed container app in pod rc-oomkilled-memory-limit-b6d999d-m8sl8_aiops-e2e(837f1b14-9cec-4f6f-8f5b-c89f5b397ca5)
/// ```
/// The 2015 TAB-separated layout (`Name:\t\t\t\tsimmemleak-hra99`, Events `FirstSeen LastSeen Count
/// From SubobjectPath Reason Message`) is read too. Container fields and Events rows found outside a
/// `Name:` block (excerpts) are kept, with the pod left unknown.
public struct DescribePodParser: LineParser {
    private typealias Columns = KubectlTableParser.Columns
    private typealias EventRow = KubectlTableParser.EventRow

    private enum Section {
        case none, annotations, containers(isInit: Bool), events, other
    }

    /// The indented group of container lines being read.
    private enum Group {
        case state, lastState, limits, requests, other
    }

    /// A `State:` or `Last State:` entry with its detail lines.
    private struct State {
        var line: Int
        var value: String
        var reason: String?
        var message: String?
        var exitCode: Int?
        var signal: Int?
        var started: String?
        var finished: TimeReading?
    }

    private struct Container {
        var facts: ContainerFacts
        var named: Bool
        var state: State?
        var last: State?
        var group: Group = .other
    }

    private struct Block {
        var firstLine: Int
        var name: String?
        var namespace: String?
        var node: String?
        var phase: String?
        var reason: String?
        var reasonLine: Int?
        var message: String?
        var qosClass: String?
        var priorityClass: String?
        var ownerKind: String?
        var ownerName: String?
        var configHash: String?
        var containers: [Container] = []
        var events: [Observation] = []
        var eventColumns: Columns?
        var eventFields: EventRow.Fields?
    }

    private let context: ParseContext
    private var block: Block?
    private var section: Section = .none

    public init(context: ParseContext) {
        self.context = context
    }

    public mutating func parse(_ line: Line, into output: inout ParseOutput) {
        let b = line.bytes
        let r = b.trimmedRange()
        guard !r.isEmpty else { return }
        let indent = r.lowerBound
        if indent == 0 {
            topLevel(b, line: line.number, into: &output)
            return
        }
        switch section {
        case .containers(let isInit):
            containerLine(b, indent: indent, line: line.number, isInit: isInit)
        case .events:
            eventLine(b, line: line.number, headerAllowed: true)
        case .annotations:
            annotation(b, r)
        case .none:
            // Excerpts: container state lines or Events rows with no section line above them.
            if indent == 4, b.matches("State:", at: 4) || b.matches("Last State:", at: 4) {
                section = .containers(isInit: false)
                ensureBlock(line.number)
                block?.containers.append(Container(facts: ContainerFacts(name: ""), named: false))
                containerLine(b, indent: indent, line: line.number, isInit: false)
            } else if Self.looksLikeEventRow(b, r) {
                eventLine(b, line: line.number, headerAllowed: false)
            }
        case .other:
            break
        }
    }

    public mutating func finish(into output: inout ParseOutput) {
        flush(into: &output)
    }

    // MARK: - Top-level fields

    private mutating func topLevel(_ b: UnsafeRawBufferPointer, line: Int, into output: inout ParseOutput) {
        if b.matches("Name:") {
            flush(into: &output)
            block = Block(firstLine: line)
            block?.name = Self.value(b, after: 5)
            section = .other
            return
        }
        // Column-0 lines that are not `Key:` fields (a `#` comment, a separator) end any section.
        guard let colon = Self.fieldColon(b) else {
            section = .none
            return
        }
        section = .other
        if b.matches("Containers:") {
            section = .containers(isInit: false)
        } else if b.matches("Init Containers:") {
            section = .containers(isInit: true)
        } else if b.matches("Ephemeral Containers:") {
            section = .containers(isInit: false)
        } else if b.matches("Events:") {
            section = .events
            if block != nil {
                block?.eventColumns = nil
                block?.eventFields = nil
            }
        } else if b.matches("Annotations:") {
            section = .annotations
            annotation(b, (colon + 1)..<b.count)
        } else if b.matches("Namespace:") {
            ensureBlock(line)
            block?.namespace = Self.value(b, after: colon + 1)
        } else if b.matches("Node:") {
            if let node = Self.value(b, after: colon + 1), node != "<none>" {
                ensureBlock(line)
                block?.node = node.firstIndex(of: "/").map { String(node[..<$0]) } ?? node
            }
        } else if b.matches("Status:") {
            let v = b.skipSpaces(from: colon + 1)
            let end = b.endOfToken(from: v)
            if end > v {
                ensureBlock(line)
                block?.phase = b.string(v..<end)
            }
        } else if b.matches("Reason:") {
            if let reason = Self.value(b, after: colon + 1) {
                ensureBlock(line)
                block?.reason = reason
                block?.reasonLine = line
            }
        } else if b.matches("Message:") {
            ensureBlock(line)
            block?.message = Self.value(b, after: colon + 1)
        } else if b.matches("QoS Class:") {
            ensureBlock(line)
            block?.qosClass = Self.value(b, after: colon + 1)
        } else if b.matches("Priority Class Name:") {
            if let p = Self.value(b, after: colon + 1), p != "<none>" {
                ensureBlock(line)
                block?.priorityClass = p
            }
        } else if b.matches("Controlled By:") {
            if let owner = Self.value(b, after: colon + 1), let slash = owner.firstIndex(of: "/") {
                ensureBlock(line)
                block?.ownerKind = String(owner[..<slash])
                block?.ownerName = String(owner[owner.index(after: slash)...])
            }
        } else if b.matches("Replication Controllers:") {
            // 2015: `Replication Controllers:\tsimmemleak (1/1 replicas created)`
            let v = b.skipSpaces(from: colon + 1)
            let end = b.endOfToken(from: v)
            if end > v {
                ensureBlock(line)
                block?.ownerKind = "ReplicationController"
                block?.ownerName = b.string(v..<end)
            }
        }
    }

    private mutating func ensureBlock(_ line: Int) {
        if block == nil { block = Block(firstLine: line) }
    }

    private mutating func annotation(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) {
        guard let at = b.slice(r).firstIndex(of: "kubernetes.io/config.hash:") else { return }
        if let hash = Self.value(b, after: r.lowerBound + at + 26), block != nil { block?.configHash = hash }
    }

    // MARK: - Containers

    private mutating func containerLine(_ b: UnsafeRawBufferPointer, indent: Int, line: Int, isInit: Bool) {
        // `  payment:` opens a container.
        if indent == 2 {
            let r = b.trimmedRange()
            guard b[r.upperBound - 1] == .colon, let colon = b.firstIndex(of: .colon), colon == r.upperBound - 1,
                  colon > indent, b.slice(r).firstIndex(of: .space) == nil
            else { return }
            ensureBlock(line)
            block?.containers.append(
                Container(facts: ContainerFacts(name: b.string(indent..<colon), isInit: isInit), named: true))
            return
        }
        guard let colon = b.firstIndex(of: .colon, from: indent) else { return }
        if block?.containers.isEmpty ?? true {
            ensureBlock(line)
            block?.containers.append(Container(facts: ContainerFacts(name: "", isInit: isInit), named: false))
        }
        guard var c = block?.containers.popLast() else { return }
        defer { block?.containers.append(c) }
        if indent <= 4 {
            c.group = .other
            if b.matches("Container ID:", at: indent) {
                // `containerd://<64 hex>`, `docker://…`, `cri-o://…`: keep the bare id.
                let start = b.firstIndex(of: "://", from: colon).map { $0 + 3 } ?? colon + 1
                c.facts.containerID = Self.value(b, after: start)
            } else if b.matches("Image:", at: indent) {
                c.facts.image = Self.value(b, after: colon + 1)
            } else if b.matches("State:", at: indent) {
                c.state = State(line: line, value: Self.value(b, after: colon + 1) ?? "")
                c.group = .state
            } else if b.matches("Last State:", at: indent) {
                c.last = State(line: line, value: Self.value(b, after: colon + 1) ?? "")
                c.group = .lastState
            } else if b.matches("Restart Count:", at: indent) {
                if let (n, _) = b.readInt(at: b.skipSpaces(from: colon + 1)), n <= Int64(Int32.max) {
                    c.facts.restartCount = Int(n)
                }
            } else if b.matches("Limits:", at: indent) {
                c.group = .limits
            } else if b.matches("Requests:", at: indent) {
                c.group = .requests
            }
            return
        }
        switch c.group {
        case .limits, .requests:
            guard b.matches("memory:", at: indent) else { return }
            let bytes = Quantity.bytes(b.suffix(from: colon + 1))
            if case .limits = c.group { c.facts.memoryLimitBytes = bytes } else { c.facts.memoryRequestBytes = bytes }
        case .state:
            if var s = c.state {
                Self.stateDetail(b, indent: indent, colon: colon, into: &s)
                c.state = s
            }
        case .lastState:
            if var s = c.last {
                Self.stateDetail(b, indent: indent, colon: colon, into: &s)
                c.last = s
            }
        case .other:
            break
        }
    }

    private static func stateDetail(_ b: UnsafeRawBufferPointer, indent: Int, colon: Int, into s: inout State) {
        if b.matches("Reason:", at: indent) {
            s.reason = value(b, after: colon + 1)
        } else if b.matches("Exit Code:", at: indent) {
            if let (n, _) = b.readSignedInt(at: b.skipSpaces(from: colon + 1)), abs(n) <= Int64(Int32.max) {
                s.exitCode = Int(n)
            }
        } else if b.matches("Signal:", at: indent) {
            if let (n, _) = b.readSignedInt(at: b.skipSpaces(from: colon + 1)), abs(n) <= 255 { s.signal = Int(n) }
        } else if b.matches("Started:", at: indent) {
            s.started = value(b, after: colon + 1)
        } else if b.matches("Finished:", at: indent) {
            s.finished = KubectlAge.describeReading(b, (colon + 1)..<b.count)
        } else if b.matches("Message:", at: indent) {
            s.message = value(b, after: colon + 1)
        }
    }

    // MARK: - Events

    private mutating func eventLine(_ b: UnsafeRawBufferPointer, line: Int, headerAllowed: Bool) {
        let r = b.trimmedRange()
        if KubectlTableParser.isRule(b, r) { return }
        if headerAllowed, block?.eventColumns == nil, b.matches("Type", at: r.lowerBound)
            || b.matches("FirstSeen", at: r.lowerBound)
        {
            if let columns = Columns(header: b) {
                ensureBlock(line)
                block?.eventColumns = columns
                block?.eventFields = EventRow.Fields(columns)
            }
            return
        }
        let columns = block?.eventColumns ?? Columns.describeEvents.0
        let fields = block?.eventFields ?? Columns.describeEvents.1
        guard let cells = columns.cells(b), columns.hasRequiredCells(cells),
              let obs = EventRow.observation(
                b, cells: cells, fields: fields, line: line, source: .describe, context: context,
                node: block?.node)
        else { return }
        ensureBlock(line)
        block?.events.append(obs)
    }

    /// `  Warning  BackOff  78s (x231 over 51m)  kubelet  Back-off …`
    static func looksLikeEventRow(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Bool {
        (b.matches("Normal ", at: r.lowerBound) || b.matches("Warning ", at: r.lowerBound)
            || b.matches("Normal\t", at: r.lowerBound) || b.matches("Warning\t", at: r.lowerBound))
    }

    // MARK: - Output

    private mutating func flush(into output: inout ParseOutput) {
        guard let blk = block else { return }
        block = nil
        section = .none
        let name = blk.name ?? context.podHint
        let namespace = blk.namespace ?? context.namespaceHint
        let node = blk.node ?? context.nodeHint
        // The pod's UID, when a BackOff message of its own events named it.
        let uid = blk.events.first { $0.podUID != nil && ($0.pod == nil || $0.pod == name) }?.podUID
        let who = name.map { n in (namespace.map { "\($0)/" } ?? "") + n } ?? "(unnamed pod)"
        var observations: [Observation] = []

        func base(_ kind: ObservationKind, line: Int?, time: TimeReading?, summary: String) -> Observation {
            var obs = Observation(
                kind: kind, source: .describe, location: context.location(line), time: time, summary: summary)
            obs.pod = name
            obs.namespace = namespace
            obs.node = node
            obs.podUID = uid
            return obs
        }

        for c in blk.containers {
            let label = (c.facts.isInit ? "init container " : "container ") + (c.named ? c.facts.name : "?")
            for (state, isCurrent) in [(c.last, false), (c.state, true)] {
                guard let s = state else { continue }
                if s.value.hasPrefix("Terminated") {
                    let why = [s.reason, s.exitCode.map { "exit code \($0)" }].compactMap { $0 }.joined(separator: ", ")
                    var obs = base(
                        .containerTerminated, line: s.line, time: s.finished,
                        summary: "\(label) of pod \(who) terminated" + (why.isEmpty ? "" : ": \(why)")
                            + (isCurrent ? "" : " (previous container)"))
                    if c.named { obs.container = c.facts.name }
                    if isCurrent { obs.containerID = c.facts.containerID }
                    obs.reason = s.reason
                    obs.exitCode = s.exitCode
                    obs.startedAt = s.started.flatMap { text in KubectlAge.describeTime(text).map { TimeReading($0, text: text) } }
                    let parts = [s.message, s.signal.map { "signal \($0)" }, s.started.map { "started \($0)" }]
                    let message = parts.compactMap { $0 }.joined(separator: "; ")
                    obs.message = message.isEmpty ? nil : message
                    let memory = MemoryFigures(limitBytes: c.facts.memoryLimitBytes, requestBytes: c.facts.memoryRequestBytes)
                    if !memory.isEmpty { obs.memory = memory }
                    observations.append(obs)
                } else if isCurrent, s.value.hasPrefix("Waiting"), s.reason == "CrashLoopBackOff" {
                    var obs = base(
                        .backOff, line: s.line, time: nil,
                        summary: "\(label) of pod \(who) is waiting in CrashLoopBackOff"
                            + (c.facts.restartCount.map { " after \($0) restarts" } ?? ""))
                    if c.named { obs.container = c.facts.name }
                    obs.containerID = c.facts.containerID
                    obs.reason = "CrashLoopBackOff"
                    obs.message = s.message
                    observations.append(obs)
                }
            }
        }

        if blk.reason == "Evicted" {
            var obs = base(
                .podEvicted, line: blk.reasonLine, time: nil,
                summary: "pod \(who) was evicted" + (blk.message.map { ": \($0)" } ?? ""))
            obs.reason = "Evicted"
            obs.message = blk.message
            obs.resource = EventReason.resource(reason: "Evicted", message: blk.message)
            observations.append(obs)
        }

        for var event in blk.events {
            if let name {
                event.pod = name
                event.namespace = namespace
            }
            if event.podUID == nil { event.podUID = uid }
            if event.node == nil { event.node = node }
            if let name { EventRow.summarize(&event, object: "pod " + (namespace.map { "\($0)/" } ?? "") + name) }
            observations.append(event)
        }
        observations.sort { ($0.location.line ?? 0) < ($1.location.line ?? 0) }
        output.observations.append(contentsOf: observations)

        guard let name else {
            output.diagnostics.append(
                Diagnostic(
                    .note, file: context.path, line: blk.firstLine,
                    "describe pod text without a Name: line; its containers and events are kept without their pod"))
            return
        }
        var facts = PodFacts(namespace: namespace ?? "", name: name, location: context.location(blk.firstLine))
        facts.uid = uid
        facts.node = node
        facts.qosClass = blk.qosClass
        facts.priorityClass = blk.priorityClass
        facts.ownerKind = blk.ownerKind
        facts.ownerName = blk.ownerName
        facts.phase = blk.phase
        facts.reason = blk.reason
        facts.message = blk.message
        facts.configHash = blk.configHash
        facts.containers = blk.containers.filter(\.named).map { c in
            var f = c.facts
            if let s = c.state, !s.value.isEmpty {
                f.state = s.value + (s.reason.map { " (\($0))" } ?? "")
            }
            return f
        }
        output.pods.append(facts)
    }

    /// The colon ending a column-0 field name (`Name:`, `Controlled By:`, `Non-terminated Pods:`);
    /// nil for any other line.
    static func fieldColon(_ b: UnsafeRawBufferPointer) -> Int? {
        guard let first = b.first, (first | 0x20) >= UInt8(ascii: "a"), (first | 0x20) <= UInt8(ascii: "z"),
              let colon = b.firstIndex(of: .colon)
        else { return nil }
        for i in 0..<colon {
            let c = b[i] | 0x20
            guard (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || b[i] == .space || b[i] == .dash
                || b[i] == .openParen || b[i] == .closeParen
            else { return nil }
        }
        return colon
    }

    /// The trimmed text after `offset`, nil when empty.
    static func value(_ b: UnsafeRawBufferPointer, after offset: Int) -> String? {
        let r = b.trimmedRange(min(offset, b.count)..<b.count)
        return r.isEmpty ? nil : b.string(r)
    }
}
