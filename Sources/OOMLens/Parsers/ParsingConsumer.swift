/// Feeds every recognised bundle member to the parser for its kind and gathers their output.
public struct ParsingConsumer: DivisibleConsumer {
    public private(set) var output = ParseOutput()
    /// Members for which no parser exists.
    public private(set) var unparsed: [String] = []
    private var current: (any FileParser)?
    private let maxLineBytes: Int

    public init(maxLineBytes: Int = 1 << 20) {
        self.maxLineBytes = maxLineBytes
    }

    public mutating func begin(_ context: ParseContext) {
        current = ParserRegistry.parser(for: context, maxLineBytes: maxLineBytes)
        if current == nil { unparsed.append(context.path) }
    }

    public mutating func feed(_ block: UnsafeRawBufferPointer) {
        current?.feed(block, into: &output)
    }

    public mutating func end(damaged: Bool) {
        current?.finish(into: &output)
        current = nil
    }

    // MARK: - Sharing members out between threads

    /// What some members parsed to.
    public struct Part: Sendable {
        public var output: ParseOutput
        public var unparsed: [String]
    }

    public var recipe: Int { maxLineBytes }

    public init(recipe maxLineBytes: Int) {
        self.init(maxLineBytes: maxLineBytes)
    }

    /// The part parsed since the last one, with its pods' digests worked out here, on the thread that
    /// parsed them (`PodDigests`).
    public mutating func takePart() -> Part {
        if !output.pods.isEmpty { output.digestPods() }
        defer {
            output = ParseOutput()
            unparsed = []
        }
        return Part(output: output, unparsed: unparsed)
    }

    public mutating func absorb(_ part: consuming Part) {
        var part = consume part
        ParseOutput.move(&part.unparsed, after: &unparsed)
        var taken = ParseOutput()
        swap(&taken, &part.output)
        output.append(contentsOf: consume taken)
    }
}
