import DivideCore

/// Reads one file of `paper-affiliations/` (per-venue affiliation lists scraped from the
/// conferences' sites and Paper Copilot) into `PaperRecord`s, in the layout its `files.tsv` line
/// names (stages/parse/README.md documents each one and what is taken from it). Each layout is
/// a function from the file's bytes to records: a record past `RecordBudget` or without a title
/// or authors is rejected with the reason; a file that breaks its layout (no header, …) throws.
///
/// Status: files of role `affiliations` list accepted papers. A `submissions+affiliations` file
/// lists every submission: a record's own decision (`**Rating:** Poster`) marks it accepted,
/// else the decision of the same title in the venue-year's `decisions` file, else it is
/// `not-accepted` (rejected or withdrawn, the list does not say which); dedupe excludes the
/// submissions that are not accepted and counts them.
public struct SiteListParser {
    public struct FileResult: Equatable {
        public var records = 0
        public var rejected = 0
        /// Records with at least one institution (per author or per paper).
        public var withAffiliations = 0
        /// Markdown records by how their labels were read: `unshifted`, `shifted-1`, `shifted-2`.
        public var readAs: [String: Int] = [:]
        /// Emitted records by status.
        public var statuses: [String: Int] = [:]
        /// Where each record's status came from: `record`, `decisions-file`, `none` (submissions),
        /// `list` (a list of accepted papers).
        public var statusFrom: [String: Int] = [:]
        /// Decisions files: rows whose decision went onto a submissions-list record.
        public var joined = 0
        public init() {}
    }

    public let entry: SiteFileEntry
    /// The venue-year's decisions (for a submissions list or the decisions file itself).
    public let decisions: SiteDecisions?
    /// Decisions file: the title keys its venue-year's submissions lists hold (those rows only
    /// mark a record; the others become records of their own).
    public let listedTitles: Set<String>

    public init(entry: SiteFileEntry, decisions: SiteDecisions? = nil, listedTitles: Set<String> = []) {
        self.entry = entry
        self.decisions = decisions
        self.listedTitles = listedTitles
    }

    public typealias Reject = (_ location: String, _ reason: String, _ excerpt: String) throws -> Void

    /// `merged`: a decisions row whose decision went onto a submissions-list record instead.
    public func parse(bytes: [UInt8], displayName: String, emit: @escaping (PaperRecord) throws -> Void,
                      reject: @escaping Reject, merged: @escaping () -> Void = {}) throws -> FileResult {
        var state = Emitter(parser: self, displayName: displayName, emit: emit, reject: reject, merged: merged)
        switch entry.layout {
        case .siteText: try parseSiteText(bytes, &state)
        case .copilotMarkdown: try parseMarkdown(bytes, &state)
        case .speakerJSONL: try parseSpeakers(bytes, &state)
        case .scheduleCSV: try parseSchedule(bytes, displayName: displayName, &state)
        case .openreviewCSV: try parseDecisions(bytes, displayName: displayName, &state)
        }
        return state.result
    }

    // MARK: site-text

    /// Blank-line separated blocks: a title line, then `Name (Institution) · Name (Institution)`.
    func parseSiteText(_ bytes: [UInt8], _ out: inout Emitter) throws {
        var block: [(line: Int, text: String)] = []
        var blockBytes = 0
        func flush() throws {
            defer { block = []; blockBytes = 0 }
            guard let first = block.first else { return }
            let location = "line \(first.line)"
            guard blockBytes <= RecordBudget.maxRecordBytes else {
                return try out.reject(location, "block of \(blockBytes) bytes is over the record budget of \(RecordBudget.maxRecordBytes)", first.text)
            }
            guard block.count >= 2 else { return try out.reject(location, "title line without an author line", first.text) }
            var authors: [PaperAuthor] = []
            for line in block.dropFirst() {
                for part in SiteListParser.split(line.text, on: " · ") where !TextNormalizer.isBlank(part) {
                    guard let author = SiteListParser.siteTextAuthor(part) else {
                        return try out.reject("line \(line.line)", "unbalanced parentheses in author '\(part)'", first.text)
                    }
                    authors.append(author)
                }
            }
            try out.paper(location, title: first.text, authors: authors, status: nil)
        }
        for (index, line) in textLines(bytes).enumerated() {
            guard let text = try out.text(line, "line \(index + 1)") else { continue }
            if TextNormalizer.isBlank(text) { try flush(); continue }
            blockBytes += line.count
            if blockBytes <= RecordBudget.maxRecordBytes || block.isEmpty { block.append((index + 1, text)) }
        }
        try flush()
    }

    /// `Dhruv Batra (Georgia Tech / Facebook AI Research (FAIR))` → the name and one affiliation
    /// per ` / ` part of the outermost final parentheses; `Name ()` has none; nil when the final
    /// `)` has no matching `(`.
    static func siteTextAuthor(_ part: String) -> PaperAuthor? {
        let text = TextNormalizer.collapseWhitespace(part)
        guard text.hasSuffix(")") else { return PaperAuthor(name: text) }
        var depth = 0
        var open: String.Index?
        var i = text.endIndex
        while i > text.startIndex {
            i = text.index(before: i)
            if text[i] == ")" { depth += 1 }
            if text[i] == "(" {
                depth -= 1
                if depth == 0 { open = i; break }
            }
        }
        guard let open else { return nil }
        let name = text[..<open].trimmingWhitespace
        guard !name.isEmpty else { return nil }
        let inside = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        let affiliations = split(inside, on: " / ").map { TextNormalizer.collapseWhitespace($0) }.filter { !$0.isEmpty }
        return PaperAuthor(name: name, affiliations: uniqued(affiliations))
    }

    // MARK: copilot-markdown

    /// What a label's value holds, read from the content, not from the label.
    enum MarkdownValue: Equatable {
        case empty, decision(String), list([String]), phrase
    }

    /// Paper Copilot's decision words (case-folded) in `**Rating:**` / `**Presentation:**`.
    static let acceptedDecisions: Set<String> = ["poster", "oral", "spotlight", "top-5%", "top-25%"]

    static func markdownValue(_ raw: String) -> MarkdownValue {
        let value = TextNormalizer.collapseWhitespace(raw)
        if value.isEmpty || value == "-" { return .empty }
        if acceptedDecisions.contains(value.lowercased()) { return .decision(value) }
        if value.contains(";") {
            return .list(value.split(separator: ";").map { TextNormalizer.collapseWhitespace(String($0)) }.filter { !$0.isEmpty })
        }
        return .phrase
    }

    /// The labels in the order a record lists them; `Rating` and `Presentation` share the last.
    static let markdownLabels = ["Authors": 0, "Affiliation": 1, "Country": 2, "Rating": 3, "Presentation": 3]

    /// `## N. Title` blocks with `**Label:** value` lines. In some records every value sits one
    /// or two labels further down; the first `;` list is the authors, the next the paper's
    /// institutions (then its countries, not taken), whatever labels hold them. A primary-area
    /// phrase or `-` is no list; a decision word is the decision.
    func parseMarkdown(_ bytes: [UInt8], _ out: inout Emitter) throws {
        var title: (line: Int, text: String)?
        var values: [Int: String] = [:]
        var recordBytes = 0
        func flush() throws {
            defer { title = nil; values = [:]; recordBytes = 0 }
            guard let (line, text) = title else { return }
            let location = "line \(line)"
            guard recordBytes <= RecordBudget.maxRecordBytes else {
                return try out.reject(location, "record of \(recordBytes) bytes is over the record budget of \(RecordBudget.maxRecordBytes)", text)
            }
            var lists: [(position: Int, items: [String])] = []
            var decision: String?
            for position in 0...3 {
                switch SiteListParser.markdownValue(values[position] ?? "") {
                case let .list(items): lists.append((position, items))
                case let .decision(d) where position == 3: decision = d
                default: break
                }
            }
            guard let authors = lists.first else { return try out.reject(location, "no author list under any label", text) }
            out.result.readAs[authors.position == 0 ? "unshifted" : "shifted-\(authors.position)", default: 0] += 1
            let institutions = lists.count > 1 ? lists[1].items : []
            try out.paper(location, title: text, authors: authors.items.map { PaperAuthor(name: $0) }, unassigned: institutions,
                          status: decision, extra: [("read_as", .string(authors.position == 0 ? "unshifted" : "shifted-\(authors.position)"))])
        }
        for (index, line) in textLines(bytes).enumerated() {
            guard let text = try out.text(line, "line \(index + 1)") else { continue }
            if text.hasPrefix("## ") {
                try flush()
                title = (index + 1, SiteListParser.markdownTitle(text))
                recordBytes = line.count
                continue
            }
            guard title != nil else { continue }  // the `# Venue Year` heading
            recordBytes += line.count
            guard recordBytes <= RecordBudget.maxRecordBytes, text.hasPrefix("**"), let close = text.firstRange(of: ":**") else { continue }
            let label = String(text[text.index(text.startIndex, offsetBy: 2)..<close.lowerBound])
            if let position = SiteListParser.markdownLabels[label] { values[position] = String(text[close.upperBound...]) }
        }
        try flush()
    }

    /// `## 12. Title` → `Title`.
    static func markdownTitle(_ heading: String) -> String {
        var rest = heading.dropFirst(3)
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, rest.dropFirst(digits.count).hasPrefix(". ") { rest = rest.dropFirst(digits.count + 2) }
        return TextNormalizer.collapseWhitespace(String(rest))
    }

    // MARK: speaker-jsonl

    /// One JSON object a line: `{title, authors: [{name, affiliation, no}]}`; text carries
    /// literal `\xNN` escapes and HTML entities.
    func parseSpeakers(_ bytes: [UInt8], _ out: inout Emitter) throws {
        for (index, line) in textLines(bytes).enumerated() where !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
            let location = "line \(index + 1)"
            guard line.count <= RecordBudget.maxRecordBytes else {
                try out.reject(location, "line of \(line.count) bytes is over the record budget of \(RecordBudget.maxRecordBytes)", "")
                continue
            }
            let json: JSONValue
            do { json = try JSONParser.parse(Array(line)) } catch {
                try out.reject(location, "not JSON: \(error)", "")
                continue
            }
            guard let title = json["title"]?.exactString, let list = json["authors"]?.arrayValue else {
                try out.reject(location, "expected an object with a title string and an authors array", "")
                continue
            }
            let decode = { (s: String) in TextNormalizer.collapseWhitespace(HTMLEntities.decode(SiteListParser.decodeEscapes(s))) }
            var authors: [PaperAuthor] = []
            for item in list {
                guard let name = item["name"]?.stringValue else { continue }
                let affiliation = decode(item["affiliation"]?.stringValue ?? "")
                authors.append(PaperAuthor(name: decode(name), affiliations: affiliation.isEmpty ? [] : [affiliation]))
            }
            if authors.count < list.count {
                try out.reject(location, "\(list.count - authors.count) author(s) without a name string", title)
                continue
            }
            try out.paper(location, title: decode(title), authors: authors, status: nil)
        }
    }

    /// Python's escapes written out as text: `\xNN` (a Latin-1 code point), `\uNNNN`,
    /// `\UNNNNNNNN` and `\\`. Anything else after a backslash stays as written.
    public static func decodeEscapes(_ text: String) -> String {
        guard text.utf8.contains(0x5C) else { return text }
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if c == "\\", i + 1 < scalars.count {
                let digits: Int
                switch scalars[i + 1] {
                case "x": digits = 2
                case "u": digits = 4
                case "U": digits = 8
                case "\\":
                    out.append("\\")
                    i += 2
                    continue
                default: digits = 0
                }
                if digits > 0, i + 2 + digits <= scalars.count,
                   let value = UInt32(String(String.UnicodeScalarView(scalars[(i + 2)..<(i + 2 + digits)])), radix: 16),
                   let scalar = Unicode.Scalar(value) {
                    out.append(scalar)
                    i += 2 + digits
                    continue
                }
            }
            out.append(c)
            i += 1
        }
        return String(out)
    }

    // MARK: schedule-csv

    /// `Conference,Year,Title,Author,Affiliation`, one row per author; rows grouped into papers by
    /// conference, year and title, in order of first appearance.
    func parseSchedule(_ bytes: [UInt8], displayName: String, _ out: inout Emitter) throws {
        let rows = try CSVReader.rows(of: bytes)
        try SiteListParser.requireHeader(rows.first, ["Conference", "Year", "Title", "Author", "Affiliation"], displayName)
        var order: [String] = []
        var papers: [String: (line: Int, venue: String, year: Int, title: String, authors: [PaperAuthor], bytes: Int)] = [:]
        for row in rows.dropFirst() {
            let location = "line \(row.line)"
            guard let fields = try out.fields(row, count: 5) else { continue }
            guard let year = Int(fields[1].trimmingWhitespace), PaperRecord.plausibleYears.contains(year) else {
                try out.reject(location, "year '\(fields[1])' is not a year", fields[2])
                continue
            }
            let venue = entry.venue ?? fields[0].trimmingWhitespace.lowercased()
            let title = TextNormalizer.collapseWhitespace(fields[2])
            let key = "\(venue)\t\(year)\t\(title)"
            let affiliation = TextNormalizer.collapseWhitespace(fields[4])
            let author = PaperAuthor(name: TextNormalizer.collapseWhitespace(fields[3]), affiliations: affiliation.isEmpty ? [] : [affiliation])
            let size = fields.reduce(0) { $0 + $1.utf8.count }
            if papers[key] == nil {
                order.append(key)
                papers[key] = (row.line, venue, entry.year ?? year, title, [], 0)
            }
            papers[key]!.authors.append(author)
            papers[key]!.bytes += size
        }
        for key in order {
            let paper = papers.removeValue(forKey: key)!
            let location = "line \(paper.line)"
            guard paper.bytes <= RecordBudget.maxRecordBytes else {
                try out.reject(location, "paper of \(paper.bytes) bytes is over the record budget of \(RecordBudget.maxRecordBytes)", paper.title)
                continue
            }
            try out.paper(location, title: paper.title, authors: paper.authors, status: nil, venue: paper.venue, year: paper.year)
        }
    }

    // MARK: openreview-csv (decisions)

    /// A decisions file's own records: the rows whose title no submissions list of the venue-year
    /// holds, with their status and authors (names only: the `Affiliations` column is each
    /// author's oldest OpenReview position, not evidence). The other rows mark a listed record
    /// (`SiteDecisions`) and count as merged into it.
    func parseDecisions(_ bytes: [UInt8], displayName: String, _ out: inout Emitter) throws {
        let table = try SiteDecisions.read(bytes, displayName: displayName)
        for bad in table.rejects { try out.reject(bad.location, bad.reason, bad.excerpt) }
        for row in table.rows {
            if listedTitles.contains(row.titleKey) {
                out.result.joined += 1
                out.merged()
                continue
            }
            try out.paper("line \(row.line)", title: row.title, authors: row.authors.map { PaperAuthor(name: $0) }, status: row.decision)
        }
    }

    // MARK: helpers

    static func requireHeader(_ row: CSVReader.Row?, _ expected: [String], _ displayName: String) throws {
        guard let row, row.fields.map({ $0.trimmingWhitespace }) == expected else {
            throw DivideError(file: displayName, location: "line 1", reason: "expected the header \(expected.joined(separator: ",")), found \(row.map { $0.fields.joined(separator: ",") } ?? "nothing")")
        }
    }

    /// `text` cut at every `separator`, empty pieces kept.
    static func split(_ text: String, on separator: String) -> [String] {
        text.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
    }

    /// Normalizes a decision as the paper lists' statuses are: `Poster`, `Spotlight`, `Oral`,
    /// `Top-5%`, … → accepted; `Withdrawn` → withdrawn; `Desk Rejected` → rejected; and
    /// OpenReview's `Submitted to <venue>`, which is what a public submission that was not
    /// accepted shows once decisions are out → rejected.
    public static func normalizeDecision(_ raw: String) -> String {
        let s = raw.lowercased()
        if s.contains("withdraw") { return "withdrawn" }
        if s.contains("reject") || s.hasPrefix("submitted to") { return "rejected" }
        if acceptedDecisions.contains(where: { s.contains($0) }) { return "accepted" }
        return "not-accepted"
    }

    /// What every layout hands its records to: the shared checks, ids, status and counts.
    struct Emitter {
        let parser: SiteListParser
        let displayName: String
        let emit: (PaperRecord) throws -> Void
        let rejectLine: Reject
        var result = FileResult()
        let merged: () -> Void
        var ids = Set<String>()
        let normalizer = TextNormalizer()

        init(parser: SiteListParser, displayName: String, emit: @escaping (PaperRecord) throws -> Void, reject: @escaping Reject,
             merged: @escaping () -> Void) {
            self.parser = parser
            self.displayName = displayName
            self.emit = emit
            self.rejectLine = reject
            self.merged = merged
        }

        mutating func reject(_ location: String, _ reason: String, _ excerpt: String) throws {
            result.rejected += 1
            try rejectLine(location, reason, excerpt)
        }

        /// A line as text; invalid UTF-8 is rejected (nil).
        mutating func text(_ line: ArraySlice<UInt8>, _ location: String) throws -> String? {
            if let text = String(validating: line, as: UTF8.self) { return text }
            try reject(location, "not UTF-8", "")
            return nil
        }

        /// A CSV row's fields when it has `count` of them and is whole; else rejected (nil).
        mutating func fields(_ row: CSVReader.Row, count: Int) throws -> [String]? {
            let location = "line \(row.line)"
            if row.unterminatedQuote { try reject(location, "quoted field never closed", row.fields.first ?? ""); return nil }
            if row.invalidUTF8 { try reject(location, "not UTF-8", ""); return nil }
            guard row.fields.count == count else {
                try reject(location, "expected \(count) fields, found \(row.fields.count)", row.fields.first ?? "")
                return nil
            }
            return row.fields
        }

        /// One paper: checked against the budget and `validationProblem`, given its id and status.
        /// `status`: the record's own decision (nil: none).
        mutating func paper(_ location: String, title rawTitle: String, authors: [PaperAuthor], unassigned: [String] = [],
                            status decision: String?, venue: String? = nil, year: Int? = nil, extra: [(String, JSONValue)] = []) throws {
            let entry = parser.entry
            let title = TextNormalizer.collapseWhitespace(rawTitle)
            guard authors.count <= RecordBudget.maxAuthors else {
                return try reject(location, "\(authors.count) authors, over the budget of \(RecordBudget.maxAuthors)", title)
            }
            guard let venue = venue ?? entry.venue, let year = year ?? entry.year else {
                return try reject(location, "no venue or year (files.tsv gives *, the row none)", title)
            }
            let key = "\(venue)\(year)"
            let titleKey = normalizer.titleKey(title)
            var record = PaperRecord(id: "sites:\(key):t" + PaperListParser.titleHash(titleKey), source: "sites", title: title)
            record.venue = venue
            record.year = year
            record.authors = authors
            record.unassignedAffiliations = uniqued(unassigned)
            let (status, from) = parser.status(decision: decision, titleKey: titleKey)
            record.status = status
            record.extra = [("file", .string(displayName)), ("layout", .string(entry.layout.rawValue))] + extra
            if let decision { record.extra.append(("status_raw", .string(decision))) }
            if let problem = record.validationProblem { return try reject(location, problem, title) }
            guard ids.insert(record.id).inserted else { return try reject(location, "title repeated in the file", title) }
            result.records += 1
            result.statuses[status, default: 0] += 1
            result.statusFrom[from, default: 0] += 1
            if !record.unassignedAffiliations.isEmpty || record.authors.contains(where: { !$0.affiliations.isEmpty }) {
                result.withAffiliations += 1
            }
            try emit(record)
        }
    }

    /// A record's status and where it came from.
    func status(decision: String?, titleKey: String) -> (String, String) {
        if entry.role == .decisions { return (SiteListParser.normalizeDecision(decision ?? ""), "decisions-file") }
        if entry.role == .affiliations { return ("accepted", "list") }
        if let decision { return (SiteListParser.normalizeDecision(decision), "record") }
        if let row = decisions?.byTitleKey[titleKey] { return (row.status, "decisions-file") }
        return ("not-accepted", "none")
    }
}

/// The decisions of one venue-year's `openreview-csv` file (`Title,Authors,Affiliations,Decision`),
/// by title key. Only the Decision column (and the title and author names) are read.
public struct SiteDecisions: Sendable {
    public struct Row: Sendable {
        public var line: Int
        public var title: String
        public var titleKey: String
        public var authors: [String]
        public var decision: String
        public var status: String
    }

    public var rows: [Row] = []
    /// The row of each title key; a title listed twice keeps its accepted row if it has one.
    public var byTitleKey: [String: Row] = [:]
    public var rejects: [(location: String, reason: String, excerpt: String)] = []

    public static func read(_ bytes: [UInt8], displayName: String) throws -> SiteDecisions {
        let rows = try CSVReader.rows(of: bytes)
        try SiteListParser.requireHeader(rows.first, ["Title", "Authors", "Affiliations", "Decision"], displayName)
        var table = SiteDecisions()
        let normalizer = TextNormalizer()
        for row in rows.dropFirst() {
            let location = "line \(row.line)"
            let excerpt = row.fields.first ?? ""
            if row.unterminatedQuote || row.invalidUTF8 || row.fields.count != 4 {
                let reason = row.unterminatedQuote ? "quoted field never closed" : row.invalidUTF8 ? "not UTF-8" : "expected 4 fields, found \(row.fields.count)"
                table.rejects.append((location, reason, excerpt))
                continue
            }
            let title = TextNormalizer.collapseWhitespace(row.fields[0])
            let bytes = row.fields.reduce(0) { $0 + $1.utf8.count }
            guard bytes <= RecordBudget.maxRecordBytes else {
                table.rejects.append((location, "row of \(bytes) bytes is over the record budget of \(RecordBudget.maxRecordBytes)", excerpt))
                continue
            }
            let decision = TextNormalizer.collapseWhitespace(row.fields[3])
            let authors = row.fields[1].split(separator: ",").map { TextNormalizer.collapseWhitespace(String($0)) }.filter { !$0.isEmpty }
            let key = normalizer.titleKey(title)
            let parsed = Row(line: row.line, title: title, titleKey: key, authors: authors, decision: decision,
                             status: SiteListParser.normalizeDecision(decision))
            table.rows.append(parsed)
            if table.byTitleKey[key]?.status != "accepted" { table.byTitleKey[key] = parsed }
        }
        return table
    }
}
