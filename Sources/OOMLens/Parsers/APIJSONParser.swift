/// Reads Kubernetes API objects as JSON — Pod(List), Event(List), Node(List), `List`, bare arrays,
/// watch streams — with the streaming `JSONScanner` feeding an `APIObjectBuilder`.
///
/// Input shapes (see `APIObjectBuilder`), e.g. a core/v1 Event from `kubectl get event -o json`
/// (`samples/event-core-v1-backoff.json`):
///
///     "involvedObject": {
///       "kind": "Pod",
///       "namespace": "psa-restricted",
///       "name": "restricteddeploy-66bddd5dc8-9ggwb",
///       "fieldPath": "spec.containers{nginx}"
///     },
///     "reason": "BackOff",
///     "message": "Back-off restarting failed container nginx in pod restricteddeploy-66bddd5dc8-9ggwb_psa-restricted(8dcdd4e8-981e-43f3-92a8-456f5b5bb591)",
///
/// Memory stays bounded whatever the file size: the scanner holds the open path and one token,
/// the builder one object's wanted fields. Malformed JSON stops the file with a `damage`
/// diagnostic naming the line; objects completed before it are kept. Objects of other kinds are
/// counted in one `note`.
public struct APIJSONParser: FileParser {
    private let context: ParseContext
    private var scanner: JSONScanner
    private var builder: APIObjectBuilder

    public init(context: ParseContext) {
        self.init(context: context, maxStringBytes: 1 << 20, maxDepth: 256)
    }

    public init(context: ParseContext, maxStringBytes: Int, maxDepth: Int) {
        self.context = context
        self.scanner = JSONScanner(maxStringBytes: maxStringBytes, maxDepth: maxDepth)
        self.builder = APIObjectBuilder(context: context)
    }

    public mutating func feed(_ block: UnsafeRawBufferPointer, into output: inout ParseOutput) {
        guard scanner.failure == nil else { return }
        // The builder appends straight to `output`, lent to it for the block (two swaps, no copy):
        // draining the block's objects into `output` afterwards copied every pod, retaining each of
        // its strings, and then destroyed the originals.
        swap(&builder.output, &output)
        scanner.feed(block, to: &builder)
        swap(&builder.output, &output)
    }

    public mutating func finish(into output: inout ParseOutput) {
        swap(&builder.output, &output)
        scanner.finish(to: &builder)
        swap(&builder.output, &output)
        if let failure = scanner.failure {
            output.diagnostics.append(Diagnostic(
                .damage, file: context.path, line: failure.line,
                "malformed JSON at line \(failure.line): \(failure.message); reading stopped "
                    + "(\(builder.objectsRead) object(s) read before)"))
        }
        if scanner.truncatedStrings > 0 {
            output.diagnostics.append(Diagnostic(
                .warning, file: context.path,
                "\(scanner.truncatedStrings) string value(s) longer than \(scanner.maxStringBytes) bytes were cut "
                    + "(\(scanner.truncatedBytes) bytes dropped)"))
        }
        if let note = builder.skippedNote() { output.diagnostics.append(note) }
    }

    /// The most memory the scanner's token buffer and path held at once (for tests and benchmarks).
    public var peakBufferBytes: Int { scanner.peakBufferBytes }
}
