/// Wraps prose to a column width for terminal and plain-text output.
enum TextWrapper {
    /// Lines of at most `width` characters, each prefixed with `indent`.
    static func wrap(_ text: String, width: Int = 80, indent: String = "") -> [String] {
        var lines: [String] = []
        var current = ""
        let room = Swift.max(20, width - indent.count)
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= room {
                current += " " + word
            } else {
                lines.append(indent + current)
                current = String(word)
            }
        }
        if !current.isEmpty { lines.append(indent + current) }
        return lines
    }
}
