import Foundation

/// Where a batch writes inside its output folder:
///
///     DIR/index.jsonl              one line per analysed bundle (append-only)
///     DIR/summary.md, summary.json across bundles
///     DIR/reports/<id>.json|md|html
///     DIR/logs/<id>.log            what the analysing child printed, kept when the bundle was not ok
public struct BatchLayout: Sendable, Hashable {
    public let root: String

    public init(root: String) {
        var root = root
        while root.count > 1, root.hasSuffix("/") { root.removeLast() }
        self.root = root
    }

    public var index: String { root + "/index.jsonl" }
    public var summaryJSON: String { root + "/summary.json" }
    public var summaryMarkdown: String { root + "/summary.md" }
    public var reportsFolder: String { root + "/reports" }
    public var logsFolder: String { root + "/logs" }

    /// `reports/<id>.<fileExtension>`, relative to the root (as the index records it).
    public static func report(id: String, fileExtension: String) -> String {
        "reports/\(id).\(fileExtension)"
    }

    /// An absolute (or root-relative) path for a path relative to the root.
    public func path(_ relative: String) -> String { root + "/" + relative }

    /// The child's log for bundle `id`.
    public func log(id: String) -> String { logsFolder + "/\(id).log" }

    /// Creates the folders.
    public func create() throws(BatchError) {
        for folder in [root, reportsFolder, logsFolder] {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw BatchError("cannot create \(folder): \(error.localizedDescription)")
            }
        }
    }

    /// The index as it is on disk (empty when there is none yet).
    public func loadIndex() throws(BatchError) -> BatchIndex {
        try BatchIndex.load(index).get()
    }
}
