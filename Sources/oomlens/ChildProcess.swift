import Foundation
import OOMLens

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One analysing child of `oomlens batch`, started with `posix_spawn` through `/bin/sh` so that
/// resource limits apply to it alone:
///
///     /bin/sh -c 'ulimit -v KB || exit 70; ulimit -t S || exit 70; exec "$0" "$@"' oomlens batch-worker …
///
/// `ulimit -v` sets RLIMIT_AS (address space), `ulimit -t` RLIMIT_CPU (a backstop for the wall-time
/// limit, which the parent enforces with SIGKILL); `exec` replaces the shell, so the pid is the
/// worker's. The child gets its own process group (a terminal's Ctrl-C reaches only the parent, which
/// decides), an empty signal mask, default signal actions, standard input and output on `/dev/null`
/// and standard error in a log file.
final class ChildProcess {
    /// How the child ended.
    enum Termination: Equatable {
        case exited(Int32)
        case signaled(Int32)
    }

    /// Limits applied in the child before `exec`.
    struct Limits {
        /// RLIMIT_AS in MiB; nil for none.
        var memoryMB: Int?
        /// RLIMIT_CPU in seconds; nil for none.
        var cpuSeconds: Int?
    }

    let pid: pid_t
    let started = ContinuousClock.now
    private(set) var termination: Termination?

    private init(pid: pid_t) {
        self.pid = pid
    }

    /// Seconds since the child was started.
    var elapsed: Double {
        let d = ContinuousClock.now - started
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// Starts `executable arguments…` under `limits`, standard error going to `stderrPath`.
    static func spawn(_ executable: String, _ arguments: [String], limits: Limits, stderrPath: String) -> Result<ChildProcess, BatchError> {
        var script = ""
        if let mb = limits.memoryMB { script += "ulimit -v \(mb * 1024) || exit \(BatchOutcome.limitsFailedStatus); " }
        if let seconds = limits.cpuSeconds { script += "ulimit -t \(seconds) || exit \(BatchOutcome.limitsFailedStatus); " }
        script += "exec \"$0\" \"$@\""
        let argv = ["/bin/sh", "-c", script, executable] + arguments
        let environment = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        var pid: pid_t = 0
        let status = withCStrings(argv) { cArgv in
            withCStrings(environment) { cEnv in
                posix_spawn(&pid, "/bin/sh", &actions, &attributes, cArgv, cEnv)
            }
        }
        guard status == 0 else { return .failure(BatchError(String(cString: strerror(status)))) }
        return .success(ChildProcess(pid: pid))
    }

    /// Reaps the child if it has ended; nil while it runs.
    func poll() -> Termination? {
        if let termination { return termination }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        guard result == pid else { return nil }
        termination = Self.decode(status)
        return termination
    }

    /// Sends `signal` to the child, unless it has already been reaped.
    func kill(_ signal: Int32) {
        guard termination == nil else { return }
        #if canImport(Glibc)
        _ = Glibc.kill(pid, signal)
        #else
        _ = Darwin.kill(pid, signal)
        #endif
    }

    /// WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import (they are macros).
    private static func decode(_ status: Int32) -> Termination {
        let signal = status & 0x7F
        if signal == 0 { return .exited((status >> 8) & 0xFF) }
        return .signaled(signal)
    }

    /// Calls `body` with a NULL-terminated C array of copies of `strings`.
    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
        defer { for p in pointers { free(p) } }
        return body(pointers)
    }
}
