import Testing
@testable import OOMLens

@Suite struct PathHintsTests {
    /// sos 4 names, `sosreport-<host>[-<case>]-<YYYY>-<MM>-<DD>-<random>`, and older sos's, hosts with
    /// and without dashes (the first two are real archive names from public sos report write-ups).
    @Test(arguments: [
        ("sosreport-juju-d4c067-1-2025-04-07-chdmwlz", "juju-d4c067-1"),
        ("sosreport-sat64test-123456-2019-03-07-obvjctv", "sat64test"),
        ("sosreport-aks-nodepool1-12345678-vmss000000-01234567-2024-03-14-abcdefg", "aks-nodepool1-12345678-vmss000000"),
        ("sosreport-aks-nodepool1-12345678-vmss000000-2024-03-14-abcdefg", "aks-nodepool1-12345678-vmss000000"),
        ("sosreport-ip-10-0-1-5-2024-03-14-abcdefg.tar.xz!", "ip-10-0-1-5"),
        ("sosreport-node1", "node1"),
        // Older sos: `sosreport-<host>[.<ticket>]-<YYYYMMDDHHMMSS>`.
        ("sosreport-worker3-20160907135234", "worker3"),
        ("sosreport-aks-nodepool1-12345678-vmss000000.01234567-20160907135234", "aks-nodepool1-12345678-vmss000000"),
    ])
    func namesTheHostOfAnSosReport(name: String, host: String) {
        #expect(PathHints.sosreportHost(name) == host)
    }

    @Test func findsTheNodeInBundleLayouts() {
        #expect(PathHints(path: "nodes/aks-nodepool1-1/var/log/syslog").node == "aks-nodepool1-1")
        #expect(PathHints(path: "host-collectors/run-host/aks-user-31415926-vmss000000/journal/kubelet.log").node
            == "aks-user-31415926-vmss000000")
        #expect(PathHints(path: "sosreport-juju-d4c067-1-2025-04-07-chdmwlz/sos_commands/kernel/dmesg").node == "juju-d4c067-1")
        #expect(PathHints(path: "cases/sosreport-aks-nodepool1-12345678-vmss000000-2024-03-14-abcdefg.tar.xz!/sosreport-aks-nodepool1-12345678-vmss000000-2024-03-14-abcdefg/var/log/messages").node
            == "aks-nodepool1-12345678-vmss000000")
        #expect(PathHints(path: "nodes/node-a.tar.gz!/var/log/kern.log").node == "node-a")
        #expect(PathHints(path: "cluster-resources/pods/default.json").node == nil)
    }
}
