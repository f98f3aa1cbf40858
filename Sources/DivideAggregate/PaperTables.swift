import DivideClassify
import DivideCore
import DivideStats

/// The paper-level tables of the survey: team types by venue, year and topic; the academic-only
/// share in compute-intensive topics; reliance on industry's open models; collaboration against
/// random mixing; countries; and sensitivity to unknowns.
public struct PaperTables {
    /// Published papers (rejected and withdrawn submissions already removed) with a year.
    public let papers: [PaperFacts]

    public init(papers: [PaperFacts]) {
        self.papers = papers.filter { $0.inAnalysisSet && $0.year != nil }
    }

    /// One row per key and team type: count, and share of the papers with a known team type
    /// (Wilson 95%). The `unknown` row carries its count; its share columns stay empty.
    static func appendTeamTypeRows(to table: inout Table, prefix: [JSONValue], group: [PaperFacts]) {
        let known = group.filter { $0.teamType != "unknown" }
        for teamType in teamTypeOrder {
            let members = group.filter { $0.teamType == teamType }
            if teamType == "unknown" {
                table.append(prefix + [.string(teamType), .int(members.count), .null, .null, .null], recordIDs: members.map(\.id))
                continue
            }
            let ci = WilsonInterval(successes: members.count, trials: known.count)
            table.append(prefix + [.string(teamType), .int(members.count)] + ShareColumns.values(ci, trials: known.count),
                         recordIDs: members.map(\.id))
        }
    }

    /// `venue,year,team_type,papers,share,ci_low,ci_high`, per venue-year and for `venue=all`.
    public func teamTypeByYear() -> Table {
        var table = Table(name: "team_type_by_year", columns: ["venue", "year", "team_type", "papers", "share", "ci_low", "ci_high"])
        let byVenueYear = Dictionary(grouping: papers) { VenueYear(venue: $0.venue, year: $0.year!) }
        let byYear = Dictionary(grouping: papers) { $0.year! }
        for (key, group) in byVenueYear.sorted(by: { $0.key < $1.key }) {
            PaperTables.appendTeamTypeRows(to: &table, prefix: [.string(key.venue), .int(key.year)], group: group)
        }
        for (year, group) in byYear.sorted(by: { $0.key < $1.key }) {
            PaperTables.appendTeamTypeRows(to: &table, prefix: [.string("all"), .int(year)], group: group)
        }
        return table
    }

    /// `topic,year,team_type,papers,share,ci_low,ci_high` by primary topic.
    public func topicTeamTypeByYear() -> Table {
        var table = Table(name: "topic_team_type_by_year", columns: ["topic", "year", "team_type", "papers", "share", "ci_low", "ci_high"])
        let groups = Dictionary(grouping: papers) { TopicYear(topic: $0.topic, year: $0.year!) }
        for (key, group) in groups.sorted(by: { $0.key < $1.key }) {
            PaperTables.appendTeamTypeRows(to: &table, prefix: [.string(key.topic), .int(key.year)], group: group)
        }
        return table
    }

    /// `year,group,academic_only,known,unknown,share,ci_low,ci_high`: the academic-only share of
    /// papers with a known team type, in compute-intensive topics vs the rest.
    public func academicShareComputeIntensive() -> Table {
        var table = Table(name: "academic_share_compute_intensive",
                          columns: ["year", "group", "academic_only", "known", "unknown", "share", "ci_low", "ci_high"])
        for (year, group) in Dictionary(grouping: papers, by: { $0.year! }).sorted(by: { $0.key < $1.key }) {
            for (label, intensive) in [("compute-intensive", true), ("other", false)] {
                let members = group.filter { $0.computeIntensive == intensive }
                let known = members.filter { $0.teamType != "unknown" }
                let academic = known.filter { $0.teamType == "academic-only" }
                let ci = WilsonInterval(successes: academic.count, trials: known.count)
                table.append([.int(year), .string(label), .int(academic.count), .int(known.count), .int(members.count - known.count)]
                             + ShareColumns.values(ci, trials: known.count), recordIDs: academic.map(\.id))
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
        for (year, group) in Dictionary(grouping: papers, by: { $0.year! }).sorted(by: { $0.key < $1.key }) {
            for teamType in teamTypeOrder {
                let members = group.filter { $0.teamType == teamType }
                let mentioning = members.filter { !$0.mentions.isEmpty }
                let industryOpen = mentioning.filter { $0.mentions.contains { $0.developerSector == "industry" && $0.openWeights } }
                let ci = WilsonInterval(successes: industryOpen.count, trials: mentioning.count)
                table.append([.int(year), .string(teamType), .int(members.count), .int(mentioning.count), .int(industryOpen.count)]
                             + ShareColumns.values(ci, trials: mentioning.count), recordIDs: industryOpen.map(\.id))
            }
        }
        return table
    }

    /// `year,papers,authors_academic,authors_industry,authors_both,authors_other,observed,observed_share,expected_share,index`.
    public func collaborationIndexByYear() -> Table {
        var table = Table(name: "collaboration_index_by_year",
                          columns: ["year", "papers", "authors_academic", "authors_industry", "authors_both", "authors_other",
                                    "observed", "observed_share", "expected_share", "index"])
        for (year, group) in Dictionary(grouping: papers, by: { $0.year! }).sorted(by: { $0.key < $1.key }) {
            let teams = group.map { $0.authors.compactMap { CollaborationIndex.sector(of: $0.sectors) } }
            let result = CollaborationIndex(teams: teams)
            let ids = zip(group, teams).filter { $0.1.count >= 2 }.map { $0.0.id }
            table.append([.int(year), .int(result.papers), .int(result.pool[.academic] ?? 0), .int(result.pool[.industry] ?? 0),
                          .int(result.pool[.both] ?? 0), .int(result.pool[.other] ?? 0), .int(result.observed),
                          rounded(result.observedShare, 4), rounded(result.expectedShare, 4), result.index.map { rounded($0, 3) } ?? .null],
                         recordIDs: ids)
        }
        return table
    }

    /// `country,year,sector,authorships,share,ci_low,ci_high`: sectors of author affiliations by
    /// country (where the source gives countries), share of the country-year's authorships
    /// with a known sector.
    public func countryByYear() -> Table {
        var table = Table(name: "country_by_year", columns: ["country", "year", "sector", "authorships", "share", "ci_low", "ci_high"])
        var counts: [CountryYear: [String: [String]]] = [:]
        for paper in papers {
            for author in paper.authors {
                guard let sector = author.sectors.first else { continue }
                for country in Set(author.countries) where !country.isEmpty {
                    counts[CountryYear(country: country, year: paper.year!), default: [:]][sector, default: []].append(paper.id)
                }
            }
        }
        for (key, bySector) in counts.sorted(by: { $0.key < $1.key }) {
            let total = bySector.values.reduce(0) { $0 + $1.count }
            for sector in ["academia", "industry", "government", "nonprofit"] {
                let ids = bySector[sector] ?? []
                let ci = WilsonInterval(successes: ids.count, trials: total)
                table.append([.string(key.country), .int(key.year), .string(sector), .int(ids.count)] + ShareColumns.values(ci, trials: total),
                             recordIDs: Array(Set(ids)))
            }
        }
        return table
    }

    /// `measure,year,scenario,numerator,denominator,share,ci_low,ci_high`: the key academic-only
    /// shares with unknown team types excluded (the reported figure), counted as academic-only,
    /// and counted as industry-only (i.e. never academic-only).
    public func sensitivity() -> Table {
        var table = Table(name: "sensitivity", columns: ["measure", "year", "scenario", "numerator", "denominator", "share", "ci_low", "ci_high"])
        let measures: [(String, (PaperFacts) -> Bool)] = [
            ("academic_only_share_all_papers", { _ in true }),
            ("academic_only_share_compute_intensive", { $0.computeIntensive }),
        ]
        for (measure, include) in measures {
            for (year, group) in Dictionary(grouping: papers.filter(include), by: { $0.year! }).sorted(by: { $0.key < $1.key }) {
                let academic = group.filter { $0.teamType == "academic-only" }
                let unknown = group.filter { $0.teamType == "unknown" }
                let known = group.count - unknown.count
                let scenarios: [(String, Int, Int, [String])] = [
                    ("unknown excluded", academic.count, known, academic.map(\.id)),
                    ("unknown as academic", academic.count + unknown.count, group.count, (academic + unknown).map(\.id)),
                    ("unknown as industry", academic.count, group.count, academic.map(\.id)),
                ]
                for (scenario, numerator, denominator, ids) in scenarios {
                    let ci = WilsonInterval(successes: numerator, trials: denominator)
                    table.append([.string(measure), .int(year), .string(scenario), .int(numerator), .int(denominator)]
                                 + ShareColumns.values(ci, trials: denominator), recordIDs: ids)
                }
            }
        }
        return table
    }

    /// Every table, each built only when asked for, so a caller can write one and drop it before
    /// building the next (each holds its drill-down ids: with all of them alive at once, peak
    /// memory grows with the number of tables).
    public var tableBuilders: [() -> Table] {
        [teamTypeByYear, topicTeamTypeByYear, academicShareComputeIntensive, openModelRelianceByYear,
         collaborationIndexByYear, countryByYear, sensitivity]
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
