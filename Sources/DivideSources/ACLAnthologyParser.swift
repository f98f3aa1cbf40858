import DivideCore
import DivideXML

/// Reads ACL Anthology collection files (`data/xml/<collection>.xml[.gz]`) into `PaperRecord`s.
/// Venue and year come from each volume's `<meta>`; a paper's id is its Anthology id
/// (`2022.acl-long.47`, `P16-1001`), built from the collection, volume and paper ids. Inline
/// markup in titles and abstracts (`<fixed-case>`, `<tex-math>`, `<i>`, `<b>`, `<url>`) is
/// flattened to its text. Front matter is skipped and counted; editors' affiliations in `<meta>`
/// are not authors' and are ignored.
public struct ACLAnthologyParser {
    public struct FileResult: Equatable {
        public var records = 0
        public var rejected = 0
        public var frontMatter = 0
        public var volumes = 0
        public var withAffiliation = 0
        public init() {}
    }

    public init() {}

    public func parse(
        path: String,
        displayName: String,
        emit: (PaperRecord) throws -> Void,
        reject: (_ location: String, _ reason: String, _ excerpt: String) throws -> Void
    ) throws -> FileResult {
        try run(emit: emit, reject: reject) { try $0.parse(path: path, displayName: displayName) }
    }

    private func run(
        emit: (PaperRecord) throws -> Void,
        reject: (_ location: String, _ reason: String, _ excerpt: String) throws -> Void,
        parse: (SAXPushParser) throws -> Void
    ) throws -> FileResult {
        let handler = ACLHandler()
        try deliverPapers(emit: emit, reject: reject, install: { handler.onPaper = $0 }) {
            try parse(SAXPushParser(handler: handler))
        }
        return handler.result
    }

    /// The Anthology id: new-style collections (`2022.acl`) → `2022.acl-long.47`; old-style
    /// (`P16`, `J10`, `D19`) → four digits of volume then paper: `P16-1001`, `J10-2006`,
    /// `D19-5558` (workshop volume 55, paper 58).
    public static func anthologyID(collection: String, volume: String, paper: String) -> String {
        if collection.contains(".") { return "\(collection)-\(volume).\(paper)" }
        let padded = String(repeating: "0", count: max(0, 4 - volume.count - paper.count)) + paper
        return "\(collection)-\(volume)\(padded)"
    }
}

final class ACLHandler: SAXHandler {
    enum Field { case none, title, abstract, first, last, affiliation, doi, year, venue, booktitle }

    var onPaper: (PaperOutcome) -> Void = { _ in }
    var result = ACLAnthologyParser.FileResult()

    private var collection = ""
    private var volume = ""
    private var volumeType = ""
    private var year: Int?
    private var venue: String?
    private var booktitle = ""
    private var inMeta = false
    private var inPaper = false
    private var paperID = ""
    private var title = "", abstract = "", doi = ""
    private var retracted = false
    private var authors: [PaperAuthor] = []
    private var inAuthor = false
    /// `<variant>` spellings (other scripts) of an author's name are not the name itself.
    private var inVariant = false
    private var first = "", last = ""
    private var affiliations: [String] = []

    private var field = Field.none
    /// Depth of elements opened inside the captured one (inline markup).
    private var nested = 0
    private var text = TextBuffer()
    /// The paper's size and authors against the budget; over it, no more of the paper is kept.
    private var allowance = RecordAllowance()

    func startElement(_ name: XMLName, namespace: XMLName?, attributes: XMLAttributes) {
        if field != .none {
            nested += 1 // inline markup: keep gathering its text
            return
        }
        if inPaper {
            if name == "author" {
                inAuthor = true
                first = ""; last = ""; affiliations = []
            } else if inAuthor {
                if name == "variant" { inVariant = true; return }
                if inVariant { return }
                if name == "first" { begin(.first) } else if name == "last" { begin(.last) } else if name == "affiliation" { begin(.affiliation) }
            } else if name == "title" { begin(.title) }
            else if name == "abstract" { begin(.abstract) }
            else if name == "doi" { begin(.doi) }
            else if name == "retracted" { retracted = true }
            return
        }
        if inMeta {
            if name == "year" { begin(.year) }
            else if name == "venue", venue == nil { begin(.venue) }
            else if name == "booktitle" { begin(.booktitle) }
            return
        }
        if name == "paper" {
            inPaper = true
            paperID = attributes.value("id") ?? ""
            title = ""; abstract = ""; doi = ""; retracted = false; authors = []
            allowance.reset()
        } else if name == "meta" {
            inMeta = true
        } else if name == "frontmatter" {
            result.frontMatter += 1
        } else if name == "volume" {
            volume = attributes.value("id") ?? ""
            volumeType = attributes.value("type") ?? ""
            year = nil; venue = nil; booktitle = ""
            result.volumes += 1
        } else if name == "collection" {
            collection = attributes.value("id") ?? ""
        }
    }

    private func begin(_ f: Field) {
        field = f
        nested = 0
        text.removeAll()
    }

    func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        if field != .none { text.append(bytes) }
    }

    func endElement(_ name: XMLName, namespace: XMLName?) {
        if field != .none {
            if nested > 0 { nested -= 1; return }
            if inPaper { allowance.add(bytes: text.count) }
            let value = inPaper && allowance.problem != nil ? "" : text.normalized
            switch field {
            case .none: break
            case .title: title = value
            case .abstract: abstract = value
            case .first: first = value
            case .last: last = value
            case .affiliation: if !value.isEmpty { affiliations.append(value) }
            case .doi: doi = value
            case .year: year = Int(value.prefix(4))
            case .venue: if !value.isEmpty { venue = value.lowercased() }
            case .booktitle: booktitle = value
            }
            field = .none
            return
        }
        if inPaper {
            if name == "variant" { inVariant = false; return }
            if name == "author", inAuthor {
                inAuthor = false
                let full = [first, last].filter { !$0.isEmpty }.joined(separator: " ")
                if !full.isEmpty, allowance.addAuthor(), allowance.problem == nil { authors.append(PaperAuthor(name: full, affiliations: affiliations)) }
            } else if name == "paper" {
                inPaper = false
                finishPaper()
            }
            return
        }
        if name == "meta" { inMeta = false }
    }

    private func finishPaper() {
        let anthologyID = ACLAnthologyParser.anthologyID(collection: collection, volume: volume, paper: paperID)
        func rejectPaper(_ reason: String) {
            result.rejected += 1
            onPaper(.rejected(location: anthologyID, reason: reason, excerpt: title))
        }
        if let problem = allowance.problem { return rejectPaper(problem) }
        if collection.isEmpty || volume.isEmpty || paperID.isEmpty { return rejectPaper("paper without collection/volume/paper id") }
        if title.isEmpty { return rejectPaper("empty title") }
        if retracted { return rejectPaper("retracted") }
        if authors.isEmpty { return rejectPaper("no authors") }
        guard let year else { return rejectPaper("volume has no <year>") }
        var record = PaperRecord(id: "acl:" + anthologyID, source: "acl", title: title)
        record.year = year
        record.venue = venue
        record.abstract = abstract.isEmpty ? nil : abstract
        record.authors = authors
        record.doi = PaperIdentifiers.normalizeDOI(doi)
        if let d = record.doi, let arxiv = PaperIdentifiers.arxivID(fromDOI: d) { record.arxivID = arxiv }
        record.status = "accepted"
        var extra: [(String, JSONValue)] = [("anthology_id", .string(anthologyID))]
        if !booktitle.isEmpty { extra.append(("booktitle", .string(booktitle))) }
        if !volumeType.isEmpty { extra.append(("volume_type", .string(volumeType))) }
        record.extra = extra
        if authors.contains(where: { !$0.affiliations.isEmpty }) { result.withAffiliation += 1 }
        result.records += 1
        onPaper(.paper(record))
    }
}
