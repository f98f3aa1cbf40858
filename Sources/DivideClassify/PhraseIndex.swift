/// Multi-word patterns indexed by their first token, so a text is scanned once, token by token,
/// with one integer lookup per token instead of one regular expression per pattern. Tokens are
/// `ScannedText` hashes.
struct PhraseIndex<Payload> {
    struct Pattern {
        let tokens: [UInt64]
        let payload: Payload
    }

    private(set) var patterns: [Pattern] = []
    /// First token → indices into `patterns`, longest pattern first.
    private var byFirst: [UInt64: [Int]] = [:]
    /// A cheap pre-check before the dictionary: set where some first token has the same low
    /// 16 bits. Most words of a text start no pattern and stop here.
    private var mayStart = [Bool](repeating: false, count: 1 << 16)

    var isEmpty: Bool { patterns.isEmpty }

    mutating func add(_ tokens: [UInt64], _ payload: Payload) {
        guard let first = tokens.first else { return }
        patterns.append(Pattern(tokens: tokens, payload: payload))
        mayStart[Int(truncatingIfNeeded: first & 0xFFFF)] = true
        var list = byFirst[first, default: []]
        list.append(patterns.count - 1)
        list.sort { patterns[$0].tokens.count > patterns[$1].tokens.count }
        byFirst[first] = list
    }

    /// Every (start, pattern index) where a pattern occurs in `tokens`; at each start, all
    /// patterns that match (longest first).
    func occurrences(in tokens: [UInt64], _ body: (_ start: Int, _ patternIndex: Int) -> Void) {
        let n = tokens.count
        for i in 0..<n {
            let t = tokens[i]
            guard mayStart[Int(truncatingIfNeeded: t & 0xFFFF)], let list = byFirst[t] else { continue }
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
