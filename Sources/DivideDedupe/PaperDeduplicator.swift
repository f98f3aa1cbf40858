import DivideCore

/// Merges paper records of the same paper across sources (arXiv, conference lists, ACL Anthology)
/// and versions, in two streaming passes so memory holds only the match index, never the papers:
///
/// 1. `index(_:)` each record (id, identifiers, title key, year, first-author surname);
///    `cluster()` then joins records by three rules, strongest first:
///    - `arxiv_id`: the same arXiv id (a record's own, a conference list's arXiv link, or the
///      DataCite DOI `10.48550/arXiv.<id>`);
///    - `doi`: the same DOI, case-folded (arXiv DOIs were turned into arXiv ids above);
///    - `title_year_author`: the same title key (`TextNormalizer.titleKey`: case, accents,
///      punctuation and markup folded), the same first-author surname, and years at most one apart.
///    A join that would put two different arXiv ids in one paper is refused, and so is a title
///    join of records with two different DOIs; refusals are audited as `blocked`.
/// 2. `merge(_:)` the records of each cluster as they stream past a second time.
///
/// Records whose status is `rejected` or `withdrawn` (conference submissions) are excluded from
/// the analysis set before matching, and counted.
public final class PaperDeduplicator {
    public enum Rule: String, CaseIterable, Sendable {
        case arxivID = "arxiv_id"
        case doi = "doi"
        case titleYearAuthor = "title_year_author"
    }

    /// One line of the audit: a join (or a refused one) between two records.
    public struct AuditEntry: Equatable {
        public var rule: Rule
        public var key: String
        public var a: String
        public var b: String
        /// Why the join was refused; nil for a merge.
        public var blocked: String?
    }

    /// What the index keeps of a record.
    struct Entry {
        var id: String
        var source: String
        var arxivID: String?
        var doi: String?
        var titleKey: String
        var surname: String
        var year: Int?
    }

    public static let excludedStatuses: Set<String> = ["rejected", "withdrawn"]

    private var entries: [Entry] = []
    private var positionByID: [String: Int] = [:]
    private var parent: [Int] = []
    /// Per cluster root: its arXiv ids and DOIs (for the conflict guards).
    private var arxivIDs: [Int: Set<String>] = [:]
    private var dois: [Int: Set<String>] = [:]
    /// Per cluster root: its ACL Anthology record, if any.
    private var aclRecord: [Int: String] = [:]
    public private(set) var audit: [AuditEntry] = []
    public private(set) var mergesByRule: [Rule: Int] = [:]
    public private(set) var blockedByRule: [Rule: Int] = [:]
    public private(set) var excludedByStatus: [String: Int] = [:]
    public private(set) var duplicateIDs = 0

    public init() {}

    // MARK: pass 1

    /// Adds a record to the index. Returns false when the record is excluded (status) or its id
    /// was indexed already (the same source record twice).
    @discardableResult
    public func index(_ record: PaperRecord) -> Bool {
        index(id: record.id, source: record.source, status: record.status, title: record.title, year: record.year,
              arxivID: record.arxivID, doi: record.doi, firstAuthor: record.authors.first?.name)
    }

    static let indexKeys: Set<String> = ["id", "source", "status", "title", "year", "arxiv_id", "doi", "authors"]

    /// `index` on a raw stage-file line: only the fields the index needs are decoded.
    @discardableResult
    public func index(line: UnsafeBufferPointer<UInt8>) throws -> Bool {
        try index(json: JSONParser.parseObject(line, keeping: PaperDeduplicator.indexKeys))
    }

    /// `index` straight from a decoded stage file line, without building a `PaperRecord`.
    @discardableResult
    public func index(json: JSONValue) throws -> Bool {
        index(id: try json.requireString("id"), source: try json.requireString("source"), status: json["status"]?.stringValue,
              title: try json.requireString("title"), year: json["year"]?.intValue, arxivID: json["arxiv_id"]?.stringValue,
              doi: json["doi"]?.stringValue, firstAuthor: json["authors"]?.arrayValue?.first?["name"]?.stringValue)
    }

    func index(id: String, source: String, status: String?, title: String, year: Int?, arxivID: String?, doi rawDOI: String?, firstAuthor: String?) -> Bool {
        if let status, PaperDeduplicator.excludedStatuses.contains(status) {
            excludedByStatus[status, default: 0] += 1
            return false
        }
        guard positionByID[id] == nil else {
            duplicateIDs += 1
            return false
        }
        var arxiv = arxivID.flatMap(PaperIdentifiers.normalizeArxivID)
        var doi = rawDOI.flatMap(PaperIdentifiers.normalizeDOI)
        if let d = doi, let fromDOI = PaperIdentifiers.arxivID(fromDOI: d) {
            if arxiv == nil { arxiv = fromDOI }
            doi = nil
        }
        let position = entries.count
        entries.append(Entry(
            id: id, source: source, arxivID: arxiv, doi: doi,
            titleKey: TextNormalizer.titleKey(title),
            surname: firstAuthor.map(TextNormalizer.surnameKey) ?? "",
            year: year))
        positionByID[id] = position
        parent.append(position)
        if let arxiv { arxivIDs[position] = [arxiv] }
        if let doi { dois[position] = [doi] }
        if source == "acl" { aclRecord[position] = id }
        return true
    }

    /// Whether a record's status keeps it out of the analysis set.
    public static func isExcluded(_ record: PaperRecord) -> Bool {
        record.status.map { excludedStatuses.contains($0) } ?? false
    }

    private func find(_ i: Int) -> Int {
        var root = i
        while parent[root] != root { root = parent[root] }
        var j = i
        while parent[j] != root { let next = parent[j]; parent[j] = root; j = next }
        return root
    }

    private func join(_ i: Int, _ j: Int, rule: Rule, key: String) {
        let ri = find(i), rj = find(j)
        guard ri != rj else { return }
        let ai = arxivIDs[ri] ?? [], aj = arxivIDs[rj] ?? []
        if !ai.isEmpty, !aj.isEmpty, ai != aj {
            blockedByRule[rule, default: 0] += 1
            audit.append(AuditEntry(rule: rule, key: key, a: entries[i].id, b: entries[j].id,
                                    blocked: "different arXiv ids (\(ai.sorted().joined(separator: ",")) vs \(aj.sorted().joined(separator: ",")))"))
            return
        }
        if let ai = aclRecord[ri], let aj = aclRecord[rj] {
            blockedByRule[rule, default: 0] += 1
            audit.append(AuditEntry(rule: rule, key: key, a: entries[i].id, b: entries[j].id,
                                    blocked: "two ACL Anthology papers (\(ai), \(aj))"))
            return
        }
        let di = dois[ri] ?? [], dj = dois[rj] ?? []
        if rule == .titleYearAuthor, !di.isEmpty, !dj.isEmpty, di.isDisjoint(with: dj) {
            blockedByRule[rule, default: 0] += 1
            audit.append(AuditEntry(rule: rule, key: key, a: entries[i].id, b: entries[j].id,
                                    blocked: "different DOIs (\(di.sorted().joined(separator: ",")) vs \(dj.sorted().joined(separator: ",")))"))
            return
        }
        // The earlier record's root survives, so clusters do not depend on hash order.
        let (keep, gone) = ri < rj ? (ri, rj) : (rj, ri)
        parent[gone] = keep
        if !aj.isEmpty || !ai.isEmpty { arxivIDs[keep] = ai.union(aj) }
        if !dj.isEmpty || !di.isEmpty { dois[keep] = di.union(dj) }
        if aclRecord[keep] == nil { aclRecord[keep] = aclRecord[gone] }
        arxivIDs[gone] = nil
        dois[gone] = nil
        aclRecord[gone] = nil
        mergesByRule[rule, default: 0] += 1
        audit.append(AuditEntry(rule: rule, key: key, a: entries[i].id, b: entries[j].id, blocked: nil))
    }

    /// Joins the indexed records by the three rules, in order. Call once, after indexing.
    public func cluster() {
        // Rule 1 and 2: exact identifiers, records joined to the first record with the key.
        for (rule, keyOf) in [(Rule.arxivID, { (e: Entry) in e.arxivID }), (Rule.doi, { (e: Entry) in e.doi })] {
            var first: [String: Int] = [:]
            for (i, e) in entries.enumerated() {
                guard let key = keyOf(e) else { continue }
                if let j = first[key] { join(j, i, rule: rule, key: key) } else { first[key] = i }
            }
        }
        // Rule 3: same title key and first-author surname; years sorted, neighbours at most 1 apart.
        var groups: [String: [Int]] = [:]
        var order: [String] = []
        for (i, e) in entries.enumerated() {
            guard e.year != nil, !e.surname.isEmpty, e.titleKey.utf8.contains(32) else { continue }
            let key = e.titleKey + "|" + e.surname
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(i)
        }
        for key in order {
            let members = groups[key]!
            guard members.count > 1 else { continue }
            let sorted = members.sorted { (entries[$0].year!, $0) < (entries[$1].year!, $1) }
            for (a, b) in zip(sorted, sorted.dropFirst()) where entries[b].year! - entries[a].year! <= 1 {
                join(a, b, rule: .titleYearAuthor, key: key)
            }
        }
    }

    /// Number of records merged away (sum over clusters of size − 1).
    public var mergedCount: Int { mergesByRule.values.reduce(0, +) }

    // MARK: pass 2

    private var pending: [Int: [PaperRecord]] = [:]
    private var seenInSecondPass = Set<Int>()
    private var clusterSize: [Int: Int] = [:]

    /// Feeds a record of the second pass; returns the merged paper when this record completes its
    /// cluster (a record alone is its own cluster), nil while a cluster waits for members, and nil
    /// for records `index` did not keep.
    public func merge(_ record: PaperRecord) -> PaperRecord? {
        guard let position = positionByID[record.id], seenInSecondPass.insert(position).inserted else { return nil }
        if clusterSize.isEmpty { computeClusterSizes() }
        let root = find(position)
        let size = clusterSize[root] ?? 1
        if size == 1 {
            var single = record
            single.sources = [record.id]
            return single
        }
        pending[root, default: []].append(record)
        guard pending[root]!.count == size else { return nil }
        let members = pending.removeValue(forKey: root)!
        return PaperDeduplicator.combine(members)
    }

    /// `merge` straight from a stage file line: a record alone is passed through with only its
    /// `sources` filled in (no decoding); cluster members are decoded and combined.
    public func merge(json: JSONValue) throws -> JSONValue? {
        let id = try json.requireString("id")
        guard let position = positionByID[id] else { return nil }
        if clusterSize.isEmpty { computeClusterSizes() }
        if (clusterSize[find(position)] ?? 1) == 1 {
            guard seenInSecondPass.insert(position).inserted, case let .object(pairs) = json else { return nil }
            var patched = pairs
            if let i = patched.firstIndex(where: { $0.0 == "sources" }) {
                patched[i].1 = .strings([id])
            } else {
                patched.append(("sources", .strings([id])))
            }
            return .object(patched)
        }
        return merge(try PaperRecord(json: json))?.json
    }

    /// What to do with one line of the second pass.
    public enum LineOutcome {
        /// Write these bytes as the output line (a record alone, passed through).
        case serialized([UInt8])
        /// Write this merged record.
        case record(JSONValue)
        /// A cluster member held until its cluster is complete, or an excluded record.
        case none
    }

    static let idPrefix = Array(#"{"id":""#.utf8)
    static let emptySources = Array(#""sources":[]"#.utf8)

    /// `merge` on a raw stage-file line. A record alone — nearly all of them — is copied through
    /// with `"sources":[]` filled in at the byte level, never decoded; this relies on the record
    /// writer's fixed key order (`id` first) and falls back to a full decode when the line does
    /// not look as expected. Cluster members are decoded and combined.
    public func merge(line: UnsafeBufferPointer<UInt8>) throws -> LineOutcome {
        if let id = PaperDeduplicator.leadingID(line) {
            guard let position = positionByID[id] else { return .none }
            if clusterSize.isEmpty { computeClusterSizes() }
            if (clusterSize[find(position)] ?? 1) == 1, let at = PaperDeduplicator.lastIndex(of: PaperDeduplicator.emptySources, in: line) {
                guard seenInSecondPass.insert(position).inserted else { return .none }
                var serializer = JSONSerializer()
                serializer.writeString(id)
                var out: [UInt8] = []
                out.reserveCapacity(line.count + serializer.bytes.count + 2)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: line[..<(at + PaperDeduplicator.emptySources.count - 1)]))
                out.append(contentsOf: serializer.bytes)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: line[(at + PaperDeduplicator.emptySources.count - 1)...]))
                return .serialized(out)
            }
        }
        guard let merged = try merge(json: JSONParser.parse(line)) else { return .none }
        return .record(merged)
    }

    /// The id of a line that starts `{"id":"…"` with no escapes in the id; nil otherwise.
    static func leadingID(_ line: UnsafeBufferPointer<UInt8>) -> String? {
        let prefix = idPrefix
        guard line.count > prefix.count, line.starts(with: prefix) else { return nil }
        var i = prefix.count
        while i < line.count {
            let c = line[i]
            if c == UInt8(ascii: "\"") { return String(decoding: UnsafeBufferPointer(rebasing: line[prefix.count..<i]), as: UTF8.self) }
            if c == UInt8(ascii: "\\") { return nil }
            i += 1
        }
        return nil
    }

    static func lastIndex(of pattern: [UInt8], in line: UnsafeBufferPointer<UInt8>) -> Int? {
        guard line.count >= pattern.count else { return nil }
        var i = line.count - pattern.count
        while i >= 0 {
            if line[i] == pattern[0], line[i..<(i + pattern.count)].elementsEqual(pattern) { return i }
            i -= 1
        }
        return nil
    }

    private func computeClusterSizes() {
        for i in entries.indices { clusterSize[find(i), default: 0] += 1 }
        clusterSize = clusterSize.filter { $0.value > 1 }
        if clusterSize.isEmpty { clusterSize[-1] = 0 } // marks "computed"
    }

    /// Records still waiting for cluster members after the second pass (must be none).
    public var unfinishedClusters: Int { pending.count }

    // MARK: combining

    /// Published versions first: their title, venue and year describe the paper as it appeared.
    static func sourceRank(_ source: String) -> Int {
        switch source {
        case "acl": return 0
        case "paperlists": return 1
        case "arxiv": return 2
        default: return 3
        }
    }

    static func evidence(_ authors: [PaperAuthor]) -> Int {
        authors.reduce(0) { $0 + $1.affiliations.count + $1.domains.count }
    }

    /// One record from the members of a cluster (given in input order).
    static func combine(_ members: [PaperRecord]) -> PaperRecord {
        let ranked = members.enumerated().sorted { (sourceRank($0.element.source), $0.offset) < (sourceRank($1.element.source), $1.offset) }.map(\.element)
        var out = ranked[0]
        out.sources = ranked.map(\.id)
        // The publisher's DOI, not arXiv's DataCite one, where a member has it.
        let isArxivDOI = { (d: String) in PaperIdentifiers.normalizeDOI(d).flatMap(PaperIdentifiers.arxivID(fromDOI:)) != nil }
        if let publisher = ranked.compactMap(\.doi).first(where: { !isArxivDOI($0) }) { out.doi = publisher }
        for other in ranked.dropFirst() {
            if out.year == nil { out.year = other.year }
            if out.venue == nil { out.venue = other.venue }
            if out.doi == nil { out.doi = other.doi }
            if out.arxivID == nil { out.arxivID = other.arxivID }
            if out.status == nil { out.status = other.status }
        }
        // The longest abstract.
        out.abstract = members.compactMap(\.abstract).max { $0.utf8.count < $1.utf8.count } ?? out.abstract
        // The author list with the most evidence (ties: more authors, then rank), then every
        // other member's evidence added to the author with the same surname, or left unassigned.
        let best = ranked.enumerated().max { a, b in
            (evidence(a.element.authors), a.element.authors.count, -a.offset) < (evidence(b.element.authors), b.element.authors.count, -b.offset)
        }!.element
        out.authors = best.authors
        var unassignedAffiliations = ranked.flatMap(\.unassignedAffiliations)
        var unassignedDomains = ranked.flatMap(\.unassignedDomains)
        let surnames = out.authors.map { TextNormalizer.surnameKey($0.name) }
        for other in ranked where other.id != best.id {
            for author in other.authors where !author.affiliations.isEmpty || !author.domains.isEmpty || !author.countries.isEmpty {
                let key = TextNormalizer.surnameKey(author.name)
                if let i = surnames.firstIndex(of: key) {
                    out.authors[i].affiliations = union(out.authors[i].affiliations, author.affiliations)
                    out.authors[i].domains = union(out.authors[i].domains, author.domains)
                    out.authors[i].countries = union(out.authors[i].countries, author.countries)
                } else {
                    unassignedAffiliations += author.affiliations
                    unassignedDomains += author.domains
                }
            }
        }
        out.unassignedAffiliations = union([], unassignedAffiliations)
        out.unassignedDomains = union([], unassignedDomains)
        // arXiv categories first (primary first), then the rest.
        out.categories = union([], (members.filter { $0.source == "arxiv" } + ranked).flatMap(\.categories))
        out.keywords = union([], ranked.flatMap(\.keywords))
        var extraKeys = Set<String>()
        var extra: [(String, JSONValue)] = []
        for member in ranked {
            for (k, v) in member.extra where extraKeys.insert(k).inserted { extra.append((k, v)) }
        }
        out.extra = extra
        return out
    }

    static func union(_ a: [String], _ b: [String]) -> [String] {
        var seen = Set(a)
        var out = a
        for x in b where seen.insert(x).inserted { out.append(x) }
        return out
    }
}

extension PaperDeduplicator.AuditEntry {
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("action", .string(blocked == nil ? "merged" : "blocked")),
            ("rule", .string(rule.rawValue)), ("key", .string(key)), ("a", .string(a)), ("b", .string(b)),
        ]
        if let blocked { pairs.append(("reason", .string(blocked))) }
        return .object(pairs)
    }
}
