/// A memory cgroup path decoded into the Kubernetes QoS class, pod and container it belongs to.
///
/// Reads every layout the kernel prints in `task_memcg=`, `oom_memcg=`, `Task in … killed as a result
/// of limit of …` and `Memory cgroup stats for …`:
///
///     /kubepods/burstable/podcb4794b7-954b-4831-81cf-403d83ad22a4/a8638b0128b07b17bd22a5694da752d1c3b018b6237bdee4db906df6e4d1225d
///     /kubepods/pod951f6bc5-c5a5-11ea-8707-80e455f266a2/024952d653ef1cd852f875a61bd27cf45cb1fd6cab3659ca7e5f12f037d99aa9
///     /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod5931aa75_4603_4e65_b552_7c71cf55cfb5.slice/cri-containerd-25a38b5b8d556d7983d975577f5ac75ebbcfb4b269e6deaa0a0440c1ffc969ca.scope
///     /system.slice/docker-00748bf4e957f82c239a1db8a88579059b7d40c7b5fbd3f43617d31d3f646f12.scope
///     /docker/2e088fe462e25e60be1dafafe2c05c47bda1a97978648d10ad2b7484fc0b8f50
///     /sys/fs/cgroup/kubepods/burstable/pod77f06c5c-4593-43e9-b970-987f6ecb825b
///
/// Outer prefixes (`/lxc.payload.<name>/…`, `/sys/fs/cgroup/…`, kind's `/kubelet.slice/…`) are skipped by
/// looking for the first `kubepods` segment. Static (mirror) pods keep their 32-hex config hash as UID.
/// Decoding runs once per OOM block, never per input line.
public struct CgroupPath: Sendable, Hashable {
    /// How deep in the Kubernetes hierarchy the path ends.
    public enum Level: String, Sendable, Hashable {
        /// `/`: the root cgroup (the whole node).
        case root
        /// `/kubepods` or `/kubepods.slice`: every pod on the node (node allocatable).
        case kubepods
        /// `/kubepods/burstable`, `kubepods-besteffort.slice`: one QoS class.
        case qos
        /// One pod's cgroup.
        case pod
        /// One container's cgroup (or, with `isConmon`, CRI-O's monitor for it).
        case container
        /// Anything else (`/mem2`, `/system.slice/containerd.service`).
        case other
    }

    /// The path as printed.
    public let path: String
    public private(set) var level: Level = .other
    /// `Guaranteed`, `Burstable` or `BestEffort`, when the path is inside `kubepods`.
    public private(set) var qosClass: String?
    /// Lowercase dashed pod UID, or the 32-hex static-pod hash.
    public private(set) var podUID: String?
    /// Bare 64-hex container id.
    public private(set) var containerID: String?
    /// `containerd`, `docker`, `crio` or `podman`, when the scope name says it.
    public private(set) var runtime: String?
    /// The cgroup is CRI-O's (or podman's) `conmon` monitor of the container, not the container itself.
    public private(set) var isConmon = false

    /// True when the path names a pod's cgroup (not one of its containers).
    public var isPodLevel: Bool { level == .pod }
    /// True when the path names a container's cgroup.
    public var isContainerLevel: Bool { level == .container }

    /// Decodes `path`; never fails (unknown shapes give level `.other` and nil fields).
    public init(_ path: String) {
        self.path = path
        let trimmed = path.trimmingSpaces
        if trimmed == "/" {
            level = .root
            return
        }
        // Split on the byte: splitting by Character runs grapheme breaking over the whole path, about
        // forty thousand instructions a path.
        let segments = trimmed.utf8.split(separator: UInt8(ascii: "/")).map { Substring($0) }
        if let kubeIndex = segments.firstIndex(where: { Self.isKubepodsRoot($0) }) {
            decodeKubernetes(segments[(kubeIndex + 1)...])
        } else {
            decodeOther(segments)
        }
    }

    /// The limit scope this path stands for when it is the cgroup whose limit was hit.
    public var limitScope: KernelOOMDetails.LimitScope {
        switch level {
        case .container: return .container
        case .pod: return .pod
        case .root, .kubepods, .qos: return .node
        case .other: return .other
        }
    }

    // MARK: - Kubernetes layouts

    private static func isKubepodsRoot(_ segment: Substring) -> Bool {
        // `kubepods`, `kubepods.slice`, kind's `kubelet-kubepods.slice`; not the QoS or pod slices.
        segment == "kubepods" || segment == "kubepods.slice" || segment.hasSuffix("-kubepods.slice")
    }

    private mutating func decodeKubernetes(_ rest: ArraySlice<Substring>) {
        level = .kubepods
        var qos: String?
        for segment in rest {
            if podUID == nil {
                if let uid = Self.podUID(in: segment) {
                    podUID = uid
                    level = .pod
                    // systemd names the QoS in the pod slice too (`kubepods-burstable-pod….slice`).
                    if qos == nil { qos = Self.qos(in: segment) }
                    continue
                }
                // `pod<uid>` / `…-pod<uid>.slice` whose UID does not decode (a damaged paste such as
                // `podfbdfe8e3-1c87-4ff2-907 c-b2ec…`): the level is unknown.
                if segment.hasPrefix("pod") || segment.containsBytes("-pod") {
                    level = .other
                    qosClass = qos
                    return
                }
                if let q = Self.qos(in: segment) {
                    qos = q
                    level = .qos
                    continue
                }
                // An unknown segment between kubepods and the pod: keep looking.
                continue
            }
            if let (id, rt, conmon) = Self.container(in: segment) {
                containerID = id
                runtime = rt
                isConmon = conmon
                level = .container
            }
            // The first segment under the pod decides; deeper ones (`init.scope`) are ignored.
            break
        }
        if let qos {
            qosClass = qos
        } else if podUID != nil {
            qosClass = "Guaranteed"
        }
    }

    private mutating func decodeOther(_ segments: [Substring]) {
        for (index, segment) in segments.enumerated() {
            guard let (id, rt, conmon) = Self.container(in: segment) else { continue }
            containerID = id
            isConmon = conmon
            if let rt {
                runtime = rt
            } else if index > 0, segments[index - 1] == "docker" {
                runtime = "docker"
            }
            level = .container
            return
        }
    }

    private static func qos(in segment: Substring) -> String? {
        if segment.containsBytes("besteffort") { return "BestEffort" }
        if segment.containsBytes("burstable") { return "Burstable" }
        return nil
    }

    /// The UID after the last `pod` of a segment: `pod<uid>` (cgroupfs) or `…-pod<uid_>.slice` (systemd).
    static func podUID(in segment: Substring) -> String? {
        let bytes = Array(segment.utf8)
        var start: Int?
        var i = bytes.count - 3
        while i >= 0 {
            if bytes[i] == UInt8(ascii: "p"), bytes[i + 1] == UInt8(ascii: "o"), bytes[i + 2] == UInt8(ascii: "d") {
                start = i + 3
                break
            }
            i -= 1
        }
        guard let start else { return nil }
        var end = bytes.count
        if end - start >= 6, bytes[(end - 6)...].elementsEqual(".slice".utf8) { end -= 6 }
        let uid = String(decoding: bytes[start..<end].map { $0 == .underscore ? .dash : $0 }, as: UTF8.self)
            .lowercased()
        return isPodUID(uid) ? uid : nil
    }

    /// `8-4-4-4-12` hexadecimal, or 32 hexadecimal digits (static pods' config hash).
    static func isPodUID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        if bytes.count == 32 { return bytes.allSatisfy(\.isHexDigit) }
        guard bytes.count == 36 else { return false }
        for (i, b) in bytes.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                guard b == .dash else { return false }
            } else {
                guard b.isHexDigit else { return false }
            }
        }
        return true
    }

    /// A container scope or directory: `cri-containerd-<id>.scope`, `docker-<id>.scope`, `crio-<id>.scope`,
    /// `crio-conmon-<id>.scope`, `libpod-<id>.scope`, or a bare 64-hex id.
    static func container(in segment: Substring) -> (id: String, runtime: String?, conmon: Bool)? {
        var s = segment
        if s.hasSuffix(".scope") { s = s.dropLast(6) }
        var runtime: String?
        var conmon = false
        for (prefix, name, isConmon) in [
            ("cri-containerd-", "containerd", false), ("crio-conmon-", "crio", true), ("crio-", "crio", false),
            ("docker-", "docker", false), ("libpod-conmon-", "podman", true), ("libpod-", "podman", false),
        ] where s.hasPrefix(prefix) {
            s = s.dropFirst(prefix.count)
            runtime = name
            conmon = isConmon
            break
        }
        guard s.utf8.count == 64, s.utf8.allSatisfy(\.isHexDigit) else { return nil }
        return (s.lowercased(), runtime, conmon)
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
