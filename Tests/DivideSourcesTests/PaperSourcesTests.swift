import DivideCore
@testable import DivideSources
import DivideXML
import Foundation
import Testing

struct Parsed {
    var records: [PaperRecord] = []
    var rejects: [(location: String, reason: String)] = []
    func record(_ id: String) -> PaperRecord? { records.first { $0.id == id } }
}

func parseArxivPage(_ file: String) throws -> (Parsed, ArxivOAIParser.PageResult) {
    var out = Parsed()
    let page = try ArxivOAIParser().parse(
        path: fixtures + "/arxiv-oai/cs-fixture/" + file, displayName: file,
        emit: { out.records.append($0) }, reject: { location, reason, _ in out.rejects.append((location, reason)) })
    return (out, page)
}

func parsePaperList(_ file: String) throws -> (Parsed, PaperListParser.FileResult) {
    var out = Parsed()
    let result = try PaperListParser().parse(
        path: fixtures + "/paperlists/" + file, displayName: file,
        emit: { out.records.append($0) }, reject: { location, reason, _ in out.rejects.append((location, reason)) })
    return (out, result)
}

func parseACL(_ file: String) throws -> (Parsed, ACLAnthologyParser.FileResult) {
    var out = Parsed()
    let result = try ACLAnthologyParser().parse(
        path: fixtures + "/acl-anthology/" + file, displayName: file,
        emit: { out.records.append($0) }, reject: { location, reason, _ in out.rejects.append((location, reason)) })
    return (out, result)
}

// MARK: arXiv OAI-PMH

@Test func arxivFirstPageRecordsDeletedHeaderAndResumptionToken() throws {
    let (parsed, page) = try parseArxivPage("page-001.xml")
    #expect(page.records == 2 && page.deleted == 1 && page.rejected == 0)
    #expect(page.resumptionToken == "fixture|4")
    #expect(page.cursor == 0 && page.completeListSize == 6)
    #expect(page.requestToken == nil)
    #expect(parsed.rejects.map(\.location) == ["oai:arXiv.org:cs/0112017"])
    #expect(parsed.rejects[0].reason.hasPrefix("deleted upstream"))

    let resnet = try #require(parsed.record("arxiv:1512.03385"))
    #expect(resnet.title == "Deep Residual Learning for Image Recognition")
    #expect(resnet.year == 2015)
    #expect(resnet.arxivID == "1512.03385")
    #expect(resnet.categories == ["cs.CV", "cs.LG"])
    #expect(resnet.authors.map(\.name) == ["Kaiming He", "Xiangyu Zhang", "Shaoqing Ren", "Jian Sun Jr"])
    #expect(resnet.authors[0].affiliations == ["Microsoft Research"])
    #expect(resnet.authors[1].affiliations == ["Microsoft Research", "Xi'an Jiaotong University"])
    #expect(resnet.authors[2].affiliations.isEmpty)
    #expect(resnet.abstract?.hasPrefix("Deeper neural networks are more difficult to train. We present a residual learning framework") == true)
    #expect(resnet.abstract?.contains("previously & we reformulate") == true)
    #expect(resnet.doi == nil)
    #expect(resnet.extra.first?.0 == "created")

    let parity = try #require(parsed.record("arxiv:cs/0501001"))
    #expect(parity.authors.map(\.name) == ["Jürgen Müller", "Ana de la Cruz"])
    #expect(parity.title == "On the Complexity of <i>Learning</i> Parity")  // escaped text stays text
    #expect(parity.abstract == "A short abstract with tabs and blank lines.")
    #expect(parity.doi == "10.1234/jmlr.2005.abc")
    #expect(parity.categories.first == "cs.CC")
    #expect(parity.year == 2005)
    let extra = Dictionary(uniqueKeysWithValues: parity.extra.map { ($0.0, $0.1.stringValue ?? "") })
    #expect(extra["updated"] == "2009-09-28" && extra["journal_ref"] == "J. Mach. Learn. Res. 6 (2005) 1-20")
}

@Test func arxivSecondPageOfTheChain() throws {
    let (first, firstPage) = try parseArxivPage("page-001.xml")
    let (parsed, page) = try parseArxivPage("page-002.xml")
    #expect(page.requestToken == firstPage.resumptionToken)
    #expect(page.resumptionToken == "")  // the end of the list
    #expect(page.cursor == 3)
    #expect(page.records == 2 && page.rejected == 1)
    #expect(parsed.rejects.map(\.reason) == ["empty title"])
    // A prefixed arXiv namespace is the same namespace.
    let copy = try #require(parsed.record("arxiv:2203.01234"))
    #expect(copy.title == "A Copy-Augmented Generative Model for Open-Domain Question Answering")
    #expect(copy.authors.map(\.name) == ["Shuang Liu", "Dong Wang"])
    #expect(copy.doi == "10.18653/v1/2022.acl-short.47")
    // Every record of the chain is parsed or rejected, and the list size says how many there are.
    let total = firstPage.records + firstPage.deleted + firstPage.rejected + page.records + page.deleted + page.rejected
    #expect(total == firstPage.completeListSize)
    #expect(first.records.count + parsed.records.count == 4)
}

@Test func malformedXMLNamesFileAndLine() throws {
    let bad = Array("<?xml version=\"1.0\"?>\n<OAI-PMH>\n<ListRecords>\n</Oops>\n".utf8)
    final class Ignore: SAXHandler {
        func startElement(_ localName: XMLName, namespace: XMLName?, attributes: XMLAttributes) {}
        func endElement(_ localName: XMLName, namespace: XMLName?) {}
        func characters(_ bytes: UnsafeBufferPointer<UInt8>) {}
    }
    #expect(throws: DivideError.self) { try SAXPushParser(handler: Ignore()).parse(bytes: bad, name: "bad.xml") }
    do { try SAXPushParser(handler: Ignore()).parse(bytes: bad, name: "bad.xml") } catch let error as DivideError {
        #expect(error.file == "bad.xml")
        #expect(error.location == "line 4")
    }
}

@Test func textBufferNormalizesWhitespace() {
    #expect(TextBuffer.normalize(Array("  a\n\tb  c \r\n".utf8)) == "a b c")
    #expect(TextNormalizer.collapseWhitespace("\u{00A0}x\u{2009} y\n") == "x y")
    #expect(TextNormalizer.collapseWhitespace("already clean") == "already clean")
}

// MARK: paper lists

@Test func paperListSemicolonLayoutWithUniqueIndex() throws {
    let (parsed, result) = try parsePaperList("acl/acl2022.json")
    #expect(result.authorLayout == .semicolon)
    #expect(result.affiliationLayout == .perAuthor)
    #expect(result.records == 3 && result.rejected == 1)
    #expect(parsed.rejects.map(\.reason) == ["empty title"])
    // A unique list (2 entries, 3 authors) mapped to authors through aff_unique_index.
    let mapped = try #require(parsed.record("paperlists:acl2022:2022.acl-long.7"))
    #expect(mapped.authors.map(\.affiliations) == [["Google"], ["Massachusetts Institute of Technology"], ["Google"]])
    #expect(mapped.authors.map(\.countries) == [["United States"], ["United States"], ["United States"]])
    #expect(mapped.unassignedDomains == ["google.com", "mit.edu"])
    let copy = try #require(parsed.record("paperlists:acl2022:2022.acl-short.47"))
    #expect(copy.venue == "acl" && copy.year == 2022 && copy.status == "accepted")
    #expect(copy.authors.map(\.name) == ["Shuang Liu", "Dong Wang", "Xiaoguang Li", "Minghui Huang", "Meizhen Ding"])
    #expect(copy.authors[3].affiliations == ["Peking University"])
    #expect(copy.authors[4].affiliations == ["Huawei Technologies Co., Ltd."])  // a comma inside one affiliation
    #expect(copy.authors[3].domains == ["pku.edu.cn"])
    #expect(copy.unassignedAffiliations.isEmpty)
    let multi = try #require(parsed.record("paperlists:acl2022:2022.acl-long.12"))
    #expect(multi.title == "Multi-Affiliation Authors & Shared Credit")
    #expect(multi.authors[0].affiliations == ["Bar-Ilan University", "Allen Institute for AI"])  // "0+1"
    #expect(multi.authors[1].affiliations == ["Bar-Ilan University"])
}

@Test func paperListCommaLayoutWithUniqueAffiliationList() throws {
    let (parsed, result) = try parsePaperList("cvpr/cvpr2023.json")
    #expect(result.authorLayout == .comma)
    #expect(result.affiliationLayout == .uniqueList)
    #expect(result.layoutOverrides == 1)
    #expect(result.records == 4 && result.rejected == 0)
    let first = parsed.records[0]
    #expect(first.id == "paperlists:cvpr2023:t" + PaperListParser.titleHash("Learning with Noisy Labels, Revisited"))
    #expect(first.authors.map(\.name) == ["Shin'ya Yamaguchi", "Sekitoshi Kanai", "Kazuki Adachi", "Daiki Chijiwa"])
    #expect(first.authors.allSatisfy { $0.affiliations.isEmpty })
    #expect(first.unassignedAffiliations == ["Kyoto University", "NTT, The University of Tokyo", "NTT"])
    #expect(first.arxivID == "2303.00001")
    #expect(parsed.records[1].authors.map(\.name) == ["Alessandro D'Amelio", "Zhangyang \"Atlas\" Wang"])  // double escaping
    #expect(parsed.records[2].authors.map(\.name) == ["Ana Lima", "Bo Chen", "Carla Diaz"])  // ";" in a ", " file
    #expect(parsed.records[3].authors.map(\.name) == ["Dana Solo"])
}

@Test func paperListStatusesAndEmailDomains() throws {
    let (parsed, result) = try parsePaperList("iclr/iclr2019.json")
    #expect(result.statuses == ["accepted": 1, "rejected": 2, "withdrawn": 1])
    #expect(parsed.rejects.map(\.reason) == ["no authors"])  // accepted without authors
    #expect(result.records + result.rejected == 5)
    let nlm = try #require(parsed.record("paperlists:iclr2019:B1xY-hRctX"))
    #expect(nlm.authors.map { $0.domains } == [["gmail.com"], ["gmail.com"], ["gmail.com"], ["google.com"], ["gmail.com"], ["google.com"]])
    let rejected = try #require(parsed.record("paperlists:iclr2019:HJx_rejectX"))
    #expect(rejected.status == "rejected")
    #expect(rejected.authors.map(\.domains) == [["mit.edu"], ["nvidia.com"], ["nvidia.com"]])
    #expect(parsed.record("paperlists:iclr2019:HJx_withdrX")?.status == "withdrawn")
    #expect(parsed.record("paperlists:iclr2019:HJx_deskrjX")?.status == "rejected")
}

@Test func paperListVenueAndYearFromThePath() {
    #expect(PaperListParser.venueYear(path: "cvpr/cvpr2023.json.gz")! == ("cvpr", 2023))
    #expect(PaperListParser.venueYear(path: "3dv/3dv2025.json.gz")! == ("3dv", 2025))
    #expect(PaperListParser.venueYear(path: "nips/notes.json") == nil)
    #expect(PaperListParser.normalizeStatus("Desk Reject") == "rejected")
    #expect(PaperListParser.normalizeStatus("Withdraw") == "withdrawn")
    #expect(PaperListParser.normalizeStatus("Long Findings") == "accepted")
    #expect(PaperListParser.domain(of: "jkautz@NVIDIA.com") == "nvidia.com")
    #expect(PaperListParser.domain(of: "~Fanrui_Zhang1") == nil)
    #expect(HTMLEntities.decode("Texas A&M;Rice") == "Texas A&M;Rice")
}

// MARK: ACL Anthology

@Test func aclVolumesMarkupFrontMatterAndRejects() throws {
    let (parsed, result) = try parseACL("2022.acl.xml")
    #expect(result.volumes == 2 && result.frontMatter == 2)
    #expect(result.records == 3 && result.rejected == 1)
    #expect(parsed.rejects.map(\.reason) == ["retracted"])
    let adapler = try #require(parsed.record("acl:2022.acl-long.1"))
    #expect(adapler.title == "AdapLeR: Speeding up Inference by Adaptive Length Reduction with O(n \\log n) Cost")
    #expect(adapler.abstract == "Pre-trained language models have shown stellar performance in various downstream tasks, at a cost of \\mathcal{O}(n^2) time; code at https://github.com/amodaresi/AdapLeR.")
    #expect(adapler.venue == "acl" && adapler.year == 2022)
    #expect(adapler.doi == "10.18653/v1/2022.acl-long.1")
    #expect(adapler.authors.map(\.name) == ["Ali Modarressi", "Hosein Mohebbi", "Mohammad Taher Pilehvar"])
    #expect(adapler.authors[1].affiliations == ["Tilburg University", "Google Research"])
    #expect(!parsed.records.flatMap { $0.authors.flatMap(\.affiliations) }.contains("Columbia University"))  // an editor's
    #expect(parsed.record("acl:2022.acl-short.47")?.authors.count == 5)
}

@Test func aclOldStyleIdsAndAuthorlessEntries() throws {
    let (parsed, result) = try parseACL("J10.xml")
    #expect(result.records == 1 && result.rejected == 1 && result.frontMatter == 0)
    #expect(parsed.rejects.map(\.location) == ["J10-2006"])
    #expect(parsed.rejects[0].reason == "no authors")
    let wsd = try #require(parsed.record("acl:J10-2001"))
    #expect(wsd.title == "Word Sense Disambiguation with WordNet & Friends")
    #expect(wsd.authors.map(\.name) == ["Roberto Navigli", "Mausam"])
    #expect(wsd.venue == "cl" && wsd.year == 2010)
    #expect(ACLAnthologyParser.anthologyID(collection: "P16", volume: "1", paper: "1") == "P16-1001")
    #expect(ACLAnthologyParser.anthologyID(collection: "D19", volume: "55", paper: "58") == "D19-5558")
    #expect(ACLAnthologyParser.anthologyID(collection: "P16", volume: "1", paper: "100") == "P16-1100")
    #expect(ACLAnthologyParser.anthologyID(collection: "2022.acl", volume: "long", paper: "47") == "2022.acl-long.47")
}

// MARK: identifiers

@Test func identifierNormalForms() {
    #expect(PaperIdentifiers.normalizeDOI("https://doi.org/10.18653/V1/P16-1001") == "10.18653/v1/p16-1001")
    #expect(PaperIdentifiers.normalizeDOI("doi:10.1000/XYZ") == "10.1000/xyz")
    #expect(PaperIdentifiers.normalizeDOI("10.5121") == nil)
    #expect(PaperIdentifiers.arxivID(fromDOI: "10.48550/arxiv.1706.03762") == "1706.03762")
    #expect(PaperIdentifiers.normalizeArxivID("https://arxiv.org/abs/1706.03762v5") == "1706.03762")
    #expect(PaperIdentifiers.normalizeArxivID("arXiv:cs/0501001v2") == "cs/0501001")
    #expect(PaperIdentifiers.normalizeArxivID("https://arxiv.org/pdf/2303.00001.pdf") == "2303.00001")
    #expect(PaperIdentifiers.normalizeArxivID("") == nil)
}

@Test func arxivPageFromMemoryGivesTheSameResult() throws {
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: fixtures + "/arxiv-oai/cs-fixture/page-001.xml")))
    var ids: [String] = []
    let page = try ArxivOAIParser().parse(bytes: bytes, displayName: "page-001.xml", emit: { ids.append($0.id) }, reject: { _, _, _ in })
    let (fromFile, filePage) = try parseArxivPage("page-001.xml")
    #expect(ids == fromFile.records.map(\.id))
    #expect(page == filePage)
}

@Test func arxivOAIErrorResponseIsReported() throws {
    let page = Array("""
    <?xml version="1.0" encoding="UTF-8"?>
    <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
    <responseDate>2016-03-09T00:35:38Z</responseDate>
    <request verb="ListRecords" resumptionToken="1122234|999001">http://export.arxiv.org/oai2</request>
    <error code="badResumptionToken">The value of the resumptionToken argument is invalid or expired.</error>
    </OAI-PMH>
    """.utf8)
    var emitted = 0
    let result = try ArxivOAIParser().parse(bytes: page, displayName: "error.xml", emit: { _ in emitted += 1 }, reject: { _, _, _ in })
    #expect(result.oaiError == "badResumptionToken")
    #expect(result.requestToken == "1122234|999001")
    #expect(result.resumptionToken == nil && emitted == 0)
}
