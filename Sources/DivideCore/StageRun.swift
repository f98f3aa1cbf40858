import Foundation

/// Runs a stage's work the same way for every stage: times it, checks the counts reconcile,
/// writes them beside the output, prints the one-line summary on stderr, and turns any error
/// into one line on stderr and exit status 1.
public func runStage(_ name: String, output: String, _ work: (inout StageCounts) throws -> Void) -> Never {
    let start = Date()
    var counts = StageCounts(stage: name)
    do {
        try work(&counts)
        counts.seconds = Date().timeIntervalSince(start)
        guard counts.reconciles else {
            throw DivideError(file: output, reason: "counts do not reconcile: in \(counts.input) ≠ out \(counts.output) + rejected \(counts.rejected) + merged \(counts.merged) + excluded \(counts.excluded)")
        }
        try counts.write(besides: output)
        printError(counts.summaryLine)
        if ProcessInfo.processInfo.environment["STRICT"] == "1", counts.rejected > 0 {
            printError("\(name): STRICT=1 and \(counts.rejected) record(s) rejected; see the rejects file")
            exit(3)
        }
        exit(0)
    } catch {
        printError("\(name): error: \(error)")
        exit(1)
    }
}
