import Foundation
import Testing
@testable import OOMLens

/// Every renderer's output for the fixed sample reports, compared with the files in
/// `Fixtures/golden/<report>.<ext>`.
///
/// After an intended change to a renderer, rewrite the files and review their diff:
///
///     OOMLENS_UPDATE_GOLDENS=1 swift test --filter RendererGoldenTests
@Suite struct RendererGoldenTests {
    /// One renderer and the extension of its golden files.
    enum Format: String, CaseIterable, Sendable {
        case text = "txt"
        case markdown = "md"
        case json
        case html

        func render(_ report: Report) -> String {
            switch self {
            case .text: TextRenderer(useColor: false, width: 80).render(report)
            case .markdown: MarkdownRenderer().render(report)
            case .json: JSONRenderer().render(report)
            case .html: HTMLRenderer().render(report)
            }
        }
    }

    static let updating = ProcessInfo.processInfo.environment["OOMLENS_UPDATE_GOLDENS"] == "1"

    /// `Tests/OOMLensTests/Fixtures/golden` in the source tree (written in update mode, so not the
    /// copy in the test bundle).
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/golden", isDirectory: true)

    @Test(arguments: SampleReports.all.keys.sorted(), Format.allCases)
    func matchesGolden(_ name: String, _ format: Format) throws {
        let report = try #require(SampleReports.all[name])
        let actual = format.render(report)
        let url = Self.directory.appendingPathComponent("\(name).\(format.rawValue)")
        if Self.updating {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try #require(
            try? String(contentsOf: url, encoding: .utf8),
            "missing golden \(url.lastPathComponent): run OOMLENS_UPDATE_GOLDENS=1 swift test --filter RendererGoldenTests")
        if let difference = Self.firstDifference(expected, actual) {
            Issue.record("\(url.lastPathComponent) differs from the renderer's output at \(difference)")
        }
    }

    /// The JSON written on two threads (incidents on one, the rest on the other) is the golden file's.
    @Test(arguments: SampleReports.all.keys.sorted())
    func jsonOnTwoThreadsMatchesGolden(_ name: String) throws {
        let report = try #require(SampleReports.all[name])
        let url = Self.directory.appendingPathComponent("\(name).json")
        let expected = try #require(try? String(contentsOf: url, encoding: .utf8))
        let actual = String(decoding: JSONRenderer().renderUTF8(report, threads: 2), as: UTF8.self)
        if let difference = Self.firstDifference(expected, actual) {
            Issue.record("\(url.lastPathComponent) differs from the two-thread output at \(difference)")
        }
    }

    @Test func renderingIsDeterministic() throws {
        for report in SampleReports.all.values {
            for format in Format.allCases {
                #expect(format.render(report) == format.render(report))
            }
        }
    }

    /// The first differing line, both versions, for a readable failure.
    static func firstDifference(_ expected: String, _ actual: String) -> String? {
        guard expected != actual else { return nil }
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(e.count, a.count) {
            let el = i < e.count ? String(e[i]) : "<end of file>"
            let al = i < a.count ? String(a[i]) : "<end of output>"
            if el != al { return "line \(i + 1):\n  golden: \(el)\n  actual: \(al)" }
        }
        return "the end of the file (\(expected.count) vs \(actual.count) characters)"
    }
}
