import ArgumentParser
import DivideCore
import DivideReport

/// `render explain`: the records behind a number of the report.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Print the records behind one row of a table: ids, years, names or titles, provenance.",
        discussion: """
        A row is named by its table and its key: the row's text columns and its year, in the \
        order of the table's columns (outputs/tables/README.md lists them). Examples:

          render explain model_sector_shares 2023 academia
          render explain large_scale_sector_shares 2022 1e23 industry
          render explain team_type_by_year nips 2021 collaboration
          render explain compute_trends academia 2010
          render explain topic_team_type_by_year foundation-models 2023 academic-only
          render explain organization_papers_by_topic foundation-models all 1

        Prints the row's values, then one tab-separated line per record: id, year, model name or \
        paper title, and provenance (Epoch file and line for models; source and venue for papers). \
        A key may stop after its first words: every row it begins is explained (so \
        `organization_papers_by_topic foundation-models 2021–2025 1` is that topic's first \
        organization); with no key, every row of the table. A key that matches nothing is reported \
        with examples of the table's keys.
        """)

    @Argument(help: "The table (outputs/tables/<table>.csv without .csv).")
    var table: String

    @Argument(help: "The row key: the row's text columns and year, in column order.")
    var key: [String] = []

    @Option(help: "The drill-down file written by render.")
    var drilldown = "outputs/drilldown.ndjson.gz"

    @Option(help: "Classified models (model ids are looked up here).")
    var models = "stages/classify/models.ndjson.gz"

    @Option(help: "Classified papers (paper ids are looked up here).")
    var papers = "stages/classify/papers.ndjson.gz"

    @Option(help: "Records printed per row (0: all).")
    var limit = 50

    func run() throws {
        let explainer = DrilldownExplainer(drilldownPath: drilldown, modelsPath: models, papersPath: papers)
        print(try explainer.explain(table: table, key: key, limit: limit == 0 ? nil : limit), terminator: "")
    }
}
