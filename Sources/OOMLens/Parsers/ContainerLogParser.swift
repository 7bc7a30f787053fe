/// Reads a container's stdout/stderr log for the application's own out-of-memory errors: Java
/// `java.lang.OutOfMemoryError` (with its kind), .NET `System.OutOfMemoryException`, Node.js
/// `JavaScript heap out of memory`, Go `fatal error: runtime: out of memory` and Python `MemoryError`.
///
/// Lines may carry the CRI prefix (`2020-01-26T03:17:29.346494690+00:00 stderr F …`), a
/// `docker logs -t` RFC 3339 prefix, or be Docker json-file objects; the prefix's time is kept.
/// Real input:
/// ```
/// Exception in thread "elasticsearch[_client_][scheduler][T#1]" java.lang.OutOfMemoryError: Java heap space
/// Exception in thread "main" java.lang.OutOfMemoryError: Metaspace
/// FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory
/// System.OutOfMemoryException: Exception of type 'System.OutOfMemoryException' was thrown.
/// numpy._core._exceptions._ArrayMemoryError: Unable to allocate 441. MiB for an array with shape (1, 11341, 10203) and data type float32
/// ```
/// One `applicationOOM` observation per distinct error kind per file, at its first occurrence;
/// `count` holds the number of occurrences when more than one. The pod and container come from
/// the context's hints.
///
/// Almost no line of an application's log is one of these: the lines before the next that holds a
/// part of one (`needles`, one vector scan of the block) are passed over in bulk, their newlines counted,
/// never split.
public struct ContainerLogParser: LineParser {
    private struct Finding {
        var reason: String
        var message: String
        var line: Int
        var time: TimeReading?
        var count: Int
    }

    private let context: ParseContext
    private var findings: [Finding] = []
    private var dropped = 0
    private var newestInstant: Instant?

    /// Distinct error kinds kept per file; more are counted in a diagnostic.
    private static let maxKinds = 32
    private static let maxMessageBytes = 300

    /// A part of each text a line must hold to be read (`OutOfMemory`, `MemoryError`, `out of memory`),
    /// each starting with three bytes that are rare in application logs (`NeedleSet`'s fingerprint).
    static let needles = NeedleSet(groups: [["OfMemory"], ["MemoryError"], ["f memory"]])
    private var sieve = BlockSieve(Self.needles)

    /// False reads every line (for tests that hold the sieve to what reading every line finds).
    private let sieving: Bool

    public init(context: ParseContext) {
        self.init(context: context, sieving: true)
    }

    public init(context: ParseContext, sieving: Bool) {
        self.context = context
        self.sieving = sieving
    }

    /// The texts one of which is in every line `reason` reads; each holds one of `needles`.
    static let texts: [StaticString] = ["OutOfMemory", "MemoryError", "out of memory"]

    public mutating func blockWillStart(_ block: UnsafeRawBufferPointer) {
        sieve.start(block)
    }

    /// The lines before the next one that holds a needle, in one vector count.
    public mutating func linesToPassOver(from offset: Int, number: Int, limit: Int) -> (end: Int, lines: Int)? {
        guard sieving else { return nil }
        let regionEnd = Swift.min(sieve.needle(from: offset), sieve.block.count, offset + limit)
        guard regionEnd > offset else { return nil }
        let passed = ByteCount.passLines(in: sieve.block.slice(offset..<regionEnd), atMost: Int.max)
        guard passed.lines > 0 else { return nil }
        return (offset + passed.end, passed.lines)
    }

    public mutating func parse(_ line: Line, into output: inout ParseOutput) {
        let b = line.bytes
        guard !sieving || sieve.holdsNeedle(line), Self.texts.contains(where: { b.contains($0) }) else { return }
        let (bodyStart, time) = Self.logPrefix(b)
        let body = b.suffix(from: bodyStart)
        guard let reason = Self.reason(body) else { return }
        if let index = findings.firstIndex(where: { $0.reason == reason }) {
            findings[index].count += 1
            return
        }
        guard findings.count < Self.maxKinds else {
            dropped += 1
            return
        }
        let range = body.trimmedRange()
        let message = body.string(range.lowerBound..<Swift.min(range.upperBound, range.lowerBound + Self.maxMessageBytes))
        findings.append(Finding(reason: reason, message: message, line: line.number, time: time, count: 1))
        if case .instant(let instant)? = time?.time { newestInstant = Swift.max(newestInstant ?? instant, instant) }
    }

    public mutating func finish(into output: inout ParseOutput) {
        for finding in findings {
            var o = Observation(kind: .applicationOOM, source: .containerLog, location: context.location(finding.line),
                                time: finding.time, summary: "")
            o.node = context.nodeHint
            o.namespace = context.namespaceHint
            o.pod = context.podHint
            o.container = context.containerHint
            o.reason = finding.reason
            o.message = finding.message
            o.count = finding.count > 1 ? finding.count : nil
            let subject = context.containerHint.map { "container \($0)" } ?? "the application"
            o.summary = "\(subject) logged \(finding.reason)" + (finding.count > 1 ? " (\(finding.count) times)" : "")
            output.observations.append(o)
        }
        if dropped > 0 {
            output.diagnostics.append(Diagnostic(
                .note, file: context.path,
                "\(dropped) out-of-memory line(s) of more than \(Self.maxKinds) distinct kinds were not reported"))
        }
        if let newestInstant { output.clockHints.append(.datedRecord(newestInstant)) }
    }

    // MARK: - Prefixes

    /// Where the application's text starts and the prefix's time: CRI
    /// (`<RFC3339Nano> stdout|stderr F|P <text>`), `docker logs -t` (`<RFC3339Nano> <text>`), or a
    /// Docker json-file object (`{"log":"…","stream":"stderr","time":"…"}`, text left in place).
    static func logPrefix(_ b: UnsafeRawBufferPointer) -> (start: Int, time: TimeReading?) {
        if b.first == .openBrace {
            guard let at = b.firstIndex(of: "\"time\":\""), let reading = RFC3339.read(b, at: at + 8) else { return (0, nil) }
            return (0, reading.instant.map { TimeReading(.instant($0), text: b.string((at + 8)..<reading.end)) })
        }
        guard let reading = RFC3339.read(b, at: 0), reading.end < b.count, b[reading.end] == .space else { return (0, nil) }
        let text = b.string(0..<reading.end)
        let time = TimeReading(reading.instant.map { .instant($0) } ?? .civil(reading.civil), text: text)
        var start = reading.end + 1
        if b.matches("stdout ", at: start) || b.matches("stderr ", at: start) {
            start += 7
            if start + 1 < b.count, b[start] == UInt8(ascii: "F") || b[start] == UInt8(ascii: "P"), b[start + 1] == .space {
                start += 2
            } else if start + 1 == b.count {
                start = b.count
            }
        }
        return (start, time)
    }

    // MARK: - Error kinds

    /// The error kind a line reports, or nil.
    static func reason(_ b: UnsafeRawBufferPointer) -> String? {
        if let at = b.firstIndex(of: "java.lang.OutOfMemoryError") {
            let end = at + 26
            // `at java.lang.OutOfMemoryError.<init>` is a frame, not a throw.
            if end < b.count, b[end] == .dot { return nil }
            guard b.matches(": ", at: end) else { return "java.lang.OutOfMemoryError" }
            let detail = b.trimmedRange((end + 2)..<Swift.min(b.count, end + 2 + 120))
            return detail.isEmpty ? "java.lang.OutOfMemoryError" : "java.lang.OutOfMemoryError: " + b.string(detail)
        }
        if b.contains("System.OutOfMemoryException") { return "System.OutOfMemoryException" }
        if b.contains("JavaScript heap out of memory") { return "JavaScript heap out of memory" }
        if b.contains("fatal error: runtime: out of memory") { return "fatal error: runtime: out of memory" }
        if b.contains("fatal error: out of memory") { return "fatal error: out of memory" }
        return pythonMemoryError(b)
    }

    /// A Python traceback's last line: an unindented exception name ending in `MemoryError`
    /// (`MemoryError`, `numpy._core._exceptions._ArrayMemoryError: …`).
    private static func pythonMemoryError(_ b: UnsafeRawBufferPointer) -> String? {
        var end = 0
        while end < b.count {
            let c = b[end]
            let isName = c.isDigit || c == .underscore || c == .dot
                || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            guard isName else { break }
            end += 1
        }
        guard end >= 11, b.matches("MemoryError", at: end - 11), !(end >= 16 && b.matches("OutOfMemoryError", at: end - 16)),
              end == b.count || b[end] == .colon || b[end].isSpaceOrTab
        else { return nil }
        return b.string(0..<end)
    }
}
