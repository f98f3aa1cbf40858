import ArgumentParser
import DivideCore

/// `render check`: the reconciliation `make check` runs over every stage's counts.
struct CheckChain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify every stage's counts reconcile and each stage read exactly what the previous one wrote.",
        discussion: "Prints one line per counts file, rejects/merges file and link; exits 1 if any fails.")

    // A positional argument: the parent command's own --stages option would take a flag of that name.
    @Argument(help: "The folder holding every stage's counts files.")
    var stages = "stages"

    func run() throws {
        let findings = try ChainCheck(stagesFolder: stages).run()
        for finding in findings { print(finding.line) }
        let failed = findings.filter { !$0.ok }.count
        if failed > 0 {
            printError("check: \(failed) of \(findings.count) checks failed")
            throw ExitCode(1)
        }
        print("check: the chain reconciles (\(findings.count) checks)")
    }
}
