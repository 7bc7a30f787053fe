/// Reads a node's text logs (syslog, kern.log, messages, journalctl text, dmesg, kubelet, containerd and
/// CRI-O log files) and hands each line's message to the parser of the program that wrote it.
///
/// Lines such as
///
///     Oct 12 19:00:20 aks-nodepool1-24207654-vmss000001 kernel: [ 8523.347333] Memory cgroup out of memory: Killed process 183960 (stress-ng-vm) …
///     Oct 12 19:00:20 aks-nodepool1-24207654-vmss000001 systemd[1]: cri-containerd-25a3….scope: A process of this unit has been killed by the OOM killer.
///     Oct 12 19:00:20 aks-nodepool1-24207654-vmss000001 containerd[2388]: time="2023-10-12T19:00:20.879932879Z" level=info msg="TaskOOM event …"
///     May 28 16:05:50 192-168-250-5 kubelet[2269385]: I0528 16:05:50.514706 2269385 eviction_manager.go:405] …
///     [Thu May  9 14:52:38 2024] CPU 11/KVM invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=830
///
/// go through `LinePrefixParser`, then `LogRecordDispatcher` (kernel → `KernelOOMParser`, kubelet and its
/// K3s/MicroK8s/RKE2 names → `KubeletMessageParser`, containerd/CRI-O/Docker → `RuntimeMessageParser`,
/// systemd → `SystemdMessageParser`; lines without a program by the file's kind). Also emits
/// `ClockHint.wallAndUptime` for lines with a wall clock and an uptime, one `ClockHint.datedRecord` with
/// the newest fully dated instant, and `.nodeBoot` observations for journal `-- Boot … --` markers.
/// Used for `.nodeLog`, `.dmesg`, `.kubeletLog`, `.containerdLog` and `.crioLog` files.
///
/// Most lines of a node log are none of these: a line is passed over, with no prefix read, when it
/// holds none of `LogRecordDispatcher.sieve` (one vector scan of the block finds the next line that
/// does) and no record is open; a run of such lines is passed over whole, its newlines counted by a
/// vector scan (`linesToPassOver`), never split line by line. So that
/// continuation lines and clocks see what they would have seen, the last line passed over is read
/// (prefix and clock only) before the next line that is parsed and at the end of the file; the
/// first `fullyReadLines` lines and every `sampleEvery`-th line are read in full. The newest dated
/// instant is therefore exact for logs in time order, and within `sampleEvery` lines otherwise.
public struct NodeLogParser: LineParser {
    private var prefixes: LinePrefixParser
    private var dispatcher: LogRecordDispatcher
    /// The last line passed over since the last line read.
    private var passedOver = PassedOverLine()

    /// Lines read in full at the start of every file (the first clocks, boot markers, warnings).
    static let fullyReadLines = 64
    /// One line in this many is read in full wherever it falls.
    static let sampleEvery = 256

    /// False reads every line in full (for tests that hold the sieve to what a full read finds).
    private let sieving: Bool
    private var sieve = BlockSieve(LogRecordDispatcher.sieve)

    public init(context: ParseContext) {
        self.init(context: context, sieving: true)
    }

    public init(context: ParseContext, sieving: Bool) {
        prefixes = LinePrefixParser(file: context.path)
        dispatcher = LogRecordDispatcher(context: context)
        self.sieving = sieving
    }

    public mutating func blockWillStart(_ block: UnsafeRawBufferPointer) {
        sieve.start(block)
    }

    /// Passes over, in one vector count, the lines before the next one that holds a needle or is read
    /// in full anyway (every `sampleEvery`-th), keeping the last of them for `replayPassedOver`.
    public mutating func linesToPassOver(from offset: Int, number: Int, limit: Int) -> (end: Int, lines: Int)? {
        guard sieving, number > Self.fullyReadLines, !dispatcher.isMidRecord else { return nil }
        let beforeSample = (number + Self.sampleEvery - 1) / Self.sampleEvery * Self.sampleEvery - number
        guard beforeSample > 0 else { return nil }
        let block = sieve.block
        let regionEnd = Swift.min(sieve.needle(from: offset), block.count, offset + limit)
        guard regionEnd > offset else { return nil }
        let passed = ByteCount.passLines(in: block.slice(offset..<regionEnd), atMost: beforeSample)
        guard passed.lines > 0 else { return nil }
        let end = offset + passed.end
        // The last line passed over: from the newline before its own (or `offset`) to its own.
        let newline = end - 1
        var start = newline
        while start > offset, block[start - 1] != .newline { start -= 1 }
        var last = block.slice(start..<newline)
        if last.last == .carriageReturn { last = block.slice(start..<(newline - 1)) }
        passedOver.keep(borrowing: last, number: number + passed.lines - 1)
        return (end, passed.lines)
    }

    public mutating func parse(_ line: Line, into output: inout ParseOutput) {
        if sieving, line.number > Self.fullyReadLines, line.number % Self.sampleEvery != 0, !dispatcher.isMidRecord,
           !sieve.holdsNeedle(line)
        {
            passedOver.keep(line)
            return
        }
        replayPassedOver(into: &output)
        read(line, into: &output)
    }

    /// Reads one line in full: prefix, clock, then the parser of its program when that may want it.
    private mutating func read(_ line: Line, into output: inout ParseOutput) {
        let scan = prefixes.scan(line)
        if !scan.isContinuation {
            dispatcher.noteClock(
                time: prefixes.time, uptime: prefixes.uptime, host: prefixes.host, line: line.number, into: &output)
        }
        let route = dispatcher.route(program: prefixes.program)
        guard dispatcher.needsRecord(
            route: route, message: scan.message, isContinuation: scan.isContinuation, hasTime: prefixes.time != nil)
        else { return }
        dispatcher.dispatch(prefixes.record(scan), route: route, into: &output)
    }

    public mutating func blockDidEnd() {
        passedOver.blockDidEnd()
    }

    /// Reads the prefix and clock of the last line passed over (no parser wanted its message).
    private mutating func replayPassedOver(into output: inout ParseOutput) {
        passedOver.take()?.withLine { replay($0, into: &output) }
    }

    private mutating func replay(_ line: Line, into output: inout ParseOutput) {
        let scan = prefixes.scan(line)
        if !scan.isContinuation {
            dispatcher.noteClock(
                time: prefixes.time, uptime: prefixes.uptime, host: prefixes.host, line: line.number, into: &output)
        }
    }

    public mutating func finish(into output: inout ParseOutput) {
        replayPassedOver(into: &output)
        dispatcher.finish(into: &output)
        output.diagnostics.append(contentsOf: prefixes.diagnostics)
    }
}
