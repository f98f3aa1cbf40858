import DivideCore
import DivideStats

extension PaperTables {
    /// `venue,year,papers,full,partial,none,share_full`: how completely each venue-year's teams
    /// were resolved (what the paper-level estimates rest on). Drill-down: the fully resolved papers.
    public func coverageByVenueYear() -> Table {
        var table = Table(name: "coverage_by_venue_year", columns: ["venue", "year", "papers", "full", "partial", "none", "share_full"])
        let records = tally.estimates
        var cells: [VenueYear: [[UInt32]]] = [:]
        for (i, p) in records.papers.enumerated() {
            let key = VenueYear(venue: records.venues[Int(p.venue)], year: p.year)
            var c = cells[key] ?? [[], [], []]
            c[Int(p.resolution.rawValue)].append(UInt32(i))
            cells[key] = c
        }
        for (key, c) in cells.sorted(by: { $0.key < $1.key }) {
            let n = c.reduce(0) { $0 + $1.count }
            table.append([.string(key.venue), .int(key.year), .int(n), .int(c[0].count), .int(c[1].count), .int(c[2].count),
                          rounded(Double(c[0].count) / Double(n), 4)], sortedRecordIDs: ids.sorted([c[0]]))
        }
        return table
    }

    /// `venue,period,from_year,to_year,resolved,any_industry,share,ci_low,ci_high`: papers with at
    /// least one industry affiliation (industry-only, collaboration, and industry with government
    /// or nonprofit) among fully resolved papers; per venue-year, and for `venue = all` per year
    /// and reported period.
    public func anyIndustryByYear() -> Table {
        var table = Table(name: "any_industry_by_year", columns: ["venue", "period", "from_year", "to_year", "resolved", "any_industry",
                                                                  "share", "ci_low", "ci_high"])
        let records = tally.estimates
        var resolved: [VenueYear: Int] = [:]
        var industry: [VenueYear: [UInt32]] = [:]
        for (i, p) in records.papers.enumerated() where p.fullyResolved {
            for venue in [records.venues[Int(p.venue)], "all"] {
                let key = VenueYear(venue: venue, year: p.year)
                resolved[key, default: 0] += 1
                if p.anyIndustry { industry[key, default: []].append(UInt32(i)) }
            }
        }
        func row(_ venue: String, _ span: YearSpan) {
            let keys = resolved.keys.filter { $0.venue == venue && span.contains($0.year) }
            let n = keys.reduce(0) { $0 + resolved[$1]! }
            if n == 0 { return }
            let members = keys.sorted().map { industry[$0] ?? [] }
            let k = members.reduce(0) { $0 + $1.count }
            table.append([.string(venue)] + span.columns + [.int(n), .int(k)] + ShareColumns.values(WilsonInterval(successes: k, trials: n), trials: n),
                         sortedRecordIDs: ids.sorted(members))
        }
        for key in resolved.keys.sorted() where key.venue != "all" { row(key.venue, YearSpan(key.year, key.year)) }
        let years = Set(resolved.keys.filter { $0.venue == "all" }.map(\.year)).sorted()
        for span in years.map({ YearSpan($0, $0) }) + periods.reported { row("all", span) }
        return table
    }
}
