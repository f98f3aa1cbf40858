import DivideCore
import DivideStats
import Foundation

/// How well the random sample's labels can be reproduced: a second reader, blind to them,
/// relabels papers of the development split with the same written definitions, and the two
/// readers' labels are compared (`random_sample.second_reader` in validation.json). A classifier
/// measured against the first reader cannot be shown to agree with it better than a second
/// careful reader does, so the report prints these figures beside the classifier's.
///
/// Design: the development papers fall in two strata by the first reader's `foundation_model`,
/// N₁ labeled foundation-model papers and N₀ others. The second reader labels n₁ of the first
/// stratum (all of them, as drawn) and n₀ drawn at random from the second, so each paper stands
/// for N/n papers of its stratum. The first reader's labels are treated as the reference:
/// - recall of the second reader = b₁/n₁ (b₁: papers the second reader calls foundation-model
///   papers in the first stratum), with a 95% Wilson interval;
/// - the second reader's foundation-model rate among the first reader's others, q = c₀/n₀, Wilson;
/// - precision = N₁b₁/n₁ ÷ (N₁b₁/n₁ + N₀q), its interval from q's (the first stratum's count as it is);
/// - Cohen's κ of the 2×2 table weighted to the split;
/// - primary-topic agreement (exact match) per stratum with Wilson intervals, and over the split, weighted.
/// The same without the papers the first reader labeled borderline, as the classifier's figures.
public struct SecondReaderAgreement {
    /// One comparison's counts.
    public struct Figures {
        /// Development papers of each stratum (N₁, N₀) and the second reader's labels in it (n₁, n₀).
        public var foundationModels = 0, others = 0
        public var sampledFoundationModels = 0, sampledOthers = 0
        /// b₁ and c₀: the second reader's foundation-model answers in each stratum.
        public var bothFoundationModel = 0, secondOnlyFoundationModel = 0
        /// Exact primary-topic agreement in each stratum.
        public var topicAgreementFoundationModels = 0, topicAgreementOthers = 0

        public var recall: WilsonInterval { WilsonInterval(successes: bothFoundationModel, trials: sampledFoundationModels) }
        public var rateAmongOthers: WilsonInterval { WilsonInterval(successes: secondOnlyFoundationModel, trials: sampledOthers) }

        /// Papers of the split the first stratum's agreements stand for.
        var weightedBoth: Double { Double(foundationModels) * recall.share }

        func precision(rate q: Double) -> Double {
            let agreed = weightedBoth
            return agreed == 0 ? 0 : agreed / (agreed + Double(others) * q)
        }

        public var precision: (value: Double, low: Double, high: Double) {
            let q = rateAmongOthers
            return (precision(rate: q.share), precision(rate: q.high), precision(rate: q.low))
        }

        public var kappa: Double {
            let total = Double(foundationModels + others)
            let a = weightedBoth, b = Double(foundationModels) - weightedBoth
            let c = Double(others) * rateAmongOthers.share, d = Double(others) - c
            let observed = (a + d) / total
            let first = (a + b) / total, second = (a + c) / total
            let expected = first * second + (1 - first) * (1 - second)
            return expected == 1 ? 1 : (observed - expected) / (1 - expected)
        }

        public var topicAgreement: Double {
            let agreed = Double(foundationModels) * Double(topicAgreementFoundationModels) / Double(sampledFoundationModels)
                + Double(others) * Double(topicAgreementOthers) / Double(sampledOthers)
            return agreed / Double(foundationModels + others)
        }
    }

    public let papers: Int
    public let all: Figures
    public let withoutBorderline: Figures

    /// `path`: JSON lines `{id, topic, foundation_model, borderline, …}`, every id a development
    /// paper of `firstReader`, each once, with papers of both strata.
    public init(path: String, firstReader: RandomSampleValidation) throws {
        var all = Figures(), clear = Figures()
        for label in firstReader.labels.values where label.split == "development" {
            if label.foundationModel { all.foundationModels += 1 } else { all.others += 1 }
            if !label.borderline { if label.foundationModel { clear.foundationModels += 1 } else { clear.others += 1 } }
        }
        var seen = Set<String>()
        try NDJSONReader(path: path).forEach { json, line in
            func fail(_ reason: String) -> DivideError { DivideError(file: path, location: "line \(line)", reason: reason) }
            guard let id = json["id"]?.stringValue, let topic = json["topic"]?.stringValue else { throw fail("label needs id and topic") }
            guard let fm = json["foundation_model"]?.boolValue else { throw fail("foundation_model must be true or false") }
            guard seen.insert(id).inserted else { throw fail("paper \(id) is labeled twice") }
            guard let first = firstReader.labels[id], first.split == "development" else {
                throw fail("paper \(id) is not in the random sample's development split")
            }
            func count(_ f: inout Figures) {
                if first.foundationModel {
                    f.sampledFoundationModels += 1
                    if fm { f.bothFoundationModel += 1 }
                    if topic == first.topic { f.topicAgreementFoundationModels += 1 }
                } else {
                    f.sampledOthers += 1
                    if fm { f.secondOnlyFoundationModel += 1 }
                    if topic == first.topic { f.topicAgreementOthers += 1 }
                }
            }
            count(&all)
            if !first.borderline { count(&clear) }
        }
        guard all.sampledFoundationModels > 0, all.sampledOthers > 0, clear.sampledFoundationModels > 0, clear.sampledOthers > 0 else {
            throw DivideError(file: path, reason: "the second reader's sample needs papers the first reader labeled foundation-model and papers it did not, borderline ones left out too")
        }
        papers = seen.count
        self.all = all
        withoutBorderline = clear
    }

    public var json: JSONValue {
        let round = ClassificationValidation.round4
        func figures(_ f: Figures) -> [(String, JSONValue)] {
            let p = f.precision
            return [("foundation_models", .int(f.foundationModels)), ("others", .int(f.others)),
                    ("sampled_foundation_models", .int(f.sampledFoundationModels)), ("sampled_others", .int(f.sampledOthers)),
                    ("recall", RandomSampleValidation.interval(f.recall)),
                    ("foundation_model_rate_among_others", RandomSampleValidation.interval(f.rateAmongOthers)),
                    ("precision", .object([("value", .double(round(p.value))), ("ci_low", .double(round(p.low))), ("ci_high", .double(round(p.high)))])),
                    ("kappa", .double(round(f.kappa))),
                    ("topic_agreement_foundation_models", RandomSampleValidation.interval(WilsonInterval(successes: f.topicAgreementFoundationModels, trials: f.sampledFoundationModels))),
                    ("topic_agreement_others", RandomSampleValidation.interval(WilsonInterval(successes: f.topicAgreementOthers, trials: f.sampledOthers))),
                    ("topic_agreement", .double(round(f.topicAgreement)))]
        }
        return .object([("method", .string("the first reader's labels as reference; strata by its foundation_model, each sampled paper weighted by its stratum's size over its sample; recall and rates with 95% Wilson intervals, precision's interval from the rate among others; Cohen's kappa of the weighted table"))]
            + [("papers", .int(papers))] + figures(all) + [("without_borderline", .object(figures(withoutBorderline)))])
    }
}
