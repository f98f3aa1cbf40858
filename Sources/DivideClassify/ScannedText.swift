import DivideCore

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
        if !TextNormalizer.isASCII(text) {
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
        (lower, stem, ranges) = text.withUTF8 { bytes in
            var lower: [UInt64] = [], stem: [UInt64] = [], ranges: [Range<Int>] = []
            let estimate = bytes.count / 5 + 1
            lower.reserveCapacity(estimate)
            stem.reserveCapacity(estimate)
            ranges.reserveCapacity(estimate)
            TextNormalizer.forEachASCIIToken(bytes, keepsDecimalPoints: true) { start, end in
                ScannedText.appendToken(bytes, start, end, &lower, &stem, &ranges)
            }
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
