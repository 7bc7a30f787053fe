import OOMLens

#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer target for the bundle reader and everything after it: the input is written to a file
/// named `bundle` in a per-process temporary folder and analysed as a bundle (an archive of any supported
/// format, nested archives, or a plain log), then rendered in every report format and as an inventory.
///
/// Limits are tightened (64 MiB uncompressed, a 500:1 ratio checked after 1 MiB, 20,000 members) so
/// one input stays fast; the real limits are the same code with larger numbers.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBundle(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let path = FuzzFile.path else { return 0 }
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { fatalError("cannot create \(path)") }
    var written = 0
    while written < size, let data {
        let n = write(fd, data + written, size - written)
        guard n > 0 else { fatalError("cannot write \(path)") }
        written += n
    }
    close(fd)

    var options = Analyzer.Options()
    options.limits.maxTotalBytes = 64 << 20
    options.limits.ratioCheckAfterBytes = 1 << 20
    options.limits.maxEntries = 20_000
    let report = Analyzer(options: options).analyze(path)
    _ = JSONRenderer().render(report)
    _ = MarkdownRenderer().render(report)
    _ = HTMLRenderer().render(report)
    _ = TextRenderer(useColor: true).render(report)
    _ = InventoryRenderer.json(report.bundle, lines: [:])

    // The accounting invariant: only recognised members have parsed bytes, and skipped ones say why.
    for entry in report.bundle.entries {
        if (entry.kind == nil) != (entry.skipReason != nil) || (entry.kind == nil && entry.bytesParsed != 0) {
            fatalError("inventory entry \(entry.path) is neither parsed nor skipped with a reason")
        }
    }
    if report.bundle.bytesParsed > options.limits.maxTotalBytes {
        fatalError("read \(report.bundle.bytesParsed) bytes past the \(options.limits.maxTotalBytes)-byte limit")
    }
    // The ratio limit bounds all inflation, skipped data included (one block of slack).
    let bound = max(options.limits.ratioCheckAfterBytes, Int64(options.limits.maxCompressionRatio) * Int64(size)) + (4 << 20)
    if report.bundle.bytesDecompressed > bound {
        fatalError("decompressed \(report.bundle.bytesDecompressed) bytes from \(size): past the ratio limit")
    }
    return 0
}

/// The file each input is written to: `bundle` in a folder of its own for this process, under
/// `$TMPDIR` (which `scripts/fuzz` points at a folder it removes afterwards).
enum FuzzFile {
    static let path: String? = {
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(base)/oomlens-fuzz-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard let dir = made else { return nil }
        return String(cString: dir) + "/bundle"
    }()
}
