import DivideClassify
import DivideCore
import Testing

@Suite struct TeamTypeTests {
    @Test func teamTypeRules() {
        #expect(TeamType(authorSectors: [[.academia], [.academia]]) == .academicOnly)
        #expect(TeamType(authorSectors: [[.industry], [.industry]]) == .industryOnly)
        #expect(TeamType(authorSectors: [[.academia], [.industry]]) == .collaboration)
        #expect(TeamType(authorSectors: [[.academia, .industry]]) == .collaboration)  // one author, both
        #expect(TeamType(authorSectors: [[.academia], [.industry], [.government]]) == .collaboration)
        #expect(TeamType(authorSectors: [[.government], [.nonprofit]]) == .governmentNonprofit)
        #expect(TeamType(authorSectors: [[.nonprofit]]) == .governmentNonprofit)
        #expect(TeamType(authorSectors: [[.academia], [.government]]) == .academiaGovernmentNonprofit)
        #expect(TeamType(authorSectors: [[.academia], [.nonprofit], []]) == .academiaGovernmentNonprofit)
        #expect(TeamType(authorSectors: [[.industry], [.nonprofit]]) == .industryGovernmentNonprofit)
        #expect(TeamType(authorSectors: [[], []]) == .unknown)
        #expect(TeamType(authorSectors: []) == .unknown)
    }

    @Test func partiallyKnownAuthorListsUseTheKnownAuthors() {
        // Unknown authors are left out, not guessed: two academics and one unknown → academic-only.
        #expect(TeamType(authorSectors: [[.academia], [], [.academia]]) == .academicOnly)
        #expect(TeamType(authorSectors: [[], [.industry]]) == .industryOnly)
    }
}

// Serialized: the shared classifier memoizes (not thread-safe, one per thread by design).
@Suite(.serialized, .enabled(if: ClassifyFixtures.snapshotAvailable, "needs the snapshot (set SNAPSHOT)"))
struct SectorClassifierTests {
    static let classifier = try! ClassifyFixtures.sectorClassifier()

    func sectors(_ s: String) -> [Sector] { SectorClassifierTests.classifier.sectors(affiliation: s) }

    @Test func rawStringsFromTheIssue() {
        #expect(sectors("Dept. of CS, Stanford University, CA") == [.academia])
        #expect(sectors("Google Research, Brain Team") == [.industry])
        #expect(sectors("Tsinghua University; Microsoft Research Asia") == [.academia, .industry])
    }

    @Test func traps() {
        #expect(sectors("MIT-IBM Watson AI Lab") == [.academia, .industry])
        #expect(sectors("Toyota Technological Institute at Chicago") == [.academia])
        #expect(sectors("Allen Institute for AI") == [.nonprofit])
        #expect(sectors("Mila, Quebec Artificial Intelligence Institute") == [.academia])
        #expect(sectors("Max Planck Institute for Intelligent Systems, Tübingen") == [.academia])
        #expect(sectors("Lawrence Livermore National Laboratory") == [.government])
        #expect(sectors("Massachusetts General Hospital") == [.academia])
        #expect(sectors("Metabolism and Renal Physiology") != [.industry])  // "Meta" is a whole word only
        #expect(sectors("Tencent AI Lab, Bellevue, WA") == [.industry])   // a city is not an organization
    }

    @Test func evidenceNamesTheRuleAndRegistryId() throws {
        let matches = SectorClassifierTests.classifier.match(affiliation: "Department of Computer Science, Stanford University")
        let stanford = try #require(matches.first)
        #expect(stanford.organizationID.hasPrefix("https://ror.org/"))
        #expect(stanford.rule == "ror")
        let curated = SectorClassifierTests.classifier.match(affiliation: "Google Brain")
        #expect(curated.first?.rule == "curated:phrase")
    }

    @Test func emailDomains() {
        let registry = SectorClassifierTests.classifier.registry
        #expect(registry.match(domain: "cs.stanford.edu")?.sectors == [.academia])
        #expect(registry.match(domain: "jdoe@google.com")?.sectors == [.industry])
        #expect(registry.match(domain: "i2r.a-star.edu.sg")?.sectors == [.government])
        #expect(registry.match(domain: "mails.tsinghua.edu.cn")?.sectors == [.academia])
        #expect(registry.match(domain: "gmail.com") == nil)
    }

    @Test func editingTheAliasFileChangesTheOutcome() throws {
        let base = ClassifyFixtures.text("organization-aliases.tsv")
        let text = "Zorblax Dynamics, Springfield"
        #expect(SectorClassifierTests.classifier.sectors(affiliation: text) == [])
        let added = try ClassifyFixtures.sectorClassifier(aliasesText: base + "phrase\tZorblax Dynamics\tZorblax\tindustry\ttest row\n")
        #expect(added.sectors(affiliation: text) == [.industry])
        // Re-sectoring an existing row: AI2 as academia instead of nonprofit.
        let changed = try ClassifyFixtures.sectorClassifier(aliasesText: base.replacingOccurrences(
            of: "phrase\tAllen Institute for AI\tAllen Institute for AI\tnonprofit", with: "phrase\tAllen Institute for AI\tAllen Institute for AI\tacademia"))
        #expect(changed.sectors(affiliation: "Allen Institute for AI") == [.academia])
    }
}
