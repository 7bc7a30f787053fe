import Testing
@testable import OOMLens

/// `TextWrapper` cuts most texts at space bytes and the rest by Characters: both ways wrap alike.
@Suite struct TextWrapperTests {
    @Test func wrapsASCIIProseAtTheWidth() {
        let text = "The kernel killed stress-ng-vm (pid 4242) because the container reached its memory limit of 512Mi."
        #expect(TextWrapper.spaceSeparatedWords(text) != nil)
        #expect(TextWrapper.wrap(text, width: 40, indent: "  ") == [
            "  The kernel killed stress-ng-vm (pid", "  4242) because the container reached", "  its memory limit of 512Mi.",
        ])
    }

    @Test func countsArrowsAndSignsAsOneCharacter() {
        let text = "→ Give the container headroom: a limit of 768Mi (the peak × 1.5, rounded up to 64 MiB), request equal to the limit."
        #expect(TextWrapper.spaceSeparatedWords(text) != nil)
        #expect(TextWrapper.wrap(text, width: 50, indent: "      ") == [
            "      → Give the container headroom: a limit of", "      768Mi (the peak × 1.5, rounded up to 64", "      MiB), request equal to the limit.",
        ])
    }

    @Test func keepsASpaceThatCarriesACombiningMarkInsideAWord() {
        // " \u{301}" is one Character, not a space: the text is wrapped by Characters.
        let text = "cafe\u{301} au lait  e\u{301}te\u{301}   \u{301}accent after a space"
        #expect(TextWrapper.spaceSeparatedWords(text) == nil)
        #expect(TextWrapper.wrap(text, width: 20) == ["café au lait été", " \u{301}accent after a", "space"])
    }

    @Test func wrapsTextWithJoinersByCharacters() {
        // U+0600 is a Prepend scalar and U+200D a joiner: the space next to either may not stand alone.
        #expect(TextWrapper.spaceSeparatedWords("a\u{0600} b") == nil)
        #expect(TextWrapper.spaceSeparatedWords("a \u{200D}c") == nil)
        #expect(TextWrapper.wrap("a\u{0600} b \u{200D}c", width: 20) == ["a\u{0600} b \u{200D}c"])
    }
}
