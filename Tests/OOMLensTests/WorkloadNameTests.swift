import Testing
@testable import OOMLens

/// `Correlator.workload(kind:name:)` reads ASCII names byte by byte and others by Character: both ways
/// must name the same workloads.
@Suite struct WorkloadNameTests {
    @Test(arguments: [
        ("ReplicaSet", "web-5d9f8c7b6", "Deployment/web"),
        ("ReplicaSet", "pay-api-65dd7b9cb4", "Deployment/pay-api"),
        ("ReplicaSet", "web-abcd", "ReplicaSet/web-abcd"),
        ("ReplicaSet", "web-5d9f8c7b6xy", "ReplicaSet/web-5d9f8c7b6xy"),
        ("ReplicaSet", "web-5d9f_c7b6", "ReplicaSet/web-5d9f_c7b6"),
        ("ReplicaSet", "web", "ReplicaSet/web"),
        ("Job", "backup-28374650", "CronJob/backup"),
        ("Job", "backup-", "CronJob/backup"),
        ("Job", "backup-a1", "Job/backup-a1"),
        ("StatefulSet", "db-12345", "StatefulSet/db-12345"),
        // Not ASCII: Unicode letters count, one Character each.
        ("ReplicaSet", "wéb-ÄbcdÉ", "Deployment/wéb"),
        ("Job", "tâche-٣٤٥", "CronJob/tâche"),
        // CR LF is one Character, and neither a letter nor a digit.
        ("ReplicaSet", "web-abcd\r\n", "ReplicaSet/web-abcd\r\n"),
    ])
    func namesTheWorkload(kind: String, name: String, expected: String) {
        #expect(Correlator.workload(kind: kind, name: name) == expected)
    }
}
