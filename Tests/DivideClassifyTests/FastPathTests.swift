@testable import DivideClassify
import DivideCore
import Foundation
import Testing

/// The tokenizer and its hashed form (`ScannedText`) on known answers.
@Suite struct TokenizerFastPathTests {
    @Test func nonASCIITextTokenizesAsBefore() {
        let normalizer = TextNormalizer(keepsDecimalPoints: true)
        #expect(normalizer.tokens("Université Paris-Saclay, 北京大学 Straße GPT-3.5 v2.") ==
                ["Universite", "Paris", "Saclay", "北", "京", "大", "学", "Strasse", "GPT", "3.5", "v2"])
        // Decimal points only between digits; a dot before a non-ASCII letter ends the token.
        #expect(normalizer.tokens("3.é 4.5ø Ø1") == ["3", "e", "4.5o", "O1"])
        #expect(TextNormalizer().tokens("Zürich 3.5 Łódź") == ["Zurich", "3", "5", "Lodz"])
        // Repeated characters come from the per-scalar cache and give the same tokens.
        #expect(normalizer.tokens("éé é") == ["ee", "e"])
    }

    @Test func scannedTextHashesTheLowerCasedAndStemmedTokens() {
        let normalizer = TextNormalizer(keepsDecimalPoints: true)
        let cases: [(String, [String], [String])] = [
            ("Fine-tuning LLaMA-2 7B on GPT-3.5 outputs: losses, models and RLHF.",
             ["Fine", "tuning", "LLaMA", "2", "7B", "on", "GPT", "3.5", "outputs", "losses", "models", "and", "RLHF"],
             ["fine", "tuning", "llama", "2", "7b", "on", "gpt", "3.5", "output", "losse", "model", "and", "rlhf"]),
            ("BERTs vs. CLIPs, 2.0x.", ["BERTs", "vs", "CLIPs", "2.0x"], ["bert", "vs", "clip", "2.0x"]),
            ("Zürich's LLMs", ["Zurich", "s", "LLMs"], ["zurich", "s", "llm"]),
            ("", [], []),
        ]
        for (text, exact, stems) in cases {
            let scanned = ScannedText(text, normalizer: normalizer)
            #expect((0..<scanned.count).map(scanned.exact) == exact)
            #expect(scanned.lower == exact.map { ScannedText.hash($0.lowercased()) })
            #expect(scanned.stem == stems.map(ScannedText.hash))
        }
    }

    @Test func phrasePrefixesCutAtWholeSpaceCharacters() {
        #expect(OrganizationRegistry.tokenPrefixes("stanford university") == ["stanford", "stanford university"])
        #expect(OrganizationRegistry.tokenPrefixes("one") == ["one"])
        #expect(OrganizationRegistry.tokenPrefixes("universite de montreal") == ["universite", "universite de", "universite de montreal"])
        // A space followed by a combining mark is one Character, not a place to cut.
        #expect(OrganizationRegistry.tokenPrefixes("a \u{0301}b c") == ["a \u{0301}b", "a \u{0301}b c"])
        #expect(OrganizationRegistry.tokenPrefixes("北 京 大学") == ["北", "北 京", "北 京 大学"])
    }

}

@Suite(.serialized, .enabled(if: ClassifyFixtures.snapshotAvailable, "needs the snapshot (set SNAPSHOT)"))
struct ClassifyFastPathTests {
    static let registry = try! ClassifyFixtures.sectorClassifier().registry

    @Test func registryFieldsReadSelectivelyMatchTheFullRecords() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("classify-fastpath-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/organizations.ndjson.gz"
        let writer = try NDJSONWriter(path: path)
        for org in ClassifyFixtures.organizations.prefix(2000) { try writer.write(org) }
        try writer.commit()
        let full = try NDJSONReader(path: path).readAll(Organization.self)
        let selective = try PaperClassificationSetup.readOrganizations(path: path)
        #expect(selective.count == full.count)
        for (a, b) in zip(selective, full) {
            #expect(a.id == b.id && a.name == b.name && a.source == b.source && a.sectors == b.sectors)
            #expect(a.aliases == b.aliases && a.acronyms == b.acronyms && a.domains == b.domains)
        }
    }
}

@Suite struct RORSelectiveParseTests {
    @Test func selectiveRORLineGivesTheSameOrganization() throws {
        let v2 = #"{"id":"https://ror.org/00x","status":"active","locations":[{"geonames_details":{"name":"Zürich","lat":47.3}}],"names":[{"value":"ETH Zürich","types":["ror_display","label"]},{"value":"ETH","types":["acronym"]},{"value":"Swiss Federal Institute of Technology","types":["alias"]}],"external_ids":[{"type":"grid","all":["grid.5801.c"]}],"domains":["ethz.ch"],"links":[{"type":"website","value":"https://www.ethz.ch"}],"types":["Education","Funder"],"relationships":[{"type":"parent","id":"https://ror.org/00y","label":"ETH Domain"}]}"#
        let v1 = #"{"id":"https://ror.org/00z","name":"Google (United States)","aliases":["Google Inc."],"acronyms":[],"labels":[{"label":"Google LLC","iso639":"en"}],"links":["https://www.google.com"],"addresses":[{"city":"Mountain View"}],"types":["Company"],"relationships":[]}"#
        for line in [v2, v1] {
            let bytes = Array(line.utf8)
            let selective = try bytes.withUnsafeBufferPointer { try OrganizationRegistryBuilder.parseRORLine($0) }
            let full = try JSONParser.parse(bytes)
            let a = try #require(OrganizationRegistryBuilder.parseROR(selective))
            let b = try #require(OrganizationRegistryBuilder.parseROR(full))
            #expect(a.org == b.org && a.parentLabels == b.parentLabels)
        }
        // A line that is not an object parses in full and is skipped, as before.
        let array = Array("[1,2]".utf8)
        #expect(OrganizationRegistryBuilder.parseROR(try array.withUnsafeBufferPointer { try OrganizationRegistryBuilder.parseRORLine($0) }) == nil)
    }
}

@Suite struct DomainNameTests {
    @Test func domainsAndURLsNormalizeToTheirHost() {
        let domains: [(String, String?)] = [
            ("Stanford.EDU", "stanford.edu"), (" \tcs.stanford.edu. \n", "cs.stanford.edu"), ("x@Mail.Google.com", "mail.google.com"),
            ("a@b@c.org", "c.org"), ("www.mit.edu", "mit.edu"), ("..www.x.io..", "x.io"), ("localhost", nil), ("a b.com", nil),
            ("a/b.com", nil), ("", nil), (" ", nil), ("@", nil), ("www.", nil), (".", nil), ("WWW.Example.COM", "example.com"),
            ("üni-bonn.de", "üni-bonn.de"), ("x@ÜNI.de\u{3000}", "üni.de"),
        ]
        for (input, expected) in domains {
            #expect(DomainName.normalize(input) == expected, "\(input.debugDescription)")
        }
        let urls: [(String, String?)] = [
            ("https://www.ethz.ch/en/", "ethz.ch"), (" http://Example.com:8080/x ", "example.com"), ("ftp://a.b", "a.b"),
            ("www.x.org/path", "x.org"), ("https://", nil), ("://x.y", "x.y"), ("a:b://c.d", "c.d"),
            ("https://user@host.com/", "host.com"), ("http://münchen.de/", "münchen.de"), ("", nil),
        ]
        for (input, expected) in urls {
            #expect(DomainName.host(ofURL: input) == expected, "\(input.debugDescription)")
        }
    }
}
