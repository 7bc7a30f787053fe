/// What a parser knows about the file it reads.
public struct ParseContext: Sendable, Hashable {
    /// The member's path inside the bundle (with `!/` for nested archives).
    public var path: String
    /// What the file was recognised as.
    public var kind: FileKind
    /// The node the file belongs to, when its path or bundle layout says so (`nodes/<node>/…`).
    public var nodeHint: String?
    /// The namespace, pod and container a container-log file belongs to, from its path.
    public var namespaceHint: String?
    public var podHint: String?
    public var containerHint: String?

    public init(path: String, kind: FileKind, nodeHint: String? = nil) {
        self.path = path
        self.kind = kind
        self.nodeHint = nodeHint
    }

    public func location(_ line: Int?) -> SourceLocation { SourceLocation(file: path, line: line) }
}

/// A parser for one input format: byte blocks in, typed observations out.
///
/// The reader calls `feed` with each block of the member in order, then `finish` once.
/// Malformed input is reported as `Diagnostic` values in the output, never thrown.
public protocol FileParser {
    init(context: ParseContext)
    mutating func feed(_ block: UnsafeRawBufferPointer, into output: inout ParseOutput)
    mutating func finish(into output: inout ParseOutput)
}

/// A parser that works line by line; `LineParsing` adapts it to `FileParser`.
public protocol LineParser {
    init(context: ParseContext)
    mutating func parse(_ line: Line, into output: inout ParseOutput)
    /// Called with each block before its lines (for scans over the whole block; see `Line.blockOffset`).
    mutating func blockWillStart(_ block: UnsafeRawBufferPointer)
    /// Called after the last line of each block: bytes of lines kept since must be copied now.
    mutating func blockDidEnd()
    /// Asked before a line that starts at `offset` in the current block and will be number `number`:
    /// the lines from there that the parser does not need to see, as the offset just past the last of
    /// them and their count, or nil to be given the next line. At most `limit` bytes are passed over.
    mutating func linesToPassOver(from offset: Int, number: Int, limit: Int) -> (end: Int, lines: Int)?
    mutating func finish(into output: inout ParseOutput)
}

extension LineParser {
    public mutating func blockWillStart(_ block: UnsafeRawBufferPointer) {}
    public mutating func blockDidEnd() {}
    public mutating func linesToPassOver(from offset: Int, number: Int, limit: Int) -> (end: Int, lines: Int)? { nil }
}

/// Adapts a `LineParser` to block input with a `LineSplitter`, and reports cut lines.
public struct LineParsing<Parser: LineParser>: FileParser {
    public private(set) var parser: Parser
    private var splitter: LineSplitter
    private let context: ParseContext

    public init(context: ParseContext) {
        self.init(context: context, maxLineBytes: 1 << 20)
    }

    public init(context: ParseContext, maxLineBytes: Int) {
        self.init(Parser(context: context), context: context, maxLineBytes: maxLineBytes)
    }

    /// Feeds lines to a parser made elsewhere (with settings of its own).
    public init(_ parser: Parser, context: ParseContext, maxLineBytes: Int = 1 << 20) {
        self.context = context
        self.parser = parser
        self.splitter = LineSplitter(maxLineBytes: maxLineBytes)
    }

    public mutating func feed(_ block: UnsafeRawBufferPointer, into output: inout ParseOutput) {
        parser.blockWillStart(block)
        splitter.feed(block, passOver: { parser.linesToPassOver(from: $0, number: $1, limit: $2) }) { line in
            parser.parse(line, into: &output)
        }
        parser.blockDidEnd()
    }

    public mutating func finish(into output: inout ParseOutput) {
        splitter.finish { line in parser.parse(line, into: &output) }
        parser.finish(into: &output)
        if splitter.cutLines > 0 {
            let lines = splitter.cutLineNumbers.map(String.init).joined(separator: ", ")
            output.diagnostics.append(
                Diagnostic(
                    .warning, file: context.path, line: splitter.cutLineNumbers.first,
                    "\(splitter.cutLines) line(s) longer than \(splitter.maxLineBytes) bytes were cut "
                        + "(\(splitter.cutBytes) bytes skipped; lines \(lines)\(splitter.cutLines > 5 ? ", …" : ""))"))
        }
    }

    /// Lines seen so far.
    public var lineCount: Int { splitter.lineNumber }
}

extension FileParser {
    /// Parses a whole in-memory file: for tests and small inputs.
    public static func parse(_ text: String, context: ParseContext) -> ParseOutput {
        parse(Array(text.utf8), context: context)
    }

    /// Parses whole in-memory bytes, delivered in blocks of `blockSize` to exercise block boundaries.
    public static func parse(_ bytes: [UInt8], context: ParseContext, blockSize: Int = 64 * 1024) -> ParseOutput {
        var parser = Self(context: context)
        return parser.parseAll(bytes, blockSize: blockSize)
    }

    /// Feeds whole in-memory bytes to this parser in blocks of `blockSize`, then finishes it.
    public mutating func parseAll(_ bytes: [UInt8], blockSize: Int = 64 * 1024) -> ParseOutput {
        var output = ParseOutput()
        bytes.withUnsafeBytes { all in
            var offset = 0
            while offset < all.count {
                let end = Swift.min(all.count, offset + Swift.max(1, blockSize))
                feed(all.slice(offset..<end), into: &output)
                offset = end
            }
        }
        finish(into: &output)
        return output
    }
}
