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
///
/// A cache of more than 16 entries (the API object builder's: namespaces, nodes, images, owners —
/// `"nodeName":"aks-user-31415926-vmss000001"` on every pod) also keeps a hint per hash of the bytes:
/// the entry last found for it, tried before the scan, so a hit costs one compare instead of
/// walking up to 32 entries (256 hashes: with 64, one hit in ten on a 2,000-pod PodList still needed
/// the scan; with 256, one in eighty). Which values are cached, and when they are replaced, is the same
/// either way: the hint only finds an entry sooner.
struct ByteStringCache {
    private var keys: [[UInt8]] = []
    private var values: [String] = []
    private var next = 0
    private let capacity: Int
    /// ASCII upper case is folded to lower case in the cached strings.
    private let lowercase: Bool
    /// For each of 256 hashes, the entry last found or added for it (-1: none); empty when unused.
    private var hints: [Int] = []

    init(capacity: Int = 8, lowercase: Bool = false) {
        self.capacity = Swift.max(1, capacity)
        self.lowercase = lowercase
        if self.capacity > 16 { hints = Array(repeating: -1, count: 256) }
    }

    /// The string for `bytes`, from the cache when it was seen recently.
    mutating func string(_ bytes: UnsafeRawBufferPointer) -> String {
        let slot = hints.isEmpty ? -1 : Self.slot(bytes)
        if slot >= 0 {
            let hinted = hints[slot]
            if hinted >= 0, hinted < keys.count, Self.equal(keys[hinted], bytes) { return values[hinted] }
        }
        for i in keys.indices where Self.equal(keys[i], bytes) {
            if slot >= 0 { hints[slot] = i }
            return values[i]
        }
        let key = Array(bytes)
        let value = lowercase
            ? String(decoding: key.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }, as: UTF8.self)
            : String(decoding: key, as: UTF8.self)
        let position: Int
        if keys.count < capacity {
            position = keys.count
            keys.append(key)
            values.append(value)
        } else {
            position = next
            keys[next] = key
            values[next] = value
            next = (next + 1) % capacity
        }
        if slot >= 0 { hints[slot] = position }
        return value
    }

    @inline(__always)
    private static func equal(_ key: [UInt8], _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard key.count == bytes.count else { return false }
        return key.withUnsafeBytes { key -> Bool in
            guard let a = key.baseAddress, let b = bytes.baseAddress else { return bytes.isEmpty }
            return memcmp(a, b, bytes.count) == 0
        }
    }

    /// One of 256 hashes of `bytes`: its length, and its first and last eight bytes (or all of a
    /// shorter one).
    @inline(__always)
    static func slot(_ bytes: UnsafeRawBufferPointer) -> Int {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h = UInt64(truncatingIfNeeded: bytes.count) &* multiplier
        if let base = bytes.baseAddress, bytes.count >= 8 {
            h = (h ^ base.loadUnaligned(as: UInt64.self)) &* multiplier
            h = (h ^ base.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self)) &* multiplier
        } else {
            for byte in bytes { h = (h ^ UInt64(byte)) &* multiplier }
        }
        return Int(truncatingIfNeeded: h >> 56)
    }
}
