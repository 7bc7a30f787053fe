import Testing
@testable import OOMLens

/// Memory quantities as Kubernetes writes them, the common suffixes read straight from the bytes.
@Suite struct QuantityTests {
    @Test func everySuffixFromBytesAndFromText() {
        let cases: [(String, Int64?)] = [
            ("768Mi", 768 << 20), ("1.5Gi", 3 << 29), ("900Ki", 900 << 10), ("1Ti", 1 << 40), ("1Pi", 1 << 50),
            ("1Ei", 1 << 60), ("8Ei", nil), ("512", 512), (" 512 ", 512), ("1k", 1000), ("1K", 1000),
            ("1M", 1_000_000), ("1G", 1_000_000_000), ("1T", 1_000_000_000_000), ("1P", 1_000_000_000_000_000),
            ("1E", 1_000_000_000_000_000_000), ("1500m", 2), ("129e6", 129_000_000), ("1E3", 1000),
            ("1Mb", nil), ("1i", nil), ("1ki", nil), ("1mi", nil), ("1e", nil), ("1Xi", nil), ("Mi", nil),
            // KELVIN SIGN: `String` comparison is canonical, so it has always read as `K`.
            ("1\u{212A}", 1000), ("2\u{212A}i", 2048),
        ]
        for (text, expected) in cases {
            #expect(Quantity.bytes(text) == expected, "\(text)")
            let bytes = Array(text.utf8)
            #expect(bytes.withUnsafeBytes { Quantity.bytes($0) } == expected, "\(text) as bytes")
        }
    }
}
