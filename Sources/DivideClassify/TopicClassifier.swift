import DivideCore
import Foundation

/// The text of a paper (or an Epoch model) that topics are decided from.
public struct TopicInput {
    public var title: String
    public var abstract: String
    public var keywords: [String]
    public var categories: [String]
    public var venue: String?
    /// Publication year (nil = unknown): old papers need an explicit cue for a strong-cue topic.
    public var year: Int?
    /// Epoch's `Domain` and `Task` values, when the input is an Epoch model.
    public var epochDomains: [String]
    public var epochTasks: [String]

    public init(title: String, abstract: String = "", keywords: [String] = [], categories: [String] = [], venue: String? = nil,
                year: Int? = nil, epochDomains: [String] = [], epochTasks: [String] = []) {
        self.title = title
        self.year = year
        self.abstract = abstract
        self.keywords = keywords
        self.categories = categories
        self.venue = venue
        self.epochDomains = epochDomains
        self.epochTasks = epochTasks
    }
}

/// A paper's topics: the primary one and the secondary ones, with the scores behind them.
public struct TopicAssignment: Equatable {
    public var primary: String
    /// Primary first, then secondary topics by score.
    public var topics: [String]
    public var scores: [(String, Double)]
    /// What decided the primary topic, for audit: the rules of that topic that fired
    /// (`title:large language model*`, `arxiv:cs.CL`; `*` = a strong cue) and the decision
    /// rules that applied (`decision:…`).
    public var evidence: [String] = []

    public static func == (a: TopicAssignment, b: TopicAssignment) -> Bool {
        a.primary == b.primary && a.topics == b.topics
    }
}

/// Decides topics from arXiv categories, venue, keywords, title and abstract with the rules of
/// `reference/topic-rules.tsv` (format and scoring in reference/README.md). A topic with
/// `strong` rows (foundation-models) needs one of them to fire to be primary or secondary — a
/// generic cue ("scaling law", "pre-training") alone never makes it; when a strong cue is in
/// the title (and the topic reaches the secondary bar) the paper's object is such a model and
/// the topic wins over the task topics (`strong_title_wins`); before `explicit_cue_before_year` the strong cue must be in the title
/// or keywords.
public final class TopicClassifier {
    public struct Topic {
        public let id: String
        public let definition: String
        public let priority: Double
    }

    public let topics: [Topic]
    public let minPrimaryScore: Double
    public let secondaryFraction: Double
    public let secondaryMinScore: Double
    public let titleMultiplier: Double
    public let strongTitleWins: Bool
    public let explicitCueBeforeYear: Int?
    /// One entry per rule row, for evidence.
    private var rules: [(topic: Int, pattern: String, strong: Bool)] = []
    private var phrases = PhraseIndex<Rule>()
    private var categoryRules: [String: [Rule]] = [:]
    private var venueRules: [String: [Rule]] = [:]
    private var epochDomainRules: [String: [Rule]] = [:]
    private var epochTaskRules: [String: [Rule]] = [:]
    /// Topics that have strong rows.
    private var needsStrongCue: [Bool] = []

    struct Rule {
        let topic: Int
        let weight: Double
        let id: Int
        /// The rule counts only for papers of this year or later (unknown year: counts).
        let fromYear: Int?
    }
    private let normalizer = TextNormalizer(keepsDecimalPoints: true)
    private let otherIndex: Int

    public static let fallbackTopic = "other"
    public static let columns = ["kind", "topic", "pattern", "weight"]

    public convenience init(path: String) throws {
        try self.init(table: ReferenceTable(path: path, requiredColumns: TopicClassifier.columns))
    }

    public convenience init(text: String, path: String = "topic-rules.tsv") throws {
        try self.init(table: ReferenceTable(text: text, path: path, requiredColumns: TopicClassifier.columns))
    }

    init(table: ReferenceTable) throws {
        var topics: [Topic] = []
        var settings: [String: Double] = [:]
        func number(_ row: ReferenceTable.Row) throws -> Double {
            guard let w = Double(row["weight"]) else {
                throw DivideError(file: table.path, location: "line \(row.line)", reason: "weight '\(row["weight"])' is not a number")
            }
            return w
        }
        for row in table.rows where row["kind"] == "topic" {
            topics.append(Topic(id: row["topic"], definition: row["pattern"], priority: try number(row)))
        }
        guard let other = topics.firstIndex(where: { $0.id == TopicClassifier.fallbackTopic }) else {
            throw DivideError(file: table.path, reason: "the taxonomy must define the topic '\(TopicClassifier.fallbackTopic)'")
        }
        self.topics = topics
        otherIndex = other
        let index = Dictionary(topics.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var phrases = PhraseIndex<Rule>()
        needsStrongCue = [Bool](repeating: false, count: topics.count)
        for row in table.rows where row["kind"] != "topic" {
            let kind = row["kind"]
            if kind == "setting" { settings[row["topic"]] = try number(row); continue }
            guard let t = index[row["topic"]] else {
                throw DivideError(file: table.path, location: "line \(row.line)", reason: "topic '\(row["topic"])' is not defined by a topic row")
            }
            // Epoch's own domain and task labels are explicit, so they are strong cues too.
            let strong = kind == "strong" || kind.hasPrefix("epoch-")
            if kind == "strong" { needsStrongCue[t] = true }
            let from = row["from_year"]
            guard from.isEmpty || from == "-" || Int(from) != nil else {
                throw DivideError(file: table.path, location: "line \(row.line)", reason: "from_year '\(from)' is not a year")
            }
            let rule = Rule(topic: t, weight: try number(row), id: rules.count, fromYear: Int(from))
            rules.append((t, row["pattern"], strong))
            switch kind {
            case "arxiv": categoryRules[row["pattern"].lowercased(), default: []].append(rule)
            case "venue": venueRules[row["pattern"].lowercased(), default: []].append(rule)
            case "epoch-domain": epochDomainRules[row["pattern"].lowercased(), default: []].append(rule)
            case "epoch-task": epochTaskRules[row["pattern"].lowercased(), default: []].append(rule)
            case "phrase", "strong":
                let tokens = normalizer.lowercaseTokens(row["pattern"]).map { ScannedText.hash(TextNormalizer.stem($0)) }
                guard !tokens.isEmpty else {
                    throw DivideError(file: table.path, location: "line \(row.line)", reason: "empty phrase")
                }
                phrases.add(tokens, rule)
            default:
                throw DivideError(file: table.path, location: "line \(row.line)", reason: "unknown kind '\(kind)' (topic, setting, arxiv, venue, epoch-domain, epoch-task, phrase, strong)")
            }
        }
        self.phrases = phrases
        minPrimaryScore = settings["min_primary_score"] ?? 2
        secondaryFraction = settings["secondary_fraction"] ?? 0.15
        secondaryMinScore = settings["secondary_min_score"] ?? 4
        titleMultiplier = settings["title_multiplier"] ?? 2
        strongTitleWins = (settings["strong_title_wins"] ?? 0) != 0
        explicitCueBeforeYear = settings["explicit_cue_before_year"].map { Int($0) }
    }

    /// The rules that fired for one input: per field, the rule ids (a phrase once per field).
    struct Firing {
        var score: [Double]
        /// (field, rule id): field is `title`, `keywords`, `abstract`, or the rule's kind
        /// (`arxiv`, `venue`, `epoch-domain`, `epoch-task`).
        var fired: [(field: String, rule: Int)] = []
    }


    /// Scores of every topic for the input.
    public func scores(_ input: TopicInput) -> [Double] {
        fire(input, title: nil, abstract: nil).score
    }

    /// `title` / `abstract`: the scanned texts when the caller already has them, so a paper's
    /// text is tokenized once for topics and model mentions.
    func fire(_ input: TopicInput, title: ScannedText?, abstract: ScannedText?) -> Firing {
        var firing = Firing(score: [Double](repeating: 0, count: topics.count))
        func add(_ rule: Rule, field: String, multiplier: Double = 1) {
            if let from = rule.fromYear, let year = input.year, year < from { return }
            firing.score[rule.topic] += rule.weight * multiplier
            firing.fired.append((field, rule.id))
        }
        for c in input.categories {
            for rule in categoryRules[c.lowercased()] ?? [] { add(rule, field: "arxiv") }
        }
        if let v = input.venue.flatMap(TopicClassifier.venueKey) {
            for rule in venueRules[v] ?? [] { add(rule, field: "venue") }
        }
        for d in input.epochDomains {
            for rule in epochDomainRules[d.lowercased()] ?? [] { add(rule, field: "epoch-domain") }
        }
        for task in input.epochTasks {
            for rule in epochTaskRules[task.lowercased()] ?? [] { add(rule, field: "epoch-task") }
        }
        let fields: [(String, String, ScannedText?, Double)] = [
            ("title", input.title, title, titleMultiplier),
            ("keywords", input.keywords.joined(separator: " ; "), nil, titleMultiplier),
            ("abstract", input.abstract, abstract, 1),
        ]
        var seen = Set<Int>()
        for (field, text, given, multiplier) in fields where !text.isEmpty {
            seen.removeAll(keepingCapacity: true)
            let tokens = (given ?? ScannedText(text, normalizer: normalizer)).stem
            phrases.occurrences(in: tokens) { _, p in
                if seen.insert(p).inserted { add(phrases.patterns[p].payload, field: field, multiplier: multiplier) }
            }
        }
        return firing
    }

    /// "acl-long" / "iclr" / "3dv" → the venue id the rules use: the leading run of letters and
    /// digits, lower-cased.
    static func venueKey(_ venue: String) -> String? {
        let key = venue.lowercased().unicodeScalars.prefix { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        return key.isEmpty ? nil : String(String.UnicodeScalarView(key))
    }

    public func classify(_ input: TopicInput) -> TopicAssignment {
        classify(input, title: nil, abstract: nil)
    }

    func classify(_ input: TopicInput, title: ScannedText?, abstract: ScannedText?) -> TopicAssignment {
        decide(input, firing: fire(input, title: title, abstract: abstract))
    }

    /// Every rule row (pattern, whether it is a strong cue), in file order: rule ids index it.
    var ruleList: [(pattern: String, strong: Bool)] { rules.map { ($0.pattern, $0.strong) } }

    /// What the topic model reads from the rules for one input: the firing and where the strong
    /// cues of `topic` fired (title or keywords, abstract).
    func facts(_ input: TopicInput, title: ScannedText?, abstract: ScannedText?, topic: Int) -> TopicModel.RuleFacts {
        facts(fire(input, title: title, abstract: abstract), topic: topic)
    }

    func facts(_ firing: Firing, topic: Int) -> TopicModel.RuleFacts {
        let strong = firing.fired.filter { rules[$0.rule].strong && rules[$0.rule].topic == topic }
        return TopicModel.RuleFacts(firing: firing, strongInTitle: strong.contains { $0.field != "abstract" },
                                    strongInAbstract: strong.contains { $0.field == "abstract" })
    }

    /// The rules' assignment, and then the model's when one is given.
    func classify(_ input: TopicInput, title: ScannedText, abstract: ScannedText, source: String, model: TopicModel?) -> TopicAssignment {
        let firing = fire(input, title: title, abstract: abstract)
        let assignment = decide(input, firing: firing)
        guard let model else { return assignment }
        var decided = model.decide(rules: assignment, facts: facts(firing, topic: model.fmTopic), title: title, abstract: abstract,
                                   year: input.year, source: source)
        if decided.primary != assignment.primary, let t = topics.firstIndex(where: { $0.id == decided.primary }) {
            // The rules that fired for the model's topic, then the rules' own decisions and the model's.
            decided.evidence = ruleEvidence(firing, topic: t) + ["decision:the model overrides the rules' \(assignment.primary)"]
                + decided.evidence.filter { $0.hasPrefix("decision:") || $0.hasPrefix("model:") || $0.hasPrefix("feature:") }
        }
        return decided
    }

    private func ruleEvidence(_ firing: Firing, topic: Int) -> [String] {
        firing.fired.filter { rules[$0.rule].topic == topic }.map { f in
            "\(f.field):\(rules[f.rule].pattern)\(rules[f.rule].strong ? "*" : "")"
        }
    }

    private func decide(_ input: TopicInput, firing: Firing) -> TopicAssignment {
        let score = firing.score
        var decisions: [String] = []
        // Which strong-cue topics may be primary, and which have their cue in the title.
        var allowed = [Bool](repeating: true, count: topics.count)
        var inTitle = [Bool](repeating: false, count: topics.count)
        var explicitOnly = false
        if let before = explicitCueBeforeYear, let year = input.year { explicitOnly = year < before }
        for t in topics.indices where needsStrongCue[t] {
            let strong = firing.fired.filter { rules[$0.rule].strong && rules[$0.rule].topic == t }
            let titled = strong.contains { $0.field != "abstract" }
            inTitle[t] = titled
            allowed[t] = explicitOnly ? titled : !strong.isEmpty
            if !allowed[t] && score[t] > 0 {
                decisions.append("decision:no \(topics[t].id) without a strong cue" + (explicitOnly ? " in the title before \(explicitCueBeforeYear!)" : ""))
            }
        }
        var ranked = Array(0..<topics.count)
        ranked.sort { a, b in
            if score[a] != score[b] { return score[a] > score[b] }
            return topics[a].priority < topics[b].priority
        }
        let order = ranked.filter { allowed[$0] }
        var best = order[0]
        // A title cue must weigh like a secondary topic: a bare "CLIP-based" does not make the model the object.
        if strongTitleWins, let titled = order.first(where: { inTitle[$0] && score[$0] >= max(minPrimaryScore, secondaryMinScore) }),
           titled != best {
            decisions.append("decision:\(topics[titled].id) wins: a strong cue in the title (over \(topics[best].id))")
            best = titled
        }
        let primary = score[best] >= minPrimaryScore ? best : otherIndex
        var result = [topics[primary].id]
        let bar = max(minPrimaryScore, secondaryMinScore, secondaryFraction * score[primary])
        for t in order where t != primary && t != otherIndex && score[t] >= bar {
            result.append(topics[t].id)
        }
        let scored = ranked.filter { score[$0] > 0 }.map { (topics[$0].id, (score[$0] * 100).rounded() / 100) }
        let evidence = ruleEvidence(firing, topic: primary) + decisions
        return TopicAssignment(primary: topics[primary].id, topics: result, scores: scored, evidence: evidence)
    }
}
