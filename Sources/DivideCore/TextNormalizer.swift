import Foundation

/// Text normal forms shared by the source adapters (display text) and dedupe (match keys).
///
/// Whitespace, everywhere in the pipeline, is Unicode's White_Space property: tab through
/// carriage return, space, U+0085, no-break space, U+1680, U+2000–U+200A, the line and paragraph
/// separators, U+202F, U+205F and U+3000 (not the zero-width space, which is a format character).
public enum TextNormalizer {
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

    /// The key titles are matched on: markup (`<i>…</i>`, `<fixed-case>`) and TeX commands
    /// dropped, accents and case folded, every run of non-alphanumerics one space.
    /// "On the Complexity of <i>Learning</i> Parity!" and "On the complexity of learning parity"
    /// share a key.
    public static func titleKey(_ title: String) -> String {
        if let key = asciiTitleKey(title) { return key }
        var stripped = ""
        stripped.reserveCapacity(title.utf8.count)
        var inTag = false
        var inCommand = false
        for scalar in title.unicodeScalars {
            if inTag {
                if scalar == ">" { inTag = false } // markup joins its text: <fixed-case>C</fixed-case>hinese
                continue
            }
            if inCommand {
                if scalar.properties.isAlphabetic { continue }
                inCommand = false
            }
            switch scalar {
            case "<": inTag = true
            case "\\": inCommand = true
            case "{", "}", "$": continue
            default: stripped.unicodeScalars.append(scalar)
            }
        }
        if inTag { stripped = title } // a lone "<" was not markup
        let folded = stripped.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
        return alphanumericWords(folded)
    }

    /// The surname key of an author name as written ("Jürgen Müller" → "muller"; "Jian Sun Jr" →
    /// "sun"): the last word that is not a generational suffix, folded, letters and digits only.
    public static func surnameKey(_ name: String) -> String {
        let ascii = name.utf8.allSatisfy { $0 < 0x80 }
        let folded = ascii ? name : name.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
        let words = ascii ? asciiTitleKey(folded) ?? alphanumericWords(folded) : alphanumericWords(folded)
        // Words from the last one back (no array of them: dedupe takes millions of surnames).
        var lastWord: Substring?
        var end = words.utf8.endIndex
        while end > words.utf8.startIndex {
            var start = end
            while start > words.utf8.startIndex, words.utf8[words.utf8.index(before: start)] != 0x20 { start = words.utf8.index(before: start) }
            if start < end {
                let word = words[start..<end]
                if !generationalSuffixes.contains(word) { return String(word) }
                if lastWord == nil { lastWord = word }
            }
            end = start > words.utf8.startIndex ? words.utf8.index(before: start) : start
        }
        return lastWord.map(String.init) ?? ""
    }

    /// Built once: dedupe takes the surname of millions of first authors.
    static let generationalSuffixes: Set<Substring> = ["jr", "sr", "ii", "iii", "iv"]

    /// `titleKey` for all-ASCII titles (most of them) on bytes, without Foundation; nil otherwise.
    static func asciiTitleKey(_ title: String) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(title.utf8.count)
        var inTag = false, inCommand = false, pending = false
        for b in title.utf8 {
            if b >= 0x80 { return nil }
            if inTag {
                if b == UInt8(ascii: ">") { inTag = false }
                continue
            }
            let isLetter = (b >= 65 && b <= 90) || (b >= 97 && b <= 122)
            if inCommand {
                if isLetter { continue }
                inCommand = false
            }
            switch b {
            case UInt8(ascii: "<"): inTag = true
            case UInt8(ascii: "\\"): inCommand = true
            case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "$"), UInt8(ascii: "'"): continue
            default:
                if isLetter || (b >= 48 && b <= 57) {
                    if pending && !out.isEmpty { out.append(0x20) }
                    pending = false
                    out.append(b >= 65 && b <= 90 ? b + 32 : b)
                } else {
                    pending = true
                }
            }
        }
        if inTag { return nil } // a lone "<" was not markup: the general path handles it
        return String(decoding: out, as: UTF8.self)
    }

    /// Lower-case alphanumeric words joined by single spaces (apostrophes dropped inside words).
    static func alphanumericWords(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var pending = false
        for scalar in text.unicodeScalars {
            if scalar == "'" || scalar == "’" { continue }
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                if pending && !out.isEmpty { out.unicodeScalars.append(" ") }
                pending = false
                for l in scalar.properties.lowercaseMapping.unicodeScalars { out.unicodeScalars.append(l) }
            } else {
                pending = true
            }
        }
        return out
    }
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
