/// Which build of oomlens this is: its version and the git commit it was built from, for `--version`
/// and the reports' `tool` block.
///
/// SwiftPM cannot pass a value into a build without a plugin, and a build-tool plugin may not run
/// `git`, so the commit is stamped by `scripts/install`: it writes the git-ignored file
/// `BuildStamp.generated.swift` beside this one —
/// ```
/// extension BuildInfo: BuildStamp { static let stampedCommit = "1a2b3c4d5e6f" }
/// ```
/// — builds, and deletes it again. A plain `swift build` (a clean clone, a tarball) compiles without
/// it and reports the commit as unknown; nothing is stale, because no stamp outlives its build.
public enum BuildInfo {
    /// The release version.
    public static var version: String { OOMLensVersion.version }

    /// The commit this binary was built from (12 hex digits, `-dirty` when the tree had local
    /// changes), or nil when the build was not stamped.
    public static var commit: String? {
        // The conformance exists only when the stamp file was compiled in.
        (BuildInfo.self as Any.Type as? any BuildStamp.Type)?.stampedCommit
    }

    /// What `oomlens --version` prints: `oomlens 0.1.0 (commit 1a2b3c4d5e6f)` or `… (commit unknown)`.
    public static var versionLine: String {
        "oomlens \(version) (commit \(commit ?? "unknown"))"
    }
}

/// Adopted by `BuildInfo` only in the generated stamp file; see `BuildInfo`.
protocol BuildStamp {
    static var stampedCommit: String { get }
}
