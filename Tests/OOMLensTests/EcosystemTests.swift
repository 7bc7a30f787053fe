import Foundation
import Testing
@testable import OOMLens

/// The built `oomlens` binary among the tools Kubernetes people use: `--version`, shell completions,
/// the man page, the kubectl plugin name, and `timeline --since/--until` as users type them.
@Suite struct EcosystemTests {
    static let fixtures = EndToEndTests.root.appendingPathComponent("Tests/OOMLensTests/Fixtures")

    /// swift-argument-parser's `generate-manual`, next to `oomlens` when `swift build --product
    /// generate-manual` ran (scripts/test and scripts/install build it).
    static var manualGenerator: URL? {
        guard let dir = EndToEndTests.binary?.deletingLastPathComponent() else { return nil }
        let tool = dir.appendingPathComponent("generate-manual")
        return FileManager.default.isExecutableFile(atPath: tool.path) ? tool : nil
    }

    /// The subcommand names, read from the binary's own description of itself.
    static func subcommands() throws -> [String] {
        let dump = try EndToEndTests.run(["--experimental-dump-help"])
        #expect(dump.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: dump.stdout) as? [String: Any])
        let command = try #require(json["command"] as? [String: Any])
        let subcommands = try #require(command["subcommands"] as? [[String: Any]])
        // Hidden subcommands (the batch worker) are not offered to users.
        let names = subcommands.filter { ($0["shouldDisplay"] as? Bool) != false }
            .compactMap { $0["commandName"] as? String }.filter { $0 != "help" }
        #expect(Set(["analyze", "inventory", "timeline", "explain"]).isSubset(of: names))
        return names
    }

    static func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

    // MARK: version and provenance

    @Test func versionNamesTheReleaseAndTheCommit() throws {
        let result = try EndToEndTests.run(["--version"])
        #expect(result.status == 0)
        let line = Self.text(result.stdout).trimmingCharacters(in: .newlines)
        #expect(line == BuildInfo.versionLine)
        let prefix = "oomlens \(OOMLensVersion.version) (commit "
        #expect(line.hasPrefix(prefix) && line.hasSuffix(")"))
        let commit = String(line.dropFirst(prefix.count).dropLast())
        let hex = commit.hasSuffix("-dirty") ? String(commit.dropLast(6)) : commit
        #expect(commit == "unknown" || (hex.count == 12 && hex.allSatisfy(\.isHexDigit)), "commit: \(commit)")
        #expect(OOMLensVersion.version.split(separator: ".").count == 3)
    }

    @Test func theJSONReportCarriesTheSameCommit() throws {
        let result = try EndToEndTests.run(["analyze", Self.fixtures.appendingPathComponent("docker-events-container-oom.log").path, "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        let tool = try #require(json["tool"] as? [String: Any])
        #expect(tool["version"] as? String == OOMLensVersion.version)
        // Unknown is null in the contract, never the word "unknown".
        if let commit = BuildInfo.commit {
            #expect(tool["commit"] as? String == commit)
        } else {
            #expect(tool["commit"] is NSNull)
        }
    }

    // MARK: completions and man page

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptNamesEverySubcommandAndOption(shell: String) throws {
        let result = try EndToEndTests.run(["--generate-completion-script", shell])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let script = Self.text(result.stdout)
        #expect(script.count > 1000)
        for name in try Self.subcommands() { #expect(script.contains(name), "\(shell) completion lacks \(name)") }
        for option in ["since", "until", "format", "fail-on", "markdown"] {
            #expect(script.contains(option), "\(shell) completion lacks --\(option)")
        }
        #expect(script.contains(shell == "zsh" ? "#compdef oomlens" : "oomlens"))
    }

    @Test(.enabled(if: manualGenerator != nil, "needs swift-argument-parser's generate-manual: swift build --product generate-manual"))
    func manPageNamesEverySubcommand() throws {
        let tool = try #require(Self.manualGenerator)
        let binary = try #require(EndToEndTests.binary)
        let result = try ExternalTool.run(tool.path, [binary.path, "--output-directory", "-", "--date", "2024-03-14"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let page = result.stdout
        #expect(page.contains(".Dt OOMLENS 1"))
        #expect(page.contains(".Sh NAME"))
        #expect(page.contains("Kubernetes support bundles"))
        for name in try Self.subcommands() { #expect(page.contains(".It Em \(name)"), "man page lacks \(name)") }
        #expect(page.contains("counted back from the bundle's collection time"))
    }

    // MARK: kubectl plugin

    @Test func namesItselfKubectlOomlensWhenRunAsTheKubectlPlugin() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let binary = try #require(EndToEndTests.binary)
        let plugin = temp.path("kubectl-oomlens")
        try FileManager.default.createSymbolicLink(atPath: plugin, withDestinationPath: binary.path)
        let help = try ExternalTool.run(plugin, ["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: kubectl oomlens <subcommand>"))
        let timelineHelp = try ExternalTool.run(plugin, ["timeline", "--help"])
        #expect(timelineHelp.stdout.contains("USAGE: kubectl oomlens timeline <bundle>"))
        // The plain binary keeps its own name.
        #expect(Self.text(try EndToEndTests.run(["--help"]).stdout).contains("USAGE: oomlens <subcommand>"))
    }

    // MARK: timeline --since/--until

    /// A directory bundle named like troubleshoot's (collected 2024-03-14T10:30:00Z) holding two real
    /// samples: a Docker OOM event at 2019-05-04T23:05:45Z, and `kubectl describe node` output with a
    /// condition from 2019-09-25T14:38:37Z and events aged `25m`, `2m48s`, … (placed before the
    /// collection time, marked `~`).
    static func datedBundle(_ temp: TempBundle) throws -> String {
        let root = temp.directory.appendingPathComponent("support-bundle-2024-03-14T10_30_00")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for name in ["docker-events-container-oom.log", "kubectl-describe-node-systemoom-events.txt"] {
            try FileManager.default.copyItem(at: fixtures.appendingPathComponent(name), to: root.appendingPathComponent(name))
        }
        return root.path
    }

    static func timelineTimes(_ arguments: [String]) throws -> [String] {
        let result = try EndToEndTests.run(["timeline"] + arguments)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        return text(result.stdout).split(separator: "\n").map { String($0.prefix { $0 != " " }) }
    }

    @Test func durationsCountBackFromTheCollectionTime() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let bundle = try Self.datedBundle(temp)
        let all = try Self.timelineTimes([bundle])
        #expect(all.count == 15)
        #expect(all.prefix(2) == ["2019-05-04T23:05:45.011072877Z", "2019-09-25T14:38:37Z"])
        // The last five minutes before 10:30:00, as `kubectl logs --since 5m` would count from now.
        #expect(try Self.timelineTimes([bundle, "--since", "5m"])
                == ["2024-03-14T10:27:09Z~", "2024-03-14T10:27:10Z~", "2024-03-14T10:28:06Z~", "2024-03-14T10:28:42Z~"])
        // 09:00:00 to 10:05:00, both ends included.
        #expect(try Self.timelineTimes([bundle, "--since", "1h30m", "--until", "25m"]) == ["2024-03-14T10:05:00Z~"])
        // 1700 days back is 2019-07-19T10:30:00Z, 1000 days 2021-06-18T10:30:00Z.
        #expect(try Self.timelineTimes([bundle, "--until", "1700d"]) == ["2019-05-04T23:05:45.011072877Z"])
        #expect(try Self.timelineTimes([bundle, "--since", "1700d", "--until", "1000d"]) == ["2019-09-25T14:38:37Z"])
        // A date is the whole UTC day; RFC 3339 is a moment.
        #expect(try Self.timelineTimes([bundle, "--since", "2019-09-25", "--until", "2019-09-25"]) == ["2019-09-25T14:38:37Z"])
        #expect(try Self.timelineTimes([bundle, "--since", "2024-03-14"]).count == 13)
        #expect(try Self.timelineTimes([bundle, "--until", "2019-05-04T23:05:45Z"]) == [])
        #expect(try Self.timelineTimes([bundle, "--until", "2019-05-05T01:05:46+02:00"]) == ["2019-05-04T23:05:45.011072877Z"])
    }

    @Test func durationsCountBackFromNowWithANoteWhenTheCollectionTimeIsUnknown() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        try temp.write("notes.txt", Array("nothing dated here\n".utf8))
        let result = try EndToEndTests.run(["timeline", temp.directory.path, "--since", "2h"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("collection time is unknown: durations count back from now"))
        let dated = try EndToEndTests.run(["timeline", temp.directory.path, "--since", "2024-03-14"])
        #expect(!dated.stderr.contains("collection time"))
    }

    @Test func rejectsBadTimesAndSwappedBoundsAsUsageErrors() throws {
        let bundle = Self.fixtures.appendingPathComponent("docker-events-container-oom.log").path
        let bad = try EndToEndTests.run(["timeline", bundle, "--since", "2 hours"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--since: expected RFC 3339"))
        let swapped = try EndToEndTests.run(["timeline", bundle, "--since", "1h", "--until", "2h"])
        #expect(swapped.status == 64)
        #expect(swapped.stderr.contains("--since is after --until"))
    }
}
