import ArgumentParser
import DivideCore
import DivideDedupe

public struct DedupeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "dedupe",
        abstract: "Merge records of the same thing seen in several sources or rows.",
        subcommands: [Models.self, Papers.self])
    public init() {}

    struct Models: StageCommand {
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
        @OptionGroup var flags: StageFlags
        func run(options: StageOptions) throws { try DedupeStage.models(input: input, output: output, merges: merges, options: options) }
    }

    struct Papers: StageCommand {
        static let configuration = CommandConfiguration(
            commandName: "papers",
            abstract: "One record per paper across arXiv, the conference lists and the ACL Anthology.",
            discussion: """
            Two streaming passes over the inputs: the first builds the match index and the clusters, the \
            second merges each cluster as its records go by. Rules, strongest first: arxiv_id, doi \
            (case-folded; 10.48550/arXiv.<id> counts as the arXiv id), title_year_author (normalized \
            title + first-author surname + year ±1). Rejected and withdrawn submissions are excluded. \
            Every merge, and every refused one, is a line of the audit file.
            """)
        @Option(help: "Parsed paper records (repeatable; order sets the output order).")
        var input: [String]
        @Option(help: "Unique paper records out (the analysis set).")
        var output: String
        @Option(help: "Audit of every merge and refused merge: {action, rule, key, a, b, reason?}.")
        var merges: String
        @OptionGroup var flags: StageFlags
        func validate() throws {
            if input.isEmpty { throw ValidationError("name at least one --input") }
        }
        func run(options: StageOptions) throws { try DedupeStage.papers(inputs: input, output: output, merges: merges, options: options) }
    }
}
