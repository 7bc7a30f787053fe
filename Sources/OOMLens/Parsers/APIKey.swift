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

    /// The key whose id is `id` (its raw value), or `other` for an id that names none
    /// (`JSONPath.skipValue`).
    ///
    /// The synthesized `init(rawValue:)` was not inlined: a call for each of the ~450 path lookups the
    /// builder makes per pod. Cases are numbered from 0 in declaration order, so an id below `caseCount`
    /// is the case's own tag (checked for every case in `APIKeyTests`).
    @inline(__always)
    init(id: UInt16) {
        self = id < Self.caseCount ? unsafeBitCast(UInt8(truncatingIfNeeded: id), to: APIKey.self) : .other
    }

    /// The number of keys, `other` included: one past the last case (`APIKeyTests` checks it
    /// against `allCases`), a constant where `allCases.count` would be a lazily made array.
    @inline(__always)
    static var caseCount: UInt16 { configHash.rawValue + 1 }

    /// The key named by `bytes`, or `other`: a switch on length and first byte, then one or two
    /// word compares (`spells`) — no hashing, no `String`, no reference counting on the hot path.
    static func id(of bytes: UnsafeRawBufferPointer) -> UInt16 { key(bytes).rawValue }

    static func key(_ bytes: UnsafeRawBufferPointer) -> APIKey {
        // The first byte read straight from memory: `bytes[0]` stayed a call into the standard
        // library here (126,000 calls per 2,000 pods).
        guard let start = bytes.baseAddress, !bytes.isEmpty else { return .other }
        let first = start.load(as: UInt8.self)
        switch bytes.count {
        case 3:
            switch first {
            case UInt8(ascii: "u"):
                if spells(bytes, "uid") { return .uid }
            default: break
            }
        case 4:
            switch first {
            case UInt8(ascii: "h"):
                if spells(bytes, "host") { return .host }
            case UInt8(ascii: "k"):
                if spells(bytes, "kind") { return .kind }
            case UInt8(ascii: "n"):
                if spells(bytes, "name") { return .name }
                if spells(bytes, "note") { return .note }
            case UInt8(ascii: "s"):
                if spells(bytes, "spec") { return .spec }
            case UInt8(ascii: "t"):
                if spells(bytes, "type") { return .type }
            default: break
            }
        case 5:
            switch first {
            case UInt8(ascii: "c"):
                if spells(bytes, "count") { return .count }
            case UInt8(ascii: "i"):
                if spells(bytes, "image") { return .image }
                if spells(bytes, "items") { return .items }
            case UInt8(ascii: "p"):
                if spells(bytes, "phase") { return .phase }
            case UInt8(ascii: "s"):
                if spells(bytes, "state") { return .state }
            default: break
            }
        case 6:
            switch first {
            case UInt8(ascii: "l"):
                if spells(bytes, "labels") { return .labels }
                if spells(bytes, "limits") { return .limits }
            case UInt8(ascii: "m"):
                if spells(bytes, "memory") { return .memory }
            case UInt8(ascii: "o"):
                if spells(bytes, "object") { return .object }
            case UInt8(ascii: "r"):
                if spells(bytes, "reason") { return .reason }
            case UInt8(ascii: "s"):
                if spells(bytes, "status") { return .status }
                if spells(bytes, "source") { return .source }
                if spells(bytes, "series") { return .series }
            default: break
            }
        case 7:
            switch first {
            case UInt8(ascii: "m"):
                if spells(bytes, "message") { return .message }
            case UInt8(ascii: "r"):
                if spells(bytes, "running") { return .running }
                if spells(bytes, "related") { return .related }
            case UInt8(ascii: "w"):
                if spells(bytes, "waiting") { return .waiting }
            default: break
            }
        case 8:
            switch first {
            case UInt8(ascii: "c"):
                if spells(bytes, "capacity") { return .capacity }
            case UInt8(ascii: "e"):
                if spells(bytes, "exitCode") { return .exitCode }
            case UInt8(ascii: "m"):
                if spells(bytes, "metadata") { return .metadata }
            case UInt8(ascii: "n"):
                if spells(bytes, "nodeName") { return .nodeName }
                if spells(bytes, "nodeInfo") { return .nodeInfo }
            case UInt8(ascii: "q"):
                if spells(bytes, "qosClass") { return .qosClass }
            case UInt8(ascii: "r"):
                if spells(bytes, "requests") { return .requests }
            default: break
            }
        case 9:
            switch first {
            case UInt8(ascii: "c"):
                if spells(bytes, "component") { return .component }
            case UInt8(ascii: "e"):
                if spells(bytes, "eventTime") { return .eventTime }
            case UInt8(ascii: "f"):
                if spells(bytes, "fieldPath") { return .fieldPath }
            case UInt8(ascii: "l"):
                if spells(bytes, "lastState") { return .lastState }
            case UInt8(ascii: "n"):
                if spells(bytes, "namespace") { return .namespace }
            case UInt8(ascii: "r"):
                if spells(bytes, "resources") { return .resources }
                if spells(bytes, "regarding") { return .regarding }
            case UInt8(ascii: "s"):
                if spells(bytes, "startedAt") { return .startedAt }
            default: break
            }
        case 10:
            switch first {
            case UInt8(ascii: "a"):
                if spells(bytes, "apiVersion") { return .apiVersion }
            case UInt8(ascii: "c"):
                if spells(bytes, "controller") { return .controller }
                if spells(bytes, "containers") { return .containers }
                if spells(bytes, "conditions") { return .conditions }
            case UInt8(ascii: "f"):
                if spells(bytes, "finishedAt") { return .finishedAt }
            case UInt8(ascii: "t"):
                if spells(bytes, "terminated") { return .terminated }
            default: break
            }
        case 11:
            switch first {
            case UInt8(ascii: "a"):
                if spells(bytes, "annotations") { return .annotations }
                if spells(bytes, "allocatable") { return .allocatable }
            case UInt8(ascii: "c"):
                if spells(bytes, "containerID") { return .containerID }
            default: break
            }
        case 12:
            switch first {
            case UInt8(ascii: "r"):
                if spells(bytes, "restartCount") { return .restartCount }
            default: break
            }
        case 13:
            switch first {
            case UInt8(ascii: "l"):
                if spells(bytes, "lastTimestamp") { return .lastTimestamp }
            default: break
            }
        case 14:
            switch first {
            case UInt8(ascii: "f"):
                if spells(bytes, "firstTimestamp") { return .firstTimestamp }
            case UInt8(ascii: "i"):
                if spells(bytes, "initContainers") { return .initContainers }
                if spells(bytes, "involvedObject") { return .involvedObject }
            default: break
            }
        case 15:
            switch first {
            case UInt8(ascii: "d"):
                if spells(bytes, "deprecatedCount") { return .deprecatedCount }
            case UInt8(ascii: "o"):
                if spells(bytes, "ownerReferences") { return .ownerReferences }
            default: break
            }
        case 16:
            switch first {
            case UInt8(ascii: "d"):
                if spells(bytes, "deprecatedSource") { return .deprecatedSource }
            case UInt8(ascii: "l"):
                if spells(bytes, "lastObservedTime") { return .lastObservedTime }
            default: break
            }
        case 17:
            switch first {
            case UInt8(ascii: "c"):
                if spells(bytes, "containerStatuses") { return .containerStatuses }
            case UInt8(ascii: "p"):
                if spells(bytes, "priorityClassName") { return .priorityClassName }
            case UInt8(ascii: "r"):
                if spells(bytes, "reportingInstance") { return .reportingInstance }
            default: break
            }
        case 18:
            switch first {
            case UInt8(ascii: "l"):
                if spells(bytes, "lastTransitionTime") { return .lastTransitionTime }
            case UInt8(ascii: "r"):
                if spells(bytes, "reportingComponent") { return .reportingComponent }
            default: break
            }
        case 19:
            switch first {
            case UInt8(ascii: "r"):
                if spells(bytes, "reportingController") { return .reportingController }
            default: break
            }
        case 21:
            switch first {
            case UInt8(ascii: "i"):
                if spells(bytes, "initContainerStatuses") { return .initContainerStatuses }
            default: break
            }
        case 23:
            switch first {
            case UInt8(ascii: "d"):
                if spells(bytes, "deprecatedLastTimestamp") { return .deprecatedLastTimestamp }
            default: break
            }
        case 24:
            switch first {
            case UInt8(ascii: "d"):
                if spells(bytes, "deprecatedFirstTimestamp") { return .deprecatedFirstTimestamp }
            default: break
            }
        case 25:
            switch first {
            case UInt8(ascii: "k"):
                if spells(bytes, "kubernetes.io/config.hash") { return .configHash }
            default: break
            }
        default: break
        }
        return .other
    }

    /// Whether `bytes` spells `literal` exactly, in overlapping 8- or 4-byte loads.
    ///
    /// Every load stays inside both buffers, and the loads from a literal fold into constants once
    /// inlined, so a key costs a few compares instead of a call to `memcmp` per candidate.
    @inline(__always)
    private static func spells(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard bytes.count == n, let base = bytes.baseAddress else { return false }
        let text = UnsafeRawPointer(literal.utf8Start)
        if n >= 8 {
            var i = 0
            while i + 8 < n {
                guard base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    == text.loadUnaligned(fromByteOffset: i, as: UInt64.self) else { return false }
                i += 8
            }
            return base.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
                == text.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        }
        if n >= 4 {
            return base.loadUnaligned(as: UInt32.self) == text.loadUnaligned(as: UInt32.self)
                && base.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
                    == text.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
        }
        for i in 0..<n where base.load(fromByteOffset: i, as: UInt8.self) != text.load(fromByteOffset: i, as: UInt8.self) {
            return false
        }
        return true
    }
}
