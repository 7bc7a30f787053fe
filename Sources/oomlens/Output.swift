import ArgumentParser
import Foundation

/// Where reports go: standard output, or a file written atomically (temporary file, then rename).
enum Output {
    static func write(_ text: String, to path: String?) throws {
        try write(Data(text.utf8), to: path)
    }

    /// Writes `bytes` without copying them into a `Data` first: a report of an incident-dense bundle
    /// can be tens of megabytes.
    static func write(_ bytes: [UInt8], to path: String?) throws {
        try bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return try write(Data(), to: path) }
            try write(Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: raw.count, deallocator: .none), to: path)
        }
    }

    private static func write(_ data: Data, to path: String?) throws {
        guard let path else {
            FileHandle.standardOutput.write(data)
            return
        }
        let url = URL(fileURLWithPath: path)
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw ValidationError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}

/// Colour choice for terminal output.
enum ColorChoice: String, PlainArgumentValues {
    case auto, always, never

    func enabled(forStandardOutput: Bool) -> Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto:
            // getenv, not ProcessInfo's environment: that copies the whole environment into a dictionary.
            if let noColor = getenv("NO_COLOR"), noColor.pointee != 0 { return false }
            return isatty(1) == 1
        }
    }
}
