import ArgumentParser
import DivideAggregate
import DivideClassify
import DivideCore

@main
struct Aggregate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compute the study's tables (shares with Wilson intervals, trends with bootstrap intervals).",
        subcommands: [AggregateModels.self, AggregatePapers.self])
}

struct AggregateModels: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Model-level tables: sector shares, large-scale sector shares, compute trends.",
        discussion: """
        Writes <output-dir>/<table>.ndjson.gz for model_sector_shares, model_sector_shares_filtered, \
        large_scale_sector_shares, large_scale_sector_shares_filtered and compute_trends, and \
        <output-dir>/models.drilldown.ndjson.gz with the model ids behind every row.
        """)

    @Option(help: "Classified models (stages/classify/models.ndjson.gz).")
    var input: String

    @Option(help: "The aggregate stage folder.")
    var outputDir = "stages/aggregate"

    func run() throws {
        let drilldownPath = outputDir + "/models.drilldown.ndjson.gz"
        runStage("aggregate models", output: drilldownPath) { counts in
            let rejectsPath = outputDir + "/models.rejects.ndjson.gz"
            let rejects = try RejectsWriter(path: rejectsPath)
            let models = try readStageInput(ClassifiedModel.self, path: input, output: drilldownPath, counts: &counts, rejects: rejects)
            let tables = ModelTables(models: models)
            try rejects.commit()
            try writeTables(tables.tableBuilders + OrganizationTables(models: models).tableBuilders, folder: outputDir, drilldown: drilldownPath)
            counts.output = tables.models.count
            counts.excluded = models.count - counts.output  // not notable, or no publication year
            counts.noteRejects(rejectsPath, output: drilldownPath)
        }
    }
}

struct AggregatePapers: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "papers",
        abstract: "Paper-level tables: team types, compute-intensive topics, open-model reliance, collaboration, countries, sensitivity.",
        discussion: """
        Writes <output-dir>/<table>.ndjson.gz for team_type_by_year, topic_team_type_by_year, \
        academic_share_compute_intensive, open_model_reliance_by_year, collaboration_index_by_year, \
        country_by_year, sensitivity (and topic_compute_intensity from the classify stage's topic \
        ranking), plus <output-dir>/papers.drilldown.ndjson.gz with the paper ids behind every row. \
        Rejected and withdrawn submissions and papers without a year are excluded (counted).
        """)

    @Option(help: "Classified papers (stages/classify/papers.ndjson.gz).")
    var input: String

    @Option(help: "Topic compute-intensity ranking from the classify stage (NDJSON.gz), republished as topic_compute_intensity.")
    var topics: String?

    @Option(help: "The aggregate stage folder.")
    var outputDir = "stages/aggregate"

    func run() throws {
        let drilldownPath = outputDir + "/papers.drilldown.ndjson.gz"
        runStage("aggregate papers", output: drilldownPath) { counts in
            let rejectsPath = outputDir + "/papers.rejects.ndjson.gz"
            let rejects = try RejectsWriter(path: rejectsPath)
            var tally = PaperTally()
            try forEachStageInput(path: input, output: drilldownPath, counts: &counts, rejects: rejects,
                                  selecting: PaperFacts.jsonSelection, decode: PaperFacts.init(json:)) { tally.add($0) }
            let tables = PaperTables(tally)
            var builders = tables.tableBuilders
            if let topics {
                let ranking = try Table.readNDJSON(path: topics, name: "topic_compute_intensity")
                builders.append { ranking }
            }
            try rejects.commit()
            try writeTables(builders, folder: outputDir, drilldown: drilldownPath)
            counts.output = tally.papersCounted
            counts.excluded = tally.papersRead - counts.output  // rejected/withdrawn submissions, no year
            counts.noteRejects(rejectsPath, output: drilldownPath)
        }
    }
}
