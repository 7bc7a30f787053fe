import Testing
@testable import OOMLens

/// Inputs `scripts/fuzz` found, minimised, kept so their bugs stay fixed. Each is checked the way the
/// fuzz target checks it: the parser registered for the kind must not crash, and must give the same
/// output whatever size the blocks it is fed in (a real bundle's blocks fall anywhere).
@Suite struct FuzzRegressionTests {
    /// Parses `bytes` as a member of `kind` whole and in blocks of every size from 1 to 32.
    func expectBlockIndependent(
        _ kind: FileKind, _ bytes: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> ParseOutput {
        let context = ParseContext(path: "fuzz/\(kind.rawValue)", kind: kind)
        let whole = parse(bytes, context, blockSize: Swift.max(1, bytes.count))
        for blockSize in 1...32 {
            let split = parse(bytes, context, blockSize: blockSize)
            #expect(split.observations == whole.observations, "blocks of \(blockSize)", sourceLocation: sourceLocation)
            #expect(split.diagnostics == whole.diagnostics, "blocks of \(blockSize)", sourceLocation: sourceLocation)
            #expect(split.pods == whole.pods && split.nodes == whole.nodes && split.clockHints == whole.clockHints,
                    "blocks of \(blockSize)", sourceLocation: sourceLocation)
        }
        return whole
    }

    private func parse(_ bytes: [UInt8], _ context: ParseContext, blockSize: Int) -> ParseOutput {
        var output = ParseOutput()
        guard var parser = ParserRegistry.parser(for: context) else { return output }
        bytes.withUnsafeBytes { all in
            var offset = 0
            while offset < all.count {
                let end = Swift.min(all.count, offset + blockSize)
                parser.feed(all.slice(offset..<end), into: &output)
                offset = end
            }
        }
        parser.finish(into: &output)
        return output
    }

    /// api-json, found after 60 s: a bracket mismatch inside a value the parser passes over unread was
    /// reported on the line the skip began on when the whole value was in one block (the skipped
    /// lines were added to the count only on leaving the block). Fixed in `JSONScanner.skipValue`.
    @Test func jsonMismatchInsideASkippedValueNamesItsOwnLine() {
        let output = expectBlockIndependent(.apiJSON, Array("{\"\": {\n\"\": {\n[}l".utf8))
        #expect(output.diagnostics.map(\.line) == [3])
        #expect(output.diagnostics.first?.message.hasPrefix("malformed JSON at line 3: unexpected '}'") == true)
    }

    /// describe-pods, found after 60 s: a 19-digit number overflowed `readInt` (a trap) in a container's
    /// state; it now reads as no number. Fixed in `UnsafeRawBufferPointer.readInt` (Support).
    @Test func nineteenNinesInADescribedStateDoNotTrap() {
        _ = expectBlockIndependent(.describePods, Array("    State:\n     Signal:9999999999999999999".utf8))
        _ = expectBlockIndependent(.describePods, Array("""
            Name:         web-0
            Namespace:    default
            Containers:
              app:
                Last State:     Terminated
                  Reason:       OOMKilled
                  Exit Code:    99999999999999999999999
                  Started:      Mon, 99999999999999999999 Jan 2024 10:00:00 +0000
                Restart Count:  18446744073709551616

            """.utf8))
        let digits = { (text: String) in Array(text.utf8).withUnsafeBytes { $0.readInt(at: 0) } }
        #expect(digits("9223372036854775807")?.value == Int64.max)
        #expect(digits("9223372036854775808") == nil)
        #expect(digits("99999999999999999999") == nil)
        #expect(digits("0009223372036854775807x")?.end == 22)
    }

    /// Found by reading the code next to the readInt trap: a quantity exponent was unbounded, so `0e…` with a
    /// huge exponent looped for ever and `e-9223372036854775808` trapped. Exponents beyond ±64 are no quantity.
    @Test func quantityExponentsAreBounded() {
        #expect(Quantity.bytes("0e9223372036854775807") == nil)
        #expect(Quantity.bytes("1.5e-9223372036854775808") == nil)
        #expect(Quantity.bytes("129e6") == 129_000_000)
        #expect(Quantity.bytes("1e18") == 1_000_000_000_000_000_000)
        #expect(Quantity.bytes("1e19") == nil)
    }

    /// Found by reading the code next to the readInt trap: an OOMKilling event's `anon-rss:…kB` was
    /// multiplied by 1024 unchecked, so a huge value trapped. Fixed in `KubectlTableParser` (overflow
    /// is no value).
    @Test func hugeKilobytesInAnOOMKillingEventDoNotTrap() {
        let table = """
            LAST SEEN   TYPE      REASON       OBJECT        MESSAGE
            5m          Warning   OOMKilling   node/node-1   Memory cgroup out of memory: Killed process 4242 (java) total-vm:99999999999999999kB, anon-rss:99999999999999999kB, file-rss:0kB, shmem-rss:0kB

            """
        let output = expectBlockIndependent(.getEvents, Array(table.utf8))
        let kill = output.observations.first { $0.process?.pid == 4242 }
        #expect(kill?.memory?.anonRSSBytes == nil)
        #expect(kill?.memory?.fileRSSBytes == 0)
    }
}
