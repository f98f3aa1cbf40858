import DivideClassify
import DivideCore

/// The facts the paper tables need from one classified paper (stages/classify/papers.ndjson.gz).
/// Read from JSON by key so the aggregate stage depends on the classify stage's record
/// contract, not on its code.
public struct PaperFacts: Equatable {
    public struct Author: Equatable {
        /// Sectors of the author's affiliations (`Sector.organizationSectors`; a string that
        /// names no sector reads as unknown); empty when none could be resolved.
        public var sectors: [Sector]
        public var countries: [String]
        public init(sectors: [Sector], countries: [String] = []) {
            self.sectors = sectors
            self.countries = countries
        }
    }

    public struct Mention: Equatable {
        public var model: String
        /// The developers' sectors (`developer_sector`, "+"-joined); empty when unknown.
        public var developerSectors: [Sector]
        public var openWeights: Bool
        /// Publication year of the linked Epoch model, when known.
        public var releaseYear: Int?
        public init(model: String, developerSectors: [Sector], openWeights: Bool, releaseYear: Int? = nil) {
            self.model = model
            self.developerSectors = developerSectors
            self.openWeights = openWeights
            self.releaseYear = releaseYear
        }
    }

    /// An organization the classify stage resolved for an author or for the paper.
    public struct Organization: Equatable {
        public var id: String
        public var name: String
        public var sectors: [Sector]
        public init(id: String, name: String, sectors: [Sector]) {
            self.id = id
            self.name = name
            self.sectors = sectors
        }
    }

    public var id: String
    public var year: Int?
    public var venue: String
    public var status: String?
    public var teamType: String
    public var topic: String
    public var computeIntensive: Bool
    public var authors: [Author]
    public var mentions: [Mention]
    /// `full`, `partial` or `none` (TeamResolution in DivideClassify).
    public var teamResolution: String
    /// Sectors of the paper-level affiliations not assigned to an author.
    public var unassignedSectors: [String]
    /// `developing` / `using` for foundation-model papers, else nil.
    public var fmRole: String?
    /// The primary topic is in the fixed compute-intensive topic set.
    public var computeIntensiveFixed = false
    /// The organizations of the authors' and the paper's affiliations, in the order found; one
    /// organization may appear more than once. Keyword rules ("University", "GmbH", ids
    /// `keyword:…`) and the name model (`name-model:…`) infer a sector from words, not which
    /// organization it is, and are left out.
    public var organizations: [Organization] = []

    public init(id: String, year: Int?, venue: String, status: String? = nil, teamType: String, topic: String,
                computeIntensive: Bool, authors: [Author] = [], mentions: [Mention] = [], teamResolution: String? = nil,
                unassignedSectors: [String] = [], fmRole: String? = nil) {
        self.teamResolution = teamResolution ?? (teamType == "unknown" ? "none" : "full")
        self.unassignedSectors = unassignedSectors
        self.fmRole = fmRole
        self.id = id
        self.year = year
        self.venue = venue
        self.status = status
        self.teamType = teamType
        self.topic = topic
        self.computeIntensive = computeIntensive
        self.authors = authors
        self.mentions = mentions
    }

    /// The members `init(json:)` reads, down to the authors' and mentions'; the rest of a
    /// classified paper (title, author names, evidence, topic scores) is not parsed.
    public static let jsonSelection: JSONParser.Members = [
        "id": .all, "year": .all, "venue": .all, "source": .all, "status": .all, "team_type": .all, "topic": .all,
        "compute_intensive": .all, "authors": .members(["sectors": .all, "countries": .all, "evidence": .members(evidenceSelection)]),
        "model_mentions": .members(["model": .all, "developer_sector": .all, "open_weights": .all, "release_year": .all]),
        "team_resolution": .all, "unassigned_sectors": .all, "fm_role": .all, "compute_intensive_fixed": .all,
        "unassigned_evidence": .members(evidenceSelection),
    ]
    private static let evidenceSelection: JSONParser.Members = ["organization": .all, "organization_id": .all, "sectors": .all]

    public init(json: JSONValue) throws {
        id = try json.requireString("id")
        year = json["year"]?.intValue
        venue = json["venue"]?.stringValue ?? json["source"]?.stringValue ?? "unknown"
        status = json["status"]?.stringValue
        teamType = try json.requireString("team_type")
        topic = json["topic"]?.stringValue ?? "other"
        computeIntensive = json["compute_intensive"]?.boolValue ?? false
        authors = (json["authors"]?.arrayValue ?? []).map { a in
            Author(sectors: a["sectors"]?.arrayValue?.compactMap { s in
                       (s.stringValue ?? s["sector"]?.stringValue).map { Sector(rawValue: $0) ?? .unknown } } ?? [],
                   countries: a["countries"]?.stringArray ?? [])
        }
        mentions = (json["model_mentions"]?.arrayValue ?? []).map { m in
            Mention(model: m["model"]?.stringValue ?? "", developerSectors: Sector.split(m["developer_sector"]?.stringValue ?? ""),
                    openWeights: m["open_weights"]?.boolValue ?? false, releaseYear: m["release_year"]?.intValue)
        }
        // Records written before the field existed: a known team counts as resolved.
        teamResolution = json["team_resolution"]?.stringValue ?? (teamType == "unknown" ? "none" : "full")
        unassignedSectors = json["unassigned_sectors"]?.stringArray ?? []
        fmRole = json["fm_role"]?.stringValue
        computeIntensiveFixed = json["compute_intensive_fixed"]?.boolValue ?? false
        let evidence = (json["authors"]?.arrayValue ?? []).flatMap { $0["evidence"]?.arrayValue ?? [] }
            + (json["unassigned_evidence"]?.arrayValue ?? [])
        organizations = evidence.compactMap { e in
            guard let id = e["organization_id"]?.stringValue, let name = e["organization"]?.stringValue,
                  !id.hasPrefix("keyword:"), !id.hasPrefix(OrganizationNameModel.idPrefix) else { return nil }
            return Organization(id: id, name: name, sectors: (e["sectors"]?.stringArray ?? []).map { Sector(rawValue: $0) ?? .unknown })
        }
    }

    /// The team type the primary tables use: the paper's own when its team is fully resolved,
    /// `unknown` otherwise (a partially resolved team's type rests on the authors found).
    public var resolvedTeamType: String { teamResolution == "full" ? teamType : "unknown" }

    /// Mentions of models not published after the paper's year (a paper cannot build on a model
    /// released later; the alias then names something else). Undated models count.
    public var countedMentions: [Mention] {
        guard let year else { return mentions }
        return mentions.filter { ($0.releaseYear ?? year) <= year }
    }

    /// Any known affiliation of the team (an author's or the paper's) is industry.
    public var anyIndustry: Bool { authors.contains { $0.sectors.contains(.industry) } || unassignedSectors.contains(Sector.industry.rawValue) }

    /// Rejected and withdrawn submissions are counted upstream but are not published papers.
    public var inAnalysisSet: Bool {
        guard let status = status?.lowercased() else { return true }
        return !(status.contains("reject") || status.contains("withdraw"))
    }
}

/// Team types in report order. Definitions (stages/classify/README.md): academic-only = every
/// known affiliation academic; industry-only = every known affiliation industry; collaboration
/// = at least one academic and one industry affiliation; other = only government / nonprofit
/// or those with one of the two; unknown = no usable affiliation.
public let teamTypeOrder = TeamType.allCases.map(\.rawValue)
