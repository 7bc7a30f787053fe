import Foundation

/// Kubernetes resource quantities (`512Mi`, `1G`, `500M`, `1.5Gi`, `128974848`, `129e6`, `4395616Ki`)
/// parsed exactly into bytes.
public enum Quantity {
    /// The number of bytes a memory quantity names, rounded up to a whole byte as Kubernetes does;
    /// nil when the text is not a quantity.
    public static func bytes(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { bytes(UnsafeRawBufferPointer($0)) }
    }

    /// The same, from bytes (surrounding spaces allowed).
    public static func bytes(_ raw: UnsafeRawBufferPointer) -> Int64? {
        let range = raw.trimmedRange()
        guard !range.isEmpty else { return nil }
        var i = range.lowerBound
        let end = range.upperBound
        var negative = false
        if raw[i] == .plus || raw[i] == .dash { negative = raw[i] == .dash; i += 1 }
        // Mantissa as an integer plus a count of fractional digits: 1.5 → (15, 1).
        var mantissa: Int64 = 0
        var fractionDigits = 0
        var sawDigit = false
        var inFraction = false
        while i < end {
            let c = raw[i]
            if c.isDigit {
                sawDigit = true
                guard mantissa < Int64.max / 10 else { return nil }
                mantissa = mantissa * 10 + Int64(c - .zero)
                if inFraction { fractionDigits += 1 }
            } else if c == .dot, !inFraction {
                inFraction = true
            } else {
                break
            }
            i += 1
        }
        guard sawDigit else { return nil }
        // Suffix: binary (Ki…Ei), decimal (k, M, G, T, P, E, m), or exponent (e6, E6).
        // The usual suffixes straight from the bytes: a `String` per quantity (every container's
        // `"memory":"768Mi"` in a PodList) only to be compared and dropped cost more than the number.
        guard let (binaryShift, exponent) = Self.commonSuffix(raw, i, end) ?? Self.otherSuffix(raw.string(i..<end))
        else { return nil }
        let decimalExponent = exponent - fractionDigits
        // value = mantissa * 2^binaryShift * 10^decimalExponent, rounded up.
        var value = mantissa
        if binaryShift > 0 {
            let (shifted, overflow) = value.multipliedReportingOverflow(by: Int64(1) << Int64(binaryShift))
            guard !overflow else { return nil }
            value = shifted
        }
        if decimalExponent > 0 {
            for _ in 0..<decimalExponent {
                let (m, overflow) = value.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                value = m
            }
        } else if decimalExponent < 0 {
            var divisor: Int64 = 1
            for _ in 0..<(-decimalExponent) {
                let (d, overflow) = divisor.multipliedReportingOverflow(by: 10)
                guard !overflow else { return 0 }
                divisor = d
            }
            value = (value + divisor - 1) / divisor
        }
        return negative ? -value : value
    }

    /// The binary shift and decimal exponent of an empty, one-letter (`k`, `M` … `m`) or `Ki`…`Ei`
    /// suffix in raw[start..<end]; nil for anything else (exponents, junk), which the caller reads as text.
    private static func commonSuffix(_ raw: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> (Int, Int)? {
        switch end - start {
        case 0:
            return (0, 0)
        case 1:
            switch raw[start] {
            case UInt8(ascii: "k"), UInt8(ascii: "K"): return (0, 3)
            case UInt8(ascii: "M"): return (0, 6)
            case UInt8(ascii: "G"): return (0, 9)
            case UInt8(ascii: "T"): return (0, 12)
            case UInt8(ascii: "P"): return (0, 15)
            case UInt8(ascii: "E"): return (0, 18)
            case UInt8(ascii: "m"): return (0, -3)
            default: return nil
            }
        case 2:
            guard raw[start + 1] == UInt8(ascii: "i") else { return nil }
            switch raw[start] {
            case UInt8(ascii: "K"): return (10, 0)
            case UInt8(ascii: "M"): return (20, 0)
            case UInt8(ascii: "G"): return (30, 0)
            case UInt8(ascii: "T"): return (40, 0)
            case UInt8(ascii: "P"): return (50, 0)
            case UInt8(ascii: "E"): return (60, 0)
            default: return nil
            }
        default:
            return nil
        }
    }

    /// The exponent of an `e6`/`E-3` suffix, or the shift and exponent of a common suffix written with
    /// characters canonically equivalent to it (KELVIN SIGN U+212A for `K`, as `String` comparison has
    /// always read it); nil for anything else.
    private static func otherSuffix(_ suffix: String) -> (Int, Int)? {
        if suffix.first == "e" || suffix.first == "E" {
            // Bounded: `0e9223372036854775807` would otherwise loop for ever below, and `e-9223…808` trap.
            guard let e = Int(suffix.dropFirst()), (-64...64).contains(e) else { return nil }
            return (0, e)
        }
        // An ASCII suffix that `commonSuffix` did not know is junk.
        guard suffix.utf8.contains(where: { $0 >= 0x80 }) else { return nil }
        var canonical = suffix.precomposedStringWithCanonicalMapping
        return canonical.withUTF8 { commonSuffix(UnsafeRawBufferPointer($0), 0, $0.count) }
    }

    /// Bytes written the way people read memory: `512Mi`, `1.5Gi`, `900Ki`, `123 B`.
    public static func format(_ bytes: Int64) -> String {
        let units: [(String, Int64)] = [("Gi", 1 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)]
        for (name, size) in units where abs(bytes) >= size {
            let value = Double(bytes) / Double(size)
            if value == value.rounded() { return "\(Int64(value))\(name)" }
            let rounded = (value * 10).rounded() / 10
            return "\(rounded)\(name)"
        }
        return "\(bytes)B"
    }
}
