import DivideClassify
import DivideCore
import Testing

/// Issue 16: every name the issue lists gets the sector a person would give it, through the
/// registry and classifier the classify stage builds (the snapshot's ROR, university lists, swot,
/// ROR 2021 names and Epoch organizations, with reference/organization-aliases.tsv).
@Suite(.enabled(if: ClassifyFixtures.snapshotAvailable, "needs the snapshot (set SNAPSHOT)"))
struct OrganizationsTheRegistryMissesTests {
    static let classifier: SectorClassifier = try! ClassifyFixtures.sectorClassifier()

    /// Affiliations as the issue writes them → the sector a person gives them.
    static let affiliations: [(String, Sector)] = [
        // Companies no table knew.
        ("Cleanlab", .industry), ("QCraft", .industry), ("H2O.ai", .industry), ("Onfido", .industry),
        ("Freenome", .industry), ("Fidelity Investments", .industry), ("SI Analytics", .industry),
        ("CyberCore AI", .industry), ("Viettel Group", .industry), ("InterDigital", .industry),
        ("layer6.ai", .industry), ("prowler.io", .industry), ("Expedia, Switzerland", .industry),
        // A company wins over the keyword "Institute".
        ("360 AI Institute", .industry),
        // A known one-word or acronym name with a descriptor.
        ("Technicolor Research", .industry), ("ZEISS Microscopy", .industry), ("MasterCard AI Garage", .industry),
        ("Shopee Discovery Ads", .industry), ("Dyson Robot Learning Lab", .industry),
        ("GTE Laboratories Incorporated", .industry),
        // Abbreviations and a misspelling of long names.
        ("U. Penn.", .academia), ("UT Arlington", .academia), ("U. Tilburg", .academia), ("SRI Internaional", .nonprofit),
        ("TU Eindhoven", .academia),
        // Public research institutes (reference/README.md, "Sector rules").
        ("A*STAR", .government), ("AIST", .government), ("CEA", .government), ("CSIRO", .government),
        ("Fraunhofer Institute for Intelligent Analysis and Information Systems", .nonprofit), ("RIKEN", .academia),
        ("Lawrence Livermore National Laboratory", .government),
    ]

    @Test(arguments: affiliations)
    func everyNameOfTheIssueGetsItsSector(_ affiliation: String, _ sector: Sector) {
        let found = Self.classifier.match(affiliation: affiliation)
        #expect(Self.classifier.sectors(affiliation: affiliation) == [sector],
                "\(affiliation) → \(found.map { "\($0.organization) (\($0.rule))" })")
    }

    /// The evidence says which second step reached the name.
    @Test func theEvidenceNamesTheStep() {
        #expect(Self.classifier.match(affiliation: "Technicolor Research").map(\.rule) == ["ror+descriptor"])
        #expect(Self.classifier.match(affiliation: "U. Penn.").first?.rule.hasSuffix("+abbreviation") == true)
        #expect(Self.classifier.match(affiliation: "SRI Internaional").map(\.rule) == ["curated:phrase+spelling"])
    }

    /// The Expedia + university paper of the issue is a collaboration, not academic-only.
    @Test func aCompanyBesideAUniversityMakesACollaboration() {
        let sectors = [["Expedia, Switzerland"], ["ETH Zurich"]].map { $0.flatMap(Self.classifier.sectors(affiliation:)) }
        #expect(TeamType(authorSectors: sectors) == .collaboration)
    }

    /// "Dyson Robotics Lab, Imperial College London" is Imperial's lab: a descriptor rule applies
    /// only where nothing matched, so the company does not join the university.
    @Test func aCompanyNameInsideAUniversityLabIsNotTheCompany() {
        #expect(Self.classifier.sectors(affiliation: "Dyson Robotics Lab, Imperial College London") == [.academia])
    }

    /// Acronyms are too often ordinary words to take a descriptor: "Sea Group" is not the
    /// Saskatchewan Epidemiology Association (SEA).
    @Test func anAcronymWithADescriptorIsNoMatch() {
        #expect(Self.classifier.match(affiliation: "Sea Group").allSatisfy { $0.rule == "keyword" || $0.sectors != [.nonprofit] })
    }

    /// Shared e-mail domains resolve to the organization that owns them.
    static let domains: [(String, Sector)] = [
        ("uwaterloo.ca", .academia), ("uoguelph.ca", .academia), ("kth.se", .academia), ("cea.fr", .government),
        ("esa.int", .government), ("fredhutch.org", .nonprofit), ("sciencespo.fr", .academia),
    ]

    @Test(arguments: domains)
    func sharedDomainsGetTheirOwnersSector(_ domain: String, _ sector: Sector) {
        let hit = Self.classifier.registry.match(domain: "someone@" + domain)
        #expect(hit?.sectors == [sector], "\(domain) → \(hit.map { "\($0.organization) (\($0.rule))" } ?? "nothing")")
    }
}

/// Misspellings are corrected only where that cannot merge two organizations.
@Suite struct MisspelledNameTests {
    static func organization(_ id: String, _ name: String, _ types: [String], parents: [String] = [], domains: [String] = []) -> Organization {
        var org = Organization(id: id, name: name, source: "ror")
        org.types = types
        org.sectors = [SectorRules.sector(types: types, name: name, parentSectors: []).0]
        org.parents = parents
        org.domains = domains
        return org
    }

    static let classifier: SectorClassifier = {
        let organizations = [
            organization("https://ror.org/0a", "Quarnstedt Polytechnic University", ["education"]),
            organization("https://ror.org/0b", "Bielefeld Instrumentation Company", ["company"]),
            organization("https://ror.org/0c", "Bielefelt Instrumentation Company", ["nonprofit"]),
            organization("https://ror.org/0d", "Zembla Kestrel Works", ["company"]),
        ]
        let aliases = try! OrganizationAliases(text: "match\tpattern\torganization\tsector\tnote\n")
        return SectorClassifier(registry: OrganizationRegistry(organizations: organizations, aliases: aliases))
    }()

    @Test func oneLetterOffALongWordIsCorrected() {
        #expect(Self.classifier.sectors(affiliation: "Quarnstedt Polytechnik University") == [.academia])  // a letter wrong
        #expect(Self.classifier.sectors(affiliation: "Quarnstdt Polytechnic University") == [.academia])  // a letter missing
    }

    @Test func twoNamesOneLetterApartStayApart() {
        // Both spellings are known words: neither is corrected into the other.
        #expect(Self.classifier.sectors(affiliation: "Bielefeld Instrumentation Company") == [.industry])
        #expect(Self.classifier.sectors(affiliation: "Bielefelt Instrumentation Company") == [.nonprofit])
        // One letter from both, and both readings name an organization: matched to neither.
        #expect(!Self.classifier.match(affiliation: "Bielefeldt Instrumentation Company").contains { $0.organizationID.hasPrefix("https://ror.org/0") })
    }

    @Test func shortWordsAreNeverCorrected() {
        // "kestrul" is one letter from "kestrel", but seven letters are too few to correct.
        #expect(!Self.classifier.match(affiliation: "Zembla Kestrul Works").contains { $0.organizationID == "https://ror.org/0d" })
        #expect(Self.classifier.match(affiliation: "Zembla Kestrel Works").map(\.organizationID) == ["https://ror.org/0d"])
    }
}

/// A domain several registry organizations list belongs to the one that owns it.
@Suite struct SharedDomainTests {
    static func registry(_ organizations: [Organization]) -> OrganizationRegistry {
        OrganizationRegistry(organizations: organizations, aliases: try! OrganizationAliases(text: "match\tpattern\torganization\tsector\tnote\n"))
    }
    typealias O = MisspelledNameTests

    @Test func theParentOwnsTheDomainOfItsInstitutes() {
        let r = Self.registry([
            O.organization("https://ror.org/0p", "Agence Quarnstedt", ["government"], domains: ["quarn.fr"]),
            O.organization("https://ror.org/0k", "Laboratoire Quarn", ["nonprofit"], parents: ["https://ror.org/0p"], domains: ["quarn.fr"]),
        ])
        #expect(r.match(domain: "x@quarn.fr")?.organization == "Agence Quarnstedt")
    }

    @Test func theUniversityOwnsItsDomain() {
        let r = Self.registry([
            O.organization("https://ror.org/0u", "University of Quarnstedt", ["education"], domains: ["uquarn.ca"]),
            O.organization("https://ror.org/0n", "Quarnstedt Food Alliance", ["other"], domains: ["uquarn.ca"]),
        ])
        #expect(r.match(domain: "uquarn.ca")?.sectors == [.academia])
    }

    @Test func undecidedDomainsGiveNothingUntilACuratedRowDecides() {
        let orgs = [
            O.organization("https://ror.org/0h", "Quarn Cancer Center", ["nonprofit"], domains: ["quarnhutch.org"]),
            O.organization("https://ror.org/0i", "Quarn Hospital Uganda", ["healthcare"], domains: ["quarnhutch.org"]),
        ]
        #expect(Self.registry(orgs).match(domain: "quarnhutch.org") == nil)
        let curated = OrganizationRegistry(organizations: orgs, aliases: try! OrganizationAliases(
            text: "match\tpattern\torganization\tsector\tnote\ndomain\tquarnhutch.org\tQuarn Cancer Center\tnonprofit\t\n"))
        #expect(curated.match(domain: "quarnhutch.org")?.sectors == [.nonprofit])
    }
}
