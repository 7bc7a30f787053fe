/// The object keys `APIObjectBuilder` reads in Pod, Event and Node objects (and their lists), as small ids.
///
/// Every other key maps to `other` (0) and is skipped without becoming a `String`. The raw value is
/// the id `JSONKeyTable` returns, so the order of the cases is the order of `APIKey.table`.
enum APIKey: UInt16, CaseIterable {
    case other = 0
    case kind, apiVersion, metadata, name, namespace, uid, annotations, labels, ownerReferences, controller
    case spec, nodeName, priorityClassName, containers, initContainers, resources, requests, limits, memory, image
    case status, phase, reason, message, qosClass, conditions, type, lastTransitionTime
    case containerStatuses, initContainerStatuses, containerID, restartCount, state, lastState
    case terminated, waiting, running, exitCode, startedAt, finishedAt
    case capacity, allocatable, nodeInfo
    case items, object
    case involvedObject, regarding, fieldPath, note, source, deprecatedSource, host, component
    case firstTimestamp, lastTimestamp, eventTime, count, series, lastObservedTime
    case deprecatedFirstTimestamp, deprecatedLastTimestamp, deprecatedCount
    case reportingComponent, reportingController, reportingInstance, related
    /// `kubernetes.io/config.hash`, the static-pod hash annotation.
    case configHash

    /// The key as it appears in the objects.
    var text: String {
        switch self {
        case .configHash: return "kubernetes.io/config.hash"
        default: return String(describing: self)
        }
    }

    /// Byte lookup for every case but `other`; ids equal raw values.
    static let table = JSONKeyTable(allCases.dropFirst().map(\.text))

    @inline(__always)
    static func id(of bytes: UnsafeRawBufferPointer) -> UInt16 { table.id(of: bytes) }
}
