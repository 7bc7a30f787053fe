import ArgumentParser
import Foundation

/// Where reports go: standard output, or a file written atomically (temporary file, then rename).
enum Output {
    static func write(_ text: String, to path: String?) throws {
        try write(Data(text.utf8), to: path)
    }

    static func write(_ bytes: [UInt8], to path: String?) throws {
        try write(Data(bytes), to: path)
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
