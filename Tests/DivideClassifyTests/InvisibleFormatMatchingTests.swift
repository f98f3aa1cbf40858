import DivideClassify
import DivideCore
import Testing

/// An organization name with a zero-width space inside, or wrapped in a right-to-left override,
/// is the organization it reads as, not an unknown or look-alike one.
@Test func invisibleFormatCharactersDoNotChangeTheOrganization() throws {
    let classifier = SectorClassifierTests.classifier
    let google = try #require(classifier.match(affiliation: "Google").first).organizationID
    #expect(classifier.match(affiliation: "Goo\u{200B}gle").map(\.organizationID) == [google])
    #expect(classifier.match(affiliation: "\u{202E}Google\u{202C}").map(\.organizationID) == [google])
    #expect(classifier.match(affiliation: "\u{FEFF}Google").map(\.organizationID) == [google])
    let stanford = try #require(classifier.match(affiliation: "Stanford University").first).organizationID
    #expect(classifier.match(affiliation: "Stan\u{200D}ford\u{2066} University\u{2069}").map(\.organizationID) == [stanford])
}
