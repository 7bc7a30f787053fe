import Testing
@testable import OOMLens

/// Everything a `BlockDecoder` hands out until its end, and the failure that ended it, if any: what
/// `GzipInflaterTests` and `ZstdDecoderTests` check.
func drain<D: BlockDecoder & ~Copyable>(_ decoder: inout D) -> (bytes: [UInt8], error: String?) {
    var out: [UInt8] = []
    var calls = 0
    do throws(D.Failure) {
        while true {
            let block = try decoder.next()
            if block.isEmpty { break }
            out.append(contentsOf: block)
            calls += 1
            if calls > 1_000_000 { Issue.record("no end"); break }
        }
    } catch {
        return (out, error.message)
    }
    return (out, nil)
}
