/// Decides what a bundle member is from its path and its first bytes ("specs" by path per bundle
/// flavour, then content sniffing, so an ad-hoc bundle whose files are named anything still works).
///
/// Layouts known by path: troubleshoot.sh (`cluster-resources/pods/<ns>.json`,
/// `cluster-resources/pods/logs/<ns>/<pod>/<c>-previous.log`), sosreport (`sos_commands/kernel/dmesg`,
/// `var/log/messages`, `sos_commands/logs/journalctl_--no-pager`), must-gather
/// (`namespaces/<ns>/core/pods.yaml`, `host_service_logs/masters/kubelet_service.log`), Rancher
/// (`systeminfo/dmesg`, `journald/kubelet`, `k3s/kubectl/nodesdescribe`), AKS periscope
/// (`<run>/<node>/kubelet`), `/var/log/pods/<ns>_<pod>_<uid>/<c>/<n>.log` and
/// `/var/log/containers/<pod>_<ns>_<c>-<id>.log`. Files nothing else claims are read as container logs
/// when they lie as troubleshoot.sh's named logs collectors (`pod-logs/<pod>/<c>.log`,
/// `all-logs/<pod>/<c>-previous.log`) or an ad-hoc `logs/<ns>/<pod>/<c>.log` put them.
public enum FileRecognizer {
    /// The verdict on one member.
    public enum Verdict: Sendable, Hashable {
        case parse(FileKind)
        /// An archive or compressed file to open and read in the same pass.
        case nested(compressed: Bool)
        case skip(reason: String)
    }

    /// Bytes of a member's beginning that recognition looks at.
    public static let headSize = 4096

    /// Recognises a member from its path and up to `headSize` first bytes.
    public static func recognize(path: String, head: UnsafeRawBufferPointer) -> Verdict {
        if let magic = archiveMagic(head) { return .nested(compressed: magic) }
        let lower = path.lowercased()
        let name = lower.slashComponents().last ?? lower
        if name.hasSuffix(".journal") || name.hasSuffix(".journal~") { return .skip(reason: "binary journal file") }
        if head.isEmpty { return .skip(reason: "empty") }
        if looksBinary(head) { return .skip(reason: "binary") }

        // Metadata and cgroup files by name.
        if name == "version.yaml", head.contains("troubleshoot.sh") { return .parse(.bundleMetadata) }
        if name == "date" || lower.hasSuffix("general/date") || name == "timedatectl" { return .parse(.bundleMetadata) }
        if name.hasPrefix("memory.") { return .parse(.cgroupMemory) }

        let first = firstNonSpace(head)
        // Structured text by content.
        if first == .openBrace || first == .openBracket {
            if head.contains("\"__REALTIME_TIMESTAMP\"") || head.contains("\"__CURSOR\"") { return .parse(.journalJSON) }
            if head.contains("{\"ts\":") || head.contains("{\"ts\" :") { return .parse(.kubeletLog) }
            if head.contains("\"apiVersion\"") || head.contains("\"kind\"") || head.contains("\"metadata\"")
                || lower.containsBytes("cluster-resources/") {
                return .parse(.apiJSON)
            }
        }
        if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            if head.contains("apiVersion:") || head.contains("kind:") || head.contains("metadata:") {
                return .parse(.apiYAML)
            }
            return .skip(reason: "not a Kubernetes object")
        }
        if let table = kubectlKind(head) { return .parse(table) }

        // RKE1 runs kubelet in a container: `k8s/containerlogs/kubelet` (`docker logs -t`) is its log.
        if name == "kubelet", lower.containsBytes("containerlogs/") { return .parse(.kubeletLog) }
        // Container logs by path.
        if lower.containsBytes("/pods/logs/") || lower.containsBytes("podlogs/") || lower.containsBytes("var/log/pods/")
            || lower.containsBytes("/containerlogs/") || lower.containsBytes("containers-varlogs/")
            || (lower.containsBytes("namespaces/") && (name == "current.log" || name == "previous.log"))
            || lower.hasPrefix("pod-logs/") || lower.containsBytes("/pod-logs/") || PathHints.criLogName(name) != nil {
            return .parse(.containerLog)
        }

        // Node logs by name, confirmed or refined by content.
        if name.hasPrefix("dmesg") { return .parse(.dmesg) }
        if name.containsBytes("docker") && name.containsBytes("events") { return .parse(.dockerEvents) }
        if let kind = nodeLogKind(head) {
            if kind == .nodeLog, name.hasPrefix("kubelet") || name.hasPrefix("containerd") || name.hasPrefix("crio") {
                return .parse(.nodeLog)
            }
            return .parse(kind)
        }
        if name.hasPrefix("syslog") || name.hasPrefix("messages") || name.hasPrefix("kern") || name.hasPrefix("journal") {
            return .parse(.nodeLog)
        }
        if name.hasPrefix("kubelet") || lower.containsBytes("kubelet_service") { return .parse(.kubeletLog) }
        if name.hasPrefix("containerd") { return .parse(.containerdLog) }
        if name.hasPrefix("crio") { return .parse(.crioLog) }
        if head.contains("invoked oom-killer") || head.contains("Out of memory") { return .parse(.nodeLog) }
        if isPodLogPath(lower) { return .parse(.containerLog) }
        return .skip(reason: "not a format oomlens reads")
    }

    /// A `.log` file where a logs collector puts a container's log: `<collector>/<pod>/<c>.log` under a
    /// folder whose name ends in `logs` (troubleshoot.sh's `pod-logs`, `all-logs`; ad-hoc `logs`, also
    /// with a namespace level, `logs/<ns>/<pod>/<c>.log`), or `<dir>/<pod>/<c>-previous.log` (the
    /// previous instance, as `kubectl logs --previous` is saved). Asked only of files that no name or
    /// content rule claimed, so node logs kept in such folders stay node logs.
    static func isPodLogPath(_ lower: String) -> Bool {
        let parts = PathHints.lastNestedPiece(lower)?.slashComponents() ?? []
        guard let name = parts.last, name.hasSuffix(".log"), parts.count >= 3 else { return false }
        if name.hasSuffix("-previous.log") { return true }
        let collector = parts[parts.count - 3]
        let withNamespace = parts.count >= 4 ? parts[parts.count - 4] : ""
        return collector.hasSuffix("logs") || withNamespace == "logs"
    }

    /// True for gzip, zstd, xz, bzip2 (compressed) and zip or tar (not compressed) magic numbers.
    /// Returns nil when the bytes are none of them.
    static func archiveMagic(_ b: UnsafeRawBufferPointer) -> Bool? {
        if b.count >= 2, b[0] == 0x1F, b[1] == 0x8B { return true }
        if b.count >= 4, b[0] == 0x28, b[1] == 0xB5, b[2] == 0x2F, b[3] == 0xFD { return true }
        if b.count >= 6, b[0] == 0xFD, b[1] == 0x37, b[2] == 0x7A, b[3] == 0x58, b[4] == 0x5A, b[5] == 0x00 { return true }
        if b.count >= 3, b[0] == UInt8(ascii: "B"), b[1] == UInt8(ascii: "Z"), b[2] == UInt8(ascii: "h") { return true }
        if b.count >= 4, b[0] == 0x50, b[1] == 0x4B, b[2] == 0x03, b[3] == 0x04 { return false }
        if b.count == 22, b[0] == 0x50, b[1] == 0x4B, b[2] == 0x05, b[3] == 0x06 { return false }  // an empty zip
        if b.count >= 262, b.matches("ustar", at: 257) { return false }
        return nil
    }

    /// A scattered NUL byte (binary data, UTF-16), or mostly control bytes, in the head.
    ///
    /// Runs of 16 or more NULs are passed over: a log file written through an unclean shutdown — the
    /// usual aftermath of a node OOM — holds blocks of NULs where the file was extended but never
    /// written, and it must still be read. A head of nothing but NULs is binary.
    static func looksBinary(_ b: UnsafeRawBufferPointer) -> Bool {
        var control = 0
        var counted = 0
        var i = 0
        while i < b.count {
            let byte = b[i]
            if byte == 0 {
                var end = i + 1
                while end < b.count, b[end] == 0 { end += 1 }
                if end - i < 16 { return true }
                i = end
                continue
            }
            counted += 1
            if byte < 0x20, byte != .newline, byte != .tab, byte != .carriageReturn, byte != 0x1B { control += 1 }
            i += 1
        }
        return counted == 0 || control * 10 > counted
    }

    private static func firstNonSpace(_ b: UnsafeRawBufferPointer) -> UInt8? {
        for byte in b where !(byte.isSpaceOrTab || byte == .newline || byte == .carriageReturn) { return byte }
        return nil
    }

    /// kubectl text outputs, by their first line.
    static func kubectlKind(_ b: UnsafeRawBufferPointer) -> FileKind? {
        let end = b.firstIndex(of: .newline) ?? b.count
        let first = b.slice(0..<end)
        if first.hasPrefix("Name:") {
            if b.contains("\nRoles:") || b.contains("\nTaints:") || b.contains("\nCapacity:") { return .describeNodes }
            if b.contains("\nNamespace:") { return .describePods }
        }
        let isHeader = first.hasPrefix("NAME ") || first.hasPrefix("NAMESPACE ") || first.hasPrefix("LAST SEEN")
        guard isHeader else { return describeFragmentKind(b) }
        if first.contains("LAST SEEN") && first.contains("REASON") { return .getEvents }
        if first.contains("CPU(cores)") { return .top }
        if first.contains("READY") && first.contains("STATUS") { return .getPods }
        if first.contains("STATUS") && first.contains("ROLES") { return .getNodes }
        return nil
    }

    /// Pasted fragments of `kubectl describe` or `kubectl get events` that lack their first lines.
    static func describeFragmentKind(_ b: UnsafeRawBufferPointer) -> FileKind? {
        if b.contains("LastHeartbeatTime") || b.contains("\nAllocatable:") || b.contains("Non-terminated Pods:") {
            return .describeNodes
        }
        if b.contains("Container ID:") || b.contains("Last State:") || b.contains("\nContainers:") || b.hasPrefix("Containers:") {
            return .describePods
        }
        let hasEventsTable = b.contains("Events:") || b.contains("  Normal   ") || b.contains("  Warning  ")
        if hasEventsTable, b.contains("  Type ") || b.hasPrefix("  Normal") || b.hasPrefix("  Warning") {
            let nodeish = b.contains("SystemOOM") || b.contains("NodeHas") || b.contains("Starting kubelet")
                || b.contains("EvictionThresholdMet")
            return nodeish ? .describeNodes : .describePods
        }
        // `kubectl get events` rows without their header: TYPE then REASON then kind/name.
        if b.contains("   Warning   ") || b.contains("   Normal   "), b.contains(" pod/") || b.contains(" node/") {
            return .getEvents
        }
        return nil
    }

    /// Node-log flavours by the shape of their first lines.
    static func nodeLogKind(_ b: UnsafeRawBufferPointer) -> FileKind? {
        var start = 0
        var checked = 0
        while start < b.count, checked < 5 {
            let end = b.firstIndex(of: .newline, from: start) ?? b.count
            let line = b.slice(start..<end)
            start = end + 1
            if line.count < 8 || line.hasPrefix("#") || line.hasPrefix("-- ") { continue }
            checked += 1
            if isSyslogPrefixed(line) { return .nodeLog }
            if line[0] == .openBracket, line.count > 2, line[1].isSpaceOrTab || line[1].isDigit { return .dmesg }
            if line[0] == .openBracket, line.contains("] ") { return .dmesg }  // dmesg -T
            if isKlogHeader(line) { return .kubeletLog }
            if line.hasPrefix("time=\"") && line.contains(" level=") {
                return line.contains("file=\"server/") ? .crioLog : .containerdLog
            }
            if RFC3339.read(line, at: 0) != nil {
                if line.contains(" container oom ") || line.contains(" container die ") { return .dockerEvents }
                if line.contains("kernel:") || line.contains("kubelet[") || line.contains("containerd[") {
                    return .nodeLog
                }
            }
        }
        return nil
    }

    /// `Jan  5 02:12:02 …`: a month name, a day, a time.
    static func isSyslogPrefixed(_ line: UnsafeRawBufferPointer) -> Bool {
        guard line.count > 15 else { return false }
        let months: [StaticString] = ["Jan ", "Feb ", "Mar ", "Apr ", "May ", "Jun ", "Jul ", "Aug ", "Sep ", "Oct ", "Nov ", "Dec "]
        guard months.contains(where: { line.hasPrefix($0) }) else { return false }
        return line[6] == .space && line[9] == .colon && line[12] == .colon
    }

    /// `I1012 19:34:45.000152    2480 file.go:709] …`
    static func isKlogHeader(_ line: UnsafeRawBufferPointer) -> Bool {
        guard line.count > 22 else { return false }
        let level = line[0]
        guard level == UInt8(ascii: "I") || level == UInt8(ascii: "W") || level == UInt8(ascii: "E")
            || level == UInt8(ascii: "F")
        else { return false }
        return line[1].isDigit && line[4].isDigit && line[5] == .space && line[8] == .colon
    }
}
