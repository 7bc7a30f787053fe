/// Placeholder: replaced by the real parser.
public struct SystemdMessageParser: MessageParser {
    public init(context: ParseContext) {}
    public mutating func parse(_ record: LogRecord, into output: inout ParseOutput) {}
    public mutating func finish(into output: inout ParseOutput) {}
}
