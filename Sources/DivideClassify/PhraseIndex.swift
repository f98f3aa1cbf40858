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

    var isEmpty: Bool { patterns.isEmpty }

    mutating func add(_ tokens: [String], _ payload: Payload) {
        guard let first = tokens.first else { return }
        patterns.append(Pattern(tokens: tokens, payload: payload))
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
            guard let list = byFirst[tokens[i]] else { continue }
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
