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

    /// The false positives and misses named in issue 15, as titles and abstracts of the same kind.
    @Test func foundationModelsNeedAStrongCue() {
        func primary(_ title: String, _ abstract: String = "", year: Int? = nil, venue: String? = nil) -> TopicAssignment {
            TopicTests.classifier.classify(TopicInput(title: title, abstract: abstract, venue: venue, year: year))
        }
        let scaling = primary("Scaling laws of TCP throughput in data-center networks",
                              "We derive a scaling law for throughput under incast.", year: 2014)
        #expect(scaling.primary != "foundation-models")
        #expect(scaling.evidence.contains("decision:no foundation-models without a strong cue in the title before 2017"))
        let icu = primary("Early warning in the ICU", "The monitor prompts alarms when vital signs drift; without pre-training the detector adapts.",
                          year: 2019)
        #expect(icu.primary != "foundation-models")
        #expect(icu.evidence.contains("decision:no foundation-models without a strong cue"))
        // "language modeling" in 2013 is an n-gram or RNN model.
        #expect(primary("Class-based n-gram language modeling for speech recognition", "We improve language modeling perplexity.",
                        year: 2013).primary != "foundation-models")
        #expect(primary("Fine-tuned language models forget their pre-training", year: 2023).primary == "foundation-models")
    }

    @Test func foundationModelsWinWhenThePretrainedModelIsTheObject() {
        let bias = TopicTests.classifier.classify(TopicInput(
            title: "French CrowS-Pairs: Extending a challenge dataset for measuring social bias in masked language models",
            abstract: "We measure stereotypes and bias of masked LMs in French.", venue: "acl", year: 2022))
        #expect(bias.primary == "foundation-models")
        #expect(bias.evidence.contains("title:masked language model*"))
        let backdoor = TopicTests.classifier.classify(TopicInput(
            title: "Backdoor attacks on vision language model agents", abstract: "A trigger makes the agent act maliciously.", year: 2024))
        #expect(backdoor.primary == "foundation-models")
        #expect(backdoor.topics.contains("safety-fairness-interpretability"))
        // A task paper that uses a model only in its abstract stays in its task.
        let ner = TopicTests.classifier.classify(TopicInput(
            title: "Named entity recognition for clinical notes", abstract: "We fine-tune BERT as the encoder.", venue: "acl", year: 2021))
        #expect(ner.primary == "nlp")
    }

    @Test func rulesWithAFromYearCountOnlyFromThatYear() throws {
        let base = ClassifyFixtures.text("topic-rules.tsv")
        let edited = try TopicClassifier(text: base + "phrase\ttheory-optimization\tquantum annealing\t5\ttest row\t2020\n")
        #expect(edited.classify(TopicInput(title: "Quantum annealing for portfolio selection", year: 2019)).primary == "other")
        #expect(edited.classify(TopicInput(title: "Quantum annealing for portfolio selection", year: 2020)).primary == "theory-optimization")
        #expect(throws: DivideError.self) {
            try TopicClassifier(text: base + "phrase\ttheory-optimization\tquantum annealing\t5\ttest row\tsoon\n")
        }
    }

    /// Issue 15: the cues flagged `case` in topic-rules.tsv count only as written ("PaLM", "CLIP").
    @Test func caseFlaggedCuesCountOnlyAsWritten() throws {
        let classifier = TopicTests.classifier
        let fm = try #require(classifier.topics.firstIndex { $0.id == "foundation-models" })
        func score(_ title: String) -> Double { classifier.scores(TopicInput(title: title, year: 2023))[fm] }
        #expect(score("Unrolling PALM for Sparse Semi-Blind Source Separation") == 0)
        #expect(score("Unrolling PaLM for Sparse Semi-Blind Source Separation") > 0)
        #expect(score("RPG-Palm: Realistic Pseudo-data Generation for Palmprint Recognition") == 0)
        #expect(score("Temporal Grounding of Queries in Video Clips") == 0)
        #expect(score("Temporal Grounding of Queries with CLIPs") > 0)
        #expect(score("LoRa Networks for Low-Power Sensing") == 0)
        #expect(score("Merging LoRAs Across Tasks") > 0)
        let base = ClassifyFixtures.text("topic-rules.tsv")
        #expect(throws: DivideError.self) {
            try TopicClassifier(text: base + "phrase\ttheory-optimization\tquantum annealing\t5\t-\t-\tcasefold\n")
        }
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
