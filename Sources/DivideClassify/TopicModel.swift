import DivideCore
import DivideStats
import Foundation

/// A logistic-regression layer over the topic rules, trained when `classify papers` starts on the
/// development split of the random labeled sample (Fixtures/random-sample), with the text of
/// those papers as this run reads them. Two models share one feature space:
///
/// - **foundation-models**: binary, P(the paper is a foundation-model paper);
/// - **primary topic**: multinomial (softmax) over every topic of the taxonomy.
///
/// Features (all from the dev split's papers; names as in `topic_evidence`): `score:<topic>`
/// (the rule score, sign · log(1 + |s|)), `rule:<pattern>` (a rule fired; `*` = strong cue),
/// `strong-cue:title` / `strong-cue:abstract` (a foundation-models strong cue, where), `word:` and
/// `title:` (a stemmed word of title+abstract / of the title), `bigram:` (two consecutive stemmed
/// words), each kept when it occurs in at least `minDocuments` dev papers, `year:<bucket>`,
/// `source:<source>`, `abstract:none`, and an unpenalized intercept.
///
/// Decision: foundation-models when P ≥ the threshold, otherwise the most probable other topic.
/// After the model, the rules: a paper is foundation-models only with a strong cue of the rules,
/// and before the rules' `explicit_cue_before_year` (2017) only with one in its title or keywords.
///
/// The L2 penalties and the threshold are chosen by k-fold cross-validation on the dev split
/// (stratified by labeled topic); the held-out split is never read here. Deterministic: the folds
/// follow the labels' ids, the optimizer (L-BFGS from zero) has no randomness.
public final class TopicModel: @unchecked Sendable {
    /// One labeled development paper: its record as this run reads it and its labels.
    public struct Example {
        public let paper: PaperRecord
        public let topic: String
        public let foundationModel: Bool
        /// Drawn among papers with a strong cue (Fixtures/strong-cue-sample), not from all papers:
        /// it trains the foundation-models model only, whose decision matters only for such
        /// papers; the primary-topic model and the dev split's figures use the random sample alone.
        public let strongCueSample: Bool
        public init(paper: PaperRecord, topic: String, foundationModel: Bool, strongCueSample: Bool = false) {
            self.paper = paper
            self.topic = topic
            self.foundationModel = foundationModel
            self.strongCueSample = strongCueSample
        }
    }

    public struct Settings: Equatable {
        public var folds = 5
        public var fmRidges: [Double] = [0.3, 0.1, 0.03]
        public var topicRidges: [Double] = [0.01, 0.003, 0.001]
        public var minDocuments = 3
        public var maxIterations = 100
        public init() {}
    }

    /// What cross-validation chose, and the dev split's out-of-fold figures at that choice.
    public struct Choice {
        public var fmRidge: Double
        public var topicRidge: Double
        public var threshold: Double
        /// Out-of-fold: every dev paper of the random sample predicted by the models trained on the
        /// other folds; the strong-cue sample's papers, foundation-models or not, likewise.
        public var outOfFold: RandomSampleValidation.Score
        public var strongCueOutOfFold: RandomSampleValidation.Score
        /// Per ridge: the chosen threshold of foundation-models and the mean out-of-fold F1 around it; the topic accuracy.
        public var fmTable: [(ridge: Double, threshold: Double, f1: Double)]
        public var topicTable: [(ridge: Double, accuracy: Double)]
    }

    /// A paper's features: sparse (index, value) pairs plus what the year rule needs.
    struct Row {
        var indices: [Int32] = []
        var values: [Double] = []
        /// The leading entries that are rule-side features (before the words): all the topic model reads.
        var ruleSide = 0
        var strongInTitle = false
        var strongInAbstract = false
        var year: Int?
    }

    public let topicIDs: [String]
    let fmTopic: Int
    let featureNames: [String]
    private let space: FeatureSpace
    private let fmWeights: [Double]
    /// Feature-major: weight of feature j for topic k at `j * topicIDs.count + k`.
    private let topicWeights: [Double]
    public let choice: Choice
    /// Dev papers of the random sample, and of the strong-cue sample.
    public let examples: Int
    public let strongCueExamples: Int
    let folds: Int
    private let explicitCueBeforeYear: Int?

    // MARK: features

    /// Index of every feature: fixed ones, rules, and the words of the dev papers.
    struct FeatureSpace {
        var names: [String] = []
        var words = HashIndex()
        var titleWords = HashIndex()
        var bigrams = HashIndex()
        var rules: [Int: Int32] = [:]
        var scores: [Int32] = []
        var strongTitle: Int32 = 0
        var strongAbstract: Int32 = 0
        var noAbstract: Int32 = 0
        var years: [String: Int32] = [:]
        var sources: [String: Int32] = [:]
        /// Features before this index are rule-side (scores, rules, cues, year, source); from it on, words.
        var firstWord: Int32 = 0

        mutating func add(_ name: String) -> Int32 {
            names.append(name)
            return Int32(names.count - 1)
        }
    }

    static let yearBuckets = ["year:before-2017", "year:2017-2018", "year:2019-2020", "year:2021-2022", "year:2023-", "year:unknown"]

    static func yearBucket(_ year: Int?) -> String {
        guard let year else { return yearBuckets[5] }
        switch year {
        case ..<2017: return yearBuckets[0]
        case 2017...2018: return yearBuckets[1]
        case 2019...2020: return yearBuckets[2]
        case 2021...2022: return yearBuckets[3]
        default: return yearBuckets[4]
        }
    }

    @inline(__always)
    static func bigram(_ a: UInt64, _ b: UInt64) -> UInt64 {
        (a &* 0x9E37_79B9_7F4A_7C15) ^ ((b << 29) | (b >> 35))
    }

    /// The rule-side facts of one paper the features need.
    struct RuleFacts {
        var firing: TopicClassifier.Firing
        var strongInTitle: Bool
        var strongInAbstract: Bool
    }

    /// `words: false` stops after the rule side (all the topic multinomial reads).
    static func row(space: FeatureSpace, facts: RuleFacts, title: ScannedText, abstract: ScannedText,
                    year: Int?, source: String, words withWords: Bool = true) -> Row {
        var row = Row(strongInTitle: facts.strongInTitle, strongInAbstract: facts.strongInAbstract, year: year)
        // Rule-side features are distinct by construction but for rules firing in several fields.
        func set(_ index: Int32?, _ value: Double = 1) {
            guard let index, !row.indices.contains(index) else { return }
            row.indices.append(index)
            row.values.append(value)
        }
        for (t, s) in facts.firing.score.enumerated() where s != 0 {
            set(space.scores[t], (s < 0 ? -1 : 1) * log(1 + abs(s)))
        }
        for f in facts.firing.fired { set(space.rules[f.rule]) }
        if facts.strongInTitle { set(space.strongTitle) }
        if facts.strongInAbstract { set(space.strongAbstract) }
        if abstract.count == 0 { set(space.noAbstract) }
        set(space.years[yearBucket(year)])
        set(space.sources[source])
        row.ruleSide = row.indices.count
        guard withWords else { return row }
        var words: [Int32] = []
        words.reserveCapacity(2 * (title.count + abstract.count) + title.count)
        func word(_ index: Int32) { if index >= 0 { words.append(index) } }
        for text in [title, abstract] {
            let stems = text.stem
            for (i, h) in stems.enumerated() {
                word(space.words[h])
                if i > 0 { word(space.bigrams[bigram(stems[i - 1], h)]) }
            }
        }
        for h in title.stem { word(space.titleWords[h]) }
        // Word features are presence flags: each once.
        words.sort()
        var last: Int32 = -1
        for w in words where w != last {
            row.indices.append(w)
            row.values.append(1)
            last = w
        }
        return row
    }

    // MARK: training

    /// Trains on `examples` (the dev split), choosing penalties and threshold by cross-validation;
    /// `labelsPath` names the labels in errors.
    public init(examples: [Example], rules: TopicClassifier, labelsPath: String, settings: Settings = Settings()) throws {
        let randomCount = examples.filter { !$0.strongCueSample }.count
        guard randomCount >= settings.folds * 2 else {
            throw DivideError(file: labelsPath, reason: "topic model: \(randomCount) labeled development papers of the random sample found in the input, need at least \(settings.folds * 2)")
        }
        let topicIDs = rules.topics.map(\.id)
        let topicIndex = Dictionary(topicIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        guard let fm = topicIndex[ClassificationValidation.focusTopic] else {
            throw DivideError(file: labelsPath, reason: "topic model: the taxonomy has no \(ClassificationValidation.focusTopic) topic")
        }
        for e in examples where topicIndex[e.topic] == nil {
            throw DivideError(file: labelsPath, reason: "topic model: paper \(e.paper.id) is labeled with the unknown topic '\(e.topic)'")
        }
        self.topicIDs = topicIDs
        fmTopic = fm
        explicitCueBeforeYear = rules.explicitCueBeforeYear
        self.examples = randomCount
        strongCueExamples = examples.count - randomCount
        folds = settings.folds
        // Sorted by id: the folds and the fit do not depend on the input's order.
        let sorted = examples.sorted { $0.paper.id < $1.paper.id }
        let normalizer = TextNormalizer(keepsDecimalPoints: true)
        var texts: [(title: ScannedText, abstract: ScannedText, facts: RuleFacts)] = []
        for e in sorted {
            let title = ScannedText(e.paper.title, normalizer: normalizer)
            let abstract = ScannedText(e.paper.abstract ?? "", normalizer: normalizer)
            texts.append((title, abstract, rules.facts(TopicModel.input(e.paper), title: title, abstract: abstract, topic: fm)))
        }

        // The feature space: fixed features, every rule, words in ≥ minDocuments dev papers.
        var space = FeatureSpace()
        _ = space.add("intercept")
        space.scores = topicIDs.map { space.add("score:\($0)") }
        for (id, rule) in rules.ruleList.enumerated() { space.rules[id] = space.add("rule:\(rule.pattern)\(rule.strong ? "*" : "")") }
        space.strongTitle = space.add("strong-cue:title")
        space.strongAbstract = space.add("strong-cue:abstract")
        space.noAbstract = space.add("abstract:none")
        for b in TopicModel.yearBuckets { space.years[b] = space.add(b) }
        for s in Set(sorted.map(\.paper.source)).sorted() { space.sources[s] = space.add("source:\(s)") }
        space.firstWord = Int32(space.names.count)
        var wordCounts: [UInt64: (n: Int, name: String)] = [:]
        var titleCounts: [UInt64: (n: Int, name: String)] = [:]
        var bigramCounts: [UInt64: (n: Int, name: String)] = [:]
        func name(_ text: ScannedText, _ i: Int) -> String { TextNormalizer.stem(TextNormalizer.lowercase(text.exact(i))) }
        for t in texts {
            var words = Set<UInt64>(), titleWords = Set<UInt64>(), bigrams = Set<UInt64>()
            for text in [t.title, t.abstract] {
                for (i, h) in text.stem.enumerated() {
                    if words.insert(h).inserted, wordCounts[h] == nil { wordCounts[h] = (0, name(text, i)) }
                    if i > 0 {
                        let b = TopicModel.bigram(text.stem[i - 1], h)
                        if bigrams.insert(b).inserted, bigramCounts[b] == nil { bigramCounts[b] = (0, name(text, i - 1) + " " + name(text, i)) }
                    }
                }
            }
            for (i, h) in t.title.stem.enumerated() where titleWords.insert(h).inserted && titleCounts[h] == nil {
                titleCounts[h] = (0, name(t.title, i))
            }
            for h in words { wordCounts[h]!.n += 1 }
            for h in titleWords { titleCounts[h]!.n += 1 }
            for b in bigrams { bigramCounts[b]!.n += 1 }
        }
        func keep(_ counts: [UInt64: (n: Int, name: String)], _ prefix: String) -> HashIndex {
            var out = HashIndex()
            // Name order, so feature indices do not depend on hashing order.
            for (h, c) in counts.filter({ $0.value.n >= settings.minDocuments }).sorted(by: { ($0.value.name, $0.key) < ($1.value.name, $1.key) }) {
                out[h] = space.add(prefix + c.name)
            }
            return out
        }
        space.words = keep(wordCounts, "word:")
        space.titleWords = keep(titleCounts, "title:")
        space.bigrams = keep(bigramCounts, "bigram:")
        self.space = space
        featureNames = space.names

        let rows = zip(sorted, texts).map { e, t in
            TopicModel.row(space: space, facts: t.facts, title: t.title, abstract: t.abstract, year: e.paper.year, source: e.paper.source)
        }
        let fmLabels = sorted.map(\.foundationModel)
        let topicLabels = sorted.map { topicIndex[$0.topic]! }
        let random = sorted.map { !$0.strongCueSample }
        let p = space.names.count
        let ruleSide = Int(space.firstWord)
        let k = topicIDs.count

        // Folds stratified by labeled topic (the strong-cue sample by its foundation-models label):
        // within each stratum, papers in id order go round-robin.
        var fold = [Int](repeating: 0, count: rows.count)
        var perStratum = [Int](repeating: 0, count: k + 2)
        for i in rows.indices {
            let stratum = random[i] ? topicLabels[i] : k + (fmLabels[i] ? 1 : 0)
            fold[i] = perStratum[stratum] % settings.folds
            perStratum[stratum] += 1
        }
        // Every (model, ridge, fold) triple fits that model on the other folds and predicts this fold.
        let jobs = [(0, settings.fmRidges), (1, settings.topicRidges)].flatMap { m, ridges in
            ridges.indices.flatMap { r in (0..<settings.folds).map { (model: m, ridge: r, fold: $0) } }
        }
        let predictions = try ParallelMap.map(count: jobs.count) { j -> [(Int, [Double])] in
            let job = jobs[j]
            let train = rows.indices.filter { fold[$0] != job.fold && (job.model == 0 || random[$0]) }
            let test = rows.indices.filter { fold[$0] == job.fold && (job.model == 0 || random[$0]) }
            if job.model == 0 {
                let w = TopicModel.fitBinary(rows: train.map { rows[$0] }, labels: train.map { fmLabels[$0] }, features: p,
                                             ridge: settings.fmRidges[job.ridge], maxIterations: settings.maxIterations)
                return test.map { ($0, [TopicModel.probability(w, rows[$0])]) }
            }
            let w = TopicModel.fitSoftmax(rows: train.map { rows[$0] }, labels: train.map { topicLabels[$0] }, features: ruleSide,
                                          classes: k, ridge: settings.topicRidges[job.ridge], maxIterations: settings.maxIterations)
            return test.map { ($0, TopicModel.logits(w, rows[$0], classes: k)) }
        }
        // Per ridge: the out-of-fold FM probabilities and topic logits of every dev paper.
        var fmProbability = [[Double]](repeating: [Double](repeating: 0, count: rows.count), count: settings.fmRidges.count)
        var topicLogits = [[[Double]]](repeating: [[Double]](repeating: [], count: rows.count), count: settings.topicRidges.count)
        for (j, out) in predictions.enumerated() {
            for (i, values) in out {
                if jobs[j].model == 0 { fmProbability[jobs[j].ridge][i] = values[0] } else { topicLogits[jobs[j].ridge][i] = values }
            }
        }
        let yearRule = rules.explicitCueBeforeYear
        func allowed(_ i: Int) -> Bool { TopicModel.fmAllowed(rows[i], before: yearRule) }
        // The threshold: on a grid 0.05…0.95 (step 0.01), the one whose neighbourhood (±0.05) has
        // the best mean out-of-fold F1 (ties: the higher one). F1 is flat near its maximum, so its
        // single best point moves with small changes to the features (0.36 → 0.39 when four topic
        // rules became case-sensitive, 3% of the FM papers); the neighbourhood's best stayed at 0.37.
        func bestThreshold(_ probs: [Double]) -> (threshold: Double, f1: Double) {
            TopicModel.neighbourhoodBest(f1: TopicModel.thresholdGrid.map { t -> Double in
                var tp = 0, fp = 0, fn = 0
                for i in probs.indices {
                    let predicted = probs[i] >= t && allowed(i)
                    if predicted && fmLabels[i] { tp += 1 } else if predicted { fp += 1 } else if fmLabels[i] { fn += 1 }
                }
                return tp == 0 ? 0 : 2 * Double(tp) / Double(2 * tp + fp + fn)
            })
        }
        let fmChoices = fmProbability.map(bestThreshold)
        // The FM ridge with the best mean out-of-fold F1 around its threshold (ties: the stronger penalty, listed first).
        var fmR = 0
        for r in fmChoices.indices where fmChoices[r].f1 > fmChoices[fmR].f1 { fmR = r }
        let threshold = fmChoices[fmR].threshold
        func decide(_ i: Int, _ r: Int) -> Int {
            if fmProbability[fmR][i] >= threshold && allowed(i) { return fm }
            return TopicModel.argmax(topicLogits[r][i], excluding: fm)
        }
        let randomRows = rows.indices.filter { random[$0] }
        let accuracy = settings.topicRidges.indices.map { r in
            Double(randomRows.filter { decide($0, r) == topicLabels[$0] }.count) / Double(randomRows.count)
        }
        var topicR = 0
        for r in accuracy.indices where accuracy[r] > accuracy[topicR] { topicR = r }
        var outOfFold = RandomSampleValidation.Score()
        for i in randomRows {
            outOfFold.add(RandomSampleValidation.Label(id: sorted[i].paper.id, split: "development", topic: sorted[i].topic,
                                                       foundationModel: fmLabels[i], borderline: false),
                          found: topicIDs[decide(i, topicR)])
        }
        var strongCueOutOfFold = RandomSampleValidation.Score()
        for i in rows.indices where !random[i] {
            let found = fmProbability[fmR][i] >= threshold && allowed(i)
            strongCueOutOfFold.add(RandomSampleValidation.Label(id: sorted[i].paper.id, split: "development", topic: sorted[i].topic,
                                                                foundationModel: fmLabels[i], borderline: false),
                                   found: found ? ClassificationValidation.focusTopic : "")
        }
        choice = Choice(fmRidge: settings.fmRidges[fmR], topicRidge: settings.topicRidges[topicR], threshold: threshold,
                        outOfFold: outOfFold, strongCueOutOfFold: strongCueOutOfFold,
                        fmTable: settings.fmRidges.indices.map { (settings.fmRidges[$0], fmChoices[$0].threshold, fmChoices[$0].f1) },
                        topicTable: settings.topicRidges.indices.map { (settings.topicRidges[$0], accuracy[$0]) })

        // The final models on the whole dev split.
        let fits = try ParallelMap.map(count: 2) { m -> [Double] in
            m == 0 ? TopicModel.fitBinary(rows: rows, labels: fmLabels, features: p, ridge: settings.fmRidges[fmR], maxIterations: settings.maxIterations)
                : TopicModel.fitSoftmax(rows: randomRows.map { rows[$0] }, labels: randomRows.map { topicLabels[$0] }, features: ruleSide,
                                        classes: k, ridge: settings.topicRidges[topicR],
                                        maxIterations: settings.maxIterations)
        }
        fmWeights = fits[0]
        topicWeights = fits[1]
    }

    static func input(_ paper: PaperRecord) -> TopicInput {
        TopicInput(title: paper.title, abstract: paper.abstract ?? "", keywords: paper.keywords, categories: paper.categories,
                   venue: paper.venue, year: paper.year)
    }

    /// The foundation-models thresholds tried: 0.05, 0.06, …, 0.95.
    static let thresholdGrid = (5...95).map { Double($0) / 100 }

    /// The grid point whose neighbourhood (five points each side, fewer at the ends) has the best
    /// mean F1 (ties: the higher threshold), with that mean; `f1[g]` is the F1 at `thresholdGrid[g]`.
    static func neighbourhoodBest(f1: [Double]) -> (threshold: Double, f1: Double) {
        var best = (threshold: 0.5, f1: -1.0)
        for g in f1.indices {
            let window = max(0, g - 5)...min(f1.count - 1, g + 5)
            let mean = window.reduce(0.0) { $0 + f1[$1] } / Double(window.count)
            if mean >= best.f1 { best = (thresholdGrid[g], mean) }
        }
        return best
    }

    /// The rules after the model: foundation-models needs a strong cue of the rules, and before
    /// `year` (explicit_cue_before_year) one in the title or keywords.
    static func fmAllowed(strongInTitle: Bool, strongInAbstract: Bool, year paperYear: Int?, before year: Int?) -> Bool {
        guard let year, let paperYear, paperYear < year else { return strongInTitle || strongInAbstract }
        return strongInTitle
    }

    static func fmAllowed(_ row: Row, before year: Int?) -> Bool {
        fmAllowed(strongInTitle: row.strongInTitle, strongInAbstract: row.strongInAbstract, year: row.year, before: year)
    }

    static func argmax(_ values: [Double], excluding: Int) -> Int {
        var best = excluding == 0 ? 1 : 0
        for k in values.indices where k != excluding && values[k] > values[best] { best = k }
        return best
    }

    static func probability(_ w: [Double], _ row: Row) -> Double {
        var eta = w[0]
        for (j, v) in zip(row.indices, row.values) { eta += w[Int(j)] * v }
        return LogisticRegression.logistic(eta)
    }

    /// The topic model's logits: it reads the rule-side features only.
    static func logits(_ w: [Double], _ row: Row, classes k: Int) -> [Double] {
        var z = Array(w[0..<k])
        for e in 0..<row.ruleSide {
            let v = row.values[e]
            let base = Int(row.indices[e]) * k
            for c in 0..<k { z[c] += w[base + c] * v }
        }
        return z
    }

    /// Mean log-loss + (λ/2)·|w|² (intercept, feature 0, unpenalized), by L-BFGS from zero.
    static func fitBinary(rows: [Row], labels: [Bool], features p: Int, ridge: Double, maxIterations: Int) -> [Double] {
        let n = Double(rows.count)
        let flat = FlatRows(rows, ruleSideOnly: false)
        let start = flat.start, index = flat.indices, value = flat.values
        return LBFGS.minimize(start: [Double](repeating: 0, count: p), maxIterations: maxIterations) { w, g in
            var loss = 0.0
            for j in 1..<p { g[j] = ridge * w[j]; loss += 0.5 * ridge * w[j] * w[j] }
            g[0] = 0
            for i in rows.indices {
                var eta = w[0]
                for e in start[i]..<start[i + 1] { eta += w[index[e]] * value[e] }
                let y = labels[i] ? 1.0 : 0.0
                // log(1 + e^η) − yη, computed stably.
                loss += (max(eta, 0) + log(1 + exp(-abs(eta))) - y * eta) / n
                let r = (LogisticRegression.logistic(eta) - y) / n
                g[0] += r
                for e in start[i]..<start[i + 1] { g[index[e]] += r * value[e] }
            }
            return loss
        }
    }

    /// The rows' entries end to end (each row's rule-side ones only, or all): what a fit's
    /// objective reads at each of its hundreds of evaluations, without copying every row (and
    /// retaining its arrays) each time.
    struct FlatRows {
        /// Row i's entries are `start[i]..<start[i + 1]`.
        var start: [Int] = [0]
        var indices: [Int] = []
        var values: [Double] = []

        init(_ rows: [Row], ruleSideOnly: Bool) {
            for row in rows {
                let count = ruleSideOnly ? row.ruleSide : row.indices.count
                indices += row.indices[..<count].map { Int($0) }
                values += row.values[..<count]
                start.append(indices.count)
            }
        }
    }

    /// Mean softmax cross-entropy + (λ/2)·|W|² (the intercepts, feature 0, unpenalized), over the
    /// rule-side features (`features` = their count): with 12 topics the words would make the fit
    /// too slow for classify time, and the words' main use, foundation-models, has its own model.
    static func fitSoftmax(rows: [Row], labels: [Int], features p: Int, classes k: Int, ridge: Double, maxIterations: Int) -> [Double] {
        let n = Double(rows.count)
        let flat = FlatRows(rows, ruleSideOnly: true)
        let start = flat.start, index = flat.indices, value = flat.values
        return LBFGS.minimize(start: [Double](repeating: 0, count: p * k), maxIterations: maxIterations) { w, g in
            var loss = 0.0
            for c in 0..<k { g[c] = 0 }
            for j in k..<(p * k) { g[j] = ridge * w[j]; loss += 0.5 * ridge * w[j] * w[j] }
            var z = [Double](repeating: 0, count: k)
            for i in rows.indices {
                for c in 0..<k { z[c] = w[c] }
                for e in start[i]..<start[i + 1] {
                    let v = value[e]
                    let base = index[e] * k
                    for c in 0..<k { z[c] += w[base + c] * v }
                }
                let top = z.max()!
                var sum = 0.0
                for c in 0..<k { z[c] = exp(z[c] - top); sum += z[c] }
                loss += (log(sum) - log(z[labels[i]])) / n
                for c in 0..<k { z[c] = (z[c] / sum - (c == labels[i] ? 1 : 0)) / n }
                for c in 0..<k { g[c] += z[c] }
                for e in start[i]..<start[i + 1] {
                    let v = value[e]
                    let base = index[e] * k
                    for c in 0..<k { g[base + c] += z[c] * v }
                }
            }
            return loss
        }
    }

    // MARK: classifying

    /// The model's decision on a paper the rules have assessed, with its evidence appended.
    func decide(rules assignment: TopicAssignment, facts: RuleFacts, title: ScannedText, abstract: ScannedText,
                year: Int?, source: String) -> TopicAssignment {
        // A paper the rules after the model would keep out of foundation-models (most papers) needs
        // neither its word features nor the foundation-models probability.
        let allowed = TopicModel.fmAllowed(strongInTitle: facts.strongInTitle, strongInAbstract: facts.strongInAbstract, year: year,
                                            before: explicitCueBeforeYear)
        let row = TopicModel.row(space: space, facts: facts, title: title, abstract: abstract, year: year, source: source, words: allowed)
        let probability = allowed ? TopicModel.probability(fmWeights, row) : 0
        let k = topicIDs.count
        var evidence = assignment.evidence
        let primary: Int
        var contributions: [(Double, Int32)]
        if allowed && probability >= choice.threshold {
            primary = fmTopic
            evidence.append("model:\(topicIDs[fmTopic]) p=\(TopicModel.format(probability)) ≥ \(TopicModel.format(choice.threshold))")
            contributions = zip(row.indices, row.values).map { (fmWeights[Int($0)] * $1, $0) }
        } else {
            let z = TopicModel.logits(topicWeights, row, classes: k)
            primary = TopicModel.argmax(z, excluding: fmTopic)
            let top = z.max()!
            let sum = z.reduce(0) { $0 + exp($1 - top) }
            let why = allowed ? "foundation-models p=\(TopicModel.format(probability)) < \(TopicModel.format(choice.threshold))"
                : facts.strongInTitle || facts.strongInAbstract ? "foundation-models needs a strong cue in the title before \(explicitCueBeforeYear ?? 0)"
                : "foundation-models needs a strong cue"
            evidence.append("model:\(topicIDs[primary]) p=\(TopicModel.format(exp(z[primary] - top) / sum)) (\(why))")
            contributions = (0..<row.ruleSide).map { (topicWeights[Int(row.indices[$0]) * k + primary] * row.values[$0], row.indices[$0]) }
        }
        // The five features that pushed hardest toward the decision.
        var top: [(Double, Int32)] = []
        for c in contributions where c.0 > 0 {
            let at = top.firstIndex { c.0 > $0.0 || (c.0 == $0.0 && c.1 < $0.1) } ?? top.count
            if at < 5 {
                top.insert(c, at: at)
                if top.count > 5 { top.removeLast() }
            }
        }
        for (c, j) in top {
            evidence.append("feature:\(featureNames[Int(j)]) +\(TopicModel.format(c))")
        }
        var out = assignment
        out.primary = topicIDs[primary]
        out.topics = [out.primary] + assignment.topics.filter { $0 != out.primary }
        out.evidence = evidence
        return out
    }

    /// Two decimals (String(format:) is slow on Linux, and this runs for every paper).
    static func format(_ x: Double) -> String {
        let hundredths = Int((abs(x) * 100).rounded())
        let fraction = hundredths % 100
        return (x < 0 && hundredths > 0 ? "-" : "") + "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }

    /// The chosen settings and the dev split's cross-validated figures, for validation.json.
    public var json: JSONValue {
        func r(_ x: Double) -> JSONValue { .double(ClassificationValidation.round4(x)) }
        let o = choice.outOfFold
        return .object([
            ("method", .string("logistic regressions (foundation-models binary, primary topic multinomial) on rule scores, rules fired, words, bigrams, year bucket and source; trained on the development split (the foundation-models model also on the strong-cue sample); L2 penalties and threshold by \(folds)-fold cross-validation on it")),
            ("development_papers", .int(examples)),
            ("strong_cue_papers", .int(strongCueExamples)),
            ("features", .int(featureNames.count)),
            ("foundation_models_ridge", r(choice.fmRidge)),
            ("topic_ridge", r(choice.topicRidge)),
            ("foundation_models_threshold", r(choice.threshold)),
            ("cross_validation_foundation_models", .array(choice.fmTable.map {
                .object([("ridge", r($0.ridge)), ("best_threshold", r($0.threshold)), ("f1", r($0.f1))]) })),
            ("cross_validation_primary_topic", .array(choice.topicTable.map {
                .object([("ridge", r($0.ridge)), ("accuracy", r($0.accuracy))]) })),
            ("development_out_of_fold", .object([
                ("foundation_models_precision", RandomSampleValidation.interval(o.precision)),
                ("foundation_models_recall", RandomSampleValidation.interval(o.recall)),
                ("primary_topic_accuracy", RandomSampleValidation.interval(o.accuracy)),
            ])),
            ("strong_cue_out_of_fold", .object([
                ("foundation_models_precision", RandomSampleValidation.interval(choice.strongCueOutOfFold.precision)),
                ("foundation_models_recall", RandomSampleValidation.interval(choice.strongCueOutOfFold.recall)),
            ])),
        ])
    }
}

extension TopicModel {
    /// The development split's papers, and the strong-cue sample's, as `input` (the stage's input)
    /// holds them: one pass that parses only the lines whose id is labeled (records open with
    /// `{"id":"…"`; any other line is parsed to find its id).
    public static func developmentExamples(input: String, sample: RandomSampleValidation,
                                           strongCueSample: RandomSampleValidation? = nil) throws -> [Example] {
        var wanted = sample.labels.filter { $0.value.split == "development" }.mapValues { ($0, false) }
        for (id, label) in strongCueSample?.labels ?? [:] { wanted[id] = (label, true) }
        var out: [Example] = []
        let prefix = Array("{\"id\":\"".utf8)
        let lines = try LineReader(path: input)
        try lines.forEachLine { line in
            var id: String?
            if line.count > prefix.count, line.starts(with: prefix),
               let end = line[prefix.count...].firstIndex(of: UInt8(ascii: "\"")), !line[prefix.count..<end].contains(UInt8(ascii: "\\")) {
                id = String(decoding: UnsafeBufferPointer(rebasing: line[prefix.count..<end]), as: UTF8.self)
            } else {
                id = try JSONParser.parseObject(line, selecting: JSONParser.Members(keeping: ["id"]))["id"]?.stringValue
            }
            guard let id, let (label, strongCue) = wanted[id] else { return }
            do {
                let paper = try PaperRecord(json: JSONParser.parseObject(line, selecting: ClassifyStage.paperKeys))
                out.append(Example(paper: paper, topic: label.topic, foundationModel: label.foundationModel, strongCueSample: strongCue))
            } catch {
                throw DivideError(file: input, location: "line \(lines.lineNumber)", reason: "\(error)")
            }
        }
        return out
    }
}

/// Feature indices by token hash (FNV-1a already spreads the bits): open addressing, so the
/// lookups for every word of every paper hash no further.
struct HashIndex {
    private var keys: [UInt64] = Array(repeating: 0, count: 16)
    private var values: [Int32] = Array(repeating: -1, count: 16)
    private var count = 0

    /// The feature index of `key`, or -1.
    subscript(key: UInt64) -> Int32 {
        get {
            let mask = keys.count - 1
            var slot = Int(truncatingIfNeeded: key ^ (key >> 32)) & mask
            while values[slot] >= 0 {
                if keys[slot] == key { return values[slot] }
                slot = (slot + 1) & mask
            }
            return -1
        }
        set {
            if 2 * (count + 1) > keys.count { grow() }
            let mask = keys.count - 1
            var slot = Int(truncatingIfNeeded: key ^ (key >> 32)) & mask
            while values[slot] >= 0 && keys[slot] != key { slot = (slot + 1) & mask }
            if values[slot] < 0 { count += 1 }
            keys[slot] = key
            values[slot] = newValue
        }
    }

    private mutating func grow() {
        let old = zip(keys, values).filter { $0.1 >= 0 }
        keys = Array(repeating: 0, count: keys.count * 2)
        values = Array(repeating: -1, count: keys.count)
        count = 0
        for (k, v) in old { self[k] = v }
    }
}
