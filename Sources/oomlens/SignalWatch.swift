import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Counts SIGINT and SIGTERM for `oomlens batch`, which polls the counts between children instead of
/// dying: the first SIGINT stops launching new work and lets running children finish, a second SIGINT
/// or any SIGTERM kills them too. The handlers only increment lock-free atomics (async-signal-safe).
enum SignalWatch {
    static let interrupts = Atomic<Int>(0)
    static let terminations = Atomic<Int>(0)

    /// Installs the handlers (touching the atomics first, so no lazy initialisation runs in a handler).
    static func install() {
        _ = interrupts.load(ordering: .relaxed)
        _ = terminations.load(ordering: .relaxed)
        signal(SIGINT) { _ in _ = SignalWatch.interrupts.add(1, ordering: .relaxed) }
        signal(SIGTERM) { _ in _ = SignalWatch.terminations.add(1, ordering: .relaxed) }
        // A parent may have started us with the signals blocked (the mask is inherited): unblock them.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// No new work should start.
    static var stopRequested: Bool {
        interrupts.load(ordering: .relaxed) > 0 || terminations.load(ordering: .relaxed) > 0
    }

    /// Running work should be killed.
    static var killRequested: Bool {
        interrupts.load(ordering: .relaxed) > 1 || terminations.load(ordering: .relaxed) > 0
    }

    /// The conventional exit status for the signal that stopped the run (130 or 143), or nil.
    static var exitStatus: Int32? {
        if terminations.load(ordering: .relaxed) > 0 { return 128 + SIGTERM }
        if interrupts.load(ordering: .relaxed) > 0 { return 128 + SIGINT }
        return nil
    }
}
