import DivideClassify
import DivideCore

/// The aggregate stage's two runs: the tables, their drill-down file (the target) and counts.
public enum AggregateStage {
    /// `aggregate models`: sector shares, large-scale sector shares and compute trends.
    @discardableResult
    public static func models(input: String, outputDir: String, options: StageOptions = StageOptions()) throws -> StageCounts {
        let drilldown = outputDir + "/models.drilldown.ndjson.gz"
        return try runStage("aggregate models", target: drilldown, options: options) { run in
            let rejects = try run.rejects(outputDir + "/models.rejects.ndjson.gz")
            let models = try readStageInput(ClassifiedModel.self, path: input, run: run, rejects: rejects)
            let tables = ModelTables(models: models)
            try rejects.commit()
            try writeTables(tables.tableBuilders + OrganizationTables(models: models).tableBuilders, folder: outputDir, drilldown: drilldown)
            run.counts.output = tables.models.count
            run.counts.excluded = models.count - tables.models.count  // not notable, or no publication year
        }
    }

    /// `aggregate papers`: team types, compute-intensive topics, open-model reliance,
    /// collaboration, countries, sensitivity; `topics` (the classify stage's ranking) is
    /// republished as topic_compute_intensity.
    @discardableResult
    public static func papers(input: String, topics: String?, outputDir: String, periods: EstimatePeriods = EstimatePeriods(),
                              options: StageOptions = StageOptions()) throws -> StageCounts {
        let drilldown = outputDir + "/papers.drilldown.ndjson.gz"
        return try runStage("aggregate papers", target: drilldown, options: options) { run in
            if let topics { _ = try checkReadable(topics) }
            let rejects = try run.rejects(outputDir + "/papers.rejects.ndjson.gz")
            var tally = PaperTally()
            try forEachStageInput(path: input, run: run, rejects: rejects,
                                  selecting: PaperFacts.jsonSelection, decode: PaperFacts.init(json:)) { tally.add($0) }
            var tables = PaperTables(tally)
            tables.periods = periods
            var builders = tables.tableBuilders
            if let topics {
                let ranking = try Table.readNDJSON(path: topics, name: "topic_compute_intensity")
                builders.append { ranking }
                builders.append { tables.academicShareByTopicCompute(ranking) }
            }
            try rejects.commit()
            try writeTables(builders, folder: outputDir, drilldown: drilldown)
            run.counts.output = tally.papersCounted
            run.counts.excluded = tally.papersRead - tally.papersCounted  // rejected/withdrawn submissions, no year
        }
    }
}
