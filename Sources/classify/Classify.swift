import ArgumentParser
import DivideClassify
import DivideCore

@main
struct Classify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Attach sectors, team types, topics and flags to deduplicated records.",
        subcommands: [ClassifyModels.self, ClassifyOrganizations.self, ClassifyPapers.self])
}

struct ClassifyModels: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Each model's sector, notability filter and large-scale flags.",
        discussion: """
        Sector from Epoch's Organization categorization: {Academia} → academia, {Industry} → industry, \
        both → collaboration, none → unknown, anything else → other. Large-scale: ≥1e23 FLOP, and \
        ≥ the 75th percentile of the year's notable models' compute. Filtered view: drops models \
        notable only for Significant use, Training cost or Discretionary.
        """)

    @Option(help: "Deduplicated models (stages/dedupe/models.ndjson.gz).")
    var input: String

    @Option(help: "Classified models out.")
    var output: String

    func run() throws {
        runStage("classify models", output: output) { counts in
            let rejectsPath = RejectsWriter.path(besides: output)
            let rejects = try RejectsWriter(path: rejectsPath)
            let models = try readStageInput(ModelRecord.self, path: input, output: output, counts: &counts, rejects: rejects,
                                            concurrently: true)
            let writer = try NDJSONWriter(path: output)
            try ModelClassifier().classify(models) { try writer.write($0) }
            try rejects.commit()
            try writer.commit()
            counts.output = writer.count
            counts.noteRejects(rejectsPath, output: output)
        }
    }
}
