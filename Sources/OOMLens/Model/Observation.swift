/// One normalised record read from one place in the bundle: the unit the timeline is built from.
///
/// Parsers fill what their source says and leave the rest nil; the correlator joins observations
/// that describe the same real event into one incident.
public struct Observation: Sendable, Hashable {
    public var kind: ObservationKind
    public var source: EvidenceSource
    public var location: SourceLocation
    /// The time the source gave for the record (nil when it gave none).
    public var time: TimeReading?
    /// A second time in the same record, when it had two (a syslog stamp around a klog header,
    /// an uptime inside a syslog kernel line). `time` is the most precise of the two.
    public var secondaryTime: TimeReading?
    public var node: String?
    public var namespace: String?
    public var pod: String?
    /// Lowercase, dashed pod UID, or 32-hex static-pod hash.
    public var podUID: String?
    public var container: String?
    /// Bare hexadecimal container id.
    public var containerID: String?
    public var process: ProcessRef?
    public var memory: MemoryFigures?
    public var exitCode: Int?
    /// Kubernetes reason (`OOMKilled`, `Evicted`, `Error`, `BackOff`, …) or the runtime's.
    public var reason: String?
    /// The starved resource (`memory`, `ephemeral-storage`, `pid`) for pressure and evictions.
    public var resource: String?
    /// Free text worth keeping (an eviction message, an event message, a probe's output).
    public var message: String?
    /// How many times the source says this happened (event `count`, `(x3 over 10m)`), when > 1.
    public var count: Int?
    /// For a terminated container: when it had started (to tell how long it ran).
    public var startedAt: TimeReading?
    /// Details only kernel OOM kills carry.
    public var kernel: KernelOOMDetails?
    /// A one-line description a person can read, written by the parser.
    public var summary: String

    public init(
        kind: ObservationKind, source: EvidenceSource, location: SourceLocation, time: TimeReading?,
        summary: String
    ) {
        self.kind = kind
        self.source = source
        self.location = location
        self.time = time
        self.summary = summary
    }
}

/// A process named by the kernel: `Killed process 183960 (stress-ng-vm)`.
public struct ProcessRef: Sendable, Hashable {
    public var name: String
    public var pid: Int

    public init(name: String, pid: Int) {
        self.name = name
        self.pid = pid
    }
}

/// Memory figures in bytes, each present only where the source stated it.
public struct MemoryFigures: Sendable, Hashable {
    public var limitBytes: Int64?
    public var usageBytes: Int64?
    public var anonRSSBytes: Int64?
    public var fileRSSBytes: Int64?
    public var shmemRSSBytes: Int64?
    public var requestBytes: Int64?
    public var failCount: Int64?

    public init(
        limitBytes: Int64? = nil, usageBytes: Int64? = nil, anonRSSBytes: Int64? = nil,
        fileRSSBytes: Int64? = nil, shmemRSSBytes: Int64? = nil, requestBytes: Int64? = nil,
        failCount: Int64? = nil
    ) {
        self.limitBytes = limitBytes
        self.usageBytes = usageBytes
        self.anonRSSBytes = anonRSSBytes
        self.fileRSSBytes = fileRSSBytes
        self.shmemRSSBytes = shmemRSSBytes
        self.requestBytes = requestBytes
        self.failCount = failCount
    }

    public var isEmpty: Bool {
        limitBytes == nil && usageBytes == nil && anonRSSBytes == nil && fileRSSBytes == nil
            && shmemRSSBytes == nil && requestBytes == nil && failCount == nil
    }
}
