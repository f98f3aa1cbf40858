import DivideCore
import DivideStats
import Foundation

/// The topic classifier scored on the random labeled sample (Tests/DivideClassifyTests/Fixtures/
/// random-sample: papers drawn at random, seeded and stratified by year and source, labeled by
/// hand from title and abstract). The label rows hold no abstracts: the classify stage joins them
/// by paper id with the records it classifies, so the figures are those of the stage's own output.
/// The sample is split once into `development` (read while writing the rules) and `held-out`
/// (never read while writing them); the report quotes the held-out figures.
public struct RandomSampleValidation {
    public struct Label {
        public let id: String
        public let split: String
        public let topic: String
        public let foundationModel: Bool
        public let borderline: Bool
    }

    public static let splits = ["held-out", "development"]

    /// One split's counts. Foundation-model precision = classified FM that are labeled FM / all
    /// classified FM; recall = labeled FM classified FM / all labeled FM (the label's
    /// `foundation_model`, borderline cases as labeled); primary-topic accuracy = exact match of
    /// the primary topic. Each with a 95% Wilson score interval.
    public struct Score {
        public var labeled = 0
        public var topicCorrect = 0
        public var truePositives = 0
        public var falsePositives = 0
        public var falseNegatives = 0
        public var precision: WilsonInterval { WilsonInterval(successes: truePositives, trials: truePositives + falsePositives) }
        public var recall: WilsonInterval { WilsonInterval(successes: truePositives, trials: truePositives + falseNegatives) }
        public var accuracy: WilsonInterval { WilsonInterval(successes: topicCorrect, trials: labeled) }

        mutating func add(_ label: Label, found: String) {
            labeled += 1
            if found == label.topic { topicCorrect += 1 }
            let foundFM = found == ClassificationValidation.focusTopic
            if label.foundationModel && foundFM { truePositives += 1 }
            if !label.foundationModel && foundFM { falsePositives += 1 }
            if label.foundationModel && !foundFM { falseNegatives += 1 }
        }
    }

    public let labels: [String: Label]
    public private(set) var scores: [String: Score] = [:]
    /// The same with the papers labeled borderline left out.
    public private(set) var clearScores: [String: Score] = [:]
    /// Labeled ids the classified input did not contain.
    public var missing: Int { labels.count - scores.values.reduce(0) { $0 + $1.labeled } }

    public init(labels: [Label]) {
        self.labels = Dictionary(labels.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// A file of JSON lines, or a folder whose `*.jsonl` files are read in name order; rows
    /// `{id, split, topic, foundation_model, borderline, …}`.
    public static func read(path: String) throws -> RandomSampleValidation {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw DivideError(file: path, reason: "labeled sample not found")
        }
        let files = isFolder.boolValue
            ? try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".jsonl") }.sorted().map { path + "/" + $0 }
            : [path]
        var labels: [Label] = []
        var seen = Set<String>()
        for file in files {
            try NDJSONReader(path: file).forEach { json, line in
                func fail(_ reason: String) -> DivideError { DivideError(file: file, location: "line \(line)", reason: reason) }
                guard let id = json["id"]?.stringValue, let topic = json["topic"]?.stringValue else { throw fail("label needs id and topic") }
                guard let split = json["split"]?.stringValue, splits.contains(split) else { throw fail("split must be development or held-out") }
                guard let fm = json["foundation_model"]?.boolValue else { throw fail("foundation_model must be true or false") }
                guard seen.insert(id).inserted else { throw fail("paper \(id) is labeled twice") }
                labels.append(Label(id: id, split: split, topic: topic, foundationModel: fm,
                                    borderline: json["borderline"]?.boolValue ?? false))
            }
        }
        return RandomSampleValidation(labels: labels)
    }

    /// Counts one classified paper when it is labeled.
    public mutating func add(id: String, primaryTopic: String) {
        guard let label = labels[id] else { return }
        scores[label.split, default: Score()].add(label, found: primaryTopic)
        if !label.borderline { clearScores[label.split, default: Score()].add(label, found: primaryTopic) }
    }

    static func interval(_ w: WilsonInterval) -> JSONValue {
        .object([("value", .double(ClassificationValidation.round4(w.share))), ("ci_low", .double(ClassificationValidation.round4(w.low))),
                 ("ci_high", .double(ClassificationValidation.round4(w.high))), ("successes", .int(w.successes)), ("trials", .int(w.trials))])
    }

    public var json: JSONValue {
        let interval = RandomSampleValidation.interval
        var members: [(String, JSONValue)] = [
            ("method", .string("95% Wilson score intervals; foundation-model precision and recall against the label's foundation_model (borderline as labeled), primary-topic accuracy as exact match")),
            ("labels", .int(labels.count)),
            ("missing", .int(missing)),
        ]
        func figures(_ s: Score) -> [(String, JSONValue)] {
            [("labeled", .int(s.labeled)),
             ("foundation_models_labeled", .int(s.truePositives + s.falseNegatives)),
             ("foundation_models_precision", interval(s.precision)),
             ("foundation_models_recall", interval(s.recall)),
             ("primary_topic_accuracy", interval(s.accuracy))]
        }
        for split in RandomSampleValidation.splits {
            members.append((split, .object(figures(scores[split] ?? Score())
                + [("without_borderline", .object(figures(clearScores[split] ?? Score())))])))
        }
        return .object(members)
    }
}
