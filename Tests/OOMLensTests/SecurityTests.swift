import Foundation
import Testing
@testable import OOMLens

/// A bundle is untrusted input: reading one must write nothing but `--output`, follow no link out of a
/// directory, run no other program on its content, and show its text only as text in every report.
@Suite struct SecurityTests {
    typealias H = HostileInput

    /// Every path under `root`, relative, with directories marked by a trailing slash.
    static func tree(_ root: String) -> Set<String> {
        var paths: Set<String> = []
        guard let walker = FileManager.default.enumerator(atPath: root) else { return paths }
        while let path = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory)
            paths.insert(isDirectory.boolValue ? path + "/" : path)
        }
        return paths
    }

    @Test func writesNothingButTheOutputFile() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let escape = "oomlens-escape-\(UUID().uuidString)"
        let absolute = FileManager.default.temporaryDirectory.appendingPathComponent(escape).path
        var writer = try ArchiveWriter(format: .tarGzip)
        for name in ["../../\(escape)", "../../../../../../../../tmp/\(escape)", absolute, "bundle/../../../\(escape)",
                     "../../etc/passwd", "./\(escape)"] {
            try writer.addFile(path: name, contents: Array("Oct 12 19:00:00 host kernel: written?\n".utf8), modified: 0)
        }
        try writer.addSymlink(path: "bundle/link", target: "../../\(escape)", modified: 0)
        try writer.addHardlink(path: "bundle/hard", target: "../../etc/passwd", modified: 0)
        try writer.addFile(path: "bundle/nodes/\(H.node)/var/log/syslog", contents: try H.oomBlock(), modified: 0)
        let bundle = try temp.write("bundle.tar.gz", try writer.finish())
        // The working directory sits three levels down, so `../../x` would land inside the temporary folder.
        let cwd = temp.path("a/b/c")
        try FileManager.default.createDirectory(atPath: cwd, withIntermediateDirectories: true)
        let passwd = try FileManager.default.attributesOfItem(atPath: "/etc/passwd")
        let before = Self.tree(temp.directory.path)

        let runs = [
            try MeasuredRun.oomlens(["analyze", bundle, "--format", "html", "--output", "report.html"], in: cwd),
            try MeasuredRun.oomlens(["analyze", bundle, "--format", "json"], in: cwd),
            try MeasuredRun.oomlens(["inventory", bundle], in: cwd),
            try MeasuredRun.oomlens(["timeline", bundle], in: cwd),
        ]
        for run in runs { #expect(run.status == 0, "stderr: \(run.stderr)") }
        #expect(Self.tree(temp.directory.path) == before.union(["a/b/c/report.html"]))
        #expect(!FileManager.default.fileExists(atPath: absolute))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/\(escape)"))
        let after = try FileManager.default.attributesOfItem(atPath: "/etc/passwd")
        #expect(after[.modificationDate] as? Date == passwd[.modificationDate] as? Date)
        #expect(after[.size] as? Int == passwd[.size] as? Int)
        // The hostile names are reported as labels.
        #expect(runs[2].stdout.contains("../../etc/passwd"))
    }

    @Test func neverFollowsASymlinkOutOfADirectory() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        // Evidence outside the bundle, reachable only through links inside it.
        let outside = temp.path("outside")
        try FileManager.default.createDirectory(atPath: outside + "/var/log", withIntermediateDirectories: true)
        try Data(try H.oomBlock()).write(to: URL(fileURLWithPath: outside + "/var/log/syslog"))
        let root = temp.path("bundle")
        let logs = root + "/nodes/n1/var/log"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        try Data("Oct 12 19:00:00 n1 kernel: inside\n".utf8).write(to: URL(fileURLWithPath: logs + "/messages"))
        try FileManager.default.createSymbolicLink(atPath: logs + "/syslog", withDestinationPath: outside + "/var/log/syslog")
        try FileManager.default.createSymbolicLink(atPath: logs + "/kern.log", withDestinationPath: "../../../../outside/var/log/syslog")
        try FileManager.default.createSymbolicLink(atPath: root + "/nodes/n2", withDestinationPath: outside)

        let report = H.analyze(root, within: 10)
        #expect(report.bundle.skippedByReason["symlink (not followed)"] == 3)
        #expect(report.bundle.entries.filter { $0.kind != nil }.map(\.path) == ["nodes/n1/var/log/messages"])
        #expect(report.timeline.observations.isEmpty)
        #expect(report.incidents.isEmpty)
        let run = try MeasuredRun.oomlens(["analyze", root, "--format", "json"])
        #expect(run.status == 0)
        #expect(!run.stdout.contains("183960") && !run.stdout.contains("stress-ng"))
    }

    /// libarchive runs `lrzip`, `lzop` and `grzip` (and, when built without their libraries, `zstd`,
    /// `lz4`, `xz`, …) as child processes when their filters are registered. Stand-ins for all of them
    /// on PATH record any run; bundles in each format, top-level and nested, must not start one.
    @Test func neverRunsAnExternalProgramOnBundleContent() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let bin = temp.path("fake-bin")
        let marks = temp.path("marks")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: marks, withIntermediateDirectories: true)
        for program in ["lrzip", "lrunzip", "lzop", "grzip", "zstd", "lz4", "xz", "lzma", "bzip2", "bunzip2", "gzip",
                        "gunzip", "compress", "uncompress", "uudecode", "lzip", "lzcat", "cat"] {
            let script = "#!/bin/sh\ntouch '\(marks)/\(program)'\nexit 1\n"
            try Data(script.utf8).write(to: URL(fileURLWithPath: "\(bin)/\(program)"))
            #expect(chmod("\(bin)/\(program)", 0o755) == 0)
        }
        let samples: [(String, [UInt8])] = [
            ("bundle.tar.lrz", Array("LRZI".utf8) + [0, 6] + [UInt8](repeating: 0, count: 18) + Array("payload".utf8)),
            ("syslog.lzo", [0x89, 0x4C, 0x5A, 0x4F, 0x00, 0x0D, 0x0A, 0x1A, 0x0A, 0x10, 0x30, 0x20, 0xA0, 0x09, 0x40]
                + [UInt8](repeating: 0x01, count: 40)),
            ("kern.log.grz", Array("GRZipII".utf8) + [0x00, 0x02, 0x04] + Array(":)payloadpayload".utf8)),
        ]
        var inner = try ArchiveWriter(format: .tarGzip)
        for (name, bytes) in samples { try inner.addFile(path: "nodes/n1/var/log/\(name)", contents: bytes, modified: 0) }
        try inner.addFile(path: "nodes/n1/var/log/syslog", contents: try H.oomBlock(), modified: 0)
        let nested = try temp.write("nested.tar.gz", try inner.finish())
        var paths = [nested]
        for (name, bytes) in samples { paths.append(try temp.write(name, bytes)) }
        for format in [ArchiveWriter.Format.tarZstd, .tarXz, .tarBzip2, .zip] {
            paths.append(try H.write(temp, "bundle.\(format.fileExtension)", format, [("nodes/n1/var/log/syslog", try H.oomBlock())]))
        }

        let path = bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        for bundle in paths {
            let run = try MeasuredRun.oomlens(["analyze", bundle, "--format", "json"], environment: ["PATH": path])
            #expect(run.status < 3, "\(bundle): \(run.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: marks) == [])
        // The in-process reader skips those formats as data it cannot read, and reads the rest.
        let report = H.analyze(nested, within: 10)
        for (name, _) in samples {
            #expect(report.bundle.entries.first { $0.path.hasSuffix(name) }?.kind == nil, "\(name) was parsed")
        }
        H.expectSampleKill(report, file: "nodes/n1/var/log/syslog", line: H.killLine)
        #expect(ArchiveReader.Filter.inProcess.count == ArchiveReader.Filter.allCases.count,
                "this libarchive lacks a decoder library; those formats are not read")
    }

    /// A pod named like markup, one named like a shell command, and a log line full of Markdown and
    /// HTML control text.
    @Test func bundleTextIsEscapedInMarkdownAndHTML() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let hostile = "<script>alert(1)</script>"
        let shell = "web$(touch pwned);x"
        func pod(_ name: String, uid: String) -> String {
            #"""
            {"kind":"Pod","apiVersion":"v1",
             "metadata":{"name":"\#(name)","namespace":"default","uid":"\#(uid)"},
             "spec":{"nodeName":"node-1","containers":[{"name":"app","resources":{"limits":{"memory":"128Mi"}}}]},
             "status":{"phase":"Running","qosClass":"Burstable","containerStatuses":[{"name":"app","restartCount":3,
               "lastState":{"terminated":{"exitCode":137,"reason":"OOMKilled","startedAt":"2024-11-28T10:00:00Z",
               "finishedAt":"2024-11-28T10:15:02Z"}}}]}}
            """#
        }
        let podList = #"{"kind":"PodList","apiVersion":"v1","items":["#
            + pod(hostile, uid: "6f1c5a52-4b5e-4a57-9d1e-1d3d7f0b9a10") + ","
            + pod(shell, uid: "7f1c5a52-4b5e-4a57-9d1e-1d3d7f0b9a11") + ","
            + pod(#"x\n```\n<script>alert(4)</script>"#, uid: "8f1c5a52-4b5e-4a57-9d1e-1d3d7f0b9a12") + "]}"
        let line = "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space <img src=x onerror=alert(2)> "
            + "| **bold** _em_ [click](javascript:alert(3)) `tick` <!-- c --> &amp; # heading\n"
        let bundle = try H.write(temp, "markup.tar.gz", .tarGzip, [
            ("bundle/cluster-resources/pods/default.json", Array(podList.utf8)),
            ("bundle/cluster-resources/pods/logs/default/web-0/app-previous.log", Array(line.utf8)),
        ])
        let report = H.analyze(bundle, within: 10)
        // The hostile text must reach the report for this test to mean anything.
        #expect(report.incidents.contains { $0.pod == hostile } && report.incidents.contains { $0.pod == shell })
        #expect(report.findings.contains { $0.explanation.contains("<img src=x") })

        let html = HTMLRenderer().render(report)
        #expect(!html.contains("<script>alert") && !html.contains("<img") && !html.contains("<!-- c"))
        #expect(!html.contains("href=\"javascript"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && html.contains("&lt;img src=x onerror=alert(2)&gt;"))

        let markdown = MarkdownRenderer().render(report)
        let prose = Self.outsideCode(markdown)
        #expect(!prose.contains("<script") && !prose.contains("<img") && !prose.contains("<!--"))
        #expect(!prose.replacingOccurrences(of: "\\]", with: "").contains("](javascript:"), "an unescaped link")
        #expect(prose.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        // Suggested commands are pasted into shells: none carries the names' shell syntax.
        let commands = report.findings.flatMap(\.commands)
        #expect(!commands.isEmpty)
        #expect(!commands.contains { $0.contains("$(") || $0.contains(";") || $0.contains("<script") || $0.contains("\n") })

        for run in [try MeasuredRun.oomlens(["analyze", bundle, "--format", "html"]),
                    try MeasuredRun.oomlens(["analyze", bundle, "--format", "markdown"])] {
            #expect(run.status == 0)
            #expect(!Self.outsideCode(run.stdout).contains("<script>alert"))
        }
    }

    /// Markdown without its code: fenced blocks and inline code spans (their text shows literally, never
    /// as markup). An escaped backtick (`\``) opens no span.
    static func outsideCode(_ markdown: String) -> String {
        var out = ""
        var fenced = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                fenced.toggle()
                continue
            }
            if fenced { continue }
            var inCode = false
            var escaped = false
            for ch in line {
                defer { escaped = !inCode && !escaped && ch == "\\" }
                if ch == "`", !escaped { inCode.toggle(); continue }
                if !inCode { out.append(ch) }
            }
            out.append("\n")
        }
        return out
    }
}
