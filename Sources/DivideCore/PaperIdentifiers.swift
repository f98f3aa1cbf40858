/// Normal forms of the identifiers papers are matched on. One place, used by every source
/// adapter and by dedupe, so "the same DOI" means the same thing everywhere.
public enum PaperIdentifiers {
    /// A DOI lower-cased, without resolver prefix (`https://doi.org/`, `doi:`); nil if it is not
    /// a DOI (must start `10.` and have a suffix after `/`).
    public static func normalizeDOI(_ raw: String) -> String? {
        guard raw.utf8.contains(UInt8(ascii: "/")) else { return nil }
        var s = Substring(raw.trimmingASCIIWhitespace)
        let lower = s.lowercased()
        for prefix in ["https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi.org/", "doi:"] where lower.hasPrefix(prefix) {
            s = s.dropFirst(prefix.count)
            break
        }
        let doi = s.lowercased()
        guard doi.hasPrefix("10."), let slash = doi.firstIndex(of: "/"), doi.index(after: slash) < doi.endIndex else { return nil }
        return doi
    }

    /// The arXiv id a DataCite arXiv DOI stands for: `10.48550/arxiv.1706.03762` → `1706.03762`.
    public static func arxivID(fromDOI doi: String) -> String? {
        let prefix = "10.48550/arxiv."
        guard doi.hasPrefix(prefix) else { return nil }
        return normalizeArxivID(String(doi.dropFirst(prefix.count)))
    }

    /// An arXiv id without version suffix: `1706.03762v5` → `1706.03762`, `cs/0501001v2` → `cs/0501001`.
    /// Accepts `arXiv:` prefixes and abs/pdf URLs; nil if the text holds no arXiv id.
    public static func normalizeArxivID(_ raw: String) -> String? {
        guard raw.utf8.count >= 7 else { return nil }
        if let id = bareNewStyleID(raw) { return id }
        var s = Substring(raw.trimmingASCIIWhitespace)
        if s.utf8.contains(UInt8(ascii: ":")) {  // a URL or an `arXiv:` prefix; bare ids skip this
            for marker in ["arxiv.org/abs/", "arxiv.org/pdf/", "arXiv:", "arxiv:"] {
                if let r = s.range(of: marker) { s = s[r.upperBound...] }
            }
        }
        if s.hasSuffix(".pdf") { s = s.dropLast(4) }
        while let last = s.last, last == "/" { s = s.dropLast() }
        // Strip a version suffix vN.
        if let v = s.lastIndex(of: "v"), s.index(after: v) < s.endIndex, s[s.index(after: v)...].allSatisfy(\.isNumber),
           v > s.startIndex, s[s.index(before: v)].isNumber {
            s = s[..<v]
        }
        let id = String(s)
        // New style: 0704.0001 / 1501.00001; old style: archive(.SUB)/YYMMNNN.
        let parts = id.split(separator: ".", maxSplits: 1)
        if parts.count == 2, parts[0].count == 4, parts[0].allSatisfy(\.isNumber), (4...5).contains(parts[1].count), parts[1].allSatisfy(\.isNumber) {
            return id
        }
        if let slash = id.firstIndex(of: "/") {
            let tail = id[id.index(after: slash)...]
            if tail.count == 7, tail.allSatisfy(\.isNumber), id[..<slash].allSatisfy({ $0.isLetter || $0 == "-" || $0 == "." }) { return id }
        }
        return nil
    }
}

extension PaperIdentifiers {
    /// `1706.03762` or `1706.03762v5`, as most records give it, without its version; nil for
    /// anything else (the general path handles it). Bytes, not Characters: dedupe normalizes
    /// millions of ids.
    static func bareNewStyleID(_ raw: String) -> String? {
        var raw = raw
        return raw.withUTF8 { b -> String? in
            func isDigit(_ i: Int) -> Bool { b[i] >= 0x30 && b[i] <= 0x39 }
            guard b.count >= 9, (0..<4).allSatisfy(isDigit), b[4] == UInt8(ascii: ".") else { return nil }
            var end = 5
            while end < b.count, isDigit(end) { end += 1 }
            guard end == 9 || end == 10 else { return nil }
            if end < b.count {
                guard b[end] == UInt8(ascii: "v"), end + 1 < b.count, (end + 1..<b.count).allSatisfy(isDigit) else { return nil }
            }
            return String(decoding: UnsafeBufferPointer(rebasing: b[..<end]), as: UTF8.self)
        }
    }
}

extension String {
    var trimmingASCIIWhitespace: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" || c == "\r\n" || c == "\n" || c == "\r" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\r\n" || c == "\n" || c == "\r" { s.removeLast() }
        return String(s)
    }
}
