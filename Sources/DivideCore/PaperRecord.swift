/// An author as the source lists them, with every piece of affiliation evidence it gives.
public struct PaperAuthor: Equatable, Sendable {
    public var name: String
    /// Affiliation strings as written upstream (an author may have several).
    public var affiliations: [String] = []
    /// E-mail or web domains tied to the author (paperlists `aff_domain`, e-mails in `authorids`).
    public var domains: [String] = []
    /// Countries of the author's affiliations, where the source gives them.
    public var countries: [String] = []
    /// Resolved institutions with their ROR id and types, where the source gives them (OpenAlex);
    /// written only when present, so other sources' records keep their shape.
    public var institutions: [PaperInstitution] = []

    public init(name: String, affiliations: [String] = [], domains: [String] = [], countries: [String] = [],
                institutions: [PaperInstitution] = []) {
        self.name = name
        self.affiliations = affiliations
        self.domains = domains
        self.countries = countries
        self.institutions = institutions
    }

    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("name", .string(name)),
            ("affiliations", .strings(affiliations)),
            ("domains", .strings(domains)),
            ("countries", .strings(countries)),
        ]
        if !institutions.isEmpty { pairs.append(("institutions", .array(institutions.map(\.json)))) }
        return .object(pairs)
    }

    public init(json: JSONValue) throws {
        name = try json.requireString("name")
        affiliations = json["affiliations"]?.stringArray ?? []
        domains = json["domains"]?.stringArray ?? []
        countries = json["countries"]?.stringArray ?? []
        institutions = try (json["institutions"]?.arrayValue ?? []).map(PaperInstitution.init(json:))
    }
}

/// One paper, in the single schema every source adapter produces (see stages/parse/README.md).
public struct PaperRecord: JSONRecord, Equatable {
    /// Stable, derived from the source id: `arxiv:1706.03762`, `acl:2020.acl-main.1`, ….
    public var id: String
    /// `arxiv`, `paperlists`, `acl`, `openalex`.
    public var source: String
    public var title: String
    public var year: Int?
    public var venue: String?
    public var abstract: String?
    public var authors: [PaperAuthor] = []
    /// Affiliation strings the source gives for the paper but not per author (e.g. a list of the
    /// paper's distinct affiliations): evidence for the team, not for one author.
    public var unassignedAffiliations: [String] = []
    /// Domains the source gives for the paper but not per author.
    public var unassignedDomains: [String] = []
    /// Subject categories (arXiv: primary first).
    public var categories: [String] = []
    public var keywords: [String] = []
    /// Lower-cased DOI without a resolver prefix.
    public var doi: String?
    public var arxivID: String?
    /// Upstream decision where the source has one (`accepted`, `rejected`, `withdrawn`, …).
    public var status: String?
    /// Ids of every source record merged into this one (dedupe); the record's own id first.
    public var sources: [String] = []
    /// Source-specific extras (dates, journal-ref, URLs) kept verbatim.
    public var extra: [(String, JSONValue)] = []

    public init(id: String, source: String, title: String) {
        self.id = id
        self.source = source
        self.title = title
    }

    public static func == (lhs: PaperRecord, rhs: PaperRecord) -> Bool {
        lhs.json == rhs.json
    }

    public var json: JSONValue {
        .object([
            ("id", .string(id)),
            ("source", .string(source)),
            ("title", .string(title)),
            ("year", .optional(year)),
            ("venue", .optional(venue)),
            ("abstract", .optional(abstract)),
            ("authors", .array(authors.map(\.json))),
            ("unassigned_affiliations", .strings(unassignedAffiliations)),
            ("unassigned_domains", .strings(unassignedDomains)),
            ("categories", .strings(categories)),
            ("keywords", .strings(keywords)),
            ("doi", .optional(doi)),
            ("arxiv_id", .optional(arxivID)),
            ("status", .optional(status)),
            ("sources", .strings(sources)),
            ("extra", .object(extra)),
        ])
    }

    public init(json: JSONValue) throws {
        id = try json.requireString("id")
        source = try json.requireString("source")
        title = try json.requireString("title")
        year = json["year"]?.intValue
        venue = json["venue"]?.stringValue
        abstract = json["abstract"]?.stringValue
        authors = try (json["authors"]?.arrayValue ?? []).map(PaperAuthor.init(json:))
        unassignedAffiliations = json["unassigned_affiliations"]?.stringArray ?? []
        unassignedDomains = json["unassigned_domains"]?.stringArray ?? []
        categories = json["categories"]?.stringArray ?? []
        keywords = json["keywords"]?.stringArray ?? []
        doi = json["doi"]?.stringValue
        arxivID = json["arxiv_id"]?.stringValue
        status = json["status"]?.stringValue
        sources = json["sources"]?.stringArray ?? []
        extra = json["extra"]?.objectValue ?? []
    }
}
