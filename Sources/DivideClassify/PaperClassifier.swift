import Foundation
import DivideCore

/// One author of a classified paper: the sectors found and the evidence for each.
public struct ClassifiedAuthor: Equatable {
    public var name: String
    public var sectors: [Sector]
    public var evidence: [SectorEvidence]
    /// As the source gives them (passed through for the country tables).
    public var countries: [String] = []

    /// Some sector of this author was inferred by the name model (`OrganizationNameModel`).
    public var hasNameModelEvidence: Bool {
        evidence.contains { $0.target.organizationID.hasPrefix(OrganizationNameModel.idPrefix) }
    }

    /// The JSON of this value, written straight to bytes.
    public func write(to out: inout JSONSerializer) {
        out.writeRaw("{\"name\":")
        out.writeString(name)
        out.writeRaw(",\"sectors\":")
        out.writeSectors(sectors)
        out.writeRaw(",\"evidence\":[")
        for (i, e) in evidence.enumerated() {
            if i > 0 { out.writeRaw(",") }
            e.write(to: &out)
        }
        out.writeRaw("],\"countries\":")
        out.writeStrings(countries)
        out.writeRaw("}")
    }
}

extension JSONSerializer {
    mutating func writeStrings(_ strings: [String]) {
        writeRaw("[")
        for (i, s) in strings.enumerated() {
            if i > 0 { writeRaw(",") }
            writeString(s)
        }
        writeRaw("]")
    }

    mutating func writeSectors(_ sectors: [Sector]) {
        writeRaw("[")
        for (i, s) in sectors.enumerated() {
            if i > 0 { writeRaw(",") }
            writeString(s.rawValue)
        }
        writeRaw("]")
    }
}

/// One line of `stages/classify/papers.ndjson.gz` (contract in stages/classify/README.md).
public struct ClassifiedPaper {
    public var paper: PaperRecord
    public var authors: [ClassifiedAuthor]
    /// Sectors of the affiliations the source gives for the paper but not per author
    /// (PaperRecord `unassigned_affiliations` / `unassigned_domains`), with their evidence.
    public var unassigned: ClassifiedAuthor? = nil
    public var teamType: TeamType
    public var teamResolution: TeamResolution
    /// Authors with at least one known sector / all authors (nil when the paper lists none).
    public var affiliationCoverage: Double?
    public var topics: TopicAssignment
    public var computeIntensive: Bool
    /// The primary topic is in the fixed compute-intensive set (TopicComputeIntensity).
    public var computeIntensiveFixed = false
    public var modelMentions: [ModelMention]
    /// Developing or using foundation models, for papers whose primary topic is foundation-models.
    public var fmRole: FMRole? = nil

    /// The record as a value (tests, readers): the bytes `write(to:)` gives, parsed.
    public var json: JSONValue {
        var out = JSONSerializer()
        write(to: &out)
        return try! JSONParser.parse(out.bytes)
    }
    /// The stage's output line.
    public func write(to out: inout JSONSerializer) {
        out.writeRaw("{\"id\":")
        out.writeString(paper.id)
        out.writeRaw(",\"source\":")
        out.writeString(paper.source)
        out.writeRaw(",\"title\":")
        out.writeString(paper.title)
        out.writeRaw(",\"year\":")
        out.write(.optional(paper.year))
        out.writeRaw(",\"venue\":")
        out.write(.optional(paper.venue))
        out.writeRaw(",\"status\":")
        out.write(.optional(paper.status))
        out.writeRaw(",\"team_type\":")
        out.writeString(teamType.rawValue)
        out.writeRaw(",\"team_resolution\":")
        out.writeString(teamResolution.rawValue)
        out.writeRaw(",\"affiliation_coverage\":")
        out.write(.optional(affiliationCoverage.map { ($0 * 1000).rounded() / 1000 }))
        out.writeRaw(",\"authors\":[")
        for (i, a) in authors.enumerated() {
            if i > 0 { out.writeRaw(",") }
            a.write(to: &out)
        }
        out.writeRaw("],\"unassigned_sectors\":")
        out.writeSectors(unassigned?.sectors ?? [])
        out.writeRaw(",\"unassigned_evidence\":[")
        for (i, e) in (unassigned?.evidence ?? []).enumerated() {
            if i > 0 { out.writeRaw(",") }
            e.write(to: &out)
        }
        out.writeRaw("],\"topic\":")
        out.writeString(topics.primary)
        out.writeRaw(",\"topics\":")
        out.writeStrings(topics.topics)
        out.writeRaw(",\"topic_scores\":{")
        for (i, (topic, score)) in topics.scores.prefix(4).enumerated() {
            if i > 0 { out.writeRaw(",") }
            out.writeString(topic)
            out.writeRaw(":")
            out.write(.double(score))
        }
        out.writeRaw("},\"topic_evidence\":")
        out.writeStrings(topics.evidence)
        out.writeRaw(",\"compute_intensive\":")
        out.write(.bool(computeIntensive))
        out.writeRaw(",\"compute_intensive_fixed\":")
        out.write(.bool(computeIntensiveFixed))
        out.writeRaw(",\"model_mentions\":[")
        for (i, m) in modelMentions.enumerated() {
            if i > 0 { out.writeRaw(",") }
            m.write(to: &out)
        }
        out.writeRaw("],\"fm_role\":")
        out.write(.optional(fmRole?.rawValue))
        out.writeRaw("}")
    }
}

/// Classifies papers: sectors of every author (all affiliations, with evidence), team type,
/// topics, compute intensity and model mentions. Keeps only the registry in memory; papers stream.
public final class PaperClassifier {
    public let sectors: SectorClassifier
    public let topics: TopicClassifier
    public let models: ModelMentionFinder
    public let computeIntensity: TopicComputeIntensity
    /// Sets `fm_role` on foundation-model papers when present.
    public var fmRoles: FMRoleClassifier? = nil
    /// Decides the primary topic after the rules when present (trained once, shared read-only).
    public var topicModel: TopicModel? = nil
    private let normalizer = TextNormalizer(keepsDecimalPoints: true)

    public init(sectors: SectorClassifier, topics: TopicClassifier, models: ModelMentionFinder, computeIntensity: TopicComputeIntensity) {
        self.sectors = sectors
        self.topics = topics
        self.models = models
        self.computeIntensity = computeIntensity
    }

    /// Affiliation strings first; e-mail domains only for an author whose affiliations gave nothing
    /// (an old address must not add a second employer).
    public func classifyAuthor(_ author: PaperAuthor) -> ClassifiedAuthor {
        var evidence: [SectorEvidence] = []
        for affiliation in author.affiliations where !TextNormalizer.isBlank(affiliation) {
            for target in sectors.match(affiliation: affiliation) {
                evidence.append(SectorEvidence(kind: "affiliation", text: affiliation, target: target))
            }
        }
        if evidence.isEmpty {
            for domain in author.domains {
                if let target = sectors.registry.match(domain: domain),
                   !evidence.contains(where: { $0.target.organizationID == target.organizationID }) {
                    evidence.append(SectorEvidence(kind: "domain", text: domain, target: target))
                }
            }
        }
        return ClassifiedAuthor(name: author.name, sectors: PaperClassifier.distinctSorted(evidence), evidence: evidence,
                                countries: author.countries)
    }

    /// For each non-blank affiliation string, whether it produced affiliation evidence.
    static func matched(_ affiliations: [String], _ author: ClassifiedAuthor) -> [Bool] {
        affiliations.filter { !TextNormalizer.isBlank($0) }.map { a in author.evidence.contains { $0.kind == "affiliation" && $0.text == a && $0.target.sectors.contains { $0 != .unknown } } }
    }

    /// The distinct sectors of the evidence in `Sector` order (a set of five flags, no hashing).
    static func distinctSorted(_ evidence: [SectorEvidence]) -> [Sector] {
        if evidence.isEmpty { return [] }
        var seen = [Bool](repeating: false, count: Sector.allCases.count)
        for e in evidence {
            for s in e.target.sectors { seen[s.order] = true }
        }
        return Sector.allCases.filter { seen[$0.order] }
    }

    /// `unassignedAffiliations` / `unassignedDomains`: what the source lists for the paper without
    /// saying which author (paper lists that give each paper's unique affiliations). They count
    /// toward the team type like an extra author; authors themselves stay unknown.
    public func classify(_ paper: PaperRecord, unassignedAffiliations: [String] = [], unassignedDomains: [String] = []) -> ClassifiedPaper {
        let authors = paper.authors.map(classifyAuthor)
        var unassigned: ClassifiedAuthor? = nil
        if !unassignedAffiliations.isEmpty || !unassignedDomains.isEmpty {
            unassigned = classifyAuthor(PaperAuthor(name: "(unassigned)", affiliations: unassignedAffiliations, domains: unassignedDomains))
        }
        let team = TeamType(authorSectors: authors.map(\.sectors) + [unassigned?.sectors ?? []])
        let resolution = TeamResolution(
            authors: zip(paper.authors, authors).map { (PaperClassifier.matched($0.affiliations, $1), !$1.sectors.isEmpty) },
            unassigned: unassigned.map { PaperClassifier.matched(unassignedAffiliations, $0) } ?? [],
            teamKnown: team != .unknown)
        let known = authors.filter { !$0.sectors.isEmpty }.count
        let coverage = authors.isEmpty ? nil : Double(known) / Double(authors.count)
        // Title and abstract are tokenized once for topics, model mentions and fm_role.
        let title = ScannedText(paper.title, normalizer: normalizer)
        let abstract = ScannedText(paper.abstract ?? "", normalizer: normalizer)
        let assignment = topics.classify(TopicModel.input(paper), title: title, abstract: abstract, source: paper.source, model: topicModel)
        let mentions = models.find(scanned: [title, abstract], raw: [paper.title, paper.abstract ?? ""], year: paper.year)
        let fmRole = assignment.primary == ClassificationValidation.focusTopic
            ? fmRoles?.classify(title: title, abstract: abstract) : nil
        var classified = ClassifiedPaper(paper: paper, authors: authors, unassigned: unassigned, teamType: team, teamResolution: resolution, affiliationCoverage: coverage,
                               topics: assignment,
                               computeIntensive: computeIntensity.isComputeIntensive(topic: assignment.primary, year: paper.year),
                               modelMentions: mentions)
        classified.fmRole = fmRole
        classified.computeIntensiveFixed = computeIntensity.isComputeIntensiveFixed(topic: assignment.primary)
        return classified
    }
}

/// Unknown rates per venue-year: `stages/classify/unknown_rates.ndjson.gz`.
public struct UnknownRates {
    public struct Cell {
        public var papers = 0
        public var unknownTeam = 0
        public var authors = 0
        public var unknownAuthors = 0
    }

    public private(set) var cells: [String: [Int: Cell]] = [:]

    public init() {}

    /// What one paper adds to its venue-year: small enough to hand from a worker thread to the
    /// thread that counts, instead of the whole classified paper.
    public struct Entry {
        public let venue: String
        public let year: Int
        public let unknownTeam: Bool
        public let authors: Int
        public let unknownAuthors: Int

        public init(_ paper: ClassifiedPaper) {
            // Papers without a venue (arXiv preprints) are listed under their source, as in the tables.
            venue = paper.paper.venue ?? paper.paper.source
            year = paper.paper.year ?? 0
            unknownTeam = paper.teamType == .unknown
            authors = paper.authors.count
            unknownAuthors = paper.authors.filter { $0.sectors.isEmpty }.count
        }
    }

    public mutating func add(_ paper: ClassifiedPaper) { add(Entry(paper)) }

    public mutating func add(_ entry: Entry) {
        var cell = cells[entry.venue]?[entry.year] ?? Cell()
        cell.papers += 1
        if entry.unknownTeam { cell.unknownTeam += 1 }
        cell.authors += entry.authors
        cell.unknownAuthors += entry.unknownAuthors
        cells[entry.venue, default: [:]][entry.year] = cell
    }

    public var rows: [JSONValue] {
        var out: [JSONValue] = []
        for venue in cells.keys.sorted() {
            for year in cells[venue]!.keys.sorted() {
                let c = cells[venue]![year]!
                out.append(.object([
                    ("venue", .string(venue)),
                    ("year", year == 0 ? .null : .int(year)),
                    ("papers", .int(c.papers)),
                    ("team_unknown", .int(c.unknownTeam)),
                    ("team_unknown_rate", .double(UnknownRates.rate(c.unknownTeam, c.papers))),
                    ("authors", .int(c.authors)),
                    ("authors_unknown", .int(c.unknownAuthors)),
                    ("authors_unknown_rate", .double(UnknownRates.rate(c.unknownAuthors, c.authors))),
                ]))
            }
        }
        return out
    }

    static func rate(_ a: Int, _ b: Int) -> Double {
        b == 0 ? 0 : (Double(a) / Double(b) * 10000).rounded() / 10000
    }

    /// A plain-text table for stderr: one line per venue-year.
    public var table: String {
        var lines = ["venue        year   papers  team-unknown   authors  author-unknown"]
        for venue in cells.keys.sorted() {
            for year in cells[venue]!.keys.sorted() {
                let c = cells[venue]![year]!
                let v = venue.count > 12 ? String(venue.prefix(12)) : venue.padding(toLength: 12, withPad: " ", startingAt: 0)
                let y = year == 0 ? "   ?" : String(year)
                lines.append("\(v) \(y) \(pad(c.papers, 8)) \(pad(c.unknownTeam, 7)) \(percent(c.unknownTeam, c.papers)) \(pad(c.authors, 9)) \(pad(c.unknownAuthors, 8)) \(percent(c.unknownAuthors, c.authors))")
            }
        }
        return lines.joined(separator: "\n")
    }

    private func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: " ", count: max(0, width - s.count)) + s
    }

    private func percent(_ a: Int, _ b: Int) -> String {
        let p = b == 0 ? 0 : Double(a) / Double(b) * 100
        let s = String(Int((p * 10).rounded()) / 10) + "." + String(Int((p * 10).rounded()) % 10) + "%"
        return String(repeating: " ", count: max(0, 6 - s.count)) + s
    }
}
