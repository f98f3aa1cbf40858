import ArgumentParser
import DivideCore
import DivideDedupe

@main
struct Dedupe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge records of the same thing seen in several sources or rows.",
        subcommands: [DedupeModels.self, DedupePapers.self])
}

struct DedupeModels: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "One record per model across the Epoch tables (same normalized name), provenance of every row kept.",
        discussion: "Fields come from the highest-ranked table that has them: notable, large-scale, frontier, then the all-models exports, newer before older.")

    @Option(help: "Parsed model records (stages/parse/models.ndjson.gz).")
    var input: String

    @Option(help: "Unique model records out.")
    var output: String

    @Option(help: "Audit of every merge: which row went into which model.")
    var merges: String

    func run() throws {
        runStage("dedupe models", output: output) { counts in
            let rejectsPath = RejectsWriter.path(besides: output)
            let rejects = try RejectsWriter(path: rejectsPath)
            let records = try readStageInput(ModelRecord.self, path: input, output: output, counts: &counts, rejects: rejects)
            let (unique, merged) = ModelDeduplicator().deduplicate(records)
            let writer = try NDJSONWriter(path: output)
            for record in unique { try writer.write(record) }
            let audit = try NDJSONWriter(path: merges)
            for merge in merged {
                try audit.write(.object([("kept", .string(merge.kept)), ("rule", .string("same normalized name")),
                                         ("merged_row", merge.mergedRow.json)]))
            }
            try audit.commit()
            try rejects.commit()
            try writer.commit()
            counts.output = unique.count
            counts.merged = merged.count
            counts.noteRejects(rejectsPath, output: output)
            counts.noteMerges(merges, output: output)
        }
    }
}
