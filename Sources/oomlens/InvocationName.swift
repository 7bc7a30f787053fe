/// The name the command gives itself in usage lines and errors: `kubectl oomlens` when kubectl runs the
/// binary as its plugin `kubectl-oomlens` (kubectl execs the plugin with its path as `argv[0]`), else
/// `oomlens`.
enum InvocationName {
    /// The name for this process.
    static var current: String { name(forArgumentZero: CommandLine.arguments.first ?? "") }

    /// `/usr/local/bin/kubectl-oomlens` → `kubectl oomlens`; anything else → `oomlens`.
    static func name(forArgumentZero path: String) -> String {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        return base == "kubectl-oomlens" ? "kubectl oomlens" : "oomlens"
    }
}
