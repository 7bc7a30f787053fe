/// Turns the event stream of API objects (JSON or YAML) into `PodFacts`, `NodeFacts` and observations,
/// one object at a time, keeping only the fields oomlens needs.
///
/// Objects are recognised wherever bundles put them:
///
///     {"kind":"PodList","apiVersion":"v1","metadata":{…},"items":[{…pod…},…]}   troubleshoot (new), EventList, NodeList
///     {"apiVersion":"v1","items":[…],"kind":"List","metadata":{"resourceVersion":""}}   kubectl get -o json
///     [{"metadata":{…},"spec":{"containers":[…]},"status":{…}}, …]                 troubleshoot (old): no kind
///     {"type":"MODIFIED","object":{…}}                                              watch streams, one per line
///     {"_comment": "…", "event": {"metadata": {…}, "involvedObject": {…}, "reason": "BackOff", …}}
///
/// A *candidate* is an object that may be an API object: a top-level value, an element of a
/// top-level array, an element of `items`, the `object` of a watch event, or an object (or array of
/// objects) under an unknown key of a top-level wrapper that shows no API fields itself. Each open
/// candidate gathers an `APIObjectFields`; when it closes its kind is decided (`kind`, or the shape:
/// `spec.containers`/`status.containerStatuses` → Pod, `involvedObject`/`regarding` + `reason` →
/// Event, `status.nodeInfo`/`capacity`/`allocatable` → Node), it is emitted and then dropped.
/// Objects of other kinds are skipped (their scalars are not even read once `kind` says so) and counted.
struct APIObjectBuilder: JSONEventConsumer {
    private enum Role {
        case root, item, watched, wrapped
    }

    private struct Candidate {
        /// The path depth at which the object began; its own component is at this index.
        var base: Int
        var line: Int
        var role: Role
        var fields = APIObjectFields()
        var hadChild = false
        /// A key of a Pod/Event/Node was seen at its top: not a mere wrapper.
        var hasObjectKeys = false
        /// `kind` named something this builder does not read: skip its scalars.
        var skipScalars = false
    }

    let context: ParseContext
    /// What was built so far; drained by the parser after each block.
    var output = ParseOutput()
    /// Objects emitted, and objects of other kinds skipped (by kind; `(no kind)` for unknown list items).
    private(set) var objectsRead = 0
    private(set) var skippedKinds: [String: Int] = [:]

    private var stack: [Candidate] = []
    private var pending: APIField?
    private var labelKey: String?

    init(context: ParseContext) {
        self.context = context
    }

    // MARK: - Events

    mutating func beginObject(at path: JSONPath, line: Int) {
        let d = path.depth
        guard let top = stack.indices.last else {
            if d == 0 {
                push(base: 0, line: line, role: .root)
            } else if d == 1, path.isArray(at: 0) {
                push(base: 1, line: line, role: .item)
            }
            return
        }
        let base = stack[top].base
        let r = d - base
        if r == 1 {
            let k = key(path, base)
            if k == .object {
                push(base: d, line: line, role: .watched)
                return
            }
            if k == .other, isWrapper(top) {
                push(base: d, line: line, role: .wrapped)
                return
            }
        } else if r == 2, path.isArray(at: base + 1) {
            let k = key(path, base)
            if k == .items || (k == .other && isWrapper(top)) {
                push(base: d, line: line, role: k == .items ? .item : .wrapped)
                return
            }
        }
        guard !stack[top].skipScalars, r >= 1, r <= 5 else { return }
        if let mark = Self.mark(path, base, r) { stack[top].fields.began(mark, line: line) }
        if r == 1 {
            switch key(path, base) {
            case .involvedObject: stack[top].fields.hasInvolvedObject = true
            case .regarding:
                stack[top].fields.hasInvolvedObject = true
                stack[top].fields.isEventsV1 = true
            default: break
            }
        } else if r == 2, key(path, base) == .status {
            switch key(path, base + 1) {
            case .nodeInfo, .capacity, .allocatable: stack[top].fields.hasNodeShape = true
            default: break
            }
        }
    }

    mutating func endObject(at path: JSONPath, line: Int) {
        guard let top = stack.indices.last, stack[top].base == path.depth else { return }
        let candidate = stack.removeLast()
        if let parent = stack.indices.last { stack[parent].hadChild = true }
        finish(candidate)
    }

    mutating func beginArray(at path: JSONPath, line: Int) {
        guard let top = stack.indices.last, !stack[top].skipScalars else { return }
        let base = stack[top].base
        let r = path.depth - base
        if r == 1 {
            if key(path, base) == .items { stack[top].fields.hasItems = true }
        } else if r == 2 {
            switch (key(path, base), key(path, base + 1)) {
            case (.spec, .containers), (.status, .containerStatuses): stack[top].fields.hasPodShape = true
            default: break
            }
        }
    }

    mutating func endArray(at path: JSONPath, line: Int) {}

    mutating func key(_ bytes: UnsafeRawBufferPointer, in path: JSONPath) -> UInt16 {
        let id = APIKey.id(of: bytes)
        guard let top = stack.indices.last else { return id }
        let base = stack[top].base
        let d = path.depth
        if d == base + 1 {
            switch APIKey(rawValue: id) ?? .other {
            case .metadata, .spec, .status, .involvedObject, .regarding, .reason, .note:
                stack[top].hasObjectKeys = true
            case .deprecatedSource, .deprecatedCount, .deprecatedFirstTimestamp, .deprecatedLastTimestamp:
                stack[top].hasObjectKeys = true
                stack[top].fields.isEventsV1 = true
            default: break
            }
        } else if d == base + 3, key(path, base) == .metadata, key(path, base + 1) == .labels {
            // Node labels: kept unless the object is already known to be something else.
            let kind = stack[top].fields.kind
            labelKey = kind == nil || kind == "Node" ? bytes.string : nil
        }
        return id
    }

    mutating func wantsScalar(at path: JSONPath) -> Bool {
        pending = nil
        guard let top = stack.indices.last, !stack[top].skipScalars else { return false }
        pending = field(path, stack[top].base)
        return pending != nil
    }

    mutating func scalar(_ value: JSONScalar, at path: JSONPath, line: Int) {
        guard let field = pending, let top = stack.indices.last else { return }
        pending = nil
        guard value.kind != .null else { return }
        stack[top].fields.set(field, value, line: line, labelKey: labelKey)
        if case .kind = field, let kind = stack[top].fields.kind, !Self.isRead(kind) {
            stack[top].skipScalars = true
        }
    }

    // MARK: - Candidates

    private mutating func push(base: Int, line: Int, role: Role) {
        if let parent = stack.indices.last { stack[parent].hadChild = true }
        stack.append(Candidate(base: base, line: line, role: role))
    }

    /// A top-level object that so far looks like a wrapper around API objects, not one itself.
    private func isWrapper(_ index: Int) -> Bool {
        let c = stack[index]
        return c.role == .root && !c.hasObjectKeys && c.fields.kind == nil
    }

    /// Kinds whose fields are read (lists included: their items are candidates of their own).
    private static func isRead(_ kind: String) -> Bool {
        kind == "Pod" || kind == "Event" || kind == "Node" || kind.hasSuffix("List")
    }

    private mutating func finish(_ candidate: Candidate) {
        let f = candidate.fields
        let location = context.location(candidate.line)
        var emitted = true
        switch f.kind {
        case "Pod"?: emitted = f.emitPod(at: location, context: context, into: &output)
        case "Event"?: emitted = f.emitEvent(at: location, context: context, into: &output)
        case "Node"?: emitted = f.emitNode(at: location, context: context, into: &output)
        case let kind? where kind.hasSuffix("List"):
            return
        case let kind?:
            skippedKinds[kind, default: 0] += 1
            return
        case nil:
            if f.hasPodShape {
                emitted = f.emitPod(at: location, context: context, into: &output)
            } else if f.hasInvolvedObject, f.eventReason != nil {
                emitted = f.emitEvent(at: location, context: context, into: &output)
            } else if f.hasNodeShape {
                emitted = f.emitNode(at: location, context: context, into: &output)
            } else {
                if candidate.role == .item, !candidate.hadChild, !f.hasItems {
                    skippedKinds["(no kind)", default: 0] += 1
                }
                return
            }
        }
        if emitted { objectsRead += 1 }
    }

    // MARK: - Paths

    @inline(__always)
    private func key(_ path: JSONPath, _ position: Int) -> APIKey {
        guard let id = path.key(at: position) else { return .other }
        return APIKey(rawValue: id) ?? .other
    }

    @inline(__always)
    private func index(_ path: JSONPath, _ position: Int) -> Int? {
        guard path.isArray(at: position) else { return nil }
        return path[position].index
    }

    /// The tracked object an object beginning at `path` is, `r` levels below the candidate at `base`.
    private static func mark(_ path: JSONPath, _ base: Int, _ r: Int) -> APIObjectMark? {
        func key(_ i: Int) -> APIKey { APIKey(rawValue: path.key(at: base + i) ?? 0) ?? .other }
        guard r == 3 || r == 5, key(0) == .status, path.isArray(at: base + 2) else { return nil }
        let i = path[base + 2].index
        let k1 = key(1)
        if r == 3 {
            switch k1 {
            case .containerStatuses, .initContainerStatuses: return .containerStatus(isInit: k1 == .initContainerStatuses, i)
            case .conditions: return .condition(i)
            default: return nil
            }
        }
        guard k1 == .containerStatuses || k1 == .initContainerStatuses else { return nil }
        let isInit = k1 == .initContainerStatuses
        switch (key(3), key(4)) {
        case (.state, .running): return .state(isInit: isInit, i, .running)
        case (.state, .waiting): return .state(isInit: isInit, i, .waiting)
        case (.state, .terminated): return .state(isInit: isInit, i, .terminated)
        case (.lastState, .terminated): return .lastTerminated(isInit: isInit, i)
        default: return nil
        }
    }

    /// The field a scalar at `path` fills, for the candidate whose own component is at `base`.
    private func field(_ path: JSONPath, _ base: Int) -> APIField? {
        let r = path.depth - base
        guard r >= 1 else { return nil }
        switch key(path, base) {
        case .kind: return r == 1 ? .kind : nil
        case .apiVersion: return r == 1 ? .apiVersion : nil
        case .metadata:
            switch r {
            case 2:
                switch key(path, base + 1) {
                case .name: return .name
                case .namespace: return .namespace
                case .uid: return .uid
                default: return nil
                }
            case 3:
                switch key(path, base + 1) {
                case .annotations: return key(path, base + 2) == .configHash ? .configHash : nil
                case .labels: return labelKey != nil ? .label : nil
                default: return nil
                }
            case 4:
                guard key(path, base + 1) == .ownerReferences, let i = index(path, base + 2) else { return nil }
                switch key(path, base + 3) {
                case .kind: return .ownerKind(i)
                case .name: return .ownerName(i)
                case .controller: return .ownerController(i)
                default: return nil
                }
            default: return nil
            }
        case .spec:
            if r == 2 {
                switch key(path, base + 1) {
                case .nodeName: return .nodeName
                case .priorityClassName: return .priorityClassName
                default: return nil
                }
            }
            let k1 = key(path, base + 1)
            guard r == 4 || r == 6, k1 == .containers || k1 == .initContainers, let i = index(path, base + 2)
            else { return nil }
            let isInit = k1 == .initContainers
            if r == 4 {
                switch key(path, base + 3) {
                case .name: return .containerName(isInit: isInit, i)
                case .image: return .containerImage(isInit: isInit, i)
                default: return nil
                }
            }
            guard key(path, base + 3) == .resources, key(path, base + 5) == .memory else { return nil }
            switch key(path, base + 4) {
            case .requests: return .memoryRequest(isInit: isInit, i)
            case .limits: return .memoryLimit(isInit: isInit, i)
            default: return nil
            }
        case .status:
            return statusField(path, base, r)
        case .involvedObject, .regarding:
            guard r == 2 else { return nil }
            let k = key(path, base + 1)
            switch k {
            case .kind, .namespace, .name, .uid, .fieldPath: return .involved(k)
            default: return nil
            }
        case .reason: return r == 1 ? .eventReason : nil
        case .message, .note: return r == 1 ? .eventMessage : nil
        case .firstTimestamp, .deprecatedFirstTimestamp: return r == 1 ? .firstTimestamp : nil
        case .lastTimestamp, .deprecatedLastTimestamp: return r == 1 ? .lastTimestamp : nil
        case .eventTime: return r == 1 ? .eventTime : nil
        case .count, .deprecatedCount: return r == 1 ? .count : nil
        case .series:
            guard r == 2 else { return nil }
            switch key(path, base + 1) {
            case .count: return .seriesCount
            case .lastObservedTime: return .seriesLastObserved
            default: return nil
            }
        case .source, .deprecatedSource:
            return r == 2 && key(path, base + 1) == .host ? .sourceHost : nil
        case .reportingComponent, .reportingController: return r == 1 ? .reportingComponent : nil
        case .reportingInstance: return r == 1 ? .reportingInstance : nil
        default: return nil
        }
    }

    private func statusField(_ path: JSONPath, _ base: Int, _ r: Int) -> APIField? {
        let k1 = key(path, base + 1)
        switch r {
        case 2:
            switch k1 {
            case .phase: return .phase
            case .reason: return .podReason
            case .message: return .podMessage
            case .qosClass: return .qosClass
            default: return nil
            }
        case 3:
            guard key(path, base + 2) == .memory else { return nil }
            switch k1 {
            case .capacity: return .capacityMemory
            case .allocatable: return .allocatableMemory
            default: return nil
            }
        case 4:
            guard let i = index(path, base + 2) else { return nil }
            let k3 = key(path, base + 3)
            switch k1 {
            case .conditions:
                switch k3 {
                case .type, .status, .lastTransitionTime, .reason, .message: return .condition(i, k3)
                default: return nil
                }
            case .containerStatuses, .initContainerStatuses:
                switch k3 {
                case .name, .containerID, .image, .restartCount:
                    return .statusField(isInit: k1 == .initContainerStatuses, i, k3)
                default: return nil
                }
            default: return nil
            }
        case 6:
            guard k1 == .containerStatuses || k1 == .initContainerStatuses, let i = index(path, base + 2) else {
                return nil
            }
            let isInit = k1 == .initContainerStatuses
            let k5 = key(path, base + 5)
            switch (key(path, base + 3), key(path, base + 4)) {
            case (.state, .waiting):
                return k5 == .reason || k5 == .message ? .waiting(isInit: isInit, i, k5) : nil
            case (.state, .terminated), (.lastState, .terminated):
                switch k5 {
                case .containerID, .exitCode, .reason, .message, .startedAt, .finishedAt:
                    return .terminated(isInit: isInit, i, isLast: key(path, base + 3) == .lastState, k5)
                default: return nil
                }
            default: return nil
            }
        default: return nil
        }
    }

    // MARK: - Output

    /// Moves what was built into `target`.
    mutating func drain(into target: inout ParseOutput) {
        guard !output.observations.isEmpty || !output.pods.isEmpty || !output.nodes.isEmpty
            || !output.diagnostics.isEmpty
        else { return }
        target.append(contentsOf: output)
        output = ParseOutput()
    }

    /// One note naming the objects of other kinds that were skipped, if any.
    func skippedNote() -> Diagnostic? {
        guard !skippedKinds.isEmpty else { return nil }
        let total = skippedKinds.values.reduce(0, +)
        let kinds = skippedKinds.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(6).map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        return Diagnostic(.note, file: context.path, "skipped \(total) object(s) of kinds not read here: \(kinds)"
                                                       + (skippedKinds.count > 6 ? ", …" : ""))
    }
}
