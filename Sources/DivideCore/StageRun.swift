import Foundation

/// Runs a stage's work the same way for every stage: times it, checks the counts reconcile,
/// writes them beside the output, prints the one-line summary on stderr, and turns any error
/// into one line on stderr and exit status 1.
public func runStage(_ name: String, output: String, _ work: (inout StageCounts) throws -> Void) -> Never {
    let start = Date()
    var counts = StageCounts(stage: name)
    PrimaryOutput.begin(output)
    do {
        try work(&counts)
        counts.seconds = Date().timeIntervalSince(start)
        guard counts.reconciles else {
            throw DivideError(file: output, reason: "counts do not reconcile: in \(counts.input) ≠ out \(counts.output) + rejected \(counts.rejected) + merged \(counts.merged) + excluded \(counts.excluded)")
        }
        // Counts first, the target last: Make never sees a target without its counts.
        try counts.write(besides: output)
        try PrimaryOutput.commitDeferred()
        printError(counts.summaryLine)
        if ProcessInfo.processInfo.environment["STRICT"] == "1", counts.rejected > 0 {
            printError("\(name): STRICT=1 and \(counts.rejected) record(s) rejected; see the rejects file")
            exit(3)
        }
        exit(0)
    } catch {
        PrimaryOutput.discard()
        printError("\(name): error: \(error)")
        exit(1)
    }
}
