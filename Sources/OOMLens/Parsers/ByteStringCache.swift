#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A few recently seen byte strings and their `String`s, so repeated hosts and program names are
/// materialised once per distinct value instead of once per line.
///
/// Node logs name the same host on every line (`aks-nodepool1-24207654-vmss000001`) and a handful of
/// programs (`kernel`, `kubelet`, `containerd[2388]`), so a small cache with memcmp lookups hits
/// almost always and the hot path allocates nothing.
struct ByteStringCache {
    private var keys: [[UInt8]] = []
    private var values: [String] = []
    private var next = 0
    private let capacity: Int
    /// ASCII upper case is folded to lower case in the cached strings.
    private let lowercase: Bool

    init(capacity: Int = 8, lowercase: Bool = false) {
        self.capacity = Swift.max(1, capacity)
        self.lowercase = lowercase
    }

    /// The string for `bytes`, from the cache when it was seen recently.
    mutating func string(_ bytes: UnsafeRawBufferPointer) -> String {
        for i in keys.indices where keys[i].count == bytes.count {
            let equal = keys[i].withUnsafeBytes { key -> Bool in
                guard let a = key.baseAddress, let b = bytes.baseAddress else { return bytes.isEmpty }
                return memcmp(a, b, bytes.count) == 0
            }
            if equal { return values[i] }
        }
        let key = Array(bytes)
        let value = lowercase
            ? String(decoding: key.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }, as: UTF8.self)
            : String(decoding: key, as: UTF8.self)
        if keys.count < capacity {
            keys.append(key)
            values.append(value)
        } else {
            keys[next] = key
            values[next] = value
            next = (next + 1) % capacity
        }
        return value
    }
}
