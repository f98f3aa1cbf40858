import DivideClassify
import DivideCore
import Testing

/// End to end on small PaperRecord fixtures: every field of the record contract.
// Serialized: the shared classifier memoizes (not thread-safe, one per thread by design).
@Suite(.serialized, .enabled(if: ClassifyFixtures.snapshotAvailable, "needs the snapshot (set SNAPSHOT)"))
struct PaperClassifierTests {
    static let classifier: PaperClassifier = {
        let topics = try! ClassifyFixtures.topicClassifier()
        let models = ClassifyFixtures.epochModels
        return PaperClassifier(sectors: try! ClassifyFixtures.sectorClassifier(), topics: topics,
                               models: try! ModelMentionFinder(text: ClassifyFixtures.text("model-aliases.tsv"), models: models),
                               computeIntensity: TopicComputeIntensity(models: models, topics: topics))
    }()

    static let papers: [String: ClassifiedPaper] = {
        let records = try! NDJSONReader(path: ClassifyFixtures.fixtures + "/papers.ndjson").readAll(PaperRecord.self)
        return Dictionary(uniqueKeysWithValues: records.map { ($0.id, classifier.classify($0)) })
    }()

    @Test func collaborationWithEvidenceTopicAndMentions() throws {
        let p = try #require(PaperClassifierTests.papers["paperlists:icml2024#1"])
        #expect(p.teamType == .collaboration)
        #expect(p.authors.map(\.sectors) == [[.academia], [.industry]])
        #expect(p.authors[0].evidence.first?.target.organizationID.hasPrefix("https://ror.org/") == true)
        #expect(p.authors[1].evidence.first?.kind == "affiliation")  // the e-mail domain is not needed
        #expect(p.topics.primary == "foundation-models")
        #expect(p.computeIntensive)
        #expect(p.modelMentions.map(\.model) == ["Llama 2", "GPT-2"])
        #expect(p.teamResolution == .full)
        #expect(p.json["team_resolution"] == .string("full"))
        let json = p.json
        for key in ["id", "title", "year", "venue", "team_type", "authors", "topic", "topics", "compute_intensive", "model_mentions"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        #expect(json["model_mentions"]?.arrayValue?.first?["developer_sector"] == .string("industry"))
        #expect(json["model_mentions"]?.arrayValue?.first?["open_weights"] == .bool(true))
        #expect(json["authors"]?.arrayValue?.first?["countries"] == .strings(["US"]))
    }

    @Test func partiallyKnownAuthorsAndDomains() throws {
        let p = try #require(PaperClassifierTests.papers["paperlists:cvpr2019#2"])
        // Tsinghua (affiliation) + CMU (e-mail domain) + one author with nothing: academic-only, 2/3 known.
        #expect(p.teamType == .academicOnly)
        #expect(p.authors[1].evidence.first?.kind == "domain")
        #expect(abs((p.affiliationCoverage ?? 0) - 2.0 / 3.0) < 1e-9)
        #expect(p.teamResolution == .partial)  // the third author is unresolved
        #expect(p.topics.primary == "computer-vision")
        #expect(p.modelMentions.isEmpty)
    }

    @Test func otherUnknownAndJointAffiliations() throws {
        let gov = try #require(PaperClassifierTests.papers["arxiv:1501.00001"])
        #expect(gov.teamType == .governmentNonprofit)
        #expect(gov.topics.primary == "reinforcement-learning" || gov.topics.primary == "theory-optimization")
        let none = try #require(PaperClassifierTests.papers["acl:2023.acl-long.9"])
        #expect(none.teamType == .unknown && none.teamResolution == TeamResolution.none)
        #expect(none.modelMentions.isEmpty)  // "transformer" is not a model
        #expect(none.topics.primary == "nlp")
        let joint = try #require(PaperClassifierTests.papers["paperlists:nips2021#5"])
        #expect(joint.authors[0].sectors == [.academia, .industry])  // one author, both affiliations
        #expect(joint.teamType == .collaboration)
    }

    @Test func paperLevelAffiliationsCountTowardTheTeamType() throws {
        var paper = PaperRecord(id: "paperlists:cvpr2023:x", source: "paperlists", title: "Video object segmentation")
        paper.year = 2023
        paper.authors = [PaperAuthor(name: "A"), PaperAuthor(name: "B")]
        let classified = PaperClassifierTests.classifier.classify(
            paper, unassignedAffiliations: ["Peking University", "Tencent AI Lab"])
        #expect(classified.teamType == .collaboration)
        #expect(classified.authors.allSatisfy { $0.sectors.isEmpty })
        #expect(classified.json["unassigned_sectors"] == .strings(["academia", "industry"]))
        #expect(classified.affiliationCoverage == 0)
        #expect(classified.teamResolution == .full)  // both listed affiliations resolved
    }

    @Test func unknownRatesPerVenueYear() {
        var rates = UnknownRates()
        for p in PaperClassifierTests.papers.values { rates.add(p) }
        let acl = rates.rows.first { $0["venue"] == .string("acl") }
        #expect(acl?["team_unknown_rate"] == .double(1))
        #expect(rates.table.contains("acl"))
    }
}
