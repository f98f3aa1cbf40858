/// Decodes the HTML character references the scraped paper lists carry (`Shin&#x27;ya`,
/// `Zhangyang &quot;Atlas&quot; Wang`, and doubly escaped `D&amp;#x27;Amelio`). Only well-formed
/// numeric references and a short list of named ones are decoded: `Texas A&M;University` (an
/// affiliation followed by the `;` separator) must stay as it is.
enum HTMLEntities {
    static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ",
        "mdash": "—", "ndash": "–", "hellip": "…", "rsquo": "’", "lsquo": "‘", "rdquo": "”", "ldquo": "“",
    ]

    /// Decodes repeatedly (at most three rounds) so double escaping comes out as text.
    static func decode(_ text: String) -> String {
        guard hasByte(text, 38) else { return text }
        var current = text
        for _ in 0..<3 {
            let next = decodeOnce(current)
            if next == current { break }
            current = next
        }
        return current
    }

    private static func decodeOnce(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            guard c == "&", let semi = text[i...].prefix(12).firstIndex(of: ";") else {
                out.append(c)
                i = text.index(after: i)
                continue
            }
            let body = text[text.index(after: i)..<semi]
            if let replacement = resolve(body) {
                out.append(replacement)
                i = text.index(after: semi)
            } else {
                out.append(c)
                i = text.index(after: i)
            }
        }
        return out
    }

    private static func resolve(_ body: Substring) -> String? {
        if body.hasPrefix("#x") || body.hasPrefix("#X") {
            guard let v = UInt32(body.dropFirst(2), radix: 16), let s = Unicode.Scalar(v) else { return nil }
            return String(Character(s))
        }
        if body.hasPrefix("#") {
            guard let v = UInt32(body.dropFirst()), let s = Unicode.Scalar(v) else { return nil }
            return String(Character(s))
        }
        return named[String(body)]
    }
}
