import Foundation
import OOMLens

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `oomlens batch`'s work list: up to `jobs` children at a time, each `oomlens batch-worker` on
/// one bundle under the memory and wall-time limits; as each ends, its index line is appended (and
/// fsynced) and progress is shown. Honours SignalWatch: stop launching, then kill.
struct BatchRunner {
    /// One bundle to analyse.
    struct Job {
        var candidate: BundleDiscovery.Candidate
        var fingerprint: BundleFingerprint
        var id: String
    }

    /// A child at work.
    private struct Running {
        var job: Job
        var child: ChildProcess
        var reports: [String]
        var timedOut = false
        var killedBySignal = false
    }

    let layout: BatchLayout
    let formats: [ReportFormat]
    let jobs: Int
    let timeout: Double
    let memoryMB: Int?
    let workerOptions: [String]
    let executable: String

    /// Longest sleep between looks at the children (progress redraws, timeouts), in milliseconds.
    private static let tick = 200

    /// Runs every job the feed gives (until interrupted) and returns the entries appended to the index.
    ///
    /// Each turn reaps the children that ended, starts their successors, and only then reads the
    /// ended children's reports and appends (and fsyncs) their index lines, so a core is not left
    /// idle while the parent does a finished bundle's bookkeeping.
    mutating func run(_ feed: inout BatchFeed, writer: BatchIndexWriter) throws(BatchError) -> [BatchIndexEntry] {
        var progress = Progress()
        var finished: [BatchIndexEntry] = []
        var running: [Running] = []
        var exhausted = false
        var failure: BatchError?
        defer { progress.finish() }
        while true {
            if SignalWatch.killRequested || failure != nil {
                for i in running.indices where !running[i].killedBySignal {
                    running[i].killedBySignal = true
                    running[i].child.kill(SIGKILL)
                }
            }
            var busy = false
            var ended: [(run: Running, end: ChildProcess.Termination, duration: Double)] = []
            var still: [Running] = []
            for var r in running {
                guard let end = r.child.poll() else {
                    if !r.timedOut, r.child.elapsed > timeout {
                        r.timedOut = true
                        r.child.kill(SIGKILL)
                    }
                    still.append(r)
                    continue
                }
                busy = true
                ended.append((r, end, r.child.elapsed))
            }
            running = still
            let stop = SignalWatch.stopRequested || failure != nil
            feeding: while !stop, !exhausted, running.count < jobs {
                switch feed.next() {
                case .exhausted:
                    exhausted = true
                case .pending:
                    break feeding
                case .skipped(let candidate, let decision):
                    busy = true
                    if case .duplicate(let first) = decision {
                        progress.note("oomlens batch: \(ControlText.clean(candidate.path)): same content as \(ControlText.clean(first)), skipped")
                    } else if case .unreadable(let message) = decision {
                        progress.note("oomlens batch: \(ControlText.clean(candidate.path)): cannot read: \(message)")
                    }
                case .job(let job):
                    busy = true
                    progress.planned(bytes: job.fingerprint.size)
                    switch launch(job) {
                    case .success(let child): running.append(child)
                    case .failure(let error):
                        let entry = self.entry(job, .notStarted(error.message), reports: [], duration: 0)
                        record(entry, writer: writer, failure: &failure, finished: &finished, progress: &progress)
                    }
                }
            }
            progress.hashed = feed.hashed
            for (r, end, duration) in ended {
                // Killed because the batch was stopped: not a result; the next run redoes it.
                if r.killedBySignal, !r.timedOut { continue }
                let outcome: BatchOutcome.End
                switch end {
                case .exited(let code): outcome = .exited(code)
                case .signaled(let signal): outcome = r.timedOut ? .timedOut(timeout) : .signaled(signal)
                }
                let entry = self.entry(r.job, outcome, reports: r.reports, duration: duration)
                record(entry, writer: writer, failure: &failure, finished: &finished, progress: &progress)
            }
            if running.isEmpty, stop || exhausted { break }
            progress.draw(running: running.count)
            if !busy {
                // Until a child ends, a bundle is hashed, a signal arrives, or the next timeout is due.
                let due = running.map { timeout - $0.child.elapsed }.min().map { Int(($0 * 1000).rounded(.up)) + 1 } ?? Self.tick
                SignalWatch.waitForWake(milliseconds: Int32(max(1, min(Self.tick, due))))
            }
        }
        if let failure { throw failure }
        return finished
    }

    /// Appends `entry` to the index (unless an earlier append failed) and reports it as finished.
    private func record(_ entry: BatchIndexEntry, writer: BatchIndexWriter, failure: inout BatchError?,
                        finished: inout [BatchIndexEntry], progress: inout Progress) {
        if failure == nil {
            do throws(BatchError) { try writer.append(entry) } catch { failure = error }
        }
        finished.append(entry)
        progress.finished(entry)
    }

    /// Starts the child for `job`.
    private func launch(_ job: Job) -> Result<Running, BatchError> {
        var arguments = ["batch-worker"]
        var reports: [String] = []
        for format in formats {
            let relative = BatchLayout.report(id: job.id, fileExtension: format.fileExtension)
            reports.append(relative)
            unlink(layout.path(relative))  // no stale report of an earlier run survives a crash
            arguments += ["--\(format.rawValue)", layout.path(relative)]
        }
        arguments += workerOptions + ["--", job.candidate.path]
        let limits = ChildProcess.Limits(memoryMB: memoryMB, cpuSeconds: Int(timeout.rounded(.up)) * 2 + 5)
        return ChildProcess.spawn(executable, arguments, limits: limits, stderrPath: layout.log(id: job.id))
            .map { Running(job: job, child: $0, reports: reports) }
    }

    /// The index line for a finished child, reading its report; its log is kept only when it was not ok.
    private func entry(_ job: Job, _ end: BatchOutcome.End, reports: [String], duration: Double) -> BatchIndexEntry {
        let logPath = layout.log(id: job.id)
        let stderr = Self.tail(of: logPath)
        var digest: Result<ReportDigest, BatchError>?
        if case .exited(let code) = end, [0, 2, 3].contains(code), let json = reports.first(where: { $0.hasSuffix(".json") }) {
            digest = ReportDigest.load(layout.path(json))
        }
        let outcome = BatchOutcome.classify(end, report: digest, stderr: stderr, memoryLimitMB: memoryMB)
        if outcome.status == .ok { unlink(logPath) }
        let report = try? digest?.get()
        return BatchIndexEntry(
            path: job.candidate.path, id: job.id, sha256: job.fingerprint.sha256, size: job.fingerprint.size,
            status: outcome.status, error: outcome.error, exitStatus: outcome.exitStatus,
            durationSeconds: (duration * 1000).rounded() / 1000, collectedAt: report?.bundle.collectedAt,
            counts: report?.countsByKind ?? Dictionary(uniqueKeysWithValues: ReportDigest.Incident.allKinds.map { ($0, 0) }),
            findings: report?.findingRules ?? [], toolVersion: OOMLensVersion.version,
            reports: outcome.status == .failed && report == nil ? [] : reports,
            finishedAt: RFC3339.format(Instant(seconds: Int64(time(nil)))))
    }

    /// The last 4 KiB of a log file, as text.
    static func tail(of path: String) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > 4096 ? size - 4096 : 0)
        let data = (try? handle.readToEnd()) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

extension ReportFormat {
    /// The report file's extension.
    var fileExtension: String {
        switch self {
        case .json: "json"
        case .markdown: "md"
        case .html: "html"
        case .text: "txt"
        }
    }
}
