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

    /// Namespace, pod and container from the paths container logs have in each layout.
    @Test(arguments: [
        ("cluster-resources/pods/logs/default/web-5d9/app-previous.log", "default", "web-5d9", "app", true),
        ("logs/default/web-5d9/app.log", "default", "web-5d9", "app", false),
        ("bundle/logs/kube-system/coredns-5d78c9869d-8x2kp/coredns-previous.log", "kube-system", "coredns-5d78c9869d-8x2kp", "coredns", true),
        ("all-logs/test-pod/nginx.log", nil, "test-pod", "nginx", false),
        ("var/log/pods/oomkiller-test-8138_oomkill-target-pod_b53d7fb0-9151-4f0e-870a-ffbccd16f809/oomkill-target-container/0.log",
         "oomkiller-test-8138", "oomkill-target-pod", "oomkill-target-container", false),
        ("var/log/pods/b53d7fb0-9151-4f0e-870a-ffbccd16f809/oomkill-target-container/0.log", nil, nil, "oomkill-target-container", false),
        ("must-gather.local.1/quay-io-image/namespaces/shop/pods/web-5d9/app/app/logs/previous.log", "shop", "web-5d9", "app", true),
        ("namespaces/shop/pods/web-5d9/app/app/logs/current.log", "shop", "web-5d9", "app", false),
        ("var/log/containers/coredns-5d78c9869d-8x2kp_kube-system_coredns-0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9.log",
         "kube-system", "coredns-5d78c9869d-8x2kp", "coredns", false),
        ("kubeadm/containers-varlogs/web-5d9_default_app-0A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F9.log",
         "default", "web-5d9", "app", false),
        ("nodes/node-a.tar.gz!/var/log/containers/web-5d9_default_app-0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9.log",
         "default", "web-5d9", "app", false),
    ] as [(String, String?, String?, String?, Bool)])
    func namesTheContainerOfAContainerLog(path: String, namespace: String?, pod: String?, container: String?, previous: Bool) {
        let hints = PathHints(path: path)
        #expect(hints.namespace == namespace)
        #expect(hints.pod == pod)
        #expect(hints.container == container)
        #expect(hints.previous == previous)
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
