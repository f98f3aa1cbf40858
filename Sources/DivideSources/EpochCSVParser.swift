import DivideCore

/// Reads Epoch AI model tables (RFC 4180 CSV) into `ModelRecord`s. Handles both schemas: the
/// 2023-12 export names the model column `System`, the 2025/2026 exports `Model`; the country
/// column has been `Country (from Organization)`, `Country (of organization)`.
public struct EpochCSVParser {
    public struct Result {
        public var records = 0
        public var rejected = 0
    }

    public init() {}

    /// Parses one table; `displayName` (the file's base name) goes into each record's provenance.
    /// Rows that cannot be a model go to `reject` with a reason; they never stop the file.
    public func parse(
        path: String,
        displayName: String,
        emit: (ModelRecord) throws -> Void,
        reject: (_ line: Int, _ reason: String, _ excerpt: String) throws -> Void
    ) throws -> Result {
        var result = Result()
        var columns: EpochColumns?
        try CSVReader(path: path).forEachRow { row in
            guard let cols = columns else {
                columns = try EpochColumns(header: row.fields, file: displayName)
                return
            }
            let excerpt = row.fields.prefix(3).joined(separator: ",")
            if row.unterminatedQuote {
                result.rejected += 1
                try reject(row.line, "unterminated quoted field", excerpt)
                return
            }
            if row.fields.count != cols.count {
                result.rejected += 1
                try reject(row.line, "row has \(row.fields.count) fields, header has \(cols.count)", excerpt)
                return
            }
            if row.invalidUTF8 {
                result.rejected += 1
                try reject(row.line, "invalid UTF-8", excerpt)
                return
            }
            switch makeRecord(row: row, columns: cols, file: displayName) {
            case let .success(record):
                result.records += 1
                try emit(record)
            case let .failure(problem):
                result.rejected += 1
                try reject(row.line, problem.reason, excerpt)
            }
        }
        if columns == nil { throw DivideError(file: displayName, reason: "empty file: no header row") }
        // A table with a header and no rows is a broken download, not an empty table.
        if result.records + result.rejected == 0 { throw DivideError(file: displayName, reason: "header only: no data rows") }
        return result
    }

    struct RowProblem: Error { let reason: String }

    func makeRecord(row: CSVReader.Row, columns c: EpochColumns, file: String) -> Swift.Result<ModelRecord, RowProblem> {
        let f = row.fields
        func value(_ i: Int?) -> String? {
            guard let i else { return nil }
            let v = TextNormalizer.removingInvisibleFormat(f[i]).trimmingWhitespace
            return v.isEmpty ? nil : v
        }
        func list(_ i: Int?) -> [String] {
            guard let v = value(i) else { return [] }
            return EpochCSVParser.listItems(v)
        }
        guard let name = value(c.name) else { return .failure(RowProblem(reason: "empty model name")) }
        if name.utf8.contains(0) { return .failure(RowProblem(reason: "model name contains a NUL byte")) }
        var record = ModelRecord(id: ModelRecord.identifier(forName: name), name: name)
        if let date = value(c.publicationDate) {
            guard let iso = EpochCSVParser.isoDate(date) else {
                if let year = Int(date.prefix(4)), date.count >= 4, !(EpochCSVParser.years).contains(year) {
                    return .failure(RowProblem(reason: "publication year out of range \(EpochCSVParser.years.lowerBound)–\(EpochCSVParser.years.upperBound) '\(date.prefix(40))'"))
                }
                return .failure(RowProblem(reason: "unparseable publication date '\(date.prefix(40))'"))
            }
            record.publicationDate = iso
        }
        if let compute = value(c.trainingCompute) {
            guard let flop = Double(compute), flop.isFinite, flop > 0 else {
                return .failure(RowProblem(reason: "training compute is not a positive number: '\(compute.prefix(40))'"))
            }
            record.trainingComputeFLOP = flop
        }
        if let p = value(c.parameters) { record.parameters = Double(p) }
        record.organizations = list(c.organization)
        record.organizationCategories = list(c.organizationCategorization)
        record.domains = list(c.domain)
        record.tasks = list(c.task)
        record.notabilityCriteria = list(c.notabilityCriteria)
        record.accessibility = value(c.accessibility)
        record.baseModel = value(c.baseModel)
        record.countries = list(c.country)
        record.reference = value(c.reference)
        record.abstract = value(c.abstract)
        record.link = value(c.link)
        record.provenance = [Provenance(file: file, line: row.line)]
        return .success(record)
    }

    /// The comma-separated items of a cell, trimmed, empty ones dropped. An ASCII cell is split
    /// on its bytes (there a comma is always a character of its own); any other is split by
    /// characters.
    static func listItems(_ cell: String) -> [String] {
        let ascii = cell.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.allSatisfy { $0 < 0x80 } ? asciiListItems(bytes) : nil
        }
        if let items = ascii ?? nil { return items }
        return cell.split(separator: ",").map { String($0).trimmingWhitespace }.filter { !$0.isEmpty }
    }

    private static func asciiListItems(_ bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (0x09...0x0D).contains(b) }
        var items: [String] = []
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x2C { end += 1 }
            var first = start, last = end
            while first < last && isSpace(bytes[first]) { first += 1 }
            while last > first && isSpace(bytes[last - 1]) { last -= 1 }
            if first < last { items.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[first..<last]), as: UTF8.self)) }
            start = end + 1
        }
        return items
    }

    /// `YYYY-MM-DD` (also accepts `YYYY-MM-DD hh:mm…`, `YYYY-MM`, `YYYY`); nil when not a date.
    /// Publication years accepted; a date outside is a data error (year 0, 3000).
    static let years = 1900...2100

    static func isoDate(_ text: String) -> String? {
        let head = text.prefix(10)
        let parts = head.split(separator: "-", omittingEmptySubsequences: false)
        // Digits only: `Int` alone would take "+1" as a month.
        func number(_ part: Substring, digits: Int) -> Int? {
            part.count == digits && part.utf8.allSatisfy { (48...57).contains($0) } ? Int(part) : nil
        }
        guard (1...3).contains(parts.count), let y = number(parts[0], digits: 4), years.contains(y) else { return nil }
        if parts.count >= 2 { guard let m = number(parts[1], digits: 2), (1...12).contains(m) else { return nil } }
        if parts.count == 3 {
            guard let m = Int(parts[1]), let d = number(parts[2], digits: 2), (1...daysIn(month: m, year: y)).contains(d) else { return nil }
        }
        return String(head)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// Column positions of one Epoch table, found by header name.
struct EpochColumns {
    let count: Int
    let name: Int
    let organization: Int?
    let organizationCategorization: Int?
    let publicationDate: Int?
    let domain: Int?
    let task: Int?
    let parameters: Int?
    let trainingCompute: Int?
    let notabilityCriteria: Int?
    let accessibility: Int?
    let baseModel: Int?
    let country: Int?
    let reference: Int?
    let abstract: Int?
    let link: Int?

    init(header: [String], file: String) throws {
        var index: [String: Int] = [:]
        for (i, h) in header.enumerated() where index[h.trimmingWhitespace] == nil { index[h.trimmingWhitespace] = i }
        guard let name = index["Model"] ?? index["System"] else {
            throw DivideError(file: file, location: "line 1", reason: "header has neither a 'Model' nor a 'System' column")
        }
        count = header.count
        self.name = name
        organization = index["Organization"]
        organizationCategorization = index["Organization categorization"]
        publicationDate = index["Publication date"]
        domain = index["Domain"]
        task = index["Task"]
        parameters = index["Parameters"]
        trainingCompute = index["Training compute (FLOP)"]
        notabilityCriteria = index["Notability criteria"]
        accessibility = index["Model accessibility"] ?? index["Open-source"]
        baseModel = index["Base model"]
        country = index["Country (of organization)"] ?? index["Country (from Organization)"]
        reference = index["Reference"]
        abstract = index["Abstract"]
        link = index["Link"]
    }
}
