import DivideClassify
import DivideCore
import Testing

/// ROR 2021 names: exact-name matches, below the full ROR records and the curated aliases.
struct ROR2021NamesTests {
    static func organization(_ id: String, _ name: String, source: String, types: [String]) -> Organization {
        var org = Organization(id: id, name: name, source: source)
        org.types = types
        let (sector, rule) = SectorRules.sector(types: types, name: name, parentSectors: [])
        org.sectors = sector == .unknown ? [] : [sector]
        org.sectorRule = rule
        return org
    }

    static func classifier(aliases: String = "") throws -> SectorClassifier {
        let organizations = [
            organization("ror-2021:Zorblax Dynamics (US)", "Zorblax Dynamics", source: "ror-2021", types: ["company"]),
            organization("ror-2021:Quuxford Analytics Institute (GB)", "Quuxford Analytics Institute", source: "ror-2021", types: ["education"]),
            organization("https://ror.org/0test", "Quuxford Analytics Institute", source: "ror", types: ["government"]),
        ]
        let table = try OrganizationAliases(text: "match\tpattern\torganization\tsector\tnote\n" + aliases)
        return SectorClassifier(registry: OrganizationRegistry(organizations: organizations, aliases: table))
    }

    @Test func matchedAsAWholeSegmentOnly() throws {
        let sectors = try ROR2021NamesTests.classifier()
        #expect(sectors.match(affiliation: "Zorblax Dynamics").map(\.rule) == ["ror-2021"])
        #expect(sectors.sectors(affiliation: "Dept. of Physics, Zorblax Dynamics") == [.industry])
        // Inside a longer name it is no match: the 2021 names have no aliases to check it against.
        #expect(sectors.match(affiliation: "Zorblax Dynamics Research Hospital").allSatisfy { $0.rule != "ror-2021" })
    }

    @Test func rankedBelowRORAndTheCuratedAliases() throws {
        #expect(try ROR2021NamesTests.classifier().sectors(affiliation: "Quuxford Analytics Institute") == [.government])
        let curated = try ROR2021NamesTests.classifier(aliases: "segment\tZorblax Dynamics\tZorblax\tnonprofit\ttest row\n")
        #expect(curated.sectors(affiliation: "Zorblax Dynamics") == [.nonprofit])
    }
}
