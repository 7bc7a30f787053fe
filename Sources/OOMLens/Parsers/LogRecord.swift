/// One line of a node log after its prefix was read: the message body plus what the prefix said.
///
/// `LinePrefixParser` makes these from syslog, journal, dmesg and Talos lines; `NodeLogParser`
/// hands them to the message parsers (kernel, kubelet, containerd, systemd, …).
public struct LogRecord {
    /// The program that wrote the line, as the prefix named it (`kernel`, `kubelet`, `k3s`,
    /// `containerd`, `systemd`), lower-cased; nil when the line had no program field.
    public var program: String?
    public var pid: Int?
    public var host: String?
    /// The prefix's time (syslog/journal wall clock, dmesg uptime or `-T` time, RFC 3339).
    public var time: TimeReading?
    /// A since-boot stamp found right after the prefix (`kernel: [ 8523.347168] …`), when present.
    public var uptime: TimeReading?
    /// The message body: everything after the prefix (and after an inner `[uptime]`).
    public var message: UnsafeRawBufferPointer
    /// A line with no prefix of its own that continues the previous record
    /// (dmesg multi-line records, indented `Mem-Info` lines).
    public var isContinuation: Bool
    public var line: Int

    public init(message: UnsafeRawBufferPointer, line: Int) {
        self.message = message
        self.line = line
        self.isContinuation = false
    }
}

/// A parser for the message bodies of one program's log lines.
///
/// Implementations prefilter cheaply (a substring or two) and return at once for lines they do not
/// want: every line of a node log reaches every message parser that its program could match.
public protocol MessageParser {
    /// Words one of which is in every message the parser reads when it is not `isMidRecord`: lines
    /// with none of them can be passed over unparsed (`NodeLogParser`'s sieve).
    static var needles: NeedleSet { get }
    /// True while the parser holds an unfinished record that later lines, whatever they say, continue.
    var isMidRecord: Bool { get }
    init(context: ParseContext)
    mutating func parse(_ record: LogRecord, into output: inout ParseOutput)
    mutating func finish(into output: inout ParseOutput)
}
