import Foundation
import Testing

/// Runs the built `oomlens` binary on the sample bundle, as a user would, and checks its JSON.
@Suite struct EndToEndTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `oomlens` executable next to the test bundle (the test target depends on it, so it is built).
    static var binary: URL? {
        var dir = Bundle.module.bundleURL.deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent("oomlens")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    /// Runs `oomlens` with `arguments`, writing `input` (when given) into its standard input through a pipe.
    static func run(_ arguments: [String], input: Data? = nil) throws -> (status: Int32, stdout: Data, stderr: String) {
        let binary = try #require(Self.binary, "oomlens was not built next to the tests")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let out = Pipe(), err = Pipe(), stdin = Pipe()
        process.standardOutput = out
        process.standardError = err
        if input != nil { process.standardInput = stdin }
        try process.run()
        if let input {
            let writer = stdin.fileHandleForWriting
            DispatchQueue.global().async {
                try? writer.write(contentsOf: input)
                try? writer.close()
            }
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, data, String(decoding: errData, as: UTF8.self))
    }

    @Test func analyzesTheSampleBundleToTheJSONContract() throws {
        let sample = Self.root.appendingPathComponent("samples/aks-oom-incident.tar.gz").path
        let result = try Self.run(["analyze", sample, "--format", "json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        #expect(json["schema"] as? String == "oomlens.report/v1")
        let bundle = try #require(json["bundle"] as? [String: Any])
        #expect(bundle["format"] as? String == "tar.gz")
        #expect(bundle["complete"] as? Bool == true)
        #expect(bundle["collectedAt"] as? String == "2024-03-14T10:30:00Z")
        let files = try #require(bundle["files"] as? [String: Any])
        #expect((files["recognized"] as? Int ?? 0) > 30)
        let incidents = try #require(json["incidents"] as? [[String: Any]])
        let kinds = incidents.compactMap { $0["kind"] as? String }
        #expect(kinds.filter { $0 == "oom-kill" }.count == 5)
        #expect(kinds.filter { $0 == "node-oom" }.count == 1)
        #expect(kinds.filter { $0 == "eviction" }.count == 1)
        // Sorted by time, every incident with evidence that names a file and a source.
        let times = incidents.compactMap { $0["time"] as? String }
        #expect(times == times.sorted())
        for incident in incidents {
            let evidence = try #require(incident["evidence"] as? [[String: Any]])
            #expect(!evidence.isEmpty)
            #expect(evidence.allSatisfy { ($0["file"] as? String)?.isEmpty == false && $0["source"] is String })
        }
        let oom = try #require(incidents.first { ($0["kind"] as? String) == "oom-kill" && ($0["containerID"] as? String) != nil })
        let containerID = try #require(oom["containerID"] as? String)
        #expect(containerID.count == 64 && containerID.allSatisfy(\.isHexDigit))
        let findings = try #require(json["findings"] as? [[String: Any]])
        #expect(findings.first?["severity"] as? String == "critical")
        #expect((json["timeline"] as? [Any])?.isEmpty == false)
    }

    @Test func analyzesABundlePipedIntoStandardInput() throws {
        let sample = Self.root.appendingPathComponent("samples/aks-oom-incident.tar.gz")
        let fromFile = try Self.run(["analyze", sample.path, "--format", "json"])
        let piped = try Self.run(["analyze", "-", "--format", "json"], input: try Data(contentsOf: sample))
        #expect(piped.status == 0, "stderr: \(piped.stderr)")
        var expected = try #require(try JSONSerialization.jsonObject(with: fromFile.stdout) as? [String: Any])
        var got = try #require(try JSONSerialization.jsonObject(with: piped.stdout) as? [String: Any])
        var bundle = try #require(got["bundle"] as? [String: Any])
        var expectedBundle = try #require(expected["bundle"] as? [String: Any])
        #expect(bundle["source"] as? String == "-")
        #expect(bundle["format"] as? String == "tar.gz")
        // Everything but the source is what the file gives.
        bundle["source"] = nil
        expectedBundle["source"] = nil
        got["bundle"] = bundle
        expected["bundle"] = expectedBundle
        #expect(NSDictionary(dictionary: got).isEqual(to: expected))
        #expect((got["incidents"] as? [Any])?.count == 8)
    }

    @Test func reportsDamageWithItsOwnExitStatus() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let sample = try Data(contentsOf: Self.root.appendingPathComponent("samples/aks-oom-incident.tar.gz"))
        let cut = try temp.write("cut.tar.gz", Array(sample.prefix(sample.count / 2)))
        let result = try Self.run(["analyze", cut, "--format", "json"])
        #expect(result.status == 2)
        let json = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        #expect((json["bundle"] as? [String: Any])?["complete"] as? Bool == false)
        let missing = try Self.run(["analyze", temp.path("does-not-exist.tgz")])
        #expect(missing.status == 3)
        let usage = try Self.run(["analyze", cut, "--format", "pdf"])
        #expect(usage.status == 64)
    }

    @Test func inventoryListsEveryMember() throws {
        let sample = Self.root.appendingPathComponent("samples/aks-oom-incident.tar.gz").path
        let result = try Self.run(["inventory", sample, "--format", "json"])
        #expect(result.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        let members = try #require(json["members"] as? [[String: Any]])
        #expect(members.contains { ($0["path"] as? String)?.hasSuffix("/var/log/syslog") == true && $0["kind"] as? String == "node-log" })
        #expect(members.contains { ($0["skipped"] as? String) != nil })
    }
}
