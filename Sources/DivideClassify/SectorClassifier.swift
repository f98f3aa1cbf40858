import DivideCore
import Foundation

/// One piece of evidence for an author's sector: the text that matched, what it matched, how.
public struct SectorEvidence: Equatable, Sendable {
    /// `affiliation` or `domain`.
    public var kind: String
    public var text: String
    public var target: MatchTarget

    /// The JSON of this value, written straight to bytes.
    public func write(to out: inout JSONSerializer) {
        out.writeRaw("{\"from\":")
        out.writeString(kind)
        out.writeRaw(",\"text\":")
        out.writeString(text)
        out.writeRaw(",\"organization\":")
        out.writeString(target.organization)
        out.writeRaw(",\"organization_id\":")
        out.writeString(target.organizationID)
        out.writeRaw(",\"sectors\":")
        out.writeSectors(target.sectors)
        out.writeRaw(",\"rule\":")
        out.writeString(target.rule)
        out.writeRaw("}")
    }
}

/// Affiliation string → organizations → sectors.
///
/// An affiliation string is cut into units at `;` `+` `|` (several affiliations of one author);
/// inside a unit every organization is found: registry and curated names by longest token match,
/// acronyms only as a whole segment (text between `,` `/` `(` `)` `:` `-`). A unit in which no
/// organization matched falls back to the keyword rules, then to the name model
/// (`OrganizationNameModel`). Results are memoized per string: the same affiliations recur
/// across thousands of papers.
public final class SectorClassifier {
    /// Affiliation string → its matches, shareable by the classifiers of several threads: the
    /// registry is read-only, so a string matches the same on every thread and each distinct
    /// string is matched once per run instead of once per thread.
    public final class Memo: @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [String: [MatchTarget]] = [:]

        public init() {}

        func lookup(_ affiliation: String) -> [MatchTarget]? {
            lock.lock()
            defer { lock.unlock() }
            return entries[affiliation]
        }

        func store(_ targets: [MatchTarget], for affiliation: String) {
            lock.lock()
            defer { lock.unlock() }
            if entries.count > 500_000 { entries.removeAll(keepingCapacity: true) }
            entries[affiliation] = targets
        }
    }

    public let registry: OrganizationRegistry
    /// The fallback for a unit that matched nothing (nil: such a unit stays unknown).
    public let nameModel: OrganizationNameModel?
    private let memo: Memo
    /// Its own (the normalizer caches accent folds): one SectorClassifier per thread, one shared
    /// registry (and memo, when the caller passes one).
    private let normalizer = TextNormalizer()

    public init(registry: OrganizationRegistry, nameModel: OrganizationNameModel? = nil, memo: Memo = Memo()) {
        self.registry = registry
        self.nameModel = nameModel
        self.memo = memo
    }

    /// Every organization (or keyword rule) the string names; empty when none.
    public func match(affiliation: String) -> [MatchTarget] {
        if let hit = memo.lookup(affiliation) { return hit }
        var out: [MatchTarget] = []
        for unit in SectorClassifier.units(affiliation) {
            for target in matchUnit(unit) where !out.contains(where: { $0.organizationID == target.organizationID }) {
                out.append(target)
            }
        }
        memo.store(out, for: affiliation)
        return out
    }

    /// The sectors the string names, in `Sector` order.
    public func sectors(affiliation: String) -> [Sector] {
        Array(Set(match(affiliation: affiliation).flatMap(\.sectors))).sorted()
    }

    static func units(_ text: String) -> [Substring] {
        text.split(whereSeparator: { $0 == ";" || $0 == "+" || $0 == "|" || $0 == "\n" || $0 == "；" })
    }

    static func isSegmentBreak(_ c: Character) -> Bool {
        // Nearly every character is one ASCII byte: one switch on it, not fourteen Character comparisons.
        if let byte = c.asciiValue {
            switch byte {
            case UInt8(ascii: ","), UInt8(ascii: "/"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"),
                 UInt8(ascii: ":"), UInt8(ascii: "*"), UInt8(ascii: "&"), UInt8(ascii: "@"):
                return true
            default:
                return false
            }
        }
        return c == "，" || c == "、" || c == "†" || c == "‡"
    }

    /// A unit is matched without its parenthesized parts first ("Key Laboratory of … (NIST)": the
    /// parenthesis repeats the name as an acronym); only if that finds nothing, with them.
    private func matchUnit(_ unit: Substring) -> [MatchTarget] {
        let bare = SectorClassifier.withoutParentheses(unit)
        if bare != unit {
            let found = matchText(Substring(bare))
            if !found.isEmpty { return found }
        }
        let found = matchText(unit)
        // No registry, curated or keyword match: the name model's sector, when it is confident.
        if found.isEmpty, let model = nameModel {
            return model.match(unit: bare, tokens: OrganizationRegistry.affiliationTokens(bare, using: normalizer)).map { [$0] } ?? []
        }
        return found
    }

    static func withoutParentheses(_ text: Substring) -> String {
        var depth = 0
        // ASCII text (nearly every unit) on its bytes, each a Character but for CR LF, which is
        // copied the same either way.
        if TextNormalizer.isASCII(text) {
            var out: [UInt8] = []
            out.reserveCapacity(text.utf8.count)
            for b in text.utf8 {
                if b == UInt8(ascii: "(") || b == UInt8(ascii: "[") { depth += 1; out.append(0x20); continue }
                if b == UInt8(ascii: ")") || b == UInt8(ascii: "]") { depth = max(0, depth - 1); out.append(0x20); continue }
                if depth == 0 { out.append(b) }
            }
            return String(decoding: out, as: UTF8.self)
        }
        var out = ""
        for c in text {
            if c == "(" || c == "[" { depth += 1; out.append(" "); continue }
            if c == ")" || c == "]" { depth = max(0, depth - 1); out.append(" "); continue }
            if depth == 0 { out.append(c) }
        }
        return out
    }

    private func matchText(_ unit: Substring) -> [MatchTarget] {
        // Tokens of the whole unit, with the token range of each segment.
        var tokens: [String] = []
        var segments: [Range<Int>] = []
        for segment in unit.split(whereSeparator: SectorClassifier.isSegmentBreak) {
            // " - " separates segments too ("ETIS - CY Cergy Paris University"), a hyphen inside a word does not.
            // (Without a hyphen there is nothing to separate: most segments skip Foundation's search.)
            let pieces = segment.utf8.contains(UInt8(ascii: "-")) ? segment.components(separatedBy: " - ") : [String(segment)]
            for piece in pieces {
                let t = OrganizationRegistry.affiliationTokens(piece, using: normalizer)
                if t.isEmpty { continue }
                segments.append(tokens.count..<(tokens.count + t.count))
                tokens += t
            }
        }
        guard !tokens.isEmpty else { return [] }
        let found = organizations(tokens, segments)
        if !found.isEmpty { return found }
        // Nothing matched as written: a misspelled long word, an abbreviated university name or a
        // known name with a descriptor may still name an organization, before any keyword rule.
        // Of the spelling readings, one alone may name organizations ("SRI Internaional": only
        // "international", not "internacional", makes a name).
        let named = registry.spellingReadings(tokens).map { organizations($0, segments) }.filter { !$0.isEmpty }
        if let first = named.first, named.allSatisfy({ $0.map(\.organizationID) == first.map(\.organizationID) }) {
            return first.map { $0.reached(by: "spelling") }
        }
        let variants = abbreviatedOrDescribed(tokens, segments)
        if !variants.isEmpty { return variants }
        for (pattern, target) in registry.keywords where SectorClassifier.contains(tokens, pattern) {
            return [target]
        }
        return []
    }

    /// Every organization the tokens name by the registry's names (longest match, see the type's comment).
    private func organizations(_ tokens: [String], _ segments: [Range<Int>]) -> [MatchTarget] {
        struct Candidate { let start: Int; let length: Int; let target: MatchTarget }
        var candidates: [Candidate] = []
        let n = tokens.count
        for i in 0..<n {
            let maxLen = min(registry.maxPhraseTokens, n - i)
            var key = tokens[i]
            for len in 1...maxLen {
                if len > 1 { key += " " + tokens[i + len - 1] }
                let found = registry.phrasePrefix(key)
                guard found.isPrefix else { break }
                if let t = found.phrase { candidates.append(Candidate(start: i, length: len, target: t)) }
            }
        }
        // Registry names and acronyms matched as a whole segment. Outside the curated file they are
        // trusted only where they cannot be a place or a generic phrase: a single word must open
        // the unit and have four letters or more ("Tohoku, Japan", not "Bellevue, WA" or "LTD");
        // several words must include a distinctive one — unless the segment is the whole unit.
        for (s, range) in segments.enumerated() {
            let words = Array(tokens[range])
            guard let t = registry.segment(words.joined(separator: " ")) else { continue }
            if t.priority > 0 && segments.count > 1 {
                if words.count == 1 && (s != 0 || words[0].count < 4) { continue }
                if words.count > 1 && !OrganizationRegistry.isDistinctive(words) { continue }
            }
            candidates.append(Candidate(start: range.lowerBound, length: range.count, target: t))
        }
        if segments.count > 1, let t = registry.segment(tokens.joined(separator: " ")) {
            candidates.append(Candidate(start: 0, length: n, target: t))
        }
        candidates.sort { a, b in
            if a.length != b.length { return a.length > b.length }
            if a.target.priority != b.target.priority { return a.target.priority < b.target.priority }
            return a.start < b.start
        }
        var taken = [Bool](repeating: false, count: n)
        var out: [MatchTarget] = []
        for c in candidates {
            let span = c.start..<(c.start + c.length)
            if span.contains(where: { taken[$0] }) { continue }
            for k in span { taken[k] = true }
            if !out.contains(where: { $0.organizationID == c.target.organizationID }) { out.append(c.target) }
        }
        // Chinese key laboratories name the ministry that accredits them ("Key Laboratory of …,
        // Ministry of Education, X University"): the ministry is not the author's employer.
        if SectorClassifier.contains(tokens, ["key", "laboratory"]) || SectorClassifier.contains(tokens, ["key", "lab"]) {
            out.removeAll { $0.sectors == [.government] && $0.organization.lowercased().hasPrefix("ministry") }
        }
        return out
    }

    /// Segments written as an abbreviation of a university's name ("U. Tilburg", "U. Penn.",
    /// "UT Arlington", "UC Irvine") or as a known one-word or acronym name followed only by
    /// descriptor words ("Technicolor Research", "GTE Laboratories Incorporated", "Dyson Robot
    /// Learning Lab"): the organizations they name, each segment on its own.
    private func abbreviatedOrDescribed(_ tokens: [String], _ segments: [Range<Int>]) -> [MatchTarget] {
        var out: [MatchTarget] = []
        for range in segments {
            let words = Array(tokens[range])
            let hit = SectorClassifier.expandedUniversityNames(words).lazy.compactMap { self.registry.segment($0) ?? self.registry.phrase($0) }.first?.reached(by: "abbreviation")
                ?? describedOrganization(words)?.reached(by: "descriptor")
            if let hit, !out.contains(where: { $0.organizationID == hit.organizationID }) { out.append(hit) }
        }
        return out
    }

    /// Words that describe a part of an organization (a lab, a product group) and never name one.
    static let descriptorWords: Set<String> = [
        "research", "lab", "labs", "laboratory", "laboratories", "ai", "garage", "microscopy", "discovery", "ads",
        "advertising", "robot", "robotics", "learning", "machine", "intelligence", "artificial", "incorporated", "inc",
        "corp", "corporation", "ltd", "llc", "gmbh", "ag", "technologies", "technology", "innovation", "r", "d", "i",
        "and", "center", "centre", "group", "team", "data", "science", "applied", "vision", "speech", "cloud",
        "search", "software", "engineering", "digital", "media", "x",
    ]

    /// A known name (its first one or two words; never an acronym, which is too often an ordinary
    /// word: "Sea Group", "FAR AI") followed only by descriptor words. The name must be
    /// distinctive and of three letters or more, so "AI Research" or "R&D Center" name nothing.
    private func describedOrganization(_ words: [String]) -> MatchTarget? {
        guard words.count >= 2 else { return nil }
        for nameLength in stride(from: min(2, words.count - 1), through: 1, by: -1) {
            let name = Array(words[..<nameLength])
            guard words[nameLength...].allSatisfy(SectorClassifier.descriptorWords.contains),
                  !name.contains(where: SectorClassifier.descriptorWords.contains),
                  OrganizationRegistry.isDistinctive(name), name.joined().count >= 3,
                  let hit = registry.described(name.joined(separator: " ")) else { continue }
            return hit
        }
        return nil
    }

    /// Words written short in university names, expanded only to try a name ("U. Penn.").
    static let shortWords: [String: String] = [
        "penn": "pennsylvania", "mich": "michigan", "calif": "california", "mass": "massachusetts",
        "wisc": "wisconsin", "minn": "minnesota", "wash": "washington", "tech": "technology",
    ]

    /// The names a segment abbreviating a university may stand for: "u X" → "university of X",
    /// "X university"; "ut X" → "university of texas at X"; "uc X" → "university of california X";
    /// "tu X" → "X university of technology", "technical university of X", "technische universität X".
    static func expandedUniversityNames(_ words: [String]) -> [String] {
        guard words.count >= 2, let first = words.first else { return [] }
        let tail = words.dropFirst().drop { $0 == "of" }
        guard !tail.isEmpty else { return [] }
        let rest = tail.map { shortWords[$0] ?? $0 }.joined(separator: " ")
        switch first {
        case "u": return ["university of " + rest, rest + " university", "university " + rest]
        case "ut": return ["university of texas at " + rest, "university of texas " + rest]
        case "uc": return ["university of california " + rest, "university of california at " + rest]
        case "tu": return [rest + " university of technology", "technical university of " + rest, "technische universitat " + rest]
        default: return []
        }
    }

    static func contains<Token: Equatable>(_ tokens: [Token], _ pattern: [Token]) -> Bool {
        guard pattern.count <= tokens.count, let first = pattern.first else { return false }
        var i = 0
        while i + pattern.count <= tokens.count {
            if tokens[i] == first {
                var ok = true
                for k in 1..<pattern.count where tokens[i + k] != pattern[k] { ok = false; break }
                if ok { return true }
            }
            i += 1
        }
        return false
    }
}
