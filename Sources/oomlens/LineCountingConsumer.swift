import OOMLens

#if canImport(Glibc)
import Glibc
#endif

/// Reads every byte of every recognised member and counts its lines (a vector byte count), parsing nothing.
struct LineCountingConsumer: MemberConsumer {
    private(set) var lines: [String: Int] = [:]
    private var path = ""
    private var count = 0

    mutating func begin(_ context: ParseContext) {
        path = context.path
        count = 0
    }

    mutating func feed(_ block: UnsafeRawBufferPointer) {
        count += ByteCount.occurrences(of: UInt8(ascii: "\n"), in: block)
    }

    mutating func end(damaged: Bool) {
        lines[path] = count
    }
}
