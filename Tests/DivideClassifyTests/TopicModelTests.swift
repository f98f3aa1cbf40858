@testable import DivideClassify
import DivideCore
import Foundation
import Testing
import TestSnapshot

/// The logistic-regression layer over the topic rules (TopicModel), on small made-up samples, and
/// its figures on the real random sample when the pipeline has run in this checkout.
// Serialized: the tests share one classifier and swap its model.
@Suite(.serialized) struct TopicModelTests {
    static func paper(_ id: String, _ title: String, _ abstract: String, year: Int, source: String = "arxiv") -> PaperRecord {
        var p = PaperRecord(id: id, source: source, title: title)
        p.abstract = abstract
        p.year = year
        return p
    }

    /// Twenty-four papers: foundation-model papers name a large language model; the others are
    /// vision or speech task papers (one a task paper that only uses BERT).
    static let examples: [TopicModel.Example] = {
        var out: [TopicModel.Example] = []
        for i in 0..<8 {
            out.append(.init(paper: paper("fm\(i)", "Instruction tuning large language models \(i)",
                                          "We study large language models and their in-context learning.", year: 2023),
                             topic: "foundation-models", foundationModel: true))
            out.append(.init(paper: paper("cv\(i)", "Object detection in aerial images \(i)",
                                          "A convolutional network for object detection and segmentation.", year: 2019),
                             topic: "computer-vision", foundationModel: false))
            out.append(.init(paper: paper("sp\(i)", "Speech recognition for low-resource languages \(i)",
                                          "Automatic speech recognition with acoustic models.", year: 2020),
                             topic: "speech", foundationModel: false))
        }
        return out
    }()

    static func model() throws -> TopicModel {
        try TopicModel(examples: examples, rules: try ClassifyFixtures.topicClassifier(), labelsPath: "made-up")
    }

    /// Rules, no registry and no Epoch models: only the topics matter here.
    static let classifier: PaperClassifier = {
        let topics = try! ClassifyFixtures.topicClassifier()
        return PaperClassifier(sectors: SectorClassifier(registry: OrganizationRegistry(organizations: [], aliases: try! OrganizationAliases(text: ClassifyFixtures.text("organization-aliases.tsv")))),
                               topics: topics, models: try! ModelMentionFinder(text: ClassifyFixtures.text("model-aliases.tsv"), models: []),
                               computeIntensity: TopicComputeIntensity(models: [], topics: topics))
    }()

    static func classify(_ model: TopicModel, _ p: PaperRecord) throws -> TopicAssignment {
        classifier.topicModel = model
        return classifier.classify(p).topics
    }

    /// The threshold sits inside a broad high stretch of F1, not on a lone spike.
    @Test func thresholdIsTheBestNeighbourhoodNotTheBestPoint() {
        let grid = TopicModel.thresholdGrid
        #expect(grid.first == 0.05 && grid.last == 0.95 && grid.count == 91)
        // F1 0.70 from 0.30 to 0.50, a spike of 0.80 at 0.70, 0.40 elsewhere.
        var f1 = grid.map { $0 >= 0.295 && $0 <= 0.505 ? 0.70 : 0.40 }
        f1[grid.firstIndex(of: 0.70)!] = 0.80
        let best = TopicModel.neighbourhoodBest(f1: f1)
        #expect(best.threshold == 0.45)  // 0.35…0.45 all see only 0.70; ties go to the higher
        #expect(abs(best.f1 - 0.70) < 1e-12)
        // A flat curve: ties go to the highest threshold.
        #expect(TopicModel.neighbourhoodBest(f1: grid.map { _ in 0.5 }).threshold == 0.95)
    }

    @Test func trainingIsDeterministicAndIndependentOfInputOrder() throws {
        let a = try TopicModelTests.model()
        let b = try TopicModel(examples: TopicModelTests.examples.reversed(), rules: try ClassifyFixtures.topicClassifier(), labelsPath: "made-up")
        #expect(a.choice.threshold == b.choice.threshold)
        #expect(a.choice.fmRidge == b.choice.fmRidge && a.choice.topicRidge == b.choice.topicRidge)
        let p = TopicModelTests.paper("x", "Prompting large language models for reasoning", "Large language models answer questions.", year: 2024)
        #expect(try TopicModelTests.classify(a, p) == TopicModelTests.classify(b, p))
    }

    @Test func decidesWithAuditableEvidence() throws {
        let m = try TopicModelTests.model()
        let fm = try TopicModelTests.classify(m, TopicModelTests.paper("x", "Instruction tuning large language models for exams",
                                                                          "We study large language models and their in-context learning.", year: 2023))
        #expect(fm.primary == "foundation-models", "\(fm.evidence)")
        #expect(fm.evidence.contains { $0.hasPrefix("model:foundation-models p=") })
        #expect(fm.evidence.contains { $0.hasPrefix("feature:") })
        let cv = try TopicModelTests.classify(m, TopicModelTests.paper("y", "Object detection with a convolutional network",
                                                                          "Object detection and segmentation of aerial images.", year: 2021))
        #expect(cv.primary == "computer-vision")
        // No strong cue: the foundation-models probability is not computed, and the evidence says why.
        #expect(cv.evidence.contains { $0.hasPrefix("model:computer-vision p=") && $0.hasSuffix("(foundation-models needs a strong cue)") })
    }

    /// The rules after the model: before 2017 foundation-models needs a strong cue in the title or
    /// keywords, and never comes without a strong cue at all.
    @Test func yearAndStrongCueRulesHoldAfterTheModel() throws {
        let m = try TopicModelTests.model()
        let old = try TopicModelTests.classify(m, TopicModelTests.paper("o", "Learning to rank web documents",
                                                                           "We train large language models and study in-context learning.", year: 2014))
        #expect(old.primary != "foundation-models")
        let noCue = try TopicModelTests.classify(m, TopicModelTests.paper("n", "Scaling laws of pre-training", "We study scaling laws of pre-training.", year: 2024))
        #expect(noCue.primary != "foundation-models")
    }

    /// The strong-cue sample trains the foundation-models model only: labeled task papers that
    /// name a large language model lower its probability for such a paper, while the primary-topic
    /// model (random sample only) gives a vision paper the same probability as before.
    @Test func strongCueSampleTrainsTheFoundationModelsModelOnly() throws {
        let taskPapers = (0..<8).map { i in
            TopicModel.Example(paper: TopicModelTests.paper("ner\(i)", "Clinical named entity recognition with a large language model \(i)",
                                                            "We fine-tune a large language model as an encoder for named entity recognition in clinical notes.", year: 2023),
                               topic: "nlp", foundationModel: false, strongCueSample: true)
        }
        let plain = try TopicModelTests.model()
        let enriched = try TopicModel(examples: TopicModelTests.examples + taskPapers, rules: try ClassifyFixtures.topicClassifier(), labelsPath: "made-up")
        #expect(enriched.examples == 24 && enriched.strongCueExamples == 8)
        func fmProbability(_ evidence: [String]) -> Double? {
            guard let e = evidence.first(where: { $0.contains("foundation-models p=") }),
                  let r = e.range(of: "foundation-models p=") else { return nil }
            return Double(e[r.upperBound...].prefix { $0 == "." || $0.isNumber })
        }
        let ner = TopicModelTests.paper("t", "Named entity recognition in clinical notes with a large language model",
                                        "We fine-tune a large language model as an encoder for clinical named entity recognition.", year: 2024)
        let before = try #require(fmProbability(try TopicModelTests.classify(plain, ner).evidence))
        let after = try #require(fmProbability(try TopicModelTests.classify(enriched, ner).evidence))
        #expect(after < before, "p(FM) \(before) → \(after)")
        let cv = TopicModelTests.paper("y", "Object detection with a convolutional network", "Object detection and segmentation of aerial images.", year: 2021)
        let cvBefore = try #require(try TopicModelTests.classify(plain, cv).evidence.first { $0.hasPrefix("model:") })
        let cvAfter = try TopicModelTests.classify(enriched, cv).evidence.first { $0.hasPrefix("model:") }
        #expect(cvBefore == cvAfter)
    }

    @Test func tooFewLabeledPapersIsAnError() throws {
        #expect(throws: DivideError.self) {
            try TopicModel(examples: Array(TopicModelTests.examples.prefix(5)), rules: try ClassifyFixtures.topicClassifier(), labelsPath: "made-up")
        }
    }

    // MARK: the real sample, from this checkout's pipeline output (make all)

    static let validation = TestSnapshot.packageRoot + "/stages/classify/validation.json"
    static let classifiedPapers = TestSnapshot.packageRoot + "/stages/classify/papers.ndjson.gz"

    /// The held-out figures the topic model reached (issue 15), trained on the random sample's dev
    /// part (1,610 papers from two draws) and the 600-paper strong-cue sample: precision 16/23,
    /// recall 16/27, primary-topic accuracy 616/790 (with the first draw's 810 dev papers alone
    /// and no strong-cue sample 18/29, 18/27, 609/790: 27 held-out foundation-model papers make
    /// each worth ~4 points of recall). The strong-cue sample's own out-of-fold figures, 290/410
    /// and 290/319 (the model without it scored 301/464 and 301/319 on those papers), are the
    /// larger measure. The bars sit a paper or so below, so a change that loses held-out or
    /// strong-cue papers fails here.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: TopicModelTests.validation), "needs stages/classify/validation.json (make all)"))
    func heldOutFiguresDoNotDrop() throws {
        let v = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: TopicModelTests.validation))))
        let held = try #require(v["random_sample"]?["held-out"])
        let precision = try #require(held["foundation_models_precision"]?["value"]?.doubleValue)
        let recall = try #require(held["foundation_models_recall"]?["value"]?.doubleValue)
        let accuracy = try #require(held["primary_topic_accuracy"]?["value"]?.doubleValue)
        #expect(held["labeled"]?.intValue == 790)
        #expect(precision >= 0.65, "held-out foundation-models precision \(precision)")
        #expect(recall >= 0.55, "held-out foundation-models recall \(recall)")
        #expect(accuracy >= 0.77, "held-out primary-topic accuracy \(accuracy)")
        let model = try #require(v["random_sample"]?["topic_model"])
        #expect(model["development_papers"]?.intValue == 1610)
        #expect(model["strong_cue_papers"]?.intValue == 600)
        let strongPrecision = try #require(model["strong_cue_out_of_fold"]?["foundation_models_precision"]?["value"]?.doubleValue)
        let strongRecall = try #require(model["strong_cue_out_of_fold"]?["foundation_models_recall"]?["value"]?.doubleValue)
        #expect(strongPrecision >= 0.68, "strong-cue out-of-fold precision \(strongPrecision)")
        #expect(strongRecall >= 0.88, "strong-cue out-of-fold recall \(strongRecall)")
    }

    /// No model mention in the classified output is older than the model's release.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: TopicModelTests.classifiedPapers), "needs stages/classify/papers.ndjson.gz (make all)"))
    func noMentionPredatesTheModelsRelease() throws {
        var mentions = 0
        var early: [String] = []
        try NDJSONReader(path: TopicModelTests.classifiedPapers).forEach(selecting: JSONParser.Members(keeping: ["id", "year", "model_mentions"])) { paper, _ in
            guard let year = paper["year"]?.intValue else { return }
            for m in paper["model_mentions"]?.arrayValue ?? [] {
                mentions += 1
                if let release = m["release_year"]?.intValue, release > year {
                    early.append("\(paper["id"]?.stringValue ?? "?") (\(year)): \(m["model"]?.stringValue ?? "?") \(release)")
                }
            }
        }
        #expect(mentions > 1000)
        #expect(early.isEmpty, "\(early.prefix(20))")
    }
}
