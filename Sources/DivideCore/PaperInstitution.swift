/// An institution an author is affiliated with, as a source that resolves affiliations gives it
/// (OpenAlex: `authorships[].institutions[]`). Kept as evidence for the sector classification:
/// the ROR id ties it to the registry; `types` keeps every type given (an institution can be both
/// `education` and `funder`), as written upstream.
public struct PaperInstitution: Equatable, Sendable {
    public var name: String
    /// ROR id without the resolver (`05dxps055`), when given.
    public var ror: String?
    /// ISO 3166-1 alpha-2 country code, when given.
    public var countryCode: String?
    public var types: [String]
    /// The source's own id (`openalex:I157725225`).
    public var sourceID: String?

    public init(name: String, ror: String? = nil, countryCode: String? = nil, types: [String] = [], sourceID: String? = nil) {
        self.name = name
        self.ror = ror
        self.countryCode = countryCode
        self.types = types
        self.sourceID = sourceID
    }

    public var json: JSONValue {
        .object([
            ("name", .string(name)), ("ror", .optional(ror)), ("country_code", .optional(countryCode)),
            ("types", .strings(types)), ("source_id", .optional(sourceID)),
        ])
    }

    public init(json: JSONValue) throws {
        name = try json.requireString("name")
        ror = json["ror"]?.stringValue
        countryCode = json["country_code"]?.stringValue
        types = json["types"]?.stringArray ?? []
        sourceID = json["source_id"]?.stringValue
    }
}
