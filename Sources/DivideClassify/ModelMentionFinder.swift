import DivideCore
import Foundation

/// A pre-trained model named in a paper's title or abstract.
public struct ModelMention: Equatable, Sendable {
    public var model: String
    public var epochModel: String?
    public var developer: String
    public var developerSectors: [Sector]
    public var openWeights: Bool
    /// The alias as written in the paper.
    public var matched: String
    /// Publication year of the linked Epoch model (nil when unknown): a paper of an earlier year
    /// cannot build on it, so the reliance tables do not count such a mention.
    public var releaseYear: Int? = nil

    /// `developer_sector` is one sector, or `collaboration` / the "+"-joined set when a model
    /// has developers in several sectors.
    public var developerSector: String { Sector.joined(developerSectors) }

    /// The JSON of this value, written straight to bytes.
    public func write(to out: inout JSONSerializer) {
        out.writeRaw("{\"model\":")
        out.writeString(model)
        out.writeRaw(",\"developer\":")
        out.writeString(developer)
        out.writeRaw(",\"developer_sector\":")
        out.writeString(developerSector)
        out.writeRaw(",\"open_weights\":")
        out.write(.bool(openWeights))
        out.writeRaw(",\"epoch_model\":")
        out.write(.optional(epochModel))
        out.writeRaw(",\"matched\":")
        out.writeString(matched)
        out.writeRaw(",\"release_year\":")
        out.write(.optional(releaseYear))
        out.writeRaw("}")
    }
}

/// Finds model mentions with whole-token, version-aware matching (reference/README.md,
/// "model-aliases.tsv"): curated aliases plus Epoch model names specific enough to be safe,
/// longest match first, generic words ignored.
public final class ModelMentionFinder {
    struct Alias {
        let mention: ModelMention
        let caseSensitive: Bool
        let needsContext: Bool
        let ignore: Bool
        /// Original-case tokens, for case-sensitive aliases.
        let exactTokens: [String]
        let priority: Int
    }

    private var index = PhraseIndex<Int>()
    private var aliases: [Alias] = []
    private var keys: [String: Int] = [:]
    private let normalizer = TextNormalizer(keepsDecimalPoints: true)

    /// Words that make an ambiguous alias count ("T5" with "fine-tuned", "language model", …).
    static let contextHashes = Set(contextWords.map(ScannedText.hash))
    static let contextWords: Set<String> = [
        "model", "models", "language", "pretrained", "pre", "trained", "finetuned", "finetuning", "fine", "tuning",
        "tuned", "transformer", "transformers", "llm", "llms", "neural", "network", "networks", "encoder", "decoder",
        "embedding", "embeddings", "nlp", "checkpoint", "checkpoints", "parameters", "prompt", "prompting",
        "generative", "benchmark", "baseline", "baselines", "vision", "multimodal", "chatbot", "instruction",
    ]

    public static let columns = ["alias", "model", "epoch_model", "developer", "sector", "open_weights", "flags"]

    public convenience init(path: String, models: [ModelRecord]) throws {
        try self.init(table: ReferenceTable(path: path, requiredColumns: ModelMentionFinder.columns), models: models)
    }

    public convenience init(text: String, models: [ModelRecord], path: String = "model-aliases.tsv") throws {
        try self.init(table: ReferenceTable(text: text, path: path, requiredColumns: ModelMentionFinder.columns), models: models)
    }

    init(table: ReferenceTable, models: [ModelRecord]) throws {
        let epochByName = Dictionary(models.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for row in table.rows {
            let flags = Set(row["flags"].split(separator: ",").map { $0.trimmingWhitespace.lowercased() })
            let ignore = flags.contains("ignore")
            let sectors = ignore ? [] : try Sector.parseSet(row["sector"], file: table.path, line: row.line)
            let open = row["open_weights"].lowercased()
            guard open == "yes" || open == "no" else {
                throw DivideError(file: table.path, location: "line \(row.line)", reason: "open_weights must be yes or no")
            }
            let epoch = row["epoch_model"] == "-" || row["epoch_model"].isEmpty ? nil : row["epoch_model"]
            var developer = row["developer"]
            var developerSectors = sectors
            // The linked Epoch row, when present, is the authority for developer and sector.
            if let e = epoch.flatMap({ epochByName[$0] }) {
                let fromEpoch = ModelMentionFinder.sectors(of: e)
                if !fromEpoch.isEmpty { developerSectors = fromEpoch }
                if !e.organizations.isEmpty { developer = e.organizations.joined(separator: ", ") }
            }
            let mention = ModelMention(model: row["model"], epochModel: epoch, developer: developer,
                                       developerSectors: developerSectors, openWeights: open == "yes", matched: row["alias"],
                                       releaseYear: epoch.flatMap { epochByName[$0]?.year })
            add(alias: row["alias"], mention: mention, caseSensitive: flags.contains("case"),
                needsContext: flags.contains("context"), ignore: ignore, priority: 0)
        }
        let curatedCount = aliases.count
        for m in models.sorted(by: { $0.name < $1.name }) where ModelMentionFinder.isSpecificName(m.name) {
            var mention = ModelMention(model: m.name, epochModel: m.name, developer: m.organizations.joined(separator: ", "),
                                       developerSectors: ModelMentionFinder.sectors(of: m),
                                       openWeights: ModelMentionFinder.isOpenWeights(m.accessibility), matched: m.name,
                                       releaseYear: m.year)
            // "Llama 2-7B" is a size of the curated family "Llama 2": report the family.
            let tokens = normalizer.tokens(m.name).map(TextNormalizer.lowercase)
            var family: Alias? = nil
            for a in aliases[0..<curatedCount] where !a.ignore && a.exactTokens.count < tokens.count {
                let prefix = a.exactTokens.map(TextNormalizer.lowercase)
                if Array(tokens.prefix(prefix.count)) == prefix && (family == nil || prefix.count > family!.exactTokens.count) {
                    family = a
                }
            }
            if let family {
                mention.model = family.mention.model
                if mention.developerSectors.isEmpty { mention.developerSectors = family.mention.developerSectors }
                if m.accessibility == nil || m.accessibility!.isEmpty { mention.openWeights = family.mention.openWeights }
            }
            add(alias: m.name, mention: mention, caseSensitive: true, needsContext: false, ignore: false, priority: 1)
        }
    }

    private func add(alias: String, mention: ModelMention, caseSensitive: Bool, needsContext: Bool, ignore: Bool, priority: Int) {
        let exact = normalizer.tokens(alias)
        let lower = exact.map(TextNormalizer.lowercase)
        guard !lower.isEmpty else { return }
        let key = lower.joined(separator: " ")
        if let existing = keys[key] {
            // A curated row already covers this written form: keep it (case-sensitive variants
            // of the same key are added side by side).
            if aliases[existing].priority <= priority && !(caseSensitive && aliases[existing].caseSensitive) { return }
        }
        aliases.append(Alias(mention: mention, caseSensitive: caseSensitive, needsContext: needsContext, ignore: ignore,
                             exactTokens: exact, priority: priority))
        keys[key] = aliases.count - 1
        index.add(lower.map(ScannedText.hash), aliases.count - 1)
    }

    /// Epoch names safe to match, in their own casing: the name must have a marked word — one
    /// with a digit, an inner capital (AlexNet, RoBERTa) or in capitals (CNN, BLOOM) of two letters
    /// or more — so method names that Epoch lists as systems ("Domain Adaptation", "Support Vector
    /// Machines", "Q-learning", "DeViSE" against "devise") are not mentions; single words in
    /// capitals need a digit.
    static func isSpecificName(_ name: String) -> Bool {
        let tokens = TextNormalizer(keepsDecimalPoints: true).tokens(name)
        guard !tokens.isEmpty, name.count >= 3 else { return false }
        func marked(_ t: String) -> Bool {
            guard t.count >= 2, t.contains(where: \.isLetter) else { return false }
            if t.contains(where: \.isNumber) { return true }
            if t.dropFirst().contains(where: \.isUppercase) { return true }
            return false
        }
        if tokens.count == 1 {
            let t = tokens[0]
            // A word in capitals without a digit is more often a paper's acronym ("FAST", "ATLAS")
            // than a model; models written so (BERT, CLIP, BLOOM) are curated aliases.
            if !t.contains(where: \.isNumber) && !t.contains(where: \.isLowercase) { return false }
            return marked(t) && t.count >= 4
        }
        return tokens.contains(where: marked)
    }

    static func sectors(of model: ModelRecord) -> [Sector] {
        Array(Set(model.organizationCategories.compactMap(SectorRules.sector(epochCategory:)))).sorted()
    }

    /// Epoch's `Model accessibility`: "Open weights (…)" → open; the 2023 export's "Open source" too.
    public static func isOpenWeights(_ accessibility: String?) -> Bool {
        guard let a = accessibility?.lowercased() else { return false }
        return a.hasPrefix("open weights") || a.hasPrefix("open source") || a == "open-source"
    }

    /// Mentions in the texts, one per model family, in order of first appearance.
    public func find(in texts: [String]) -> [ModelMention] {
        find(scanned: texts.filter { !$0.isEmpty }.map { ScannedText($0, normalizer: normalizer) })
    }

    /// The same on texts already scanned with a `TextNormalizer(keepsDecimalPoints: true)`.
    func find(scanned texts: [ScannedText]) -> [ModelMention] {
        var out: [ModelMention] = []
        var seen: Set<String> = []
        // Whether the paper says something model-like: computed only when an alias needs it.
        var contextChecked = false
        var hasContext = false
        func paperHasContext() -> Bool {
            if !contextChecked {
                contextChecked = true
                hasContext = texts.contains { $0.lower.contains { ModelMentionFinder.contextHashes.contains($0) } }
            }
            return hasContext
        }
        for text in texts {
            var covered = [Bool](repeating: false, count: text.count)
            var found: [(start: Int, length: Int, alias: Int)] = []
            index.occurrences(in: text.lower) { start, p in
                let a = aliases[index.patterns[p].payload]
                let len = a.exactTokens.count
                if a.caseSensitive {
                    for k in 0..<len where text.exact(start + k) != a.exactTokens[k] { return }
                }
                found.append((start, len, index.patterns[p].payload))
            }
            found.sort { $0.length != $1.length ? $0.length > $1.length : $0.start < $1.start }
            var selected: [(start: Int, length: Int, alias: Int)] = []
            for f in found {
                let span = f.start..<(f.start + f.length)
                if span.contains(where: { covered[$0] }) { continue }
                for k in span { covered[k] = true }
                selected.append(f)
            }
            selected.sort { $0.start < $1.start }
            for f in selected {
                let span = f.start..<(f.start + f.length)
                let a = aliases[f.alias]
                if a.ignore || (a.needsContext && !paperHasContext()) { continue }
                var m = a.mention
                m.matched = span.map(text.exact).joined(separator: " ")
                if seen.insert(m.model).inserted { out.append(m) }
            }
        }
        return out
    }
}
