import DivideCore
import Foundation

/// Scores the classifiers against the hand-labeled samples (Tests/DivideClassifyTests/Fixtures):
/// affiliation strings labeled with their sector set, papers labeled with their primary topic.
/// The classify stage writes the figures to `stages/classify/validation.json` for the report.
public struct ClassificationValidation {
    public struct LabeledAffiliation {
        public let id: String
        public let affiliation: String
        /// Empty = unknown.
        public let sectors: [Sector]
    }

    public struct LabeledPaper {
        public let id: String
        public let input: TopicInput
        public let topic: String
    }

    public struct AffiliationScore {
        public var total = 0
        public var correct = 0
        public var errors: [(id: String, affiliation: String, expected: String, found: String)] = []
        public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }
    }

    public struct TopicScore {
        public var total = 0
        public var correct = 0
        public var truePositives = 0
        public var falsePositives = 0
        public var falseNegatives = 0
        public var errors: [(id: String, title: String, expected: String, found: String)] = []
        public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }
        public var precision: Double {
            truePositives + falsePositives == 0 ? 0 : Double(truePositives) / Double(truePositives + falsePositives)
        }
        public var recall: Double {
            truePositives + falseNegatives == 0 ? 0 : Double(truePositives) / Double(truePositives + falseNegatives)
        }
    }

    public static let focusTopic = "foundation-models"

    /// `id  source  affiliation  sectors` with `#` comments; sectors "+"-joined or `unknown`.
    public static func readAffiliations(path: String) throws -> [LabeledAffiliation] {
        let table = try ReferenceTable(path: path, requiredColumns: ["id", "affiliation", "sectors"])
        return try table.rows.map { row in
            let label = row["sectors"]
            let sectors = label == "unknown" ? [] : try Sector.parseSet(label, file: path, line: row.line)
            return LabeledAffiliation(id: row["id"], affiliation: row["affiliation"], sectors: sectors)
        }
    }

    /// JSON lines `{id, venue, year, title, keywords, abstract_excerpt, topic}`.
    public static func readPapers(path: String) throws -> [LabeledPaper] {
        var out: [LabeledPaper] = []
        try NDJSONReader(path: path).forEach { json, line in
            guard let topic = json["topic"]?.stringValue, let title = json["title"]?.stringValue else {
                throw DivideError(file: path, location: "line \(line)", reason: "labeled paper needs title and topic")
            }
            let keywords = (json["keywords"]?.stringValue ?? "").split(separator: ";").map {
                $0.trimmingWhitespace
            }.filter { !$0.isEmpty }
            let input = TopicInput(title: title, abstract: json["abstract_excerpt"]?.stringValue ?? "", keywords: keywords,
                                   categories: json["categories"]?.stringArray ?? [], venue: json["venue"]?.stringValue,
                                   year: json["year"]?.intValue)
            out.append(LabeledPaper(id: json["id"]?.stringValue ?? "line \(line)", input: input, topic: topic))
        }
        return out
    }

    public static func score(affiliations: [LabeledAffiliation], with classifier: SectorClassifier) -> AffiliationScore {
        var s = AffiliationScore()
        for a in affiliations {
            let found = classifier.sectors(affiliation: a.affiliation)
            s.total += 1
            if found == a.sectors { s.correct += 1 } else {
                s.errors.append((a.id, a.affiliation, label(a.sectors), label(found)))
            }
        }
        return s
    }

    public static func score(papers: [LabeledPaper], with classifier: TopicClassifier) -> TopicScore {
        var s = TopicScore()
        for p in papers {
            let found = classifier.classify(p.input).primary
            s.total += 1
            if found == p.topic { s.correct += 1 } else { s.errors.append((p.id, p.input.title, p.topic, found)) }
            let expectedFocus = p.topic == focusTopic, foundFocus = found == focusTopic
            if expectedFocus && foundFocus { s.truePositives += 1 }
            if !expectedFocus && foundFocus { s.falsePositives += 1 }
            if expectedFocus && !foundFocus { s.falseNegatives += 1 }
        }
        return s
    }

    static func label(_ sectors: [Sector]) -> String {
        sectors.isEmpty ? "unknown" : sectors.map(\.rawValue).joined(separator: "+")
    }

    static func round4(_ x: Double) -> Double { (x * 10000).rounded() / 10000 }

    /// The figures the report prints (`stages/classify/validation.json`).
    public static func json(affiliations: AffiliationScore, topics: TopicScore) -> JSONValue {
        .object([
            ("affiliation_sector", .object([
                ("labeled", .int(affiliations.total)),
                ("correct", .int(affiliations.correct)),
                ("accuracy", .double(round4(affiliations.accuracy))),
                ("rule", .string("exact match of the sector set named by the affiliation string (unknown = none)")),
            ])),
            ("topic", .object([
                ("labeled", .int(topics.total)),
                ("primary_accuracy", .double(round4(topics.accuracy))),
                ("focus_topic", .string(focusTopic)),
                ("focus_labeled", .int(topics.truePositives + topics.falseNegatives)),
                ("focus_true_positives", .int(topics.truePositives)),
                ("focus_false_positives", .int(topics.falsePositives)),
                ("focus_false_negatives", .int(topics.falseNegatives)),
                ("focus_precision", .double(round4(topics.precision))),
                ("focus_recall", .double(round4(topics.recall))),
            ])),
        ])
    }
}
