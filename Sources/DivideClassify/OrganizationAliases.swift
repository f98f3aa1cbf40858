import DivideCore

/// `reference/organization-aliases.tsv`: the curated aliases (format in reference/README.md).
public struct OrganizationAliases {
    public enum MatchKind: String, CaseIterable {
        case phrase, segment, domain, ror, keyword
        case ignoreDomain = "ignore-domain"
    }

    public struct Entry {
        public init(kind: MatchKind, pattern: String, organization: String, sectors: [Sector], line: Int) {
            self.kind = kind
            self.pattern = pattern
            self.organization = organization
            self.sectors = sectors
            self.line = line
        }

        public let kind: MatchKind
        public let pattern: String
        public let organization: String
        public let sectors: [Sector]
        public let line: Int
    }

    public let path: String
    public let entries: [Entry]

    public static let columns = ["match", "pattern", "organization", "sector"]

    public init(path: String) throws {
        try self.init(table: ReferenceTable(path: path, requiredColumns: OrganizationAliases.columns))
    }

    public init(text: String, path: String = "organization-aliases.tsv") throws {
        try self.init(table: ReferenceTable(text: text, path: path, requiredColumns: OrganizationAliases.columns))
    }

    init(table: ReferenceTable) throws {
        path = table.path
        var entries: [Entry] = []
        for row in table.rows {
            guard let kind = MatchKind(rawValue: row["match"]) else {
                throw DivideError(file: table.path, location: "line \(row.line)",
                                  reason: "unknown match kind '\(row["match"])' (one of \(MatchKind.allCases.map(\.rawValue)))")
            }
            let pattern = row["pattern"]
            guard !pattern.isEmpty else {
                throw DivideError(file: table.path, location: "line \(row.line)", reason: "empty pattern")
            }
            let sectors = kind == .ignoreDomain ? [] : try Sector.parseSet(row["sector"], file: table.path, line: row.line)
            entries.append(Entry(kind: kind, pattern: pattern, organization: row["organization"], sectors: sectors, line: row.line))
        }
        self.entries = entries
    }

    init(path: String, entries: [Entry]) {
        self.path = path
        self.entries = entries
    }

    /// These aliases followed by the public research institutes' rows, which therefore win.
    public func adding(_ institutes: PublicResearchInstitutes) -> OrganizationAliases {
        OrganizationAliases(path: path, entries: entries + institutes.entries)
    }

    /// The curated aliases and the public research institutes of one reference folder.
    public init(referenceFolder folder: String) throws {
        self = try OrganizationAliases(path: folder + "/organization-aliases.tsv")
            .adding(PublicResearchInstitutes(path: folder + "/" + PublicResearchInstitutes.fileName))
    }

    /// ROR id → override sector (`ror` rows).
    public var rorOverrides: [String: (organization: String, sectors: [Sector])] {
        var out: [String: (String, [Sector])] = [:]
        for e in entries where e.kind == .ror { out[e.pattern] = (e.organization, e.sectors) }
        return out
    }
}
