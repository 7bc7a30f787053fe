import OOMLens

/// Renders core/v1 Events in the field order of `event-core-v1-backoff.json`: metadata, involvedObject,
/// reason, message, source, firstTimestamp, lastTimestamp, count, type, `eventTime: null`,
/// reportingComponent, reportingInstance. The name is `<object>.<hex UnixNano of first occurrence>`,
/// as the kubelet's recorder names events.
enum EventJSONWriter {
    static func event(_ e: APIEvent, model: ClusterModel) -> JSONValue {
        let nanos = UInt64(max(0, e.first.seconds)) &* 1_000_000_000 &+ UInt64(e.first.nanoseconds)
        var random = StableRandom(seed: model.seed, "event", e.involvedName, e.reason, e.message)
        return .fields([
            ("kind", .string("Event")), ("apiVersion", .string("v1")),
            ("metadata", .object([
                ("name", .string("\(e.involvedName).\(String(nanos, radix: 16))")), ("namespace", .string(e.namespace)),
                ("uid", .string(random.uuid())), ("resourceVersion", .string(String(random.int(100_000...9_000_000)))),
                ("creationTimestamp", .string(TimeText.api(e.first))),
            ])),
            ("involvedObject", .fields([
                ("kind", .string(e.involvedKind)), ("namespace", e.involvedNamespace.map { .string($0) }),
                ("name", .string(e.involvedName)), ("uid", .string(e.involvedUID)), ("apiVersion", .string("v1")),
                ("resourceVersion", e.involvedKind == "Pod" ? .string(String(random.int(100_000...9_000_000))) : nil),
                ("fieldPath", e.fieldPath.map { .string($0) }),
            ])),
            ("reason", .string(e.reason)), ("message", .string(e.message)),
            ("source", .fields([("component", .string(e.component)), ("host", e.host.map { .string($0) })])),
            ("firstTimestamp", .string(TimeText.api(e.first))), ("lastTimestamp", .string(TimeText.api(e.last))),
            ("count", .int(e.count)), ("type", .string(e.type)), ("eventTime", .null),
            ("reportingComponent", .string(e.component == "kernel-monitor" ? "" : e.component)),
            ("reportingInstance", .string(e.host ?? "")),
        ])
    }
}
