import DivideClassify
import DivideCore
import Testing

/// The acceptance thresholds of issue 4, on the hand-labeled samples.
@Suite struct LabeledSampleTests {
    @Test(.enabled(if: ClassifyFixtures.snapshotAvailable, "needs the snapshot (set SNAPSHOT)"))
    func affiliationSectorAccuracyIsAtLeast95Percent() throws {
        let labeled = try ClassificationValidation.readAffiliations(path: ClassifyFixtures.fixtures + "/affiliations-labeled.tsv")
        #expect(labeled.count >= 300)
        let score = ClassificationValidation.score(affiliations: labeled, with: try ClassifyFixtures.sectorClassifier())
        for e in score.errors { print("affiliation miss \(e.id): \(e.affiliation) — expected \(e.expected), found \(e.found)") }
        print("affiliation → sector accuracy: \(score.correct)/\(score.total) = \(score.accuracy)")
        #expect(score.accuracy >= 0.95)
    }

    @Test func foundationModelPrecisionAndRecall() throws {
        let labeled = try ClassificationValidation.readPapers(path: ClassifyFixtures.fixtures + "/papers-labeled.jsonl")
        #expect(labeled.count >= 150)
        #expect(labeled.filter { $0.topic == "foundation-models" }.count >= 40)
        let score = ClassificationValidation.score(papers: labeled, with: try ClassifyFixtures.topicClassifier())
        for e in score.errors { print("topic miss \(e.id): \(e.title) — expected \(e.expected), found \(e.found)") }
        print("topic accuracy \(score.correct)/\(score.total); foundation-models precision \(score.precision), recall \(score.recall)")
        #expect(score.precision >= 0.90)
        #expect(score.recall >= 0.80)
    }
}
