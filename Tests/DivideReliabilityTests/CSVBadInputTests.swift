import DivideCore
import Foundation
import Testing

/// The CSV and gzip cases of the bad-input corpus, each run through `parse epoch` (the stage
/// that reads upstream tables): the bad record or file is quarantined with its reason and named
/// on stderr in one line, the rest is parsed, the counts reconcile, nothing crashes.
struct ParseRun {
    let result: StageResult
    let folder: String
    var output: String { folder + "/parse/models.ndjson.gz" }
    var rejectsPath: String { folder + "/parse/models.rejects.ndjson.gz" }
    var names: [String] { ((try? readLines(output)) ?? []).compactMap { $0["name"]?.stringValue } }
    var rejects: [JSONValue] { (try? readLines(rejectsPath)) ?? [] }
    var counts: StageCounts? { try? StageCounts.read(besides: output) }
}

func parseFixtures(_ files: [String], environment: [String: String] = [:]) throws -> ParseRun {
    let folder = scratchFolder("parse")
    let manifest = try fetchLayout(folder + "/fetch", files: files.map { ((($0 as NSString).lastPathComponent), fixtureBytes($0)) })
    let result = try runTool("parse", ["epoch", "--manifest", manifest, "--output", folder + "/parse/models.ndjson.gz",
                                       "--rejects", folder + "/parse/models.rejects.ndjson.gz"], environment: environment)
    return ParseRun(result: result, folder: folder)
}

/// Every successful run: counts reconcile, the rejects file holds exactly the rejected count,
/// every reject names its file, and each reject was reported on stderr in one line.
func expectConsistent(_ run: ParseRun, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(run.result.status == 0, "stderr: \(run.result.stderr)", sourceLocation: sourceLocation)
    guard let counts = run.counts else { Issue.record("no counts file", sourceLocation: sourceLocation); return }
    #expect(counts.reconciles, sourceLocation: sourceLocation)
    #expect(counts.output == run.names.count, sourceLocation: sourceLocation)
    #expect(counts.rejected == run.rejects.count, sourceLocation: sourceLocation)
    // The first three rejects are also named on stderr, one line each; the rest only in the file.
    for (index, reject) in run.rejects.enumerated() {
        let file = reject["file"]?.stringValue ?? ""
        #expect(!file.isEmpty, sourceLocation: sourceLocation)
        let located = [file, reject["location"]?.stringValue].compactMap { $0 }.joined(separator: ": ")
        #expect(run.result.stderrLines.contains { $0.hasPrefix("rejected: " + located + ": ") } == (index < 3), "stderr line for \(located)", sourceLocation: sourceLocation)
    }
    // A non-terminal stderr gets a few lines: the summary, at most three rejects and a pointer to
    // the rest, no progress.
    #expect(run.result.stderrLines.count <= 5, "\(run.result.stderr)", sourceLocation: sourceLocation)
    #expect(!run.result.stderr.contains("\r"), sourceLocation: sourceLocation)
    #expect(run.result.seconds < 10, sourceLocation: sourceLocation)
}

@Test func unbalancedQuoteCostsOneRowNotTheRestOfTheFile() throws {
    let run = try parseFixtures(["csv/unbalanced-quote.csv"])
    expectConsistent(run)
    #expect(run.names == ["Before", "After One", "After Two"])
    #expect(run.rejects.count == 1)
    #expect(run.rejects.first?["location"]?.stringValue == "line 3")
    #expect(run.rejects.first?["reason"]?.stringValue?.hasPrefix("row has") == true)
}

@Test func unterminatedQuoteAtTheEndIsOneReject() throws {
    let rows = try CSVReader.rows(of: Array("a,b\n1,2\n\"open,3\n4,5\n6,7\n".utf8))
    #expect(rows.map(\.fields) == [["a", "b"], ["1", "2"], ["open,3"], ["4", "5"], ["6", "7"]])
    #expect(rows.map(\.unterminatedQuote) == [false, false, true, false, false])
    #expect(rows.map(\.line) == [1, 2, 3, 4, 5])
}

@Test func missingAndExtraColumnsAreRecordRejects() throws {
    let missing = try parseFixtures(["csv/missing-columns.csv"])
    expectConsistent(missing)
    #expect(missing.names == ["Complete", "Also Complete"])
    #expect(missing.rejects.map { $0["reason"]?.stringValue } == ["row has 3 fields, header has 7"])
    let extra = try parseFixtures(["csv/extra-columns.csv"])
    expectConsistent(extra)
    #expect(extra.names == ["Complete", "Also Complete"])
    #expect(extra.rejects.map { $0["reason"]?.stringValue } == ["row has 9 fields, header has 7"])
    #expect(extra.counts?.rejectReasons == ["row has N fields, header has N": 1])
}

@Test func invalidUTF8RowIsRejected() throws {
    let run = try parseFixtures(["csv/invalid-utf8.csv"])
    expectConsistent(run)
    #expect(run.names == ["Valid Name", "Another Valid"])
    #expect(run.rejects.map { $0["reason"]?.stringValue } == ["invalid UTF-8"])
}

@Test func yearZeroAndYear3000AreRejected() throws {
    let run = try parseFixtures(["csv/year-0-and-3000.csv"])
    expectConsistent(run)
    #expect(run.names == ["Plausible"])
    #expect(run.rejects.map { $0["location"]?.stringValue } == ["line 2", "line 3"])
    #expect(run.rejects.allSatisfy { $0["reason"]?.stringValue?.hasPrefix("publication year out of range 1900–2100") == true })
}

@Test(arguments: [
    ("csv/empty.csv", "empty file: no header row"),
    ("csv/header-only.csv", "header only: no data rows"),
    ("csv/no-model-column.csv", "line 1: header has neither a 'Model' nor a 'System' column"),
    ("gzip/truncated-member.csv.gz", "corrupt or truncated gzip data"),
])
func damagedFileIsQuarantinedWholeAndTheOthersParsed(file: String, reason: String) throws {
    let run = try parseFixtures(["csv/good.csv", file])
    expectConsistent(run)
    // Only the good table's rows: none from the damaged file, even those read before the damage.
    #expect(run.names == ["Good One", "Good Two"])
    #expect(run.rejects.count == 1)
    let reject = run.rejects.first
    #expect(reject?["kind"]?.stringValue == "file")
    #expect(reject?["file"]?.stringValue == (file as NSString).lastPathComponent)
    #expect(reject?["reason"]?.stringValue?.hasPrefix(reason) == true, "\(String(describing: reject))")
    #expect(run.counts?.inputFiles == 2)
    #expect(run.counts?.rejectReasons.keys.allSatisfy { $0.hasPrefix("whole file rejected: ") } == true)
}

@Test func concatenatedGzipMembersReadAsOneStream() throws {
    let run = try parseFixtures(["gzip/two-members.csv.gz"])
    expectConsistent(run)
    #expect(run.names.count == 3000)
    #expect(run.rejects.isEmpty)
}

@Test func noReadableFileMeansExitOneWithOneLine() throws {
    let run = try parseFixtures(["csv/empty.csv", "gzip/truncated-member.csv.gz"])
    #expect(run.result.status == 1)
    let errors = run.result.stderrLines.filter { $0.contains("error:") }
    #expect(errors.count == 1)
    #expect(errors.first?.contains("none of the 2 input file(s) could be read") == true)
    #expect(!FileManager.default.fileExists(atPath: run.output))
    #expect(run.counts == nil)
}

@Test func strictModeFailsOnAnyReject() throws {
    let strict = try parseFixtures(["csv/missing-columns.csv"], environment: ["STRICT": "1"])
    #expect(strict.result.status == 3)
    #expect(strict.result.stderr.contains("parse epoch: STRICT: 1 record(s) rejected"))
    let clean = try parseFixtures(["csv/good.csv"], environment: ["STRICT": "1"])
    #expect(clean.result.status == 0)
}

/// A field holding terminal escape sequences: rejected, and the one-line message shows `?`
/// where the control characters were.
@Test func terminalEscapesNeverReachStderrRaw() throws {
    let run = try parseFixtures(["csv/terminal-escapes.csv"])
    expectConsistent(run)
    #expect(run.names == ["Clean"])
    #expect(!run.result.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    #expect(run.result.stderr.contains("rejected: terminal-escapes.csv: line 3: unparseable publication date '?[2J?]0;pwned?'"))
}

/// Issue 18, case 7: lines that each leave a quote open (`x","`) are read at most twice each,
/// not rescanned up to `maxQuotedLines` times: 1 MB of them is one row per line, and costs several
/// times what 1 MB of plain rows does, well under the 50 times it cost.
@Test func openQuoteOnEveryLineIsLinear() throws {
    let lines = (1 << 20) / 6
    func seconds(_ line: String) throws -> (Double, [CSVReader.Row]) {
        let text = "name,value\n" + String(repeating: line + "\n", count: lines)
        let started = Date()
        let rows = try CSVReader.rows(of: Array(text.utf8))
        return (Date().timeIntervalSince(started), rows)
    }
    let (plain, plainRows) = try seconds("xy,z")
    let (hostile, rows) = try seconds("x\",\"")
    #expect(plainRows.count == 1 + lines)
    // Debug build on a loaded 2-core machine: 7–12 times (3 December 2026); rescanning cost about 50.
    #expect(hostile < 20 * plain + 0.5, "open quotes \(hostile) s, plain rows \(plain) s")
    #expect(rows.count == 1 + lines)
    #expect(rows.dropFirst().allSatisfy { $0.unterminatedQuote })
    #expect(rows.map(\.line) == Array(1...(1 + lines)))
}
