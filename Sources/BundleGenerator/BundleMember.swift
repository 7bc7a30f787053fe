/// One entry of a generated bundle: a directory, a small file held as bytes, or a node log or a List file
/// produced on demand in chunks.
public struct BundleMember: Sendable {
    enum Content: Sendable {
        case directory
        case bytes([UInt8])
        case nodeLog(NodeLogFile)
        case jsonList(JSONListFile)
    }

    /// Path inside the bundle, with a trailing `/` for directories.
    public let path: String
    let content: Content

    public var isDirectory: Bool {
        if case .directory = content { return true }
        return false
    }

    /// The file's size in bytes (a dry run for node logs; 0 for directories).
    public func byteCount() -> Int64 {
        switch content {
        case .directory: 0
        case .bytes(let b): Int64(b.count)
        case .nodeLog(let log): log.byteCount()
        case .jsonList(let list): list.byteCount()
        }
    }

    /// Calls `emit` with the file's bytes in order, in one or more chunks.
    public func produce(_ emit: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        switch content {
        case .directory: return
        case .bytes(let b): try b.withUnsafeBytes(emit)
        case .nodeLog(let log): try log.produce(emit)
        case .jsonList(let list): try list.produce(emit)
        }
    }

    /// The whole file in memory (tests and small bundles).
    public func bytes() -> [UInt8] {
        var out: [UInt8] = []
        produce { out.append(contentsOf: $0) }
        return out
    }
}
