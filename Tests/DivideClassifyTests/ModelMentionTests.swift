import DivideClassify
import DivideCore
import Testing

/// Model mentions: whole words, version-aware, no generic words.
// Serialized: the shared finder caches in its normalizer (not thread-safe).
@Suite(.serialized) struct ModelMentionTests {
    static let finder: ModelMentionFinder = {
        try! ModelMentionFinder(text: ClassifyFixtures.text("model-aliases.tsv"), models: ClassifyFixtures.epochModels)
    }()

    func models(_ text: String, year: Int? = nil) -> [String] {
        ModelMentionTests.finder.find(in: [text], year: year).map(\.model)
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

    /// The false senses found in the corpus (issue 15), as titles of the same kind.
    @Test func aliasesNeedTheModelsContext() {
        #expect(models("Towards Understanding Sharpness-Aware Minimization (SAM) in Deep Neural Networks", year: 2024).isEmpty)
        #expect(models("SAM-Med: adapting SAM to medical image segmentation", year: 2024) == ["Segment Anything"])
        #expect(models("Online Facility Location with Predictions: a cost of $(1+\\epsilon)\\OPT$ for language-agnostic inputs", year: 2024).isEmpty)
        #expect(models("Bayesian Additive Regression Trees (BART) for Heterogeneous Treatment Effects", year: 2022).isEmpty)
        #expect(models("Denoising sequence-to-sequence pre-training with BART for abstractive summarization", year: 2021) == ["BART"])
        #expect(models("Following Yi et al., we train a neural network model for traffic forecasting", year: 2024).isEmpty)
        #expect(models("Yi-34B against Llama 2 and Qwen: open LLMs on Chinese exams", year: 2024).contains("Yi"))
        #expect(models("Whisper of the Crowd: a neural network model of rumour spreading", year: 2023).isEmpty)
        #expect(models("Fine-tuning Whisper for low-resource speech recognition", year: 2023) == ["Whisper"])
        #expect(models("Hubert Dreyfus and neural network models of expertise", year: 2023).isEmpty)
        #expect(models("HuBERT representations for speech emotion recognition", year: 2023) == ["HuBERT"])
    }

    @Test func sameNameModelsOfDifferentDevelopersStayApart() throws {
        let mask = ModelMentionTests.finder.find(in: ["Mask DINO: Towards A Unified Transformer-based Framework for Object Detection and Segmentation"], year: 2022)
        #expect(mask.map(\.model) == ["Mask DINO"])
        #expect(mask.first?.developer == "IDEA Research")
        #expect(models("DINO: DETR with Improved DeNoising Anchor Boxes for End-to-End Object Detection", year: 2022) == ["DINO detector"])
        let meta = ModelMentionTests.finder.find(in: ["Emerging properties of DINO self-supervised vision transformers"], year: 2021)
        #expect(meta.map(\.model) == ["DINO"])
        #expect(meta.first?.developer == "Meta")
    }

    @Test func noMentionBeforeTheReleaseYear() throws {
        // Release years written in the alias file (since=)
        #expect(models("Mask DINO for instance segmentation", year: 2021).isEmpty)
        #expect(models("Emerging properties of DINO self-supervised vision transformers", year: 2020).isEmpty)
        let finder = try ModelMentionFinder(text: ClassifyFixtures.text("model-aliases.tsv")
            + "Zephyrine\tZephyrine\t-\tExample Lab\tacademia\tyes\tsince=2024\ttest row\n", models: [])
        #expect(finder.find(in: ["Zephyrine beats baselines."], year: 2023).isEmpty)
        #expect(finder.find(in: ["Zephyrine beats baselines."], year: 2024).map(\.model) == ["Zephyrine"])
        #expect(throws: DivideError.self) {
            try ModelMentionFinder(text: ClassifyFixtures.text("model-aliases.tsv") + "Zephyrine\tZephyrine\t-\tExample Lab\tacademia\tyes\tsince=soon\n", models: [])
        }
    }

    /// Release years from Epoch's table (publication date of the linked model).
    @Test(.enabled(if: ClassifyFixtures.snapshotAvailable, "needs the snapshot (set SNAPSHOT)"))
    func epochReleaseYearsGateMentions() {
        #expect(models("SAM: a promptable segmentation mask model", year: 2021).isEmpty)
        #expect(models("SAM: a promptable segmentation mask model", year: 2023) == ["Segment Anything"])
        #expect(models("OPT: open pre-trained transformer language models", year: 2020).isEmpty)
        #expect(models("BART-style denoising for text generation", year: 2017).isEmpty)
        #expect(models("We fine-tune ChatGPT and Llama 2 on code", year: 2019).isEmpty)
        #expect(models("We fine-tune ChatGPT and Llama 2 on code", year: 2023) == ["ChatGPT", "Llama 2"])
    }
}
