import DivideCore
import Foundation
import Testing

/// Issue 18, cases 3, 4 and 6: the input budget (MAX_FILE_BYTES, MAX_RECORD_BYTES, MAX_AUTHORS).
/// Each input is built on the fly; the stage runs under GNU time so its peak RSS is checked.

func parsePaperLists(_ folder: String, _ files: [(name: String, bytes: [UInt8])], environment: [String: String] = [:]) throws
    -> (result: StageResult, peakKB: Int, records: [JSONValue], rejects: [JSONValue], counts: StageCounts) {
    let manifest = try fetchLayout(folder + "/fetch", source: "paperlists", files: files)
    let out = folder + "/parse"
    let run = try measuredRun("parse", ["paperlists", "--manifest", manifest, "--output", out + "/paperlists.ndjson.gz",
                                        "--rejects", out + "/paperlists.rejects.ndjson.gz", "--file-report", out + "/paperlists.files.ndjson.gz"],
                              environment: environment)
    guard run.result.status == 0 else { return (run.result, run.peakKB, [], [], StageCounts(stage: "parse paperlists")) }
    return (run.result, run.peakKB, try readLines(out + "/paperlists.ndjson.gz"), try readLines(out + "/paperlists.rejects.ndjson.gz"),
            try StageCounts.read(besides: out + "/paperlists.ndjson.gz"))
}

let goodPaperList = Array(#"[{"id":"g1","title":"A Good Paper","status":"Poster","author":"Ann Ray; Ben Cho","aff":"MIT; Google"}]"#.utf8)

/// Case 6: one 17 MB string costs its entry, not the venue-year file; a paper with more
/// authors than MAX_AUTHORS is rejected alone.
@Test func oversizeEntryAndTooManyAuthorsCostOneRecordEach() throws {
    let folder = scratchFolder("oversize-entry")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    var bytes = Array(#"[{"id":"a1","title":"Kept Before","status":"Poster","author":"Ann Ray"},{"id":"a2","title":"Huge","abstract":""#.utf8)
    bytes.append(contentsOf: [UInt8](repeating: UInt8(ascii: "y"), count: 17 << 20))
    bytes.append(contentsOf: Array(#"","author":"Ben Cho"},{"id":"a3","title":"Crowded","status":"Poster","author":""#.utf8))
    bytes.append(contentsOf: Array((0..<10_001).map { "Author \($0)" }.joined(separator: "; ").utf8))
    bytes.append(contentsOf: Array(#""},{"id":"a4","title":"Kept After","status":"Poster","author":"Cem Oz"}]"#.utf8))
    let run = try parsePaperLists(folder, [("aaai2022.json", bytes)])
    #expect(run.result.status == 0, "\(run.result.stderr)")
    #expect(run.records.compactMap { $0["title"]?.stringValue } == ["Kept Before", "Kept After"])
    #expect(run.rejects.compactMap { $0["location"]?.stringValue } == ["[1]", "[2]"], "\(run.rejects)")
    #expect(run.rejects.compactMap { $0["reason"]?.stringValue } == [
        "record larger than 16777216 bytes (MAX_RECORD_BYTES)", "more than 10000 authors (MAX_AUTHORS)",
    ])
    #expect(run.counts.input == 4 && run.counts.output == 2 && run.counts.rejected == 2 && run.counts.reconciles)
    #expect(run.peakKB < 400 * 1024, "peak RSS \(run.peakKB) KB")
}

/// Cases 3 and 6 for XML: an arXiv record with a 17 MB abstract, or with 1,000,000 authors, is
/// rejected alone and the page's other records are kept, in bounded memory.
@Test func arxivRecordOverTheBudgetIsRejectedAlone() throws {
    let folder = scratchFolder("arxiv-budget")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    func record(_ id: String, abstract: String = "Short.", authors: Int = 1) -> String {
        let list = String(repeating: "<author><keyname>Ray</keyname><forenames>Ann</forenames></author>", count: authors)
        return """
        <record><header><identifier>oai:arXiv.org:\(id)</identifier></header><metadata>
        <arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>\(id)</id><created>2020-01-02</created>
        <authors>\(list)</authors><title>Paper \(id)</title><categories>cs.LG</categories><abstract>\(abstract)</abstract></arXiv>
        </metadata></record>
        """
    }
    let page = """
    <?xml version="1.0" encoding="UTF-8"?>
    <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>
    \(record("2001.00001"))\(record("2001.00002", abstract: String(repeating: "z", count: 17 << 20)))\(record("2001.00003", authors: 1_000_000))\(record("2001.00004"))
    <resumptionToken cursor="0" completeListSize="4"></resumptionToken></ListRecords></OAI-PMH>
    """
    let manifest = try fetchLayout(folder + "/fetch", source: "arxiv", files: [("page-001.xml", Array(page.utf8))])
    let out = folder + "/parse"
    let run = try measuredRun("parse", ["arxiv", "--manifest", manifest, "--output", out + "/arxiv.ndjson.gz",
                                        "--rejects", out + "/arxiv.rejects.ndjson.gz", "--file-report", out + "/arxiv.files.ndjson.gz"])
    #expect(run.result.status == 0, "\(run.result.stderr)")
    #expect(try readLines(out + "/arxiv.ndjson.gz").compactMap { $0["title"]?.stringValue } == ["Paper 2001.00001", "Paper 2001.00004"])
    let rejects = try readLines(out + "/arxiv.rejects.ndjson.gz")
    #expect(rejects.compactMap { $0["reason"]?.stringValue } == [
        "record larger than 16777216 bytes (MAX_RECORD_BYTES)", "more than 10000 authors (MAX_AUTHORS)",
    ], "\(rejects)")
    #expect(try StageCounts.read(besides: out + "/arxiv.ndjson.gz").reconciles)
    #expect(run.peakKB < 300 * 1024, "peak RSS \(run.peakKB) KB")
}

/// Case 6 for OpenAlex: a page whose one work is over MAX_RECORD_BYTES (a 17 MB abstract) rejects
/// that work; the page's other works are kept.
@Test func openAlexWorkOverTheBudgetIsRejectedAlone() throws {
    let folder = scratchFolder("openalex-budget")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    func work(_ n: Int, abstract: String = "Short.") -> String {
        #"{"id": "https://openalex.org/W\#(n)", "title": "Work \#(n)", "publication_year": 2023, "abstract": "\#(abstract)", "authorships": [{"author": {"display_name": "Ann Ray"}, "institutions": [], "raw_affiliation_strings": ["MIT"]}]}"#
    }
    let page = #"{"meta": {"count": 3}, "results": ["# + work(1) + "," + work(2, abstract: String(repeating: "z", count: 17 << 20)) + "," + work(3) + "]}"
    let manifest = try fetchLayout(folder + "/fetch", source: "openalex", files: [("works-page-1.json", Array(page.utf8))])
    let out = folder + "/parse"
    let run = try measuredRun("parse", ["openalex", "--manifest", manifest, "--output", out + "/openalex.ndjson.gz",
                                        "--rejects", out + "/openalex.rejects.ndjson.gz"])
    #expect(run.result.status == 0, "\(run.result.stderr)")
    #expect(try readLines(out + "/openalex.ndjson.gz").compactMap { $0["title"]?.stringValue } == ["Work 1", "Work 3"])
    let rejects = try readLines(out + "/openalex.rejects.ndjson.gz")
    #expect(rejects.compactMap { $0["location"]?.stringValue } == ["results[1]"], "\(rejects)")
    #expect(rejects.compactMap { $0["reason"]?.stringValue } == ["record larger than 16777216 bytes (MAX_RECORD_BYTES)"])
    let counts = try StageCounts.read(besides: out + "/openalex.ndjson.gz")
    #expect(counts.output == 2 && counts.rejected == 1 && counts.reconciles)
    #expect(run.peakKB < 400 * 1024, "peak RSS \(run.peakKB) KB")
}

/// Case 1 as a stage run: a -1 in aff_unique_index costs its record; the stage exits 0, the counts
/// reconcile, and no temporary file is left beside the outputs.
@Test func negativeAffiliationIndexCostsOneRecordInTheStage() throws {
    let folder = scratchFolder("negative-index")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let list = Array(#"[{"id":"a1","title":"Kept","status":"Poster","author":"Ann Ray; Ben Cho","aff":"Google; MIT","aff_unique_index":"0;1","aff_unique_norm":"Google;MIT"},{"id":"a2","title":"Broken","status":"Poster","author":"Cem Oz; Dan Li; Eva Ng; Fay Wu","aff":"Google; MIT","aff_unique_index":"0;0;0;-1","aff_unique_norm":"Google;MIT","aff_country_unique_index":"0;0;0;-1","aff_country_unique":"United States"}]"#.utf8)
    let run = try parsePaperLists(folder, [("aaai2022.json", list)])
    #expect(run.result.status == 0, "\(run.result.stderr)")
    #expect(run.records.compactMap { $0["title"]?.stringValue } == ["Kept"])
    #expect(run.rejects.compactMap { $0["reason"]?.stringValue } == ["aff_unique_index has a negative index (-1)"])
    #expect(run.counts.input == 2 && run.counts.output == 1 && run.counts.rejected == 1 && run.counts.reconciles)
    let left = try FileManager.default.contentsOfDirectory(atPath: folder + "/parse").filter { $0.contains(".tmp-") }
    #expect(left.isEmpty, "\(left)")
    #expect(run.peakKB < 200 * 1024, "peak RSS \(run.peakKB) KB")
}

/// Case 8 as a stage run: a BOM pasted mid-table is removed from the model name (same id as
/// the clean row, so the two count as one model), a NUL byte in a name rejects its row.
@Test func midFileBOMAndNULNameInTheEpochStage() throws {
    let folder = scratchFolder("bom-nul")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let table = Array("System,Publication date\nGPT-4,2023-03-15\n\u{FEFF}PaLM,2022-04-04\nBad\u{0}Name,2022-01-01\n".utf8)
    let manifest = try fetchLayout(folder + "/fetch", files: [("all_ml_systems.2023-12-14.csv", table)])
    let out = folder + "/parse"
    let run = try measuredRun("parse", ["epoch", "--manifest", manifest, "--output", out + "/models.ndjson.gz", "--rejects", out + "/models.rejects.ndjson.gz"])
    #expect(run.result.status == 0, "\(run.result.stderr)")
    let models = try readLines(out + "/models.ndjson.gz")
    #expect(models.compactMap { $0["name"]?.stringValue } == ["GPT-4", "PaLM"])
    #expect(models.compactMap { $0["id"]?.stringValue }.last == ModelRecord.identifier(forName: "PaLM"))
    let rejects = try readLines(out + "/models.rejects.ndjson.gz")
    #expect(rejects.compactMap { $0["reason"]?.stringValue } == ["model name contains a NUL byte"], "\(rejects)")
    #expect(try StageCounts.read(besides: out + "/models.ndjson.gz").reconciles)
    #expect(run.peakKB < 200 * 1024, "peak RSS \(run.peakKB) KB")
}

/// Case 4: a FIFO or /dev/zero given as a stage input fails at once with one line.
@Test func fifoOrDeviceAsStageInputFailsAtOnce() throws {
    let folder = scratchFolder("fifo")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let fifo = folder + "/models.ndjson.gz"
    #expect(mkfifo(fifo, 0o600) == 0)
    for input in [fifo, "/dev/zero"] {
        let result = try runTool("dedupe", ["models", "--input", input, "--output", folder + "/o.ndjson.gz", "--merges", folder + "/m.ndjson.gz"])
        #expect(result.status == 1)
        #expect(result.seconds < 10)
        #expect(result.stderrLines == ["dedupe models: error: \(input): not a regular file"], "\(result.stderr)")
    }
}

/// The caps are options of every stage (and read from the environment Make exports); a cap
/// that is not a positive integer is an error, not a silent default.
@Test func budgetOptionsAreListedAndChecked() throws {
    let help = try runToolOutput("parse", ["paperlists", "--help"])
    for option in ["--max-file-bytes", "--max-record-bytes", "--max-authors", "MAX_FILE_BYTES", "MAX_RECORD_BYTES", "MAX_AUTHORS"] {
        #expect(help.stdout.contains(option), "\(option) missing from --help")
    }
    let folder = scratchFolder("bad-cap")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let manifest = try fetchLayout(folder + "/fetch", source: "paperlists", files: [("cvpr2023.json", goodPaperList)])
    let arguments = ["paperlists", "--manifest", manifest, "--output", folder + "/p.ndjson.gz", "--rejects", folder + "/r.ndjson.gz", "--file-report", folder + "/f.ndjson.gz"]
    let bad = try runTool("parse", arguments, environment: ["MAX_AUTHORS": "lots"])
    #expect(bad.status == 1 && bad.stderrLines == ["parse: error: MAX_AUTHORS: must be a positive integer, not 'lots'"], "\(bad.stderr)")
    // One author allowed: the two-author paper is rejected, the file kept.
    let tight = try runTool("parse", arguments + ["--max-authors", "1"])
    #expect(tight.status == 0, "\(tight.stderr)")
    #expect(try readLines(folder + "/r.ndjson.gz").compactMap { $0["reason"]?.stringValue } == ["more than 1 authors (MAX_AUTHORS)"])
}

/// Case 10: a temporary file left by a killed writer is removed by the next write into its
/// folder, even when its pid now belongs to a live process (pid reuse) and whatever output it
/// was for; the temporary file of a live writer is kept.
@Test func staleTemporaryFilesGoWhateverTheirPid() throws {
    let folder = scratchFolder("stale")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let reusedPid = folder + "/.papers.rejects.ndjson.gz.tmp-1"  // pid 1 is always alive
    _ = FileManager.default.createFile(atPath: reusedPid, contents: Data("left by a killed run".utf8))
    var old = timespec(tv_sec: time(nil) - 3600, tv_nsec: 0)
    _ = withUnsafePointer(to: &old) { p in [p.pointee, p.pointee].withUnsafeBufferPointer { utimensat(AT_FDCWD, reusedPid, $0.baseAddress, 0) } }
    let live = try AtomicFile(path: folder + "/other.json")
    try AtomicFile.write("{}", to: folder + "/counts.json")
    let left = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".tmp-") }
    #expect(left == [(live.temporaryPath as NSString).lastPathComponent], "\(left)")
    try live.commit()
}

/// Case 4: snapshot entries that are not readable files (a FIFO, a dangling symbolic link, a
/// link loop, a folder without read permission) are rejected inputs of fetch, counted and
/// listed; the regular files are fetched and the stage exits 0, at once (a FIFO is never opened).
@Test func nonRegularSnapshotEntriesAreRejectedInputsOfFetch() throws {
    let folder = scratchFolder("snapshot-entries")
    defer {
        chmod(folder + "/snapshot/epoch/locked", 0o755)
        try? FileManager.default.removeItem(atPath: folder)
    }
    let epoch = folder + "/snapshot/epoch"
    try FileManager.default.createDirectory(atPath: epoch + "/locked", withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: epoch + "/models.csv", contents: Data("Model,Publication date\nA,2020-01-01\n".utf8))
    _ = FileManager.default.createFile(atPath: epoch + "/locked/hidden.csv", contents: Data("Model\nB\n".utf8))
    #expect(mkfifo(epoch + "/notable.csv", 0o644) == 0)
    #expect(symlink(epoch + "/gone.csv", epoch + "/dangling.csv") == 0)
    #expect(symlink(epoch + "/loop-b.csv", epoch + "/loop-a.csv") == 0 && symlink(epoch + "/loop-a.csv", epoch + "/loop-b.csv") == 0)
    chmod(epoch + "/locked", 0o000)
    let out = folder + "/fetch"
    let result = try runTool("fetch", ["--snapshot", folder + "/snapshot", "--source", "epoch", "--output", out])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.seconds < 10)
    let rejects = try readLines(out + "/epoch.rejects.ndjson.gz")
    let listed = rejects.map { "\($0["file"]?.stringValue ?? ""): \($0["reason"]?.stringValue ?? "")" }
    let unreadable = getuid() == 0 ? [] : ["epoch/locked: folder cannot be read: permission denied"]  // root reads any folder
    #expect(listed == ["epoch/dangling.csv: dangling symbolic link"] + unreadable + [
        "epoch/loop-a.csv: too many levels of symbolic links", "epoch/loop-b.csv: too many levels of symbolic links",
        "epoch/notable.csv: not a regular file (FIFO)",
    ], "\(listed)")
    let manifest = try readLines(out + "/epoch.manifest.ndjson.gz").compactMap { $0["path"]?.stringValue }
    #expect(manifest.contains("epoch/models.csv") && !manifest.contains("epoch/notable.csv"))
    let counts = try StageCounts.read(besides: out + "/epoch.manifest.ndjson.gz")
    #expect(counts.rejected == rejects.count && counts.output == manifest.count && counts.reconciles)
}

/// Case 7 as a stage run: a megabyte of rows shaped `x","` (a quote opened and never closed)
/// costs parse epoch about what a megabyte of plain rows costs (it took 15.8 s when each row was
/// rescanned), one reject a row, in bounded memory; the good row before them is kept.
@Test func openQuoteRowsCostParseEpochLinearTime() throws {
    let folder = scratchFolder("open-quotes")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let rows = (1 << 20) / 6
    func parse(_ name: String, _ row: String) throws -> (result: StageResult, peakKB: Int, out: String) {
        let table = Array(("System,Publication date\nGPT-4,2023-03-15\n" + String(repeating: row + "\n", count: rows)).utf8)
        let manifest = try fetchLayout(folder + "/\(name)/fetch", files: [("all_ml_systems.2023-12-14.csv", table)])
        let out = folder + "/\(name)/parse"
        let run = try measuredRun("parse", ["epoch", "--manifest", manifest, "--output", out + "/models.ndjson.gz", "--rejects", out + "/models.rejects.ndjson.gz"])
        return (run.result, run.peakKB, out)
    }
    let plain = try parse("plain", "Model Z,2020-01-01")
    let hostile = try parse("hostile", "x\",\"")
    #expect(hostile.result.status == 0, "\(hostile.result.stderr)")
    #expect(try readLines(hostile.out + "/models.ndjson.gz").compactMap { $0["name"]?.stringValue } == ["GPT-4"])
    let counts = try StageCounts.read(besides: hostile.out + "/models.ndjson.gz")
    #expect(counts.rejected == rows && counts.reconciles, "\(counts)")
    #expect(hostile.result.seconds < 4 * plain.result.seconds + 2, "open quotes \(hostile.result.seconds) s, plain rows \(plain.result.seconds) s")
    #expect(hostile.peakKB < 1024 * 1024, "peak RSS \(hostile.peakKB) KB")
}

/// Case 5 as a stage run: 40,000 records of one paper (same title, year and first author) whose
/// first author has a different affiliation in each merge into one in about the time of 40,000
/// distinct papers (it took over 400 s), in bounded memory, every member counted.
@Test func oneLargeClusterDedupesInLinearTime() throws {
    let folder = scratchFolder("large-cluster")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let count = 40_000
    func dedupe(_ name: String, _ line: (Int) -> String) throws -> (result: StageResult, peakKB: Int, output: String) {
        let input = folder + "/\(name).ndjson"
        try (0..<count).map(line).joined(separator: "\n").appending("\n").write(toFile: input, atomically: true, encoding: .utf8)
        let output = folder + "/\(name)/papers.ndjson.gz"
        let run = try measuredRun("dedupe", ["papers", "--input", input, "--output", output, "--merges", folder + "/\(name)/papers.merges.ndjson.gz"])
        return (run.result, run.peakKB, output)
    }
    let distinct = try dedupe("distinct") { i in
        #"{"id":"arxiv:\#(i)","source":"arxiv","title":"Paper number \#(i)","year":2020,"authors":[{"name":"Ann Ray","affiliations":["Lab \#(i)"]}]}"#
    }
    let cluster = try dedupe("cluster") { i in
        #"{"id":"arxiv:\#(i)","source":"arxiv","title":"One Title","year":2020,"authors":[{"name":"Ann Ray","affiliations":["Lab \#(i)"]}]}"#
    }
    #expect(distinct.result.status == 0 && cluster.result.status == 0, "\(cluster.result.stderr)")
    let counts = try StageCounts.read(besides: cluster.output)
    #expect(counts.input == count && counts.output == 1 && counts.merged == count - 1 && counts.reconciles, "\(counts)")
    let merged = try readLines(cluster.output)
    #expect(merged.first?["authors"]?.arrayValue?.first?["affiliations"]?.arrayValue?.count == count)
    #expect(cluster.result.seconds < 4 * distinct.result.seconds + 5, "cluster \(cluster.result.seconds) s, distinct papers \(distinct.result.seconds) s")
    #expect(cluster.peakKB < 1024 * 1024, "peak RSS \(cluster.peakKB) KB")
}
