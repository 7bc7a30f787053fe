/// The object keys `APIObjectBuilder` reads in Pod, Event and Node objects (and their lists), as small ids.
///
/// Every other key maps to `other` (0) and is skipped without becoming a `String`. The raw value is
/// the id stored in `JSONPath` components.
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
        // Stored once per container state (`ContainerStatus.stateKey`): literals, because
        // `String(describing:)` goes through reflection and cost 4 % of parsing a large PodList.
        case .running: return "running"
        case .waiting: return "waiting"
        case .terminated: return "terminated"
        default: return String(describing: self)
        }
    }

    /// The key named by `bytes`, or `other`: a switch on length and first byte, then one or two
    /// `memcmp`s — no hashing, no `String`, no reference counting on the hot path.
    static func id(of bytes: UnsafeRawBufferPointer) -> UInt16 { key(bytes).rawValue }

    static func key(_ bytes: UnsafeRawBufferPointer) -> APIKey {
        switch bytes.count {
        case 3:
            switch bytes[0] {
            case UInt8(ascii: "u"):
                if bytes.matches("uid") { return .uid }
            default: break
            }
        case 4:
            switch bytes[0] {
            case UInt8(ascii: "h"):
                if bytes.matches("host") { return .host }
            case UInt8(ascii: "k"):
                if bytes.matches("kind") { return .kind }
            case UInt8(ascii: "n"):
                if bytes.matches("name") { return .name }
                if bytes.matches("note") { return .note }
            case UInt8(ascii: "s"):
                if bytes.matches("spec") { return .spec }
            case UInt8(ascii: "t"):
                if bytes.matches("type") { return .type }
            default: break
            }
        case 5:
            switch bytes[0] {
            case UInt8(ascii: "c"):
                if bytes.matches("count") { return .count }
            case UInt8(ascii: "i"):
                if bytes.matches("image") { return .image }
                if bytes.matches("items") { return .items }
            case UInt8(ascii: "p"):
                if bytes.matches("phase") { return .phase }
            case UInt8(ascii: "s"):
                if bytes.matches("state") { return .state }
            default: break
            }
        case 6:
            switch bytes[0] {
            case UInt8(ascii: "l"):
                if bytes.matches("labels") { return .labels }
                if bytes.matches("limits") { return .limits }
            case UInt8(ascii: "m"):
                if bytes.matches("memory") { return .memory }
            case UInt8(ascii: "o"):
                if bytes.matches("object") { return .object }
            case UInt8(ascii: "r"):
                if bytes.matches("reason") { return .reason }
            case UInt8(ascii: "s"):
                if bytes.matches("status") { return .status }
                if bytes.matches("source") { return .source }
                if bytes.matches("series") { return .series }
            default: break
            }
        case 7:
            switch bytes[0] {
            case UInt8(ascii: "m"):
                if bytes.matches("message") { return .message }
            case UInt8(ascii: "r"):
                if bytes.matches("running") { return .running }
                if bytes.matches("related") { return .related }
            case UInt8(ascii: "w"):
                if bytes.matches("waiting") { return .waiting }
            default: break
            }
        case 8:
            switch bytes[0] {
            case UInt8(ascii: "c"):
                if bytes.matches("capacity") { return .capacity }
            case UInt8(ascii: "e"):
                if bytes.matches("exitCode") { return .exitCode }
            case UInt8(ascii: "m"):
                if bytes.matches("metadata") { return .metadata }
            case UInt8(ascii: "n"):
                if bytes.matches("nodeName") { return .nodeName }
                if bytes.matches("nodeInfo") { return .nodeInfo }
            case UInt8(ascii: "q"):
                if bytes.matches("qosClass") { return .qosClass }
            case UInt8(ascii: "r"):
                if bytes.matches("requests") { return .requests }
            default: break
            }
        case 9:
            switch bytes[0] {
            case UInt8(ascii: "c"):
                if bytes.matches("component") { return .component }
            case UInt8(ascii: "e"):
                if bytes.matches("eventTime") { return .eventTime }
            case UInt8(ascii: "f"):
                if bytes.matches("fieldPath") { return .fieldPath }
            case UInt8(ascii: "l"):
                if bytes.matches("lastState") { return .lastState }
            case UInt8(ascii: "n"):
                if bytes.matches("namespace") { return .namespace }
            case UInt8(ascii: "r"):
                if bytes.matches("resources") { return .resources }
                if bytes.matches("regarding") { return .regarding }
            case UInt8(ascii: "s"):
                if bytes.matches("startedAt") { return .startedAt }
            default: break
            }
        case 10:
            switch bytes[0] {
            case UInt8(ascii: "a"):
                if bytes.matches("apiVersion") { return .apiVersion }
            case UInt8(ascii: "c"):
                if bytes.matches("controller") { return .controller }
                if bytes.matches("containers") { return .containers }
                if bytes.matches("conditions") { return .conditions }
            case UInt8(ascii: "f"):
                if bytes.matches("finishedAt") { return .finishedAt }
            case UInt8(ascii: "t"):
                if bytes.matches("terminated") { return .terminated }
            default: break
            }
        case 11:
            switch bytes[0] {
            case UInt8(ascii: "a"):
                if bytes.matches("annotations") { return .annotations }
                if bytes.matches("allocatable") { return .allocatable }
            case UInt8(ascii: "c"):
                if bytes.matches("containerID") { return .containerID }
            default: break
            }
        case 12:
            switch bytes[0] {
            case UInt8(ascii: "r"):
                if bytes.matches("restartCount") { return .restartCount }
            default: break
            }
        case 13:
            switch bytes[0] {
            case UInt8(ascii: "l"):
                if bytes.matches("lastTimestamp") { return .lastTimestamp }
            default: break
            }
        case 14:
            switch bytes[0] {
            case UInt8(ascii: "f"):
                if bytes.matches("firstTimestamp") { return .firstTimestamp }
            case UInt8(ascii: "i"):
                if bytes.matches("initContainers") { return .initContainers }
                if bytes.matches("involvedObject") { return .involvedObject }
            default: break
            }
        case 15:
            switch bytes[0] {
            case UInt8(ascii: "d"):
                if bytes.matches("deprecatedCount") { return .deprecatedCount }
            case UInt8(ascii: "o"):
                if bytes.matches("ownerReferences") { return .ownerReferences }
            default: break
            }
        case 16:
            switch bytes[0] {
            case UInt8(ascii: "d"):
                if bytes.matches("deprecatedSource") { return .deprecatedSource }
            case UInt8(ascii: "l"):
                if bytes.matches("lastObservedTime") { return .lastObservedTime }
            default: break
            }
        case 17:
            switch bytes[0] {
            case UInt8(ascii: "c"):
                if bytes.matches("containerStatuses") { return .containerStatuses }
            case UInt8(ascii: "p"):
                if bytes.matches("priorityClassName") { return .priorityClassName }
            case UInt8(ascii: "r"):
                if bytes.matches("reportingInstance") { return .reportingInstance }
            default: break
            }
        case 18:
            switch bytes[0] {
            case UInt8(ascii: "l"):
                if bytes.matches("lastTransitionTime") { return .lastTransitionTime }
            case UInt8(ascii: "r"):
                if bytes.matches("reportingComponent") { return .reportingComponent }
            default: break
            }
        case 19:
            switch bytes[0] {
            case UInt8(ascii: "r"):
                if bytes.matches("reportingController") { return .reportingController }
            default: break
            }
        case 21:
            switch bytes[0] {
            case UInt8(ascii: "i"):
                if bytes.matches("initContainerStatuses") { return .initContainerStatuses }
            default: break
            }
        case 23:
            switch bytes[0] {
            case UInt8(ascii: "d"):
                if bytes.matches("deprecatedLastTimestamp") { return .deprecatedLastTimestamp }
            default: break
            }
        case 24:
            switch bytes[0] {
            case UInt8(ascii: "d"):
                if bytes.matches("deprecatedFirstTimestamp") { return .deprecatedFirstTimestamp }
            default: break
            }
        case 25:
            switch bytes[0] {
            case UInt8(ascii: "k"):
                if bytes.matches("kubernetes.io/config.hash") { return .configHash }
            default: break
            }
        default: break
        }
        return .other
    }
}
