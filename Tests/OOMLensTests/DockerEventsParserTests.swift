import Foundation
import Testing
@testable import OOMLens

@Suite struct DockerEventsParserTests {
    private typealias Parser = LineParsing<DockerEventsParser>

    @Test func wrappedContainerOOMEvent() throws {
        let out = try Fixture.parse(Parser.self, "docker-events-container-oom.log", kind: .dockerEvents, node: "gpu-node-3")
        let o = try #require(out.observations.first)
        #expect(out.observations.count == 1)
        #expect(o.kind == .runtimeOOM && o.source == .docker && o.reason == "oom")
        #expect(o.location == SourceLocation(file: "docker-events-container-oom.log", line: 2))
        #expect(o.containerID == "29d72966e0beb17d9b0b9fbcbfc734e2df2eb5428690115f9b24430357de08e5")
        #expect(o.namespace == "jhub-prod")
        #expect(o.pod == "jupyter-******")
        #expect(o.podUID == "efa75591-6e89-11e9-bf85-001a4a16016d")
        #expect(o.container == "notebook")
        #expect(o.node == "gpu-node-3")
        #expect(o.time == TimeReading(.instant(Instant(seconds: 1_557_011_145, nanoseconds: 11_072_877)),
                                      text: "2019-05-04T18:05:45.011072877-05:00"))
        #expect(o.summary == "docker reported an OOM event for container notebook of pod jhub-prod/jupyter-******")
        #expect(out.clockHints == [.datedRecord(Instant(seconds: 1_557_011_145, nanoseconds: 11_072_877))])
    }

    /// The same event with the paste's wrap removed, delivered in tiny blocks.
    @Test func unwrappedEventInSmallBlocks() throws {
        let text = try Fixture.text("docker-events-container-oom.log")
        let joined = text.replacingOccurrences(of: "e0be\n321b4f6", with: "e0be321b4f6")
        let out = Parser.parse(Array(joined.utf8), context: ParseContext(path: "events.txt", kind: .dockerEvents), blockSize: 7)
        #expect(out.observations.count == 1)
        #expect(out.observations.first?.container == "notebook")
        #expect(out.observations.first?.podUID == "efa75591-6e89-11e9-bf85-001a4a16016d")
    }

    /// `die` carries `exitCode=`; built on the sample's event with Docker's documented `die` attributes.
    @Test func dieEventWithExitCodeAndNameOnlyIdentity() {
        let line = "2019-05-04T18:05:45.013621187-05:00 container die 29d72966e0beb17d9b0b9fbcbfc734e2df2eb5428690115f9b24430357de08e5 (exitCode=137, image=sha256:abb449eb148762e1a8dbf45fb1aa8fce99d6f1ca92f91f5e409fea9a05055aca, name=k8s_notebook_jupyter-******_jhub-prod_efa75591-6e89-11e9-bf85-001a4a16016d_0)\n"
        let out = Parser.parse(line, context: ParseContext(path: "events.txt", kind: .dockerEvents))
        let o = out.observations.first
        #expect(out.observations.count == 1)
        #expect(o?.kind == .runtimeExit)
        #expect(o?.exitCode == 137)
        #expect(o?.message == "exitCode=137")
        #expect(o?.container == "notebook" && o?.pod == "jupyter-******" && o?.namespace == "jhub-prod")
        #expect(o?.podUID == "efa75591-6e89-11e9-bf85-001a4a16016d")
        #expect(o?.summary == "docker saw container notebook of pod jhub-prod/jupyter-****** die with exit code 137")
    }

    @Test func randomBytesAndCutsNeverCrash() throws {
        let samples = [try Fixture.text("docker-events-container-oom.log")]
        for (n, input) in Robustness.inputs(from: samples, seed: 0xD0C4E7).enumerated() {
            let out = Parser.parse(input, context: ParseContext(path: "fuzz", kind: .dockerEvents), blockSize: 1 + n % 97)
            #expect(out.observations.allSatisfy { $0.source == .docker })
        }
    }
}
