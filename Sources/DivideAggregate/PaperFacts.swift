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
        public init(model: String, developerSectors: [Sector], openWeights: Bool) {
            self.model = model
            self.developerSectors = developerSectors
            self.openWeights = openWeights
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

    public init(id: String, year: Int?, venue: String, status: String? = nil, teamType: String, topic: String,
                computeIntensive: Bool, authors: [Author] = [], mentions: [Mention] = []) {
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
        "compute_intensive": .all, "authors": .members(["sectors": .all, "countries": .all]),
        "model_mentions": .members(["model": .all, "developer_sector": .all, "open_weights": .all]),
    ]

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
                    openWeights: m["open_weights"]?.boolValue ?? false)
        }
    }

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
