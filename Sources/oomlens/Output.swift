import ArgumentParser
import Foundation

/// Where reports go: standard output, or a file written atomically (temporary file, then rename).
enum Output {
    static func write(_ text: String, to path: String?) throws {
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        let url = URL(fileURLWithPath: path)
        do {
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw ValidationError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}

/// Colour choice for terminal output.
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never

    // The values the parser lists, as its defaults for a String raw value would give them, built
    // without their key path (instantiated at run time through conformance look-ups: about 700,000
    // instructions a call, and the parser asks several times at every start).
    static var allValueStrings: [String] { allCases.map { $0.rawValue } }
    // The defaults describe a case by its raw value, so no description differs from its value.
    static var allValueDescriptions: [String: String] { [:] }

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
