/// Where a record came from: the upstream file and the line its row starts on.
public struct Provenance: Equatable, Hashable, Sendable {
    public var file: String
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var json: JSONValue { .object([("file", .string(file)), ("line", .int(line))]) }

    public init(json: JSONValue) throws {
        guard let file = try json.optionalString("file") else { throw RecordFieldError(field: "provenance.file", expected: "a string") }
        self.file = file
        guard case .int(let line)? = json["line"] else { throw RecordFieldError(field: "provenance.line", expected: "an integer") }
        self.line = line
    }
}

/// One ML model as an Epoch AI table describes it (parse), or merged across tables (dedupe).
public struct ModelRecord: JSONRecord, Equatable {
    /// `model:` + the normalized name; the key dedupe merges on.
    public var id: String
    public var name: String
    public var organizations: [String] = []
    /// Entries of Epoch's `Organization categorization`, one per listed organization, as written.
    public var organizationCategories: [String] = []
    /// ISO date `YYYY-MM-DD` (Epoch publishes full dates; a bare year is kept as `YYYY`).
    public var publicationDate: String?
    public var domains: [String] = []
    public var tasks: [String] = []
    public var parameters: Double?
    public var trainingComputeFLOP: Double?
    public var notabilityCriteria: [String] = []
    public var accessibility: String?
    public var baseModel: String?
    public var countries: [String] = []
    /// Title of the model's paper or announcement (Epoch's `Reference`).
    public var reference: String?
    public var abstract: String?
    public var link: String?
    /// Every source row behind this record, highest-priority table first.
    public var provenance: [Provenance] = []

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }

    /// Calendar year of publication, if the date is known.
    public var year: Int? {
        guard let date = publicationDate, date.count >= 4 else { return nil }
        return Int(date.prefix(4))
    }

    /// Publication date as a fractional year (2020-07-02 → ≈2020.50), for trend regressions.
    public var fractionalYear: Double? {
        guard let date = publicationDate else { return nil }
        let parts = date.split(separator: "-").compactMap { Int($0) }
        guard let y = parts.first else { return nil }
        let m = parts.count > 1 ? parts[1] : 7
        let d = parts.count > 2 ? parts[2] : 1
        let cumulative = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let daysInYear = leap ? 366.0 : 365.0
        let dayOfYear = Double(cumulative[max(0, min(11, m - 1))] + (leap && m > 2 ? 1 : 0) + d - 1)
        return Double(y) + dayOfYear / daysInYear
    }

    public var json: JSONValue {
        .object([
            ("id", .string(id)),
            ("name", .string(name)),
            ("organizations", .strings(organizations)),
            ("organization_categories", .strings(organizationCategories)),
            ("publication_date", .optional(publicationDate)),
            ("domains", .strings(domains)),
            ("tasks", .strings(tasks)),
            ("parameters", .optional(parameters)),
            ("training_compute_flop", .optional(trainingComputeFLOP)),
            ("notability_criteria", .strings(notabilityCriteria)),
            ("accessibility", .optional(accessibility)),
            ("base_model", .optional(baseModel)),
            ("countries", .strings(countries)),
            ("reference", .optional(reference)),
            ("abstract", .optional(abstract)),
            ("link", .optional(link)),
            ("provenance", .array(provenance.map(\.json))),
        ])
    }

    /// Strict: a field of the wrong type (a number for a name, a string for a list) is an error.
    public init(json: JSONValue) throws {
        guard let id = try json.optionalString("id"), !id.isEmpty else { throw RecordFieldError(field: "id", expected: "a non-empty string") }
        guard let name = try json.optionalString("name") else { throw RecordFieldError(field: "name", expected: "a string") }
        self.id = id
        self.name = name
        organizations = try json.stringList("organizations")
        organizationCategories = try json.stringList("organization_categories")
        publicationDate = try json.optionalString("publication_date")
        domains = try json.stringList("domains")
        tasks = try json.stringList("tasks")
        parameters = try json.optionalNumber("parameters")
        trainingComputeFLOP = try json.optionalNumber("training_compute_flop")
        notabilityCriteria = try json.stringList("notability_criteria")
        accessibility = try json.optionalString("accessibility")
        baseModel = try json.optionalString("base_model")
        countries = try json.stringList("countries")
        reference = try json.optionalString("reference")
        abstract = try json.optionalString("abstract")
        link = try json.optionalString("link")
        provenance = try json.list("provenance").map(Provenance.init(json:))
    }

    /// The merge key: case-folded, whitespace collapsed.
    public static func identifier(forName name: String) -> String {
        // An ASCII name (nearly all) is folded on its bytes: the same key, without the walk
        // over characters.
        let ascii = name.utf8.withContiguousStorageIfAvailable { bytes -> String? in
            bytes.allSatisfy { $0 < 0x80 } ? asciiIdentifier(bytes) : nil
        }
        if let key = ascii ?? nil { return key }
        return "model:" + name.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    private static func asciiIdentifier(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var key = Array("model:".utf8)
        key.reserveCapacity(6 + bytes.count)
        var pendingSpace = false
        for b in bytes {
            if b == 0x20 || (0x09...0x0D).contains(b) {
                pendingSpace = key.count > 6
                continue
            }
            if pendingSpace { key.append(0x20); pendingSpace = false }
            key.append((0x41...0x5A).contains(b) ? b | 0x20 : b)
        }
        return String(decoding: key, as: UTF8.self)
    }
}
