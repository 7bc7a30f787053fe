import OOMLens

/// One node log file (`syslog`, `messages`, or a `journalctl -u … ` export) produced on demand: the
/// node's incident records merged in time order with generated noise lines, formatted line by line into
/// a reused 1 MiB buffer, so even a multi-gigabyte file never sits in memory. Producing is a pure
/// function of the value, so running it twice (once to measure, once to write) gives the same bytes.
///
/// Line shapes (from `kernel-oom-cgroupv2-systemd-containerd-syslog-aks.log`, `kubelet-eviction-journal-k8s132001.log`):
/// ```
/// Oct 12 19:00:20 aks-nodepool1-24207654-vmss000001 kernel: [ 8523.347168] stress-ng-vm invoked oom-killer: …   (syslog)
/// Sep  8 06:22:08 ip-192-168-1-20 kernel: oom-kill:constraint=CONSTRAINT_MEMCG,…                                  (messages)
/// May 28 16:05:50 192-168-250-5 kubelet[2269385]: I0528 16:05:50.514706 2269385 eviction_manager.go:405] …        (journal)
/// ```
struct NodeLogFile: Sendable {
    enum Style: Sendable {
        /// rsyslog RFC 3164 (`Sep  8`), with or without the kernel's `[uptime]` inside kernel messages.
        case syslog(uptime: Bool)
        /// journalctl `short` (`Feb 03`), kernel messages without uptime, `-- Boot <id> --` between boots.
        case journal
    }

    var node: NodeModel
    var offset: Int
    var style: Style
    var programs: Set<Program>
    var collectedAt: Instant
    var noise: NoisePlan

    typealias Program = NodeRecord.Program

    /// Where and how many noise lines a node gets, and what they may mention.
    struct NoisePlan: Sendable {
        var count: Int
        var start: Instant
        var seed: UInt64
        var kubeMinor: Int
        /// (pod reference, pod uid, a container id, image) of pods on the node.
        var targets: [(pod: String, uid: String, containerID: String, image: String)]
    }

    /// Bytes the file will have.
    func byteCount() -> Int64 {
        var total: Int64 = 0
        produce { total += Int64($0.count) }
        return total
    }

    /// Calls `emit` with consecutive chunks of the file (each at most about 1 MiB).
    func produce(_ emit: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20 + 8192)
        let records = node.records.filter { programs.contains($0.program) && $0.time <= collectedAt }
        var r = 0
        var n = 0
        let span = max(1.0, collectedAt.interval(since: noise.start))
        var nextNoise = noiseLine(0, span: span)
        while true {
            // Noise indices whose program this file does not hold produce nothing.
            while n < noise.count, nextNoise == nil {
                n += 1
                nextNoise = n < noise.count ? noiseLine(n, span: span) : nil
            }
            guard r < records.count || nextNoise != nil else { break }
            if r < records.count, nextNoise.map({ records[r].time <= $0.time }) ?? true {
                append(records[r], to: &buffer)
                r += 1
            } else if let line = nextNoise {
                append(line, to: &buffer)
                n += 1
                nextNoise = n < noise.count ? noiseLine(n, span: span) : nil
            }
            if buffer.count >= 1 << 20 {
                try buffer.withUnsafeBytes(emit)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if !buffer.isEmpty { try buffer.withUnsafeBytes(emit) }
    }

    /// Noise line `i` (nil when it belongs to another file or falls while the node is down).
    private func noiseLine(_ i: Int, span: Double) -> NodeRecord? {
        var random = StableRandom(seed: noise.seed, "noise", node.name, String(i))
        let t = noise.start.adding(seconds: (Double(i) + random.unit()) * span / Double(max(noise.count, 1)))
        let roll = random.int(0...99)
        let program: Program = roll < 40 ? .kubelet : roll < 70 ? .containerd : roll < 85 ? .kernel : .systemd
        guard programs.contains(program), !node.isDown(at: t), t <= collectedAt, t >= node.boots[0].start else { return nil }
        let boot = node.boot(at: t)
        let target = noise.targets.isEmpty ? ("kube-system/kube-proxy", node.uid, node.machineID + node.machineID, "kube-proxy")
            : noise.targets[random.int(0...(noise.targets.count - 1))]
        switch program {
        case .kubelet:
            let line = KubeletLogWriter.noise(pod: target.0, uid: target.1, random: &random, minor: noise.kubeMinor)
            return NodeRecord(time: t, program: .kubelet, pid: boot.kubeletPid,
                              message: TimeText.klog("I", t, offset: offset, pid: boot.kubeletPid, source: line.source) + line.message)
        case .containerd:
            let msg = ContainerdLogWriter.noise(containerID: target.2, image: target.3, random: &random)
            return NodeRecord(time: t, program: .containerd, pid: boot.containerdPid,
                              message: ContainerdLogWriter.line(level: "info", time: TimeText.rfc3339Nano(t, offset: offset), msg: msg))
        case .kernel:
            return NodeRecord(time: t, program: .kernel, pid: nil, message: KernelLogWriter.noise(&random))
        default:
            return NodeRecord(time: t, program: .systemd, pid: 1, message: SystemdLogWriter.noise(containerID: target.2, random: &random))
        }
    }

    private func append(_ record: NodeRecord, to buffer: inout [UInt8]) {
        var line: String
        switch record.program {
        case .bootMarker:
            guard case .journal = style else { return }
            line = record.message
        case .kernel:
            switch style {
            case .syslog(let uptime):
                line = "\(TimeText.syslog(record.time, offset: offset)) \(node.name) kernel: "
                if uptime { line += TimeText.uptime(node.uptime(at: record.time)) + " " }
            case .journal:
                line = "\(TimeText.journal(record.time, offset: offset)) \(node.name) kernel: "
            }
            line += record.message
        default:
            let stamp: String
            if case .journal = style { stamp = TimeText.journal(record.time, offset: offset) } else { stamp = TimeText.syslog(record.time, offset: offset) }
            let name: String = switch record.program {
            case .systemd: "systemd"
            case .kubelet: "kubelet"
            case .containerd: "containerd"
            default: "node-problem-detector-startup.sh"
            }
            line = "\(stamp) \(node.name) \(name)[\(record.pid ?? 1)]: \(record.message)"
        }
        buffer.append(contentsOf: line.utf8)
        buffer.append(UInt8(ascii: "\n"))
    }
}
