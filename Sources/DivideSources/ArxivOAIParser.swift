import DivideCore
import DivideXML

/// Reads arXiv OAI-PMH `ListRecords` pages (`metadataPrefix=arXiv`) into `PaperRecord`s with a
/// SAX2 push parser: one page at a time, one record at a time, text gathered as bytes. Elements
/// are matched by namespace URI and local name, so any prefix works. Deleted headers
/// (`<header status="deleted">`, no metadata) are reported, never emitted.
public struct ArxivOAIParser {
    static let oaiNamespace: StaticString = "http://www.openarchives.org/OAI/2.0/"
    static let arxivNamespace: StaticString = "http://arxiv.org/OAI/arXiv/"

    /// What one page held, and where the harvest goes next.
    public struct PageResult: Equatable {
        public var records = 0
        public var deleted = 0
        public var rejected = 0
        /// The token this page was requested with (`<request resumptionToken=…>`), if any.
        public var requestToken: String?
        /// `<resumptionToken>`: nil when absent; "" on the last page of a list.
        public var resumptionToken: String?
        public var cursor: Int?
        public var completeListSize: Int?
        /// `<error code=…>` of an OAI-PMH error response (e.g. `noRecordsMatch`).
        public var oaiError: String?
        /// <affiliation> fields kept out of the records because they are a name or a role
        /// (`ArxivAuthorNotes`), by kind.
        public var authorNotes: [ArxivAuthorNotes.Kind: Int] = [:]

        public init() {}
    }

    /// Author fields that are names or roles, not affiliations.
    public let authorNotes: ArxivAuthorNotes

    public init(authorNotes: ArxivAuthorNotes = ArxivAuthorNotes()) {
        self.authorNotes = authorNotes
    }

    /// Parses one page (`.xml` or `.xml.gz`). `emit` receives each complete record; `reject`
    /// each record that cannot be a paper (location = OAI identifier, reason, excerpt).
    public func parse(
        path: String,
        displayName: String,
        emit: (PaperRecord) throws -> Void,
        reject: (_ location: String, _ reason: String, _ excerpt: String) throws -> Void
    ) throws -> PageResult {
        try run(emit: emit, reject: reject) { try $0.parse(path: path, displayName: displayName) }
    }

    /// Parses one page held in memory: a live harvest reads each response, then asks the page for
    /// its `resumptionToken` to request the next one.
    public func parse(
        bytes: [UInt8],
        displayName: String,
        emit: (PaperRecord) throws -> Void,
        reject: (_ location: String, _ reason: String, _ excerpt: String) throws -> Void
    ) throws -> PageResult {
        try run(emit: emit, reject: reject) { try $0.parse(bytes: bytes, name: displayName) }
    }

    /// One page through `parse`, which feeds the handler; internal so tests can feed it other ways.
    func run(
        emit: (PaperRecord) throws -> Void,
        reject: (_ location: String, _ reason: String, _ excerpt: String) throws -> Void,
        parse: (SAXPushParser) throws -> Void
    ) throws -> PageResult {
        let handler = ArxivPageHandler(authorNotes: authorNotes)
        try deliverPapers(emit: emit, reject: reject, install: { handler.onRecord = $0 }) {
            try parse(SAXPushParser(handler: handler))
        }
        return handler.page
    }
}

/// The SAX state machine for one OAI-PMH page.
final class ArxivPageHandler: SAXHandler {
    enum Field {
        case none, identifier, resumptionToken
        case id, created, updated, title, abstract, categories, doi, journalRef
        case keyname, forenames, suffix, affiliation
    }

    var onRecord: (PaperOutcome) -> Void = { _ in }
    var page = ArxivOAIParser.PageResult()
    private let authorNotes: ArxivAuthorNotes

    init(authorNotes: ArxivAuthorNotes) {
        self.authorNotes = authorNotes
    }

    // Per record.
    private var inRecord = false
    private var inHeader = false
    private var deleted = false
    private var inArxiv = false
    private var identifier = ""
    private var id = "", created = "", updated = "", title = "", abstract = "", categories = "", doi = "", journalRef = ""
    private var authors: [PaperAuthor] = []
    // Per author.
    private var inAuthor = false
    private var keyname = "", forenames = "", suffix = ""
    private var affiliations: [String] = []

    private var field = Field.none
    private var text = TextBuffer()
    /// The record's size and authors against the budget; over it, no more of the record is kept.
    private var allowance = RecordAllowance()

    private func isOAI(_ ns: XMLName?) -> Bool { ns.map { $0 == ArxivOAIParser.oaiNamespace } ?? false }
    private func isArxiv(_ ns: XMLName?) -> Bool { ns.map { $0 == ArxivOAIParser.arxivNamespace } ?? false }

    func startElement(_ name: XMLName, namespace: XMLName?, attributes: XMLAttributes) {
        if inArxiv, isArxiv(namespace) {
            let f: Field
            if name == "author" {
                inAuthor = true
                keyname = ""; forenames = ""; suffix = ""; affiliations = []
                return
            } else if inAuthor {
                if name == "keyname" { f = .keyname }
                else if name == "forenames" { f = .forenames }
                else if name == "suffix" { f = .suffix }
                else if name == "affiliation" { f = .affiliation }
                else { f = .none }
            } else if name == "id" { f = .id }
            else if name == "title" { f = .title }
            else if name == "abstract" { f = .abstract }
            else if name == "categories" { f = .categories }
            else if name == "created" { f = .created }
            else if name == "updated" { f = .updated }
            else if name == "doi" { f = .doi }
            else if name == "journal-ref" { f = .journalRef }
            else { f = .none }
            begin(f)
            return
        }
        if isArxiv(namespace), name == "arXiv", inRecord {
            inArxiv = true
            return
        }
        guard isOAI(namespace) else { return }
        if name == "record" {
            inRecord = true
            deleted = false
            identifier = ""; id = ""; created = ""; updated = ""; title = ""; abstract = ""
            categories = ""; doi = ""; journalRef = ""; authors = []
            allowance.reset()
        } else if name == "header" {
            inHeader = true
            deleted = attributes.value("status") == "deleted"
        } else if name == "identifier", inHeader {
            begin(.identifier)
        } else if name == "resumptionToken" {
            page.resumptionToken = ""
            page.cursor = attributes.value("cursor").flatMap { Int($0) }
            page.completeListSize = attributes.value("completeListSize").flatMap { Int($0) }
            begin(.resumptionToken)
        } else if name == "request" {
            page.requestToken = attributes.value("resumptionToken")
        } else if name == "error" {
            page.oaiError = attributes.value("code") ?? "unknown"
        }
    }

    private func begin(_ f: Field) {
        field = f
        text.removeAll()
    }

    func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        if field != .none { text.append(bytes) }
    }

    func endElement(_ name: XMLName, namespace: XMLName?) {
        if field != .none {
            if inRecord { allowance.add(bytes: text.count) }
            let value = inRecord && allowance.problem != nil ? "" : text.normalized
            switch field {
            case .none: break
            case .identifier: identifier = value
            case .resumptionToken: page.resumptionToken = value
            case .id: id = value
            case .created: created = value
            case .updated: updated = value
            case .title: title = value
            case .abstract: abstract = value
            case .categories: categories = value
            case .doi: doi = value
            case .journalRef: journalRef = value
            case .keyname: keyname = value
            case .forenames: forenames = value
            case .suffix: suffix = value
            case .affiliation:
                if let note = authorNotes.kind(of: value) { page.authorNotes[note, default: 0] += 1 }
                else if !value.isEmpty { affiliations.append(value) }
            }
            field = .none
            return
        }
        if inArxiv, isArxiv(namespace) {
            if name == "author" {
                inAuthor = false
                let full = [forenames, keyname, suffix].filter { !$0.isEmpty }.joined(separator: " ")
                if !full.isEmpty, allowance.addAuthor(), allowance.problem == nil { authors.append(PaperAuthor(name: full, affiliations: affiliations)) }
            } else if name == "arXiv" {
                inArxiv = false
            }
            return
        }
        guard isOAI(namespace) else { return }
        if name == "header" {
            inHeader = false
        } else if name == "record" {
            inRecord = false
            finishRecord()
        }
    }

    private func finishRecord() {
        let location = identifier.isEmpty ? (id.isEmpty ? "record \(page.records + page.deleted + page.rejected + 1)" : id) : identifier
        if deleted {
            page.deleted += 1
            onRecord(.rejected(location: location, reason: "deleted upstream (OAI header status=deleted)", excerpt: location))
            return
        }
        if let problem = allowance.problem {
            page.rejected += 1
            onRecord(.rejected(location: location, reason: problem, excerpt: id))
            return
        }
        guard !id.isEmpty else {
            page.rejected += 1
            onRecord(.rejected(location: location, reason: "no arXiv metadata (missing <arXiv><id>)", excerpt: title))
            return
        }
        guard !title.isEmpty else {
            page.rejected += 1
            onRecord(.rejected(location: location, reason: "empty title", excerpt: id))
            return
        }
        guard let year = ArxivPageHandler.year(of: created) else {
            page.rejected += 1
            onRecord(.rejected(location: location, reason: "missing or malformed <created> date", excerpt: id + " " + created))
            return
        }
        var record = PaperRecord(id: "arxiv:" + id, source: "arxiv", title: title)
        record.year = year
        record.abstract = abstract.isEmpty ? nil : abstract
        record.authors = authors
        record.categories = categories.split(separator: " ").map(String.init)
        // Some records list several DOIs separated by spaces; the first is the article's.
        if let first = doi.split(separator: " ").first { record.doi = PaperIdentifiers.normalizeDOI(String(first)) }
        record.arxivID = id
        var extra: [(String, JSONValue)] = [("created", .string(created))]
        if !updated.isEmpty { extra.append(("updated", .string(updated))) }
        if !journalRef.isEmpty { extra.append(("journal_ref", .string(journalRef))) }
        record.extra = extra
        page.records += 1
        onRecord(.paper(record))
    }

    static func year(of date: String) -> Int? {
        guard date.utf8.count >= 4, let y = Int(date.prefix(4)), (1900...2100).contains(y) else { return nil }
        return y
    }
}
