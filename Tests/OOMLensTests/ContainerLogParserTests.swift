import Testing
@testable import OOMLens

@Suite struct ContainerLogParserTests {
    private typealias Parser = LineParsing<ContainerLogParser>

    private func context(_ path: String) -> ParseContext {
        var context = ParseContext(path: path, kind: .containerLog, nodeHint: "node-1")
        context.namespaceHint = "shop"
        context.podHint = "api-7c9d"
        context.containerHint = "api"
        return context
    }

    private func parse(_ fixture: String) throws -> ParseOutput {
        Parser.parse(try Fixture.bytes(fixture), context: context(fixture), blockSize: 4096)
    }

    @Test func javaHeapSpaceCountedOnce() throws {
        let out = try parse("containerlog-java-heap-space-jlogstash36.log")
        let o = try #require(out.observations.first)
        #expect(out.observations.count == 1)
        #expect(o.kind == .applicationOOM && o.source == .containerLog)
        #expect(o.reason == "java.lang.OutOfMemoryError: Java heap space")
        #expect(o.count == 3)
        #expect(o.location.line == 3)
        #expect(o.message == "java.lang.OutOfMemoryError: Java heap space")
        #expect(o.namespace == "shop" && o.pod == "api-7c9d" && o.container == "api" && o.node == "node-1")
        #expect(o.time == nil)
        #expect(o.summary == "container api logged java.lang.OutOfMemoryError: Java heap space (3 times)")
    }

    @Test func javaKindsAreSeparateAndJVMFlagsIgnored() throws {
        let out = try parse("containerlog-java-gc-overhead-metaspace-notes.log")
        let obs = out.observations
        #expect(obs.map(\.reason) == ["java.lang.OutOfMemoryError: GC overhead limit exceeded",
                                      "java.lang.OutOfMemoryError: Metaspace"])
        #expect(obs.map(\.count) == [3, 2])
        #expect(obs.map { $0.location.line } == [2, 7])
        #expect(obs[0].message == "Exception in thread \"http-nio-8080-ClientPoller-0\" java.lang.OutOfMemoryError: GC overhead limit exceeded")
    }

    @Test func javaNativeThread() throws {
        let out = try parse("containerlog-java-native-thread-membrane562.log")
        #expect(out.observations.map(\.reason) == [
            "java.lang.OutOfMemoryError: unable to create native thread: possibly out of memory or process/resource limits reached",
        ])
        #expect(out.observations.first?.location.line == 4)
        #expect(out.observations.first?.count == nil)
    }

    @Test func nodeHeapLimit() throws {
        let out = try parse("containerlog-node-heap-oom-mdn-local1144.log")
        #expect(out.observations.count == 1)
        #expect(out.observations.first?.reason == "JavaScript heap out of memory")
        #expect(out.observations.first?.message == "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory")
        #expect(out.observations.first?.location.line == 4)
    }

    @Test func nodeHeapRepeatedInJournal() throws {
        let out = try parse("containerlog-node-heap-oom-journal-addons3916.log")
        #expect(out.observations.count == 1)
        #expect(out.observations.first?.count == 6)
        #expect(out.observations.first?.location.line == 2)
        #expect(out.observations.first?.message == "Nov 15 14:11:42 ip-172-31-28-11 docker[2974]: FATAL ERROR: CALL_AND_RETRY_LAST Allocation failed - JavaScript heap out of memory")
    }

    @Test func goDotNetAndPython() throws {
        let go = try parse("containerlog-go-runtime-oom-goes-vnetd.log").observations
        #expect(go.map(\.reason) == ["fatal error: runtime: out of memory"])
        #expect(go.first?.location.line == 2)
        let dotnet = try parse("containerlog-dotnet-oom-coreclr25767.log").observations
        #expect(dotnet.map(\.reason) == ["System.OutOfMemoryException"])
        #expect(dotnet.first?.message == "System.OutOfMemoryException: Exception of type 'System.OutOfMemoryException' was thrown.")
        let python = try parse("containerlog-python-arraymemoryerror-netcatty2262.log").observations
        #expect(python.map(\.reason) == ["numpy._core._exceptions._ArrayMemoryError"])
        #expect(python.first?.location.line == 8)
        #expect(python.first?.message == "numpy._core._exceptions._ArrayMemoryError: Unable to allocate 441. MiB for an array with shape (1, 11341, 10203) and data type float32")
    }

    @Test func criLinesWithoutErrors() throws {
        let out = try parse("containerlog-cri-format-crio3181.log")
        #expect(out.observations.isEmpty && out.diagnostics.isEmpty && out.clockHints.isEmpty)
    }

    /// A CRI prefix of the cri-o#3181 sample in front of a jlogstash error line.
    @Test func criPrefixIsStrippedAndItsTimeKept() throws {
        let criPrefix = "2020-01-26T03:17:29.346494690+00:00 stderr F "
        let text = criPrefix + "2020/01/26 03:17:29 provider.go:117: Defaulting client-id\n"
            + criPrefix + "java.lang.OutOfMemoryError: Java heap space\n"
            + "2020-01-26T03:17:30.377462695+00:00 stderr F java.lang.OutOfMemoryError: Java heap space\n"
        let out = Parser.parse(text, context: context("0.log"))
        let o = try #require(out.observations.first)
        #expect(out.observations.count == 1)
        #expect(o.location.line == 2)
        #expect(o.count == 2)
        #expect(o.message == "java.lang.OutOfMemoryError: Java heap space")
        #expect(o.time == TimeReading(.instant(Instant(seconds: 1_580_008_649, nanoseconds: 346_494_690)),
                                      text: "2020-01-26T03:17:29.346494690+00:00"))
        #expect(out.clockHints == [.datedRecord(Instant(seconds: 1_580_008_649, nanoseconds: 346_494_690))])
    }

    @Test func prefixForms() {
        func prefix(_ text: String) -> (Int, String?) {
            Array(text.utf8).withUnsafeBytes { b in
                let (start, time) = ContainerLogParser.logPrefix(b)
                return (start, time?.text)
            }
        }
        #expect(prefix("2020-01-26T03:17:29.346494690+00:00 stderr F 2020/01/26 x") == (45, "2020-01-26T03:17:29.346494690+00:00"))
        #expect(prefix("2020-12-07T15:32:38.994574754Z stdout P Hello from init container!") == (40, "2020-12-07T15:32:38.994574754Z"))
        #expect(prefix("2020-01-26T03:17:29.346494690Z FATAL ERROR") == (31, "2020-01-26T03:17:29.346494690Z"))
        #expect(prefix("java.lang.OutOfMemoryError: Java heap space") == (0, nil))
    }

    @Test func randomBytesAndCutsNeverCrash() throws {
        let samples = try [
            "containerlog-java-heap-space-jlogstash36.log", "containerlog-java-gc-overhead-metaspace-notes.log",
            "containerlog-python-arraymemoryerror-netcatty2262.log", "containerlog-cri-format-crio3181.log",
            "containerlog-node-heap-oom-mdn-local1144.log",
        ].map { try Fixture.text($0) }
        let inputs = Robustness.inputs(from: samples, seed: 0xA990_0111)
        for (n, input) in inputs.enumerated() {
            let out = Parser.parse(input, context: context("fuzz.log"), blockSize: 1 + n % 31)
            #expect(out.observations.allSatisfy { $0.kind == .applicationOOM })
        }
        // All at once, as one file: distinct kinds stay bounded.
        let all = Parser.parse(Array(inputs.joined(separator: [UInt8.newline])), context: context("all.log"))
        #expect(all.observations.count <= 32)
    }

    @Test("every text the parser reads holds a needle of its sieve")
    func sieveCoversTheTexts() {
        for text in ContainerLogParser.texts {
            let bytes = Array(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
            #expect(bytes.withUnsafeBytes { ContainerLogParser.needles.occurs(in: $0) }, "\(text)")
        }
    }

    /// Parses `bytes` in blocks of `blockSize`, with the sieve passing lines over in bulk or reading every line.
    private func parse(_ bytes: [UInt8], sieving: Bool, blockSize: Int) -> ParseOutput {
        let context = context("app.log")
        var parsing = LineParsing(ContainerLogParser(context: context, sieving: sieving), context: context)
        return parsing.parseAll(bytes, blockSize: blockSize)
    }

    @Test("reference samples in an application's noise give the same findings sieved as read line by line",
          arguments: ["containerlog-java-heap-space-jlogstash36.log", "containerlog-java-gc-overhead-metaspace-notes.log",
                      "containerlog-java-native-thread-membrane562.log", "containerlog-dotnet-oom-coreclr25767.log",
                      "containerlog-go-runtime-oom-goes-vnetd.log", "containerlog-node-heap-oom-mdn-local1144.log",
                      "containerlog-node-heap-oom-journal-addons3916.log",
                      "containerlog-python-arraymemoryerror-netcatty2262.log", "containerlog-cri-format-crio3181.log"])
    func samplesInNoise(fixture: String) throws {
        let noise = [
            "2024-03-14T10:00:01.000000000Z stdout F INFO  [main] c.e.s.OrderService - processed order 42 in 35 ms",
            "2024-03-14T10:00:02.000000000Z stderr F WARN  memory usage of cache at 71% of heap, out of 512 MiB",
            "GET /api/items/7 200 12ms - a list of members of the team",
            "DEBUG pool stats: free memory=1.2GiB, OutOf=0, Error=none",
        ]
        let sample = try Fixture.text(fixture).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var rng = XorShift(seed: 7)
        var lines = (0..<500).map { _ in noise.randomElement(using: &rng) ?? "" }
        for line in sample {
            lines.append(line)
            lines += (0..<Int.random(in: 0...3, using: &rng)).map { _ in noise.randomElement(using: &rng) ?? "" }
        }
        lines += (0..<500).map { _ in noise.randomElement(using: &rng) ?? "" }
        let bytes = Array(lines.joined(separator: "\n").utf8) + [UInt8.newline]
        for blockSize in [97, 4096, 1 << 20] {
            let full = parse(bytes, sieving: false, blockSize: blockSize)
            let sieved = parse(bytes, sieving: true, blockSize: blockSize)
            #expect(sieved.observations == full.observations, "\(fixture), blocks of \(blockSize)")
            #expect(sieved.diagnostics == full.diagnostics, "\(fixture), blocks of \(blockSize)")
            #expect(sieved.clockHints == full.clockHints, "\(fixture), blocks of \(blockSize)")
            // The CRI sample shows the line format only: it holds no error.
            #expect(!full.observations.isEmpty || fixture == "containerlog-cri-format-crio3181.log", "\(fixture) gives a finding")
        }
    }
}
