import DivideCore
@testable import DivideSources
import Testing

/// Small files written in each layout of `paper-affiliations/`, with the answers known.
private func parseSite(_ text: String, layout: SiteFileEntry.Layout, role: SiteFileEntry.Role = .affiliations,
                       venue: String? = "nips", year: Int? = 2019, decisions: SiteDecisions? = nil,
                       listed: Set<String> = []) throws -> (Parsed, SiteListParser.FileResult, merged: Int) {
    var out = Parsed()
    var merged = 0
    let entry = SiteFileEntry(file: "fixture", venue: venue, year: year, layout: layout, role: role)
    let result = try SiteListParser(entry: entry, decisions: decisions, listedTitles: listed).parse(
        bytes: Array(text.utf8), displayName: "fixture",
        emit: { out.records.append($0) }, reject: { location, reason, _ in out.rejects.append((location, reason)) },
        merged: { merged += 1 })
    return (out, result, merged)
}

@Test func siteTextNestedParenthesesSlashAndEmptyInstitutions() throws {
    let text = """
    ViLBERT: Pretraining Task-Agnostic Visiolinguistic Representations
    Jiasen Lu (Georgia Tech) · Dhruv Batra (Georgia Tech / Facebook AI Research (FAIR)) · Nicholas Bambos () · Xi (Nancy) Chen (MIT)

    Reverse-engineering deep ReLU networks
    David Rolnick (University of Pennsylvania) · Konrad Kording (Upenn)

    A title without authors

    Broken (paper
    Ann Lee (MIT)) · Bo Li (CMU)
    """
    let (parsed, result, _) = try parseSite(text, layout: .siteText)
    #expect(result.records == 2 && result.rejected == 2 && result.withAffiliations == 2)
    let vilbert = parsed.records[0]
    #expect(vilbert.title == "ViLBERT: Pretraining Task-Agnostic Visiolinguistic Representations")
    #expect(vilbert.venue == "nips" && vilbert.year == 2019 && vilbert.status == "accepted" && vilbert.source == "sites")
    #expect(vilbert.authors.map(\.name) == ["Jiasen Lu", "Dhruv Batra", "Nicholas Bambos", "Xi (Nancy) Chen"])
    #expect(vilbert.authors[1].affiliations == ["Georgia Tech", "Facebook AI Research (FAIR)"])
    #expect(vilbert.authors[2].affiliations.isEmpty)
    #expect(vilbert.authors[3].affiliations == ["MIT"])
    #expect(parsed.rejects.map(\.reason) == ["title line without an author line", "unbalanced parentheses in author 'Ann Lee (MIT))'"])
    #expect(parsed.rejects.map(\.location) == ["line 7", "line 10"])
}

@Test func copilotMarkdownReadsShiftedAndUnshiftedRecordsFromTheirContent() throws {
    let text = """
    # ICLR 2023 Accepted Papers (4 papers)

    ## 1. Universal Few-shot Learning of Dense Prediction Tasks
    **Authors:** Donggyun Kim; Jinwoo Kim; Seunghoon Hong;
    **Affiliation:** Korea Advanced Institute of Science and Technology; Microsoft;
    **Country:** South Korea; China;
    **Rating:** Top-5%

    ## 2. Landscape Learning for Neural Network Inversion
    **Authors:** -
    **Affiliation:** Ruoshi Liu; Chengzhi Mao; Carl Vondrick;
    **Country:** Columbia University; Rutgers University;
    **Rating:** United States;

    ## 3. Towards Lightweight Deep Watermarking Framework
    **Authors:** -
    **Affiliation:** applications to computer vision, audio, language, and other modalities
    **Country:** Yupeng Qiu; Han Fang;
    **Rating:** National University of Singapore;

    ## 4. Limitless Stability for Graph Convolutional Networks
    **Authors:** Christian Koke;
    **Rating:** Poster

    ## 5. No authors anywhere
    **Authors:** -
    **Rating:** Poster
    """
    let (parsed, result, _) = try parseSite(text, layout: .copilotMarkdown, role: .submissions, venue: "iclr", year: 2023)
    #expect(result.readAs == ["unshifted": 2, "shifted-1": 1, "shifted-2": 1])
    #expect(result.records == 4 && result.rejected == 1 && result.withAffiliations == 3)
    #expect(parsed.rejects.map(\.reason) == ["no author list under any label"])
    let (unshifted, shifted, doubly, alone) = (parsed.records[0], parsed.records[1], parsed.records[2], parsed.records[3])
    #expect(unshifted.title == "Universal Few-shot Learning of Dense Prediction Tasks")
    #expect(unshifted.authors.map(\.name) == ["Donggyun Kim", "Jinwoo Kim", "Seunghoon Hong"])
    // Per-paper institutions: the paper's, not any one author's.
    #expect(unshifted.unassignedAffiliations == ["Korea Advanced Institute of Science and Technology", "Microsoft"])
    #expect(unshifted.authors.allSatisfy { $0.affiliations.isEmpty })
    #expect(unshifted.status == "accepted")
    #expect(shifted.authors.map(\.name) == ["Ruoshi Liu", "Chengzhi Mao", "Carl Vondrick"])
    #expect(shifted.unassignedAffiliations == ["Columbia University", "Rutgers University"])
    #expect(shifted.status == "not-accepted")  // a submission without a decision, and no decisions file
    #expect(doubly.authors.map(\.name) == ["Yupeng Qiu", "Han Fang"])
    #expect(doubly.unassignedAffiliations == ["National University of Singapore"])
    #expect(alone.authors.map(\.name) == ["Christian Koke"] && alone.unassignedAffiliations.isEmpty && alone.status == "accepted")
    #expect(result.statusFrom == ["record": 2, "none": 2])
}

@Test func speakerLinesDecodeLatin1EscapesAndHTMLEntities() throws {
    let text = #"""
    {"title": "Truth is Universal: Robust Detection of Lies in LLMs", "authors": [{"name": "Lennart B\\xfcrger", "affiliation": "IWR, Heidelberg University", "no": "382482"}, {"name": "Chao Yang", "affiliation": "Xi&#x27;an Jiaotong University", "no": "377526"}, {"name": "Miko\\u0142aj Pi\\xf3rczy\\u0144ski", "affiliation": "", "no": "1"}]}
    {"title": "Planning in $q_\\\\pi$-realizable MDPs", "authors": [{"name": "Ann Lee", "affiliation": "Google", "no": "2"}]}
    not json
    {"title": "No authors", "authors": []}
    """#
    let (parsed, result, _) = try parseSite(text, layout: .speakerJSONL, year: 2024)
    #expect(result.records == 2 && result.rejected == 2)
    let truth = parsed.records[0]
    #expect(truth.authors.map(\.name) == ["Lennart Bürger", "Chao Yang", "Mikołaj Piórczyński"])
    #expect(truth.authors[1].affiliations == ["Xi'an Jiaotong University"])
    #expect(truth.authors[2].affiliations.isEmpty)
    #expect(parsed.records[1].title == #"Planning in $q_\pi$-realizable MDPs"#)
    #expect(parsed.rejects.map(\.location) == ["line 3", "line 4"])
    #expect(parsed.rejects[1].reason == "no authors")
}

@Test func decodeEscapesLeavesOtherBackslashesAlone() {
    #expect(SiteListParser.decodeEscapes(#"B\xfcrger"#) == "Bürger")
    #expect(SiteListParser.decodeEscapes(#"\alpha and \x4"#) == #"\alpha and \x4"#)
    #expect(SiteListParser.decodeEscapes(#"a\\b"#) == #"a\b"#)
}

@Test func scheduleRowsGroupIntoPapersByConferenceYearAndTitle() throws {
    let text = """
    Conference,Year,Title,Author,Affiliation
    ICML,2017,Decoupled Neural Interfaces using Synthetic Gradients,Max Jaderberg,DeepMind
    ICML,2017,Decoupled Neural Interfaces using Synthetic Gradients,Oriol Vinyals,DeepMind
    NIPS,2017,Attention is All you Need,Ashish Vaswani,Google Brain
    ICML,2018,Decoupled Neural Interfaces using Synthetic Gradients,Max Jaderberg,"DeepMind, London"
    NIPS,2017,Attention is All you Need,Noam Shazeer,Google Brain
    NIPS,twenty,Bad year,Someone,Somewhere
    NIPS,2017,Too few fields
    """
    let (parsed, result, _) = try parseSite(text, layout: .scheduleCSV, venue: nil, year: nil)
    #expect(result.records == 3 && result.rejected == 2)
    #expect(parsed.records.map { "\($0.venue!) \($0.year!) \($0.authors.count)" } == ["icml 2017 2", "nips 2017 2", "icml 2018 1"])
    #expect(parsed.records[2].authors[0].affiliations == ["DeepMind, London"])
    #expect(parsed.rejects.map(\.location) == ["line 7", "line 8"])
    #expect(throws: DivideError.self) { try parseSite("Title,Author\nx,y\n", layout: .scheduleCSV, venue: nil, year: nil) }
}

@Test func submissionsTakeTheirStatusFromTheDecisionsFile() throws {
    let csv = """
    Title,Authors,Affiliations,Decision
    Scaling In-the-Wild Training for Diffusion-based Illumination Harmonization,"Lvmin Zhang, Anyi Rao","Tsinghua University, Tsinghua University",ICLR 2025 Oral
    A Withdrawn Paper,Ann Lee,Somewhere,ICLR 2025 Conference Withdrawn Submission
    A Rejected Paper,Bo Li,Somewhere,Submitted to ICLR 2025
    An Accepted Paper The Markdown Lacks,"Cy Young, Di Wu","Tsinghua University",ICLR 2025 Poster
    """
    let decisions = try SiteDecisions.read(Array(csv.utf8), displayName: "decisions")
    let markdown = """
    ## 1. Scaling in-the-wild training for diffusion-based illumination harmonization
    **Authors:** generative models
    **Affiliation:** Lvmin Zhang; Anyi Rao;
    **Country:** Stanford University; Hong Kong University of Science and Technology;
    **Rating:** United States; China;

    ## 2. A Withdrawn Paper
    **Authors:** -
    **Affiliation:** Ann Lee;
    **Country:** Somewhere University;

    ## 3. A Paper Nobody Decided
    **Authors:** -
    **Affiliation:** Ed Nod;
    """
    let (parsed, result, _) = try parseSite(markdown, layout: .copilotMarkdown, role: .submissions, venue: "iclr", year: 2025, decisions: decisions)
    #expect(parsed.records.map { $0.status! } == ["accepted", "withdrawn", "not-accepted"])
    #expect(result.statusFrom == ["decisions-file": 2, "none": 1])
    #expect(parsed.records[0].unassignedAffiliations == ["Stanford University", "Hong Kong University of Science and Technology"])

    // The decisions file emits only what no list holds, names only: its affiliations are never evidence.
    let normalizer = TextNormalizer()
    let listed = Set(parsed.records.map { normalizer.titleKey($0.title) })
    let (own, ownResult, merged) = try parseSite(csv, layout: .openreviewCSV, role: .decisions, venue: "iclr", year: 2025, listed: listed)
    #expect(merged == 2 && ownResult.joined == 2)
    #expect(own.records.map(\.title) == ["A Rejected Paper", "An Accepted Paper The Markdown Lacks"])
    #expect(own.records.map { $0.status! } == ["rejected", "accepted"])
    #expect(own.records[1].authors.map(\.name) == ["Cy Young", "Di Wu"])
    #expect(own.records.allSatisfy { $0.unassignedAffiliations.isEmpty && $0.authors.allSatisfy { $0.affiliations.isEmpty } })
}

@Test func filesTableNamesLayoutAndRoleOrFailsOnTheLine() throws {
    let table = """
    # comment
    conference-sites/neurips_2019_accepted.txt.gz\tnips\t2019\tsite-text\taffiliations\tper author
    schedule-csv/papers.csv.gz\t*\t*\tschedule-csv\taffiliations\tper author
    """
    let entries = try SiteFileEntry.table(Array(table.utf8), displayName: "files.tsv")
    #expect(entries == [
        SiteFileEntry(file: "conference-sites/neurips_2019_accepted.txt.gz", venue: "nips", year: 2019, layout: .siteText, role: .affiliations),
        SiteFileEntry(file: "schedule-csv/papers.csv.gz", venue: nil, year: nil, layout: .scheduleCSV, role: .affiliations),
    ])
    do {
        _ = try SiteFileEntry.table(Array("x.gz\tnips\t2019\tpdf\taffiliations\n".utf8), displayName: "files.tsv")
        Issue.record("an unknown layout must fail")
    } catch let error as DivideError {
        #expect(error.location == "line 1" && error.reason.hasPrefix("unknown layout 'pdf'"))
    }
}

@Test func overBudgetRecordsAreRejectedNotKept() throws {
    let authors = (0...RecordBudget.maxAuthors).map { "A\($0) (MIT)" }.joined(separator: " · ")
    let (parsed, result, _) = try parseSite("Huge\n" + authors + "\n", layout: .siteText)
    #expect(result.records == 0 && result.rejected == 1)
    #expect(parsed.rejects[0].reason.contains("over the"))
}
