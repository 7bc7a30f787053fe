import OOMLens

/// Renders container stdout as `kubectl logs` returns it (no CRI prefix): the previous instance's log
/// for restarted containers (`<container>-previous.log`) and the current one (`<container>.log`).
/// An `appOOM` termination ends the previous log with the JVM's `OutOfMemoryError` and the
/// `-XX:+ExitOnOutOfMemoryError` message; other causes end mid-stream, as a killed process does.
enum ContainerLogWriter {
    static func log(_ c: ContainerModel, instance: ContainerInstance, seed: UInt64) -> String {
        var random = StableRandom(seed: seed, "stdout", c.name, instance.id)
        let end = instance.end?.at ?? instance.startedAt.adding(seconds: 600)
        let span = max(1.0, end.interval(since: instance.startedAt))
        var lines = ["\(TimeText.rfc3339Nano(instance.startedAt.adding(seconds: 0.8), offset: 0)) INFO  starting \(c.comm) (attempt \(instance.attempt))",
                     "\(TimeText.rfc3339Nano(instance.startedAt.adding(seconds: 1.1), offset: 0)) INFO  listening on :8080"]
        let count = 6 + random.int(0...6)
        for k in 0..<count {
            let t = instance.startedAt.adding(seconds: 1.5 + span * Double(k + 1) / Double(count + 1) * 0.98)
            let ms = random.int(3...900)
            let item = random.int(1000...99_999)
            lines.append("\(TimeText.rfc3339Nano(Instant(seconds: t.seconds, nanoseconds: t.nanoseconds / 1_000_000 * 1_000_000), offset: 0)) INFO  GET /api/items/\(item) 200 \(ms)ms")
        }
        if instance.end?.cause == .appOOM {
            lines += [
                "Exception in thread \"http-nio-8080-exec-7\" java.lang.OutOfMemoryError: Java heap space",
                "\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)",
                "\tat java.base/java.lang.AbstractStringBuilder.ensureCapacityInternal(AbstractStringBuilder.java:228)",
                "\tat java.base/java.lang.StringBuilder.append(StringBuilder.java:179)",
                "Terminating due to java.lang.OutOfMemoryError: Java heap space",
            ]
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
