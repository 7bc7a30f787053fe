/// Keeps control characters from bundle text out of terminal and Markdown output.
extension String {
    /// The string with C0 and C1 control characters (ESC among them) and DEL replaced by U+FFFD and
    /// line breaks and tabs by spaces, so a log line cannot move the cursor, recolour or clear a
    /// terminal, or break a Markdown line.
    var withoutControlCharacters: String {
        guard unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else { return self }
        var out = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: out.append(" ")
            case 0..<0x20, 0x7F...0x9F: out.append("\u{FFFD}")
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}
