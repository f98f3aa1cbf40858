import DivideClassify
import DivideCore
import Testing

/// Model mentions: whole words, version-aware, no generic words.
// Serialized: the shared finder caches in its normalizer (not thread-safe).
@Suite(.serialized) struct ModelMentionTests {
    static let finder: ModelMentionFinder = {
        try! ModelMentionFinder(text: ClassifyFixtures.text("model-aliases.tsv"), models: ClassifyFixtures.epochModels)
    }()

    func models(_ text: String) -> [String] {
        ModelMentionTests.finder.find(in: [text]).map(\.model)
    }

    @Test func genericWordsAreNotModels() {
        #expect(models("We propose a transformer for image segmentation.").isEmpty)
        #expect(models("A Transformer-based encoder with attention.").isEmpty)
        #expect(models("We compare against GPT and other generative baselines.").isEmpty)
        #expect(models("Fractures of the T5 vertebra were annotated by radiologists.").isEmpty)
        #expect(models("We opt for a simple clip of the gradient.").isEmpty)
        #expect(models("A Bloom filter speeds up the lookup.").isEmpty)
        #expect(models("Intelligence analysts read the reports.").isEmpty)
    }

    @Test func versionedNamesMatchTheirVersion() {
        #expect(models("We fine-tune Llama 2 on medical dialogues.") == ["Llama 2"])
        #expect(models("We fine-tune Llama-2-7B with LoRA.") == ["Llama 2"])
        #expect(models("Scaling GPT-2 to larger corpora.") == ["GPT-2"])
        #expect(models("BERT-base and RoBERTa-large serve as encoders.") == ["BERT", "RoBERTa"])
        #expect(models("We compare GPT-3.5 and GPT-4 as annotators.") == ["GPT-3.5", "GPT-4"])
        #expect(models("We evaluate GPT-4o on the benchmark.") == ["GPT-4o"])
        #expect(models("LLaMA models are pre-trained on public data.") == ["LLaMA"])
        #expect(models("We fine-tune T5 on summarization.") == ["T5"])
        #expect(models("Images are encoded with CLIP and decoded by Stable Diffusion.") == ["CLIP", "Stable Diffusion"])
        #expect(models("OPT-175B and BLOOM are open language models.") == ["OPT", "BLOOM"])
    }

    @Test func mentionsCarryDeveloperSectorAndOpenWeights() throws {
        let found = ModelMentionTests.finder.find(in: ["We prompt GPT-4 and fine-tune Llama 2 and Falcon-40B language models."])
        let gpt4 = try #require(found.first { $0.model == "GPT-4" })
        #expect(gpt4.developerSector == "industry")
        #expect(gpt4.openWeights == false)
        let llama = try #require(found.first { $0.model == "Llama 2" })
        #expect(llama.openWeights)
        let falcon = try #require(found.first { $0.model == "Falcon" })
        #expect(falcon.developerSector == "government")
    }

    @Test func editingTheAliasFileChangesTheOutcome() throws {
        let base = ClassifyFixtures.text("model-aliases.tsv")
        #expect(models("Our agent, Zephyrine-7B, beats baselines.").isEmpty)
        let edited = base + "Zephyrine\tZephyrine\t-\tExample Lab\tacademia\tyes\t-\ttest row\n"
        let finder = try ModelMentionFinder(text: edited, models: [])
        #expect(finder.find(in: ["Our agent, Zephyrine-7B, beats baselines."]).map(\.model) == ["Zephyrine"])
        // Marking an alias "ignore" removes it.
        let ignored = base.replacingOccurrences(of: "Qwen\tQwen\tQwen-72B\tAlibaba\tindustry\tyes\t-", with: "Qwen\tQwen\tQwen-72B\tAlibaba\tindustry\tyes\tignore")
        #expect(try ModelMentionFinder(text: ignored, models: []).find(in: ["We fine-tune Qwen on math."]).isEmpty)
    }
}
