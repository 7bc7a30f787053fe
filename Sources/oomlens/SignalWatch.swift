import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Signals for `oomlens batch`, which polls them between children instead of dying: the first SIGINT
/// stops launching new work and lets running children finish, a second SIGINT or any SIGTERM kills
/// them too. SIGCHLD (a child ended), those signals and `wake()` (a bundle was hashed) write a byte to
/// a self-pipe, so the runner sleeps in `waitForWake` until there is something to do.
///
/// The handlers only touch lock-free atomics and call `write(2)`: async-signal-safe.
enum SignalWatch {
    static let interrupts = Atomic<Int>(0)
    static let terminations = Atomic<Int>(0)
    private static let wakeRead = Atomic<Int32>(-1)
    private static let wakeWrite = Atomic<Int32>(-1)

    /// Creates the self-pipe and installs the handlers (touching the atomics first, so no lazy
    /// initialisation runs in a handler).
    static func install() {
        _ = interrupts.load(ordering: .relaxed)
        _ = terminations.load(ordering: .relaxed)
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
            wakeRead.store(fds[0], ordering: .releasing)
            wakeWrite.store(fds[1], ordering: .releasing)
        }
        signal(SIGINT) { _ in
            _ = SignalWatch.interrupts.add(1, ordering: .relaxed)
            SignalWatch.wake()
        }
        signal(SIGTERM) { _ in
            _ = SignalWatch.terminations.add(1, ordering: .relaxed)
            SignalWatch.wake()
        }
        signal(SIGCHLD) { _ in SignalWatch.wake() }
        // A parent may have started us with the signals blocked (the mask is inherited): unblock them.
        var set = sigset_t()
        sigemptyset(&set)
        for s in [SIGINT, SIGTERM, SIGCHLD] { sigaddset(&set, s) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Wakes `waitForWake` (from any thread or a signal handler).
    static func wake() {
        let fd = wakeWrite.load(ordering: .acquiring)
        guard fd >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(fd, &byte, 1)
    }

    /// Sleeps until woken or `milliseconds` pass, then empties the pipe.
    static func waitForWake(milliseconds: Int32) {
        let fd = wakeRead.load(ordering: .acquiring)
        guard fd >= 0 else {
            usleep(useconds_t(max(0, milliseconds)) * 1000)
            return
        }
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        _ = poll(&entry, 1, milliseconds)
        var buffer = [UInt8](repeating: 0, count: 64)
        while buffer.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }) > 0 {}
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
