import Foundation

/// Splits text into word tokens the same way for patterns and for the text they are matched
/// against (reference/README.md, "Normalization"): accents folded, every character that is not
/// a letter or digit separates tokens, each CJK character is a token of its own. Tokens keep their
/// casing; callers lower-case where the match is case-insensitive.
///
/// Not thread-safe (it caches what each non-ASCII character is, with its accent fold); use one per thread.
public final class TextNormalizer {
    /// Keep "3.5" as one token (model versions); otherwise "." separates.
    public let keepsDecimalPoints: Bool
    private var kindCache: [UInt32: ScalarKind] = [:]

    public init(keepsDecimalPoints: Bool = false) {
        self.keepsDecimalPoints = keepsDecimalPoints
    }

    /// Tokens with their original casing (accents folded).
    public func tokens(_ text: String) -> [String] {
        var ascii = true
        for b in text.utf8 where b >= 0x80 { ascii = false; break }
        return ascii ? asciiTokens(text) : unicodeTokens(text)
    }

    /// The same rules on bytes, for the common all-ASCII text (no scalar decoding, no appends).
    private func asciiTokens(_ text: String) -> [String] {
        var out: [String] = []
        out.reserveCapacity(text.utf8.count / 5)
        var text = text
        text.withUTF8 { bytes in
            let n = bytes.count
            var start = -1
            var i = 0
            while i < n {
                let b = bytes[i]
                let isDigit = b >= 0x30 && b <= 0x39
                let isAlnum = isDigit || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                if isAlnum {
                    if start < 0 { start = i }
                } else if b == 0x2E && keepsDecimalPoints && start >= 0 && i > 0 && i + 1 < n
                            && bytes[i - 1] >= 0x30 && bytes[i - 1] <= 0x39 && bytes[i + 1] >= 0x30 && bytes[i + 1] <= 0x39 {
                    // "3.5": the dot stays inside the token
                } else if start >= 0 {
                    out.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
                    start = -1
                }
                i += 1
            }
            if start >= 0 { out.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<n]), as: UTF8.self)) }
        }
        return out
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
        if TextNormalizer.isCJK(scalar.value) {
            kind = .cjk
        } else {
            let props = scalar.properties
            kind = props.isAlphabetic || props.numericType != nil ? .word(Array(fold(scalar).utf8)) : .separator
        }
        kindCache[scalar.value] = kind
        return kind
    }

    /// Tokens are built as UTF-8 bytes (the same scalars a `String.UnicodeScalarView` would hold).
    private func unicodeTokens(_ text: String) -> [String] {
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
        tokens(text).map(TextNormalizer.lowercase)
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
        case "ﬁ": result = "fi"
        case "ﬂ": result = "fl"
        default: break
        }
        return result
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
}

/// A text split into tokens the way `TextNormalizer(keepsDecimalPoints: true)` splits it, kept as
/// 64-bit hashes (FNV-1a of the lower-cased token, and of its plural-stripped form) so phrase
/// lookups hash integers, not strings. All-ASCII text (nearly every title and abstract) is scanned
/// on bytes without creating a String per token; original-case tokens are made on demand.
public struct ScannedText {
    public private(set) var lower: [UInt64] = []
    /// Hash of `TextNormalizer.stem` of the lower-cased token.
    public private(set) var stem: [UInt64] = []
    private var text: String = ""
    private var ranges: [Range<Int>] = []
    private var tokens: [String]? = nil

    public var count: Int { lower.count }

    public init(_ text: String, normalizer: TextNormalizer) {
        precondition(normalizer.keepsDecimalPoints, "ScannedText follows the model/topic tokenization")
        var ascii = true
        for b in text.utf8 where b >= 0x80 { ascii = false; break }
        if !ascii {
            let t = normalizer.tokens(text)
            tokens = t
            lower.reserveCapacity(t.count)
            stem.reserveCapacity(t.count)
            for token in t {
                let l = TextNormalizer.lowercase(token)
                lower.append(ScannedText.hash(l))
                stem.append(ScannedText.hash(TextNormalizer.stem(l)))
            }
            return
        }
        self.text = text
        var text = text
        // The arrays are locals of the closure and grown through `inout` (no captured variables),
        // so the per-token appends carry no dynamic exclusivity checks.
        (lower, stem, ranges) = text.withUTF8 { bytes in
            var lower: [UInt64] = [], stem: [UInt64] = [], ranges: [Range<Int>] = []
            let estimate = bytes.count / 5 + 1
            lower.reserveCapacity(estimate)
            stem.reserveCapacity(estimate)
            ranges.reserveCapacity(estimate)
            let n = bytes.count
            var start = -1
            var i = 0
            while i < n {
                let b = bytes[i]
                let isAlnum = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                if isAlnum {
                    if start < 0 { start = i }
                } else if b == 0x2E && start >= 0 && i > 0 && i + 1 < n
                            && bytes[i - 1] >= 0x30 && bytes[i - 1] <= 0x39 && bytes[i + 1] >= 0x30 && bytes[i + 1] <= 0x39 {
                    // "3.5" stays one token
                } else if start >= 0 {
                    ScannedText.appendToken(bytes, start, i, &lower, &stem, &ranges)
                    start = -1
                }
                i += 1
            }
            if start >= 0 { ScannedText.appendToken(bytes, start, n, &lower, &stem, &ranges) }
            return (lower, stem, ranges)
        }
    }

    /// FNV-1a over the lower-cased bytes of `start..<end`; the stem hash stops before a plural "s".
    @inline(__always)
    private static func appendToken(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int,
                                    _ lower: inout [UInt64], _ stem: inout [UInt64], _ ranges: inout [Range<Int>]) {
        var h: UInt64 = 0xcbf29ce484222325
        var beforeLast: UInt64 = 0
        for k in start..<end {
            beforeLast = h
            var b = bytes[k]
            if b >= 0x41 && b <= 0x5A { b += 0x20 }
            h = (h ^ UInt64(b)) &* 0x100000001b3
        }
        lower.append(h)
        var stemmed = h
        if end - start > 3 && bytes[end - 1] | 0x20 == UInt8(ascii: "s") {
            let prev = bytes[end - 2] | 0x20
            if prev != UInt8(ascii: "s") && prev != UInt8(ascii: "u") && prev != UInt8(ascii: "i") { stemmed = beforeLast }
        }
        stem.append(stemmed)
        ranges.append(start..<end)
    }

    /// The i-th token in its original casing.
    public func exact(_ i: Int) -> String {
        if let tokens { return tokens[i] }
        let r = ranges[i]
        let utf8 = text.utf8
        return String(utf8[utf8.index(utf8.startIndex, offsetBy: r.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: r.upperBound)])!
    }

    /// FNV-1a of a token's UTF-8 bytes (callers pass it lower-cased).
    public static func hash(_ token: String) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in token.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return h
    }
}
