import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One run of a program as a child process, with its exit status, wall time and its own peak memory.
///
/// Spawned with `posix_spawn` and reaped with `wait4`, which returns that one child's `ru_maxrss`:
/// `getrusage(RUSAGE_CHILDREN)` would report the largest of every child the (parallel) test process
/// ever waited for, and Foundation's `Process` reaps its children itself.
///
/// That `ru_maxrss` can still be the test process's own: glibc's `posix_spawn` runs the child in the
/// parent's memory until it execs, and Linux carries that memory's high-water mark into the child's
/// `ru_maxrss` at the exec. So when `ru_maxrss` is no more than the test process's own high-water mark,
/// the child's peak is taken instead from its own `VmHWM`, read every 10 ms while it runs.
struct MeasuredRun {
    /// The exit status, or 128 + the signal that killed it (as a shell reports it).
    var status: Int32
    var timedOut: Bool
    /// Peak resident memory of the child, in bytes.
    var maxRSSBytes: Int
    var seconds: Double
    var stdout: String
    var stderr: String

    /// Runs `executable` with `arguments` in `directory` (default: the test's own) and the test's
    /// environment plus `environment`, standard input from /dev/null, output to files; kills it after
    /// `timeout` seconds.
    static func run(
        _ executable: String, _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:],
        timeout: Double = 300
    ) throws -> MeasuredRun {
        let temp = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: temp) }
        let outPath = temp.appendingPathComponent("stdout").path
        let errPath = temp.appendingPathComponent("stderr").path

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // posix_spawn_file_actions_addchdir_np is hidden behind _GNU_SOURCE: a shell changes directory
        // and then execs the program, which keeps the shell's pid (so wait4 still measures the program).
        let program = directory == nil ? executable : "/bin/sh"
        let words = directory.map { ["/bin/sh", "-c", "cd \"$1\" && shift && exec \"$@\"", "sh", $0, executable] } ?? [executable]
        let argv: [UnsafeMutablePointer<CChar>?] = (words + arguments).map { strdup($0) } + [nil]
        let variables = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let envp: [UnsafeMutablePointer<CChar>?] = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }

        var pid: pid_t = 0
        let start = Date()
        let spawned = argv.withUnsafeBufferPointer { args -> Int32 in
            envp.withUnsafeBufferPointer { env -> Int32 in
                guard let first = args.baseAddress else { return EINVAL }
                return posix_spawn(&pid, program, &actions, nil, first, env.baseAddress)
            }
        }
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }

        var status: Int32 = 0
        var usage = rusage()
        var timedOut = false
        var sampledPeak = 0
        while true {
            let reaped = wait4(pid, &status, WNOHANG, &usage)
            if reaped == pid { break }
            sampledPeak = Swift.max(sampledPeak, Self.highWaterMark(of: pid) ?? 0)
            if reaped < 0, errno != EINTR { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .ECHILD) }
            if !timedOut, Date().timeIntervalSince(start) > timeout {
                timedOut = true
                kill(pid, SIGKILL)
            }
            usleep(10_000)
        }
        let seconds = Date().timeIntervalSince(start)
        let reported = Int(usage.ru_maxrss) * 1024
        let inherited = Self.highWaterMark(of: getpid()) ?? Int.max
        let peak = reported > inherited || sampledPeak == 0 ? reported : sampledPeak
        // WIFEXITED/WEXITSTATUS are macros Swift cannot import: the low 7 bits are the signal, if any.
        let signal = status & 0x7F
        let exitStatus = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        return MeasuredRun(
            status: exitStatus, timedOut: timedOut, maxRSSBytes: peak, seconds: seconds,
            stdout: String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data(), as: UTF8.self),
            stderr: String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data(), as: UTF8.self))
    }

    /// The `VmHWM` of process `pid` in bytes (its peak resident memory since its last exec), nil once
    /// it has exited.
    static func highWaterMark(of pid: pid_t) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Int(line.dropFirst("VmHWM:".count).filter(\.isNumber))
        else { return nil }
        return kilobytes * 1024
    }

    /// A peak-memory ceiling of `mebibytes` for the built binary, four times as much when it was built
    /// with a sanitizer (`scripts/test --sanitize …` sets OOMLENS_SANITIZER): shadow memory and
    /// AddressSanitizer's quarantine of freed blocks add hundreds of megabytes that say nothing about us.
    static func memoryCeiling(mebibytes: Int) -> Int {
        let instrumented = ProcessInfo.processInfo.environment["OOMLENS_SANITIZER"].map { !$0.isEmpty } ?? false
        return (mebibytes * (instrumented ? 4 : 1)) << 20
    }

    /// Runs the built `oomlens` binary.
    static func oomlens(
        _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:], timeout: Double = 300
    ) throws -> MeasuredRun {
        guard let binary = EndToEndTests.binary else { throw CocoaError(.fileNoSuchFile) }
        return try run(binary.path, arguments, in: directory, environment: environment, timeout: timeout)
    }
}
