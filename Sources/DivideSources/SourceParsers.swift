import DivideCore

/// Epoch AI model tables (CSV) → model records; files named by their base name.
public struct EpochSource: SourceParser {
    public let stage = "parse epoch"
    public init() {}

    public func files(in manifest: [(entry: FetchManifestEntry, absolutePath: String)]) -> [SourceFile] {
        manifest.map { SourceFile(name: String($0.entry.path.split(separator: "/").last ?? ""), path: $0.absolutePath) }
    }

    public func parse(_ file: SourceFile, into sink: FileQuarantine<ModelRecord>.Sink) throws -> EpochCSVParser.Result {
        try EpochCSVParser().parse(path: file.path, displayName: file.name, emit: { sink.emit($0) },
                                   reject: { line, reason, excerpt in sink.reject("line \(line)", reason, excerpt) })
    }
}

/// arXiv OAI-PMH ListRecords pages → paper records. Besides each page's records it checks the
/// resumption-token chain: each page must have been requested with the token the page before
/// gave, and the last page must end the list.
public struct ArxivSource: SourceParser {
    public let stage = "parse arxiv"
    private var overlap: HarvestOverlap?
    private var previousToken: String?
    private var firstListSize: Int?
    /// Breaks of the resumption-token chain, printed as warnings.
    public private(set) var chainProblems: [String] = []
    public init() {}

    public func files(in manifest: [(entry: FetchManifestEntry, absolutePath: String)]) -> [SourceFile] {
        Self.sourceFiles(manifest, suffixes: [".xml", ".xml.gz"])
    }

    /// Live harvests overlap: each record's copy from the latest harvest is kept (HarvestOverlap).
    public mutating func prepare(files: [SourceFile]) throws {
        overlap = try HarvestOverlap(pages: files.map { ($0.name, $0.path) })
    }

    public func parse(_ file: SourceFile, into sink: FileQuarantine<PaperRecord>.Sink) throws -> ArxivOAIParser.PageResult {
        try ArxivOAIParser().parse(path: file.path, displayName: file.name, emit: { record in
            if overlap?.isSuperseded(arxivID: record.arxivID, on: file.name) == true { sink.merged(); return }
            // No title, no authors, an implausible year: the record cannot be analysed.
            if let problem = record.validationProblem { sink.reject(record.id, problem, record.title) } else { sink.emit(record) }
        }, reject: { location, reason, excerpt in sink.reject(location, reason, excerpt) })
    }

    public mutating func finished(_ file: SourceFile, _ page: ArxivOAIParser.PageResult) throws -> JSONValue? {
        if let previousToken, let request = page.requestToken, request != previousToken {
            chainProblems.append("\(file.name) was requested with token '\(request)', the previous page gave '\(previousToken)'")
        }
        if let oaiError = page.oaiError { chainProblems.append("\(file.name): OAI-PMH error \(oaiError)") }
        previousToken = page.resumptionToken
        if firstListSize == nil { firstListSize = page.completeListSize }
        return .object([
            ("file", .string(file.name)), ("records", .int(page.records)), ("deleted", .int(page.deleted)),
            ("rejected", .int(page.rejected)), ("request_token", .optional(page.requestToken)),
            ("resumption_token", .optional(page.resumptionToken)), ("cursor", .optional(page.cursor)),
            ("complete_list_size", .optional(page.completeListSize)), ("oai_error", .optional(page.oaiError)),
        ])
    }

    public mutating func finish(_ run: StageRun) {
        if let token = previousToken, !token.isEmpty {
            chainProblems.append("the last page still has resumption token '\(token)': the harvest is incomplete")
        }
        if let size = firstListSize, size != run.counts.input, (overlap?.harvests ?? 0) <= 1 {
            chainProblems.append("completeListSize is \(size) but the pages hold \(run.counts.input) records")
        }
        for problem in chainProblems { run.progress.printLine("\(stage): warning: \(problem)") }
    }
}

/// Conference paper lists (papercopilot/paperlists) → paper records; statuses tallied.
public struct PaperListsSource: SourceParser {
    public let stage = "parse paperlists"
    private var statuses: [String: Int] = [:]
    public init() {}

    public func files(in manifest: [(entry: FetchManifestEntry, absolutePath: String)]) -> [SourceFile] {
        Self.sourceFiles(manifest, suffixes: [".json", ".json.gz"])
    }

    public func parse(_ file: SourceFile, into sink: FileQuarantine<PaperRecord>.Sink) throws -> PaperListParser.FileResult {
        try PaperListParser().parse(path: file.path, displayName: file.name, emit: { sink.emit($0) },
                                    reject: { location, reason, excerpt in sink.reject(location, reason, excerpt) })
    }

    public mutating func finished(_ file: SourceFile, _ result: PaperListParser.FileResult) throws -> JSONValue? {
        for (k, v) in result.statuses { statuses[k, default: 0] += v }
        let (venue, year) = PaperListParser.venueYear(path: file.name)!
        return .object([
            ("file", .string(file.name)), ("venue", .string(venue)), ("year", .int(year)),
            ("records", .int(result.records)), ("rejected", .int(result.rejected)),
            ("author_separator", .string(result.authorLayout.rawValue)),
            ("affiliation_layout", .string(result.affiliationLayout.rawValue)),
            ("layout_overrides", .int(result.layoutOverrides)),
            ("with_affiliation_evidence", .int(result.withAffiliationEvidence)),
            ("statuses", .object(result.statuses.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
        ])
    }

    public mutating func finish(_ run: StageRun) {
        run.notes.append("status " + statuses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.grouped)" }.joined(separator: ", "))
    }
}

/// ACL Anthology collection files → paper records; front matter skipped and counted.
public struct ACLSource: SourceParser {
    public let stage = "parse acl"
    private var frontMatter = 0
    public init() {}

    public func files(in manifest: [(entry: FetchManifestEntry, absolutePath: String)]) -> [SourceFile] {
        Self.sourceFiles(manifest, suffixes: [".xml", ".xml.gz"])
    }

    public func parse(_ file: SourceFile, into sink: FileQuarantine<PaperRecord>.Sink) throws -> ACLAnthologyParser.FileResult {
        try ACLAnthologyParser().parse(path: file.path, displayName: file.name, emit: { sink.emit($0) },
                                       reject: { location, reason, excerpt in sink.reject(location, reason, excerpt) })
    }

    public mutating func finished(_ file: SourceFile, _ result: ACLAnthologyParser.FileResult) throws -> JSONValue? {
        frontMatter += result.frontMatter
        return .object([
            ("file", .string(file.name)), ("volumes", .int(result.volumes)), ("records", .int(result.records)),
            ("rejected", .int(result.rejected)), ("front_matter_skipped", .int(result.frontMatter)),
            ("with_affiliation", .int(result.withAffiliation)),
        ])
    }

    public mutating func finish(_ run: StageRun) {
        run.notes.append("front matter skipped \(frontMatter.grouped)")
    }
}

/// OpenAlex works (live harvest pages or single work objects) → paper records. Incremental
/// harvests overlap, so a work can arrive more than once: the copy on the latest page in
/// manifest order is kept, older copies count as merged.
public struct OpenAlexSource: SourceParser {
    public let stage = "parse openalex"
    /// Per work id, the file and position of its newest copy.
    private var newest: [String: (file: String, index: Int)] = [:]
    public init() {}

    public func files(in manifest: [(entry: FetchManifestEntry, absolutePath: String)]) -> [SourceFile] {
        manifest.filter { $0.entry.path.contains(".json") }.map { SourceFile(name: $0.entry.path, path: $0.absolutePath) }
    }

    /// A file that cannot be read here is quarantined when it fails again in `parse`.
    public mutating func prepare(files: [SourceFile]) throws {
        for file in files {
            var index = 0
            _ = try? OpenAlexWorksParser().parse(path: file.path, displayName: file.name, emit: { record in
                newest[record.id] = (file.name, index)
                index += 1
            }, reject: { _, _ in })
        }
    }

    public func parse(_ file: SourceFile, into sink: FileQuarantine<PaperRecord>.Sink) throws -> OpenAlexWorksParser.Result {
        var index = 0
        return try OpenAlexWorksParser().parse(path: file.path, displayName: file.name, emit: { record in
            defer { index += 1 }
            if let keep = newest[record.id], keep != (file.name, index) { sink.merged() } else { sink.emit(record) }
        }, reject: { location, reason in sink.reject(location, reason, "") })
    }
}
