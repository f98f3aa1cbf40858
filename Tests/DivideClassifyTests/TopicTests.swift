import DivideClassify
import DivideCore
import Testing

// Serialized: the shared classifier caches in its normalizer (not thread-safe).
@Suite(.serialized) struct TopicTests {
    static let classifier = try! ClassifyFixtures.topicClassifier()

    @Test func primaryAndSecondaryTopics() {
        let llm = TopicTests.classifier.classify(TopicInput(
            title: "Jailbreaking Large Language Models with Adversarial Suffixes",
            abstract: "We study the robustness of aligned LLMs such as Llama 2 against adversarial attacks."))
        #expect(llm.primary == "foundation-models")
        #expect(llm.topics.contains("safety-fairness-interpretability"))
        let vit = TopicTests.classifier.classify(TopicInput(
            title: "Vision Transformers for Semantic Segmentation",
            abstract: "A transformer backbone improves semantic segmentation of images.", venue: "cvpr"))
        #expect(vit.primary == "computer-vision")
        let rl = TopicTests.classifier.classify(TopicInput(title: "Sample-efficient reinforcement learning with world models",
                                                          categories: ["cs.LG"]))
        #expect(rl.primary == "reinforcement-learning")
        #expect(TopicTests.classifier.classify(TopicInput(title: "A note")).primary == "other")
    }

    @Test func editingTheTopicFileChangesTheOutcome() throws {
        let base = ClassifyFixtures.text("topic-rules.tsv")
        let input = TopicInput(title: "Quantum annealing for portfolio selection")
        #expect(TopicTests.classifier.classify(input).primary == "other")
        let edited = try TopicClassifier(text: base + "phrase\ttheory-optimization\tquantum annealing\t5\ttest row\n")
        #expect(edited.classify(input).primary == "theory-optimization")
        // Raising the bar for a primary topic sends weak papers to "other".
        let strict = try TopicClassifier(text: base.replacingOccurrences(of: "setting\tmin_primary_score\t-\t2", with: "setting\tmin_primary_score\t-\t100"))
        #expect(strict.classify(TopicInput(title: "Large language models for code")).primary == "other")
    }
}

@Suite(.enabled(if: ClassifyFixtures.snapshotAvailable, "needs the snapshot (set SNAPSHOT)"))
struct ComputeIntensityTests {
    @Test func foundationModelsAreComputeIntensiveInTheirEra() throws {
        let intensity = TopicComputeIntensity(models: ClassifyFixtures.epochModels, topics: try ClassifyFixtures.topicClassifier())
        #expect(intensity.isComputeIntensive(topic: "foundation-models", year: 2023))
        #expect(!intensity.isComputeIntensive(topic: "theory-optimization", year: 2023))
        #expect(!intensity.isComputeIntensive(topic: "foundation-models", year: nil))
        let ranked = intensity.rows.filter { $0.era == .foundationModels && $0.rank != nil }
        #expect(ranked.first?.rank == 1)
    }
}
