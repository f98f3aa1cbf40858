import ArgumentParser
import DivideAggregate
import DivideClassify
import DivideCore

@main
struct Aggregate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compute the study's tables (shares with Wilson intervals, trends with bootstrap intervals).",
        subcommands: [AggregateModels.self])
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
            let tables = ModelTables(models: models).allTables()
            let drilldown = try NDJSONWriter(path: drilldownPath)
            for table in tables {
                try table.writeNDJSON(folder: outputDir)
                for line in table.drilldownLines() { try drilldown.write(line) }
            }
            try rejects.commit()
            try drilldown.commit()
            counts.output = ModelTables(models: models).models.count
            counts.excluded = models.count - counts.output  // not notable, or no publication year
            counts.noteRejects(rejectsPath, output: drilldownPath)
        }
    }
}
