import DivideCore
@testable import DivideSources
import Foundation
import TestSnapshot
import Testing

/// The offline snapshot (TestSnapshot); on it these tests pin every count of the paper sources.
let snapshotFolder: String? = TestSnapshot.has("README.md") ? TestSnapshot.folder : nil

func snapshotFiles(_ folder: String, suffix: String) -> [(name: String, path: String)] {
    guard let root = snapshotFolder.map({ $0 + "/" + folder }), let walker = FileManager.default.enumerator(atPath: root) else { return [] }
    var out: [(String, String)] = []
    for case let relative as String in walker where relative.hasSuffix(suffix) { out.append((relative, root + "/" + relative)) }
    return out.sorted { $0.0 < $1.0 }
}

@Test(.enabled(if: snapshotFolder != nil)) func snapshotArxivEveryRecordParsed() throws {
    var records = 0, rejected = 0, pages = 0, withAffiliation = 0, ml = 0
    var previousToken: String?
    var chainIntact = true
    var listSize: Int?
    let mlCategories: Set<String> = ["cs.LG", "stat.ML", "cs.AI", "cs.CL", "cs.CV", "cs.NE"]
    for (name, path) in snapshotFiles("arxiv-oai", suffix: ".xml.gz") {
        let page = try ArxivOAIParser().parse(path: path, displayName: name, emit: { record in
            if record.authors.contains(where: { !$0.affiliations.isEmpty }) { withAffiliation += 1 }
            if record.categories.contains(where: mlCategories.contains) { ml += 1 }
        }, reject: { _, _, _ in })
        pages += 1
        records += page.records
        rejected += page.deleted + page.rejected
        if let previousToken, page.requestToken != previousToken { chainIntact = false }
        previousToken = page.resumptionToken
        listSize = listSize ?? page.completeListSize
    }
    #expect(pages == 103)
    #expect(records + rejected == 102_538)
    #expect(records == 102_538 && rejected == 0)
    #expect(listSize == 102_538)
    #expect(chainIntact && previousToken == "")
    #expect(withAffiliation == 8_318)  // snapshot README
    #expect(ml == 26_677)              // snapshot README
}

@Test(.enabled(if: snapshotFolder != nil)) func snapshotPaperListsEveryEntryParsedOrRejected() throws {
    var records = 0, rejected = 0, files = 0
    var statuses: [String: Int] = [:]
    var reasons: [String: Int] = [:]
    var commaFiles: [String] = []
    var uniqueListFiles: [String] = []
    for (name, path) in snapshotFiles("paperlists", suffix: ".json.gz") {
        let result = try PaperListParser().parse(path: path, displayName: name, emit: { _ in }, reject: { _, reason, _ in reasons[reason, default: 0] += 1 })
        files += 1
        records += result.records
        rejected += result.rejected
        for (k, v) in result.statuses { statuses[k, default: 0] += v }
        let base = String(name.split(separator: "/").last!.prefix { $0 != "." })
        if result.authorLayout == .comma { commaFiles.append(base) }
        if result.affiliationLayout == .uniqueList { uniqueListFiles.append(base) }
    }
    #expect(files == 183)
    #expect(records + rejected == 124_934)
    #expect(records == 124_919)
    #expect(reasons == ["no authors": 13, "empty title": 1, "duplicate record (id seen earlier in the file)": 1])
    #expect(statuses == ["accepted": 112_699, "rejected": 9_449, "withdrawn": 2_771])
    // The 16 ", " files the snapshot README lists, plus the 3 that only have `authors` (same layout).
    #expect(Set(commaFiles) == ["cvpr2020", "cvpr2021", "cvpr2023", "cvpr2024", "cvpr2025", "eccv2024", "iccv2023", "iccv2025",
                                "iclr2022", "icml2020", "icml2021", "icml2022", "icml2025", "nips2019", "nips2020", "nips2024",
                                "iclr2023", "nips2022", "nips2023"])
    #expect(Set(uniqueListFiles) == ["cvpr2020", "cvpr2021", "cvpr2022", "cvpr2023", "cvpr2024", "iccv2021", "iccv2023", "iclr2022"])
}

@Test(.enabled(if: snapshotFolder != nil)) func snapshotACLEveryPaperParsedOrRejected() throws {
    var total = ACLAnthologyParser.FileResult()
    var reasons: [String: Int] = [:]
    var authors = 0
    for (name, path) in snapshotFiles("acl-anthology", suffix: ".xml.gz") {
        let r = try ACLAnthologyParser().parse(path: path, displayName: name, emit: { authors += $0.authors.count }, reject: { _, reason, _ in reasons[reason, default: 0] += 1 })
        total.records += r.records
        total.rejected += r.rejected
        total.frontMatter += r.frontMatter
        total.withAffiliation += r.withAffiliation
    }
    #expect(total.records + total.rejected == 26_921)  // snapshot README
    #expect(total.records == 26_897)
    #expect(reasons == ["no authors": 19, "retracted": 5])
    #expect(total.frontMatter == 242)
    #expect(total.withAffiliation == 6_376)              // snapshot README
    #expect(authors == 115_449)  // 115,473 author entries, less those of the 5 retracted papers
}
