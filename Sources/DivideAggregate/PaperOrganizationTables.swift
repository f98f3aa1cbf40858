import DivideClassify
import DivideCore
import DivideStats

/// Which organizations write the papers of each topic: every organization the classify stage
/// resolved for a paper (an author's affiliation or a paper-level one, by `organization_id`)
/// counts the paper once, whatever the number of its authors there.
struct OrganizationPaperTally {
    struct Organization {
        let id: String
        let name: String
        /// How often each sector set ("+"-joined) was given to the organization's affiliations.
        var sectors: [String: Int] = [:]
        /// The most frequent sector set; ties go to the alphabetically first.
        var sector: String { sectors.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? Sector.unknown.rawValue }
    }

    private(set) var organizations: [Organization] = []
    private var indexByID: [String: Int] = [:]
    /// topic → organization index → (paper index, year), each paper once per organization.
    private(set) var papers: [String: [Int: [(paper: UInt32, year: Int)]]] = [:]
    /// topic → (paper index, year) of its papers with at least one resolved organization.
    private(set) var papersWithOrganizations: [String: [(paper: UInt32, year: Int)]] = [:]

    mutating func add(_ paper: PaperFacts, index: UInt32, year: Int) {
        var seen = Set<Int>()
        for found in paper.organizations {
            let o: Int
            if let known = indexByID[found.id] {
                o = known
            } else {
                o = organizations.count
                indexByID[found.id] = o
                organizations.append(Organization(id: found.id, name: found.name))
            }
            organizations[o].sectors[found.sectors.map(\.rawValue).joined(separator: "+"), default: 0] += 1
            if seen.insert(o).inserted { papers[paper.topic, default: [:]][o, default: []].append((index, year)) }
        }
        if !seen.isEmpty { papersWithOrganizations[paper.topic, default: []].append((index, year)) }
    }
}

extension PaperTables {
    /// Organizations listed per topic and period.
    static let organizationsPerTopic = 20

    /// `topic,period,rank,organization,organization_id,sector,papers,topic_papers,share,ci_low,ci_high`:
    /// per primary topic (foundation models first, then by number of papers) and period (all years,
    /// and the later shift-share period), the organizations with the most papers. `share` is the
    /// share of the topic's papers with at least one resolved organization that have one at this
    /// organization (Wilson 95%); the shares of a topic add up to more than 1 (a paper has several).
    /// `sector` is the organization's most frequent sector set. Ties in papers go by organization name.
    public func organizationPapersByTopic() -> Table {
        var table = Table(name: "organization_papers_by_topic",
                          columns: ["topic", "period", "rank", "organization", "organization_id", "sector", "papers", "topic_papers",
                                    "share", "ci_low", "ci_high"])
        let organizations = tally.organizations
        let topics = organizations.papersWithOrganizations.keys.sorted { a, b in
            let fm = "foundation-models"
            if (a == fm) != (b == fm) { return a == fm }
            let (na, nb) = (organizations.papersWithOrganizations[a]!.count, organizations.papersWithOrganizations[b]!.count)
            return na != nb ? na > nb : a < b
        }
        let periods: [(label: String, span: YearSpan?)] = [("all", nil), (periods.after.description, periods.after)]
        for topic in topics {
            for (label, span) in periods {
                let inPeriod = { (year: Int) in span.map { $0.from <= year && year <= $0.to } ?? true }
                let topicPapers = organizations.papersWithOrganizations[topic]!.filter { inPeriod($0.year) }.count
                let ranked = organizations.papers[topic, default: [:]]
                    .map { (organization: $0.key, papers: $0.value.filter { inPeriod($0.year) }.map(\.paper)) }
                    .filter { !$0.papers.isEmpty }
                    .sorted { a, b in
                        a.papers.count != b.papers.count ? a.papers.count > b.papers.count
                            : organizations.organizations[a.organization].name < organizations.organizations[b.organization].name
                    }
                for (rank, entry) in ranked.prefix(Self.organizationsPerTopic).enumerated() {
                    let organization = organizations.organizations[entry.organization]
                    let ci = WilsonInterval(successes: entry.papers.count, trials: topicPapers)
                    table.append([.string(topic), .string(label), .int(rank + 1), .string(organization.name), .string(organization.id),
                                  .string(organization.sector), .int(entry.papers.count), .int(topicPapers)]
                                 + ShareColumns.values(ci, trials: topicPapers), sortedRecordIDs: ids.sorted([entry.papers]))
                }
            }
        }
        return table
    }
}
