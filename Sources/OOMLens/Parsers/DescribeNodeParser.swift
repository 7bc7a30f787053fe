/// Reads `kubectl describe node(s)` text: one `NodeFacts` per node block (labels, conditions,
/// memory capacity and allocatable, the memory its pods request and limit) and observations for
/// memory pressure and its Events table (SystemOOM, EvictionThresholdMet, OOMKilling, …).
///
/// Sample input (reference samples; each node block starts at a column-0 `Name:` line):
/// ```
/// Conditions:
///   Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message
///   ----             ------  -----------------                 ------------------                ------                       -------
///   MemoryPressure   True    Wed, 25 Sep 2019 15:43:37 +0100   Wed, 25 Sep 2019 15:38:37 +0100   KubeletHasInsufficientMemory   kubelet has insufficient memory available
/// Capacity:
///  memory:             131671024Ki
/// Allocated resources:
///   (Total limits may be over 100 percent, i.e., overcommitted.)
///   Resource           Requests      Limits
///   memory             6280Mi (79%)  6370Mi (81%)
/// Events:
///   Warning  SystemOOM  5m24s  kubelet  System OOM encountered, victim process: ld-musl-x86_64., pid: 11415
///   Warning  EvictionThresholdMet       2m50s (x3 over 5m19s)  kubelet, 10.72.127.182  Attempting to reclaim memory
/// ```
/// The `Non-terminated Pods` table (`Namespace  Name  CPU Requests  CPU Limits  Memory Requests
/// Memory Limits  Age`) is summed and each pod in it gets a minimal `PodFacts` placing it on the node.
/// Condition and Events rows found outside a `Name:` block (excerpts) are kept, the node taken from
/// the file's node hint.
public struct DescribeNodeParser: LineParser {
    private typealias Columns = KubectlTableParser.Columns
    private typealias EventRow = KubectlTableParser.EventRow

    private enum Section {
        case none, labels, conditions, capacity, allocatable, pods, allocated, events, other
    }

    private struct Block {
        var firstLine: Int
        var name: String?
        var labels: [String: String] = [:]
        var conditions: [String: String] = [:]
        var capacity: Int64?
        var allocatable: Int64?
        var podRequests: Int64?
        var podLimits: Int64?
        var allocatedRequests: Int64?
        var allocatedLimits: Int64?
        var pods: [PodFacts] = []
        /// Pressure conditions, then Events rows.
        var pressure: [Observation] = []
        var events: [Observation] = []
    }

    private static let conditionLayout = Columns(
        assumed: ["TYPE", "STATUS", "LASTHEARTBEATTIME", "LASTTRANSITIONTIME", "REASON", "MESSAGE"])

    private let context: ParseContext
    private var block: Block?
    private var section: Section = .none
    /// The header of the current section's table.
    private var columns: Columns?
    private var eventFields: EventRow.Fields?

    public init(context: ParseContext) {
        self.context = context
    }

    public mutating func parse(_ line: Line, into output: inout ParseOutput) {
        let b = line.bytes
        let r = b.trimmedRange()
        guard !r.isEmpty else { return }
        if r.lowerBound == 0 {
            topLevel(b, line: line.number, into: &output)
            return
        }
        if KubectlTableParser.isRule(b, r) { return }
        switch section {
        case .labels:
            label(b, r)
        case .conditions:
            if columns == nil, b.matches("Type", at: r.lowerBound) {
                columns = Columns(header: b)
            } else {
                condition(b, line: line.number, columns: columns ?? Self.conditionLayout)
            }
        case .capacity, .allocatable:
            guard b.matches("memory:", at: r.lowerBound) else { return }
            let bytes = Quantity.bytes(b.suffix(from: r.lowerBound + 7))
            ensureBlock(line.number)
            if case .capacity = section { block?.capacity = bytes } else { block?.allocatable = bytes }
        case .pods:
            if columns == nil, b.matches("Namespace", at: r.lowerBound) {
                columns = Columns(header: b)
            } else if let columns {
                podRow(b, line: line.number, columns: columns)
            }
        case .allocated:
            if b[r.lowerBound] == .openParen { return }
            if columns == nil, b.matches("Resource", at: r.lowerBound) || b.matches("CPU Requests", at: r.lowerBound) {
                columns = Columns(header: b)
            } else if let columns {
                allocatedRow(b, columns: columns)
            }
        case .events:
            if eventFields == nil, b.matches("Type", at: r.lowerBound) || b.matches("FirstSeen", at: r.lowerBound) {
                if let c = Columns(header: b) {
                    columns = c
                    eventFields = EventRow.Fields(c)
                }
            } else {
                event(b, line: line.number)
            }
        case .none:
            // Excerpts: condition or Events rows with no section line above them.
            if DescribePodParser.looksLikeEventRow(b, r) {
                event(b, line: line.number)
            } else {
                let cells = Columns.cellRanges(b)
                if cells.count >= 5, Self.isConditionStatus(b.slice(cells[1])) {
                    condition(b, line: line.number, columns: Self.conditionLayout)
                }
            }
        case .other:
            break
        }
    }

    public mutating func finish(into output: inout ParseOutput) {
        flush(into: &output)
    }

    // MARK: - Sections

    private mutating func topLevel(_ b: UnsafeRawBufferPointer, line: Int, into output: inout ParseOutput) {
        columns = nil
        eventFields = nil
        if b.matches("Name:") {
            flush(into: &output)
            block = Block(firstLine: line)
            block?.name = DescribePodParser.value(b, after: 5)
            section = .other
            return
        }
        guard let colon = DescribePodParser.fieldColon(b) else {
            section = .none
            return
        }
        if b.matches("Labels:") {
            section = .labels
            label(b, b.trimmedRange((colon + 1)..<b.count))
        } else if b.matches("Conditions:") {
            section = .conditions
        } else if b.matches("Capacity:") {
            section = .capacity
        } else if b.matches("Allocatable:") {
            section = .allocatable
        } else if b.matches("Non-terminated Pods:") {
            section = .pods
        } else if b.matches("Allocated resources:") {
            section = .allocated
        } else if b.matches("Events:") {
            section = .events
        } else {
            section = .other
        }
    }

    private mutating func ensureBlock(_ line: Int) {
        if block == nil { block = Block(firstLine: line) }
    }

    /// `beta.kubernetes.io/arch=amd64` (first line or an indented continuation).
    private mutating func label(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) {
        guard !r.isEmpty, let eq = b.firstIndex(of: .equals, from: r.lowerBound), eq < r.upperBound,
              eq > r.lowerBound, block != nil
        else { return }
        block?.labels[b.string(r.lowerBound..<eq)] = b.string((eq + 1)..<r.upperBound)
    }

    private static func isConditionStatus(_ s: UnsafeRawBufferPointer) -> Bool {
        KubectlTableParser.equals(s, "True") || KubectlTableParser.equals(s, "False")
            || KubectlTableParser.equals(s, "Unknown")
    }

    private mutating func condition(_ b: UnsafeRawBufferPointer, line: Int, columns: Columns) {
        guard let cells = columns.cells(b), let ti = columns.index("TYPE"), let si = columns.index("STATUS"),
              !cells[ti].isEmpty, Self.isConditionStatus(b.slice(cells[si]))
        else { return }
        let type = b.slice(cells[ti])
        ensureBlock(line)
        block?.conditions[type.string] = b.string(cells[si])
        guard KubectlTableParser.equals(b.slice(cells[si]), "True") else { return }
        let resource: String
        if KubectlTableParser.equals(type, "MemoryPressure") {
            resource = "memory"
        } else if KubectlTableParser.equals(type, "DiskPressure") {
            resource = "ephemeral-storage"
        } else if KubectlTableParser.equals(type, "PIDPressure") {
            resource = "pid"
        } else {
            return
        }
        let since = columns.index("LASTTRANSITIONTIME").flatMap { KubectlAge.describeReading(b, cells[$0]) }
        var obs = Observation(
            kind: .nodePressure, source: .describe, location: context.location(line), time: since, summary: "")
        obs.resource = resource
        obs.reason = columns.index("REASON").flatMap { cells[$0].isEmpty ? nil : b.string(cells[$0]) }
        obs.message = columns.index("MESSAGE").flatMap { cells[$0].isEmpty ? nil : b.string(cells[$0]) }
        obs.summary = "\(type.string) True" + (since.map { " since \($0.text)" } ?? "")
            + (obs.message.map { ": \($0)" } ?? "")
        block?.pressure.append(obs)
    }

    /// A row of `Non-terminated Pods`: `  kube-system  coredns-d489fb88-drd5n  100m (2%)  0 (0%)  70Mi (0%)  170Mi (1%)  48m`.
    private mutating func podRow(_ b: UnsafeRawBufferPointer, line: Int, columns: Columns) {
        guard let cells = columns.cells(b), columns.hasRequiredCells(cells), let ni = columns.index("NAME") else { return }
        ensureBlock(line)
        if let ri = columns.index("MEMORY REQUESTS"), let bytes = Self.amount(b, cells[ri]) {
            let sum = (block?.podRequests ?? 0) + bytes
            block?.podRequests = sum
        }
        if let li = columns.index("MEMORY LIMITS"), let bytes = Self.amount(b, cells[li]) {
            let sum = (block?.podLimits ?? 0) + bytes
            block?.podLimits = sum
        }
        let namespace = columns.index("NAMESPACE").map { b.string(cells[$0]) } ?? ""
        block?.pods.append(PodFacts(namespace: namespace, name: b.string(cells[ni]), location: context.location(line)))
    }

    /// `  memory             6280Mi (79%)  6370Mi (81%)`, or the old one-row form under
    /// `CPU Requests  CPU Limits  Memory Requests  Memory Limits`.
    private mutating func allocatedRow(_ b: UnsafeRawBufferPointer, columns: Columns) {
        guard let cells = columns.cells(b), block != nil else { return }
        if let resource = columns.index("RESOURCE") {
            guard KubectlTableParser.equals(b.slice(cells[resource]), "memory") else { return }
            block?.allocatedRequests = columns.index("REQUESTS").flatMap { Self.amount(b, cells[$0]) }
            block?.allocatedLimits = columns.index("LIMITS").flatMap { Self.amount(b, cells[$0]) }
        } else {
            block?.allocatedRequests = columns.index("MEMORY REQUESTS").flatMap { Self.amount(b, cells[$0]) }
            block?.allocatedLimits = columns.index("MEMORY LIMITS").flatMap { Self.amount(b, cells[$0]) }
        }
    }

    /// The quantity before ` (79%)`.
    private static func amount(_ b: UnsafeRawBufferPointer, _ cell: Range<Int>) -> Int64? {
        guard !cell.isEmpty else { return nil }
        return Quantity.bytes(b.slice(cell.lowerBound..<min(b.endOfToken(from: cell.lowerBound), cell.upperBound)))
    }

    private mutating func event(_ b: UnsafeRawBufferPointer, line: Int) {
        let layout = eventFields.flatMap { f in columns.map { ($0, f) } } ?? Columns.describeEvents
        guard let cells = layout.0.cells(b), layout.0.hasRequiredCells(cells),
              let obs = EventRow.observation(
                b, cells: cells, fields: layout.1, line: line, source: .describe, context: context,
                node: block?.name)
        else { return }
        ensureBlock(line)
        block?.events.append(obs)
    }

    // MARK: - Output

    private mutating func flush(into output: inout ParseOutput) {
        guard let blk = block else { return }
        block = nil
        section = .none
        let name = blk.name ?? context.nodeHint
        var observations: [Observation] = []
        for var obs in blk.pressure {
            obs.node = name
            if let name { obs.summary = "node \(name): " + obs.summary }
            observations.append(obs)
        }
        for var obs in blk.events {
            if let name {
                obs.node = name
                EventRow.summarize(&obs, object: "node/\(name)")
            }
            observations.append(obs)
        }
        observations.sort { ($0.location.line ?? 0) < ($1.location.line ?? 0) }
        output.observations.append(contentsOf: observations)
        guard let name else {
            output.diagnostics.append(
                Diagnostic(
                    .note, file: context.path, line: blk.firstLine,
                    "describe node text without a Name: line; its conditions and events are kept without their node"))
            return
        }
        var facts = NodeFacts(name: name, location: context.location(blk.firstLine))
        facts.labels = blk.labels
        facts.conditions = blk.conditions
        facts.capacityMemoryBytes = blk.capacity
        facts.allocatableMemoryBytes = blk.allocatable
        facts.podsMemoryRequestsBytes = blk.allocatedRequests ?? blk.podRequests
        facts.podsMemoryLimitsBytes = blk.allocatedLimits ?? blk.podLimits
        output.nodes.append(facts)
        for var pod in blk.pods {
            pod.node = name
            output.pods.append(pod)
        }
    }
}
