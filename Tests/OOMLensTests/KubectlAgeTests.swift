import Testing
@testable import OOMLens

@Suite struct KubectlAgeTests {
    @Test(arguments: [
        ("5m19s", Int64(319), Int64(1)),
        ("51m", 3060, 60),
        ("178m", 10_680, 60),
        ("5d1h", 435_600, 3600),
        ("102d", 8_812_800, 86_400),
        ("40d", 3_456_000, 86_400),
        ("2y30d", 65_664_000, 86_400),
        ("3y", 94_608_000, 31_536_000),
        ("46h", 165_600, 3600),
        ("2m40s", 160, 1),
        ("114s", 114, 1),
        ("0s", 0, 1),
    ])
    func readsHumanDurations(text: String, seconds: Int64, resolution: Int64) {
        let age = KubectlAge.age(text)
        #expect(age == KubectlAge.Age(seconds: seconds, resolution: resolution))
        #expect(age?.sourceTime == .beforeCollection(seconds: seconds, resolution: resolution))
    }

    @Test(arguments: ["<unknown>", "<invalid>", "", "m", "5", "1h5d", "5m5m", "5x", "-5s", "5 m", "1y2d3h4m"])
    func rejectsWhatIsNotAnAge(text: String) {
        #expect(KubectlAge.age(text) == nil)
    }

    @Test func readsAgeInsideARangeWithSpaces() {
        Array("  27h   ".utf8).withUnsafeBytes { b in
            #expect(KubectlAge.age(b) == KubectlAge.Age(seconds: 97_200, resolution: 3600))
            let reading = KubectlAge.reading(b)
            #expect(reading?.text == "27h")
            #expect(reading?.time == .beforeCollection(seconds: 97_200, resolution: 3600))
        }
    }

    private func eventAge(_ text: String) -> KubectlAge.EventAge? {
        Array(text.utf8).withUnsafeBytes { KubectlAge.eventAge($0) }
    }

    @Test func readsEventAgeWithCount() {
        let age = eventAge("78s (x231 over 51m)")
        #expect(age?.last == KubectlAge.Age(seconds: 78, resolution: 1))
        #expect(age?.count == 231)
        #expect(age?.first == KubectlAge.Age(seconds: 3060, resolution: 60))
        #expect(age?.lastText == "78s")

        let threshold = eventAge("2m50s (x3 over 5m19s)")
        #expect(threshold?.last?.seconds == 170)
        #expect(threshold?.count == 3)
        #expect(threshold?.first?.seconds == 319)

        let days = eventAge("5m27s (x24 over 40d)")
        #expect(days?.count == 24)
        #expect(days?.first == KubectlAge.Age(seconds: 3_456_000, resolution: 86_400))
    }

    @Test func readsPlainAndUnknownEventAges() {
        let plain = eventAge("7m24s")
        #expect(plain?.last?.seconds == 444)
        #expect(plain?.count == nil)
        let unknown = eventAge("<unknown>")
        #expect(unknown != nil)
        #expect(unknown?.last == nil)
        #expect(eventAge("78s (x231") == nil)
        #expect(eventAge("Normal") == nil)
        #expect(eventAge("") == nil)
    }

    private func restarts(_ text: String) -> KubectlAge.Restarts? {
        Array(text.utf8).withUnsafeBytes { KubectlAge.restarts($0) }
    }

    @Test func readsRestartCells() {
        #expect(restarts("4 (57s ago)") == KubectlAge.Restarts(count: 4, lastRestart: .init(seconds: 57, resolution: 1)))
        #expect(restarts("1 (11s ago)")?.lastRestart?.seconds == 11)
        #expect(restarts("5 (2m10s ago)")?.lastRestart == KubectlAge.Age(seconds: 130, resolution: 1))
        #expect(restarts("36") == KubectlAge.Restarts(count: 36, lastRestart: nil))
        #expect(restarts("0   ") == KubectlAge.Restarts(count: 0, lastRestart: nil))
        #expect(restarts("4x") == nil)
        #expect(restarts("4 (57s") == nil)
        #expect(restarts("Running") == nil)
    }

    @Test func readsDescribeTimesWithTheirZone() {
        #expect(KubectlAge.describeTime("Thu, 12 Jan 2023 16:33:36 +0800") == .instant(Instant(seconds: 1_673_512_416)))
        #expect(KubectlAge.describeTime("Tue, 07 Jul 2015 12:54:41 -0700") == .instant(Instant(seconds: 1_436_298_881)))
        #expect(KubectlAge.describeTime("Fri, 10 Sep 2021 17:31:37 +0000") == .instant(Instant(seconds: 1_631_295_097)))
        #expect(KubectlAge.describeTime("Wed, 25 Sep 2019 15:38:37 +0100") == .instant(Instant(seconds: 1_569_422_317)))
        // Without the weekday, and with a zone name.
        #expect(KubectlAge.describeTime("10 Sep 2021 17:31:37 UTC") == .instant(Instant(seconds: 1_631_295_097)))
        #expect(
            KubectlAge.describeTime("Fri, 10 Sep 2021 17:31:37 PDT")
                == .civil(CivilTime(year: 2021, month: 9, day: 10, hour: 17, minute: 31, second: 37)))
    }

    @Test func zeroTimeAndJunkGiveNoTime() {
        #expect(KubectlAge.describeTime("Mon, 01 Jan 0001 00:00:00 +0000") == nil)
        #expect(KubectlAge.describeTime("") == nil)
        #expect(KubectlAge.describeTime("Thu, 12 Foo 2023 16:33:36 +0800") == nil)
        #expect(KubectlAge.describeTime("Thu, 12 Jan 2023 16:33") == nil)
        #expect(KubectlAge.describeTime("Thu, 32 Jan 2023 16:33:36 +0800") == nil)
        let reading = Array("  Thu, 04 Jan 2024 17:52:49 +0800 ".utf8).withUnsafeBytes { KubectlAge.describeReading($0) }
        #expect(reading?.text == "Thu, 04 Jan 2024 17:52:49 +0800")
        #expect(reading?.time == .instant(Instant(seconds: 1_704_361_969)))
    }

    @Test func randomBytesNeverCrash() {
        var rng = KubectlAgeXorShift(seed: 0x5EED_A6E)
        for _ in 0..<2000 {
            let n = Int(rng.next() % 40)
            let alphabet = Array("0123456789ymdhs (x over ago)<>,: +-JanThu".utf8)
            let bytes = (0..<n).map { _ in
                rng.next() % 4 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : alphabet[Int(rng.next() % UInt64(alphabet.count))]
            }
            bytes.withUnsafeBytes { b in
                _ = KubectlAge.age(b)
                _ = KubectlAge.eventAge(b)
                _ = KubectlAge.restarts(b)
                _ = KubectlAge.describeTime(b)
            }
        }
    }
}

/// A small deterministic generator for robustness tests.
struct KubectlAgeXorShift {
    private var state: UInt64

    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }

    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}
