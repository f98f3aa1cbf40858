import DivideCore
import DivideStats

/// Eras for comparing the training compute of topics (the year a paper or model was published).
public enum ComputeEra: String, CaseIterable, Sendable {
    case before2012 = "≤2011"
    case deepLearning = "2012–2017"
    case pretraining = "2018–2021"
    case foundationModels = "2022–"
    /// Not an era of its own: the whole analysis window, for the fixed compute-intensive topic
    /// set (defined once from every notable model of 2012 on, so it does not change with time).
    case wholeWindow = "2012– (fixed set)"

    public init(year: Int) {
        switch year {
        case ..<2012: self = .before2012
        case 2012...2017: self = .deepLearning
        case 2018...2021: self = .pretraining
        default: self = .foundationModels
        }
    }
}

/// One row of `stages/classify/topic_compute.ndjson.gz`: a topic's notable Epoch models in an era.
public struct TopicComputeRow: Equatable {
    public var era: ComputeEra
    public var topic: String
    public var models: Int
    public var medianFLOP: Double?
    /// 1 = highest median in the era among topics with at least `minimumModels` models.
    public var rank: Int?
    public var computeIntensive: Bool

    public var json: JSONValue {
        .object([
            ("era", .string(era.rawValue)),
            ("topic", .string(topic)),
            ("models", .int(models)),
            ("median_training_compute_flop", .optional(medianFLOP)),
            ("rank", .optional(rank)),
            ("compute_intensive", .bool(computeIntensive)),
        ])
    }
}

/// Compute intensity of topics. Each notable Epoch model with known training compute is linked
/// to a topic by the same `TopicClassifier` that classifies papers, fed with the model's paper
/// title (`Reference`) and abstract, its name, and Epoch's Domain and Task. Per era, topics are
/// ranked by the median training compute of their models.
///
/// Definition — a topic is **compute-intensive** in an era when at least `minimumModels` of its
/// notable models have known compute and their median training compute is at least the median of
/// all notable models with known compute in that era. A paper is compute-intensive when its
/// primary topic is compute-intensive in the paper's era. The fixed set applies the same rule
/// once over all notable models of 2012 on (row era `2012– (fixed set)`).
public struct TopicComputeIntensity {
    public static let minimumModels = 5
    public let rows: [TopicComputeRow]
    private let intensive: Set<String>
    /// Epoch model name → topic it was linked to (for inspection and tests).
    public let modelTopics: [String: String]

    public init(models: [ModelRecord], topics: TopicClassifier) {
        var byEra: [ComputeEra: [String: [Double]]] = [:]
        var all: [ComputeEra: [Double]] = [:]
        var modelTopics: [String: String] = [:]
        for m in models where ModelClassifier.isNotable(m) {
            guard let flop = m.trainingComputeFLOP, flop > 0, let year = m.year else { continue }
            let input = TopicInput(title: [m.reference ?? "", m.name].joined(separator: " ; "), abstract: m.abstract ?? "",
                                   epochDomains: m.domains, epochTasks: m.tasks)
            let topic = topics.classify(input).primary
            modelTopics[m.name] = topic
            let era = ComputeEra(year: year)
            byEra[era, default: [:]][topic, default: []].append(flop)
            all[era, default: []].append(flop)
            if year >= 2012 {
                byEra[.wholeWindow, default: [:]][topic, default: []].append(flop)
                all[.wholeWindow, default: []].append(flop)
            }
        }
        var rows: [TopicComputeRow] = []
        var intensive: Set<String> = []
        for era in ComputeEra.allCases {
            let eraMedian = all[era].map { Quantile.linear($0, 0.5) }
            var eraRows: [TopicComputeRow] = topics.topics.map { t in
                let values = byEra[era]?[t.id] ?? []
                return TopicComputeRow(era: era, topic: t.id, models: values.count,
                                       medianFLOP: values.isEmpty ? nil : Quantile.linear(values, 0.5),
                                       rank: nil, computeIntensive: false)
            }
            let ranked = eraRows.indices
                .filter { eraRows[$0].models >= TopicComputeIntensity.minimumModels }
                .sorted { eraRows[$0].medianFLOP! > eraRows[$1].medianFLOP! }
            for (r, i) in ranked.enumerated() {
                eraRows[i].rank = r + 1
                if let m = eraMedian, eraRows[i].medianFLOP! >= m {
                    eraRows[i].computeIntensive = true
                    intensive.insert(era.rawValue + "|" + eraRows[i].topic)
                }
            }
            eraRows.sort { ($0.rank ?? Int.max, $0.topic) < ($1.rank ?? Int.max, $1.topic) }
            rows += eraRows
        }
        self.rows = rows
        self.intensive = intensive
        self.modelTopics = modelTopics
    }

    public func isComputeIntensive(topic: String, year: Int?) -> Bool {
        guard let year else { return false }
        return intensive.contains(ComputeEra(year: year).rawValue + "|" + topic)
    }

    /// Whether the topic is in the fixed compute-intensive set (the same rule over all notable
    /// models of 2012 on), whatever the paper's year.
    public func isComputeIntensiveFixed(topic: String) -> Bool {
        intensive.contains(ComputeEra.wholeWindow.rawValue + "|" + topic)
    }
}
