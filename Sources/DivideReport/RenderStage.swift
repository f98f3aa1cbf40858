import DivideCore

/// The render stage: the report page, figures, CSV tables and drill-down, and `render check`.
public enum RenderStage {
    @discardableResult
    public static func render(_ inputs: SurveyReport.Inputs, output: String, options: StageOptions = StageOptions()) throws -> StageCounts {
        try runStage("render", target: output + "/report.html", options: options) { run in
            let tables = try SurveyReport(inputs: inputs).write(to: output)
            run.counts.input = tables
            run.counts.output = tables
        }
    }

    /// `render check`: every counts file, rejects/merges file and link of the chain, one line
    /// each on stdout; throws when any fails.
    public static func check(stages: String) throws {
        let findings: [ChainCheck.Finding]
        do { findings = try ChainCheck(stagesFolder: stages).run() } catch {
            throw StageFailure(stage: "render check", message: plainMessage(error))
        }
        for finding in findings { print(finding.line) }
        let failed = findings.filter { !$0.ok }.count
        guard failed == 0 else {
            throw StageFailure(stage: "render check", message: "\(stages): \(failed) of \(findings.count) checks failed")
        }
        print("check: the chain reconciles (\(findings.count) checks)")
    }
}
