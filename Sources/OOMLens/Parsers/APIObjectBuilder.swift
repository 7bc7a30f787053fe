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

    /// An open candidate. Only plain values, so reading one never copies reference-counted storage;
    /// the innermost candidate's fields live in `current`, outer ones wait in `suspended`.
    private struct Candidate {
        /// The path depth at which the object began; its own component is at this index.
        var base: Int
        var line: Int
        var role: Role
        var hasKind = false
        var hadChild = false
        /// A key of a Pod/Event/Node was seen at its top: not a mere wrapper.
        var hasObjectKeys = false
        /// `kind` named something this builder does not read: skip its scalars.
        var skipScalars = false
    }

    let context: ParseContext
    /// What was built so far: the JSON parser lends the caller's output here for each block; the YAML
    /// parser drains it after each piece (`drain(into:)`).
    var output = ParseOutput()
    /// Objects emitted, and objects of other kinds skipped (by kind; `(no kind)` for unknown list items).
    private(set) var objectsRead = 0
    private(set) var skippedKinds: [String: Int] = [:]

    /// The innermost open candidate, nil when none is open. Kept out of `outerCandidates`: every key,
    /// scalar and object event reads it, and through the array each read was a bounds check and
    /// each flag set a uniqueness check.
    private var top: Candidate?
    /// The outer open candidates, outermost first.
    private var outerCandidates: [Candidate] = []
    /// The fields of the innermost open candidate.
    private var current = APIObjectFields()
    /// The fields of the outer open candidates, innermost last.
    private var suspended: [APIObjectFields] = []
    /// The fields of the last object emitted, emptied (`APIObjectFields.emptied`) for the next
    /// candidate: its arrays keep their storage, so a PodList's pods do not allocate and free five
    /// arrays apiece.
    private var spare = APIObjectFields()
    private var pending: APIField?
    private var labelKey: String?
    /// Recent values of fields that repeat across objects (see `APIObjectFields.set`).
    private var strings = ByteStringCache(capacity: 32)

    init(context: ParseContext) {
        self.context = context
    }

    // MARK: - Events

    mutating func beginObject(at path: JSONPath, line: Int) {
        let d = path.depth
        guard let candidate = top else {
            if d == 0 {
                push(base: 0, line: line, role: .root)
            } else if d == 1, path.isArray(at: 0) {
                push(base: 1, line: line, role: .item)
            }
            return
        }
        let base = candidate.base
        let r = d &- base
        if r == 1 {
            let k = Self.key(path, base)
            if k == .object {
                push(base: d, line: line, role: .watched)
                return
            }
            if k == .other, Self.isWrapper(candidate) {
                push(base: d, line: line, role: .wrapped)
                return
            }
        } else if r == 2, path.isArray(at: base &+ 1) {
            let k = Self.key(path, base)
            if k == .items || (k == .other && Self.isWrapper(candidate)) {
                push(base: d, line: line, role: k == .items ? .item : .wrapped)
                return
            }
        }
        guard !candidate.skipScalars, r >= 1, r <= 5 else { return }
        if let mark = Self.mark(path, base, r) { current.began(mark, line: line) }
        if r == 1 {
            switch Self.key(path, base) {
            case .involvedObject: current.hasInvolvedObject = true
            case .regarding:
                current.hasInvolvedObject = true
                current.isEventsV1 = true
            default: break
            }
        } else if r == 2, Self.key(path, base) == .status {
            switch Self.key(path, base &+ 1) {
            case .nodeInfo, .capacity, .allocatable: current.hasNodeShape = true
            default: break
            }
        }
    }

    mutating func endObject(at path: JSONPath, line: Int) {
        guard let candidate = top, candidate.base == path.depth else { return }
        top = outerCandidates.popLast()
        // Moved out, not copied: a copy would retain every field and the reassignment release them.
        var fields = suspended.popLast() ?? APIObjectFields()
        swap(&fields, &current)
        top?.hadChild = true
        finish(candidate, fields)
        spare = fields.emptied()
    }

    mutating func beginArray(at path: JSONPath, line: Int) {
        guard let candidate = top, !candidate.skipScalars else { return }
        let base = candidate.base
        let r = path.depth &- base
        if r == 1 {
            if Self.key(path, base) == .items { current.hasItems = true }
        } else if r == 2 {
            switch (Self.key(path, base), Self.key(path, base &+ 1)) {
            case (.spec, .containers), (.status, .containerStatuses): current.hasPodShape = true
            default: break
            }
        }
    }

    mutating func endArray(at path: JSONPath, line: Int) {}

    /// Names the key, and declines (`JSONPath.skipValue`) every subtree no field comes from —
    /// `managedFields`, volumes, env, probes, node images… — so the scanner passes over them unread.
    ///
    /// Called for every key the scanner reads (~130 per pod), so it is one function: the key is
    /// named inline, and each depth below the candidate looks up only the path components its
    /// decision depends on.
    mutating func key(_ bytes: UnsafeRawBufferPointer, in path: JSONPath) -> UInt16 {
        let k = APIKey.key(bytes)
        guard let candidate = top else { return k.rawValue }
        let base = candidate.base
        let r = path.depth &- base
        let kept: Bool
        switch r {
        case 1:
            if candidate.skipScalars { return JSONPath.skipValue }
            switch k {
            case .metadata, .spec, .status, .involvedObject, .regarding, .reason, .note:
                top?.hasObjectKeys = true
            case .deprecatedSource, .deprecatedCount, .deprecatedFirstTimestamp, .deprecatedLastTimestamp:
                top?.hasObjectKeys = true
                current.isEventsV1 = true
            case .other:
                // Unknown keys of a top-level wrapper may hold API objects; elsewhere they are noise.
                if !Self.isWrapper(candidate) { return JSONPath.skipValue }
            default: break
            }
            return k.rawValue
        case 2:
            // Under the candidate's own key (`metadata`, `spec`, `status` …).
            switch Self.key(path, base) {
            case .metadata:
                switch k {
                case .labels:
                    // Only a Node's labels are read: another kind's are passed over whole, unread.
                    if let kind = current.kind, kind != "Node" { return JSONPath.skipValue }
                    kept = true
                case .name, .namespace, .uid, .annotations, .ownerReferences: kept = true
                default: kept = false
                }
            case .spec:
                switch k {
                case .nodeName, .priorityClassName, .containers, .initContainers: kept = true
                default: kept = false
                }
            case .status:
                switch k {
                case .nodeInfo:
                    current.hasNodeShape = true
                    kept = false
                case .capacity, .allocatable:
                    current.hasNodeShape = true
                    kept = true
                case .phase, .reason, .message, .qosClass, .conditions, .containerStatuses, .initContainerStatuses:
                    kept = true
                default: kept = false
                }
            default:
                kept = true
            }
        case 3:
            guard Self.key(path, base) == .metadata else { return k.rawValue }
            switch Self.key(path, base &+ 1) {
            case .labels:
                // Node labels: kept unless the object is already known to be something else.
                let kind = current.kind
                labelKey = kind == nil || kind == "Node" ? bytes.string : nil
                return labelKey == nil ? JSONPath.skipValue : k.rawValue
            case .annotations: kept = k == .configHash
            default: kept = true
            }
        case 4:
            guard path.isArray(at: base &+ 2) else { return k.rawValue }
            switch (Self.key(path, base), Self.key(path, base &+ 1)) {
            case (.spec, .containers), (.spec, .initContainers):
                kept = k == .name || k == .image || k == .resources
            case (.status, .containerStatuses), (.status, .initContainerStatuses):
                switch k {
                case .name, .containerID, .image, .restartCount, .state, .lastState: kept = true
                default: kept = false
                }
            case (.metadata, .ownerReferences):
                kept = k == .kind || k == .name || k == .controller
            default:
                kept = true
            }
        case 5:
            guard path.isArray(at: base &+ 2) else { return k.rawValue }
            switch (Self.key(path, base), Self.key(path, base &+ 3)) {
            case (.spec, .resources): kept = k == .requests || k == .limits
            case (.status, .state), (.status, .lastState): kept = k == .terminated || k == .waiting || k == .running
            default: kept = true
            }
        default:
            kept = true
        }
        return kept ? k.rawValue : JSONPath.skipValue
    }

    mutating func wantsScalar(at path: JSONPath) -> Bool {
        pending = nil
        guard let candidate = top, !candidate.skipScalars else { return false }
        pending = Self.field(path, candidate.base, labelKey: labelKey)
        return pending != nil
    }

    mutating func scalar(_ value: JSONScalar, at path: JSONPath, line: Int) {
        guard let field = pending, top != nil else { return }
        pending = nil
        guard value.kind != .null else { return }
        current.set(field, value, line: line, labelKey: labelKey, strings: &strings)
        if case .kind = field, let kind = current.kind {
            top?.hasKind = true
            if !Self.isRead(kind) { top?.skipScalars = true }
        }
    }

    // MARK: - Candidates

    private mutating func push(base: Int, line: Int, role: Role) {
        if var parent = top {
            parent.hadChild = true
            outerCandidates.append(parent)
            // Moved, not copied: appending `current` and then replacing it retained every field of
            // the parent (a PodList's, once per pod) only to release them again.
            var parentFields = APIObjectFields()
            swap(&parentFields, &spare)
            swap(&parentFields, &current)
            suspended.append(parentFields)
        }
        top = Candidate(base: base, line: line, role: role)
    }

    /// A top-level object that so far looks like a wrapper around API objects, not one itself.
    private static func isWrapper(_ c: Candidate) -> Bool {
        c.role == .root && !c.hasObjectKeys && !c.hasKind
    }

    /// Kinds whose fields are read (lists included: their items are candidates of their own).
    static func isRead(_ kind: String) -> Bool {
        kind == "Pod" || kind == "Event" || kind == "Node" || kind.hasSuffix("List")
    }

    private mutating func finish(_ candidate: Candidate, _ f: APIObjectFields) {
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
    //
    // Positions in a path are below its depth (at most `maxDepth`), so the offsets from a
    // candidate's base and the depth below it are computed with wrapping operators (`&+`, `&-`):
    // a few hundred lookups per pod, each without an overflow check.

    @inline(__always)
    private static func key(_ path: JSONPath, _ position: Int) -> APIKey {
        guard let id = path.key(at: position) else { return .other }
        return APIKey(id: id)
    }

    @inline(__always)
    private static func index(_ path: JSONPath, _ position: Int) -> Int? {
        guard path.isArray(at: position) else { return nil }
        return path[position].index
    }

    /// The tracked object an object beginning at `path` is, `r` levels below the candidate at `base`.
    private static func mark(_ path: JSONPath, _ base: Int, _ r: Int) -> APIObjectMark? {
        func key(_ i: Int) -> APIKey { APIKey(id: path.key(at: base + i) ?? 0) }
        guard r == 3 || r == 5, key(0) == .status, path.isArray(at: base &+ 2) else { return nil }
        let i = path[base &+ 2].index
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
    private static func field(_ path: JSONPath, _ base: Int, labelKey: String?) -> APIField? {
        let r = path.depth &- base
        guard r >= 1 else { return nil }
        switch Self.key(path, base) {
        case .kind: return r == 1 ? .kind : nil
        case .apiVersion: return r == 1 ? .apiVersion : nil
        case .metadata:
            switch r {
            case 2:
                switch Self.key(path, base &+ 1) {
                case .name: return .name
                case .namespace: return .namespace
                case .uid: return .uid
                default: return nil
                }
            case 3:
                switch Self.key(path, base &+ 1) {
                case .annotations: return Self.key(path, base &+ 2) == .configHash ? .configHash : nil
                case .labels: return labelKey != nil ? .label : nil
                default: return nil
                }
            case 4:
                guard Self.key(path, base &+ 1) == .ownerReferences, let i = Self.index(path, base &+ 2) else { return nil }
                switch Self.key(path, base &+ 3) {
                case .kind: return .ownerKind(i)
                case .name: return .ownerName(i)
                case .controller: return .ownerController(i)
                default: return nil
                }
            default: return nil
            }
        case .spec:
            if r == 2 {
                switch Self.key(path, base &+ 1) {
                case .nodeName: return .nodeName
                case .priorityClassName: return .priorityClassName
                default: return nil
                }
            }
            let k1 = Self.key(path, base &+ 1)
            guard r == 4 || r == 6, k1 == .containers || k1 == .initContainers, let i = Self.index(path, base &+ 2)
            else { return nil }
            let isInit = k1 == .initContainers
            if r == 4 {
                switch Self.key(path, base &+ 3) {
                case .name: return .containerName(isInit: isInit, i)
                case .image: return .containerImage(isInit: isInit, i)
                default: return nil
                }
            }
            guard Self.key(path, base &+ 3) == .resources, Self.key(path, base &+ 5) == .memory else { return nil }
            switch Self.key(path, base &+ 4) {
            case .requests: return .memoryRequest(isInit: isInit, i)
            case .limits: return .memoryLimit(isInit: isInit, i)
            default: return nil
            }
        case .status:
            return statusField(path, base, r)
        case .involvedObject, .regarding:
            guard r == 2 else { return nil }
            let k = Self.key(path, base &+ 1)
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
            switch Self.key(path, base &+ 1) {
            case .count: return .seriesCount
            case .lastObservedTime: return .seriesLastObserved
            default: return nil
            }
        case .source, .deprecatedSource:
            return r == 2 && Self.key(path, base &+ 1) == .host ? .sourceHost : nil
        case .reportingComponent, .reportingController: return r == 1 ? .reportingComponent : nil
        case .reportingInstance: return r == 1 ? .reportingInstance : nil
        default: return nil
        }
    }

    private static func statusField(_ path: JSONPath, _ base: Int, _ r: Int) -> APIField? {
        let k1 = Self.key(path, base &+ 1)
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
            guard Self.key(path, base &+ 2) == .memory else { return nil }
            switch k1 {
            case .capacity: return .capacityMemory
            case .allocatable: return .allocatableMemory
            default: return nil
            }
        case 4:
            guard let i = Self.index(path, base &+ 2) else { return nil }
            let k3 = Self.key(path, base &+ 3)
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
            guard k1 == .containerStatuses || k1 == .initContainerStatuses, let i = Self.index(path, base &+ 2) else {
                return nil
            }
            let isInit = k1 == .initContainerStatuses
            let k5 = Self.key(path, base &+ 5)
            switch (Self.key(path, base &+ 3), Self.key(path, base &+ 4)) {
            case (.state, .waiting):
                return k5 == .reason || k5 == .message ? .waiting(isInit: isInit, i, k5) : nil
            case (.state, .terminated), (.lastState, .terminated):
                switch k5 {
                case .containerID, .exitCode, .reason, .message, .startedAt, .finishedAt:
                    return .terminated(isInit: isInit, i, isLast: Self.key(path, base &+ 3) == .lastState, k5)
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
        var built = ParseOutput()
        swap(&built, &output)
        target.append(contentsOf: consume built)
    }

    /// Counts a List item of a kind not read here that was passed over without its events (what
    /// replaying it would have counted).
    mutating func countSkippedItem(kind: String) {
        skippedKinds[kind, default: 0] += 1
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
