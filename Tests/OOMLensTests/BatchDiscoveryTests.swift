import Foundation
import Testing
@testable import OOMLens

/// Finding bundles in folders, and the ids their reports are named by.
@Suite struct BatchDiscoveryTests {
    @Test func idsAreTheStemAndTheDigestPrefix() {
        let digest = "3f9a1c2e" + String(repeating: "0", count: 56)
        #expect(BundleID.make(path: "/t/4711/support-bundle-2024-03-14T10_30_00.tar.gz", sha256: digest)
                == "support-bundle-2024-03-14T10_30_00-3f9a1c2e")
        #expect(BundleID.stem(of: "a/b/bundle.TGZ") == "bundle")
        #expect(BundleID.stem(of: "x.tar.zst") == "x")
        #expect(BundleID.stem(of: "logs.zip") == "logs")
        #expect(BundleID.stem(of: "extracted/support-bundle-2024/") == "support-bundle-2024")
        #expect(BundleID.stem(of: "ticket 12 (copy).tar") == "ticket_12__copy_")
        #expect(BundleID.stem(of: "../..") == "bundle")
        #expect(BundleID.stem(of: ".tar.gz") == "tar")
        #expect(BundleID.stem(of: "ünï.tgz") == "__n__")
        #expect(BundleID.stem(of: String(repeating: "x", count: 300)).count == 100)
        #expect(BundleID.stem(of: "") == "bundle")
    }

    @Test func findsArchivesAndExtractedBundlesInFolders() throws {
        let temp = try TempBundle()
        defer { temp.remove() }
        let fm = FileManager.default
        func file(_ path: String, _ bytes: [UInt8]) throws {
            let full = temp.path(path)
            try fm.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: full))
        }
        let gzip: [UInt8] = [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0]
        try file("archive/2024/a.tar.gz", gzip)
        try file("archive/2024/no-suffix", gzip)                    // by content
        try file("archive/2024/named.zip", Array("not really".utf8))  // by suffix
        try file("archive/2024/notes.txt", Array("call customer back\n".utf8))
        try file("archive/2024/.hidden.tgz", gzip)
        try file("archive/extracted/ticket-9/cluster-resources/pods/default.json", Array("{}".utf8))
        try file("archive/extracted/ticket-9/nested.tar.gz", gzip)  // inside a bundle: not separate
        try file("archive/extracted/support-bundle-2024-01-01T00_00_00/x.log", Array("x\n".utf8))
        try file("archive/extracted/ticket-10/version.yaml", Array("kind: SupportBundle\n".utf8))
        try file("archive/out/reports/r.json.gz", gzip)             // the batch's own output
        try file("loose.log", Array("kernel: Out of memory\n".utf8))

        let root = temp.path("archive")
        let found = BundleDiscovery.discover([root, temp.path("loose.log"), root + "/2024/a.tar.gz", temp.path("missing")],
                                             excluding: [root + "/out"])
        let relative = found.bundles.map { (String($0.path.dropFirst(temp.directory.path.count + 1)), $0.isDirectory) }
        #expect(relative.map(\.0) == [
            "archive/2024/a.tar.gz", "archive/2024/named.zip", "archive/2024/no-suffix",
            "archive/extracted/support-bundle-2024-01-01T00_00_00", "archive/extracted/ticket-10", "archive/extracted/ticket-9",
            "loose.log",
        ])
        #expect(relative.map(\.1) == [false, false, false, true, true, true, false])
        #expect(found.problems.count == 1)
        #expect(found.problems.first?.path.hasSuffix("missing") == true)

        // A folder given directly that is an extracted bundle is one bundle.
        let one = BundleDiscovery.discover([root + "/extracted/ticket-9"])
        #expect(one.bundles == [.init(path: root + "/extracted/ticket-9", isDirectory: true)])
    }
}
