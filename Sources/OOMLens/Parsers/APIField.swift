/// Where a scalar of interest sits in an API object (see `APIObjectBuilder.field(_:_:labelKey:)`).
enum APIField {
    case kind, apiVersion, name, namespace, uid, configHash, label
    case ownerKind(Int), ownerName(Int), ownerController(Int)
    case nodeName, priorityClassName
    case containerName(isInit: Bool, Int), containerImage(isInit: Bool, Int)
    case memoryRequest(isInit: Bool, Int), memoryLimit(isInit: Bool, Int)
    case phase, podReason, podMessage, qosClass
    case condition(Int, APIKey)
    /// `name`, `containerID`, `image`, `restartCount` of a container status.
    case statusField(isInit: Bool, Int, APIKey)
    /// `state.waiting.reason` / `.message`.
    case waiting(isInit: Bool, Int, APIKey)
    /// A field of `state.terminated` (`isLast` false) or `lastState.terminated` (true).
    case terminated(isInit: Bool, Int, isLast: Bool, APIKey)
    case capacityMemory, allocatableMemory
    case involved(APIKey)
    case eventReason, eventMessage, sourceHost, reportingComponent, reportingInstance
    case firstTimestamp, lastTimestamp, eventTime, seriesLastObserved, count, seriesCount
}

/// An object inside an API object whose starting line is kept.
enum APIObjectMark {
    case containerStatus(isInit: Bool, Int)
    /// `state.running`, `state.waiting` or `state.terminated`.
    case state(isInit: Bool, Int, APIKey)
    case lastTerminated(isInit: Bool, Int)
    case condition(Int)
}
