/// The position of a JSON (or YAML) value: one component per open object or array, outermost first.
///
/// Keys are not kept as text: each object component holds the small id its consumer gave the key
/// (`JSONEventConsumer.key(_:in:)`, 0 for keys it does not care about), and each array component
/// the index of its current element. `{"spec":{"containers":[{"name":"a"}]}}` puts the value `"a"`
/// at `[object spec][object containers][array 0][object name]`.
public struct JSONPath {
    /// One open container.
    public struct Component: Sendable, Hashable {
        /// True for an array, false for an object.
        public var isArray: Bool
        /// The id of the current key (objects only).
        public var key: UInt16
        /// The index of the current element (arrays only; -1 before the first).
        public var index: Int

        @inline(__always)
        public init(isArray: Bool, key: UInt16 = 0, index: Int = -1) {
            self.isArray = isArray
            self.key = key
            self.index = index
        }
    }

    public private(set) var components: ContiguousArray<Component> = []

    /// The id a consumer returns for a key whose value it does not want at all: the producer then
    /// passes over that value (a whole object or array included) without reporting anything in it.
    public static let skipValue: UInt16 = .max

    public init() {}

    /// The number of open containers (0 for a top-level value).
    @inline(__always)
    public var depth: Int { components.count }

    @inline(__always)
    public subscript(_ position: Int) -> Component { components[position] }

    /// The key id at `position`, or nil when that component is an array or out of range.
    @inline(__always)
    public func key(at position: Int) -> UInt16? {
        guard position >= 0, position < components.count, !components[position].isArray else { return nil }
        return components[position].key
    }

    /// True when the component at `position` is an array.
    @inline(__always)
    public func isArray(at position: Int) -> Bool {
        position >= 0 && position < components.count && components[position].isArray
    }

    @inline(__always)
    mutating func push(isArray: Bool) { components.append(Component(isArray: isArray)) }

    @inline(__always)
    mutating func pop() {
        // Not `popLast()`: its specialisation stayed an out-of-line call, once per closed container.
        if !components.isEmpty { components.removeLast() }
    }

    @inline(__always)
    mutating func setKey(_ id: UInt16) {
        let last = components.count - 1
        if last >= 0 { components[last].key = id }
    }

    /// Moves the innermost array to its next element.
    @inline(__always)
    mutating func advanceIndex() {
        let last = components.count - 1
        if last >= 0 { components[last].index += 1 }
    }

    /// Bytes held by the component stack.
    var storageBytes: Int { components.capacity * MemoryLayout<Component>.stride }
}
