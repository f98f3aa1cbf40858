import DivideCore
import Foundation

/// What `classify papers` loads before its first paper. The organization registry (reading
/// organizations.ndjson.gz and indexing every name: most of the setup) is built beside the
/// Epoch models, the topic rules and the model-mention index, so setup takes about the
/// registry's time instead of the sum.
public final class PaperClassificationSetup {
    public let registry: OrganizationRegistry
    /// The fallback for affiliation units the registry does not know, and its held-out figures.
    public let nameModel: OrganizationNameModel
    public let nameModelEvaluation: NameModelEvaluation
    public let modelRecords: [ModelRecord]
    public let topics: TopicClassifier
    public let computeIntensity: TopicComputeIntensity
    /// One for all workers: finding mentions in scanned texts only reads it.
    public let models: ModelMentionFinder
    /// Affiliation matches, shared by the workers' sector classifiers.
    public let affiliationMemo = SectorClassifier.Memo()
    private let topicRulesPath: String
    public let fmRoles: FMRoleClassifier

    private enum Part {
        case registry(OrganizationRegistry, OrganizationNameModel, NameModelEvaluation)
        case rest([ModelRecord], TopicComputeIntensity, ModelMentionFinder)
    }

    /// `organizations`: stages/classify/organizations.ndjson.gz; `models`: the deduplicated Epoch
    /// models; `reference`: the folder of the curated files.
    public init(organizations: String, models: String, reference: String) throws {
        // The curated tables first (milliseconds): an error in one of them ends the stage at once,
        // not after the registry has been built.
        let aliases = try OrganizationAliases(referenceFolder: reference)
        let topicRulesPath = reference + "/topic-rules.tsv"
        self.topicRulesPath = topicRulesPath
        let topics = try TopicClassifier(path: topicRulesPath)
        let vocabulary = try NameVocabulary(path: reference + "/name-model-descriptors.tsv")
        fmRoles = try FMRoleClassifier(path: reference + "/fm-role-rules.tsv")
        let parts = try ParallelMap.map(count: 2, workers: 2) { part -> Part in
            if part == 0 {
                let organizations = try PaperClassificationSetup.readOrganizations(path: organizations)
                // The name model is trained here, from the organizations just read, rather than
                // in `classify organizations`: training takes about as long as reading a weights
                // file back would, and its inputs (registry, curated aliases, descriptors) are
                // this stage's inputs already, so an edit of any of them retrains it.
                let trained = NameModelTraining.run(organizations: organizations, aliases: aliases, vocabulary: vocabulary)
                return .registry(OrganizationRegistry(organizations: organizations, aliases: aliases), trained.model, trained.evaluation)
            }
            let modelRecords = try NDJSONReader(path: models).readAll(ModelRecord.self)
            return .rest(modelRecords, TopicComputeIntensity(models: modelRecords, topics: topics),
                         try ModelMentionFinder(path: reference + "/model-aliases.tsv", models: modelRecords))
        }
        guard case let .registry(registry, nameModel, nameModelEvaluation) = parts[0], case let .rest(records, compute, finder) = parts[1] else { fatalError("parts out of order") }
        self.registry = registry
        self.nameModel = nameModel
        self.nameModelEvaluation = nameModelEvaluation
        modelRecords = records
        self.topics = topics
        computeIntensity = compute
        self.models = finder
    }

    /// The fields of an organization the registry indexes; types, rules and parents (what the
    /// sectors were derived from) are skipped while parsing.
    /// `types` and `parents` decide who owns a domain several organizations list.
    static let registryKeys: Set<String> = ["id", "name", "source", "sectors", "types", "aliases", "acronyms", "domains", "parents"]

    /// organizations.ndjson.gz with only `registryKeys` read; errors as `NDJSONReader.readAll`.
    static func readOrganizations(path: String) throws -> [Organization] {
        var out: [Organization] = []
        try NDJSONReader(path: path).forEach(selecting: JSONParser.Members(keeping: registryKeys)) { value, line in
            do { out.append(try Organization(json: value)) } catch {
                throw DivideError(file: path, location: "line \(line)", reason: "\(error)")
            }
        }
        return out
    }

    /// A classifier for one worker thread: its own topic rules and sector classifier (both keep
    /// per-instance caches), the shared registry, memo, mention index and compute table.
    public func makeClassifier() throws -> PaperClassifier {
        let classifier = PaperClassifier(sectors: SectorClassifier(registry: registry, nameModel: nameModel, memo: affiliationMemo),
                                         topics: try TopicClassifier(path: topicRulesPath), models: models, computeIntensity: computeIntensity)
        classifier.fmRoles = fmRoles
        return classifier
    }
}
