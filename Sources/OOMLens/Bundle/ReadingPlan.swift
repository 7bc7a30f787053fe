import Foundation

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
        guard let handle = FileHandle(forReadingAtPath: path) else { return .oneThread }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: FileRecognizer.headSize), head.count >= 2 else { return .oneThread }
        let bytes = Array(head)
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

    /// The processors this process may run on: on Linux its affinity mask (`Cpus_allowed` in
    /// `/proc/self/status`, which `taskset` and container CPU sets narrow).
    public static func availableProcessors() -> Int {
        let all = ProcessInfo.processInfo.activeProcessorCount
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") })
        else { return all }
        let mask = line.dropFirst("Cpus_allowed:".count).filter { $0.isHexDigit }
        let allowed = mask.reduce(0) { $0 + (Int(String($1), radix: 16) ?? 0).nonzeroBitCount }
        return allowed > 0 ? Swift.min(allowed, all) : all
    }
}
