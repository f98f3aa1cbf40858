import ArgumentParser
import DivideAggregate
import DivideCore

public struct AggregateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "aggregate",
        abstract: "Compute the study's tables (shares with Wilson intervals, trends with bootstrap intervals).",
        subcommands: [Models.self, Papers.self])
    public init() {}

    struct Models: StageCommand {
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
        @OptionGroup var flags: StageFlags
        func run(options: StageOptions) throws { try AggregateStage.models(input: input, outputDir: outputDir, options: options) }
    }

    struct Papers: StageCommand {
        static let configuration = CommandConfiguration(
            commandName: "papers",
            abstract: "Paper-level tables: team types, compute-intensive topics, open-model reliance, collaboration, countries, sensitivity.",
            discussion: """
            Writes <output-dir>/<table>.ndjson.gz for team_type_by_year, topic_team_type_by_year, \
            academic_share_compute_intensive, open_model_reliance_by_year, collaboration_index_by_year, \
            country_by_year, sensitivity, shift_share_decomposition, venue_adjusted_series, model_reliance_all_papers, \
            coverage_by_venue_year, any_industry_by_year, academic_share_by_topic_compute (and topic_compute_intensity from the classify stage's topic \
            ranking), plus <output-dir>/papers.drilldown.ndjson.gz with the paper ids behind every row. \
            Rejected and withdrawn submissions and papers without a year are excluded (counted).
            """)
        @Option(help: "Classified papers (stages/classify/papers.ndjson.gz).")
        var input: String
        @Option(help: "Topic compute-intensity ranking from the classify stage (NDJSON.gz), republished as topic_compute_intensity.")
        var topics: String?
        @Option(help: "The aggregate stage folder.")
        var outputDir = "stages/aggregate"
        @Option(help: "First period of the shift-share decomposition (YYYY-YYYY).")
        var periodBefore = "2015-2018"
        @Option(help: "Second period of the shift-share decomposition (YYYY-YYYY).")
        var periodAfter = "2021-2025"
        @OptionGroup var flags: StageFlags
        func validate() throws {
            for text in [periodBefore, periodAfter] where YearSpan(parsing: text) == nil {
                throw ValidationError("period '\(text)' is not YYYY-YYYY")
            }
        }
        func run(options: StageOptions) throws {
            let periods = EstimatePeriods(before: YearSpan(parsing: periodBefore)!, after: YearSpan(parsing: periodAfter)!)
            try AggregateStage.papers(input: input, topics: topics, outputDir: outputDir, periods: periods, options: options)
        }
    }
}
