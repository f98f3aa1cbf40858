import ArgumentParser
import DivideCore
import DivideSources
import DivideXML

/// Options the paper sources add: a per-file report beside the records.
struct PaperParseOptions: ParsableArguments {
    @OptionGroup var common: ParseOptions

    @Option(help: "One line per input file (pages, layouts, statuses, front matter) as gzip NDJSON.")
    var fileReport: String
}

/// The manifest's files of one source, each with its path relative to the source folder
/// (`paperlists/cvpr/cvpr2023.json.gz` → `cvpr/cvpr2023.json.gz`), sorted by that path.
func sourceFiles(manifest: String, suffixes: [String]) throws -> [(name: String, path: String)] {
    try FetchManifestEntry.read(manifest: manifest).compactMap { entry, path in
        guard suffixes.contains(where: { entry.path.hasSuffix($0) }) else { return nil }
        let parts = entry.path.split(separator: "/")
        let name = parts.count > 1 && parts[0] == Substring(entry.source) ? parts.dropFirst().joined(separator: "/") : entry.path
        return (name, path)
    }.sorted { $0.name < $1.name }
}

/// Opens the three outputs of a paper parse (records, rejects, per-file report), runs `body`,
/// then notes the files in the counts and commits the records last, so Make's target appears
/// only once everything beside it is in place.
func withPaperParseOutputs(
    _ options: PaperParseOptions, counts: inout StageCounts,
    _ body: (inout StageCounts, _ records: NDJSONWriter, _ rejects: RejectsWriter, _ report: NDJSONWriter) throws -> Void
) throws {
    let writer = try NDJSONWriter(path: options.common.output)
    let rejects = try RejectsWriter(path: options.common.rejects)
    let report = try NDJSONWriter(path: options.fileReport)
    try body(&counts, writer, rejects, report)
    counts.noteRejects(options.common.rejects, output: options.common.output)
    counts.noteInput(options.common.manifest, output: options.common.output)
    try report.commit()
    try rejects.commit()
    try writer.commit()
}

struct ParseArxiv: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arxiv",
        abstract: "arXiv OAI-PMH ListRecords pages (metadataPrefix=arXiv, XML) → paper records.",
        discussion: "Streams every page with libxml2's SAX2 push parser. Deleted headers, records without arXiv metadata, an empty title or a malformed <created> date go to the rejects file. The resumption-token chain is checked and reported per page.")

    @OptionGroup var options: PaperParseOptions

    func run() throws {
        runStage("parse arxiv", output: options.common.output) { counts in
            try withPaperParseOutputs(options, counts: &counts) { counts, writer, rejects, report in
                let progress = Progress(label: "parse arxiv")
                var previousToken: String?
                var firstListSize: Int?
                var chainProblems: [String] = []
                // A page that is not well-formed XML (or declares a DTD) is quarantined whole.
                let files = try sourceFiles(manifest: options.common.manifest, suffixes: [".xml", ".xml.gz"])
                // Live harvests overlap: keep each record's copy from the latest harvest (live/HarvestOverlap).
                let overlap = try HarvestOverlap(pages: files)
                // Pages are parsed side by side on all cores, a few at a time; each page's records,
                // report line and token check are taken in page order, as if parsed one by one.
                SAXPushParser.prepareForThreads()
                try FileQuarantine<PaperRecord>(stage: "parse arxiv").run(
                    files: files, writer: writer, rejects: rejects, counts: &counts, window: FileQuarantine<PaperRecord>.concurrentWindow
                ) { path, name, sink in
                    try ArxivOAIParser().parse(path: path, displayName: name, emit: { record in
                        if overlap.isSuperseded(arxivID: record.arxivID, on: name) { sink.merged(); return }
                        // No title, no authors, an implausible year: the record cannot be analysed.
                        if let problem = record.validationProblem { sink.reject(record.id, problem, record.title) } else { sink.emit(record) }
                    }, reject: { location, reason, excerpt in sink.reject(location, reason, excerpt) })
                } then: { name, page in
                    if let previousToken, let request = page.requestToken, request != previousToken {
                        chainProblems.append("\(name) was requested with token '\(request)', the previous page gave '\(previousToken)'")
                    }
                    if let oaiError = page.oaiError { chainProblems.append("\(name): OAI-PMH error \(oaiError)") }
                    previousToken = page.resumptionToken
                    if firstListSize == nil { firstListSize = page.completeListSize }
                    try report.write(.object([
                        ("file", .string(name)), ("records", .int(page.records)), ("deleted", .int(page.deleted)),
                        ("rejected", .int(page.rejected)), ("request_token", .optional(page.requestToken)),
                        ("resumption_token", .optional(page.resumptionToken)), ("cursor", .optional(page.cursor)),
                        ("complete_list_size", .optional(page.completeListSize)), ("oai_error", .optional(page.oaiError)),
                    ]))
                    progress.show(writer.count)
                }
                if let token = previousToken, !token.isEmpty {
                    chainProblems.append("the last page still has resumption token '\(token)': the harvest is incomplete")
                }
                if let size = firstListSize, size != counts.input, overlap.harvests <= 1 {
                    chainProblems.append("completeListSize is \(size) but the pages hold \(counts.input) records")
                }
                for problem in chainProblems { printError("parse arxiv: warning: \(problem)") }
                progress.finish()
            }
        }
    }
}

struct ParsePaperLists: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paperlists",
        abstract: "Conference paper lists (papercopilot/paperlists, <venue>/<venue><year>.json) → paper records.",
        discussion: "Every venue-year file in the manifest is read; venue from the folder, year from the file name. The author separator (';' or ', ') and the affiliation layout (per author or unique list) are detected per file and reported. Rejected and withdrawn submissions are kept with their status (dedupe excludes them from the analysis set). Entries without a title, accepted entries without authors and repeated ids go to the rejects file.")

    @OptionGroup var options: PaperParseOptions

    func run() throws {
        runStage("parse paperlists", output: options.common.output) { counts in
            try withPaperParseOutputs(options, counts: &counts) { counts, writer, rejects, report in
                let progress = Progress(label: "parse paperlists")
                var statuses: [String: Int] = [:]
                // A file that is not valid JSON is quarantined whole.
                let files = try sourceFiles(manifest: options.common.manifest, suffixes: [".json", ".json.gz"])
                // The next file is read and inflated on the second core while this one is parsed.
                let lists = FilePrefetcher(paths: files.map(\.path)) { path in Result { try readFileBytes(path: path) } }
                try FileQuarantine<PaperRecord>(stage: "parse paperlists").run(files: files, writer: writer, rejects: rejects, counts: &counts) { path, name, sink in
                    let bytes = lists.content(of: path)
                    let result = try PaperListParser().parse(reading: { try bytes.get() }, displayName: name, emit: { record in
                        sink.emit(record)
                        progress.update(writer.count)
                    }, reject: { location, reason, excerpt in sink.reject(location, reason, excerpt) })
                    for (k, v) in result.statuses { statuses[k, default: 0] += v }
                    let (venue, year) = PaperListParser.venueYear(path: name)!
                    try report.write(.object([
                        ("file", .string(name)), ("venue", .string(venue)), ("year", .int(year)),
                        ("records", .int(result.records)), ("rejected", .int(result.rejected)),
                        ("author_separator", .string(result.authorLayout.rawValue)),
                        ("affiliation_layout", .string(result.affiliationLayout.rawValue)),
                        ("layout_overrides", .int(result.layoutOverrides)),
                        ("with_affiliation_evidence", .int(result.withAffiliationEvidence)),
                        ("statuses", .object(result.statuses.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
                    ]))
                }
                printError("parse paperlists: status " + statuses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.grouped)" }.joined(separator: ", "))
                progress.finish()
            }
        }
    }
}

struct ParseACL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acl",
        abstract: "ACL Anthology collection files (data/xml/*.xml) → paper records.",
        discussion: "Volumes give venue and year; front matter is skipped and counted in the file report. Papers without authors (e.g. 'Publications Received'), retracted papers and papers of a volume without a year go to the rejects file.")

    @OptionGroup var options: PaperParseOptions

    func run() throws {
        runStage("parse acl", output: options.common.output) { counts in
            try withPaperParseOutputs(options, counts: &counts) { counts, writer, rejects, report in
                var frontMatter = 0
                // A volume that is not well-formed XML (or declares a DTD) is quarantined whole.
                let files = try sourceFiles(manifest: options.common.manifest, suffixes: [".xml", ".xml.gz"])
                let volumes = FilePrefetcher(paths: files.map(\.path)) { LoadedDocument(path: $0) }
                try FileQuarantine<PaperRecord>(stage: "parse acl").run(files: files, writer: writer, rejects: rejects, counts: &counts) { path, name, sink in
                    let result = try ACLAnthologyParser().parse(document: volumes.content(of: path), displayName: name, emit: { sink.emit($0) },
                                                                reject: { location, reason, excerpt in sink.reject(location, reason, excerpt) })
                    frontMatter += result.frontMatter
                    try report.write(.object([
                        ("file", .string(name)), ("volumes", .int(result.volumes)), ("records", .int(result.records)),
                        ("rejected", .int(result.rejected)), ("front_matter_skipped", .int(result.frontMatter)),
                        ("with_affiliation", .int(result.withAffiliation)),
                    ]))
                }
                printError("parse acl: front matter skipped \(frontMatter.grouped)")
            }
        }
    }
}
