#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds the bundles in `oomlens batch`'s inputs: files named on the command line as they are, and
/// inside folders (searched recursively, in name order, without following symbolic links) every
/// archive — recognised by its first bytes or its suffix — and every folder that looks like an
/// extracted bundle, which counts as one bundle and is not searched further.
///
/// An extracted bundle is a folder holding one of `cluster-resources/`, `cluster-info/`,
/// `host-collectors/`, `version.yaml` (troubleshoot.sh), `sos_commands/` (sosreport),
/// `cluster-scoped-resources/` (must-gather) or `kubectl/`, or a folder named `support-bundle-…`.
/// Plain files inside searched folders (notes, logs) are not bundles; hidden entries are ignored.
public enum BundleDiscovery {
    /// One bundle to analyse.
    public struct Candidate: Sendable, Hashable {
        public var path: String
        /// An extracted bundle (a folder) rather than a file.
        public var isDirectory: Bool

        public init(path: String, isDirectory: Bool) {
            self.path = path
            self.isDirectory = isDirectory
        }
    }

    /// An input that could not be searched or read.
    public struct Problem: Sendable, Hashable {
        public var path: String
        public var message: String
    }

    public struct Result: Sendable {
        /// Bundles in input order, folders' contents in name order, each path once.
        public var bundles: [Candidate] = []
        public var problems: [Problem] = []
    }

    /// Entries whose presence makes a folder an extracted bundle.
    static let bundleMarkers = ["cluster-resources", "cluster-info", "host-collectors", "version.yaml",
                                "sos_commands", "cluster-scoped-resources", "kubectl"]

    /// Searches `inputs`; folders in `excluding` (e.g. the batch's own output folder) are skipped.
    public static func discover(_ inputs: [String], excluding: [String] = []) -> Result {
        var result = Result()
        var seen = Set<String>()
        let excluded = Set(excluding.compactMap(identity))
        var visited = Set<[UInt64]>()
        func add(_ path: String, directory: Bool) {
            if seen.insert(path).inserted { result.bundles.append(Candidate(path: path, isDirectory: directory)) }
        }
        func search(_ directory: String) {
            guard let key = identity(directory), !excluded.contains(key), visited.insert(key).inserted else { return }
            guard let names = entries(of: directory) else {
                result.problems.append(Problem(path: directory, message: "cannot read folder: \(lastError())"))
                return
            }
            for name in names where !name.hasPrefix(".") {
                let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
                var info = stat()
                guard lstat(path, &info) == 0 else {
                    result.problems.append(Problem(path: path, message: "cannot read: \(lastError())"))
                    continue
                }
                switch info.st_mode & S_IFMT {
                case S_IFDIR:
                    if looksLikeExtractedBundle(path, name: name) { add(path, directory: true) } else { search(path) }
                case S_IFREG:
                    if looksLikeArchive(path) { add(path, directory: false) }
                default:
                    continue
                }
            }
        }
        for input in inputs where !input.isEmpty {
            var info = stat()
            guard stat(input, &info) == 0 else {
                result.problems.append(Problem(path: input, message: "cannot read: \(lastError())"))
                continue
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                let name = input.split(separator: "/").last.map(String.init) ?? input
                if looksLikeExtractedBundle(input, name: name) { add(input, directory: true) } else { search(input) }
            case S_IFREG:
                add(input, directory: false)
            default:
                result.problems.append(Problem(path: input, message: "not a regular file or folder"))
            }
        }
        return result
    }

    /// True for a folder that is an extracted bundle rather than a folder of bundles.
    public static func looksLikeExtractedBundle(_ path: String, name: String) -> Bool {
        if name.hasPrefix("support-bundle-") { return true }
        return bundleMarkers.contains { access(path + "/" + $0, F_OK) == 0 }
    }

    /// True for a file whose first bytes are an archive's or compressed stream's magic number, or whose
    /// name ends in an archive suffix.
    public static func looksLikeArchive(_ path: String) -> Bool {
        let lower = path.lowercased()
        if BundleID.suffixes.contains(where: { lower.hasSuffix($0) }) { return true }
        let head = POSIXRead.head(of: path, count: 512)
        return head.withUnsafeBytes { FileRecognizer.archiveMagic($0) != nil }
    }

    /// Sorted names in a folder (without `.` and `..`), or nil when it cannot be opened.
    private static func entries(of directory: String) -> [String]? {
        guard let dir = opendir(directory) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Device and inode of an existing path (following links), to recognise the same folder twice.
    private static func identity(_ path: String) -> [UInt64]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return [UInt64(info.st_dev), UInt64(info.st_ino)]
    }

    private static func lastError() -> String { FileBytes.lastErrorMessage() }
}
