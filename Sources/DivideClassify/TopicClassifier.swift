import DivideCore
import Foundation

/// The text of a paper (or an Epoch model) that topics are decided from.
public struct TopicInput {
    public var title: String
    public var abstract: String
    public var keywords: [String]
    public var categories: [String]
    public var venue: String?
    /// Epoch's `Domain` and `Task` values, when the input is an Epoch model.
    public var epochDomains: [String]
    public var epochTasks: [String]

    public init(title: String, abstract: String = "", keywords: [String] = [], categories: [String] = [], venue: String? = nil,
                epochDomains: [String] = [], epochTasks: [String] = []) {
        self.title = title
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

    public static func == (a: TopicAssignment, b: TopicAssignment) -> Bool {
        a.primary == b.primary && a.topics == b.topics
    }
}

/// Decides topics from arXiv categories, venue, keywords, title and abstract with the rules of
/// `reference/topic-rules.tsv` (format and scoring in reference/README.md).
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
    private var phrases = PhraseIndex<(topic: Int, weight: Double)>()
    private var categoryRules: [String: [(Int, Double)]] = [:]
    private var venueRules: [String: [(Int, Double)]] = [:]
    private var epochDomainRules: [String: [(Int, Double)]] = [:]
    private var epochTaskRules: [String: [(Int, Double)]] = [:]
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
        var phrases = PhraseIndex<(topic: Int, weight: Double)>()
        for row in table.rows where row["kind"] != "topic" {
            let kind = row["kind"]
            if kind == "setting" { settings[row["topic"]] = try number(row); continue }
            guard let t = index[row["topic"]] else {
                throw DivideError(file: table.path, location: "line \(row.line)", reason: "topic '\(row["topic"])' is not defined by a topic row")
            }
            let w = try number(row)
            switch kind {
            case "arxiv": categoryRules[row["pattern"].lowercased(), default: []].append((t, w))
            case "venue": venueRules[row["pattern"].lowercased(), default: []].append((t, w))
            case "epoch-domain": epochDomainRules[row["pattern"].lowercased(), default: []].append((t, w))
            case "epoch-task": epochTaskRules[row["pattern"].lowercased(), default: []].append((t, w))
            case "phrase":
                let tokens = normalizer.lowercaseTokens(row["pattern"]).map { ScannedText.hash(TextNormalizer.stem($0)) }
                guard !tokens.isEmpty else {
                    throw DivideError(file: table.path, location: "line \(row.line)", reason: "empty phrase")
                }
                phrases.add(tokens, (t, w))
            default:
                throw DivideError(file: table.path, location: "line \(row.line)", reason: "unknown kind '\(kind)' (topic, setting, arxiv, venue, epoch-domain, epoch-task, phrase)")
            }
        }
        self.phrases = phrases
        minPrimaryScore = settings["min_primary_score"] ?? 2
        secondaryFraction = settings["secondary_fraction"] ?? 0.15
        secondaryMinScore = settings["secondary_min_score"] ?? 4
        titleMultiplier = settings["title_multiplier"] ?? 2
    }


    /// Scores of every topic for the input.
    public func scores(_ input: TopicInput) -> [Double] {
        scores(input, title: nil, abstract: nil)
    }

    /// `title` / `abstract`: the scanned texts when the caller already has them, so a paper's
    /// text is tokenized once for topics and model mentions.
    func scores(_ input: TopicInput, title: ScannedText?, abstract: ScannedText?) -> [Double] {
        var score = [Double](repeating: 0, count: topics.count)
        for c in input.categories {
            for (t, w) in categoryRules[c.lowercased()] ?? [] { score[t] += w }
        }
        if let v = input.venue.flatMap(TopicClassifier.venueKey) {
            for (t, w) in venueRules[v] ?? [] { score[t] += w }
        }
        for d in input.epochDomains {
            for (t, w) in epochDomainRules[d.lowercased()] ?? [] { score[t] += w }
        }
        for task in input.epochTasks {
            for (t, w) in epochTaskRules[task.lowercased()] ?? [] { score[t] += w }
        }
        let fields: [(String, ScannedText?, Double)] = [
            (input.title, title, titleMultiplier),
            (input.keywords.joined(separator: " ; "), nil, titleMultiplier),
            (input.abstract, abstract, 1),
        ]
        var fired = Set<Int>()
        for (text, given, multiplier) in fields where !text.isEmpty {
            fired.removeAll(keepingCapacity: true)
            let tokens = (given ?? ScannedText(text, normalizer: normalizer)).stem
            phrases.occurrences(in: tokens) { _, p in
                if fired.insert(p).inserted {
                    let (t, w) = phrases.patterns[p].payload
                    score[t] += w * multiplier
                }
            }
        }
        return score
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
        let score = scores(input, title: title, abstract: abstract)
        var order = Array(0..<topics.count)
        order.sort { a, b in
            if score[a] != score[b] { return score[a] > score[b] }
            return topics[a].priority < topics[b].priority
        }
        let best = order[0]
        let primary = score[best] >= minPrimaryScore ? best : otherIndex
        var result = [topics[primary].id]
        let bar = max(minPrimaryScore, secondaryMinScore, secondaryFraction * score[primary])
        for t in order where t != primary && t != otherIndex && score[t] >= bar {
            result.append(topics[t].id)
        }
        let scored = order.filter { score[$0] > 0 }.map { (topics[$0].id, (score[$0] * 100).rounded() / 100) }
        return TopicAssignment(primary: topics[primary].id, topics: result, scores: scored)
    }
}
