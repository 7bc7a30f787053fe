import Testing
@testable import OOMLens

/// Suggested commands built from hostile names never reach the reader's shell.
@Suite struct ShellCommandTests {
    @Test(arguments: [
        "kubectl describe pod web-5d9-x2x7q -n default",
        "kubectl set resources deployment/web -n shop -c app --limits=memory=192Mi --requests=memory=192Mi",
        "kubectl set resources <workload> -n default -c app --limits=memory=<limit> --requests=memory=<request>",
        "kubectl get pods -A --field-selector spec.nodeName=aks-nodepool1-24207654-vmss000001 -o wide",
        "kubectl -n kube-system logs -l k8s-app=kube-dns --previous",
        "kubectl top pods -A --sort-by=memory",
    ])
    func keepsCommandsMadeOfKubernetesNames(command: String) {
        #expect(ShellCommand.isSafe(command))
    }

    @Test(arguments: [
        "kubectl describe pod x;rm -rf ~ -n default",
        "kubectl describe pod web$(touch pwned) -n default",
        "kubectl describe pod `id` -n default",
        "kubectl describe pod <script>alert(1)</script> -n default",
        "kubectl describe pod x>.bashrc -n default",
        "kubectl describe pod <Node> -n default",
        "kubectl describe pod a|b",
        "kubectl describe pod a&b",
        "kubectl describe pod 'a' -n \"b\"",
        "kubectl describe pod x\nrm -rf ~",
        "kubectl describe pod <unclosed",
        "kubectl describe pod café",
    ])
    func dropsCommandsCarryingShellSyntax(command: String) {
        #expect(!ShellCommand.isSafe(command))
    }
}
