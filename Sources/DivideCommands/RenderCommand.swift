import ArgumentParser
import DivideCore
import DivideReport

public struct RenderCommand: StageCommand {
    public static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Write the survey report: outputs/report.html, figures/*.svg, tables/*.csv, drilldown.ndjson.gz.",
        discussion: "Reads every table in the aggregate folder, the classified models, the fetch manifests (provenance) and every stage's counts file (data quality). The page is self-contained: inline SVG and CSS, no scripts, fonts or images; all upstream text is HTML-escaped.",
        subcommands: [Check.self, Explain.self])
    public init() {}

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
    @OptionGroup public var flags: StageFlags

    public func run(options: StageOptions) throws {
        try RenderStage.render(.init(aggregateFolder: aggregate, modelsPath: models, fetchFolder: fetch, stagesFolder: stages,
                                     codeVersion: codeVersion), output: output, options: options)
    }

    /// `render check`: the reconciliation `make check` runs over every stage's counts.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Verify every stage's counts reconcile and each stage read exactly what the previous one wrote.",
            discussion: "Prints one line per counts file, rejects/merges file and link; exits 1 if any fails.")
        // A positional argument: the parent command's own --stages option would take a flag of that name.
        @Argument(help: "The folder holding every stage's counts files.")
        var stages = "stages"
        func run() throws { try RenderStage.check(stages: stages) }
    }
}
