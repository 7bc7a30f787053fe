import ArgumentParser
import OOMLens
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Options every command that reads a bundle shares.
struct InputOptions: ParsableArguments {
    @Argument(help: "The bundle: an archive, a directory, or a single log file; - reads it from standard input.")
    var bundle: String

    @Option(name: .long, help: "UTC offset of node log times that carry no zone, e.g. +02:00 or -0500 (default: from the bundle, else UTC).")
    var timezone: String?

    @Option(name: .long, help: "Stop reading after this many uncompressed bytes (default 32 GiB).")
    var maxBytes: Int64?

    /// `-` at a terminal would wait for typed input that is never a bundle: refused, as gzip refuses to
    /// decompress from a terminal.
    func validate() throws {
        if bundle == BundleReader.standardInput, isatty(STDIN_FILENO) != 0 {
            throw ValidationError("standard input is a terminal: pipe a bundle in (cat bundle.tar.gz | oomlens analyze -) or name it")
        }
    }

    func analyzerOptions() throws -> Analyzer.Options {
        var options = Analyzer.Options()
        if let timezone {
            guard let offset = Self.parseOffset(timezone) else {
                throw ValidationError("--timezone: expected an offset like +02:00, -0500 or UTC, got '\(timezone)'")
            }
            options.utcOffsetSeconds = offset
        }
        if let maxBytes { options.limits.maxTotalBytes = maxBytes }
        return options
    }

    static func parseOffset(_ text: String) -> Int? {
        if text == "UTC" || text == "Z" || text == "utc" { return 0 }
        guard let sign = text.first, sign == "+" || sign == "-" else { return nil }
        let digits = text.dropFirst().filter { $0 != ":" }
        guard digits.count == 4 || digits.count == 2, let value = Int(digits) else { return nil }
        let hours = digits.count == 4 ? value / 100 : value
        let minutes = digits.count == 4 ? value % 100 : 0
        guard hours <= 14, minutes < 60 else { return nil }
        return (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
    }
}

extension String {
    var trimmed: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
