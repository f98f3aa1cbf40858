import DivideClassify
import DivideCore
import DivideStats

extension PaperTables {
    /// `era,topic,models,median_training_compute_flop,papers,academic_only,share,ci_low,ci_high`:
    /// the continuous version of the compute-intensive comparison — per topic and era (of the
    /// paper's year, as in topic_compute_intensity), the academic-only share of fully resolved
    /// papers beside the median training compute of the topic-era's notable models. Topic-eras
    /// whose models have no known compute are left out. `ranking`: the classify stage's
    /// topic_compute table (era, topic, models, median_training_compute_flop, …).
    public func academicShareByTopicCompute(_ ranking: Table) -> Table {
        var table = Table(name: "academic_share_by_topic_compute", columns: [
            "era", "topic", "models", "median_training_compute_flop", "papers", "academic_only", "share", "ci_low", "ci_high"])
        let c = Dictionary(uniqueKeysWithValues: ranking.columns.enumerated().map { ($1, $0) })
        guard let ei = c["era"], let ti = c["topic"], let mi = c["models"], let fi = c["median_training_compute_flop"] else { return table }
        let records = tally.estimates
        var papers: [String: Int] = [:], academic: [String: [UInt32]] = [:]
        for (i, p) in records.papers.enumerated() where p.fullyResolved && VenueAdjustedSeries.years.contains(p.year) {
            let key = ComputeEra(year: p.year).rawValue + "|" + records.topics[Int(p.topic)]
            papers[key, default: 0] += 1
            if p.academicOnly { academic[key, default: []].append(UInt32(i)) }
        }
        for row in ranking.rows {
            guard let era = row[ei].stringValue, let topic = row[ti].stringValue, let flop = row[fi].doubleValue else { continue }
            let key = era + "|" + topic
            guard let n = papers[key], n > 0 else { continue }
            let members = academic[key] ?? []
            table.append([.string(era), .string(topic), row[mi], .double(flop), .int(n), .int(members.count)]
                         + ShareColumns.values(WilsonInterval(successes: members.count, trials: n), trials: n),
                         sortedRecordIDs: ids.sorted([members]))
        }
        return table
    }
}
