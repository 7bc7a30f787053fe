/// A container named by namespace, pod and container name: a dictionary key for grouping incidents.
struct ContainerKey: Hashable {
    var namespace: String
    var pod: String
    var container: String
}
