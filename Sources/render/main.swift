import ArgumentParser
import DivideCore
import DivideReport
import Foundation

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Write the survey report: outputs/report.html, figures/*.svg, tables/*.csv, drilldown.ndjson.gz.",
        discussion: "Reads every table in the aggregate folder, the classified models, the fetch manifests (provenance) and every stage's counts file (data quality). The page is self-contained: inline SVG and CSS, no scripts, fonts or images; all upstream text is HTML-escaped.",
        subcommands: [CheckChain.self, Explain.self])

    @Option(help: "The aggregate stage folder.")
    var aggregate = "stages/aggregate"

    @Option(help: "Classified models (stages/classify/models.ndjson.gz).")
    var models = "stages/classify/models.ndjson.gz"

    @Option(help: "The fetch stage folder (manifests).")
    var fetch = "stages/fetch"

    @Option(help: "The folder holding every stage's counts files.")
    var stages = "stages"

    @Option(help: "Code version printed in the report (e.g. git describe).")
    var codeVersion = "unknown"

    @Option(help: "Output folder.")
    var output = "outputs"

    func run() throws {
        runStage("render", output: output + "/report.html") { counts in
            let report = try SurveyReport(inputs: .init(aggregateFolder: aggregate, modelsPath: models, fetchFolder: fetch,
                                                        stagesFolder: stages, codeVersion: codeVersion))
            let tables = try report.write(to: output)
            counts.input = tables
            counts.output = tables
        }
    }
}

Render.main()
