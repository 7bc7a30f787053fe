/// A receiver of the structural events `JSONScanner` (and `YAMLEventSource`) produce, one value at a time.
///
/// The contract keeps memory bounded and text unmaterialised: keys arrive as borrowed bytes and the
/// consumer answers with a small id that becomes part of the path; before each scalar the producer
/// asks `wantsScalar(at:)`, and only a yes makes it collect (and, for strings, unescape) the value.
/// Every borrowed buffer is valid only during the call that received it.
public protocol JSONEventConsumer {
    /// An object starts; `path` is the path of the object itself (its parents), `line` where `{` was.
    mutating func beginObject(at path: JSONPath, line: Int)
    /// The object at `path` ended.
    mutating func endObject(at path: JSONPath, line: Int)
    mutating func beginArray(at path: JSONPath, line: Int)
    mutating func endArray(at path: JSONPath, line: Int)
    /// A key of the innermost object (the last component of `path`); returns the id to store for it
    /// (0 for keys of no interest), or `JSONPath.skipValue` to have its value passed over unreported.
    mutating func key(_ bytes: UnsafeRawBufferPointer, in path: JSONPath) -> UInt16
    /// Whether the scalar about to be read at `path` is wanted; when false it is skipped unread.
    mutating func wantsScalar(at path: JSONPath) -> Bool
    /// A wanted scalar at `path`, which started on `line`.
    mutating func scalar(_ value: JSONScalar, at path: JSONPath, line: Int)
}
