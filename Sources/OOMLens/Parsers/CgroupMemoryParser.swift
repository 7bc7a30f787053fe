/// Reads one cgroup memory file snapshotted into a bundle (`memory.events`, `memory.max`,
/// `memory.current`, `memory.stat`, v1 `memory.limit_in_bytes`, `memory.oom_control`, …) into a single
/// `cgroupMemory` observation for the pod or container its directory names.
///
/// Which file it is comes from the last component of the member's path. Real `memory.events`
/// content (a systemd unit after one OOM kill):
/// ```
/// low 0
/// high 0
/// max 35
/// oom 1
/// oom_kill 1
/// oom_group_kill 0
/// ```
/// Values may be the literal `max` (no limit) or carry thousands separators pasted by people
/// (`2,472,419,328`); unknown keys are ignored and order is not assumed. `count` is `oom_kill`
/// for `memory.events` and `memory.oom_control`.
public struct CgroupMemoryParser: LineParser {
    /// The kinds of file read; keyed files list the keys kept, in the kernel's order.
    private enum File: Equatable {
        case events, eventsLocal, swapEvents, stat, oomControl
        case max, high, current, peak, swapCurrent, swapMax, swapPeak
        case v1Limit, v1Usage, v1MaxUsage, v1Failcnt
        case unknown

        init(name: Substring) {
            switch name {
            case "memory.events": self = .events
            case "memory.events.local": self = .eventsLocal
            case "memory.swap.events": self = .swapEvents
            case "memory.stat": self = .stat
            case "memory.oom_control": self = .oomControl
            case "memory.max": self = .max
            case "memory.high": self = .high
            case "memory.current": self = .current
            case "memory.peak": self = .peak
            case "memory.swap.current": self = .swapCurrent
            case "memory.swap.max": self = .swapMax
            case "memory.swap.peak": self = .swapPeak
            case "memory.limit_in_bytes": self = .v1Limit
            case "memory.usage_in_bytes": self = .v1Usage
            case "memory.max_usage_in_bytes": self = .v1MaxUsage
            case "memory.failcnt": self = .v1Failcnt
            default: self = .unknown
            }
        }

        var keys: [StaticString] {
            switch self {
            case .events, .eventsLocal: return ["low", "high", "max", "oom", "oom_kill", "oom_group_kill"]
            case .swapEvents: return ["high", "max", "fail"]
            case .oomControl: return ["oom_kill_disable", "under_oom", "oom_kill"]
            case .stat:
                return ["anon", "file", "kernel", "kernel_stack", "pagetables", "sock", "shmem", "file_mapped",
                        "slab", "rss", "cache", "mapped_file", "swap", "total_rss", "total_cache",
                        "total_shmem", "total_mapped_file", "hierarchical_memory_limit"]
            default: return []
            }
        }
    }

    /// A value as written: a byte count (or counter) or the literal `max`.
    private enum Value: Equatable {
        case number(Int64)
        case unlimited
    }

    private let context: ParseContext
    private let fileName: String
    private let file: File
    private let keys: [StaticString]
    private var keyed: [Value?]
    private var single: Value?
    private var firstLine: Int?
    private var unreadable = 0

    /// cgroup v1 prints "no limit" as the largest page-aligned Int64 (9223372036854771712).
    private static let v1Unlimited: Int64 = 1 << 62

    public init(context: ParseContext) {
        self.context = context
        let name = context.path.split(separator: "/").last ?? Substring(context.path)
        fileName = String(name)
        file = File(name: name)
        keys = file.keys
        keyed = Array(repeating: nil, count: keys.count)
    }

    public mutating func parse(_ line: Line, into output: inout ParseOutput) {
        guard file != .unknown else { return }
        let b = line.bytes
        let r = b.trimmedRange()
        guard !r.isEmpty, b[r.lowerBound] != UInt8(ascii: "#") else { return }
        if keys.isEmpty {
            guard single == nil else { return }
            if let value = Self.value(b, r) {
                single = value
                firstLine = line.number
            } else {
                unreadable += 1
            }
            return
        }
        let keyEnd = b.endOfToken(from: r.lowerBound)
        guard let index = keys.firstIndex(where: { $0.utf8CodeUnitCount == keyEnd - r.lowerBound
                                                    && b.matches($0, at: r.lowerBound) })
        else { return }
        if let value = Self.value(b, b.trimmedRange(keyEnd..<r.upperBound)) {
            keyed[index] = value
            firstLine = firstLine ?? line.number
        } else {
            unreadable += 1
        }
    }

    public mutating func finish(into output: inout ParseOutput) {
        guard file != .unknown else {
            output.diagnostics.append(Diagnostic(.note, file: context.path, "\(fileName) is not a cgroup memory file oomlens reads"))
            return
        }
        if unreadable > 0 {
            output.diagnostics.append(Diagnostic(
                .warning, file: context.path, "\(unreadable) value(s) in \(fileName) were not numbers and were skipped"))
        }
        guard single != nil || keyed.contains(where: { $0 != nil }) else {
            output.diagnostics.append(Diagnostic(.note, file: context.path, "no memory values read from \(fileName)"))
            return
        }
        var o = Observation(kind: .cgroupMemory, source: .cgroup, location: context.location(firstLine), time: nil,
                            summary: "")
        o.node = context.nodeHint
        let ids = CgroupDirectory(path: context.path)
        o.podUID = ids.podUID
        o.containerID = ids.containerID
        var figures = MemoryFigures()
        var parts: [String] = []
        for (key, value) in zip(keys, keyed) {
            if let value { parts.append("\(key) \(Self.text(value))") }
        }
        func number(_ key: StaticString) -> Int64? {
            guard let i = keys.firstIndex(where: { Self.same($0, key) }),
                  case .number(let n)? = keyed[i]
            else { return nil }
            return n
        }
        var headline: String
        switch file {
        case .events, .eventsLocal, .oomControl:
            o.count = number("oom_kill").map { Int($0) }
            headline = "oom_kill \(o.count.map(String.init) ?? "?")"
        case .stat:
            figures.anonRSSBytes = number("anon") ?? number("total_rss") ?? number("rss")
            figures.shmemRSSBytes = number("shmem") ?? number("total_shmem")
            figures.fileRSSBytes = number("file_mapped") ?? number("total_mapped_file") ?? number("mapped_file")
            if let limit = number("hierarchical_memory_limit"), limit < Self.v1Unlimited { figures.limitBytes = limit }
            headline = figures.anonRSSBytes.map { "anon \(Quantity.format($0))" } ?? "stat"
        case .swapEvents:
            headline = parts.joined(separator: ", ")
        default:
            let value = single ?? .unlimited
            parts = [Self.text(value)]
            var bytes: Int64?
            if case .number(let n) = value, !(file == .v1Limit && n >= Self.v1Unlimited) { bytes = n }
            switch file {
            case .max, .v1Limit: figures.limitBytes = bytes
            case .current, .v1Usage: figures.usageBytes = bytes
            case .v1Failcnt: figures.failCount = bytes
            default: break
            }
            if file == .v1Failcnt {
                headline = Self.text(value)
            } else {
                headline = bytes.map(Quantity.format) ?? "unlimited"
            }
        }
        if !figures.isEmpty { o.memory = figures }
        o.message = "\(fileName): " + parts.joined(separator: ", ")
        let owner = ids.containerID.map { "container \($0.prefix(12))" } ?? ids.podUID.map { "pod \($0)" } ?? "cgroup"
        o.summary = "\(owner) \(fileName): \(headline)"
        output.observations.append(o)
    }

    private static func same(_ a: StaticString, _ b: StaticString) -> Bool {
        a.withUTF8Buffer { x in b.withUTF8Buffer { y in x.elementsEqual(y) } }
    }

    /// A decimal (thousands separators allowed) or `max`; nil for anything else.
    private static func value(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Value? {
        guard !r.isEmpty else { return nil }
        if r.count == 3, b.matches("max", at: r.lowerBound) { return .unlimited }
        var n: Int64 = 0
        var digits = 0
        for i in r {
            let c = b[i]
            if c.isDigit {
                let (m, overflow) = n.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                n = m + Int64(c - .zero)
                digits += 1
            } else if c != .comma {
                return nil
            }
        }
        return digits > 0 ? .number(n) : nil
    }

    private static func text(_ value: Value) -> String {
        switch value {
        case .number(let n): return String(n)
        case .unlimited: return "max"
        }
    }
}

/// The pod UID and container id a cgroup directory path names, for both cgroup drivers:
/// `…/kubepods-burstable-pod5931aa75_4603_….slice/cri-containerd-<id>.scope/memory.events` (systemd)
/// and `…/kubepods/burstable/pod<uid>/<id>/memory.max` (cgroupfs).
private struct CgroupDirectory {
    var podUID: String?
    var containerID: String?

    init(path: String) {
        for component in path.split(separator: "/").dropLast() {
            if let uid = Self.podUID(in: component) { podUID = uid }
            if let id = Self.containerID(in: component) { containerID = id }
        }
    }

    private static func podUID(in component: Substring) -> String? {
        var name = component
        if name.hasSuffix(".slice") { name = name.dropLast(6) }
        // `pod<uid>` (cgroupfs) or `kubepods-<qos>-pod<uid>` (systemd): the uid follows the last "pod".
        let uid: Substring
        if name.hasPrefix("pod") {
            uid = name.dropFirst(3)
        } else if let dash = name.utf8.lastIndex(of: .dash), name[dash...].hasPrefix("-pod") {
            uid = name[name.index(dash, offsetBy: 4)...]
        } else {
            return nil
        }
        guard uid.utf8.count == 36 || uid.utf8.count == 32,
              uid.utf8.allSatisfy({ $0.isHexDigit || $0 == .dash || $0 == .underscore })
        else { return nil }
        return String(uid.map { $0 == "_" ? "-" : $0 }).lowercased()
    }

    private static func containerID(in component: Substring) -> String? {
        var name = component
        if name.hasSuffix(".scope") {
            name = name.dropLast(6)
            for prefix in ["cri-containerd-", "docker-", "crio-"] where name.hasPrefix(prefix) {
                name = name.dropFirst(prefix.utf8.count)
                break
            }
        }
        guard name.utf8.count == 64, name.utf8.allSatisfy({ $0.isHexDigit }) else { return nil }
        return name.lowercased()
    }
}
