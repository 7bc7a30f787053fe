import Testing
@testable import OOMLens

@Suite struct FileRecognizerTests {
    static func verdict(_ path: String, _ text: String) -> FileRecognizer.Verdict {
        Array(text.utf8).withUnsafeBytes { FileRecognizer.recognize(path: path, head: $0) }
    }

    static let appLine = "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space\n"
    static let criLine = "2024-11-28T10:00:00.123456789Z stderr F java.lang.OutOfMemoryError: Java heap space\n"
    static let id = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"

    /// Container logs where the bundle layouts put them (reference 07 §1 and §6, and the generator's
    /// ad-hoc layout), including in a nested archive.
    @Test(arguments: [
        "support-bundle-2022-09-20T16_18_35/cluster-resources/pods/logs/default/web-5d9/app-previous.log",
        "support-bundle-2022-09-20T16_18_35/all-logs/test-pod/nginx.log",
        "support-bundle-2022-09-20T16_18_35/pod-logs/web-5d9/app.log",
        "bundle/logs/default/web-5d9/app.log",
        "bundle/logs/default/web-5d9/app-previous.log",
        "saved/web-5d9/app-previous.log",
        "nodes/node-a.tar.gz!/logs/default/web-5d9/app.log",
        "var/log/containers/coredns-5d78c9869d-8x2kp_kube-system_coredns-\(id).log",
        "kubeadm/containers-varlogs/coredns-5d78c9869d-8x2kp_kube-system_coredns-\(id).log",
    ])
    func readsContainerLogsInEveryLayout(path: String) {
        let text = path.contains("containers") ? Self.criLine : Self.appLine
        #expect(Self.verdict(path, text) == .parse(.containerLog))
    }

    /// RKE1's log collector saves `docker logs -t` of kubelet's container (reference 07 §5): a kubelet
    /// log, whose evictions and kills must be read; the other containers' logs stay container logs.
    @Test func readsRKE1KubeletContainerLogAsKubeletLog() {
        let line = "2023-10-12T19:34:44.999261000Z I1012 19:34:44.999261    2480 eviction_manager.go:374] \"Eviction manager: pods ranked for eviction\"\n"
        #expect(Self.verdict("rancher/k8s/containerlogs/kubelet", line) == .parse(.kubeletLog))
        #expect(Self.verdict("k8s/containerlogs/kube-apiserver", line) == .parse(.containerLog))
    }

    /// What the container-log folder rules must leave alone: node logs kept in a `logs` folder
    /// (claimed by name or content first), files that are not `.log`, and a `.log` in no logs folder.
    @Test(arguments: [
        ("bundle/logs/node-a/kubelet/kubelet.log", "I1128 10:00:00.000000    1234 kubelet.go:100] started\n", FileKind.kubeletLog),
        ("bundle/logs/node-a/var/syslog.log", "Nov 28 10:00:00 node-a kernel: [  1.000000] Linux version 5.15\n", FileKind.nodeLog),
    ])
    func leavesNodeLogsInLogsFoldersToTheirRules(path: String, text: String, kind: FileKind) {
        #expect(Self.verdict(path, text) == .parse(kind))
    }

    @Test(arguments: [
        "bundle/logs/default/web-5d9/app.txt",
        "bundle/extra/web-5d9/app.log",
        "bundle/app.log",
        // Not kubelet's link name: the id is not 64 hex digits, or a piece is missing.
        "var/log/containers/web-5d9_default_app-0123.log",
        "var/log/containers/web-5d9_app-\(id).log",
    ])
    func skipsLogsOutsideTheLayouts(path: String) {
        #expect(Self.verdict(path, Self.appLine) == .skip(reason: "not a format oomlens reads"))
    }
}
