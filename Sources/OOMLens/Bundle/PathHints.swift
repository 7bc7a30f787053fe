/// What a member's path says about where it came from: the node, and for container logs the
/// namespace, pod and container.
///
/// `nodes/aks-nodepool1-1/var/log/syslog` → node `aks-nodepool1-1`;
/// `cluster-resources/pods/logs/default/web-5d9/app-previous.log` → `default`/`web-5d9`/`app`;
/// `var/log/pods/default_web-5d9_<uid>/app/0.log` → `default`/`web-5d9`/`app`;
/// `var/log/containers/web-5d9_default_app-<container id>.log` → `default`/`web-5d9`/`app`.
public struct PathHints: Sendable, Hashable {
    public var node: String?
    public var namespace: String?
    public var pod: String?
    public var container: String?
    /// The log is of the previous container instance (`-previous.log`, `previous.log`).
    public var previous = false

    public init(path: String) {
        let parts = Self.lastNestedPiece(path)?.slashComponents() ?? []
        let outer = path.slashComponents()
        node = Self.node(in: outer)
        guard let name = parts.last else { return }
        previous = name.hasSuffix("-previous.log") || name == "previous.log"
        if let cri = Self.criLogName(name) {
            // /var/log/containers/<pod>_<ns>_<container>-<container id>.log (and copies of that folder)
            (namespace, pod, container) = (cri.namespace, cri.pod, cri.container)
        } else if let i = parts.firstIndex(of: "logs"), parts.count - i == 4 {
            // troubleshoot: pods/logs/<ns>/<pod>/<container>[-previous].log; ad-hoc: logs/<ns>/<pod>/<container>.log
            namespace = parts[i + 1]
            pod = parts[i + 2]
            container = Self.stripLogSuffix(parts[i + 3])
        } else if let i = parts.lastIndex(of: "pods"), i + 3 < parts.count,
                  parts[i + 1].contains("_") || (i > 0 && parts[i - 1] == "log") {
            // /var/log/pods/<ns>_<pod>_<uid>/<container>/<n>.log; dockershim's /var/log/pods/<uid>/<container>/<n>.log
            // names the container only.
            let pieces = parts[i + 1].split(separator: "_").map(String.init)
            if pieces.count >= 3 {
                namespace = pieces[0]
                pod = pieces[1]
            }
            container = parts[i + 2]
        } else if let i = parts.firstIndex(of: "namespaces"), i + 4 < parts.count, parts[i + 2] == "pods" {
            // must-gather: namespaces/<ns>/pods/<pod>/<container>/<container>/logs/current.log
            namespace = parts[i + 1]
            pod = parts[i + 3]
            container = parts[i + 4]
        } else if parts.count >= 2, parts[parts.count - 2] == "podlogs" {
            // Rancher: podlogs/<ns>-<pod>[-previous]: the split between namespace and pod is ambiguous.
            pod = Self.stripLogSuffix(name)
        } else if parts.count >= 3 {
            // Named logs collector: <collector>/<pod>/<container>[-previous].log
            pod = parts[parts.count - 2]
            container = Self.stripLogSuffix(name)
        }
    }

    /// The last non-empty piece of `path` between `!/` (what `BundleReader` puts between a nested
    /// archive's name and its members' paths), or nil when there is none: `split(separator: "!/").last`,
    /// over bytes.
    static func lastNestedPiece<Text: StringProtocol>(_ path: Text) -> Text.SubSequence? {
        let bytes = path.utf8
        var last: Range<Text.Index>?
        var start = bytes.startIndex
        var i = bytes.startIndex
        while i != bytes.endIndex {
            let next = bytes.index(after: i)
            if bytes[i] == UInt8(ascii: "!"), next != bytes.endIndex, bytes[next] == UInt8(ascii: "/") {
                if start != i { last = start..<i }
                i = bytes.index(after: next)
                start = i
                continue
            }
            i = next
        }
        if start != bytes.endIndex { last = start..<bytes.endIndex }
        return last.map { path[$0] }
    }

    /// The namespace, pod and container in the name kubelet gives a container's log link in
    /// `/var/log/containers`: `<pod>_<namespace>_<container>-<64 hex digits>.log`
    /// (`coredns-5d78c9869d-8x2kp_kube-system_coredns-0a1b…9f.log`). Nil for any other name.
    static func criLogName(_ name: String) -> (namespace: String, pod: String, container: String)? {
        let idLength = 64
        let bytes = Array(name.utf8)
        let suffix = Array(".log".utf8)
        guard bytes.count > idLength + suffix.count + 5, bytes.suffix(suffix.count).elementsEqual(suffix) else { return nil }
        let idStart = bytes.count - suffix.count - idLength
        guard bytes[idStart - 1] == UInt8(ascii: "-"),
              bytes[idStart..<(bytes.count - suffix.count)].allSatisfy({ $0.isHexDigit })
        else { return nil }
        let pieces = bytes[..<(idStart - 1)].split(separator: UInt8(ascii: "_"), omittingEmptySubsequences: false)
        guard pieces.count == 3, pieces.allSatisfy({ !$0.isEmpty }) else { return nil }
        func text(_ piece: ArraySlice<UInt8>) -> String { String(decoding: piece, as: UTF8.self) }
        return (text(pieces[1]), text(pieces[0]), text(pieces[2]))
    }

    private static func stripLogSuffix(_ name: String) -> String {
        var name = name
        if name.hasSuffix(".log") { name.removeLast(4) }
        if name.hasSuffix("-previous") { name.removeLast(9) }
        return name
    }

    /// A node's own archive's name without its suffixes: `node-a.tar.gz!` (the path component of a
    /// nested archive) → `node-a`.
    private static func withoutArchiveSuffix(_ component: String) -> String {
        guard component.hasSuffix("!") else { return component }
        let name = withoutSuffixes(component.dropLast())
        return name.isEmpty ? component : String(name)
    }

    /// `name` without its archive and compression suffixes (`.tar.gz`, `.tgz`, `.zip`, …).
    private static func withoutSuffixes(_ name: Substring) -> Substring {
        var name = name
        for suffix in [".gz", ".tgz", ".zst", ".xz", ".bz2", ".zip", ".tar"] where name.hasSuffix(suffix) {
            name = name.dropLast(suffix.count)
        }
        return name
    }

    /// The host in an sos report's name: `sosreport-<host>[-<case>]-<YYYY>-<MM>-<DD>-<random>` (sos 4:
    /// `sosreport-juju-d4c067-1-2025-04-07-chdmwlz`, `sosreport-sat64test-123456-2019-03-07-obvjctv`),
    /// whose host may hold dashes itself (`aks-nodepool1-12345678-vmss000000`). A last field of five or
    /// more digits before the date is taken for the case number. Older sos named its archives
    /// `sosreport-<host>[.<ticket>]-<YYYYMMDDHHMMSS>` (its `get_archive_name`); other names give what
    /// precedes their first dash.
    static func sosreportHost(_ part: String) -> String? {
        var name = withoutSuffixes(part.hasSuffix("!") ? part.dropLast() : Substring(part))
        guard name.hasPrefix("sosreport-") else { return nil }
        name = name.dropFirst("sosreport-".count)
        var fields = name.split(separator: "-", omittingEmptySubsequences: false)
        func isNumber(_ field: Substring) -> Bool { field.allSatisfy { ("0"..."9").contains($0) } }
        func digits(_ field: Substring, _ count: Int) -> Bool { field.count == count && isNumber(field) }
        if let date = fields.indices.last(where: { i in
            i > 0 && i + 2 < fields.count && fields.count - (i + 3) <= 1
                && digits(fields[i], 4) && digits(fields[i + 1], 2) && digits(fields[i + 2], 2)
        }) {
            fields.removeSubrange(date...)
            if fields.count > 1, let last = fields.last, last.count >= 5, isNumber(last) { fields.removeLast() }
            return fields.joined(separator: "-")
        }
        if fields.count > 1, let stamp = fields.last, digits(stamp, 14) {
            var host = fields.dropLast().joined(separator: "-")
            if let dot = host.lastIndex(of: "."), host.index(after: dot) < host.endIndex,
               isNumber(host[host.index(after: dot)...]) {
                host = String(host[..<dot])
            }
            return host.isEmpty ? nil : host
        }
        guard let dash = name.firstIndex(of: "-") else { return name.isEmpty ? nil : String(name) }
        return String(name[..<dash])
    }

    /// `nodes/<node>/…`, `host-collectors/run-host/<node>/…`, `sosreport-<host>-…`, periscope `<run>/<node>/kubelet`.
    private static func node(in parts: [String]) -> String? {
        for (i, part) in parts.enumerated() where i + 1 < parts.count {
            if part == "nodes" || part == "node-logs" || part == "run-host" || part == "hosts" {
                return Self.withoutArchiveSuffix(parts[i + 1])
            }
        }
        for part in parts where part.hasPrefix("sosreport-") {
            if let host = sosreportHost(part) { return host }
        }
        if parts.count >= 3, ["kubelet", "docker", "containerd"].contains(parts[parts.count - 1]),
            parts[parts.count - 3].contains("T"), parts[parts.count - 3].hasSuffix("Z") {
            return parts[parts.count - 2]
        }
        return nil
    }
}
