import Foundation
import Testing
@testable import OOMLens

/// Loads HTML reports in headless Chromium: the page must run without console errors, keep one
/// marker per incident in its live DOM, and show an incident's evidence when its marker is clicked.
/// Skipped where no `chromium` or `chromium-browser` is on `PATH`.
@Suite struct HTMLBrowserTests {
    static let browser = ExternalTool.find("chromium", "chromium-browser")

    /// The page's DOM after loading and running its script, and the browser's log.
    struct Page {
        var dom: String
        var log: String
        /// Console messages from the page itself, and uncaught errors from anywhere.
        var consoleProblems: [String]
    }

    static func load(_ html: String) throws -> Page {
        let browser = try #require(Self.browser)
        let directory = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("report.html")
        try html.write(to: file, atomically: true, encoding: .utf8)
        let result = try ExternalTool.run(browser, [
            "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--disable-dev-shm-usage",
            "--user-data-dir=\(directory.appendingPathComponent("profile").path)",
            "--enable-logging=stderr", "--v=0", "--dump-dom", file.absoluteString,
        ], timeout: 90)
        try #require(!result.timedOut, "the browser did not finish within 90 s")
        try #require(result.status == 0, "the browser failed (\(result.status)): \(result.stderr.suffix(2000))")
        let problems = result.stderr.split(separator: "\n").map(String.init).filter { line in
            line.contains("Uncaught") || line.contains("ERROR:CONSOLE")
                || (line.contains(":CONSOLE") && line.contains(file.absoluteString))
        }
        return Page(dom: result.stdout, log: result.stderr, consoleProblems: problems)
    }

    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test(.enabled(if: browser != nil, "needs chromium or chromium-browser on PATH"),
          arguments: SampleReports.all.keys.sorted())
    func pageLoadsWithoutConsoleErrors(_ name: String) throws {
        let report = try #require(SampleReports.all[name])
        let page = try Self.load(HTMLRenderer().render(report))
        #expect(page.consoleProblems.isEmpty, "console: \(page.consoleProblems)")
        #expect(page.dom.contains("</html>"), "no DOM was dumped")
        #expect(Self.count("class=\"marker\"", in: page.dom) == report.incidents.count)
        #expect(Self.count("<script", in: page.dom) == 1, "only the report's own script may be in the page")
        #expect(page.dom.contains("id=\"evidence-panel\" hidden") == !report.incidents.isEmpty)
    }

    @Test(.enabled(if: browser != nil, "needs chromium or chromium-browser on PATH"))
    func clickingAMarkerShowsItsEvidence() throws {
        let click = """
            <script>document.querySelector('[data-incident="inc-1"]').dispatchEvent(new MouseEvent("click", {bubbles: true}));</script>
            </body>
            """
        let html = HTMLRenderer().render(SampleReports.incidents).replacingOccurrences(of: "</body>", with: click)
        let page = try Self.load(html)
        #expect(page.consoleProblems.isEmpty, "console: \(page.consoleProblems)")
        let panel = try #require(page.dom.range(of: "<div id=\"evidence-panel\">"), "the panel is still hidden")
        let shown = page.dom[panel.lowerBound...].prefix(3000)
        #expect(shown.contains("inc-1 · oom-kill · 2024-10-12T19:00:20.347Z · shop/cart-7d9f8c6b5-x2x1z/cart"))
        #expect(shown.contains("<ul class=\"evidence\"><li><code>nodes/<wbr>aks-user-1/<wbr>var/<wbr>log/<wbr>syslog:812</code>"))
        #expect(shown.contains("cluster-resources/<wbr>pods/<wbr>shop.json:88"))
        #expect(Self.count(" aria-pressed=\"true\"", in: page.dom) == 1)
        #expect(page.dom.contains("<tr id=\"inc-1\"") && page.dom.contains("class=\"selected\""))
        #expect(Self.count("class=\"marker\"", in: page.dom) == 6)
    }

    /// The console check would catch a broken script: it cannot pass by seeing nothing.
    @Test(.enabled(if: browser != nil, "needs chromium or chromium-browser on PATH"))
    func consoleErrorsAreCaught() throws {
        let page = try Self.load("<!DOCTYPE html><html><body><script>undefinedFunction();</script></body></html>")
        #expect(page.consoleProblems.contains { $0.contains("undefinedFunction") })
    }
}
