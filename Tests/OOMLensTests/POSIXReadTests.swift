import Foundation
import Testing
@testable import OOMLens

@Suite struct POSIXReadTests {
    /// A signal that arrives while `read` waits (handler installed without `SA_RESTART`, so the kernel
    /// returns `EINTR`) must not end the read: the bytes written after it still arrive.
    @Test func aSignalDuringTheWaitIsRetried() throws {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in }
        action.sa_flags = 0
        sigemptyset(&action.sa_mask)
        var previous = sigaction()
        try #require(sigaction(SIGUSR2, &action, &previous) == 0)
        defer { sigaction(SIGUSR2, &previous, nil) }
        // The test runner's threads block SIGUSR2: let it through on this one while the test runs.
        var only = sigset_t()
        var blocked = sigset_t()
        sigemptyset(&only)
        sigaddset(&only, SIGUSR2)
        try #require(pthread_sigmask(SIG_UNBLOCK, &only, &blocked) == 0)
        defer { pthread_sigmask(SIG_SETMASK, &blocked, nil) }

        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]) }
        let reader = pthread_self()
        let writeEnd = ends[1]
        let helper = Thread {
            usleep(100_000)
            pthread_kill(reader, SIGUSR2)
            usleep(100_000)
            _ = "late".withCString { write(writeEnd, $0, 4) }
            close(writeEnd)
        }
        helper.start()
        var buffer = [UInt8](repeating: 0, count: 16)
        let count = buffer.withUnsafeMutableBytes { POSIXRead.read(ends[0], into: $0.baseAddress, count: $0.count) }
        #expect(count == 4)
        #expect(Array(buffer.prefix(4)) == Array("late".utf8))
    }

    @Test func readsAtAnOffsetAndReportsErrors() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("posix-read-\(getpid()).txt").path
        try Data("0123456789".utf8).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let fd = open(path, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4)
        let count = buffer.withUnsafeMutableBytes { POSIXRead.read(fd, into: $0.baseAddress, count: 4, at: 6) }
        #expect(count == 4 && buffer == Array("6789".utf8))
        #expect(buffer.withUnsafeMutableBytes { POSIXRead.read(fd, into: $0.baseAddress, count: 4, at: 10) } == 0)
        #expect(buffer.withUnsafeMutableBytes { POSIXRead.read(-1, into: $0.baseAddress, count: 4) } == -1)
        #expect(errno == EBADF)
    }
}
