/// The upstream sources the pipeline knows, and where each lives in the offline snapshot.
public struct SourceCatalog {
    public struct Source: Sendable {
        public let name: String
        public let snapshotFolder: String
        public let description: String
    }

    public static let all: [Source] = [
        Source(name: "epoch", snapshotFolder: "epoch", description: "Epoch AI model tables (CSV)"),
        Source(name: "arxiv", snapshotFolder: "arxiv-oai", description: "arXiv OAI-PMH ListRecords pages (XML)"),
        Source(name: "paperlists", snapshotFolder: "paperlists", description: "conference paper lists (JSON)"),
        Source(name: "acl", snapshotFolder: "acl-anthology", description: "ACL Anthology volumes (XML)"),
        Source(name: "ror", snapshotFolder: "ror", description: "Research Organization Registry (JSON lines)"),
        Source(name: "university-domains", snapshotFolder: "university-domains", description: "university web domains (JSON)"),
        Source(name: "swot", snapshotFolder: "swot", description: "academic e-mail domains (JSON)"),
        Source(name: "openalex", snapshotFolder: "openalex", description: "OpenAlex API responses (JSON)"),
        Source(name: "sites", snapshotFolder: "paper-affiliations", description: "conference-site affiliation lists (text, Markdown, JSON lines, CSV; files.tsv)"),
        Source(name: "ror-2021", snapshotFolder: "ror-2021-names", description: "ROR 2021 names, countries and types (JSON in a tar)"),
    ]

    public static func named(_ name: String) -> Source? { all.first { $0.name == name } }
}
