import DivideCore
import Testing

/// Zero-width and bidirectional format characters and U+FEFF are invisible: the tokenizer drops
/// them without splitting the word they sit in, so every matcher sees the name a reader sees.
@Test func invisibleFormatCharactersNeitherSplitNorHideAWord() {
    let normalizer = TextNormalizer()
    #expect(normalizer.key("Goo\u{200B}gle") == "google")
    #expect(normalizer.key("\u{202E}Google\u{202C} Research") == "google research")
    #expect(normalizer.key("\u{2067}Deep\u{200D}Mind\u{2069}") == "deepmind")
    #expect(normalizer.key("\u{FEFF}GPT-4") == "gpt 4")
    for v: UInt32 in [0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF] {
        let invisible = String(Unicode.Scalar(v)!)
        #expect(normalizer.tokens("Tsing" + invisible + "hua") == ["Tsinghua"], "U+\(String(v, radix: 16))")
    }
    // Visible separators still separate: a no-break space and U+2010 (hyphen) are not format characters.
    #expect(normalizer.key("Goo\u{00A0}gle") == "goo gle")
    #expect(normalizer.key("Goo\u{2010}gle") == "goo gle")
    #expect(normalizer.titleKey("Attention\u{200B} Is All You Need") == "attention is all you need")
}

@Test func removingInvisibleFormatKeepsEverythingElse() {
    #expect(TextNormalizer.removingInvisibleFormat("\u{FEFF}GPT-4") == "GPT-4")
    #expect(TextNormalizer.removingInvisibleFormat("Goo\u{200B}gle\u{202E}") == "Google")
    #expect(TextNormalizer.removingInvisibleFormat("Müller – “Ω”") == "Müller – “Ω”")
    #expect(TextNormalizer.removingInvisibleFormat("plain") == "plain")
}
