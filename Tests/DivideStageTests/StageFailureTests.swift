import ArgumentParser
@testable import DivideCommands
import DivideCore
import DivideSources
import Foundation
import Testing

// Every subcommand, in-process: a missing, unreadable or damaged input (or a failing writer)
// ends the run within a second with one line `<stage>: error: <file>: <reason>` and exit
// status 1, leaving no target and no temporary file.

let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

func scratch(_ name: String) -> String {
    let path = NSTemporaryDirectory() + "divide-stage-\(getpid())/\(name)-\(UUID().uuidString.prefix(8))"
    try? FileManager.default.createDirectory(atPath: path + "/out", withIntermediateDirectories: true)
    return path
}

/// Runs `body` on its own thread and gives up after `seconds`: a hang fails the test instead of
/// hanging the suite.
func withTimeout<T>(_ seconds: Double = 5, _ body: @escaping @Sendable () throws -> T) throws -> (value: Result<T, Error>, seconds: Double)? {
    let done = BlockingQueue<Result<T, Error>>(capacity: 1)
    let start = Date()
    let thread = Thread { done.put(Result { try body() }); done.finish() }
    thread.start()
    let deadline = BlockingQueue<Bool>(capacity: 1)
    DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { deadline.put(true); done.finish(throwing: TimedOut()) }
    do {
        guard let result = try done.take() else { return nil }
        return (result, Date().timeIntervalSince(start))
    } catch is TimedOut {
        return nil
    }
}

struct TimedOut: Error {}

/// Parses `arguments` as the command line of `root` and runs it; the failure it ends with.
func failure<Root: ParsableCommand>(_ root: Root.Type, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> StageFailure? {
    let run: @Sendable () throws -> Bool = {
        var command = try root.parseAsRoot(arguments)
        try command.run()
        return true
    }
    guard let outcome = try withTimeout(5, run) else {
        Issue.record("\(arguments.joined(separator: " ")) did not end within 5 s", sourceLocation: sourceLocation)
        return nil
    }
    #expect(outcome.seconds < 1, Comment(rawValue: arguments.joined(separator: " ") + " took \(outcome.seconds) s"), sourceLocation: sourceLocation)
    switch outcome.value {
    case .success:
        Issue.record("\(arguments.joined(separator: " ")) succeeded", sourceLocation: sourceLocation)
        return nil
    case let .failure(error):
        guard let stageFailure = error as? StageFailure else {
            Issue.record("\(arguments.joined(separator: " ")) threw \(error), not a StageFailure", sourceLocation: sourceLocation)
            return nil
        }
        return stageFailure
    }
}

/// The damaged inputs each stage is tried with, by name: (file, reason the line must give).
func damagedInputs(in folder: String) throws -> [(path: String, reason: String)] {
    let notGzip = folder + "/not-gzip.ndjson.gz"
    _ = FileManager.default.createFile(atPath: notGzip, contents: Data("{\"id\": 1}\n".utf8))
    let truncated = folder + "/truncated.ndjson.gz"
    let whole = folder + "/whole.ndjson.gz"
    let writer = try NDJSONWriter(path: whole)
    for i in 0..<20_000 { try writer.write(.object([("id", .string("r\(i)")), ("title", .string("a title \(i) \(i * 7919)"))])) }
    try writer.commit()
    let bytes = FileManager.default.contents(atPath: whole)!
    _ = FileManager.default.createFile(atPath: truncated, contents: bytes.prefix(bytes.count / 2))
    let unreadable = folder + "/unreadable.ndjson.gz"
    _ = FileManager.default.createFile(atPath: unreadable, contents: bytes)
    chmod(unreadable, 0)
    var inputs = [(folder + "/missing.ndjson.gz", "no such file or directory"), (notGzip, "not gzip data"), (truncated, "corrupt or truncated gzip data|line 1: ")]
    // root reads any file: the permission case only where it can happen
    if access(unreadable, R_OK) != 0 { inputs.append((unreadable, "permission denied")) }
    return inputs
}

/// No target, no counts file and no temporary file in `folder/out` (rejects or audit files
/// committed before the failure may stay: they are not what Make takes for the stage).
func expectNothingLeft(_ folder: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let left = ((try? FileManager.default.contentsOfDirectory(atPath: folder + "/out")) ?? []).filter {
        $0.contains(".tmp-") || $0.hasSuffix(".counts.json") || $0.hasPrefix("models.") || $0.hasPrefix("papers.")
            || $0.hasPrefix("organizations.") || $0.hasPrefix("a.") || $0.hasPrefix("report.")
    }
    #expect(left.isEmpty, "left behind: \(left)", sourceLocation: sourceLocation)
}

func expectLine(_ failure: StageFailure?, stage: String, file: String, reason: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let failure else { return }
    #expect(failure.exitCode == 1, sourceLocation: sourceLocation)
    #expect(failure.line.hasPrefix("\(stage): error: \(file): "), "\(failure.line)", sourceLocation: sourceLocation)
    #expect(reason.split(separator: "|").contains { failure.line.contains($0) }, "\(failure.line)", sourceLocation: sourceLocation)
    #expect(!failure.line.contains("\n"), sourceLocation: sourceLocation)
}

struct StageInputFailureTests {
    /// Each stage reading a previous stage's gzip NDJSON, with that input damaged.
    @Test(arguments: [
        ("dedupe models", ["dedupe", "models"], ["--output", "OUT/models.ndjson.gz", "--merges", "OUT/merges.ndjson.gz"], "--input"),
        ("dedupe papers", ["dedupe", "papers"], ["--output", "OUT/papers.ndjson.gz", "--merges", "OUT/merges.ndjson.gz"], "--input"),
        ("classify models", ["classify", "models"], ["--output", "OUT/models.ndjson.gz"], "--input"),
        ("classify papers", ["classify", "papers"], ["--organizations", "EMPTY", "--models", "EMPTY",
                                                     "--reference", repository + "/reference", "--output", "OUT/papers.ndjson.gz"], "--input"),
        ("classify organizations", ["classify", "organizations"], ["--snapshot", "MISSING", "--aliases", repository + "/reference/organization-aliases.tsv",
                                                                   "--institutes", repository + "/reference/public-research-institutes.tsv",
                                                                   "--output", "OUT/organizations.ndjson.gz"], "--models"),
        ("aggregate models", ["aggregate", "models"], ["--output-dir", "OUT"], "--input"),
        ("aggregate papers", ["aggregate", "papers"], ["--output-dir", "OUT"], "--input"),
        ("parse epoch", ["parse", "epoch"], ["--output", "OUT/models.ndjson.gz", "--rejects", "OUT/rejects.ndjson.gz"], "--manifest"),
        ("parse arxiv", ["parse", "arxiv"], ["--output", "OUT/a.ndjson.gz", "--rejects", "OUT/r.ndjson.gz", "--file-report", "OUT/f.ndjson.gz"], "--manifest"),
        ("parse paperlists", ["parse", "paperlists"], ["--output", "OUT/a.ndjson.gz", "--rejects", "OUT/r.ndjson.gz", "--file-report", "OUT/f.ndjson.gz"], "--manifest"),
        ("parse acl", ["parse", "acl"], ["--output", "OUT/a.ndjson.gz", "--rejects", "OUT/r.ndjson.gz", "--file-report", "OUT/f.ndjson.gz"], "--manifest"),
        ("parse openalex", ["parse", "openalex"], ["--output", "OUT/a.ndjson.gz", "--rejects", "OUT/r.ndjson.gz"], "--manifest"),
    ])
    func damagedInputEndsTheStageWithOneLine(stage: String, command: [String], rest: [String], inputOption: String) throws {
        let folder = scratch(command.joined(separator: "-"))
        try NDJSONWriter(path: folder + "/empty.ndjson.gz").commit()
        for (input, reason) in try damagedInputs(in: folder) {
            let arguments = command.dropFirst() + [inputOption, input] + rest.map {
                $0.replacingOccurrences(of: "OUT", with: folder + "/out").replacingOccurrences(of: "MISSING", with: folder + "/missing")
                    .replacingOccurrences(of: "EMPTY", with: folder + "/empty.ndjson.gz")
            }
            let result: StageFailure?
            switch command[0] {
            case "dedupe": result = try failure(DedupeCommand.self, Array(arguments))
            case "classify": result = try failure(ClassifyCommand.self, Array(arguments))
            case "aggregate": result = try failure(AggregateCommand.self, Array(arguments))
            default: result = try failure(ParseCommand.self, Array(arguments))
            }
            expectLine(result, stage: stage, file: input, reason: reason)
            expectNothingLeft(folder)
        }
    }

    @Test func missingPayloadFailsParseAtOnce() throws {
        let folder = scratch("payload")
        try FileManager.default.createDirectory(atPath: folder + "/fetch/epoch", withIntermediateDirectories: true)
        let manifest = folder + "/fetch/epoch.manifest.ndjson.gz"
        let writer = try NDJSONWriter(path: manifest)
        try writer.write(FetchManifestEntry(source: "epoch", path: "epoch/gone.csv", url: "file:///gone.csv", bytes: 1, sha256: "0", fetchedAt: "2026-01-01T00:00:00Z"))
        try writer.commit()
        let result = try failure(ParseCommand.self, ["epoch", "--manifest", manifest, "--output", folder + "/out/models.ndjson.gz", "--rejects", folder + "/out/r.ndjson.gz"])
        expectLine(result, stage: "parse epoch", file: folder + "/fetch/epoch/gone.csv", reason: "no such file or directory")
        expectNothingLeft(folder)
    }

    /// A damaged curated table ends `classify papers` before the registry is built, which takes
    /// seconds with the real organizations file (`make all` writes it; the test then runs).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: repository + "/stages/classify/organizations.ndjson.gz"),
                   "needs stages/classify/organizations.ndjson.gz (make all)"))
    func damagedReferenceTableFailsClassifyPapersAtOnce() throws {
        let folder = scratch("bad-reference")
        let reference = folder + "/reference"
        try FileManager.default.copyItem(atPath: repository + "/reference", toPath: reference)
        let rules = reference + "/topic-rules.tsv"
        try (String(contentsOfFile: rules, encoding: .utf8) + "phrase\tnlp\tparsing\t1\t-\t-\tcasefold\n").write(toFile: rules, atomically: true, encoding: .utf8)
        try NDJSONWriter(path: folder + "/empty.ndjson.gz").commit()
        let result = try failure(ClassifyCommand.self, ["papers", "--input", folder + "/empty.ndjson.gz",
                                                        "--organizations", repository + "/stages/classify/organizations.ndjson.gz",
                                                        "--models", folder + "/empty.ndjson.gz", "--reference", reference,
                                                        "--output", folder + "/out/papers.ndjson.gz"])
        expectLine(result, stage: "classify papers", file: rules, reason: "unknown flag 'casefold'")
        #expect(!FileManager.default.fileExists(atPath: folder + "/out/papers.ndjson.gz"))
    }

    /// The strong-cue sample trains the foundation-models model: a row that is held-out data, or
    /// a paper also in the random sample (whose held-out part measures that model), stops the run.
    @Test(arguments: [("held-out", "development data only"), ("development", "also in the random sample")])
    func strongCueSampleMustNotTouchTheRandomSample(split: String, reason: String) throws {
        let folder = scratch("strong-cue")
        try NDJSONWriter(path: folder + "/empty.ndjson.gz").commit()
        let random = folder + "/random.jsonl", strongCue = folder + "/strong-cue.jsonl"
        try #"{"id":"arxiv:1","split":"held-out","topic":"nlp","foundation_model":false}"#.write(toFile: random, atomically: true, encoding: .utf8)
        let id = split == "held-out" ? "arxiv:2" : "arxiv:1"
        try #"{"id":"\#(id)","split":"\#(split)","topic":"nlp","foundation_model":false}"#.write(toFile: strongCue, atomically: true, encoding: .utf8)
        let empty = folder + "/empty.ndjson.gz"
        let result = try failure(ClassifyCommand.self, ["papers", "--input", empty, "--organizations", empty, "--models", empty,
                                                        "--reference", repository + "/reference", "--labeled-random", random,
                                                        "--labeled-strong-cue", strongCue, "--output", folder + "/out/papers.ndjson.gz"])
        expectLine(result, stage: "classify papers", file: strongCue, reason: reason)
        expectNothingLeft(folder)
    }

    /// The two labeled samples that only measure: a missing one, or a second reader's row that is
    /// not a development paper of the random sample, ends the stage before any work.
    @Test(arguments: ["missing second reader", "held-out second reader", "missing missed-fm design"])
    func measuringSamplesAreCheckedFirst(_ fault: String) throws {
        let folder = scratch("measuring")
        let empty = folder + "/empty.ndjson.gz"
        try NDJSONWriter(path: empty).commit()
        let random = folder + "/random.jsonl", second = folder + "/second.jsonl"
        try #"{"id":"arxiv:1","split":"held-out","topic":"nlp","foundation_model":false}"#.write(toFile: random, atomically: true, encoding: .utf8)
        if fault == "held-out second reader" {
            try #"{"id":"arxiv:1","topic":"nlp","foundation_model":false}"#.write(toFile: second, atomically: true, encoding: .utf8)
        }
        var arguments = ["papers", "--input", empty, "--organizations", empty, "--models", empty, "--reference", repository + "/reference",
                         "--labeled-random", random, "--output", folder + "/out/papers.ndjson.gz"]
        arguments += fault == "missing missed-fm design" ? ["--labeled-missed-fm", folder + "/missed-fm"] : ["--second-reader", second]
        let result = try failure(ClassifyCommand.self, arguments)
        switch fault {
        case "missing second reader": expectLine(result, stage: "classify papers", file: second, reason: "no such file or directory")
        case "held-out second reader":
            expectLine(result, stage: "classify papers", file: second, reason: "line 1: paper arxiv:1 is not in the random sample's development split")
        default: expectLine(result, stage: "classify papers", file: folder + "/missed-fm/design.json", reason: "no such file or directory")
        }
        expectNothingLeft(folder)
    }

    @Test func fetchWithoutSnapshotFails() throws {
        let folder = scratch("fetch")
        let result = try failure(FetchCommand.self, ["--snapshot", folder + "/missing", "--source", "epoch", "--output", folder + "/out"])
        expectLine(result, stage: "fetch", file: folder + "/missing", reason: "snapshot folder not found")
        expectNothingLeft(folder)
    }

    @Test func renderWithoutAggregateFolderFailsInPlainWords() throws {
        let folder = scratch("render")
        let result = try failure(RenderCommand.self, ["--aggregate", folder + "/missing", "--models", folder + "/missing.ndjson.gz",
                                                      "--fetch", folder, "--stages", folder, "--output", folder + "/out"])
        expectLine(result, stage: "render", file: folder + "/missing", reason: "no such file or directory")
        #expect(result?.line.contains("NSCocoaErrorDomain") == false)
        expectNothingLeft(folder)
    }

    @Test func renderCheckWithoutStagesFolderFails() throws {
        let folder = scratch("check")
        let result = try failure(RenderCommand.self, ["check", folder + "/missing"])
        #expect(result?.line.hasPrefix("render check: error: ") == true, "\(String(describing: result?.line))")
    }

    /// `--help` on every command and subcommand is answered with the help text and exit 0.
    @Test func helpIsAnsweredEverywhere() {
        let commands: [(ParsableCommand.Type, [String])] = [
            (FetchCommand.self, []), (ParseCommand.self, ["epoch"]), (DedupeCommand.self, ["papers"]),
            (ClassifyCommand.self, ["papers"]), (AggregateCommand.self, ["models"]), (RenderCommand.self, ["explain"]),
        ]
        for (command, sub) in commands {
            #expect(StageMain.run(command, arguments: ["--help"]) == 0, "\(command) --help")
            #expect(StageMain.run(command, arguments: sub + ["--help"]) == 0, "\(command) \(sub) --help")
        }
        #expect(StageMain.run(RenderCommand.self, arguments: ["help", "explain"]) == 0)
    }

    @Test func unknownOptionIsAUsageError() {
        #expect(StageMain.run(ParseCommand.self, arguments: ["epoch", "--manfest", "x", "--output", "y", "--rejects", "z"]) == 64)
        #expect(StageMain.unknownOption(ParseCommand.self, ["epoch", "--manfest", "x", "--output", "y"])?.0 == "--manfest")
        #expect(StageMain.unknownOption(ParseCommand.self, ["epoch", "--manifest", "x", "--output", "y"])?.0 == nil)
    }
}

/// A sink that fails as a full disk does.
final class FullDisk: ByteSink {
    init(path: String) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
    func write(_ bytes: UnsafeRawBufferPointer) throws { throw DivideError(errno: ENOSPC, file: "disk") }
    func close() throws {}
}

struct StageWriterFailureTests {
    @Test func fullDiskEndsTheRunAndLeavesNothing() throws {
        let folder = scratch("full")
        try FileManager.default.createDirectory(atPath: folder + "/fetch/epoch", withIntermediateDirectories: true)
        let table = repository + "/Tests/Fixtures/bad-input/csv/good.csv"
        try FileManager.default.copyItem(atPath: table, toPath: folder + "/fetch/epoch/good.csv")
        let manifest = folder + "/fetch/epoch.manifest.ndjson.gz"
        let writer = try NDJSONWriter(path: manifest)
        try writer.write(FetchManifestEntry(source: "epoch", path: "epoch/good.csv", url: "file:///good.csv", bytes: 1, sha256: "0", fetchedAt: "2026-01-01T00:00:00Z"))
        try writer.commit()
        let paths = ParseOutputs(manifest: manifest, output: folder + "/out/models.ndjson.gz", rejects: folder + "/out/r.ndjson.gz")
        // The same run with a working disk succeeds, so the failure below is the disk's.
        let good = try ParseStage.run(EpochSource(), ParseOutputs(manifest: manifest, output: folder + "/good/models.ndjson.gz", rejects: folder + "/good/r.ndjson.gz"))
        #expect(good.output > 0)
        let run: @Sendable () throws -> StageCounts = { try ParseStage.run(EpochSource(), paths, options: StageOptions(sink: { FullDisk(path: $0) })) }
        guard let outcome = try withTimeout(5, run) else {
            Issue.record("hung")
            return
        }
        #expect(outcome.seconds < 1)
        guard case let .failure(error) = outcome.value, let failure = error as? StageFailure else {
            Issue.record("did not fail with a StageFailure")
            return
        }
        #expect(failure.line == "parse epoch: error: disk: no space left on device")
        #expect(failure.exitCode == 1)
        expectNothingLeft(folder)
    }

    @Test func strictRejectsExitThree() throws {
        let folder = scratch("strict")
        try FileManager.default.createDirectory(atPath: folder + "/fetch/epoch", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: repository + "/Tests/Fixtures/bad-input/csv/missing-columns.csv", toPath: folder + "/fetch/epoch/t.csv")
        let manifest = folder + "/fetch/epoch.manifest.ndjson.gz"
        let writer = try NDJSONWriter(path: manifest)
        try writer.write(FetchManifestEntry(source: "epoch", path: "epoch/t.csv", url: "file:///t.csv", bytes: 1, sha256: "0", fetchedAt: "2026-01-01T00:00:00Z"))
        try writer.commit()
        let code = StageMain.run(ParseCommand.self, arguments: ["epoch", "--strict", "--manifest", manifest, "--output", folder + "/out/m.ndjson.gz", "--rejects", folder + "/out/r.ndjson.gz"])
        #expect(code == 3)
    }
}
