/// Renders kernel records: OOM-killer blocks (memcg on cgroup v2 and v1, and global
/// `CONSTRAINT_NONE`), boot banners and ordinary network chatter.
///
/// Templates are the real blocks in `/work/shared/reference/samples/`: the AKS cgroup v2 + systemd +
/// containerd block (`kernel-oom-cgroupv2-systemd-containerd-syslog-aks.log`), the cgroup v1 cgroupfs
/// block (`kernel-oom-cgroupv1-cgroupfs-containerd-syslog-nohost-eks.log`, with the v1 accounting and
/// stat lines of the kata and Harvester samples) and the global block of
/// `kernel-oom-global-kernel3.13-noprefix.log` in its 4.19+ form. Output lines carry no prefix:
///
/// ```
/// stress-ng-vm invoked oom-killer: gfp_mask=0x1100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=1000
/// oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=cri-containerd-25a3….scope,mems_allowed=0,oom_memcg=/kubepods.slice/…,task_memcg=/kubepods.slice/….scope,task=stress-ng-vm,pid=183960,uid=0
/// Memory cgroup out of memory: Killed process 183960 (stress-ng-vm) total-vm:299192kB, anon-rss:93176kB, file-rss:316kB, shmem-rss:12kB, UID:0 pgtables:476kB oom_score_adj:1000
/// ```
enum KernelLogWriter {
    /// One row of the `Tasks state` table (memory values in pages).
    struct Task: Sendable {
        var pid: Int
        var uid: Int
        var totalVM: Int
        var rss: Int
        var pgtablesBytes: Int
        var adj: Int
        var comm: String
    }

    /// The kernel a node runs, which decides several line shapes.
    struct KernelInfo: Sendable {
        var release: String
        var build: String
        var hardware: String
        var version: (major: Int, minor: Int)

        /// `, UID:0 pgtables:476kB oom_score_adj:1000` after the kill line (5.4 and later).
        var killLineHasTail: Bool { version >= (5, 4) }
        /// ` <TASK>` … ` </TASK>` around the call trace (5.15 and later).
        var wrapsTrace: Bool { version >= (5, 15) }
    }

    /// A memory-cgroup OOM: the limit of `oomMemcg` (a container scope or a pod slice) was hit.
    struct MemcgOOM: Sendable {
        var kernel: KernelInfo
        var cgroupV2: Bool
        var cpu: Int
        var victim: Task
        var cpuset: String
        var oomMemcg: String
        var taskMemcg: String
        var limitKB: Int64
        var failcnt: Int
        var anonBytes: Int64
        var fileBytes: Int64
        var tasks: [Task]
        var shmemKB: Int
        var fileRSSKB: Int
    }

    /// A global OOM: the node itself ran out of memory.
    struct GlobalOOM: Sendable {
        var kernel: KernelInfo
        var cpu: Int
        var invoker: Task
        var victim: Task
        var cpuset: String
        var taskMemcg: String
        var ramPages: Int
        var tasks: [Task]
        var fileRSSKB: Int
        var shmemKB: Int
    }

    /// The lines of a memcg OOM block, in emission order.
    static func memcgBlock(_ o: MemcgOOM) -> [String] {
        var lines = header(invoker: o.victim, cpu: o.cpu, kernel: o.kernel, global: false,
                           gfp: "0x1100cca(GFP_HIGHUSER_MOVABLE)")
        let usageKB = o.limitKB
        lines.append("memory: usage \(usageKB)kB, limit \(o.limitKB)kB, failcnt \(o.failcnt)")
        if o.cgroupV2 {
            lines.append("swap: usage 0kB, limit 9007199254740988kB, failcnt 0")
        } else {
            lines.append("memory+swap: usage \(usageKB)kB, limit 9007199254740988kB, failcnt 0")
            lines.append("kmem: usage \(max(1024, usageKB / 90))kB, limit 9007199254740988kB, failcnt 0")
        }
        lines.append("Memory cgroup stats for \(o.oomMemcg):")
        lines += stats(anon: o.anonBytes, file: o.fileBytes, v2: o.cgroupV2, kernel: o.kernel)
        lines += taskTable(o.tasks)
        lines.append("oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=\(o.cpuset),mems_allowed=0,oom_memcg=\(o.oomMemcg),task_memcg=\(o.taskMemcg),task=\(o.victim.comm),pid=\(o.victim.pid),uid=\(o.victim.uid)")
        lines.append("Memory cgroup out of memory: " + killedProcess(o.victim, fileKB: o.fileRSSKB, shmemKB: o.shmemKB, kernel: o.kernel))
        return lines
    }

    /// The lines of a global OOM block, in emission order.
    static func globalBlock(_ g: GlobalOOM) -> [String] {
        var lines = header(invoker: g.invoker, cpu: g.cpu, kernel: g.kernel, global: true,
                           gfp: "0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP)")
        let anonPages = g.tasks.reduce(0) { $0 + $1.rss } * 9 / 10
        let free = max(g.ramPages / 200, 1000)
        lines.append("Mem-Info:")
        lines.append("active_anon:\(anonPages / 50) inactive_anon:\(anonPages) isolated_anon:0")
        lines.append(" active_file:\(free / 9) inactive_file:\(free / 7) isolated_file:0")
        lines.append(" unevictable:0 dirty:0 writeback:0")
        lines.append(" slab_reclaimable:\(g.ramPages / 90) slab_unreclaimable:\(g.ramPages / 60)")
        lines.append(" mapped:\(free / 5) shmem:\(g.shmemKB / 4 + 1201) pagetables:\(g.tasks.reduce(0) { $0 + $1.pgtablesBytes } / 4096) bounce:0")
        lines.append(" free:\(free) free_pcp:\(free / 40) free_cma:0")
        lines.append("Node 0 DMA: 5*4kB (UM) 6*8kB (UEM) 7*16kB (UEM) 1*32kB (M) 2*64kB (UE) 3*128kB (UEM) 1*256kB (E) 2*512kB (EM) 3*1024kB (UEM) 1*2048kB (R) 0*4096kB = 7124kB")
        lines.append("Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB")
        lines.append("\(free / 9 + free / 7 + 204) total pagecache pages")
        lines.append("0 pages in swap cache")
        lines.append("Swap cache stats: add 0, delete 0, find 0/0")
        lines.append("Free swap  = 0kB")
        lines.append("Total swap = 0kB")
        lines.append("\(g.ramPages) pages RAM")
        lines.append("0 pages HighMem/MovableOnly")
        lines.append("\(g.ramPages / 40) pages reserved")
        lines += taskTable(g.tasks)
        lines.append("oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=\(g.cpuset),mems_allowed=0,global_oom,task_memcg=\(g.taskMemcg),task=\(g.victim.comm),pid=\(g.victim.pid),uid=\(g.victim.uid)")
        lines.append("Out of memory: " + killedProcess(g.victim, fileKB: g.fileRSSKB, shmemKB: g.shmemKB, kernel: g.kernel))
        return lines
    }

    /// `Killed process 183960 (stress-ng-vm) total-vm:299192kB, anon-rss:93176kB, …` (without the
    /// `Memory cgroup out of memory: ` / `Out of memory: ` lead).
    static func killedProcess(_ victim: Task, fileKB: Int, shmemKB: Int, kernel: KernelInfo) -> String {
        let anonKB = max(0, victim.rss * 4 - fileKB - shmemKB)
        var line = "Killed process \(victim.pid) (\(victim.comm)) total-vm:\(victim.totalVM * 4)kB, anon-rss:\(anonKB)kB, file-rss:\(fileKB)kB, shmem-rss:\(shmemKB)kB"
        if kernel.killLineHasTail {
            line += ", UID:\(victim.uid) pgtables:\(victim.pgtablesBytes / 1024)kB oom_score_adj:\(victim.adj)"
        }
        return line
    }

    /// The first lines of a boot: `Linux version …` and the command line.
    static func bootBanner(_ kernel: KernelInfo, built: String) -> [String] {
        [
            "Linux version \(kernel.release) (buildd@lcy02-amd64-080) (gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0, GNU ld (GNU Binutils for Ubuntu) 2.38) \(kernel.build) SMP \(built)",
            "Command line: BOOT_IMAGE=/boot/vmlinuz-\(kernel.release) root=PARTUUID=0b9e4c68-6dd6-4c5b-a4ba-3a2d1d2a7c31 ro console=tty1 console=ttyS0 earlyprintk=ttyS0 panic=-1",
        ]
    }

    /// An ordinary kernel line about pod networking (`cni0: port 2(veth98016daf) entered forwarding state`).
    static func noise(_ random: inout StableRandom) -> String {
        let port = random.int(1...40)
        let veth = "veth" + random.hex(8)
        switch random.int(0...3) {
        case 0: return "cni0: port \(port)(\(veth)) entered blocking state"
        case 1: return "cni0: port \(port)(\(veth)) entered forwarding state"
        case 2: return "cni0: port \(port)(\(veth)) entered disabled state"
        default: return "IPv6: ADDRCONF(NETDEV_CHANGE): \(veth): link becomes ready"
        }
    }

    // MARK: Parts

    private static func header(invoker: Task, cpu: Int, kernel: KernelInfo, global: Bool, gfp: String) -> [String] {
        var lines = [
            "\(invoker.comm) invoked oom-killer: gfp_mask=\(gfp), order=0, oom_score_adj=\(invoker.adj)",
            "CPU: \(cpu) PID: \(invoker.pid) Comm: \(invoker.comm) Not tainted \(kernel.release) \(kernel.build)",
            "Hardware name: \(kernel.hardware)",
            "Call Trace:",
        ]
        if kernel.wrapsTrace {
            lines.append(" <TASK>")
            lines += [" show_stack+0x52/0x5c", " dump_stack_lvl+0x38/0x4d", " dump_stack+0x10/0x16",
                      " dump_header+0x53/0x228", " oom_kill_process.cold+0xb/0x10", " out_of_memory+0x106/0x2e0"]
            lines += global
                ? [" __alloc_pages_slowpath.constprop.0+0xa4d/0xd30", " __alloc_pages+0x311/0x330"]
                : [" mem_cgroup_out_of_memory+0x13f/0x160", " try_charge_memcg+0x6cd/0x790"]
            lines += ["RIP: 0033:0x560f8a11464d", "Code: Unable to access opcode bytes at RIP 0x560f8a114623.",
                      "RSP: 002b:00007ffee6141240 EFLAGS: 00010206", " </TASK>"]
        } else {
            lines += [" dump_stack+0x6d/0x8b", " dump_header+0x4f/0x1eb", " oom_kill_process.cold+0xb/0x10",
                      " out_of_memory.part.0+0x1df/0x3d0", " out_of_memory+0x6d/0xd0"]
            lines += global
                ? [" __alloc_pages_slowpath+0xa87/0xb20", " __alloc_pages_nodemask+0x2d0/0x320"]
                : [" mem_cgroup_out_of_memory+0xbd/0xe0"]
            lines += ["RIP: 0033:0x7fdc36338205", "RSP: 002b:00007fdc338ad750 EFLAGS: 00010206"]
        }
        return lines
    }

    private static func stats(anon: Int64, file: Int64, v2: Bool, kernel: KernelInfo) -> [String] {
        let activeAnon = min(anon, 28672 + anon / 300)
        let slab = 2_452_248 + anon / 400
        var pairs: [(String, Int64)]
        if v2 {
            pairs = [
                ("anon", anon), ("file", file), ("kernel_stack", 131_072), ("pagetables", 851_968 + anon / 120),
                ("percpu", 11752), ("sock", 0), ("shmem", file * 9 / 10), ("file_mapped", file * 9 / 10),
                ("file_dirty", 0), ("file_writeback", 0), ("swapcached", 0), ("anon_thp", 0), ("file_thp", 0),
                ("shmem_thp", 0), ("inactive_anon", anon - activeAnon), ("active_anon", activeAnon),
                ("inactive_file", file / 20), ("active_file", file / 20), ("unevictable", 0),
                ("slab_reclaimable", slab / 3), ("slab_unreclaimable", slab - slab / 3), ("slab", slab),
                ("workingset_refault_anon", 0), ("workingset_refault_file", 0), ("workingset_activate_anon", 0),
                ("workingset_activate_file", 0), ("workingset_restore_anon", 0), ("workingset_restore_file", 0),
                ("workingset_nodereclaim", 0), ("pgfault", 24_312 + anon / 4096), ("pgmajfault", 0),
            ]
        } else {
            pairs = [
                ("anon", anon), ("file", file), ("kernel_stack", 147_456), ("slab", slab), ("sock", 0),
                ("shmem", 0), ("file_mapped", file / 2), ("file_dirty", 0), ("file_writeback", 0), ("anon_thp", 0),
                ("inactive_anon", anon - activeAnon), ("active_anon", activeAnon), ("inactive_file", file / 2),
                ("active_file", file / 2), ("unevictable", 0), ("slab_reclaimable", slab / 3),
                ("slab_unreclaimable", slab - slab / 3), ("pgfault", 25_609 + anon / 4096), ("pgmajfault", 0),
                ("workingset_refault", 0), ("workingset_activate", 0),
            ]
        }
        return pairs.map { "\($0.0) \($0.1)" }
    }

    private static func taskTable(_ tasks: [Task]) -> [String] {
        var lines = ["Tasks state (memory values in pages):",
                     "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name"]
        for t in tasks {
            // printk("[%7d] %5d %5d %8lu %8lu %8ld %8lu         %5hd %s\n")
            lines.append("[\(TimeText.pad(t.pid, 7, " "))] \(TimeText.pad(t.uid, 5, " ")) \(TimeText.pad(t.pid, 5, " ")) \(TimeText.pad(t.totalVM, 8, " ")) \(TimeText.pad(t.rss, 8, " ")) \(TimeText.pad(t.pgtablesBytes, 8, " ")) \(TimeText.pad(0, 8, " "))         \(TimeText.pad(t.adj, 5, " ")) \(t.comm)")
        }
        return lines
    }
}
