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
///    - `site_list_title`: within one venue-year, a conference-site record (`sites`) the rules
///      above left without a paper-list record and a paper-list record left without a site
///      record: the same title key; or a shared author surname and at least half their title
///      words in common (Jaccard of the title keys' word sets ≥ 0.5); or at least two author
///      surnames in common and a surname Jaccard ≥ 0.6 (a title rewritten whole). Pairs are
///      joined one to one, most similar first (title plus author Jaccard). The two lists hold
///      the same accepted papers, but titles change between submission and camera-ready and
///      author names are spelled differently.
///    A join that would put two different arXiv ids in one paper is refused, and so is a title
///    join of records with two different DOIs; refusals are audited as `blocked`.
/// 2. `merge(_:)` the records of each cluster as they stream past a second time.
///
/// Records whose status is `rejected`, `withdrawn` or `not-accepted` (conference submissions; the
/// last: a submissions list gives no acceptance for it) are excluded from the analysis set before
/// matching, and counted. So is a conference-site record whose title key the paper list of its
/// venue-year has as an excluded submission (audited as `paper_list_status`): a site list that
/// also lists some rejected submissions must not add them back as papers.
public final class PaperDeduplicator {
    public enum Rule: String, CaseIterable, Sendable {
        case arxivID = "arxiv_id"
        case doi = "doi"
        case titleYearAuthor = "title_year_author"
        case siteListTitle = "site_list_title"
        /// Not a join: a site record excluded because its paper list excludes the paper.
        case paperListStatus = "paper_list_status"
    }

    /// The rules that join records (all but `paperListStatus`).
    public static let joinRules: [Rule] = Rule.allCases.filter { $0 != .paperListStatus }

    /// One line of the audit: a join (or a refused one) between two records.
    public struct AuditEntry: Equatable {
        public var rule: Rule
        public var key: String
        public var a: String
        public var b: String
        /// Why the join was refused; nil for a merge.
        public var blocked: String?
    }

    public static let excludedStatuses: Set<String> = ["rejected", "withdrawn", "not-accepted"]

    // The index: one position per kept record, in input order. Strings are interned (numbered)
    // and every per-record field is a flat array indexed by position, so a record costs its key
    // bytes plus a few dozen, not a struct of Strings and dictionary entries (10x: 2.5M records).
    /// Record ids; an id's number is its record's position.
    private var ids: InternTable
    private var arxivIDs: InternTable
    private var dois: InternTable
    /// Title keys of the records rules 3 and 4 can match (one table: most records are in both),
    /// and author surname keys.
    private var titleKeys: InternTable
    private var surnameKeys: InternTable
    /// Per position: the number of its arXiv id and DOI, or -1.
    private var arxivOf: [Int32] = []
    private var doiOf: [Int32] = []
    /// Per position: its title key and first-author surname when the title rule can match it, else -1.
    private var titleOf: [Int32] = []
    private var surnameOf: [Int32] = []
    /// Per position: the year (read only for records the title rule can match).
    private var yearOf: [Int] = []
    private var isACL: [Bool] = []
    /// Title and surname keys (one instance: dedupe runs on one thread).
    private let normalizer = TextNormalizer()
    /// Rule 4's candidates: the site-list and paper-list records with a venue and a year. Their
    /// title keys and surnames are interned too (10x: 1.2M candidates; a String and a Set of
    /// Strings each took about 250 bytes a candidate).
    private var venueYears = InternTable()
    private var listCandidates: [ListCandidate] = []
    /// Each candidate's distinct surname numbers, sorted, at its `surnames` range.
    private var listSurnames: [Int32] = []
    /// Positions of the site records excluded because their paper list excludes the paper.
    private var excludedByList: Set<Int32> = []
    /// `venue year|titleKey` of the paper-list records excluded by status; per key number, the
    /// number in `excludedListIDs` of the last such record's id.
    private var excludedListKeys: InternTable
    private var excludedListIDs: InternTable
    private var excludedListIDOf: [Int32] = []

    struct ListCandidate {
        var position: Int32
        var venueYear: Int32
        var isSite: Bool
        /// The number of its title key in `titleKeys`: equal numbers, equal keys.
        var titleKey: Int32
        /// Where the surname keys of its authors are in `listSurnames`.
        var surnames: Range<Int32>
    }

    // Clusters (union-find over positions), and per cluster root the state the guards read.
    private var parent: [Int32] = []
    /// The cluster's arXiv id, or -1. One at most: a join of two different ones is refused.
    private var clusterArxiv: [Int32] = []
    /// The cluster's DOI when it has exactly one, or -1; `clusterDOISets` holds larger sets.
    private var clusterDOI: [Int32] = []
    private var clusterDOISets: [Int32: Set<Int32>] = [:]
    /// The position of the cluster's ACL Anthology record, or -1.
    private var clusterACL: [Int32] = []

    public private(set) var audit: [AuditEntry] = []
    public private(set) var mergesByRule: [Rule: Int] = [:]
    public private(set) var blockedByRule: [Rule: Int] = [:]
    public private(set) var excludedByStatus: [String: Int] = [:]
    public private(set) var duplicateIDs = 0

    public convenience init() { self.init(hashMask: .max) }

    /// `hashMask` 0 makes every key collide in the index (tests: results must not change).
    init(hashMask: UInt32) {
        ids = InternTable(hashMask: hashMask)
        arxivIDs = InternTable(hashMask: hashMask)
        dois = InternTable(hashMask: hashMask)
        titleKeys = InternTable(hashMask: hashMask)
        surnameKeys = InternTable(hashMask: hashMask)
        excludedListKeys = InternTable(hashMask: hashMask)
        excludedListIDs = InternTable(hashMask: hashMask)
    }

    // MARK: pass 1

    /// Adds a record to the index. Returns false when the record is excluded (status) or its id
    /// was indexed already (the same source record twice).
    @discardableResult
    public func index(_ record: PaperRecord) -> Bool {
        index(id: record.id, source: record.source, status: record.status, title: record.title, year: record.year, venue: record.venue,
              arxivID: record.arxivID, doi: record.doi, authorNames: record.authors.map(\.name))
    }

    /// The fields the index reads; of the authors only their names (the first one's surname is a key).
    static let indexKeys: JSONParser.Members = [
        "id": .all, "source": .all, "status": .all, "title": .all, "year": .all, "venue": .all, "arxiv_id": .all, "doi": .all,
        "authors": .members(["name": .all]),
    ]

    /// `index` on a raw stage-file line: only the fields the index needs are decoded.
    @discardableResult
    public func index(line: UnsafeBufferPointer<UInt8>) throws -> Bool {
        try index(json: JSONParser.parseObject(line, selecting: PaperDeduplicator.indexKeys))
    }

    /// `index` straight from a decoded stage file line, without building a `PaperRecord`.
    @discardableResult
    public func index(json: JSONValue) throws -> Bool {
        index(id: try json.requireString("id"), source: try json.requireString("source"), status: json["status"]?.stringValue,
              title: try json.requireString("title"), year: json["year"]?.intValue, venue: json["venue"]?.stringValue,
              arxivID: json["arxiv_id"]?.stringValue, doi: json["doi"]?.stringValue,
              authorNames: (json["authors"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue })
    }

    func index(id: String, source: String, status: String?, title: String, year: Int?, venue: String?, arxivID: String?, doi rawDOI: String?,
               authorNames: [String]) -> Bool {
        if let status, PaperDeduplicator.excludedStatuses.contains(status) {
            excludedByStatus[status, default: 0] += 1
            if source == "paperlists", let venue, let year {
                let (key, isNew) = excludedListKeys.insert("\(venue) \(year)|" + normalizer.titleKey(title))
                let idNumber = Int32(excludedListIDs.insert(id).number)
                if isNew { excludedListIDOf.append(idNumber) } else { excludedListIDOf[key] = idNumber }
            }
            return false
        }
        guard ids.insert(id).inserted else {
            duplicateIDs += 1
            return false
        }
        var arxiv = arxivID.flatMap(PaperIdentifiers.normalizeArxivID)
        var doi = rawDOI.flatMap(PaperIdentifiers.normalizeDOI)
        if let d = doi, let fromDOI = PaperIdentifiers.arxivID(fromDOI: d) {
            if arxiv == nil { arxiv = fromDOI }
            doi = nil
        }
        arxivOf.append(arxiv.map { Int32(arxivIDs.insert($0).number) } ?? -1)
        doiOf.append(doi.map { Int32(dois.insert($0).number) } ?? -1)
        let titleKey = normalizer.titleKey(title)
        let surname = authorNames.first.map(normalizer.surnameKey) ?? ""
        if year != nil, !surname.isEmpty, titleKey.utf8.contains(32) {
            titleOf.append(Int32(titleKeys.insert(titleKey).number))
            surnameOf.append(Int32(surnameKeys.insert(surname).number))
        } else {
            titleOf.append(-1)
            surnameOf.append(-1)
        }
        yearOf.append(year ?? 0)
        isACL.append(source == "acl")
        if source == "sites" || source == "paperlists", let venue, let year, titleKey.utf8.contains(32) {
            let start = listSurnames.count
            for name in authorNames {
                let key = normalizer.surnameKey(name)
                guard !key.isEmpty else { continue }
                let number = Int32(surnameKeys.insert(key).number)
                if !listSurnames[start...].contains(number) { listSurnames.append(number) }
            }
            listSurnames[start...].sort()
            listCandidates.append(ListCandidate(position: Int32(ids.count - 1), venueYear: Int32(venueYears.insert("\(venue) \(year)").number),
                                                isSite: source == "sites", titleKey: Int32(titleKeys.insert(titleKey).number),
                                                surnames: Int32(start)..<Int32(listSurnames.count)))
        }
        return true
    }

    private func find(_ i: Int) -> Int {
        var root = i
        while parent[root] != root { root = Int(parent[root]) }
        var j = i
        while parent[j] != root { let next = Int(parent[j]); parent[j] = Int32(root); j = next }
        return root
    }

    private func doiSet(ofCluster root: Int) -> Set<Int32> {
        if let set = clusterDOISets[Int32(root)] { return set }
        return clusterDOI[root] < 0 ? [] : [clusterDOI[root]]
    }

    private func names(_ numbers: Set<Int32>, in table: InternTable) -> String {
        numbers.map { table.string(Int($0)) }.sorted().joined(separator: ",")
    }

    private func join(_ i: Int, _ j: Int, rule: Rule, key: String) {
        let ri = find(i), rj = find(j)
        guard ri != rj else { return }
        let ai = clusterArxiv[ri], aj = clusterArxiv[rj]
        if ai >= 0, aj >= 0, ai != aj {
            block(i, j, rule: rule, key: key, reason: "different arXiv ids (\(arxivIDs.string(Int(ai))) vs \(arxivIDs.string(Int(aj))))")
            return
        }
        if clusterACL[ri] >= 0, clusterACL[rj] >= 0 {
            block(i, j, rule: rule, key: key, reason: "two ACL Anthology papers (\(ids.string(Int(clusterACL[ri]))), \(ids.string(Int(clusterACL[rj]))))")
            return
        }
        let di = doiSet(ofCluster: ri), dj = doiSet(ofCluster: rj)
        if rule == .titleYearAuthor || rule == .siteListTitle, !di.isEmpty, !dj.isEmpty, di.isDisjoint(with: dj) {
            block(i, j, rule: rule, key: key, reason: "different DOIs (\(names(di, in: dois)) vs \(names(dj, in: dois)))")
            return
        }
        // The earlier record's root survives, so clusters do not depend on hash order.
        let (keep, gone) = ri < rj ? (ri, rj) : (rj, ri)
        parent[gone] = Int32(keep)
        clusterArxiv[keep] = max(ai, aj)
        let union = di.union(dj)
        clusterDOISets[Int32(gone)] = nil
        if union.count > 1 {
            clusterDOISets[Int32(keep)] = union
        } else {
            clusterDOI[keep] = union.first ?? -1
        }
        if clusterACL[keep] < 0 { clusterACL[keep] = clusterACL[gone] }
        mergesByRule[rule, default: 0] += 1
        audit.append(AuditEntry(rule: rule, key: key, a: ids.string(i), b: ids.string(j), blocked: nil))
    }

    private func block(_ i: Int, _ j: Int, rule: Rule, key: String, reason: String) {
        blockedByRule[rule, default: 0] += 1
        audit.append(AuditEntry(rule: rule, key: key, a: ids.string(i), b: ids.string(j), blocked: reason))
    }

    /// Joins the indexed records by the three rules, in order. Call once, after indexing and
    /// before the second pass.
    public func cluster() {
        let count = ids.count
        parent = (0..<Int32(count)).map { $0 }
        clusterArxiv = arxivOf
        clusterDOI = doiOf
        clusterACL = (0..<Int32(count)).map { isACL[Int($0)] ? $0 : -1 }
        isACL = []
        seenInSecondPass = [Bool](repeating: false, count: count)
        excludeSiteRecordsOfExcludedListPapers()
        // Rule 1 and 2: exact identifiers, records joined to the first record with the key.
        for (rule, keyOf, table) in [(Rule.arxivID, arxivOf, arxivIDs), (Rule.doi, doiOf, dois)] {
            var first = [Int32](repeating: -1, count: table.count)
            for (i, key) in keyOf.enumerated() where key >= 0 {
                if first[Int(key)] >= 0 { join(Int(first[Int(key)]), i, rule: rule, key: table.string(Int(key))) } else { first[Int(key)] = Int32(i) }
            }
        }
        // Each index part is dropped once the rules that read it are done: the peak of the stage
        // is here, with the whole index and the cluster state held at once.
        arxivOf = []; doiOf = []
        joinSameTitleAndAuthor()
        titleOf = []; surnameOf = []; yearOf = []
        joinSiteListLeftovers()
        // Pass 2 needs only each record's root and its cluster's size.
        clusterSize = [Int32](repeating: 0, count: count)
        for i in 0..<count {
            let root = find(i)
            clusterSize[root] += 1
        }
        // The rest of the index is not needed in pass 2: its memory goes to the held clusters.
        clusterArxiv = []; clusterDOI = []; clusterDOISets = [:]; clusterACL = []
        arxivIDs = InternTable(); dois = InternTable()
        listCandidates = []; venueYears = InternTable(); titleKeys = InternTable(); surnameKeys = InternTable(); listSurnames = []
        excludedListKeys = InternTable(); excludedListIDs = InternTable(); excludedListIDOf = []; excludedByList = []
    }

    /// Rule 3: the same title key and first-author surname (a group); in a group, years sorted,
    /// neighbours at most 1 apart. Groups are sorted out of the members' (title, surname) numbers
    /// and joined in the order of their first record, one excluded by its paper list included:
    /// the order the guards and the audit have always seen.
    private func joinSameTitleAndAuthor() {
        var members = (0..<Int32(ids.count)).filter { titleOf[Int($0)] >= 0 }
        members.sort { a, b in
            let (i, j) = (Int(a), Int(b))
            return (titleOf[i], surnameOf[i], yearOf[i], a) < (titleOf[j], surnameOf[j], yearOf[j], b)
        }
        var groups: [(first: Int32, members: Range<Int>)] = []
        var start = 0
        while start < members.count {
            let (title, surname) = (titleOf[Int(members[start])], surnameOf[Int(members[start])])
            var end = start + 1, first = members[start]
            while end < members.count, titleOf[Int(members[end])] == title, surnameOf[Int(members[end])] == surname {
                first = min(first, members[end])
                end += 1
            }
            if end - start > 1 { groups.append((first, start..<end)) }
            start = end
        }
        groups.sort { $0.first < $1.first }
        for group in groups {
            let sorted = members[group.members].filter { !excludedByList.contains($0) }
            let member = Int(members[group.members.lowerBound])
            let key = titleKeys.string(Int(titleOf[member])) + "|" + surnameKeys.string(Int(surnameOf[member]))
            for (a, b) in zip(sorted, sorted.dropFirst()) {
                let (apart, overflow) = yearOf[Int(b)].subtractingReportingOverflow(yearOf[Int(a)])
                guard !overflow, apart <= 1 else { continue }
                join(Int(a), Int(b), rule: .titleYearAuthor, key: key)
            }
        }
    }

    static let excludedWithList = "excluded by its paper list"

    /// Site records whose venue-year's paper list excludes the same title: they take part in no
    /// rule and are skipped in pass 2 (marked seen), counted as excluded and audited.
    private func excludeSiteRecordsOfExcludedListPapers() {
        guard excludedListKeys.count > 0 else { return }
        listCandidates.removeAll { c in
            guard c.isSite else { return false }
            let key = venueYears.string(Int(c.venueYear)) + "|" + titleKeys.string(Int(c.titleKey))
            guard let excluded = excludedListKeys.find(key) else { return false }
            let listID = excludedListIDs.string(Int(excludedListIDOf[excluded]))
            let p = Int(c.position)
            arxivOf[p] = -1; doiOf[p] = -1
            excludedByList.insert(Int32(p))
            clusterArxiv[p] = -1; clusterDOI[p] = -1
            seenInSecondPass[p] = true
            excludedByStatus[PaperDeduplicator.excludedWithList, default: 0] += 1
            audit.append(AuditEntry(rule: .paperListStatus, key: key, a: ids.string(p), b: listID, blocked: nil))
            return true
        }
    }

    /// Rule 4 (see the type's comment): per venue-year, the site-list clusters without a
    /// paper-list record against the paper-list clusters without a site record, one candidate
    /// record per cluster; pairs are joined best first (equal title keys, then the most similar
    /// titles and authors), each cluster at most once.
    private func joinSiteListLeftovers() {
        var hasSite = [Bool](repeating: false, count: ids.count)
        var hasList = [Bool](repeating: false, count: ids.count)
        for c in listCandidates {
            let root = find(Int(c.position))
            if c.isSite { hasSite[root] = true } else { hasList[root] = true }
        }
        var leftovers: [Int32: (sites: [Int], lists: [Int])] = [:]
        var taken = Set<Int>()
        for (k, c) in listCandidates.enumerated() {
            let root = find(Int(c.position))
            guard c.isSite ? !hasList[root] : !hasSite[root], taken.insert(root).inserted else { continue }
            if c.isSite { leftovers[c.venueYear, default: ([], [])].sites.append(k) } else { leftovers[c.venueYear, default: ([], [])].lists.append(k) }
        }
        let words = { (key: Int32) in Set(self.titleKeys.string(Int(key)).split(separator: " ")) }
        for venueYear in leftovers.keys.sorted() {
            let (sites, lists) = leftovers[venueYear]!
            guard !sites.isEmpty, !lists.isEmpty else { continue }
            let listWords = lists.map { words(listCandidates[$0].titleKey) }
            var pairs: [(score: Double, site: Int, list: Int)] = []
            for s in sites {
                let a = listCandidates[s]
                let aWords = words(a.titleKey)
                for (n, l) in lists.enumerated() {
                    let b = listCandidates[l]
                    if a.titleKey == b.titleKey { pairs.append((3, s, l)); continue }
                    let sharedAuthors = sharedSurnames(a, b)
                    guard sharedAuthors > 0 else { continue }
                    let shared = aWords.intersection(listWords[n]).count
                    let similarity = Double(shared) / Double(aWords.count + listWords[n].count - shared)
                    let authorSimilarity = Double(sharedAuthors) / Double(a.surnames.count + b.surnames.count - sharedAuthors)
                    if similarity >= 0.5 || (sharedAuthors >= 2 && authorSimilarity >= 0.6) {
                        pairs.append((similarity + authorSimilarity, s, l))
                    }
                }
            }
            pairs.sort { ($0.score, -$0.site, -$0.list) > ($1.score, -$1.site, -$1.list) }
            var usedSites = Set<Int>(), usedLists = Set<Int>()
            for pair in pairs where !usedSites.contains(pair.site) && !usedLists.contains(pair.list) {
                usedSites.insert(pair.site)
                usedLists.insert(pair.list)
                let (site, list) = (listCandidates[pair.site], listCandidates[pair.list])
                join(Int(list.position), Int(site.position), rule: .siteListTitle,
                     key: venueYears.string(Int(venueYear)) + "|" + titleKeys.string(Int(site.titleKey)))
            }
        }
    }

    /// The number of surnames two candidates have in common (their lists are sorted and distinct).
    private func sharedSurnames(_ a: ListCandidate, _ b: ListCandidate) -> Int {
        var i = Int(a.surnames.lowerBound), j = Int(b.surnames.lowerBound), shared = 0
        while i < Int(a.surnames.upperBound), j < Int(b.surnames.upperBound) {
            let x = listSurnames[i], y = listSurnames[j]
            if x == y { shared += 1; i += 1; j += 1 } else if x < y { i += 1 } else { j += 1 }
        }
        return shared
    }

    /// Number of records merged away (sum over clusters of size − 1).
    public var mergedCount: Int { mergesByRule.values.reduce(0, +) }

    // MARK: pass 2

    private var pending: [Int32: [PaperRecord]] = [:]
    private var seenInSecondPass: [Bool] = []
    /// Per cluster root: the number of records in its cluster (after `cluster()`, `parent` of
    /// every record is its root).
    private var clusterSize: [Int32] = []

    /// Feeds a record of the second pass; returns the merged paper when this record completes its
    /// cluster (a record alone is its own cluster), nil while a cluster waits for members, and nil
    /// for records `index` did not keep.
    public func merge(_ record: PaperRecord) -> PaperRecord? {
        guard let position = ids.find(record.id), !seenInSecondPass[position] else { return nil }
        seenInSecondPass[position] = true
        let root = Int(parent[position])
        let size = Int(clusterSize[root])
        if size == 1 {
            var single = record
            single.sources = [record.id]
            return single
        }
        pending[Int32(root), default: []].append(record)
        guard pending[Int32(root)]!.count == size else { return nil }
        let members = pending.removeValue(forKey: Int32(root))!
        return PaperDeduplicator.combine(members)
    }

    private func isAlone(_ position: Int) -> Bool {
        clusterSize[Int(parent[position])] == 1
    }

    /// `merge` straight from a stage file line: a record alone is passed through with only its
    /// `sources` filled in (no decoding); cluster members are decoded and combined.
    public func merge(json: JSONValue) throws -> JSONValue? {
        let id = try json.requireString("id")
        guard let position = ids.find(id) else { return nil }
        if isAlone(position) {
            guard !seenInSecondPass[position] else { return nil }
            seenInSecondPass[position] = true
            guard case let .object(pairs) = json else { return nil }
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
        if let idBytes = PaperDeduplicator.leadingID(line) {
            // Indexed ids came from valid JSON strings, so the raw bytes of one found here (no
            // escapes, no control characters) are exactly its serialized form.
            guard let position = ids.find(UnsafeBufferPointer(rebasing: line[idBytes])) else { return .none }
            if isAlone(position), let at = PaperDeduplicator.lastIndex(of: PaperDeduplicator.emptySources, in: line) {
                guard !seenInSecondPass[position] else { return .none }
                seenInSecondPass[position] = true
                let insertAt = at + PaperDeduplicator.emptySources.count - 1
                var out: [UInt8] = []
                out.reserveCapacity(line.count + idBytes.count + 2)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: line[..<insertAt]))
                out.append(UInt8(ascii: "\""))
                out.append(contentsOf: UnsafeBufferPointer(rebasing: line[idBytes]))
                out.append(UInt8(ascii: "\""))
                out.append(contentsOf: UnsafeBufferPointer(rebasing: line[insertAt...]))
                return .serialized(out)
            }
        }
        guard let merged = try merge(json: JSONParser.parse(line)) else { return .none }
        return .record(merged)
    }

    /// Where the id sits in a line that starts `{"id":"…"` with no escapes or control characters
    /// in the id; nil otherwise.
    static func leadingID(_ line: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        let prefix = idPrefix
        guard line.count > prefix.count, line.starts(with: prefix) else { return nil }
        var i = prefix.count
        while i < line.count {
            let c = line[i]
            if c == UInt8(ascii: "\"") { return prefix.count..<i }
            if c == UInt8(ascii: "\\") || c < 0x20 { return nil }
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

    /// Records still waiting for cluster members after the second pass (must be none).
    public var unfinishedClusters: Int { pending.count }

    // MARK: combining

    /// Published versions first: their title, venue and year describe the paper as it appeared.
    /// The conference-site lists (`sites`) describe the same conference papers but rank after
    /// the paper lists, whose titles and statuses the rest of the corpus was built on.
    static func sourceRank(_ source: String) -> Int {
        switch source {
        case "acl": return 0
        case "paperlists": return 1
        case "sites": return 2
        case "arxiv": return 3
        default: return 4
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
        // Evidence accumulates in one ordered set per receiving author, so a cluster of n members
        // costs O(total evidence), not O(n²) re-unions of a growing list.
        let normalizer = TextNormalizer()
        var authorBySurname: [String: Int] = [:]
        for (i, author) in out.authors.enumerated() { authorBySurname[normalizer.surnameKey(author.name)] = authorBySurname[normalizer.surnameKey(author.name)] ?? i }
        var received: [Int: (affiliations: OrderedUnion, domains: OrderedUnion, countries: OrderedUnion)] = [:]
        for other in ranked where other.id != best.id {
            for author in other.authors where !author.affiliations.isEmpty || !author.domains.isEmpty || !author.countries.isEmpty {
                if let i = authorBySurname[normalizer.surnameKey(author.name)] {
                    // Mutated in place: a copy out of the dictionary would copy the sets each time.
                    let start = out.authors[i]
                    received[i, default: (OrderedUnion(start.affiliations), OrderedUnion(start.domains), OrderedUnion(start.countries))].affiliations.add(author.affiliations)
                    received[i]!.domains.add(author.domains)
                    received[i]!.countries.add(author.countries)
                } else {
                    unassignedAffiliations += author.affiliations
                    unassignedDomains += author.domains
                }
            }
        }
        for (i, sets) in received {
            out.authors[i].affiliations = sets.affiliations.items
            out.authors[i].domains = sets.domains.items
            out.authors[i].countries = sets.countries.items
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

    /// A list that keeps its first items as given and appends only strings it has not seen.
    struct OrderedUnion {
        private(set) var items: [String]
        private var seen: Set<String>
        init(_ items: [String]) { self.items = items; seen = Set(items) }
        mutating func add(_ more: [String]) {
            for x in more where seen.insert(x).inserted { items.append(x) }
        }
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
            ("action", .string(rule == .paperListStatus ? "excluded" : blocked == nil ? "merged" : "blocked")),
            ("rule", .string(rule.rawValue)), ("key", .string(key)), ("a", .string(a)), ("b", .string(b)),
        ]
        if let blocked { pairs.append(("reason", .string(blocked))) }
        return .object(pairs)
    }
}
