import OOMLens

#if canImport(Glibc)
import Glibc
#endif

/// Reads every byte of every recognised member and counts its lines (memchr), parsing nothing.
struct LineCountingConsumer: MemberConsumer {
    private(set) var lines: [String: Int] = [:]
    private var path = ""
    private var count = 0

    mutating func begin(_ context: ParseContext) {
        path = context.path
        count = 0
    }

    mutating func feed(_ block: UnsafeRawBufferPointer) {
        var offset = 0
        while let hit = block.firstIndex(of: UInt8(ascii: "\n"), from: offset) {
            count += 1
            offset = hit + 1
        }
    }

    mutating func end(damaged: Bool) {
        lines[path] = count
    }
}
