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
    /// Release year: the alias row's `since=` flag, else the linked Epoch model's publication
    /// year (nil when unknown). A paper of an earlier year is never given the mention.
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
/// longest match first, generic words ignored. A mention counts only in the model's sense:
/// not before its release year, not written as a LaTeX macro (`$\OPT$`), and, for ambiguous
/// aliases, only when the paper has a word of the alias's context (`SAM` needs segmentation).
/// Rows sharing an alias (Meta's DINO, IDEA's DINO detector) are tried in file order.
public final class ModelMentionFinder {
    struct Alias {
        let mention: ModelMention
        let caseSensitive: Bool
        /// Token hashes of which the paper must contain one; nil = no condition.
        let context: Set<UInt64>?
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
            var since: Int? = nil
            var context: Set<UInt64>? = flags.contains("context") ? ModelMentionFinder.contextHashes : nil
            for flag in flags {
                if flag.hasPrefix("since=") {
                    guard let year = Int(flag.dropFirst(6)) else {
                        throw DivideError(file: table.path, location: "line \(row.line)", reason: "'\(flag)': since= takes a year")
                    }
                    since = year
                } else if flag.hasPrefix("context=") {
                    let words = flag.dropFirst(8).split(separator: "|").map { TextNormalizer.lowercase(String($0)) }
                    guard !words.isEmpty else {
                        throw DivideError(file: table.path, location: "line \(row.line)", reason: "'\(flag)': context= takes words joined by |")
                    }
                    context = Set(words.map(ScannedText.hash))
                } else if !["case", "context", "ignore", "-"].contains(flag) {
                    throw DivideError(file: table.path, location: "line \(row.line)",
                                      reason: "unknown flag '\(flag)' (case, context, context=w1|w2, since=YYYY, ignore)")
                }
            }
            let mention = ModelMention(model: row["model"], epochModel: epoch, developer: developer,
                                       developerSectors: developerSectors, openWeights: open == "yes", matched: row["alias"],
                                       releaseYear: since ?? epoch.flatMap { epochByName[$0]?.year })
            add(alias: row["alias"], mention: mention, caseSensitive: flags.contains("case"),
                context: context, ignore: ignore, priority: 0)
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
            add(alias: m.name, mention: mention, caseSensitive: true, context: nil, ignore: false, priority: 1)
        }
    }

    private func add(alias: String, mention: ModelMention, caseSensitive: Bool, context: Set<UInt64>?, ignore: Bool, priority: Int) {
        let exact = normalizer.tokens(alias)
        let lower = exact.map(TextNormalizer.lowercase)
        guard !lower.isEmpty else { return }
        let key = lower.joined(separator: " ")
        if let existing = keys[key] {
            // A curated row already covers this written form: keep it (case-sensitive variants
            // of the same key are added side by side).
            if aliases[existing].priority <= priority && !(caseSensitive && aliases[existing].caseSensitive) { return }
        }
        aliases.append(Alias(mention: mention, caseSensitive: caseSensitive, context: context, ignore: ignore,
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

    /// Mentions in the texts of a paper of `year` (nil = unknown), one per model family, in order
    /// of first appearance.
    public func find(in texts: [String], year: Int? = nil) -> [ModelMention] {
        let kept = texts.filter { !$0.isEmpty }
        return find(scanned: kept.map { ScannedText($0, normalizer: normalizer) }, raw: kept, year: year)
    }

    /// The same on texts already scanned with a `TextNormalizer(keepsDecimalPoints: true)`;
    /// `raw[i]` is the text `texts[i]` was scanned from.
    func find(scanned texts: [ScannedText], raw: [String], year: Int?) -> [ModelMention] {
        var out: [ModelMention] = []
        var seen: Set<String> = []
        var paperWords: Set<UInt64>? = nil
        func paperHas(_ context: Set<UInt64>) -> Bool {
            if paperWords == nil { paperWords = Set(texts.flatMap(\.lower)) }
            return !context.isDisjoint(with: paperWords!)
        }
        func fits(_ a: Alias, written: String, in text: String) -> Bool {
            if let released = a.mention.releaseYear, let year, year < released { return false }
            if let context = a.context, !paperHas(context) { return false }
            // `\OPT` is a LaTeX macro (an optimum), never the model. Most texts have no backslash
            // at all, and then Foundation's search is not needed.
            return !(text.utf8.contains(UInt8(ascii: "\\")) && text.contains("\\" + written))
        }
        for (t, text) in texts.enumerated() {
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
            // Longest span first; rows of one span in file order. A span whose rows all fail
            // their sense still covers its tokens, so "Mask DINO" never falls back to "DINO".
            found.sort { ($0.length, -$0.start, -$0.alias) > ($1.length, -$1.start, -$1.alias) }
            var selected: [(start: Int, alias: Int, written: String)] = []
            var k = 0
            while k < found.count {
                let f = found[k]
                var next = k + 1
                while next < found.count && found[next].start == f.start && found[next].length == f.length { next += 1 }
                let span = f.start..<(f.start + f.length)
                if !span.contains(where: { covered[$0] }) {
                    for c in span { covered[c] = true }
                    let written = span.map(text.exact).joined(separator: " ")
                    // An `ignore` row stops the rows after it (generic words stay generic).
                    if let chosen = found[k..<next].first(where: { aliases[$0.alias].ignore || fits(aliases[$0.alias], written: written, in: raw[t]) }),
                       !aliases[chosen.alias].ignore {
                        selected.append((chosen.start, chosen.alias, written))
                    }
                }
                k = next
            }
            selected.sort { $0.start < $1.start }
            for f in selected {
                var m = aliases[f.alias].mention
                m.matched = f.written
                if seen.insert(m.model).inserted { out.append(m) }
            }
        }
        return out
    }
}
