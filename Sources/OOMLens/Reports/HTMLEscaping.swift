/// Escapes text for HTML and inline SVG, in element content and quoted attribute values alike.
///
/// `<`, `>`, `&`, `"` and `'` become character references, so bundle text — a pod named
/// `<script>alert(1)</script>`, a log line holding markup — always shows as text and never as markup.
/// Control characters HTML does not allow (all of C0 and C1 but tab, line feed and carriage return)
/// become U+FFFD, so a binary log line cannot upset the document either.
enum HTMLEscaping {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value): out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Escapes prose written with Markdown-style code spans (`` `kubectl top` ``): each pair of
    /// backticks becomes `<code>…</code>`; an unpaired backtick stays as it is.
    static func escapeProse(_ text: String) -> String {
        let parts = escape(text).split(separator: "`", omittingEmptySubsequences: false)
        var out = ""
        for (i, part) in parts.enumerated() {
            if i % 2 == 0 {
                out += part
            } else if i == parts.count - 1 {
                out += "`" + part
            } else {
                out += "<code>" + part + "</code>"
            }
        }
        return out
    }
}
