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
    /// Author fields that are names or roles (reference/arxiv-author-notes.tsv), kept out of affiliations.
    private let authorNotes: ArxivAuthorNotes
    private var notesKept: [ArxivAuthorNotes.Kind: Int] = [:]
    public init(authorNotes: ArxivAuthorNotes = ArxivAuthorNotes()) {
        self.authorNotes = authorNotes
    }

    public func files(in manifest: [(entry: FetchManifestEntry, absolutePath: String)]) -> [SourceFile] {
        Self.sourceFiles(manifest, suffixes: [".xml", ".xml.gz"])
    }

    /// Live harvests overlap: each record's copy from the latest harvest is kept (HarvestOverlap).
    public mutating func prepare(files: [SourceFile]) throws {
        overlap = try HarvestOverlap(pages: files.map { ($0.name, $0.path) })
    }

    public func parse(_ file: SourceFile, into sink: FileQuarantine<PaperRecord>.Sink) throws -> ArxivOAIParser.PageResult {
        try ArxivOAIParser(authorNotes: authorNotes).parse(path: file.path, displayName: file.name, emit: { record in
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
        for (kind, n) in page.authorNotes { notesKept[kind, default: 0] += n }
        return .object([
            ("file", .string(file.name)), ("records", .int(page.records)), ("deleted", .int(page.deleted)),
            ("rejected", .int(page.rejected)), ("request_token", .optional(page.requestToken)),
            ("resumption_token", .optional(page.resumptionToken)), ("cursor", .optional(page.cursor)),
            ("complete_list_size", .optional(page.completeListSize)), ("oai_error", .optional(page.oaiError)),
            ("author_notes", .object(ArxivAuthorNotes.Kind.allCases.map { ($0.rawValue, .int(page.authorNotes[$0] ?? 0)) })),
        ])
    }

    public mutating func finish(_ run: StageRun) {
        if let token = previousToken, !token.isEmpty {
            chainProblems.append("the last page still has resumption token '\(token)': the harvest is incomplete")
        }
        if let size = firstListSize, size != run.counts.input, (overlap?.harvests ?? 0) <= 1 {
            chainProblems.append("completeListSize is \(size) but the pages hold \(run.counts.input) records")
        }
        run.notes.append("author fields kept out of affiliations: names \((notesKept[.name] ?? 0).grouped), roles \((notesKept[.role] ?? 0).grouped)")
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

/// Conference-site affiliation lists (`paper-affiliations/`) → paper records, each file in the
/// layout its line of `files.tsv` names (a manifest file the table does not list is quarantined).
/// Decisions files are read first, so a submissions list of the same venue-year can mark its
/// accepted records, and the decisions file emits only the rows no list holds.
public struct SiteListsSource: SourceParser {
    public let stage = "parse sites"
    public static let tableName = "files.tsv"
    private var entries: [String: SiteFileEntry] = [:]
    private var decisions: [String: SiteDecisions] = [:]
    private var listedTitles: [String: Set<String>] = [:]
    private var statuses: [String: Int] = [:]
    private var readAs: [String: Int] = [:]
    public init() {}

    public func files(in manifest: [(entry: FetchManifestEntry, absolutePath: String)]) -> [SourceFile] {
        Self.sourceFiles(manifest, suffixes: [".gz", ".txt", ".md", ".json", ".jsonl", ".csv"]).filter { $0.name != Self.tableName }
    }

    public mutating func prepare(files: [SourceFile]) throws {
        guard let any = files.first else { return }
        let folder = String(any.path.dropLast(any.name.count))
        let table = folder + Self.tableName
        _ = try checkReadable(table)
        for entry in try SiteFileEntry.table(try readFileBytes(path: table), displayName: Self.tableName) { entries[entry.file] = entry }
        for file in files {
            guard let entry = entries[file.name], entry.role == .decisions, let key = entry.venueYear else { continue }
            decisions[key] = try SiteDecisions.read(try readFileBytes(path: file.path), displayName: file.name)
        }
        // The titles each venue-year's submissions lists hold; a list that cannot be read here
        // is quarantined when it fails again in `parse`.
        for file in files {
            guard let entry = entries[file.name], entry.role != .decisions, let key = entry.venueYear, decisions[key] != nil else { continue }
            var titles = Set<String>()
            let normalizer = TextNormalizer()
            _ = try? SiteListParser(entry: entry).parse(bytes: try readFileBytes(path: file.path), displayName: file.name,
                                                        emit: { titles.insert(normalizer.titleKey($0.title)) }, reject: { _, _, _ in })
            listedTitles[key, default: []].formUnion(titles)
        }
    }

    public func parse(_ file: SourceFile, into sink: FileQuarantine<PaperRecord>.Sink) throws -> SiteListParser.FileResult {
        guard let entry = entries[file.name] else {
            throw DivideError(file: file.name, reason: "not listed in \(Self.tableName) (add its venue, year, layout and role there)")
        }
        let key = entry.venueYear ?? ""
        let parser = SiteListParser(entry: entry, decisions: decisions[key], listedTitles: listedTitles[key] ?? [])
        return try parser.parse(bytes: try readFileBytes(path: file.path), displayName: file.name, emit: { sink.emit($0) },
                                reject: { location, reason, excerpt in sink.reject(location, reason, excerpt) }, merged: { sink.merged() })
    }

    public mutating func finished(_ file: SourceFile, _ result: SiteListParser.FileResult) throws -> JSONValue? {
        let entry = entries[file.name]!
        for (k, v) in result.statuses { statuses[k, default: 0] += v }
        for (k, v) in result.readAs { readAs[k, default: 0] += v }
        let counts = { (tally: [String: Int]) in JSONValue.object(tally.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) }) }
        return .object([
            ("file", .string(file.name)), ("venue", .optional(entry.venue)), ("year", .optional(entry.year)),
            ("layout", .string(entry.layout.rawValue)), ("role", .string(entry.role.rawValue)),
            ("records", .int(result.records)), ("rejected", .int(result.rejected)),
            ("with_affiliations", .int(result.withAffiliations)),
            ("shifted", .int(result.readAs.filter { $0.key != "unshifted" }.values.reduce(0, +))),
            ("read_as", counts(result.readAs)), ("statuses", counts(result.statuses)),
            ("status_from", counts(result.statusFrom)), ("decisions_joined", .int(result.joined)),
        ])
    }

    public mutating func finish(_ run: StageRun) {
        // The table is read too (in `prepare`): one input file more than the quarantine counted.
        run.counts.inputFiles = (run.counts.inputFiles ?? 0) + 1
        run.notes.append("status " + statuses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.grouped)" }.joined(separator: ", "))
        if !readAs.isEmpty {
            run.notes.append("markdown records read " + readAs.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.grouped)" }.joined(separator: ", "))
        }
    }
}
