/// Wraps prose to a column width for terminal and plain-text output.
///
/// Splitting a text into Characters to find its spaces, and counting each line's Characters again for
/// every word, cost most of a large text report's rendering (hundreds of instructions a byte). Most
/// texts are cut at their space bytes instead, with lengths kept as the line grows: that gives the
/// same words and lengths whenever every space is certainly a Character of its own, which
/// `spaceSeparatedWords` checks; other texts take the Character path.
enum TextWrapper {
    /// Lines of at most `width` characters, each prefixed with `indent`.
    static func wrap(_ text: String, width: Int = 80, indent: String = "") -> [String] {
        let room = Swift.max(20, width - indent.count)
        if let words = spaceSeparatedWords(text) {
            return fill(words, room: room, indent: indent, spacesStandAlone: true)
        }
        return fill(text.split(separator: " ", omittingEmptySubsequences: true), room: room, indent: indent,
                    spacesStandAlone: false)
    }

    /// Fills lines of at most `room` Characters with `words`, one space between them. When
    /// `spacesStandAlone`, a line's length is kept as it grows (its words' and one per space, see
    /// `spaceSeparatedWords`); otherwise a space might join a neighbouring scalar, and the line is counted
    /// again after each word.
    private static func fill(
        _ words: some Sequence<Substring>, room: Int, indent: String, spacesStandAlone: Bool
    ) -> [String] {
        var lines: [String] = []
        var current = ""
        var currentLength = 0  // the Characters in `current`
        for word in words {
            let wordLength = isSingleByteText(word) ? word.utf8.count : word.count
            if current.isEmpty {
                current = String(word)
                currentLength = wordLength
            } else if currentLength + 1 + wordLength <= room {
                current.append(" ")
                current.append(contentsOf: word)
                currentLength = spacesStandAlone ? currentLength + 1 + wordLength : current.count
            } else {
                lines.append(indent + current)
                current = String(word)
                currentLength = wordLength
            }
        }
        if !current.isEmpty { lines.append(indent + current) }
        return lines
    }

    /// The non-empty runs between U+0020 scalars — what `text.split(separator: " ")` returns when every
    /// space is a Character of its own — or nil when a space might not be one. A space joins the scalar
    /// before it only when that is a Prepend scalar, and the one after it only when that is an Extend,
    /// ZWJ or SpacingMark scalar; the blocks accepted here hold none of those: before a space, anything
    /// below U+0600 (Arabic) and U+2000–U+2BFF (General Punctuation to Miscellaneous Symbols and Arrows)
    /// but the joiners U+200C and U+200D; after it, anything below U+0300 (the combining marks), the
    /// punctuation U+2010–U+205F and U+2190–U+2BFF (arrows, mathematical and other symbols).
    static func spaceSeparatedWords(_ text: String) -> [Substring]? {
        func standsApartBefore(_ s: Unicode.Scalar) -> Bool {
            s.value < 0x600 || (0x2000...0x2BFF).contains(s.value) && s.value != 0x200C && s.value != 0x200D
        }
        func standsApartAfter(_ s: Unicode.Scalar) -> Bool {
            s.value < 0x300 || (0x2010...0x205F).contains(s.value) || (0x2190...0x2BFF).contains(s.value)
        }
        let scalars = text.unicodeScalars
        var words: [Substring] = []
        var wordStart: String.Index?
        var previous: Unicode.Scalar?
        var i = scalars.startIndex
        while i < scalars.endIndex {
            let scalar = scalars[i]
            let next = scalars.index(after: i)
            if scalar == " " {
                if let previous, !standsApartBefore(previous) { return nil }
                if next < scalars.endIndex, !standsApartAfter(scalars[next]) { return nil }
                if let start = wordStart {
                    words.append(text[start..<i])
                    wordStart = nil
                }
            } else if wordStart == nil {
                wordStart = i
            }
            previous = scalar
            i = next
        }
        if let start = wordStart { words.append(text[start..<scalars.endIndex]) }
        return words
    }

    /// Whether every Character of `text` is one byte: ASCII without a carriage return (CR LF is the one
    /// ASCII pair that makes a single Character).
    private static func isSingleByteText(_ text: Substring) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 && $0 != UInt8(ascii: "\r") }
    }
}
