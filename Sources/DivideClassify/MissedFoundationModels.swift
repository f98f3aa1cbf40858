import DivideCore
import DivideStats
import Foundation

/// How many foundation-model papers the classifier misses, and whether the missed ones are
/// academic-only as often as the found ones (`missed_foundation_models` in validation.json).
/// Claim 2 is the academic-only share of foundation-model papers: misses that lean toward one
/// team type would bias it, so the report shows the check beside the share.
///
/// The sample (Tests/DivideClassifyTests/Fixtures/missed-fm-sample): papers drawn at random from a
/// pool fixed at the draw, the papers of `fromYear` on that the classifier did not put in
/// foundation-models although their title, keywords or abstract mention a weak cue (language
/// model, GPT, BERT, transformer, pre-training, prompt, diffusion, multimodal, …), labeled by hand
/// with the random sample's definitions. `design.json` records the pool's size and definition.
/// - rate = labeled foundation-model papers ÷ papers drawn, with a 95% Wilson interval; the
///   estimated misses of the classifier at the draw = pool × rate (interval: pool × the rate's);
/// - the sample's foundation-model papers this run classifies as such (the classifier improved
///   on them since the draw) and those it still misses;
/// - academic-only share among the still-missed ones with a known team type, Wilson, beside the
///   same share among all papers this run classifies foundation-models from `fromYear` on, and
///   that share standardized to the missed papers' years (Σ over years of the missed papers'
///   share of that year × the classified papers' academic-only share in it): the academic-only
///   share falls over the years, so a different mix of years alone would move the comparison.
public struct MissedFoundationModels {
    public struct Design {
        public let pool: Int
        public let fromYear: Int
        public let definition: String
    }

    public let design: Design
    /// Labeled foundation_model per drawn paper id.
    public let labels: [String: Bool]
    /// Per drawn paper this run classified: whether it is now in foundation-models, its year and team type.
    public private(set) var classified: [String: (foundationModel: Bool, year: Int?, team: TeamType)] = [:]
    /// Per year from `fromYear` on, the team types of the papers this run classifies foundation-models.
    public private(set) var classifiedTeams: [Int: [TeamType: Int]] = [:]

    /// `folder`: `design.json` (`{pool, from_year, definition}`) and `labels.jsonl` (the random
    /// sample's row format; `split` must be `development`: the rows are never held-out data).
    public static func read(folder: String) throws -> MissedFoundationModels {
        let designPath = folder + "/design.json"
        let json: JSONValue
        do { json = try JSONParser.parse(readFileBytes(path: designPath)) } catch let error as JSONParser.SyntaxError {
            throw DivideError(file: designPath, reason: "\(error)")
        }
        guard let pool = json["pool"]?.intValue, pool > 0, let fromYear = json["from_year"]?.intValue, let definition = json["definition"]?.stringValue else {
            throw DivideError(file: designPath, reason: "needs pool (a positive count), from_year and definition")
        }
        let sample = try RandomSampleValidation.read(path: folder + "/labels.jsonl")
        var labels: [String: Bool] = [:]
        for label in sample.labels.values {
            guard label.split == "development" else {
                throw DivideError(file: folder + "/labels.jsonl", reason: "paper \(label.id): the missed-foundation-models sample is development data only (split \(label.split))")
            }
            labels[label.id] = label.foundationModel
        }
        guard labels.count <= pool else { throw DivideError(file: designPath, reason: "pool \(pool) is smaller than the \(labels.count) papers drawn from it") }
        return MissedFoundationModels(design: Design(pool: pool, fromYear: fromYear, definition: definition), labels: labels)
    }

    /// Counts one classified paper: its team type when this run puts it in foundation-models from
    /// `fromYear` on, and, when it is one of the drawn papers, how this run classified it.
    public mutating func add(id: String, year: Int?, primaryTopic: String, team: TeamType) {
        let foundationModel = primaryTopic == ClassificationValidation.focusTopic
        if foundationModel, let year, year >= design.fromYear { classifiedTeams[year, default: [:]][team, default: 0] += 1 }
        if labels[id] != nil { classified[id] = (foundationModel, year, team) }
    }

    static func known(_ teams: [TeamType: Int]) -> Int { teams.filter { $0.key != .unknown }.values.reduce(0, +) }

    static func academicOnly(_ teams: [TeamType: Int]) -> WilsonInterval {
        WilsonInterval(successes: teams[.academicOnly] ?? 0, trials: known(teams))
    }

    /// The classified papers' academic-only share weighted by the missed papers' years (years
    /// without a classified paper of known team type left out of the weights).
    static func standardized(classified: [Int: [TeamType: Int]], missedYears: [Int: Int]) -> Double {
        let years = missedYears.keys.sorted().filter { known(classified[$0] ?? [:]) > 0 }
        let total = years.reduce(0) { $0 + missedYears[$1]! }
        var share = 0.0
        for y in years {
            let teams = classified[y]!
            share += Double(missedYears[y]!) / Double(total) * (Double(teams[.academicOnly] ?? 0) / Double(known(teams)))
        }
        return share
    }

    public var json: JSONValue {
        let drawn = labels.count
        let labeledFM = labels.values.filter { $0 }.count
        let rate = WilsonInterval(successes: labeledFM, trials: drawn)
        var foundNow = 0, missedTeams: [TeamType: Int] = [:], missedYears: [Int: Int] = [:]
        for (id, fm) in labels where fm {
            guard let c = classified[id] else { continue }
            if c.foundationModel { foundNow += 1; continue }
            missedTeams[c.team, default: 0] += 1
            if c.team != .unknown, let year = c.year { missedYears[year, default: 0] += 1 }
        }
        var allClassified: [TeamType: Int] = [:]
        for teams in classifiedTeams.values { allClassified.merge(teams, uniquingKeysWith: +) }
        let pool = Double(design.pool)
        return .object([
            ("method", .string("papers drawn at random from the pool, labeled by hand; rate with a 95% Wilson interval, misses at the draw = pool × rate; academic-only shares among known team types, Wilson; the classified papers' share also standardized to the missed papers' years")),
            ("pool", .int(design.pool)),
            ("from_year", .int(design.fromYear)),
            ("definition", .string(design.definition)),
            ("drawn", .int(drawn)),
            ("classified", .int(classified.count)),
            ("foundation_models_rate", RandomSampleValidation.interval(rate)),
            ("estimated_missed_at_draw", .object([("value", .int(Int((pool * rate.share).rounded()))), ("ci_low", .int(Int((pool * rate.low).rounded()))),
                                                  ("ci_high", .int(Int((pool * rate.high).rounded())))])),
            ("found_now", .int(foundNow)),
            ("still_missed", .int(missedTeams.values.reduce(0, +))),
            ("academic_only_share_still_missed", RandomSampleValidation.interval(MissedFoundationModels.academicOnly(missedTeams))),
            ("academic_only_share_classified", RandomSampleValidation.interval(MissedFoundationModels.academicOnly(allClassified))),
            ("academic_only_share_classified_missed_years",
             .double(ClassificationValidation.round4(MissedFoundationModels.standardized(classified: classifiedTeams, missedYears: missedYears)))),
        ])
    }
}
