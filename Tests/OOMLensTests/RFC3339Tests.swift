import Testing
@testable import OOMLens

/// RFC 3339 formatting of instants: the report's time text.
@Suite struct RFC3339Tests {
    @Test(arguments: [
        ("2023-10-12T19:00:20Z", "2023-10-12T19:00:20Z"),
        ("2023-10-12T19:00:20.5Z", "2023-10-12T19:00:20.5Z"),
        ("2023-10-12T19:00:20.879932879Z", "2023-10-12T19:00:20.879932879Z"),
        ("2023-10-12T19:00:20.100000000Z", "2023-10-12T19:00:20.1Z"),
        ("2023-10-12T19:00:20.000000001Z", "2023-10-12T19:00:20.000000001Z"),
        ("2025-06-18T10:29:40.483477+02:00", "2025-06-18T08:29:40.483477Z"),
        ("2024-12-31T23:59:59-00:30", "2025-01-01T00:29:59Z"),
        ("1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"),
        ("0099-03-04T05:06:07Z", "0099-03-04T05:06:07Z"),
        ("9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z"),
    ])
    func formatsWhatItReads(text: String, formatted: String) throws {
        let instant = try #require(RFC3339.instant(text))
        #expect(RFC3339.format(instant) == formatted)
    }

    @Test func formatsYearsOutsideFourDigitsThroughTheGeneralPath() {
        // 10000-01-01T00:00:00Z
        let late = Instant(seconds: 253_402_300_800)
        #expect(RFC3339.format(late) == "10000-01-01T00:00:00Z")
    }
}
