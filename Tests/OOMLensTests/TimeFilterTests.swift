import Testing
@testable import OOMLens

@Suite struct TimeFilterTests {
    /// The sample bundle's collection time, 2024-03-14T10:30:00Z.
    static let collected = Instant(seconds: 1_710_412_200)
    static let now = Instant(seconds: 1_800_000_000)

    @Test(arguments: [
        ("2h", 7200.0), ("3d", 259_200), ("90m", 5400), ("1h30m", 5400), ("45s", 45), ("0s", 0),
        ("1.5h", 5400), ("2d12h", 216_000), ("30m1h", 5400), (" 15m ", 900),
    ])
    func readsDurationsLikeKubectl(text: String, seconds: Double) {
        #expect(TimeFilter.Bound(text) == .ago(seconds: seconds))
    }

    @Test func readsRFC3339WithAndWithoutAZone() {
        #expect(TimeFilter.Bound("2024-03-14T10:05:00Z") == .instant(Instant(seconds: 1_710_410_700)))
        #expect(TimeFilter.Bound("2024-03-14T12:05:00+02:00") == .instant(Instant(seconds: 1_710_410_700)))
        #expect(TimeFilter.Bound("2024-03-14T05:05:00-0500") == .instant(Instant(seconds: 1_710_410_700)))
        #expect(TimeFilter.Bound("2024-03-14T10:05:00.25Z") == .instant(Instant(seconds: 1_710_410_700, nanoseconds: 250_000_000)))
        // No zone: UTC, the zone the timeline prints.
        #expect(TimeFilter.Bound("2024-03-14T10:05:00") == .instant(Instant(seconds: 1_710_410_700)))
        #expect(TimeFilter.Bound("2024-03-14 10:05:00Z") == .instant(Instant(seconds: 1_710_410_700)))
    }

    @Test func readsADateAsAWholeUTCDay() throws {
        let bound = try #require(TimeFilter.Bound("2024-03-14"))
        #expect(bound == .day(Instant(seconds: 1_710_374_400)))
        #expect(RFC3339.format(bound.lowerInstant(reference: Self.collected)) == "2024-03-14T00:00:00Z")
        #expect(RFC3339.format(bound.upperInstant(reference: Self.collected)) == "2024-03-14T23:59:59.999999999Z")
        #expect(TimeFilter.Bound("2024-02-29") == .day(Instant(seconds: 1_709_164_800)))
    }

    @Test(arguments: [
        "", "   ", "2", "h", "2x", "2 h", "-2h", "2h-", "1.h", ".5h", "5ms", "2024-3-14", "2024-03-14T", "2024-02-30",
        "2023-02-29", "2024-13-01", "2024-03-14T25:00:00Z", "2024-03-14T10:05:00+0", "2024-03-14T10:05Z",
        "yesterday", "now", "99999d", "2024-03-14Z",
    ])
    func rejectsWhatIsNoTime(text: String) {
        #expect(TimeFilter.Bound(text) == nil)
    }

    @Test func durationsCountBackFromTheCollectionTime() throws {
        let filter = TimeFilter(since: TimeFilter.Bound("2h"), until: TimeFilter.Bound("1h30m"),
                                collectedAt: Self.collected, now: Self.now)
        #expect(filter.since.map(RFC3339.format) == "2024-03-14T08:30:00Z")
        #expect(filter.until.map(RFC3339.format) == "2024-03-14T09:00:00Z")
        #expect(filter.note == nil)
        #expect(!filter.isEmpty)
    }

    @Test func durationsCountBackFromNowWithANoteWhenTheCollectionTimeIsUnknown() throws {
        let filter = TimeFilter(since: TimeFilter.Bound("90m"), until: nil, collectedAt: nil, now: Self.now)
        #expect(filter.since == Instant(seconds: 1_800_000_000 - 5400))
        let note = try #require(filter.note)
        #expect(note.contains("collection time is unknown"))
        #expect(note.contains("2027-01-15T08:00:00Z"))
        // Absolute bounds need no reference, so no note.
        let absolute = TimeFilter(since: TimeFilter.Bound("2024-03-14"), until: nil, collectedAt: nil, now: Self.now)
        #expect(absolute.note == nil)
    }

    @Test func includesEntriesInsideTheWindowOnly() {
        let filter = TimeFilter(since: TimeFilter.Bound("2024-03-14"), until: TimeFilter.Bound("2024-03-14"),
                                collectedAt: Self.collected, now: Self.now)
        #expect(filter.includes(Instant(seconds: 1_710_374_400)))  // 00:00:00, the first moment
        #expect(filter.includes(Instant(seconds: 1_710_460_799, nanoseconds: 999_999_999)))  // the last
        #expect(!filter.includes(Instant(seconds: 1_710_374_399)))  // the day before
        #expect(!filter.includes(Instant(seconds: 1_710_460_800)))  // the day after
        // Entries of unknown time pass only an unbounded window.
        #expect(!filter.includes(nil))
        #expect(TimeFilter(since: nil, until: nil, collectedAt: nil, now: Self.now).includes(nil))
    }

    @Test func aWindowEndingBeforeItStartsIsEmpty() {
        let swapped = TimeFilter(since: TimeFilter.Bound("1h"), until: TimeFilter.Bound("2h"),
                                 collectedAt: Self.collected, now: Self.now)
        #expect(swapped.isEmpty)
        #expect(!swapped.includes(Instant(seconds: 1_710_412_200 - 5400)))
    }

    @Test func randomInputNeverCrashes() {
        let samples = ["2024-03-14T10:05:00.25+02:00", "2024-03-14", "1h30m", "1.5h", "2024-02-29T23:59:60Z"]
        for bytes in Robustness.inputs(from: samples, seed: 0x7115_F117, count: 2000) {
            let text = String(decoding: bytes, as: UTF8.self)
            if let bound = TimeFilter.Bound(text) {
                _ = TimeFilter(since: bound, until: bound, collectedAt: Self.collected, now: Self.now)
            }
        }
    }
}
