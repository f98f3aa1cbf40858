import DivideCore

/// `reference/public-research-institutes.tsv`: where public research organizations sit, by one
/// rule (the file's header): the kind of institute gives the sector, whatever types ROR lists.
/// Its rows become curated alias entries (ROR overrides, phrases, segments, domains), applied
/// after those of organization-aliases.tsv so that they win.
public struct PublicResearchInstitutes {
    public enum Kind: String, CaseIterable {
        case basicResearch = "basic-research"
        case missionOriented = "mission-oriented"
        case nationalLaboratory = "national-laboratory"
        case contractResearch = "contract-research"

        /// The rule: basic-research institutes work as universities do; mission-oriented agencies
        /// and national laboratories are government; contract research is nonprofit.
        public var sector: Sector {
            switch self {
            case .basicResearch: return .academia
            case .missionOriented, .nationalLaboratory: return .government
            case .contractResearch: return .nonprofit
            }
        }
    }

    public static let fileName = "public-research-institutes.tsv"
    public static let columns = ["organization", "kind", "sector", "ror", "phrases", "segments", "domains"]

    /// The rows as alias entries, in file order.
    public let entries: [OrganizationAliases.Entry]

    public init(path: String) throws {
        try self.init(table: ReferenceTable(path: path, requiredColumns: PublicResearchInstitutes.columns))
    }

    public init(text: String, path: String = PublicResearchInstitutes.fileName) throws {
        try self.init(table: ReferenceTable(text: text, path: path, requiredColumns: PublicResearchInstitutes.columns))
    }

    init(table: ReferenceTable) throws {
        var entries: [OrganizationAliases.Entry] = []
        for row in table.rows {
            let organization = row["organization"]
            guard !organization.isEmpty else {
                throw DivideError(file: table.path, location: "line \(row.line)", reason: "empty organization")
            }
            guard let kind = Kind(rawValue: row["kind"]) else {
                throw DivideError(file: table.path, location: "line \(row.line)",
                                  reason: "unknown kind '\(row["kind"])' (one of \(Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let sectors = try Sector.parseSet(row["sector"], file: table.path, line: row.line)
            guard sectors == [kind.sector] else {
                throw DivideError(file: table.path, location: "line \(row.line)",
                                  reason: "\(organization): a \(kind.rawValue) institute is \(kind.sector.rawValue) by the file's rule, not \(row["sector"])")
            }
            func add(_ match: OrganizationAliases.MatchKind, _ column: String) {
                for pattern in row[column].split(separator: "|").map({ $0.trimmingWhitespace }) where !pattern.isEmpty {
                    entries.append(.init(kind: match, pattern: pattern, organization: organization, sectors: sectors, line: row.line))
                }
            }
            add(.ror, "ror")
            add(.phrase, "phrases")
            add(.segment, "segments")
            add(.domain, "domains")
        }
        self.entries = entries
    }
}
