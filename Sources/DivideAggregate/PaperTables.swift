import DivideClassify
import DivideCore
import DivideStats

/// What the paper tables need from the classified papers, gathered in one pass: per-(year, group)
/// counters and the indices of the papers behind each row (their ids are kept once, in reading
/// order). Memory grows with the ids, not with whole papers.
public struct PaperTally {
    /// Papers added, in the analysis set or not.
    public private(set) var papersRead = 0
    /// Ids of the papers in the analysis set (published, with a year) in the order added: the
    /// tallies refer to papers by index into this.
    private(set) var ids: [String] = []
    private(set) var byVenueYear: [VenueYear: TeamTypeTally] = [:]
    private(set) var byTopicYear: [TopicYear: TeamTypeTally] = [:]
    private(set) var byYear: [Int: YearTally] = [:]
    private(set) var byCountryYear: [CountryYear: CountryTally] = [:]
    /// One compact line per counted paper, for the estimates that need the papers themselves.
    private(set) var estimates = EstimateRecords()
    private(set) var organizations = OrganizationPaperTally()
    /// `inAnalysisSet` of each status seen: a status is one of a few words, and the test
    /// (case-folding, substring search) costs more than the lookup.
    private var publishedByStatus: [String: Bool] = [:]

    public init() {}

    /// Papers in the analysis set: rejected and withdrawn submissions and papers without a year are left out.
    public var papersCounted: Int { ids.count }

    public mutating func add(_ paper: PaperFacts) {
        papersRead += 1
        guard let year = paper.year, isPublished(paper) else { return }
        precondition(ids.count < Int(UInt32.max), "more papers than 32-bit indices can hold")
        let index = UInt32(ids.count)
        ids.append(paper.id)
        let teamType = teamTypeOrder.firstIndex(of: paper.resolvedTeamType)
        estimates.add(paper, year: year)
        organizations.add(paper, index: index, year: year)
        byVenueYear[VenueYear(venue: paper.venue, year: year), default: TeamTypeTally()].add(index, teamType: teamType)
        byTopicYear[TopicYear(topic: paper.topic, year: year), default: TeamTypeTally()].add(index, teamType: teamType)
        byYear[year, default: YearTally()].add(paper, index, teamType: teamType)
        for author in paper.authors {
            guard let sector = author.sectors.first else { continue }
            let listed = countrySectorOrder.firstIndex(of: sector)
            for (i, country) in author.countries.enumerated() where !country.isEmpty && !author.countries[..<i].contains(country) {
                byCountryYear[CountryYear(country: country, year: year), default: CountryTally()].add(index, sector: listed)
            }
        }
    }

    private mutating func isPublished(_ paper: PaperFacts) -> Bool {
        guard let status = paper.status else { return true }
        if let known = publishedByStatus[status] { return known }
        let published = paper.inAnalysisSet
        publishedByStatus[status] = published
        return published
    }
}

/// Papers of one group by team type (indices in `teamTypeOrder`).
struct TeamTypeTally {
    var members: [[UInt32]] = Array(repeating: [], count: teamTypeOrder.count)
    /// Papers whose team type is not in `teamTypeOrder`: known, but in no row.
    var unlisted = 0

    mutating func add(_ paper: UInt32, teamType: Int?) {
        if let teamType { members[teamType].append(paper) } else { unlisted += 1 }
    }

    var total: Int { members.reduce(unlisted) { $0 + $1.count } }
}

/// One year's counters for the tables by year. Compute-intensive papers and the others are
/// tallied apart; the year's rows over all papers take both.
struct YearTally {
    var intensive = TeamTypeTally()
    var other = TeamTypeTally()
    /// By team type: papers mentioning a model, and those mentioning an industry open-weights one.
    var mentioning = Array(repeating: 0, count: teamTypeOrder.count)
    var industryOpen: [[UInt32]] = Array(repeating: [], count: teamTypeOrder.count)
    var collaboration = CollaborationIndex.Tally()
    var collaborationPapers: [UInt32] = []

    mutating func add(_ paper: PaperFacts, _ index: UInt32, teamType: Int?) {
        if paper.computeIntensive {
            intensive.add(index, teamType: teamType)
        } else {
            other.add(index, teamType: teamType)
        }
        let mentions = paper.countedMentions
        if let teamType, !mentions.isEmpty {
            mentioning[teamType] += 1
            if mentions.contains(where: { $0.developerSectors == [.industry] && $0.openWeights }) {
                industryOpen[teamType].append(index)
            }
        }
        if collaboration.add(team: paper.authors.compactMap { CollaborationIndex.sector(of: $0.sectors) }) {
            collaborationPapers.append(index)
        }
    }
}

/// One country-year's authorships by the author's first sector (indices in `countrySectorOrder`).
struct CountryTally {
    /// Every authorship with a sector, listed or not (the share's denominator).
    var total = 0
    var papers: [[UInt32]] = Array(repeating: [], count: countrySectorOrder.count)

    mutating func add(_ paper: UInt32, sector: Int?) {
        total += 1
        if let sector { papers[sector].append(paper) }
    }
}

let countrySectorOrder = Sector.organizationSectors

/// The analysis set's paper ids with each one's place in id order, so a row's ids come out sorted
/// by sorting integers: one sort of the strings for all rows, not one per row.
struct SortedPaperIDs {
    let ids: [String]
    /// paper index → place in id order, and back.
    private let place: [UInt32]
    private let paperAt: [UInt32]

    init(_ ids: [String]) {
        self.ids = ids
        let order = ids.indices.sorted { ids[$0] < ids[$1] }
        paperAt = order.map { UInt32($0) }
        var place = [UInt32](repeating: 0, count: ids.count)
        for (i, paper) in order.enumerated() { place[paper] = UInt32(i) }
        self.place = place
    }

    /// The ids of the papers in `lists`, sorted; with `unique`, each distinct id once.
    func sorted(_ lists: [[UInt32]], unique: Bool = false) -> [String] {
        var places: [UInt32] = []
        places.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        for list in lists { for paper in list { places.append(place[Int(paper)]) } }
        places.sort()
        var out: [String] = []
        out.reserveCapacity(places.count)
        for p in places {
            let id = ids[Int(paperAt[Int(p)])]
            if unique, let last = out.last, last == id { continue }
            out.append(id)
        }
        return out
    }
}

/// The paper-level tables of the survey: team types by venue, year and topic; the academic-only
/// share in compute-intensive topics; reliance on industry's open models; collaboration against
/// random mixing; countries; and sensitivity to unknowns.
public struct PaperTables {
    let tally: PaperTally
    let ids: SortedPaperIDs
    /// The shift-share periods (and the summary's spans, which get rows of their own).
    public var periods = EstimatePeriods()

    public init(_ tally: PaperTally) {
        self.tally = tally
        ids = SortedPaperIDs(tally.ids)
    }

    public init(papers: [PaperFacts]) {
        var tally = PaperTally()
        for paper in papers { tally.add(paper) }
        self.init(tally)
    }

    /// Published papers (rejected and withdrawn submissions removed) with a year.
    public var count: Int { tally.papersCounted }

    private var years: [(year: Int, tally: YearTally)] {
        tally.byYear.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// One row per key and team type: count, and share of the papers with a known team type
    /// (Wilson 95%). The `unknown` row carries its count; its share columns stay empty.
    /// `parts`: the group's papers, possibly tallied in several parts.
    func appendTeamTypeRows(to table: inout Table, prefix: [JSONValue], parts: [TeamTypeTally]) {
        let unknown = teamTypeOrder.count - 1
        let known = parts.reduce(0) { $0 + $1.total - $1.members[unknown].count }
        for (t, teamType) in teamTypeOrder.enumerated() {
            let members = parts.map { $0.members[t] }
            let count = members.reduce(0) { $0 + $1.count }
            if t == unknown {
                table.append(prefix + [.string(teamType), .int(count), .null, .null, .null], sortedRecordIDs: ids.sorted(members))
                continue
            }
            let ci = WilsonInterval(successes: count, trials: known)
            table.append(prefix + [.string(teamType), .int(count)] + ShareColumns.values(ci, trials: known),
                         sortedRecordIDs: ids.sorted(members))
        }
    }

    /// `venue,year,team_type,papers,share,ci_low,ci_high`, per venue-year and for `venue=all`.
    public func teamTypeByYear() -> Table {
        var table = Table(name: "team_type_by_year", columns: ["venue", "year", "team_type", "papers", "share", "ci_low", "ci_high"])
        for (key, group) in tally.byVenueYear.sorted(by: { $0.key < $1.key }) {
            appendTeamTypeRows(to: &table, prefix: [.string(key.venue), .int(key.year)], parts: [group])
        }
        for (year, group) in years {
            appendTeamTypeRows(to: &table, prefix: [.string("all"), .int(year)], parts: [group.intensive, group.other])
        }
        return table
    }

    /// `topic,year,team_type,papers,share,ci_low,ci_high` by primary topic.
    public func topicTeamTypeByYear() -> Table {
        var table = Table(name: "topic_team_type_by_year", columns: ["topic", "year", "team_type", "papers", "share", "ci_low", "ci_high"])
        for (key, group) in tally.byTopicYear.sorted(by: { $0.key < $1.key }) {
            appendTeamTypeRows(to: &table, prefix: [.string(key.topic), .int(key.year)], parts: [group])
        }
        return table
    }

    /// `year,group,academic_only,known,unknown,share,ci_low,ci_high`: the academic-only share of
    /// papers with a known team type, in compute-intensive topics vs the rest.
    public func academicShareComputeIntensive() -> Table {
        var table = Table(name: "academic_share_compute_intensive",
                          columns: ["year", "group", "academic_only", "known", "unknown", "share", "ci_low", "ci_high"])
        let academicOnly = 0, unknown = teamTypeOrder.count - 1
        for (year, group) in years {
            for (label, members) in [("compute-intensive", group.intensive), ("other", group.other)] {
                let unknownCount = members.members[unknown].count
                let known = members.total - unknownCount
                let academic = members.members[academicOnly]
                let ci = WilsonInterval(successes: academic.count, trials: known)
                table.append([.int(year), .string(label), .int(academic.count), .int(known), .int(unknownCount)]
                             + ShareColumns.values(ci, trials: known), sortedRecordIDs: ids.sorted([academic]))
            }
        }
        return table
    }

    /// `year,team_type,papers,mentioning_models,industry_open,share,ci_low,ci_high`: among papers
    /// that mention a pre-trained model, the share mentioning at least one industry-developed
    /// model with open weights.
    public func openModelRelianceByYear() -> Table {
        var table = Table(name: "open_model_reliance_by_year",
                          columns: ["year", "team_type", "papers", "mentioning_models", "industry_open", "share", "ci_low", "ci_high"])
        for (year, group) in years {
            for (t, teamType) in teamTypeOrder.enumerated() {
                let papers = group.intensive.members[t].count + group.other.members[t].count
                let mentioning = group.mentioning[t]
                let industryOpen = group.industryOpen[t]
                let ci = WilsonInterval(successes: industryOpen.count, trials: mentioning)
                table.append([.int(year), .string(teamType), .int(papers), .int(mentioning), .int(industryOpen.count)]
                             + ShareColumns.values(ci, trials: mentioning), sortedRecordIDs: ids.sorted([industryOpen]))
            }
        }
        return table
    }

    /// `year,papers,authors_academic,authors_industry,authors_both,authors_other,observed,observed_share,expected_share,index`.
    public func collaborationIndexByYear() -> Table {
        var table = Table(name: "collaboration_index_by_year",
                          columns: ["year", "papers", "authors_academic", "authors_industry", "authors_both", "authors_other",
                                    "observed", "observed_share", "expected_share", "index"])
        for (year, group) in years {
            let result = CollaborationIndex(group.collaboration)
            table.append([.int(year), .int(result.papers), .int(result.pool[.academia] ?? 0), .int(result.pool[.industry] ?? 0),
                          .int(result.pool[.collaboration] ?? 0), .int(result.pool[.other] ?? 0), .int(result.observed),
                          rounded(result.observedShare, 4), rounded(result.expectedShare, 4), result.index.map { rounded($0, 3) } ?? .null],
                         sortedRecordIDs: ids.sorted([group.collaborationPapers]))
        }
        return table
    }

    /// `country,year,sector,authorships,share,ci_low,ci_high`: sectors of author affiliations by
    /// country (where the source gives countries), share of the country-year's authorships
    /// with a known sector. A paper with several authorships in a row is listed once.
    public func countryByYear() -> Table {
        var table = Table(name: "country_by_year", columns: ["country", "year", "sector", "authorships", "share", "ci_low", "ci_high"])
        for (key, group) in tally.byCountryYear.sorted(by: { $0.key < $1.key }) {
            for (s, sector) in countrySectorOrder.enumerated() {
                let papers = group.papers[s]
                let ci = WilsonInterval(successes: papers.count, trials: group.total)
                table.append([.string(key.country), .int(key.year), .string(sector.rawValue), .int(papers.count)]
                             + ShareColumns.values(ci, trials: group.total), sortedRecordIDs: ids.sorted([papers], unique: true))
            }
        }
        return table
    }

    /// Every table, each built only when asked for, so a caller can write one and drop it before
    /// building the next (each holds its drill-down ids as strings).
    public var tableBuilders: [() -> Table] {
        [teamTypeByYear, topicTeamTypeByYear, academicShareComputeIntensive, openModelRelianceByYear,
         collaborationIndexByYear, countryByYear, sensitivity, shiftShare, venueAdjustedSeries, modelRelianceAllPapers,
         coverageByVenueYear, anyIndustryByYear, organizationPapersByTopic]
    }
}

/// share, ci_low, ci_high as published: rounded to 4 places; empty when there is no denominator.
enum ShareColumns {
    static func values(_ ci: WilsonInterval, trials: Int) -> [JSONValue] {
        guard trials > 0 else { return [.null, .null, .null] }
        return [rounded(ci.share, 4), rounded(ci.low, 4), rounded(ci.high, 4)]
    }
}

struct VenueYear: Hashable, Comparable {
    let venue: String, year: Int
    static func < (a: Self, b: Self) -> Bool { (a.venue, a.year) < (b.venue, b.year) }
}

struct TopicYear: Hashable, Comparable {
    let topic: String, year: Int
    static func < (a: Self, b: Self) -> Bool { (a.topic, a.year) < (b.topic, b.year) }
}

struct CountryYear: Hashable, Comparable {
    let country: String, year: Int
    static func < (a: Self, b: Self) -> Bool { (a.country, a.year) < (b.country, b.year) }
}
