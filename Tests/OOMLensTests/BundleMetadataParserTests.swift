import Testing
@testable import OOMLens

@Suite struct BundleMetadataParserTests {
    private typealias Parser = LineParsing<BundleMetadataParser>

    private static func parse(_ text: String, path: String, node: String? = nil) -> ParseOutput {
        Parser.parse(Array(text.utf8), context: ParseContext(path: path, kind: .bundleMetadata, nodeHint: node),
                     blockSize: 7)
    }

    private static func instant(_ text: String) -> Instant? { RFC3339.instant(text) }

    @Test func troubleshootVersionIsRecognisedButHasNoTime() throws {
        let out = try Fixture.parse(Parser.self, "troubleshoot-version.yaml", kind: .bundleMetadata,
                                    path: "support-bundle-2022-09-20T16_18_35/version.yaml")
        #expect(out.clockHints.isEmpty)
        #expect(out.observations.isEmpty)
        #expect(out.diagnostics == [Diagnostic(
            .note, file: "support-bundle-2022-09-20T16_18_35/version.yaml",
            "troubleshoot support bundle (collector v0.50.0-13-gd9e2465-dirty); version.yaml carries no collection time")])
    }

    @Test func dateOutputInUTC() {
        let out = Self.parse("Thu Nov 28 10:15:02 UTC 2024\n", path: "sosreport-node1/date", node: "node1")
        #expect(out.clockHints == [
            .collectedAt(Self.instant("2024-11-28T10:15:02Z")!, origin: "sosreport-node1/date:1"),
            .utcOffset(seconds: 0, node: "node1", origin: "sosreport-node1/date:1"),
        ])
        #expect(out.diagnostics.isEmpty)
    }

    @Test func dateOutputVariants() {
        // Space-padded day, 12-hour clock, numeric zone.
        let out = Self.parse("Fri Nov  8 01:15:02 PM +0530 2024", path: "systeminfo/date", node: "worker-2")
        #expect(out.clockHints == [
            .collectedAt(Self.instant("2024-11-08T13:15:02+05:30")!, origin: "systeminfo/date:1"),
            .utcOffset(seconds: 19_800, node: "worker-2", origin: "systeminfo/date:1"),
        ])
        // Day before month (en_GB style), negative hour-only zone.
        let out2 = Self.parse("Thu 28 Nov 10:15:02 -03 2024", path: "date")
        #expect(out2.clockHints == [
            .collectedAt(Self.instant("2024-11-28T13:15:02Z")!, origin: "date:1"),
            .utcOffset(seconds: -10_800, node: nil, origin: "date:1"),
        ])
        // `date --utc` says nothing about the node's zone.
        let out3 = Self.parse("Thu Nov 28 10:15:02 UTC 2024", path: "sos_commands/date/date_--utc")
        #expect(out3.clockHints == [.collectedAt(Self.instant("2024-11-28T10:15:02Z")!,
                                                 origin: "sos_commands/date/date_--utc:1")])
    }

    @Test func zoneAbbreviationsAreNotGuessed() {
        let out = Self.parse("Thu Nov 28 11:15:02 CET 2024\n", path: "date")
        #expect(out.clockHints.isEmpty)
        #expect(out.diagnostics == [Diagnostic(
            .note, file: "date", line: 1,
            "time zone 'CET' is not an offset: the collection time in this file was not used")])
    }

    @Test func timedatectl() {
        let text = """
                           Local time: Thu 2024-11-28 11:15:02 CET
                       Universal time: Thu 2024-11-28 10:15:02 UTC
                             RTC time: Thu 2024-11-28 10:15:01
                            Time zone: Europe/Berlin (CET, +0100)
            System clock synchronized: yes
                          NTP service: active
                      RTC in local TZ: no
            """
        let out = Self.parse(text, path: "sos_commands/systemd/timedatectl", node: "node-a")
        #expect(out.clockHints == [
            .collectedAt(Self.instant("2024-11-28T10:15:02Z")!, origin: "sos_commands/systemd/timedatectl:2"),
            .utcOffset(seconds: 3600, node: "node-a", origin: "sos_commands/systemd/timedatectl:4"),
        ])
        #expect(out.diagnostics.isEmpty)
        // Without the `Time zone:` line the offset is local minus universal.
        let out2 = Self.parse("Local time: Thu 2024-11-28 05:15:02 EST\nUniversal time: Thu 2024-11-28 10:15:02 UTC",
                              path: "t")
        #expect(out2.clockHints == [
            .collectedAt(Self.instant("2024-11-28T10:15:02Z")!, origin: "t:2"),
            .utcOffset(seconds: -18_000, node: nil, origin: "t:1"),
        ])
    }

    @Test func otherLinesAreIgnored() {
        let out = Self.parse("# source: test\nhello world\nThu Nov 99 10:15:02 UTC 2024\nFoo Bar 28 10:15:02 UTC 2024\n",
                             path: "date")
        #expect(out.clockHints.isEmpty)
        #expect(out.diagnostics.isEmpty)
    }

    @Test func randomBytesNeverCrash() throws {
        var rng = XorShift(seed: 0xDA7E)
        let samples = [Array("Thu Nov 28 10:15:02 UTC 2024\n               Local time: Thu 2024-11-28 11:15:02 CET\n".utf8),
                       try Fixture.bytes("troubleshoot-version.yaml")]
        for round in 0..<200 {
            var bytes = samples[round % 2]
            for _ in 0..<Int(rng.next() % 6) where !bytes.isEmpty {
                bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
            }
            bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count + 1))))
            _ = Parser.parse(bytes, context: ParseContext(path: "date", kind: .bundleMetadata), blockSize: 5)
        }
        for _ in 0..<100 {
            let bytes = (0..<Int(rng.next() % 400)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            _ = Parser.parse(bytes, context: ParseContext(path: "date", kind: .bundleMetadata))
        }
    }
}

/// A small deterministic generator for robustness tests.
