import Foundation
import Testing
@testable import OOMLens

/// The HTML report's content, escaping and self-containment, its SVG timeline's lanes and markers,
/// and the time axis under them.
@Suite struct HTMLRendererTests {
    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test func oneMarkerPerIncident() {
        let html = HTMLRenderer().render(SampleReports.incidents)
        #expect(Self.count("class=\"marker\"", in: html) == 6)
        for id in 1...6 {
            #expect(Self.count("data-incident=\"inc-\(id)\"", in: html) == 1)
            #expect(html.contains("<tr id=\"inc-\(id)\""))
            #expect(html.contains("<ul class=\"evidence\" id=\"ev-inc-\(id)\">"))
        }
        #expect(Self.count("data-kind=\"oom-kill\"", in: html) == 2)
        #expect(Self.count("data-kind=\"node-oom\"", in: html) == 1)
        #expect(Self.count("data-kind=\"eviction\"", in: html) == 1)
        #expect(Self.count("data-kind=\"restart\"", in: html) == 2)
    }

    @Test func markersShowMemoryAndEvidence() {
        let html = HTMLRenderer().render(SampleReports.incidents)
        #expect(html.contains(">250Mi / 256Mi</text>"))
        #expect(html.contains(">251Mi / 256Mi</text>"))
        #expect(html.contains(">RSS 90Mi</text>"))
        #expect(html.contains("inc-1 · oom-kill · 2024-10-12T19:00:20.347Z\nshop/cart-7d9f8c6b5-x2x1z/cart on node aks-user-1\nprocess cart (pid 183960)\nmemory: limit 256Mi, anon RSS 250Mi, usage 256Mi, request 128Mi"))
        #expect(html.contains("  nodes/aks-user-1/var/log/syslog:812 (kernel) Memory cgroup out of memory: Killed process 183960 (cart) anon-rss:256000kB"))
        #expect(html.contains("inc-5 · restart · 2024-10-12T20:05:00Z (inferred)"))
        // Hollow shape for the inferred time, filled for the others.
        #expect(Self.count("fill=\"#ffffff\" stroke=\"\(SVGTimeline.color(.restart))\"", in: html) == 1)
    }

    @Test func summaryFindingsAndWarnings() {
        let html = HTMLRenderer().render(SampleReports.incidents)
        #expect(html.contains("<li class=\"count count-oom-kill\"><span class=\"n\">2</span>"))
        #expect(html.contains("<li class=\"count count-restart\"><span class=\"n\">2</span>"))
        #expect(html.contains("<dt>Collected</dt><dd>2024-10-12T21:30:00Z</dd>"))
        #expect(html.contains("<dt>Files</dt><dd>5 read, 3 recognised, 2 skipped</dd>"))
        #expect(html.contains("<dt>Skipped</dt><dd>binary 1, symlink 1</dd>"))
        #expect(html.contains("<dt>Findings</dt><dd>2 critical, 1 warning, 1 info</dd>"))
        #expect(html.contains("<article class=\"finding sev-critical\">"))
        #expect(html.contains("incidents <a href=\"#inc-1\">inc-1</a>, <a href=\"#inc-2\">inc-2</a>"))
        #expect(html.contains("<pre class=\"commands\"><code>kubectl set resources deployment/cart -n shop -c cart --limits=memory=384Mi --requests=memory=384Mi\nkubectl top pod -n shop --containers</code></pre>"))
        #expect(html.contains("<code>nodes/aks-user-1/kubelet.log:2048</code>: line longer than 1 MiB was cut"))
        #expect(!html.contains("class=\"banner\""))
    }

    @Test func bundleTextIsEscaped() {
        let html = HTMLRenderer().render(SampleReports.hostile)
        for raw in ["<script>alert", "</svg><script>", "<img src", "<b>", "<i>x</i>", "<not>", "<EOF>", "</pre></script>", "<bundle>", "\u{1}"] {
            #expect(!html.contains(raw), "unescaped: \(raw)")
        }
        #expect(Self.count("<script", in: html) == 1)
        #expect(html.contains("<title>oomlens report: /tmp/&lt;bundle&gt; &amp; &quot;co&quot;.tar.gz</title>"))
        #expect(html.contains("<strong>a&amp;b/<wbr>&lt;script&gt;alert(1)&lt;/<wbr>script&gt;/<wbr>&quot;quoted&#39;</strong>"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt; &amp; &lt;/pre&gt;&lt;/script&gt; &quot;quoted&quot; &#39;single&#39;"))
        #expect(html.contains("data-incident=\"inc-1\""))
        #expect(html.contains("aria-label=\"inc-2 eviction a&amp;b/&lt;/svg&gt;&lt;script&gt;alert(2)&lt;/script&gt;\""))
        #expect(html.contains("\u{FFFD}"))
        #expect(html.contains("<div class=\"banner\" role=\"alert\">Partial results"))
        #expect(html.contains("<span class=\"w-damage\">damage</span> <code>logs/&lt;script&gt;.log</code>: unexpected end of archive &lt;EOF&gt; &amp; &quot;stop&quot;"))
    }

    @Test func pageIsSelfContained() {
        for report in SampleReports.all.values {
            let html = HTMLRenderer().render(report)
            for external in [" src=\"", "<link", "@import", "url(", "href=\"http", "href=\"//", "<iframe", "<object"] {
                #expect(!html.contains(external), "external reference: \(external)")
            }
            let links = Self.count("http://", in: html) + Self.count("https://", in: html)
            let namespaces = Self.count("http://www.w3.org/2000/svg", in: html)
            #expect(links == namespaces, "only the SVG namespace may name a URL")
            #expect(html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"))
            #expect(html.contains("@media print"))
        }
    }

    @Test func emptyReport() {
        let html = HTMLRenderer().render(SampleReports.empty)
        #expect(html.contains("<p>No findings.</p>"))
        #expect(html.contains("<p>No incidents to draw.</p>"))
        #expect(!html.contains("<svg"))
        #expect(!html.contains("<section id=\"incidents\">"))
        #expect(html.contains("<dt>Collected</dt><dd>unknown</dd>"))
    }

    @Test func escapingReplacesEveryMarkupCharacter() {
        #expect(HTMLEscaping.escape("<a href='x'>&\"") == "&lt;a href=&#39;x&#39;&gt;&amp;&quot;")
        #expect(HTMLEscaping.escape("tab\tnew\nline\u{0}\u{1B}[31m\u{85}") == "tab\tnew\nline\u{FFFD}\u{FFFD}[31m\u{FFFD}")
        #expect(HTMLEscaping.escape("plain ünïcödé 日本") == "plain ünïcödé 日本")
    }

    @Test func backtickSpansInFindingProseBecomeCode() {
        #expect(HTMLEscaping.escapeProse("see `oomlens inventory` and `a<b>`") == "see <code>oomlens inventory</code> and <code>a&lt;b&gt;</code>")
        #expect(HTMLEscaping.escapeProse("one ` alone") == "one ` alone")
        #expect(HTMLEscaping.escapeProse("`x` then `y") == "<code>x</code> then `y")
        let html = HTMLRenderer().render(SampleReports.incidents)
        #expect(html.contains("Collect container logs too (<code>kubectl logs --previous</code>).</p>"))
    }

    // MARK: SVG timeline

    @Test func lanesGroupContainersUnderTheirNode() {
        let lanes = SVGTimeline(incidents: SampleReports.incidents.incidents).lanes
        #expect(lanes.map(\.label) == [
            "node aks-system-0", "kube-system/coredns-6d4b75cb6d-abcde/coredns", "shop/web-5c9d7b8f6-qv2pl/web",
            "node aks-user-1", "monitoring/prometheus-0", "shop/cart-7d9f8c6b5-x2x1z/cart",
        ])
        #expect(lanes.map(\.isNode) == [true, false, false, true, false, false])
        #expect(lanes.map { $0.incidents.map(\.id) } == [[], ["inc-6"], ["inc-5"], ["inc-3"], ["inc-4"], ["inc-1", "inc-2"]])
        let hostile = SVGTimeline(incidents: SampleReports.hostile.incidents).lanes
        #expect(hostile.map(\.label) == ["node node<1>&\"x\"", "a&b/<script>alert(1)</script>/\"quoted'", "node unknown", "a&b/</svg><script>alert(2)</script>"])
    }

    @Test func markersSitAtTheirTimesAndUnknownTimesOnTheRight() throws {
        let timeline = SVGTimeline(incidents: SampleReports.incidents.incidents)
        let axis = timeline.axis
        let svg = timeline.render()
        let first = try #require(SampleReports.incidents.incidents.first?.time?.instant)
        let last = try #require(SampleReports.incidents.incidents[4].time?.instant)
        #expect(axis.x(first) > 300 && axis.x(first) < 330)
        #expect(axis.x(last) > 850 && axis.x(last) < 880)
        // inc-6 has no time: in the "time unknown" column, right of the dashed separator.
        let marker = try #require(svg.range(of: "data-incident=\"inc-6\""))
        let rect = try #require(svg[marker.upperBound...].range(of: "<rect class=\"shape\" x=\""))
        let x = Double(svg[rect.upperBound...].prefix { $0 != "\"" }) ?? 0
        #expect(x >= 905)
        #expect(svg.contains(">time unknown</text>"))
    }

    @Test func longLaneLabelsAreShortenedInTheMiddle() {
        let label = "namespace-with-a-long-name/pod-with-a-very-long-generated-name-abcde/container"
        let short = SVGTimeline.shorten(label)
        #expect(short.count == 40)
        #expect(short.hasPrefix("namespace-with-a-lo") && short.hasSuffix("ame-abcde/container") && short.contains("…"))
        #expect(SVGTimeline.shorten("shop/cart/cart") == "shop/cart/cart")
    }

    @Test func axisTicksAreRoundTimes() throws {
        func instant(_ text: String) throws -> Instant { try #require(RFC3339.instant(text)) }
        let hour = TimeAxis(covering: [try instant("2024-10-12T19:00:20.347Z"), try instant("2024-10-12T20:05:00Z")], from: 0, to: 700)
        #expect(hour.ticks.map(\.label) == ["19:00", "19:10", "19:20", "19:30", "19:40", "19:50", "20:00"])
        let night = TimeAxis(covering: [try instant("2024-10-12T22:00:00Z"), try instant("2024-10-13T02:00:00Z")], from: 0, to: 700)
        #expect(night.ticks.map(\.label) == ["10-12 22:00", "23:00", "10-13 00:00", "01:00", "02:00"])
        let single = TimeAxis(covering: [try instant("2024-03-01T08:00:00Z")], from: 100, to: 200)
        #expect(single.ticks.map(\.label) == ["07:59:30", "07:59:40", "07:59:50", "08:00:00", "08:00:10", "08:00:20", "08:00:30"])
        #expect(single.x(try instant("2024-03-01T08:00:00Z")) == 150)
        let weeks = TimeAxis(covering: [try instant("2024-01-01T00:00:00Z"), try instant("2024-02-15T00:00:00Z")], from: 0, to: 700)
        #expect(weeks.ticks.map(\.label) == ["01-04", "01-11", "01-18", "01-25", "02-01", "02-08", "02-15"])
        for axis in [hour, night, single, weeks] {
            #expect(axis.ticks.allSatisfy { $0.x >= axis.x0 && $0.x <= axis.x1 })
        }
    }
}
