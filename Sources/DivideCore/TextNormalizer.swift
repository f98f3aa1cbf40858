import Foundation

/// The one text normalizer of the pipeline: whitespace for display text (source adapters), word
/// tokens for matching (classifier, model mentions, organization registry) and the match keys of
/// dedupe, all from one accent fold and one tokenizer.
///
/// Whitespace is Unicode's White_Space property: tab through carriage return, space, U+0085,
/// no-break space, U+1680, U+2000–U+200A, the line and paragraph separators, U+202F, U+205F and
/// U+3000 (not the zero-width space, which is a format character).
///
/// Tokens (reference/README.md, "Normalization"): accents folded (canonical decomposition without
/// nonspacing marks, and ß → ss, æ → ae, ø → o, ł → l, ı → i, the ligatures ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ
/// spelled out, fullwidth letters and digits as ASCII), every character that is not a letter or
/// digit separates tokens, each CJK character is a token of its own, and the invisible format
/// characters (zero-width, bidirectional controls, U+FEFF) are dropped without separating. Tokens keep their casing;
/// callers lower-case where the match is case-insensitive.
///
/// The static members are pure; an instance caches the fold of each non-ASCII character, so it is
/// not thread-safe: use one per thread.
public final class TextNormalizer {
    /// Whether `scalar` is whitespace (White_Space).
    @inline(__always) public static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
        return scalar.properties.isWhitespace
    }

    /// Whether `text` is empty or only whitespace.
    public static func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy(isWhitespace)
    }

    /// Runs of whitespace made one space; trimmed. Works on UTF-8 bytes: this runs on every title
    /// and abstract of every source.
    public static func collapseWhitespace(_ text: String) -> String {
        var text = text
        // Most titles, names and affiliations are already collapsed: return them without a copy.
        if text.withUTF8(isCollapsed) { return text }
        return text.withUTF8 { bytes -> String in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var pending = false
            var changed = false
            var i = 0
            let n = bytes.count
            while i < n {
                let b = bytes[i]
                let width = whitespaceWidth(bytes, i)
                if width > 0 {
                    if b != 0x20 || width > 1 || pending || out.isEmpty { changed = true }
                    pending = true
                    i += width
                    continue
                }
                if pending {
                    if !out.isEmpty { out.append(0x20) }
                    pending = false
                }
                out.append(b)
                i += 1
            }
            if pending { changed = true }
            if !changed { return String(decoding: bytes, as: UTF8.self) }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Whether `collapseWhitespace` would leave these bytes as they are: no whitespace at either
    /// end, none but single ASCII spaces inside.
    static func isCollapsed(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var previousSpace = true
        for i in 0..<bytes.count {
            let b = bytes[i]
            if b > 0x20 && b < 0x80 {
                previousSpace = false
            } else if b == 0x20 {
                if previousSpace { return false }
                previousSpace = true
            } else if b < 0x20 {
                if b >= 0x09 && b <= 0x0D { return false }
                previousSpace = false
            } else {
                if whitespaceWidth(bytes, i) > 0 { return false }
                previousSpace = false
            }
        }
        return !previousSpace || bytes.isEmpty
    }

    /// Byte length of the whitespace character starting at `i`, or 0 (`isWhitespace` on UTF-8).
    @inline(__always) static func whitespaceWidth(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let c = b[i]
        if c < 0x80 { return (c == 0x20 || (c >= 0x09 && c <= 0x0D)) ? 1 : 0 }
        let n = b.count
        if c == 0xC2, i + 1 < n, b[i + 1] == 0xA0 || b[i + 1] == 0x85 { return 2 }
        if c == 0xE2, i + 2 < n {
            let c1 = b[i + 1], c2 = b[i + 2]
            if c1 == 0x80, (c2 >= 0x80 && c2 <= 0x8A) || c2 == 0xA8 || c2 == 0xA9 || c2 == 0xAF { return 3 }
            if c1 == 0x81, c2 == 0x9F { return 3 }
        }
        if c == 0xE3, i + 2 < n, b[i + 1] == 0x80, b[i + 2] == 0x80 { return 3 }
        if c == 0xE1, i + 2 < n, b[i + 1] == 0x9A, b[i + 2] == 0x80 { return 3 }
        return 0
    }

    /// Keep "3.5" as one token (model versions); otherwise "." separates.
    public let keepsDecimalPoints: Bool
    private var kindCache: [UInt32: ScalarKind] = [:]

    public init(keepsDecimalPoints: Bool = false) {
        self.keepsDecimalPoints = keepsDecimalPoints
    }

    /// Tokens with their original casing (accents folded).
    public func tokens(_ text: String) -> [String] {
        TextNormalizer.isASCII(text) ? asciiTokens(text) : unicodeTokens(text, keepsDecimalPoints: keepsDecimalPoints)
    }

    /// Whether every byte of `text` is ASCII, checked on its contiguous bytes (`JSONParser.isASCII`):
    /// iterating `text.utf8` takes about four times as long, and every title, abstract and name is checked.
    @inlinable public static func isASCII<Text: StringProtocol>(_ text: Text) -> Bool {
        text.utf8.withContiguousStorageIfAvailable(JSONParser.isASCII) ?? text.utf8.allSatisfy { $0 < 0x80 }
    }

    /// The same rules on bytes, for the common all-ASCII text (no scalar decoding, no appends);
    /// `lowercased`: each token made with A–Z as a–z (what `lowercase` does to ASCII), in one String.
    private func asciiTokens(_ text: String, lowercased: Bool = false) -> [String] {
        var out: [String] = []
        out.reserveCapacity(text.utf8.count / 5)
        var text = text
        text.withUTF8 { bytes in
            TextNormalizer.forEachASCIIToken(bytes, keepsDecimalPoints: keepsDecimalPoints) { start, end in
                let token = UnsafeBufferPointer(rebasing: bytes[start..<end])
                guard lowercased else { out.append(String(decoding: token, as: UTF8.self)); return }
                out.append(String(unsafeUninitializedCapacity: token.count) { buffer in
                    for (i, b) in token.enumerated() { buffer[i] = b >= 0x41 && b <= 0x5A ? b + 0x20 : b }
                    return token.count
                })
            }
        }
        return out
    }

    /// The tokenizer on ASCII bytes: calls `token` with the byte range of each token, in order.
    /// Letters and digits make tokens; with `keepsDecimalPoints` a dot between two digits stays inside.
    /// Inlinable: the classifier scans every title and abstract with it from another module, and
    /// inlined there `token` is no longer a closure call per token.
    @inlinable @inline(__always)
    public static func forEachASCIIToken(_ bytes: UnsafeBufferPointer<UInt8>, keepsDecimalPoints: Bool, _ token: (Int, Int) -> Void) {
        let n = bytes.count
        var start = -1
        var i = 0
        while i < n {
            let b = bytes[i]
            let isAlnum = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
            if isAlnum {
                if start < 0 { start = i }
            } else if b == 0x2E && keepsDecimalPoints && start >= 0 && i > 0 && i + 1 < n
                        && bytes[i - 1] >= 0x30 && bytes[i - 1] <= 0x39 && bytes[i + 1] >= 0x30 && bytes[i + 1] <= 0x39 {
                // "3.5": the dot stays inside the token
            } else if start >= 0 {
                token(start, i)
                start = -1
            }
            i += 1
        }
        if start >= 0 { token(start, n) }
    }

    /// What a non-ASCII scalar is to the tokenizer, decided once per scalar value.
    private enum ScalarKind {
        case separator
        /// A token of its own.
        case cjk
        /// Part of a word, as its accent-folded UTF-8.
        case word([UInt8])
    }

    private func kind(_ scalar: Unicode.Scalar) -> ScalarKind {
        if let hit = kindCache[scalar.value] { return hit }
        let kind: ScalarKind
        if TextNormalizer.isInvisibleFormat(scalar.value) {
            kind = .word([])
        } else if TextNormalizer.isCJK(scalar.value) {
            kind = .cjk
        } else {
            let props = scalar.properties
            kind = props.isAlphabetic || props.numericType != nil ? .word(Array(fold(scalar).utf8)) : .separator
        }
        kindCache[scalar.value] = kind
        return kind
    }

    /// Tokens are built as UTF-8 bytes (the same scalars a `String.UnicodeScalarView` would hold).
    private func unicodeTokens(_ text: String, keepsDecimalPoints: Bool) -> [String] {
        var out: [String] = []
        out.reserveCapacity(text.utf8.count / 5)
        var current: [UInt8] = []
        var lastWasDigit = false
        var pendingDot = false
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                let isDigit = v >= 0x30 && v <= 0x39
                let isLetter = (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
                if isDigit || isLetter {
                    if pendingDot {
                        pendingDot = false
                        if isDigit && lastWasDigit { current.append(0x2E) } else { TextNormalizer.flush(&current, into: &out) }
                    }
                    current.append(UInt8(v))
                    lastWasDigit = isDigit
                } else if v == 0x2E && keepsDecimalPoints && lastWasDigit && !pendingDot {
                    pendingDot = true
                } else {
                    pendingDot = false
                    TextNormalizer.flush(&current, into: &out)
                    lastWasDigit = false
                }
                continue
            }
            if pendingDot { pendingDot = false; TextNormalizer.flush(&current, into: &out) }
            lastWasDigit = false
            switch kind(scalar) {
            case .cjk:
                TextNormalizer.flush(&current, into: &out)
                out.append(String(scalar))
            case let .word(folded):
                current.append(contentsOf: folded)
            case .separator:
                TextNormalizer.flush(&current, into: &out)
            }
        }
        TextNormalizer.flush(&current, into: &out)
        return out
    }

    @inline(__always)
    private static func flush(_ current: inout [UInt8], into out: inout [String]) {
        if current.isEmpty { return }
        out.append(String(decoding: current, as: UTF8.self))
        current.removeAll(keepingCapacity: true)
    }

    /// Lower-cased tokens.
    public func lowercaseTokens(_ text: String) -> [String] {
        if TextNormalizer.isASCII(text) { return asciiTokens(text, lowercased: true) }
        return unicodeTokens(text, keepsDecimalPoints: keepsDecimalPoints).map(TextNormalizer.lowercase)
    }

    /// Tokens joined by one space: the key under which names are looked up.
    public func key(_ text: String) -> String {
        lowercaseTokens(text).joined(separator: " ")
    }

    private func fold(_ scalar: Unicode.Scalar) -> String {
        let decomposed = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars
        var folded = String.UnicodeScalarView()
        for s in decomposed where !(s.properties.generalCategory == .nonspacingMark) { folded.append(s) }
        var result = String(folded)
        switch scalar {
        case "ß": result = "ss"
        case "æ", "Æ": result = "ae"
        case "ø": result = "o"
        case "Ø": result = "O"
        case "ł": result = "l"
        case "Ł": result = "L"
        case "ı": result = "i"
        case "ﬀ": result = "ff"
        case "ﬁ": result = "fi"
        case "ﬂ": result = "fl"
        case "ﬃ": result = "ffi"
        case "ﬄ": result = "ffl"
        case "ﬅ", "ﬆ": result = "st"
        // Fullwidth letters and digits (ＧＰＴ４) are their ASCII forms.
        case "\u{FF10}"..."\u{FF19}", "\u{FF21}"..."\u{FF3A}", "\u{FF41}"..."\u{FF5A}":
            result = String(Unicode.Scalar(scalar.value - 0xFEE0)!)
        default: break
        }
        return result
    }

    /// Zero-width characters, bidirectional marks, embeddings, overrides and isolates, and the
    /// byte-order mark: invisible, so they neither split a word (`Goo\u{200B}gle` is Google) nor
    /// hide one behind a reversed rendering; the tokenizer drops them.
    public static func isInvisibleFormat(_ v: UInt32) -> Bool {
        (v >= 0x200B && v <= 0x200F) || (v >= 0x202A && v <= 0x202E) || (v >= 0x2066 && v <= 0x2069) || v == 0xFEFF
    }

    /// `text` without the invisible format characters (a byte-order mark in the middle of a
    /// file lands in a cell, and the name would then match nothing).
    public static func removingInvisibleFormat(_ text: String) -> String {
        // Each of them is a three-byte sequence led by E2 or EF; other text is returned as it is.
        guard text.utf8.contains(where: { $0 == 0xE2 || $0 == 0xEF }) else { return text }
        var scalars = String.UnicodeScalarView()
        for s in text.unicodeScalars where !isInvisibleFormat(s.value) { scalars.append(s) }
        return String(scalars)
    }

    static func isCJK(_ v: UInt32) -> Bool {
        (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3400 && v <= 0x4DBF) || (v >= 0x3040 && v <= 0x30FF)
            || (v >= 0xAC00 && v <= 0xD7AF) || (v >= 0xF900 && v <= 0xFAFF)
    }

    /// ASCII fast path; other scripts through `lowercased()`.
    public static func lowercase(_ token: String) -> String {
        var hasUpper = false
        for b in token.utf8 {
            if b >= 0x80 { return token.lowercased() }
            if b >= 0x41 && b <= 0x5A { hasUpper = true }
        }
        return hasUpper ? token.lowercased() : token
    }

    /// Drops a final plural "s" on words longer than three letters ("llms" → "llm",
    /// "models" → "model"); "ss" endings ("loss") are kept. Used for topic phrases only.
    public static func stem(_ token: String) -> String {
        let utf8 = token.utf8
        guard utf8.count > 3, utf8.last == UInt8(ascii: "s") else { return token }
        let beforeLast = utf8[utf8.index(utf8.endIndex, offsetBy: -2)]
        if beforeLast == UInt8(ascii: "s") || beforeLast == UInt8(ascii: "u") || beforeLast == UInt8(ascii: "i") { return token }
        return String(token.dropLast())
    }

    /// "1google" → "google": a footnote number glued to the front of a word of at least three
    /// letters (affiliation lists scraped from PDFs). "3d", "5g" stay.
    public static func stripFootnote(_ token: String) -> String {
        var digits = 0
        for b in token.utf8 {
            if b >= 0x30 && b <= 0x39 { digits += 1 } else { break }
        }
        guard digits > 0, digits <= 2 else { return token }
        let rest = token.dropFirst(digits)
        guard rest.count >= 3, rest.allSatisfy({ $0.isLetter }) else { return token }
        return String(rest)
    }

    /// The key titles are matched on: markup (`<i>…</i>`, `<fixed-case>`), TeX commands, braces,
    /// dollars and apostrophes dropped, then the tokens lower-cased and joined by one space.
    /// "On the Complexity of <i>Learning</i> Parity!" and "On the complexity of learning parity"
    /// share a key; so do "O'Brien" and "OBrien".
    public func titleKey(_ title: String) -> String {
        let text = TextNormalizer.withoutMarkup(title)
        if text.allSatisfy({ $0 < 0x80 }) {
            var out: [UInt8] = []
            out.reserveCapacity(text.count)
            text.withUnsafeBufferPointer { bytes in
                TextNormalizer.forEachASCIIToken(bytes, keepsDecimalPoints: false) { start, end in
                    if !out.isEmpty { out.append(0x20) }
                    for b in bytes[start..<end] { out.append(b >= 0x41 && b <= 0x5A ? b + 0x20 : b) }
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
        return unicodeTokens(String(decoding: text, as: UTF8.self), keepsDecimalPoints: false)
            .map(TextNormalizer.lowercase).joined(separator: " ")
    }

    /// The UTF-8 of `title` without markup, TeX commands (a backslash and the ASCII letters after
    /// it), `{`, `}`, `$`, `'` and `’`. A lone `<` is not markup: then only the apostrophes go.
    static func withoutMarkup(_ title: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(title.utf8.count)
        var inTag = false, inCommand = false
        var rightQuote = 0
        for b in title.utf8 {
            if inTag {
                if b == UInt8(ascii: ">") { inTag = false } // markup joins its text: <fixed-case>C</fixed-case>hinese
                continue
            }
            if inCommand {
                if (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) { continue }
                inCommand = false
            }
            switch b {
            case UInt8(ascii: "<"): inTag = true
            case UInt8(ascii: "\\"): inCommand = true
            case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "$"), UInt8(ascii: "'"): continue
            default: out.append(b)
            }
            // ’ is E2 80 99: dropped once its last byte arrives.
            rightQuote = b == 0xE2 ? 1 : (rightQuote == 1 && b == 0x80) ? 2 : (rightQuote == 2 && b == 0x99) ? 3 : 0
            if rightQuote == 3 { out.removeLast(3); rightQuote = 0 }
        }
        if inTag { return Array(title.replacingOccurrences(of: "'", with: "").replacingOccurrences(of: "’", with: "").utf8) }
        return out
    }

    /// The surname key of an author name as written ("Jürgen Müller" → "muller"; "Jian Sun Jr" →
    /// "sun"): the last word of its `titleKey` that is not a generational suffix.
    public func surnameKey(_ name: String) -> String {
        let words = titleKey(name)
        // Words from the last one back (no array of them: dedupe takes millions of surnames).
        var lastWord: Substring?
        var end = words.utf8.endIndex
        while end > words.utf8.startIndex {
            var start = end
            while start > words.utf8.startIndex, words.utf8[words.utf8.index(before: start)] != 0x20 { start = words.utf8.index(before: start) }
            if start < end {
                let word = words[start..<end]
                if !TextNormalizer.generationalSuffixes.contains(word) { return String(word) }
                if lastWord == nil { lastWord = word }
            }
            end = start > words.utf8.startIndex ? words.utf8.index(before: start) : start
        }
        return lastWord.map(String.init) ?? ""
    }

    /// Built once: dedupe takes the surname of millions of first authors.
    static let generationalSuffixes: Set<Substring> = ["jr", "sr", "ii", "iii", "iv"]
}

extension String {
    /// Leading and trailing whitespace (`TextNormalizer.isWhitespace`) removed.
    public var trimmingWhitespace: String {
        // ASCII ends (nearly every cell) are decided on the bytes: an ASCII byte is a whole scalar.
        let bytes = utf8
        guard let firstKept = bytes.firstIndex(where: { !String.isASCIIWhitespace($0) }) else { return "" }
        let lastKept = bytes.lastIndex(where: { !String.isASCIIWhitespace($0) })!
        if bytes[firstKept] < 0x80 && bytes[lastKept] < 0x80 {
            if firstKept == bytes.startIndex && bytes.index(after: lastKept) == bytes.endIndex { return self }
            return String(unicodeScalars[firstKept...lastKept])
        }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !TextNormalizer.isWhitespace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !TextNormalizer.isWhitespace($0) })!
        return String(scalars[first...last])
    }

    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
}

extension Substring {
    /// `String.trimmingWhitespace` of this slice.
    public var trimmingWhitespace: String { String(self).trimmingWhitespace }
}
