#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decides a bundle's status (`ok`, `partial`, `failed`) and reason from how its analysing child
/// ended and what its JSON report says.
///
/// The child exits like `oomlens analyze`: 0 analysed completely, 2 partial results, 3 unreadable.
/// Anything else — another status, a signal (a crash, or the memory limit), the wall-time limit, a
/// report that cannot be read, or a report in which no file was recognised — is `failed`.
public struct BatchOutcome: Sendable, Hashable {
    /// How the child ended.
    public enum End: Sendable, Hashable {
        case exited(Int32)
        case signaled(Int32)
        /// Killed after running longer than the limit (seconds).
        case timedOut(Double)
        /// Could not be started.
        case notStarted(String)
    }

    /// Exit status of the `/bin/sh` wrapper when it could not set the resource limits.
    public static let limitsFailedStatus: Int32 = 70

    public var status: BatchIndexEntry.Status
    public var error: String?
    /// The exit status for the index; nil when the child was killed or never ran.
    public var exitStatus: Int?

    public init(status: BatchIndexEntry.Status, error: String?, exitStatus: Int?) {
        self.status = status
        self.error = error
        self.exitStatus = exitStatus
    }

    /// Classifies one finished child. `report` is the decoded JSON report when the child exited 0, 2 or 3,
    /// `stderr` the last of what it printed, `memoryLimitMB` the limit it ran under (nil: none).
    public static func classify(_ end: End, report: Result<ReportDigest, BatchError>?, stderr: String,
                                memoryLimitMB: Int?) -> BatchOutcome {
        let said = lastLine(stderr)
        switch end {
        case .notStarted(let message):
            return BatchOutcome(status: .failed, error: "could not start the analysis: \(message)", exitStatus: nil)
        case .timedOut(let seconds):
            return BatchOutcome(status: .failed, error: "timed out after \(formatSeconds(seconds)) s (killed)", exitStatus: nil)
        case .signaled(let signal):
            var message = "crashed: killed by \(signalName(signal))"
            if signal == SIGXCPU { message = "CPU time limit exceeded (\(signalName(signal)))" }
            let lowered = stderr.lowercased()
            if let limit = memoryLimitMB, lowered.contains("allocat") || lowered.contains("out of memory") {
                message = "out of memory: exceeded the \(limit) MB limit (\(signalName(signal)))"
            } else if let limit = memoryLimitMB, [SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS].contains(signal) {
                message += ", possibly at the \(limit) MB memory limit"
            }
            if let said { message += ": \(said)" }
            return BatchOutcome(status: .failed, error: message, exitStatus: nil)
        case .exited(let code):
            let status = Int(code)
            switch code {
            case 0, 2:
                guard let report else {
                    return BatchOutcome(status: .failed, error: "no report was written", exitStatus: status)
                }
                switch report {
                case .failure(let error):
                    return BatchOutcome(status: .failed, error: "report unreadable: \(error.message)", exitStatus: status)
                case .success(let digest):
                    if digest.bundle.files.recognized == 0 {
                        let read = digest.bundle.files.read
                        return BatchOutcome(status: .failed,
                                            error: "not a support bundle: no file oomlens reads was found (\(read) file\(read == 1 ? "" : "s") read)",
                                            exitStatus: status)
                    }
                    if code == 0 { return BatchOutcome(status: .ok, error: nil, exitStatus: status) }
                    return BatchOutcome(status: .partial, error: digest.damage ?? said ?? "results are partial", exitStatus: status)
                }
            case 3:
                let damage = (try? report?.get())?.damage
                return BatchOutcome(status: .failed, error: "unreadable: " + (damage ?? said ?? "the input could not be opened or read"),
                                    exitStatus: status)
            case limitsFailedStatus:
                return BatchOutcome(status: .failed, error: "could not set resource limits" + (said.map { ": \($0)" } ?? ""), exitStatus: status)
            default:
                return BatchOutcome(status: .failed, error: "analysis failed with exit status \(code)" + (said.map { ": \($0)" } ?? ""), exitStatus: status)
            }
        }
    }

    /// `SIGSEGV (11)`.
    public static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [
            SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP",
            SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV",
            SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM", SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ",
        ]
        return "\(names[signal] ?? "signal") (\(signal))"
    }

    /// The last non-empty line, without an `Error: ` prefix, at most 300 characters.
    static func lastLine(_ text: String) -> String? {
        guard let line = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
            .last(where: { !$0.allSatisfy { $0 == " " || $0 == "\t" } }) else { return nil }
        var s = Substring(line)
        if s.hasPrefix("Error: ") { s = s.dropFirst(7) }
        return String(s.prefix(300))
    }

    static func formatSeconds(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
