import OOMLens

#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer target for every parser in `ParserRegistry`: the input is one member's bytes.
///
/// `OOMLENS_FUZZ_KIND=<FileKind raw value>` (`node-log`, `describe-pods`, …) fixes the kind for a whole
/// run; with several (comma-separated), or none (every kind), the input's first byte picks the kind. Kinds
/// with no parser (`unrecognized`, and any not registered yet) fuzz `FileRecognizer` and `PathHints`:
/// the input's first line is the member path, the rest its head.
///
/// Each input is parsed three times: whole; in small blocks (their size taken from the input), which must
/// give exactly the same output — block boundaries must never change what a parser sees; and in blocks
/// with a 64-byte line limit, so that cut lines are exercised. YAML is parsed once more with every piece
/// composed by Yams, which must give what reading the plain pieces without it gave. A difference aborts
/// (a libFuzzer crash).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParsers(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let all = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
    let kind: FileKind
    let input: UnsafeRawBufferPointer
    if FuzzKind.choices.count == 1 {
        kind = FuzzKind.choices[0]
        input = all
    } else {
        guard let first = all.first else { return 0 }
        kind = FuzzKind.choices[Int(first) % FuzzKind.choices.count]
        input = UnsafeRawBufferPointer(rebasing: all.dropFirst())
    }
    var context = ParseContext(path: "fuzz/nodes/node-1/\(kind.rawValue).log", kind: kind, nodeHint: "node-1")
    context.namespaceHint = "default"
    context.podHint = "web-0"
    context.containerHint = "app"
    guard ParserRegistry.parser(for: context) != nil else {
        fuzzRecognizer(input)
        return 0
    }
    let whole = parse(input, context: context, blockSize: Swift.max(1, input.count), maxLineBytes: 1 << 20)
    let blockSize = 1 + input.reduce(0) { ($0 &* 31 &+ Int($1)) & 0xFFFF } % 67
    let split = parse(input, context: context, blockSize: blockSize, maxLineBytes: 1 << 20)
    if whole.observations != split.observations || whole.pods != split.pods || whole.nodes != split.nodes
        || whole.clockHints != split.clockHints || whole.diagnostics != split.diagnostics {
        reportDifference("observations", whole.observations, split.observations)
        reportDifference("pods", whole.pods, split.pods)
        reportDifference("nodes", whole.nodes, split.nodes)
        reportDifference("clock hints", whole.clockHints, split.clockHints)
        reportDifference("diagnostics", whole.diagnostics, split.diagnostics)
        fatalError("\(kind.rawValue): output differs when the input is fed in blocks of \(blockSize) bytes")
    }
    _ = parse(input, context: context, blockSize: 4093, maxLineBytes: 64)
    if kind == .apiYAML {
        // Pieces `YAMLBlockReader` accepts must read as Yams composes them.
        var composed = APIYAMLParser(context: context)
        composed.composesEveryPiece = true
        var byYams = ParseOutput()
        composed.feed(input, into: &byYams)
        composed.finish(into: &byYams)
        if whole.observations != byYams.observations || whole.pods != byYams.pods || whole.nodes != byYams.nodes
            || whole.diagnostics != byYams.diagnostics {
            reportDifference("observations", whole.observations, byYams.observations, otherName: "by Yams")
            reportDifference("pods", whole.pods, byYams.pods, otherName: "by Yams")
            reportDifference("nodes", whole.nodes, byYams.nodes, otherName: "by Yams")
            reportDifference("diagnostics", whole.diagnostics, byYams.diagnostics, otherName: "by Yams")
            fatalError("api-yaml: output differs when every piece is composed by Yams")
        }
    }
    return 0
}

/// libFuzzer calls this once before fuzzing. With `OOMLENS_FUZZ_LIST_KINDS=1` it prints one line per
/// distinct parser type in `ParserRegistry` — the kinds it reads, comma-separated, then the type
/// (`get-pods,get-events,get-nodes,top LineParsing<KubectlTableParser>`) — and a last line for the
/// recogniser (`unrecognized FileRecognizer`), then exits. `scripts/fuzz` runs one session per line,
/// so a parser is fuzzed as soon as it is registered.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<Int32>?, _ argv: UnsafeMutableRawPointer?) -> Int32 {
    guard getenv("OOMLENS_FUZZ_LIST_KINDS") != nil else { return 0 }
    var groups: [(type: String, kinds: [FileKind])] = []
    for kind in FileKind.allCases {
        guard let parser = ParserRegistry.parser(for: ParseContext(path: "x", kind: kind)) else { continue }
        let name = String(describing: type(of: parser))
        if let i = groups.firstIndex(where: { $0.type == name }) { groups[i].kinds.append(kind) } else { groups.append((name, [kind])) }
    }
    for group in groups { print(group.kinds.map(\.rawValue).joined(separator: ","), group.type) }
    print(FileKind.unrecognized.rawValue, "FileRecognizer")
    exit(0)
}

/// The kinds this run fuzzes: `OOMLENS_FUZZ_KIND` (comma-separated raw values), else every kind.
enum FuzzKind {
    static let choices: [FileKind] = {
        guard let raw = getenv("OOMLENS_FUZZ_KIND") else { return FileKind.allCases }
        return String(cString: raw).split(separator: ",").map { name in
            guard let kind = FileKind(rawValue: String(name)) else { fatalError("OOMLENS_FUZZ_KIND: unknown kind \(name)") }
            return kind
        }
    }()
}

/// Feeds `input` to a fresh parser for `context` in blocks of `blockSize` bytes.
func parse(_ input: UnsafeRawBufferPointer, context: ParseContext, blockSize: Int, maxLineBytes: Int) -> ParseOutput {
    var output = ParseOutput()
    guard var parser = ParserRegistry.parser(for: context, maxLineBytes: maxLineBytes) else { return output }
    var offset = 0
    while offset < input.count {
        let end = Swift.min(input.count, offset + blockSize)
        parser.feed(UnsafeRawBufferPointer(rebasing: input[offset..<end]), into: &output)
        offset = end
    }
    parser.finish(into: &output)
    return output
}

/// Prints the first element that differs between the whole parse and another (`otherName`: in
/// blocks, or composed by Yams), to standard error.
func reportDifference<T: Equatable>(_ what: String, _ whole: [T], _ other: [T], otherName: String = "in blocks") {
    guard whole != other else { return }
    var text = "\(what): \(whole.count) whole, \(other.count) \(otherName)\n"
    let common = Swift.min(whole.count, other.count)
    if let i = (0..<common).first(where: { whole[$0] != other[$0] }) ?? (whole.count != other.count ? common : nil) {
        text += "  whole[\(i)]: \(i < whole.count ? String(describing: whole[i]) : "-")\n"
        text += "  \(otherName)[\(i)]: \(i < other.count ? String(describing: other[i]) : "-")\n"
    }
    FileDescriptorOutput.standardError(text)
}

/// Writes to file descriptor 2 (the C `stderr` global is not concurrency-safe to touch from Swift 6).
enum FileDescriptorOutput {
    static func standardError(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }
}

/// The first line is a member path, the rest the member's head.
func fuzzRecognizer(_ input: UnsafeRawBufferPointer) {
    let newline = input.firstIndex(of: 0x0A) ?? input.count
    let path = String(decoding: UnsafeRawBufferPointer(rebasing: input[0..<newline]), as: UTF8.self)
    let rest = UnsafeRawBufferPointer(rebasing: input[Swift.min(input.count, newline + 1)...])
    let head = UnsafeRawBufferPointer(rebasing: rest[0..<Swift.min(rest.count, FileRecognizer.headSize)])
    _ = FileRecognizer.recognize(path: path, head: head)
    _ = FileRecognizer.recognize(path: "bundle/" + path, head: UnsafeRawBufferPointer(rebasing: head[0..<(head.count / 2)]))
    _ = PathHints(path: path)
}
