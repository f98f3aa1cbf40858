/// Multi-word patterns indexed by their first token, so a text is scanned once, token by token,
/// with one dictionary lookup per token instead of one regular expression per pattern.
struct PhraseIndex<Payload> {
    struct Pattern {
        let tokens: [String]
        let payload: Payload
    }

    private(set) var patterns: [Pattern] = []
    /// First token → indices into `patterns`, longest pattern first.
    private var byFirst: [String: [Int]] = [:]
    /// A cheap pre-check before hashing a token: set where some first token has the same first
    /// two bytes and length class. Most words of a text start no pattern and stop here.
    private var mayStart = [Bool](repeating: false, count: 1 << 16)

    @inline(__always)
    static func filterKey(_ token: String) -> Int {
        var b0 = 0, b1 = 0, n = 0
        for b in token.utf8 {
            if n == 0 { b0 = Int(b) } else if n == 1 { b1 = Int(b) }
            n += 1
            if n > 16 { break }
        }
        return ((b0 & 0x7F) << 9) | ((b1 & 0x7F) << 2) | (n <= 2 ? 0 : n <= 4 ? 1 : n <= 7 ? 2 : 3)
    }

    var isEmpty: Bool { patterns.isEmpty }

    mutating func add(_ tokens: [String], _ payload: Payload) {
        guard let first = tokens.first else { return }
        patterns.append(Pattern(tokens: tokens, payload: payload))
        mayStart[PhraseIndex.filterKey(first)] = true
        var list = byFirst[first, default: []]
        list.append(patterns.count - 1)
        list.sort { patterns[$0].tokens.count > patterns[$1].tokens.count }
        byFirst[first] = list
    }

    /// Every (start, pattern index) where a pattern occurs in `tokens`; at each start, all
    /// patterns that match (longest first).
    func occurrences(in tokens: [String], _ body: (_ start: Int, _ patternIndex: Int) -> Void) {
        let n = tokens.count
        for i in 0..<n {
            guard mayStart[PhraseIndex.filterKey(tokens[i])], let list = byFirst[tokens[i]] else { continue }
            for p in list {
                let pt = patterns[p].tokens
                if pt.count > n - i { continue }
                var ok = true
                var k = 1
                while k < pt.count {
                    if tokens[i + k] != pt[k] { ok = false; break }
                    k += 1
                }
                if ok { body(i, p) }
            }
        }
    }
}
