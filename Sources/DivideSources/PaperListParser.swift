import DivideCore
#if canImport(Glibc)
import Glibc
#endif

/// Reads one papercopilot/paperlists file (`<venue>/<venue><year>.json[.gz]`, a JSON array) into
/// `PaperRecord`s. Venue comes from the folder, year from the file name, so a new venue-year file
/// needs no code change. The layouts vary by file and are detected, not configured:
///
/// - authors are separated by `;` in most files and by `, ` in some (cvpr 2020–25, icml 2020–22…);
///   the file's layout is the one most of its records use, and a record that plainly uses the
///   other one (no `;` at all, but `, `) is split its own way and counted as an override;
/// - `aff` is `;`-separated in every layout (an affiliation may contain commas) and is either one
///   entry per author, or the paper's list of distinct affiliations (cvpr/iccv 2020–24, iclr 2022);
///   a unique list cannot be tied to authors and goes to `unassigned_affiliations`;
/// - `aff_unique_index` (`0;0+1;2`, one entry per author with an affiliation) maps authors to
///   `aff_unique_norm` where the raw list does not line up with the authors;
/// - `aff_domain`, `email` and e-mail addresses in `authorids` are domain evidence.
///
/// Status is normalised to `accepted`, `rejected` (Reject, Desk Reject) or `withdrawn`; excluded
/// submissions are emitted (dedupe leaves them out of the analysis set and counts them).
public struct PaperListParser {
    public enum AuthorLayout: String, Sendable { case semicolon = ";", comma = ", " }
    public enum AffiliationLayout: String, Sendable { case perAuthor = "per-author", uniqueList = "unique-list", none }

    public struct FileResult: Equatable {
        public var records = 0
        public var rejected = 0
        public var authorLayout = AuthorLayout.semicolon
        public var affiliationLayout = AffiliationLayout.none
        /// Records whose author string used the other separator than the file's.
        public var layoutOverrides = 0
        /// Emitted records by normalised status.
        public var statuses: [String: Int] = [:]
        /// Records with some affiliation or domain evidence.
        public var withAffiliationEvidence = 0
        public init() {}
    }

    public init() {}

    /// `venue` and `year` of a paper list file: `…/cvpr/cvpr2023.json.gz` → ("cvpr", 2023).
    public static func venueYear(path: String) -> (venue: String, year: Int)? {
        let parts = path.split(separator: "/")
        guard let file = parts.last else { return nil }
        var base = Substring(file)
        for suffix in [".gz", ".json"] where base.hasSuffix(suffix) { base = base.dropLast(suffix.count) }
        guard base.count > 4, let year = Int(base.suffix(4)), (1950...2100).contains(year) else { return nil }
        let stem = base.dropLast(4).lowercased()
        let venue = parts.count >= 2 ? parts[parts.count - 2].lowercased() : stem
        guard !venue.isEmpty else { return nil }
        return (venue, year)
    }

    public func parse(
        path: String,
        displayName: String,
        emit: (PaperRecord) throws -> Void,
        reject: (_ location: String, _ reason: String, _ excerpt: String) throws -> Void
    ) throws -> FileResult {
        try parse(reading: { try readFileBytes(path: path) }, displayName: displayName, emit: emit, reject: reject)
    }

    /// Parses one file whose bytes `reading` gives (read ahead, say); it is asked only once the
    /// file name has given the venue and year, as when reading from a path.
    public func parse(
        reading: () throws -> [UInt8],
        displayName: String,
        emit: (PaperRecord) throws -> Void,
        reject: (_ location: String, _ reason: String, _ excerpt: String) throws -> Void
    ) throws -> FileResult {
        guard let (venue, year) = PaperListParser.venueYear(path: displayName) else {
            throw DivideError(file: displayName, reason: "file name gives no <venue><year> (expected e.g. cvpr/cvpr2023.json.gz)")
        }
        let bytes = try reading()
        // Entries one at a time: an entry over the budget's record size is rejected on its own.
        var raws: [RawEntry] = []
        var oversize: Set<Int> = []
        let isArray: Bool
        do {
            isArray = try JSONParser.forEachElement(ofArray: bytes) { index, element, _ in
                if element == nil { oversize.insert(index) }
                raws.append(RawEntry(json: element ?? .null))
            }
        } catch {
            throw DivideError(file: displayName, reason: "\(error)")
        }
        guard isArray else {
            throw DivideError(file: displayName, reason: "expected a JSON array of papers")
        }
        var result = FileResult()
        result.authorLayout = PaperListParser.detectAuthorLayout(raws)
        // Split once: layout detection and assembling both need every record's author names.
        let authorSplits = raws.map { PaperListParser.splitAuthors($0.decodedAuthors, layout: result.authorLayout) }
        result.affiliationLayout = PaperListParser.detectAffiliationLayout(raws, authorCounts: authorSplits.map(\.names.count))
        // A file has a handful of distinct status strings.
        var statusCache: [String: String] = [:]
        var seenIDs = Set<String>()
        let key = "\(venue)\(year)"
        for (index, raw) in raws.enumerated() {
            let location = "[\(index)]"
            if oversize.contains(index) {
                result.rejected += 1
                try reject(location, InputBudget.current.recordTooLarge, "")
                continue
            }
            guard raw.isObject else {
                result.rejected += 1
                try reject(location, "array element is not an object", "")
                continue
            }
            if let field = raw.numericField {
                result.rejected += 1
                try reject(location, "\(field) is a number, not a string", raw.sourceID ?? "")
                continue
            }
            let title = TextNormalizer.collapseWhitespace(HTMLEntities.decode(raw.title))
            guard !title.isEmpty else {
                result.rejected += 1
                try reject(location, "empty title", raw.sourceID ?? "")
                continue
            }
            let localID = raw.sourceID.map { $0 } ?? "t" + PaperListParser.titleHash(title)
            let id = "paperlists:\(key):\(localID)"
            guard seenIDs.insert(id).inserted else {
                result.rejected += 1
                try reject(location, "duplicate record (id seen earlier in the file)", id)
                continue
            }
            if let (column, entry) = PaperListParser.negativeIndex(raw) {
                result.rejected += 1
                try reject(location, "\(column) has a negative index (\(entry))", id)
                continue
            }
            if authorSplits[index].names.count > InputBudget.current.maxAuthors {
                result.rejected += 1
                try reject(location, InputBudget.current.tooManyAuthors, id)
                continue
            }
            let status = statusCache[raw.status] ?? PaperListParser.normalizeStatus(raw.status)
            statusCache[raw.status] = status
            var (authors, unassignedAffs, unassignedDomains, override) = assemble(raw, split: authorSplits[index], affLayout: result.affiliationLayout)
            if override { result.layoutOverrides += 1 }
            if authors.isEmpty && status == "accepted" {
                result.rejected += 1
                try reject(location, "no authors", id + " " + title)
                continue
            }
            var record = PaperRecord(id: id, source: "paperlists", title: title)
            record.year = year
            record.venue = venue
            let abstract = TextNormalizer.collapseWhitespace(HTMLEntities.decode(raw.abstract))
            record.abstract = abstract.isEmpty ? nil : abstract
            dedupeInPlace(&unassignedAffs)
            dedupeInPlace(&unassignedDomains)
            record.authors = authors
            record.unassignedAffiliations = unassignedAffs
            record.unassignedDomains = unassignedDomains
            record.keywords = fields(raw.keywords, 59).map { TextNormalizer.collapseWhitespace(HTMLEntities.decode(String($0))) }.filter { !$0.isEmpty }
            record.doi = PaperIdentifiers.normalizeDOI(raw.doi)
            if let arxiv = PaperIdentifiers.normalizeArxivID(raw.arxiv) {
                record.arxivID = arxiv
            } else if let doi = record.doi, let arxiv = PaperIdentifiers.arxivID(fromDOI: doi) {
                record.arxivID = arxiv
            }
            record.status = status
            var extra: [(String, JSONValue)] = [("file", .string(displayName))]
            if !raw.status.isEmpty { extra.append(("status_raw", .string(raw.status))) }
            if !raw.track.isEmpty { extra.append(("track", .string(raw.track))) }
            record.extra = extra
            if record.authors.contains(where: { !$0.affiliations.isEmpty || !$0.domains.isEmpty })
                || !record.unassignedAffiliations.isEmpty || !record.unassignedDomains.isEmpty {
                result.withAffiliationEvidence += 1
            }
            result.records += 1
            result.statuses[status, default: 0] += 1
            try emit(record)
        }
        return result
    }

    /// The local id of an entry without one: 16 hex digits of FNV-1a 64 over the title's UTF-8
    /// (stable across runs and machines; the title is what identifies such an entry in its file).
    static func titleHash(_ title: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in title.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// `Reject`, `Desk Reject` → rejected; `Withdraw…` → withdrawn; anything else (Poster, Oral,
    /// Main, Findings, empty: the lists of accepted papers) → accepted.
    public static func normalizeStatus(_ raw: String) -> String {
        let s = raw.lowercased()
        if s.contains("reject") { return "rejected" }
        if s.contains("withdraw") { return "withdrawn" }
        return "accepted"
    }

    // MARK: layout detection

    static func detectAuthorLayout(_ raws: [RawEntry]) -> AuthorLayout {
        var semicolon = 0, comma = 0
        for raw in raws {
            let a = raw.decodedAuthors
            if hasByte(a, 59) { semicolon += 1 } else if hasCommaSpace(a) { comma += 1 }
        }
        return comma > semicolon ? .comma : .semicolon
    }

    /// Per-author lists repeat an institution across co-authors and have one entry per author;
    /// unique lists almost never repeat and are usually shorter than the author list.
    /// `authorCounts[i]`: the number of authors of `raws[i]` split with the file's layout.
    static func detectAffiliationLayout(_ raws: [RawEntry], authorCounts: [Int]) -> AffiliationLayout {
        var multi = 0, repeated = 0, aligned = 0
        for (raw, authorCount) in zip(raws, authorCounts) {
            let affs = raw.affiliationEntries
            let nonEmpty = affs.filter { !$0.isEmpty }
            guard nonEmpty.count >= 2 else { continue }
            multi += 1
            if Set(nonEmpty).count < nonEmpty.count { repeated += 1 }
            if affs.count == authorCount { aligned += 1 }
        }
        guard multi > 0 else {
            return raws.contains { !$0.affiliationEntries.filter { !$0.isEmpty }.isEmpty } ? .perAuthor : .none
        }
        let repeatedShare = Double(repeated) / Double(multi)
        let alignedShare = Double(aligned) / Double(multi)
        return repeatedShare < 0.15 && alignedShare < 0.5 ? .uniqueList : .perAuthor
    }

    /// The first index column entry below zero, if any: such a cell points nowhere, so the
    /// record cannot be assembled and is rejected rather than guessed at.
    static func negativeIndex(_ raw: RawEntry) -> (column: String, entry: String)? {
        for (column, cell) in [("aff_unique_index", raw.affUniqueIndex), ("aff_country_unique_index", raw.countryUniqueIndex)]
        where hasByte(cell, 45) {
            for entry in fields(cell, 59) {
                for part in fields(entry, 43) where (Int(part.trimmingWhitespace) ?? 0) < 0 { return (column, entry.trimmingWhitespace) }
            }
        }
        return nil
    }

    /// Splits an author string; `override` is true when the record used the other separator.
    static func splitAuthors(_ text: String, layout: AuthorLayout) -> (names: [String], override: Bool) {
        var separator = layout
        var override = false
        if layout == .semicolon, !hasByte(text, 59), hasCommaSpace(text) { separator = .comma; override = true }
        if layout == .comma, hasByte(text, 59) { separator = .semicolon; override = true }
        let names = fields(text, separator == .semicolon ? 59 : 44).map { TextNormalizer.collapseWhitespace($0) }.filter { !$0.isEmpty }
        return (names, override)
    }

    // MARK: assembling authors

    /// `split`: the entry's authors split with the file's layout (`splitAuthors`).
    private func assemble(_ raw: RawEntry, split: (names: [String], override: Bool), affLayout: AffiliationLayout)
        -> ([PaperAuthor], [String], [String], Bool)
    {
        let (names, override) = split
        var authors = names.map { PaperAuthor(name: $0) }
        var unassignedAffs: [String] = []
        var unassignedDomains: [String] = []
        let n = authors.count

        // Affiliations.
        let affs = raw.affiliationEntries
        let indexEntries = raw.affUniqueIndex.isEmpty ? [] : fields(raw.affUniqueIndex, 59)
        let norms = raw.affUniqueNorm.isEmpty ? [] : fields(raw.affUniqueNorm, 59).map { TextNormalizer.collapseWhitespace($0) }
        if !affs.contains(where: { !$0.isEmpty }) {
            // nothing
        } else if affLayout == .perAuthor, affs.count == n {
            // The index skips authors without an affiliation: walk it alongside the non-empty entries.
            let nonEmptyCount = affs.filter { !$0.isEmpty }.count
            var k = 0
            for (i, aff) in affs.enumerated() where !aff.isEmpty {
                var parts = [aff]
                if indexEntries.count == nonEmptyCount, hasByte(indexEntries[k], 43) {
                    let split = aff.split(separator: "+").map { TextNormalizer.collapseWhitespace(String($0)) }.filter { !$0.isEmpty }
                    if split.count == indexEntries[k].split(separator: "+").count { parts = split }
                }
                k += 1
                authors[i].affiliations = uniqued(parts)
            }
        } else if affLayout == .perAuthor, indexEntries.count == n, !norms.isEmpty {
            for (i, entry) in indexEntries.enumerated() {
                let mapped = fields(entry, 43).compactMap { Int($0.trimmingWhitespace) }.compactMap { $0 < norms.count ? norms[$0] : nil }
                authors[i].affiliations = uniqued(mapped.filter { !$0.isEmpty })
            }
        } else {
            unassignedAffs += affs.filter { !$0.isEmpty }
        }

        // Countries, where an index maps authors into aff_country_unique.
        let countryIndex = raw.countryUniqueIndex.isEmpty ? [] : fields(raw.countryUniqueIndex, 59)
        let countries = raw.countryUnique.isEmpty ? [] : fields(raw.countryUnique, 59).map { TextNormalizer.collapseWhitespace($0) }
        if !countries.isEmpty, countryIndex.count == n {
            for (i, entry) in countryIndex.enumerated() {
                authors[i].countries = uniqued(fields(entry, 43).compactMap { Int($0.trimmingWhitespace) }.compactMap { $0 < countries.count ? countries[$0] : nil }.filter { !$0.isEmpty })
            }
        }

        // Domains: aff_domain (and email where it differs), then e-mail addresses in authorids.
        for list in [raw.affDomain, raw.email == raw.affDomain ? "" : raw.email] where !list.isEmpty {
            let entries = fields(list, 59).map { fields($0, 43).filter { !$0.isEmpty } }
            if entries.count == n {
                for (i, domains) in entries.enumerated() { authors[i].domains = uniqued(authors[i].domains + domains.compactMap(PaperListParser.domain(of:))) }
            } else {
                unassignedDomains += entries.flatMap { $0 }.compactMap(PaperListParser.domain(of:))
            }
        }
        if hasByte(raw.authorIDs, 64) {
            let ids = fields(raw.authorIDs, hasByte(raw.authorIDs, 59) ? 59 : 44)
            if ids.count == n {
                for (i, entry) in ids.enumerated() {
                    if let d = PaperListParser.domain(of: entry) { authors[i].domains = uniqued(authors[i].domains + [d]) }
                }
            } else {
                unassignedDomains += ids.compactMap(PaperListParser.domain(of:))
            }
        }
        return (authors, unassignedAffs, unassignedDomains, override)
    }

    /// `jkautz@nvidia.com` → `nvidia.com`; `cs.yale.edu` → itself; OpenReview ids (`~Name1`),
    /// Anthology paths and junk → nil.
    static func domain(of text: String) -> String? {
        var bytes = Array(text.utf8)
        if let at = bytes.lastIndex(of: 64) { bytes.removeSubrange(...at) }
        while let f = bytes.first, f == 32 || f == 9 { bytes.removeFirst() }
        while let l = bytes.last, l == 32 || l == 9 { bytes.removeLast() }
        guard bytes.count >= 3, bytes.contains(46), bytes.first != 46, bytes.last != 46 else { return nil }
        for i in bytes.indices {
            let b = bytes[i]
            switch b {
            case 65...90: bytes[i] = b + 32
            case 97...122, 48...57, 46, 45: break
            case 0x80...: break // internationalised domain names stay as written
            default: return nil
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The fields of one paper list entry, as strings ("" when absent or null). A class: the
/// entries are read by several passes over the file, and a struct copy retains every field.
final class RawEntry {
    var isObject = false
    var title = "", status = "", track = "", authors = "", aff = "", affDomain = "", email = "", authorIDs = ""
    var affUniqueIndex = "", affUniqueNorm = "", countryUnique = "", countryUniqueIndex = ""
    var abstract = "", keywords = "", doi = "", arxiv = ""
    var sourceID: String?
    /// "title" or "id" when that field holds a number (a broken record, not a name).
    var numericField: String?

    init(json: JSONValue) {
        guard let pairs = json.objectValue else { return }
        isObject = true
        for (key, value) in pairs {
            guard let s = value.stringValue else { continue }
            if key == "title" || key == "id", value.exactString == nil {
                numericField = key
                continue
            }
            switch key {
            case "title": title = s
            case "status": status = s
            case "track": track = s
            case "author": authors = s
            case "authors": if authors.isEmpty { authors = s }
            case "aff": aff = s
            case "affs": if aff.isEmpty { aff = s }
            case "aff_domain": affDomain = s
            case "email": email = s
            case "authorids": authorIDs = s
            case "aff_unique_index": affUniqueIndex = s
            case "aff_unique_norm": affUniqueNorm = s
            case "aff_country_unique": countryUnique = s
            case "aff_country_unique_index": countryUniqueIndex = s
            case "abstract": abstract = s
            case "keywords": keywords = s
            case "doi": doi = s
            case "arxiv": arxiv = s
            case "id":
                let t = s.trimmingWhitespace
                if !t.isEmpty { sourceID = t }
            default: break
            }
        }
        decodedAuthors = HTMLEntities.decode(authors)
        let decodedAff = HTMLEntities.decode(aff)
        affiliationEntries = decodedAff.trimmingWhitespace.isEmpty ? [] : fields(decodedAff, 59).map { TextNormalizer.collapseWhitespace($0) }
    }

    var decodedAuthors = ""
    /// `aff` split on `;`, entries kept in place (empty where an author has none).
    var affiliationEntries: [String] = []
}

func uniqued(_ items: [String]) -> [String] {
    // Lists here are an author's few affiliations or domains: a linear scan beats hashing.
    if items.count <= 16 {
        var out: [String] = []
        out.reserveCapacity(items.count)
        for item in items where !out.contains(item) { out.append(item) }
        return out
    }
    var seen = Set<String>()
    return items.filter { seen.insert($0).inserted }
}

func dedupeInPlace(_ items: inout [String]) { items = uniqued(items) }

/// Whether `s` contains `byte` (memchr over the UTF-8 storage).
func hasByte(_ s: String, _ byte: UInt8) -> Bool {
    var s = s
    return s.withUTF8 { $0.count > 0 && memchr($0.baseAddress!, Int32(byte), $0.count) != nil }
}

func hasCommaSpace(_ s: String) -> Bool {
    var previous: UInt8 = 0
    for b in s.utf8 {
        if previous == 44 && b == 32 { return true }
        previous = b
    }
    return false
}

/// `s` split at every `separator` byte (an ASCII character), empty fields kept.
func fields(_ s: String, _ separator: UInt8) -> [String] {
    if s.isEmpty { return [] }
    var s = s
    return s.withUTF8 { bytes in
        var out: [String] = []
        var start = 0
        for i in 0..<bytes.count where bytes[i] == separator {
            out.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
            start = i + 1
        }
        out.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
        return out
    }
}
