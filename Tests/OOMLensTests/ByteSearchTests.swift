import Testing
@testable import OOMLens

/// `containsBytes` and `slashComponents` (and `PathHints.lastNestedPiece`): byte-level search and
/// path splitting on strings and substrings.
@Suite struct ByteSearchTests {
    @Test func findsWordsInStringsAndSubstrings() {
        #expect("kubepods-burstable-pod1234.slice".containsBytes("burstable"))
        #expect(!"kubepods-besteffort".containsBytes("burstable"))
        #expect("Back-off pulling image \"x\"".containsBytes("Back-off pulling"))
        #expect(!"".containsBytes("a"))
        let path = "a/host-collectors/run-host/node-1/var/log/pods/x"
        let tail = path[path.index(path.startIndex, offsetBy: 2)...]
        #expect(tail.containsBytes("var/log/pods/"))
        #expect(!tail.containsBytes("a/host"))  // the prefix outside the substring is not searched
        #expect("é liveness ✓".containsBytes("liveness"))
    }

    @Test(arguments: [
        "", "/", "//", "a", "a/b", "/a/b/", "a//b", "nodes/node-a.tar.gz!/var/log/syslog",
        "a.tar!/b.tgz!/c/d.log", "a!/", "!/b", "x!!/y", "a!/!/b", "a!b/c", "é/ü!/ß/名前.log", "trailing!",
    ])
    func pathPiecesAgreeWithSplittingByCharacter(path: String) {
        #expect(path.slashComponents() == path.split(separator: "/").map(String.init))
        #expect(PathHints.lastNestedPiece(path).map(String.init) == path.split(separator: "!/").last.map(String.init))
        let sub = path.dropFirst()
        #expect(sub.slashComponents() == sub.split(separator: "/").map(String.init))
        #expect(PathHints.lastNestedPiece(sub).map(String.init) == sub.split(separator: "!/").last.map(String.init))
    }
}
