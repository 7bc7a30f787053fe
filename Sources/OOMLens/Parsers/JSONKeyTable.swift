#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed set of object keys looked up straight from bytes, so a key becomes a small id without a `String`.
///
/// Open addressing over an FNV-1a hash; ids are the keys' positions in the list plus one, and 0 means
/// "not in the table".
public struct JSONKeyTable: Sendable {
    private var slots: [Int32]
    private var starts: [Int32] = []
    private var lengths: [Int32] = []
    private var hashes: [UInt64] = []
    private var storage: [UInt8] = []
    private let mask: Int

    public init(_ keys: [String]) {
        var size = 16
        while size < keys.count * 4 { size <<= 1 }
        mask = size - 1
        slots = Array(repeating: -1, count: size)
        for key in keys {
            let utf8 = Array(key.utf8)
            let hash = utf8.withUnsafeBytes { Self.hash($0) }
            starts.append(Int32(storage.count))
            lengths.append(Int32(utf8.count))
            hashes.append(hash)
            storage.append(contentsOf: utf8)
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(hashes.count - 1)
        }
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    /// The id of `key`, or 0.
    public func id(of key: UnsafeRawBufferPointer) -> UInt16 {
        let hash = Self.hash(key)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { return 0 }
            if hashes[entry] == hash, Int(lengths[entry]) == key.count {
                let equal = storage.withUnsafeBytes { all in
                    key.count == 0 || memcmpEqual(all.slice(Int(starts[entry])..<Int(starts[entry] + lengths[entry])), key)
                }
                if equal { return UInt16(entry + 1) }
            }
            slot = (slot + 1) & mask
        }
    }

    @inline(__always)
    private func memcmpEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard let pa = a.baseAddress, let pb = b.baseAddress, a.count == b.count else { return a.count == b.count }
        return memcmp(pa, pb, a.count) == 0
    }
}
