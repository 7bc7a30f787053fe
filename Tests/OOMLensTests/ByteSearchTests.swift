import Testing
@testable import OOMLens

/// `containsBytes`: byte-for-byte substring search on strings and substrings.
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
}
