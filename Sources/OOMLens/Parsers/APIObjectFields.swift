/// The few fields of one Pod, Event or Node object that oomlens keeps, gathered while the object streams by.
///
/// Which kind the object is may only be known at its end (`kind` sorts after `count` and
/// `involvedObject` in `kubectl` output, and old troubleshoot arrays have no `kind` at all), so the
/// fields of all three kinds share one accumulator; their paths do not overlap. Lines are where the
/// object, container status, `terminated`/`waiting` state or condition began.
struct APIObjectFields {
    struct Owner {
        var kind: String?
        var name: String?
        var controller = false
    }

    struct ContainerSpec {
        var name: String?
        var image: String?
        var memoryRequest: Int64?
        var memoryLimit: Int64?
    }

    struct Terminated {
        var line: Int?
        var containerID: String?
        var exitCode: Int?
        var reason: String?
        var message: String?
        var startedAt: String?
        var finishedAt: String?
    }

    struct ContainerStatus {
        var line: Int?
        var name: String?
        var containerID: String?
        var image: String?
        var restartCount: Int?
        /// `running`, `waiting` or `terminated`: the key under `state`.
        var stateKey: String?
        var waitingLine: Int?
        var waitingReason: String?
        var waitingMessage: String?
        var current: Terminated?
        var last: Terminated?
    }

    /// One entry of `status.conditions`, its texts as ranges of `conditionText`.
    ///
    /// A pod's five conditions (`{"type":"PodScheduled","status":"True","lastProbeTime":null,
    /// "lastTransitionTime":"2024-02-20T13:00:00Z"}`) are read only when the pod was evicted (its
    /// `DisruptionTarget`), a node's always; which of the two the object is may be known only at its
    /// end, so the texts stay bytes until then instead of becoming fifteen `String`s per pod.
    struct Condition {
        var line: Int?
        var type: Range<Int>?
        var status: Range<Int>?
        var lastTransitionTime: Range<Int>?
        var reason: Range<Int>?
        var message: Range<Int>?
    }

    /// `involvedObject` (core/v1) or `regarding` (events.k8s.io/v1).
    struct ObjectRef {
        var kind: String?
        var namespace: String?
        var name: String?
        var uid: String?
        var fieldPath: String?
    }

    // Every kind.
    var kind: String?
    var name: String?
    var namespace: String?
    var uid: String?
    // Pod.
    var configHash: String?
    var owners: [Owner] = []
    var nodeName: String?
    var priorityClassName: String?
    var containers: [ContainerSpec] = []
    var initContainers: [ContainerSpec] = []
    var phase: String?
    var podReason: String?
    var podMessage: String?
    var qosClass: String?
    var statuses: [ContainerStatus] = []
    var initStatuses: [ContainerStatus] = []
    /// `spec.containers` or `status.containerStatuses` was seen: a pod even without `kind`.
    var hasPodShape = false
    // Pod and Node.
    var conditions: [Condition] = []
    /// The bytes of the conditions' texts, one after another (see `Condition`).
    var conditionText: [UInt8] = []
    // Node.
    var labels: [String: String] = [:]
    var capacityMemory: Int64?
    var allocatableMemory: Int64?
    /// `status.nodeInfo`, `status.capacity` or `status.allocatable` was seen.
    var hasNodeShape = false
    // Event.
    var involved = ObjectRef()
    var hasInvolvedObject = false
    /// `regarding`/`note`/`deprecated…` fields were seen: an events.k8s.io/v1 object.
    var isEventsV1 = false
    var eventReason: String?
    var eventMessage: String?
    var sourceHost: String?
    var reportingComponent: String?
    var reportingInstance: String?
    var firstTimestamp: String?
    var lastTimestamp: String?
    var eventTime: String?
    var seriesLastObserved: String?
    var count: Int?
    var seriesCount: Int?
    // Lists.
    var hasItems = false

    static let maxContainers = 256
    static let maxOwners = 16
    static let maxConditions = 64
    static let maxLabels = 512

    /// Fresh fields that take over these fields' arrays, emptied but with their storage kept.
    ///
    /// Every other field starts anew (`init()`), so nothing of one object can reach the next; only
    /// the arrays' capacity is carried over, for the next object to fill without allocating (up to
    /// what an ordinary pod needs: an odd pod's hundreds of containers or long condition messages
    /// are not held on to).
    consuming func emptied() -> APIObjectFields {
        var next = APIObjectFields()
        Self.hand(&owners, to: &next.owners, keeping: 8)
        Self.hand(&containers, to: &next.containers, keeping: 16)
        Self.hand(&initContainers, to: &next.initContainers, keeping: 16)
        Self.hand(&statuses, to: &next.statuses, keeping: 16)
        Self.hand(&initStatuses, to: &next.initStatuses, keeping: 16)
        Self.hand(&conditions, to: &next.conditions, keeping: 16)
        Self.hand(&conditionText, to: &next.conditionText, keeping: 4096)
        return next
    }

    private static func hand<T>(_ array: inout [T], to target: inout [T], keeping limit: Int) {
        guard array.capacity <= limit else { return }
        array.removeAll(keepingCapacity: true)
        swap(&array, &target)
    }

    /// Stores `value` in `field`; `labelKey` names the label for `.label`.
    ///
    /// Values that repeat from pod to pod (namespace, node, images, owner, container names) come from
    /// `strings`, so that tens of thousands of pods share one `String` for each instead of one apiece.
    mutating func set(
        _ field: APIField, _ value: JSONScalar, line: Int, labelKey: String?, strings: inout ByteStringCache
    ) {
        let bytes = value.bytes
        switch field {
        case .kind: kind = bytes.string
        case .apiVersion:
            // Only its group is read: no `String` per object.
            if bytes.hasPrefix("events.k8s.io/") { isEventsV1 = true }
        case .name: name = bytes.string
        case .namespace: namespace = strings.string(bytes)
        case .uid: uid = bytes.string
        case .configHash: configHash = bytes.string
        case .label:
            if let labelKey, labels.count < Self.maxLabels { labels[labelKey] = bytes.string }
        case .ownerKind(let i): Self.at(&owners, i, Self.maxOwners, Owner()) { $0.kind = strings.string(bytes) }
        case .ownerName(let i): Self.at(&owners, i, Self.maxOwners, Owner()) { $0.name = strings.string(bytes) }
        case .ownerController(let i):
            let yes = value.kind == .true || bytes.matches("true") && bytes.count == 4
            Self.at(&owners, i, Self.maxOwners, Owner()) { $0.controller = yes }
        case .nodeName: nodeName = strings.string(bytes)
        case .priorityClassName: priorityClassName = bytes.string
        case .containerName(let isInit, let i): spec(isInit, i) { $0.name = strings.string(bytes) }
        case .containerImage(let isInit, let i): spec(isInit, i) { $0.image = strings.string(bytes) }
        case .memoryRequest(let isInit, let i): spec(isInit, i) { $0.memoryRequest = Quantity.bytes(bytes) }
        case .memoryLimit(let isInit, let i): spec(isInit, i) { $0.memoryLimit = Quantity.bytes(bytes) }
        case .phase: phase = strings.string(bytes)
        case .podReason: podReason = bytes.string
        case .podMessage: podMessage = bytes.string
        case .qosClass: qosClass = strings.string(bytes)
        case .condition(let i, let key):
            guard i >= 0, i < Self.maxConditions else { break }
            let range = keepConditionText(bytes)
            Self.at(&conditions, i, Self.maxConditions, Condition()) { c in
                switch key {
                case .type: c.type = range
                case .status: c.status = range
                case .lastTransitionTime: c.lastTransitionTime = range
                case .reason: c.reason = range
                case .message: c.message = range
                default: break
                }
            }
        case .statusField(let isInit, let i, let key):
            status(isInit, i) { s in
                switch key {
                case .name: s.name = strings.string(bytes)
                case .containerID: s.containerID = Self.bareContainerID(bytes)
                case .image: s.image = strings.string(bytes)
                case .restartCount: s.restartCount = Self.int(bytes)
                default: break
                }
            }
        case .waiting(let isInit, let i, let key):
            status(isInit, i) { s in
                if key == .reason { s.waitingReason = bytes.string } else { s.waitingMessage = bytes.string }
            }
        case .terminated(let isInit, let i, let isLast, let key):
            status(isInit, i) { s in
                var t = (isLast ? s.last : s.current) ?? Terminated()
                switch key {
                case .containerID: t.containerID = Self.bareContainerID(bytes)
                case .exitCode: t.exitCode = Self.int(bytes)
                case .reason: t.reason = bytes.string
                case .message: t.message = bytes.string
                case .startedAt: t.startedAt = bytes.string
                case .finishedAt: t.finishedAt = bytes.string
                default: break
                }
                if isLast { s.last = t } else { s.current = t }
            }
        case .capacityMemory: capacityMemory = Quantity.bytes(bytes)
        case .allocatableMemory: allocatableMemory = Quantity.bytes(bytes)
        case .involved(let key):
            switch key {
            case .kind: involved.kind = bytes.string
            case .namespace: involved.namespace = bytes.string
            case .name: involved.name = bytes.string
            case .uid: involved.uid = bytes.string
            case .fieldPath: involved.fieldPath = bytes.string
            default: break
            }
        case .eventReason: eventReason = bytes.string
        case .eventMessage: eventMessage = bytes.string
        case .sourceHost: sourceHost = bytes.string
        case .reportingComponent: reportingComponent = bytes.string
        case .reportingInstance: reportingInstance = bytes.string
        case .firstTimestamp: firstTimestamp = bytes.string
        case .lastTimestamp: lastTimestamp = bytes.string
        case .eventTime: eventTime = bytes.string
        case .seriesLastObserved: seriesLastObserved = bytes.string
        case .count: count = Self.int(bytes)
        case .seriesCount: seriesCount = Self.int(bytes)
        }
    }

    /// Records where a tracked object began (a container status, a state, a condition).
    mutating func began(_ mark: APIObjectMark, line: Int) {
        switch mark {
        case .containerStatus(let isInit, let i): status(isInit, i) { $0.line = line }
        case .state(let isInit, let i, let key):
            status(isInit, i) { s in
                s.stateKey = key.text
                switch key {
                case .waiting: s.waitingLine = line
                case .terminated:
                    var t = s.current ?? Terminated()
                    t.line = line
                    s.current = t
                default: break
                }
            }
        case .lastTerminated(let isInit, let i):
            status(isInit, i) { s in
                var t = s.last ?? Terminated()
                t.line = line
                s.last = t
            }
        case .condition(let i): Self.at(&conditions, i, Self.maxConditions, Condition()) { $0.line = line }
        }
    }

    // MARK: - Helpers

    /// Appends a condition's text to `conditionText` and returns where it is.
    private mutating func keepConditionText(_ bytes: UnsafeRawBufferPointer) -> Range<Int> {
        // One allocation for all of a pod's conditions (five take ~200 bytes).
        if conditionText.capacity == 0 { conditionText.reserveCapacity(256) }
        let start = conditionText.count
        conditionText.append(contentsOf: bytes.assumingMemoryBound(to: UInt8.self))
        return start..<conditionText.count
    }

    /// The condition text at `range` (from `Condition`), decoded as UTF-8 (invalid bytes repaired).
    func conditionString(_ range: Range<Int>?) -> String? {
        guard let range else { return nil }
        return conditionText.withUnsafeBytes { UnsafeRawBufferPointer(rebasing: $0[range]).string }
    }

    private mutating func spec(_ isInit: Bool, _ i: Int, _ body: (inout ContainerSpec) -> Void) {
        if isInit {
            Self.at(&initContainers, i, Self.maxContainers, ContainerSpec(), body)
        } else {
            Self.at(&containers, i, Self.maxContainers, ContainerSpec(), body)
        }
    }

    private mutating func status(_ isInit: Bool, _ i: Int, _ body: (inout ContainerStatus) -> Void) {
        if isInit {
            Self.at(&initStatuses, i, Self.maxContainers, ContainerStatus(), body)
        } else {
            Self.at(&statuses, i, Self.maxContainers, ContainerStatus(), body)
        }
    }

    /// Runs `body` on element `i`, growing the array with `empty` up to `limit` elements.
    ///
    /// `empty` is an autoclosure: made only when the array grows, not built and destroyed on each of
    /// the dozens of fields a pod sets per container status and condition. The first element
    /// reserves room for eight: a pod's five conditions otherwise took four allocations (1, 2, 4, 8)
    /// and its two containers and statuses two each.
    private static func at<T>(
        _ array: inout [T], _ i: Int, _ limit: Int, _ empty: @autoclosure () -> T, _ body: (inout T) -> Void
    ) {
        guard i >= 0, i < limit else { return }
        if array.capacity == 0 { array.reserveCapacity(Swift.min(limit, Swift.max(8, i + 1))) }
        while array.count <= i { array.append(empty()) }
        body(&array[i])
    }

    /// An integer written as a JSON number or a string (`137`, `"137"`).
    static func int(_ bytes: UnsafeRawBufferPointer) -> Int? {
        let range = bytes.trimmedRange()
        guard let (value, end) = bytes.readSignedInt(at: range.lowerBound), end == range.upperBound else { return nil }
        return Int(value)
    }

    /// `containerd://<64hex>`, `docker://…`, `cri-o://…` → the bare id.
    ///
    /// One pass over the bytes (the scheme is a dozen bytes in), spaces and tabs trimmed from both
    /// ends and a carriage return from the end, as `trimmedRange` does: the general substring search
    /// and range helpers cost ~850 instructions per call, twice per container status.
    static func bareContainerID(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard let base = bytes.baseAddress else { return nil }
        let n = bytes.count
        @inline(__always) func at(_ i: Int) -> UInt8 { base.load(fromByteOffset: i, as: UInt8.self) }
        var lower = 0
        var i = 0
        while i + 2 < n {
            if at(i) == .colon, at(i + 1) == .slash, at(i + 2) == .slash {
                lower = i + 3
                break
            }
            i += 1
        }
        var upper = n
        while lower < upper, at(lower) == .space || at(lower) == .tab { lower += 1 }
        while upper > lower, at(upper - 1) == .space || at(upper - 1) == .tab || at(upper - 1) == .carriageReturn {
            upper -= 1
        }
        guard lower < upper else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: base + lower, count: upper - lower), as: UTF8.self)
    }
}
