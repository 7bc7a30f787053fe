/// Reads the tables `kubectl get pods`, `kubectl get events`, `kubectl get nodes` and `kubectl top`
/// print, with or without `-A` and `-o wide`, several tables per file each under its own header.
///
/// Sample input (reference samples):
/// ```
/// NAME                                                 READY   STATUS      RESTARTS      AGE
/// tax-tribunals-application-base-74464f6b98-2kj6g      0/1     OOMKilled   4 (57s ago)   2m40s
/// istio-citadel-894d98c88-zkt23               0/1     Evicted   0          102d
/// default         53m         Warning   SystemOOM              node/nlk8s-node04                                              System OOM encountered, victim process: grafana, pid: 1568701
/// 8s          Warning   BackOff             pod/crashloop          spec.containers{crashloop}     Back-off restarting failed container
/// default         Warning    node3.164b58660f8d4590                           2020-11-27T19:01:27+08:00   OOMKilling            Out of memory: Kill process 16711 (stress) score 205 or sacrifice child Killed process 16711 (stress), UID 0, total-vm:826516kB, anon-rss:819296kB, file-rss:0kB, shmem-rss:0kB
/// NAME                             CPU(cores)   MEMORY(bytes)
/// bd-55bc89fd9f-mnwvm              3m           415Mi
/// ```
/// Cells are cut at the header's column offsets; a row that does not line up with its header
/// (pasted, re-indented) is split at runs of two or more spaces instead. Event rows become
/// observations through `EventReason`; pod rows give a minimal `PodFacts` and, for a failed STATUS
/// (`OOMKilled`, `Error`, `CrashLoopBackOff`, `Evicted`, `ContainerStatusUnknown`, `ExitCode:137`, each
/// also under `Init:`), an observation; node rows give a `NodeFacts`. `top` rows are only counted:
/// the model has no place for a memory usage sample. Event rows with no header at all (excerpts) are
/// read by inferring the columns from the cells.
public struct KubectlTableParser: LineParser {
    /// Which kubectl table a header starts.
    public enum Table: Sendable, Hashable {
        case pods, events, nodes, top
    }

    private struct PodFields {
        var namespace, name, status, restarts, node: Int?

        init(_ c: Columns) {
            namespace = c.index("NAMESPACE")
            name = c.index("NAME")
            status = c.index("STATUS")
            restarts = c.index("RESTARTS")
            node = c.index("NODE")
        }
    }

    private struct Active {
        var columns: Columns
        var table: Table
        var events: EventRow.Fields
        var pods: PodFields
    }

    private let context: ParseContext
    private var active: Active?
    /// Data rows read (in any table).
    public private(set) var rowCount = 0
    /// `kubectl top` rows seen; their values are not kept.
    public private(set) var topRowCount = 0
    private var misfitCount = 0
    private var misfitLines: [Int] = []
    private var inferredCount = 0
    private var inferredLines: [Int] = []

    public init(context: ParseContext) {
        self.context = context
    }

    public mutating func parse(_ line: Line, into output: inout ParseOutput) {
        let b = line.bytes
        let r = b.trimmedRange()
        guard !r.isEmpty else { return }
        let first = b[r.lowerBound]
        // `# source:` lines of samples, dash rules under headers.
        if first == UInt8(ascii: "#") { return }
        if Self.isRule(b, r) { return }
        if Self.isHeader(b, r) {
            startTable(b, line: line.number, into: &output)
            return
        }
        guard let active else {
            readHeaderless(b, line: line.number, into: &output)
            return
        }
        guard let cells = active.columns.cells(b), active.columns.hasRequiredCells(cells) else {
            misfit(line.number)
            return
        }
        rowCount += 1
        switch active.table {
        case .events:
            if let obs = EventRow.observation(
                b, cells: cells, fields: active.events, line: line.number, source: .kubectlGet,
                context: context, node: nil)
            {
                output.observations.append(obs)
            }
        case .pods:
            readPod(b, cells: cells, fields: active.pods, line: line.number, into: &output)
        case .nodes:
            readNode(b, cells: cells, line: line.number, into: &output)
        case .top:
            topRowCount += 1
        }
    }

    public mutating func finish(into output: inout ParseOutput) {
        if misfitCount > 0 {
            output.diagnostics.append(
                Diagnostic(
                    .warning, file: context.path, line: misfitLines.first,
                    "\(misfitCount) line(s) did not fit a kubectl table header and were skipped (lines "
                        + Self.list(misfitLines, total: misfitCount) + ")"))
        }
        if inferredCount > 0 {
            output.diagnostics.append(
                Diagnostic(
                    .note, file: context.path, line: inferredLines.first,
                    "\(inferredCount) event row(s) had no header line; columns were inferred from the cells (lines "
                        + Self.list(inferredLines, total: inferredCount) + ")"))
        }
        if topRowCount > 0 {
            output.diagnostics.append(
                Diagnostic(
                    .note, file: context.path, line: nil,
                    "\(topRowCount) kubectl top row(s) read; memory usage samples are not kept"))
        }
    }

    // MARK: - Tables

    private mutating func startTable(_ b: UnsafeRawBufferPointer, line: Int, into output: inout ParseOutput) {
        guard let columns = Columns(header: b) else { return }
        let table: Table?
        if columns.index("REASON") != nil {
            table = .events
        } else if columns.index("CPU(CORES)") != nil || columns.index("MEMORY(BYTES)") != nil {
            table = .top
        } else if columns.index("READY") != nil, columns.index("STATUS") != nil {
            table = .pods
        } else if columns.index("STATUS") != nil,
                  columns.index("ROLES") != nil || columns.index("VERSION") != nil
        {
            table = .nodes
        } else {
            switch context.kind {
            case .getPods: table = .pods
            case .getEvents: table = .events
            case .getNodes: table = .nodes
            case .top: table = .top
            default: table = nil
            }
        }
        guard let table else {
            active = nil
            output.diagnostics.append(
                Diagnostic(.note, file: context.path, line: line, "unknown kubectl table header; its rows are skipped"))
            return
        }
        active = Active(columns: columns, table: table, events: EventRow.Fields(columns), pods: PodFields(columns))
    }

    private mutating func readHeaderless(_ b: UnsafeRawBufferPointer, line: Int, into output: inout ParseOutput) {
        let tokens = Columns.cellRanges(b)
        guard let (columns, fields) = Columns.inferredEventLayout(b, tokens: tokens),
              let cells = columns.cells(b), columns.hasRequiredCells(cells)
        else {
            misfit(line)
            return
        }
        rowCount += 1
        inferredCount += 1
        if inferredLines.count < 5 { inferredLines.append(line) }
        if let obs = EventRow.observation(
            b, cells: cells, fields: fields, line: line, source: .kubectlGet, context: context, node: nil)
        {
            output.observations.append(obs)
        }
    }

    private mutating func misfit(_ line: Int) {
        misfitCount += 1
        if misfitLines.count < 5 { misfitLines.append(line) }
    }

    // MARK: - Pods

    private func readPod(
        _ b: UnsafeRawBufferPointer, cells: [Range<Int>], fields: PodFields, line: Int,
        into output: inout ParseOutput
    ) {
        guard let nameIndex = fields.name, let statusIndex = fields.status else { return }
        let name = b.string(cells[nameIndex])
        let namespace = fields.namespace.map { b.string(cells[$0]) } ?? context.namespaceHint
        var node: String?
        if let n = fields.node, !cells[n].isEmpty, !b.slice(cells[n]).hasPrefix("<none>") {
            node = b.string(cells[n])
        }
        var facts = PodFacts(namespace: namespace ?? "", name: name, location: context.location(line))
        facts.node = node

        let status = b.slice(cells[statusIndex])
        let isInit = status.hasPrefix("Init:")
        let s = isInit ? status.suffix(from: 5) : status
        let restartsRange = fields.restarts.map { cells[$0] }
        let restarts = restartsRange.flatMap { KubectlAge.restarts(b, $0) }
        // The cell's text is kept only when it carries a time.
        let restartsText = restarts?.lastRestart == nil ? nil : restartsRange.map { b.string($0) }

        if Self.equals(status, "Running") || Self.equals(status, "Pending") || Self.equals(status, "Succeeded")
            || Self.equals(status, "Failed")
        {
            facts.phase = status.string
        } else if Self.equals(status, "Completed") {
            facts.phase = "Succeeded"
        } else if Self.equals(status, "Evicted") {
            facts.phase = "Failed"
            facts.reason = "Evicted"
        }
        output.pods.append(facts)

        func base(_ kind: ObservationKind, _ summary: String) -> Observation {
            var obs = Observation(
                kind: kind, source: .kubectlGet, location: context.location(line), time: nil, summary: summary)
            obs.pod = name
            obs.namespace = namespace
            obs.node = node ?? context.nodeHint
            return obs
        }
        let who = (namespace.map { "\($0)/" } ?? "") + name
        let restartNote = restarts.map { r in
            "restarts \(r.count)" + (r.lastRestart.map { ", last \($0.seconds)s before collection" } ?? "")
        }

        // Terminated reasons shown as STATUS: the current container state. Its termination came
        // after the last restart, so it happened within the restart age.
        var terminatedReason: String?
        var exitCode: Int?
        var isTerminated = false
        if Self.equals(s, "OOMKilled") || Self.equals(s, "Error") || Self.equals(s, "ContainerStatusUnknown")
            || Self.equals(s, "OOM Killed")
        {
            terminatedReason = s.string
            isTerminated = true
        } else if s.hasPrefix("ExitCode:"), let (code, _) = s.readSignedInt(at: 9) {
            exitCode = Int(code)
            isTerminated = true
        } else if s.hasPrefix("Signal:") {
            isTerminated = true
        }
        if isTerminated {
            let label = terminatedReason ?? s.string
            var obs = base(
                .containerTerminated,
                "\(isInit ? "init container" : "container") of pod \(who) terminated: \(label)"
                    + (restartNote.map { ", \($0)" } ?? ""))
            obs.reason = terminatedReason == "OOM Killed" ? "OOMKilled" : terminatedReason
            obs.exitCode = exitCode
            obs.message = [isInit ? "init container" : nil, terminatedReason == nil ? label : nil, restartNote]
                .compactMap { $0 }.joined(separator: ", ")
            if obs.message?.isEmpty == true { obs.message = nil }
            if let last = restarts?.lastRestart, let text = restartsText {
                obs.time = TimeReading(
                    .beforeCollection(seconds: 0, resolution: last.seconds + last.resolution), text: text)
            }
            output.observations.append(obs)
            return
        }
        if Self.equals(s, "CrashLoopBackOff") {
            var obs = base(
                .backOff,
                "\(isInit ? "init container" : "container") of pod \(who) in CrashLoopBackOff"
                    + (restartNote.map { ", \($0)" } ?? ""))
            obs.reason = "CrashLoopBackOff"
            obs.message = restartNote
            output.observations.append(obs)
        } else if Self.equals(s, "Evicted") {
            var obs = base(.podEvicted, "pod \(who) was evicted")
            obs.reason = "Evicted"
            output.observations.append(obs)
        }
        // A restart age is the previous container's finish time, whatever the status.
        if let last = restarts?.lastRestart, let text = restartsText {
            var obs = base(
                .containerTerminated,
                "a container of pod \(who) last terminated \(last.seconds)s before collection (reason not shown)")
            obs.time = TimeReading(last.sourceTime, text: text)
            obs.message = restartNote
            output.observations.append(obs)
        }
    }

    // MARK: - Nodes

    private func readNode(_ b: UnsafeRawBufferPointer, cells: [Range<Int>], line: Int, into output: inout ParseOutput) {
        guard let columns = active?.columns, let nameIndex = columns.index("NAME") else { return }
        var facts = NodeFacts(name: b.string(cells[nameIndex]), location: context.location(line))
        if let statusIndex = columns.index("STATUS") {
            let status = b.slice(cells[statusIndex])
            if status.hasPrefix("Ready") {
                facts.conditions["Ready"] = "True"
            } else if status.hasPrefix("NotReady") {
                facts.conditions["Ready"] = "False"
            } else if status.hasPrefix("Unknown") {
                facts.conditions["Ready"] = "Unknown"
            }
        }
        output.nodes.append(facts)
    }

    // MARK: - Line shapes

    /// A header: upper-case names (`NAME`, `LAST SEEN`, `CPU(cores)`) that include NAME or REASON.
    static func isHeader(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Bool {
        let first = b[r.lowerBound]
        guard first >= UInt8(ascii: "A"), first <= UInt8(ascii: "Z") else { return false }
        var depth = 0
        for i in r {
            let c = b[i]
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"), .space, .tab,
                 UInt8(ascii: "%"), .dash, .underscore, .dot, .slash:
                continue
            case .openParen: depth += 1
            case .closeParen: depth -= 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                if depth <= 0 { return false }
            default:
                return false
            }
        }
        let line = b.slice(r)
        return line.contains("NAME") || line.contains("REASON")
    }

    /// A rule of dashes under a header (`----   ------`).
    static func isRule(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Bool {
        guard b[r.lowerBound] == .dash else { return false }
        for i in r where b[i] != .dash && !b[i].isSpaceOrTab { return false }
        return true
    }

    /// True when the bytes are exactly `literal`.
    static func equals(_ s: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        s.count == literal.utf8CodeUnitCount && s.matches(literal)
    }

    static func list(_ lines: [Int], total: Int) -> String {
        lines.map(String.init).joined(separator: ", ") + (total > lines.count ? ", …" : "")
    }
}

// MARK: - Columns

extension KubectlTableParser {
    /// The column layout of a kubectl text table, read from its header line or assumed.
    ///
    /// kubectl's tabwriter pads every cell of a column to one width, so the header's cell offsets
    /// are the rows' cell offsets. Pasted tables lose that alignment; their rows are split at runs
    /// of two or more spaces (or TABs, the 2015 describe format) and mapped by position, the free-text
    /// column (`MESSAGE`) absorbing extra cells and empty optional columns (`SUBOBJECT`, `From`)
    /// assumed missing when a cell is short.
    public struct Columns: Sendable, Hashable {
        /// Column names, upper-cased (`LAST SEEN`, `TYPE`, `MESSAGE`).
        public private(set) var names: [String]
        /// The byte offset of each column in the header; empty for assumed layouts.
        private var starts: [Int]
        private var tabSeparated: Bool
        /// The free-text column, which may hold runs of spaces.
        private var flexible: Int?
        /// Columns that may be empty, in the order they are assumed missing from a short row.
        private var optional: [Int]

        private static let optionalNames = ["SUBOBJECT", "SUBOBJECTPATH", "FROM", "SOURCE", "NOMINATED NODE",
                                            "READINESS GATES"]

        /// Reads a header line; nil when it has no cells.
        public init?(header b: UnsafeRawBufferPointer) {
            let cells = Self.cellRanges(b)
            guard !cells.isEmpty else { return nil }
            self.init(
                names: cells.map { b.string($0).uppercased() }, starts: cells.map(\.lowerBound),
                tabSeparated: b.firstIndex(of: .tab) != nil)
        }

        /// A layout for rows with no header, matched by position only.
        public init(assumed names: [String]) {
            self.init(names: names, starts: [], tabSeparated: false)
        }

        private init(names: [String], starts: [Int], tabSeparated: Bool) {
            self.names = names
            self.starts = starts
            self.tabSeparated = tabSeparated
            self.flexible = names.lastIndex(of: "MESSAGE")
            self.optional = Self.optionalNames.compactMap { names.firstIndex(of: $0) }
        }

        /// The index of a column by its upper-case name.
        public func index(_ name: String) -> Int? { names.firstIndex(of: name) }

        /// The cell ranges of a row, one per column (empty when the cell is); nil when the row
        /// cannot be matched with the columns.
        public func cells(_ b: UnsafeRawBufferPointer) -> [Range<Int>]? {
            let n = names.count
            if !tabSeparated, starts.count == n, let cells = byOffsets(b) { return cells }
            let tokens = Self.cellRanges(b)
            if tokens.count == n { return tokens }
            if tokens.count > n, let f = flexible {
                let after = n - 1 - f
                let merged = tokens[f].lowerBound..<tokens[tokens.count - 1 - after].upperBound
                return Array(tokens[0..<f]) + [merged] + Array(tokens[(tokens.count - after)...])
            }
            let missing = n - tokens.count
            guard missing > 0, missing <= optional.count, !tokens.isEmpty else { return nil }
            let dropped = optional.prefix(missing)
            var result: [Range<Int>] = []
            result.reserveCapacity(n)
            var k = 0
            for c in 0..<n {
                if dropped.contains(c) {
                    let at = k < tokens.count ? tokens[k].lowerBound : b.count
                    result.append(at..<at)
                } else {
                    result.append(tokens[k])
                    k += 1
                }
            }
            return result
        }

        /// True when every column that is never empty has a cell.
        public func hasRequiredCells(_ cells: [Range<Int>]) -> Bool {
            for (i, cell) in cells.enumerated() where cell.isEmpty {
                if i != flexible, !optional.contains(i) { return false }
            }
            return true
        }

        /// Cuts a row at the header's offsets; nil when a cell straddles a column boundary.
        private func byOffsets(_ b: UnsafeRawBufferPointer) -> [Range<Int>]? {
            let n = starts.count
            let first = b.skipSpaces(from: 0)
            guard first < b.count, first >= starts[0], n == 1 || first < starts[1] else { return nil }
            var result: [Range<Int>] = []
            result.reserveCapacity(n)
            for i in 0..<n {
                let s = starts[i]
                if s >= b.count {
                    result.append(b.count..<b.count)
                    continue
                }
                if i > 0, !b[s - 1].isSpaceOrTab { return nil }
                let e = i + 1 < n ? min(starts[i + 1], b.count) : b.count
                let cell = b.trimmedRange(s..<max(s, e))
                if i != flexible, Self.hasGap(b, cell) { return nil }
                result.append(cell)
            }
            return result
        }

        private static func hasGap(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Bool {
            var i = r.lowerBound
            while i < r.upperBound {
                if b[i] == .tab { return true }
                if b[i] == .space, i + 1 < r.upperBound, b[i + 1] == .space { return true }
                i += 1
            }
            return false
        }

        /// Splits a line into cells at runs of two or more spaces or at TABs.
        public static func cellRanges(_ b: UnsafeRawBufferPointer) -> [Range<Int>] {
            var cells: [Range<Int>] = []
            var i = b.skipSpaces(from: 0)
            let n = b.count
            while i < n {
                let start = i
                var j = i
                while j < n {
                    if b[j] == .tab || b[j] == .carriageReturn { break }
                    if b[j] == .space, j + 1 >= n || b[j + 1].isSpaceOrTab { break }
                    j += 1
                }
                cells.append(start..<j)
                i = b.skipSpaces(from: j)
                if i < n, b[i] == .carriageReturn { i += 1 }
            }
            return cells
        }

        /// The Events table of `kubectl describe` when its header was not seen (excerpts).
        public static let describeEvents: (Columns, EventRow.Fields) = {
            let c = Columns(assumed: ["TYPE", "REASON", "AGE", "FROM", "MESSAGE"])
            return (c, EventRow.Fields(c))
        }()

        // MARK: Inferred event layouts

        private static let inferredPrefixes: [[String]] = [[], ["LAST SEEN"], ["NAMESPACE"], ["NAMESPACE", "LAST SEEN"]]
        private static let inferredSuffixes: [[String]] = [
            ["REASON", "OBJECT", "MESSAGE"], ["REASON", "OBJECT", "SUBOBJECT", "MESSAGE"],
            ["NAME", "TIME", "REASON", "MESSAGE"], ["REASON", "MESSAGE"],
        ]
        private static let inferredLayouts: [(Columns, EventRow.Fields)] = inferredPrefixes.flatMap { prefix in
            inferredSuffixes.map { suffix in
                let c = Columns(assumed: prefix + ["TYPE"] + suffix)
                return (c, EventRow.Fields(c))
            }
        }

        /// The columns of a `kubectl get events` row printed without its header, guessed from the cells:
        /// `[NAMESPACE] [LAST SEEN] TYPE REASON OBJECT [SUBOBJECT] MESSAGE` or the custom-columns
        /// `NAMESPACE TYPE NAME TIME REASON MESSAGE`. Nil when the row has no `Normal`/`Warning` cell.
        static func inferredEventLayout(
            _ b: UnsafeRawBufferPointer, tokens: [Range<Int>]
        ) -> (Columns, EventRow.Fields)? {
            func isType(_ r: Range<Int>) -> Bool {
                let t = b.slice(r)
                return (t.count == 6 && t.matches("Normal")) || (t.count == 7 && t.matches("Warning"))
            }
            guard let t = tokens.prefix(3).firstIndex(where: isType), tokens.count >= t + 3 else { return nil }
            let prefix: Int
            switch t {
            case 0: prefix = 0
            case 1:
                let cell = b.slice(tokens[0])
                prefix = KubectlAge.age(b, tokens[0]) != nil || cell.hasPrefix("<unknown>") ? 1 : 2
            default: prefix = 3
            }
            let suffix: Int
            if RFC3339.read(b, at: tokens[t + 2].lowerBound) != nil {
                suffix = 2
            } else if b.slice(tokens[t + 2]).firstIndex(of: .slash) != nil {
                if tokens.count > t + 4, b.slice(tokens[t + 3]).hasPrefix("spec.") {
                    suffix = 1
                } else {
                    suffix = 0
                }
            } else {
                suffix = 3
            }
            return inferredLayouts[prefix * inferredSuffixes.count + suffix]
        }
    }
}

// MARK: - Event rows

extension KubectlTableParser {
    /// Turns one event row of a kubectl table (`get events`, the Events section of `describe`) into
    /// an observation, using `EventReason` for its kind and reading what its message names: the
    /// SystemOOM victim, the process an `OOMKilling` event repeats, a BackOff's container and pod UID.
    public enum EventRow {
        /// Where each event column is, by name, in one table layout.
        public struct Fields: Sendable, Hashable {
            var namespace, lastSeen, firstSeen, count, type, reason, object, kind, name, subobject, source,
                message, time: Int?

            public init(_ c: Columns) {
                namespace = c.index("NAMESPACE")
                lastSeen = c.index("LAST SEEN") ?? c.index("AGE") ?? c.index("LASTSEEN")
                firstSeen = c.index("FIRST SEEN") ?? c.index("FIRSTSEEN")
                count = c.index("COUNT")
                type = c.index("TYPE")
                reason = c.index("REASON")
                object = c.index("OBJECT")
                kind = c.index("KIND")
                name = c.index("NAME")
                subobject = c.index("SUBOBJECT") ?? c.index("SUBOBJECTPATH")
                source = c.index("SOURCE") ?? c.index("FROM")
                message = c.index("MESSAGE")
                time = c.index("TIME") ?? c.index("LAST TIMESTAMP") ?? c.index("LASTTIMESTAMP")
            }
        }

        /// The observation for one event row, or nil when its reason is not worth a timeline entry.
        ///
        /// `node` names the node the row is about when the table does not (describe node).
        public static func observation(
            _ b: UnsafeRawBufferPointer, cells: [Range<Int>], fields f: Fields, line: Int,
            source: EvidenceSource, context: ParseContext, node: String?
        ) -> Observation? {
            guard let ri = f.reason, ri < cells.count, !cells[ri].isEmpty else { return nil }
            let reason = normalizedReason(b.slice(cells[ri]))
            // Prefilter on the reason alone before reading anything else.
            guard EventReason.kind(reason: reason, message: nil) != nil else { return nil }
            let messageBytes = f.message.map { b.slice(cells[$0]) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
            let message = messageBytes.isEmpty ? nil : messageBytes.string
            guard let kind = EventReason.kind(reason: reason, message: message) else { return nil }

            // When: LAST SEEN / Age (relative, with `(xN over …)`), or an absolute time.
            var time: TimeReading?
            var count: Int?
            if let li = f.lastSeen, !cells[li].isEmpty {
                if let age = KubectlAge.eventAge(b, cells[li]) {
                    if let last = age.last { time = TimeReading(last.sourceTime, text: age.lastText) }
                    count = age.count
                } else {
                    time = KubectlAge.describeReading(b, cells[li]) ?? rfc3339(b, cells[li])
                }
            }
            if time == nil, let ti = f.time, !cells[ti].isEmpty {
                time = rfc3339(b, cells[ti]) ?? KubectlAge.describeReading(b, cells[ti])
            }
            if let ci = f.count, let (n, _) = b.readInt(at: cells[ci].lowerBound), !cells[ci].isEmpty,
               n <= Int64(Int32.max)
            {
                count = Int(n)
            }

            var obs = Observation(kind: kind, source: source, location: context.location(line), time: time, summary: "")
            obs.reason = reason
            obs.message = message
            if let count, count > 1 { obs.count = count }
            obs.resource = EventReason.resource(reason: reason, message: message)

            // What the event is about: OBJECT `pod/x`, old KIND + NAME, or an event name `x.<hex>`.
            var objectKind: String?
            var objectName: String?
            if let oi = f.object, !cells[oi].isEmpty {
                let o = b.slice(cells[oi])
                if let slash = o.firstIndex(of: .slash) {
                    objectKind = o.string(0..<slash).lowercased()
                    objectName = o.string((slash + 1)..<o.count)
                }
            } else if let ki = f.kind, let ni = f.name, !cells[ki].isEmpty, !cells[ni].isEmpty {
                objectKind = b.string(cells[ki]).lowercased()
                objectName = b.string(cells[ni])
            } else if let ni = f.name, !cells[ni].isEmpty {
                objectName = eventObjectName(b.slice(cells[ni]))
                let nodeLevel = kind == .systemOOMReported || kind == .oomKillingEvent || kind == .nodePressure
                objectKind = nodeLevel ? "node" : "pod"
            }
            let namespace = f.namespace.flatMap { cells[$0].isEmpty ? nil : b.string(cells[$0]) }
            switch objectKind {
            case "pod":
                obs.pod = objectName
                obs.namespace = namespace
            case "node":
                obs.node = objectName
            default:
                break
            }
            if obs.node == nil, let si = f.source, !cells[si].isEmpty {
                obs.node = sourceHost(b.slice(cells[si]))
            }
            if obs.node == nil { obs.node = node ?? context.nodeHint }
            if let si = f.subobject, !cells[si].isEmpty {
                obs.container = subobjectContainer(b.slice(cells[si]))
            }
            readMessage(messageBytes, into: &obs)

            var what = objectKind.flatMap { k in objectName.map { "\(k)/\($0)" } } ?? objectName
            if let pod = obs.pod, objectKind == "pod" || objectKind == nil {
                what = "pod " + (obs.namespace.map { "\($0)/" } ?? "") + pod
            }
            summarize(&obs, object: what ?? obs.node.map { "node/\($0)" })
            return obs
        }

        /// Writes an event observation's summary: `SystemOOM event on node/x (x4): System OOM encountered`.
        public static func summarize(_ obs: inout Observation, object: String?) {
            obs.summary = "\(obs.reason ?? "?") event" + (object.map { " on \($0)" } ?? "")
                + (obs.count.map { " (x\($0))" } ?? "") + (obs.message.map { ": \($0)" } ?? "")
        }

        /// Old kubectl (2015) printed lower-camel reasons (`backOff`, `killing`): capitalise them.
        static func normalizedReason(_ r: UnsafeRawBufferPointer) -> String {
            let s = r.string
            guard let first = r.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z") else { return s }
            return s.prefix(1).uppercased() + s.dropFirst()
        }

        private static func rfc3339(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> TimeReading? {
            guard let reading = RFC3339.read(b, at: r.lowerBound) else { return nil }
            let text = b.string(r.lowerBound..<min(reading.end, r.upperBound))
            if let instant = reading.instant { return TimeReading(.instant(instant), text: text) }
            return TimeReading(.civil(reading.civil), text: text)
        }

        /// The object of an event name `node3.164b5861e041a60e` (the name before the hex suffix).
        static func eventObjectName(_ n: UnsafeRawBufferPointer) -> String {
            var dot = n.count
            while dot > 0, n[dot - 1] != .dot { dot -= 1 }
            guard dot > 1, dot < n.count else { return n.string }
            for i in dot..<n.count where !n[i].isHexDigit { return n.string }
            return n.string(0..<(dot - 1))
        }

        /// The host of a From/SOURCE cell: `kubelet, node1`, `{kubelet node1}`; nil for `kubelet`.
        static func sourceHost(_ s: UnsafeRawBufferPointer) -> String? {
            if let comma = s.firstIndex(of: .comma) {
                let host = s.trimmedRange((comma + 1)..<s.count)
                return host.isEmpty ? nil : s.string(host)
            }
            if s.first == .openBrace, let close = s.firstIndex(of: .closeBrace),
               let space = s.firstIndex(of: .space), space < close
            {
                let host = s.trimmedRange((space + 1)..<close)
                return host.isEmpty ? nil : s.string(host)
            }
            return nil
        }

        /// The container of a SUBOBJECT `spec.containers{app}` / `spec.initContainers{init}`.
        static func subobjectContainer(_ s: UnsafeRawBufferPointer) -> String? {
            guard let open = s.firstIndex(of: .openBrace), let close = s.firstIndex(of: .closeBrace, from: open),
                  close > open + 1
            else { return nil }
            return s.string((open + 1)..<close)
        }

        /// Reads what an event message names into the observation.
        ///
        /// `System OOM encountered, victim process: ld-musl-x86_64., pid: 11415`,
        /// `Memory cgroup out of memory: Kill process 4481 (stress) score 1994 or sacrifice child`,
        /// `Back-off restarting failed container app in pod rc-…-m8sl8_aiops-e2e(837f1b14-…)`,
        /// `Stopping container nginx`, `Started container memory-demo-ctr`.
        static func readMessage(_ m: UnsafeRawBufferPointer, into obs: inout Observation) {
            guard !m.isEmpty else { return }
            switch obs.kind {
            case .systemOOMReported:
                if let at = m.firstIndex(of: "victim process: "), let pidAt = m.firstIndex(of: ", pid: ", from: at),
                   let (pid, _) = m.readInt(at: pidAt + 7)
                {
                    obs.process = ProcessRef(name: m.string((at + 16)..<pidAt), pid: Int(pid))
                }
            case .oomKillingEvent:
                obs.process = killedProcess(m)
                var memory = MemoryFigures()
                memory.anonRSSBytes = kilobytes(m, after: "anon-rss:")
                memory.fileRSSBytes = kilobytes(m, after: "file-rss:")
                memory.shmemRSSBytes = kilobytes(m, after: "shmem-rss:")
                if !memory.isEmpty { obs.memory = memory }
                var kernel = KernelOOMDetails()
                if m.contains("CONSTRAINT_MEMCG") || m.contains("Memory cgroup out of memory") {
                    kernel.constraint = .memcg
                } else if m.contains("Out of memory") || m.contains("CONSTRAINT_NONE") {
                    kernel.constraint = KernelOOMDetails.Constraint.none
                }
                if kernel.constraint != nil { obs.kernel = kernel }
            default:
                break
            }
            if obs.container == nil {
                for marker: StaticString in [
                    "restarting failed container ", "Stopping container ", "Started container ",
                    "Created container ",
                ] {
                    if let at = m.firstIndex(of: marker) {
                        let start = at + marker.utf8CodeUnitCount
                        let end = m.endOfToken(from: start)
                        if end > start { obs.container = m.string(start..<end) }
                        break
                    }
                }
            }
            // `in pod <pod>_<namespace>(<uid>)`
            if let at = m.firstIndex(of: " in pod ") {
                let start = at + 8
                let end = m.endOfToken(from: start)
                let ref = m.slice(start..<end)
                if let open = ref.firstIndex(of: .openParen), let close = ref.firstIndex(of: .closeParen, from: open),
                   let underscore = ref.firstIndex(of: .underscore), underscore < open
                {
                    obs.podUID = ref.string((open + 1)..<close).lowercased()
                    if obs.pod == nil { obs.pod = ref.string(0..<underscore) }
                    if obs.namespace == nil { obs.namespace = ref.string((underscore + 1)..<open) }
                }
            }
        }

        /// `Killed process 16711 (stress)`, else `Kill process 4481 (stress)`.
        static func killedProcess(_ m: UnsafeRawBufferPointer) -> ProcessRef? {
            var found: (Int, Int)?
            if let at = m.firstIndex(of: "Killed process ") {
                found = (at, 15)
            } else if let at = m.firstIndex(of: "Kill process ") {
                found = (at, 13)
            }
            guard let (at, length) = found, let (pid, end) = m.readInt(at: at + length), m.matches(" (", at: end),
                  let close = m.firstIndex(of: .closeParen, from: end + 2)
            else { return nil }
            return ProcessRef(name: m.string((end + 2)..<close), pid: Int(pid))
        }

        private static func kilobytes(_ m: UnsafeRawBufferPointer, after marker: StaticString) -> Int64? {
            guard let at = m.firstIndex(of: marker),
                  let (value, end) = m.readInt(at: at + marker.utf8CodeUnitCount), m.matches("kB", at: end),
                  case let (bytes, overflow) = value.multipliedReportingOverflow(by: 1024), !overflow
            else { return nil }
            return bytes
        }
    }
}
