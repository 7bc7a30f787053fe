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
public struct NodeLogParser: LineParser {
    private var prefixes: LinePrefixParser
    private var dispatcher: LogRecordDispatcher

    public init(context: ParseContext) {
        prefixes = LinePrefixParser(file: context.path)
        dispatcher = LogRecordDispatcher(context: context)
    }

    public mutating func parse(_ line: Line, into output: inout ParseOutput) {
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

    public mutating func finish(into output: inout ParseOutput) {
        dispatcher.finish(into: &output)
        output.diagnostics.append(contentsOf: prefixes.diagnostics)
    }
}
