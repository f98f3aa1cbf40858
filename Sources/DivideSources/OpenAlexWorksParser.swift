import DivideCore
import Foundation

/// Reads OpenAlex works into `PaperRecord`s: a works list response (`{"meta", "results": [...]}`,
/// what the live harvest stores) or a single work object (the snapshot's samples). Other entity
/// files (authors `A…`, institutions `I…`) hold no works and give no records.
///
/// Mapping: id `openalex:W…`; DOI lower-cased without the resolver; arXiv id from an arXiv DOI
/// (`10.48550/arxiv.…`) or an arxiv.org location; authors with affiliations = institution display
/// names (raw affiliation strings when no institution was resolved), countries from the
/// institutions' country codes, and the institutions themselves (ROR id, every type) as evidence.
public struct OpenAlexWorksParser {
    public struct Result {
        public var records = 0
        public var rejected = 0
        /// The file held no works (an author or institution object).
        public var notWorks = false
    }

    public init() {}

    public func parse(
        path: String,
        displayName: String,
        emit: (PaperRecord) throws -> Void,
        reject: (_ location: String, _ reason: String) throws -> Void
    ) throws -> Result {
        var result = Result()
        // A list response's works are read one at a time: a work over the record budget is
        // rejected, and the page keeps its other works.
        let found: (rest: JSONValue, iterated: Bool)?
        do {
            found = try JSONParser.forEachElement(ofMember: "results", in: readFileBytes(path: path)) { index, work, _ in
                guard let work else {
                    result.rejected += 1
                    return try reject("results[\(index)]", InputBudget.current.recordTooLarge)
                }
                try take(work, location: "results[\(index)]", into: &result, emit: emit, reject: reject)
            }
        } catch let error as JSONParser.SyntaxError {
            throw DivideError(file: displayName, reason: error.description)
        }
        guard let (json, iterated) = found else {
            throw DivideError(file: displayName, reason: "neither an OpenAlex works list nor a work")
        }
        if iterated { return result }
        if let id = json["id"]?.stringValue, OpenAlexWorksParser.shortID(id).hasPrefix("W") {
            try take(json, location: "results[0]", into: &result, emit: emit, reject: reject)
        } else if json["id"]?.stringValue != nil {
            result.notWorks = true
        } else {
            throw DivideError(file: displayName, reason: "neither an OpenAlex works list nor a work")
        }
        return result
    }

    struct Problem: Error { let reason: String }

    private func take(_ work: JSONValue, location: String, into result: inout Result,
                      emit: (PaperRecord) throws -> Void, reject: (String, String) throws -> Void) throws {
        switch OpenAlexWorksParser.record(from: work) {
        case let .success(record):
            result.records += 1
            try emit(record)
        case let .failure(problem):
            result.rejected += 1
            try reject(location, problem.reason)
        }
    }

    static func record(from work: JSONValue) -> Swift.Result<PaperRecord, Problem> {
        guard let rawID = work["id"]?.exactString, case let id = shortID(rawID), id.hasPrefix("W") else {
            return .failure(Problem(reason: "work without an OpenAlex W id"))
        }
        guard let title = (work["title"]?.exactString ?? work["display_name"]?.exactString)?.trimmingWhitespace, !title.isEmpty else {
            return .failure(Problem(reason: "work without a title"))
        }
        let authorships = work["authorships"]?.arrayValue ?? []
        guard authorships.count <= InputBudget.current.maxAuthors else { return .failure(Problem(reason: InputBudget.current.tooManyAuthors)) }
        var record = PaperRecord(id: "openalex:" + id, source: "openalex", title: title)
        record.year = work["publication_year"]?.intValue
        record.venue = work["primary_location"]?["source"]?["display_name"]?.stringValue
            ?? work["host_venue"]?["display_name"]?.stringValue
        record.abstract = abstract(from: work["abstract_inverted_index"])
        record.doi = normalizedDOI(work["doi"]?.stringValue ?? work["ids"]?["doi"]?.stringValue)
        record.arxivID = arxivID(work)
        record.authors = authorships.map(author)
        var topics = (work["topics"]?.arrayValue ?? []).compactMap { $0["display_name"]?.stringValue }
        if let primary = work["primary_topic"]?["display_name"]?.stringValue {
            topics.removeAll { $0 == primary }
            topics.insert(primary, at: 0)
        }
        record.categories = topics
        record.keywords = (work["keywords"]?.arrayValue ?? []).compactMap { $0["display_name"]?.stringValue }
        if work["is_retracted"]?.boolValue == true { record.status = "retracted" }
        var extra: [(String, JSONValue)] = []
        if let date = work["publication_date"]?.stringValue { extra.append(("publication_date", .string(date))) }
        if let type = work["type"]?.stringValue { extra.append(("type", .string(type))) }
        if let cited = work["cited_by_count"]?.intValue { extra.append(("cited_by_count", .int(cited))) }
        let concepts = (work["concepts"]?.arrayValue ?? []).compactMap { $0["display_name"]?.stringValue }
        if !concepts.isEmpty { extra.append(("concepts", .strings(concepts))) }
        record.extra = extra
        return .success(record)
    }

    static func author(_ authorship: JSONValue) -> PaperAuthor {
        let name = authorship["author"]?["display_name"]?.stringValue ?? authorship["raw_author_name"]?.stringValue ?? ""
        var institutions: [PaperInstitution] = []
        for institution in authorship["institutions"]?.arrayValue ?? [] {
            guard let display = institution["display_name"]?.stringValue else { continue }
            var types: [String] = []
            for t in [institution["type"]?.stringValue].compactMap({ $0 }) + (institution["types"]?.stringArray ?? []) where !types.contains(t) {
                types.append(t)
            }
            institutions.append(PaperInstitution(
                name: display,
                ror: institution["ror"]?.stringValue.map(rorID),
                countryCode: institution["country_code"]?.stringValue,
                types: types,
                sourceID: institution["id"]?.stringValue.map { "openalex:" + shortID($0) }))
        }
        var affiliations = unique(institutions.map(\.name))
        if affiliations.isEmpty { affiliations = unique(authorship["raw_affiliation_strings"]?.stringArray ?? []) }
        let countries = unique(institutions.compactMap(\.countryCode) + (authorship["countries"]?.stringArray ?? []))
        return PaperAuthor(name: name, affiliations: affiliations, domains: [], countries: countries, institutions: institutions)
    }

    /// `https://openalex.org/W123` → `W123`.
    static func shortID(_ id: String) -> String {
        id.split(separator: "/").last.map(String.init) ?? id
    }

    /// `https://ror.org/05dxps055` → `05dxps055`.
    static func rorID(_ url: String) -> String {
        url.split(separator: "/").last.map(String.init) ?? url
    }

    /// Lower-cased DOI without `https://doi.org/` / `doi:`.
    public static func normalizedDOI(_ doi: String?) -> String? {
        guard var d = doi?.trimmingWhitespace.lowercased(), !d.isEmpty else { return nil }
        for prefix in ["https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:"] where d.hasPrefix(prefix) {
            d.removeFirst(prefix.count)
        }
        return d.isEmpty ? nil : d
    }

    /// From an arXiv DOI (`10.48550/arxiv.1706.03762`) or an arxiv.org location URL, version dropped.
    static func arxivID(_ work: JSONValue) -> String? {
        if let doi = normalizedDOI(work["doi"]?.stringValue), doi.hasPrefix("10.48550/arxiv.") {
            return String(doi.dropFirst("10.48550/arxiv.".count))
        }
        for location in work["locations"]?.arrayValue ?? [] {
            for key in ["landing_page_url", "pdf_url"] {
                guard let url = location[key]?.stringValue?.lowercased(), let hit = url.range(of: "arxiv.org/") else { continue }
                var rest = url[hit.upperBound...]
                for prefix in ["abs/", "pdf/"] where rest.hasPrefix(prefix) { rest = rest.dropFirst(prefix.count) }
                var id = String(rest.prefix { $0 != "?" && $0 != "#" })
                if id.hasSuffix(".pdf") { id.removeLast(4) }
                if let v = id.range(of: #"v\d+$"#, options: .regularExpression) { id.removeSubrange(v) }
                if !id.isEmpty { return id }
            }
        }
        return nil
    }

    /// Rebuilds the abstract from OpenAlex's inverted index (word → positions).
    static func abstract(from index: JSONValue?) -> String? {
        guard let pairs = index?.objectValue, !pairs.isEmpty else { return nil }
        var words: [Int: String] = [:]
        for (word, positions) in pairs {
            for p in positions.arrayValue ?? [] { if let i = p.intValue { words[i] = word } }
        }
        return words.keys.sorted().map { words[$0]! }.joined(separator: " ")
    }

    static func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }
}
