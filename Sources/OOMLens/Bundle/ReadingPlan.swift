#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a bundle is read on this machine: on one thread, decompressed on a second thread while the
/// calling one parses, or with its members shared out between two threads.
public enum ReadingPlan: Sendable, Equatable {
    /// One processor, or a plain file holding one member.
    case oneThread
    /// A compressed archive (gzip, zstd, xz, bzip2, zip): decompressing costs about as much as parsing,
    /// so one thread does each (`PipelinedBundleReader`).
    case pipelined
    /// A directory or a plain tar file, whose members can be read on their own: both threads parse,
    /// different members (`ParallelBundleReader`).
    case parallel

    /// The plan for `path` on this machine. A stream (standard input, a pipe) cannot be looked at
    /// before it is read: it is read pipelined, which suits the compressed archive it usually is.
    public static func choose(for path: String) -> ReadingPlan {
        guard availableProcessors() > 1 else { return .oneThread }
        if path == BundleReader.standardInput { return .pipelined }
        var info = stat()
        guard stat(path, &info) == 0 else { return .oneThread }
        if (info.st_mode & S_IFMT) == S_IFDIR { return .parallel }
        if (info.st_mode & S_IFMT) != S_IFREG { return .pipelined }
        let bytes = POSIXRead.head(of: path, count: FileRecognizer.headSize)
        guard bytes.count >= 2 else { return .oneThread }
        if bytes[0] == 0x50, bytes[1] == 0x4B { return .pipelined }  // zip: members are deflated one by one
        switch bytes.withUnsafeBytes({ FileRecognizer.archiveMagic($0) }) {
        case true: return .pipelined
        case false: return .parallel
        case nil: return .oneThread
        }
    }

    /// Reads `path` into `consumer` by the plan `choose(for:)` makes, or on one thread when
    /// `threads` is false.
    public static func read<C: DivisibleConsumer>(
        _ path: String, limits: BundleLimits, threads: Bool = true, into consumer: inout C
    ) -> BundleSummary {
        switch threads ? choose(for: path) : .oneThread {
        case .pipelined: return PipelinedBundleReader(limits: limits).read(path, into: &consumer)
        case .parallel: return ParallelBundleReader(limits: limits).read(path, into: &consumer)
        case .oneThread:
            var reader = BundleReader(limits: limits)
            return reader.read(path, into: &consumer)
        }
    }

    /// The processors this process may run on: the machine's online processors, narrowed on Linux by
    /// its affinity mask (`Cpus_allowed` in `/proc/self/status`, which `taskset` and container CPU sets
    /// narrow) and by a cgroup CPU quota (`cpu.max`, or `cpu.cfs_quota_us` over `cpu.cfs_period_us`,
    /// rounded up).
    ///
    /// Plain system calls and small reads: the first call used to cost about a millisecond of the
    /// process's start through `ProcessInfo` and `String(contentsOfFile:)`.
    public static func availableProcessors() -> Int {
        var count = Swift.max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #if os(Linux)
        if let allowed = allowedProcessors(status: POSIXRead.head(of: "/proc/self/status", count: 16 << 10)) {
            count = Swift.min(count, allowed)
        }
        if let quota = cgroupQuota() { count = Swift.min(count, quota) }
        #endif
        return count
    }

    /// How many processors the `Cpus_allowed:` line of a `/proc/<pid>/status` text allows (its hex mask,
    /// in comma-separated groups: `Cpus_allowed:\t3` or `ffffffff,ffffffff`); nil without that line
    /// or with an empty mask.
    static func allowedProcessors(status: [UInt8]) -> Int? {
        let key = Array("Cpus_allowed:".utf8)
        var lineStart = 0
        while lineStart < status.count {
            let lineEnd = status[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? status.count
            if status[lineStart..<lineEnd].starts(with: key) {
                let bits = status[(lineStart + key.count)..<lineEnd].reduce(0) { $0 + ($1.hexValue?.nonzeroBitCount ?? 0) }
                return bits > 0 ? bits : nil
            }
            lineStart = lineEnd + 1
        }
        return nil
    }

    /// The processors a cgroup CPU quota allows, rounded up; nil when no quota is set or readable.
    ///
    /// cgroup v2 `/sys/fs/cgroup/cpu.max` holds `max 100000` (no quota) or `150000 100000`; v1 keeps
    /// `-1` or `150000` in `cpu.cfs_quota_us` and the period in `cpu.cfs_period_us`.
    static func cgroupQuota() -> Int? {
        if let line = text(ofSmallFile: "/sys/fs/cgroup/cpu.max") { return processors(cpuMax: line) }
        guard let quota = text(ofSmallFile: "/sys/fs/cgroup/cpu/cpu.cfs_quota_us").flatMap({ Int($0) }),
              let period = text(ofSmallFile: "/sys/fs/cgroup/cpu/cpu.cfs_period_us").flatMap({ Int($0) })
        else { return nil }
        return processors(quota: quota, period: period)
    }

    /// The processors a cgroup v2 `cpu.max` line allows (`150000 100000`: 2); nil for `max 100000` (no
    /// quota) or a line of another shape.
    static func processors(cpuMax line: String) -> Int? {
        let fields = line.split(separator: " ")
        guard fields.count == 2, let quota = Int(fields[0]), let period = Int(fields[1]) else { return nil }
        return processors(quota: quota, period: period)
    }

    /// `quota` over `period`, rounded up; nil for no quota (a negative one) or a period of 0.
    static func processors(quota: Int, period: Int) -> Int? {
        guard quota > 0, period > 0 else { return nil }
        return Swift.max(1, (quota + period - 1) / period)
    }

    /// The first line of a small file (at most 63 bytes), without its newline; nil when it cannot be read.
    private static func text(ofSmallFile path: String) -> String? {
        let bytes = POSIXRead.head(of: path, count: 63)
        guard !bytes.isEmpty else { return nil }
        let line = bytes.prefix { $0 != UInt8(ascii: "\n") }
        return String(decoding: line, as: UTF8.self)
    }
}
