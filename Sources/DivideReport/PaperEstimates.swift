import DivideAggregate
import DivideCore
import DivideStats
import Foundation

/// Display names of venue keys (the paper lists' and ACL Anthology's short names) for prose
/// and charts; the tables keep the keys.
public enum VenueName {
    static let names: [String: String] = [
        "nips": "NeurIPS", "neurips": "NeurIPS", "icml": "ICML", "iclr": "ICLR", "cvpr": "CVPR", "iccv": "ICCV", "eccv": "ECCV",
        "acl": "ACL", "emnlp": "EMNLP", "naacl": "NAACL", "eacl": "EACL", "findings": "Findings of ACL", "coling": "COLING",
        "aaai": "AAAI", "ijcai": "IJCAI", "aistats": "AISTATS", "wacv": "WACV", "colt": "COLT", "uai": "UAI", "corl": "CoRL",
        "kdd": "KDD", "acml": "ACML", "www": "The Web Conference", "colm": "COLM", "tacl": "TACL", "cl": "Computational Linguistics",
        "conll": "CoNLL", "ws": "ACL workshops", "3dv": "3DV", "automl": "AutoML Conf", "arxiv": "arXiv", "alt": "ALT",
        "wnut": "W-NUT", "ngt": "WNGT", "bionlp": "BioNLP", "wat": "WAT", "nlp4if": "NLP4IF", "textgraphs": "TextGraphs",
        "louhi": "LOUHI", "discomt": "DiscoMT", "openalex": "OpenAlex", "other venues": "other venues", "all venues": "all venues", "all": "all venues",
    ]

    public static func display(_ key: String) -> String { names[key.lowercased()] ?? key.uppercased() }
}

/// The paper estimates that do not move with the venue mix: fully resolved teams, shift-share,
/// venue-adjusted series, reliance over all papers and coverage (their tables are built by
/// DivideAggregate; this renders them).
public struct PaperEstimates {
    public let tables: [String: Table]
    public init(tables: [String: Table]) { self.tables = tables }

    /// Rows of a table as column → value dictionaries.
    func rows(_ name: String) -> [[String: JSONValue]] {
        guard let t = tables[name] else { return [] }
        return t.rows.map { Dictionary(uniqueKeysWithValues: zip(t.columns, $0)) }
    }

    static func pct(_ v: JSONValue?) -> String { v?.doubleValue.map { TableRendering.percent($0) } ?? "—" }
    static func points(_ d: Double) -> String { JSONValue.format((d * 1000).rounded() / 10) }
    static func signed(_ d: Double) -> String { (d < 0 ? "−" : "+") + points(abs(d)) }

    /// "X% (95% CI a–b)" of a row's `share`-like columns.
    static func interval(_ r: [String: JSONValue], _ share: String, _ low: String, _ high: String) -> String {
        "\(pct(r[share])) (95% CI \(pct(r[low]))–\(pct(r[high])))"
    }

    func adjusted(_ group: String, _ period: String) -> [String: JSONValue]? {
        rows("venue_adjusted_series").first { $0["group"]?.stringValue == group && $0["period"]?.stringValue == period }
    }

    func sensitivity(_ measure: String, _ period: String, _ scenario: String) -> [String: JSONValue]? {
        rows("sensitivity").first {
            $0["measure"]?.stringValue == measure && $0["period"]?.stringValue == period && $0["scenario"]?.stringValue == scenario
        }
    }

    // MARK: headlines

    /// Claim 2 headline: venue-adjusted shares of fully resolved papers, with the raw figures beside them.
    public func claim2Sentences() -> [String] {
        var out: [String] = []
        let specs: [(group: String, measure: String, label: String, periods: (String, String))] = [
            ("compute-intensive", "academic_only_share_compute_intensive", "papers in compute-intensive topics", ("2012–2016", "2021–2025")),
            ("foundation-models", "academic_only_share_foundation_models", "foundation-model papers", ("2021", "2025")),
        ]
        for s in specs {
            guard let a = adjusted(s.group, s.periods.0), let b = adjusted(s.group, s.periods.1),
                  a["adjusted_share"]?.doubleValue != nil, b["adjusted_share"]?.doubleValue != nil else { continue }
            // The method is said once, in the first sentence; the next ones say "the same way".
            let method = out.isEmpty
                ? "Venue-adjusted, on fully resolved papers (logistic regression with venue fixed effects, standardized to the venue mix of 2012–2025): academic-only teams wrote"
                : "The same way, academic-only teams wrote"
            var sentence = "\(method) \(PaperEstimates.interval(a, "adjusted_share", "ci_low", "ci_high")) of \(s.label) in \(s.periods.0) and \(PaperEstimates.interval(b, "adjusted_share", "ci_low", "ci_high")) in \(s.periods.1)"
            sentence += "; raw share of fully resolved papers \(PaperEstimates.pct(a["raw_share"])) (n = \((a["papers"]?.intValue ?? 0).grouped)) and \(PaperEstimates.pct(b["raw_share"])) (n = \((b["papers"]?.intValue ?? 0).grouped))"
            if let pa = sensitivity(s.measure, s.periods.0, "partial included"), let pb = sensitivity(s.measure, s.periods.1, "partial included") {
                sentence += "; counting partially resolved teams by their known authors \(PaperEstimates.pct(pa["share"])) and \(PaperEstimates.pct(pb["share"]))"
            }
            out.append(sentence + ".")
        }
        if let d = adjusted("foundation-models: developing", "2021–2025"), let u = adjusted("foundation-models: using", "2021–2025"),
           d["adjusted_share"]?.doubleValue != nil, u["adjusted_share"]?.doubleValue != nil {
            out.append("Among foundation-model papers of 2021–2025, academic-only teams wrote \(PaperEstimates.interval(d, "adjusted_share", "ci_low", "ci_high")) of those developing foundation models (pre-training, scaling, architectures, training methods; n = \((d["papers"]?.intValue ?? 0).grouped)) and \(PaperEstimates.interval(u, "adjusted_share", "ci_low", "ci_high")) of those using them (n = \((u["papers"]?.intValue ?? 0).grouped)), venue-adjusted (raw \(PaperEstimates.pct(d["raw_share"])) and \(PaperEstimates.pct(u["raw_share"]))).")
        }
        if let s = shiftShareSentence(group: "all papers") { out.append(s) }
        return out
    }

    /// "Of the N-point fall, X happened within venues and Y came from the changing mix of venues."
    public func shiftShareSentence(group: String) -> String? {
        guard let r = rows("shift_share_decomposition").first(where: { $0["group"]?.stringValue == group && $0["venue"]?.stringValue == "all venues" }),
              let total = r["total_change"]?.doubleValue, let within = r["within_venue"]?.doubleValue,
              let mix = r["venue_mix"]?.doubleValue, let entry = r["entry_exit"]?.doubleValue else { return nil }
        let p1 = r["period_1"]?.stringValue ?? "", p2 = r["period_2"]?.stringValue ?? ""
        let direction = total < 0 ? "fall" : "rise"
        let n1 = (r["papers_1"]?.intValue ?? 0).grouped, n2 = (r["papers_2"]?.intValue ?? 0).grouped
        return "\(group.prefix(1).uppercased() + group.dropFirst()) (fully resolved papers, \(p1), n = \(n1), to \(p2), n = \(n2); \(PaperEstimates.pct(r["share_1"])) → \(PaperEstimates.pct(r["share_2"]))): of the \(PaperEstimates.points(abs(total)))-point \(direction) of the academic-only share, \(PaperEstimates.signed(within)) points happened within venues and \(PaperEstimates.signed(mix)) came from the changing mix of venues present in both periods, with \(PaperEstimates.signed(entry)) from venues present in one period only (mix and entry/exit together: \(PaperEstimates.signed(mix + entry)))."
    }

    /// Claim 3 headline: reliance measured against all academic-only papers.
    public func claim3Sentences(period: String = "2021–2025") -> [String] {
        let r = rows("model_reliance_all_papers").filter { $0["period"]?.stringValue == period && $0["team_type"]?.stringValue == "academic-only" }
        func row(_ c: String) -> [String: JSONValue]? { r.first { $0["category"]?.stringValue == c } }
        guard let open = row("industry open-weights"), let closed = row("industry closed or API"), let academic = row("academic or nonprofit"),
              let any = row("any model") else { return [] }
        return ["Of all fully resolved academic-only papers of \(period) (n = \((open["papers"]?.intValue ?? 0).grouped)), \(PaperEstimates.interval(open, "share", "ci_low", "ci_high")) mention an industry open-weights model, \(PaperEstimates.interval(closed, "share", "ci_low", "ci_high")) an industry closed or API model, \(PaperEstimates.interval(academic, "share", "ci_low", "ci_high")) an academic or nonprofit model and \(PaperEstimates.pct(any["share"])) any pre-trained model; among those that mention one (n = \((open["mentioning_models"]?.intValue ?? 0).grouped)), \(PaperEstimates.interval(open, "share_of_mentioning", "mentioning_ci_low", "mentioning_ci_high")) mention an industry open-weights model. Mentions of models published after the paper are not counted."]
    }

    /// What the paper-level numbers rest on: venues, years, resolution (one sentence each).
    public func coverageSentences() -> [String] {
        let cells = rows("coverage_by_venue_year")
        guard !cells.isEmpty else { return [] }
        var byVenue: [String: (papers: Int, full: Int)] = [:]
        var years: [Int: (papers: Int, full: Int)] = [:]
        for c in cells {
            let v = c["venue"]?.stringValue ?? "", y = c["year"]?.intValue ?? 0
            let n = c["papers"]?.intValue ?? 0, f = c["full"]?.intValue ?? 0
            byVenue[v, default: (0, 0)].papers += n
            byVenue[v, default: (0, 0)].full += f
            years[y, default: (0, 0)].papers += n
            years[y, default: (0, 0)].full += f
        }
        let totalFull = byVenue.values.reduce(0) { $0 + $1.full }, total = byVenue.values.reduce(0) { $0 + $1.papers }
        let top = byVenue.filter { $0.value.full > 0 }.sorted { $0.value.full > $1.value.full }
        let topNames = top.prefix(6).map { "\(VenueName.display($0.key)) \(TableRendering.percent(Double($0.value.full) / Double(max(totalFull, 1))))" }
        let fullYears = years.filter { $0.value.full > 0 }.keys.sorted()
        let thick = years.filter { $0.value.full >= 1000 }.keys.sorted()
        return [
            "Venues: the fully resolved papers come from \(top.count) venues; the largest shares are \(topNames.joined(separator: ", ")).",
            "Years: fully resolved papers span \(fullYears.first.map(String.init) ?? "—")–\(fullYears.last.map(String.init) ?? "—"), with at least 1,000 a year in \(thick.map(String.init).joined(separator: ", ")).",
            "Resolution: \(totalFull.grouped) of \(total.grouped) papers (\(TableRendering.percent(Double(totalFull) / Double(max(total, 1))))) have every author and affiliation resolved to a sector; the paper-level estimates rest on these, with partially resolved teams as sensitivity.",
        ]
    }

    // MARK: report sections

    /// The venue-adjusted series beside the raw one, for a set of groups (years with ≥ 30 papers).
    func adjustedFigure(name: String, title: String, groups: [(String, String)]) -> Figure {
        let all = rows("venue_adjusted_series").filter { $0["from_year"] == $0["to_year"] && ($0["papers"]?.intValue ?? 0) >= 30 }
        var chart = SVGChart(title: title, xLabel: "Year", yLabel: "Academic-only share of fully resolved papers (%)",
                             xDomain: 2012...2025, yDomain: 0...1)
        chart.yTickFormat = { "\(Int(($0 * 100).rounded()))%" }
        for (group, color) in groups {
            let mine = all.filter { $0["group"]?.stringValue == group }
            let adjusted = mine.compactMap { r -> (x: Double, y: Double)? in
                guard let y = r["from_year"]?.intValue, let v = r["adjusted_share"]?.doubleValue else { return nil }
                return (Double(y), v)
            }
            let band = mine.compactMap { r -> (x: Double, low: Double, high: Double)? in
                guard let y = r["from_year"]?.intValue, let l = r["ci_low"]?.doubleValue, let h = r["ci_high"]?.doubleValue else { return nil }
                return (Double(y), l, h)
            }
            let raw = mine.compactMap { r -> (x: Double, y: Double)? in
                guard let y = r["from_year"]?.intValue, let v = r["raw_share"]?.doubleValue else { return nil }
                return (Double(y), v)
            }
            chart.series.append(ChartSeries(label: "\(group): venue-adjusted", color: color, points: adjusted, band: band))
            chart.series.append(ChartSeries(label: "\(group): raw", color: color, points: raw, dashed: true))
        }
        return Figure(name: name, chart: chart,
                      caption: "Solid: venue-adjusted academic-only share (logistic regression with venue fixed effects, standardized to the group's venue mix of 2012–2025; shaded: 95% bootstrap interval over venue-year cells). Dashed: raw share of the same fully resolved papers. Years with at least 30 papers.",
                      table: tables["venue_adjusted_series"] ?? Table(name: "venue_adjusted_series", columns: []))
    }

    /// Shares of ALL fully resolved academic-only papers mentioning each kind of model, by year.
    func relianceFigure() -> Figure {
        let all = rows("model_reliance_all_papers").filter {
            $0["from_year"] == $0["to_year"] && $0["team_type"]?.stringValue == "academic-only" && ($0["from_year"]?.intValue ?? 0) >= 2015
        }
        var chart = SVGChart(title: "Academic-only papers building on pre-trained models", xLabel: "Year",
                             yLabel: "Share of all fully resolved academic-only papers (%)", xDomain: 2015...2025, yDomain: 0...0.5)
        chart.yTickFormat = { "\(Int(($0 * 100).rounded()))%" }
        let colors = ["industry open-weights": "#D55E00", "industry closed or API": "#CC79A7", "academic or nonprofit": "#0072B2", "any model": "#222222"]
        for category in ["industry open-weights", "industry closed or API", "academic or nonprofit", "any model"] {
            let mine = all.filter { $0["category"]?.stringValue == category }
            chart.series.append(ChartSeries(
                label: category, color: colors[category]!,
                points: mine.compactMap { r in r["share"]?.doubleValue.map { (Double(r["from_year"]!.intValue!), $0) } },
                band: mine.compactMap { r in
                    guard let l = r["ci_low"]?.doubleValue, let h = r["ci_high"]?.doubleValue else { return nil }
                    return (Double(r["from_year"]!.intValue!), l, h)
                }, dashed: category == "any model"))
        }
        return Figure(name: "model_reliance_all_papers", chart: chart,
                      caption: "Share of all fully resolved academic-only papers whose title or abstract mentions a model of each kind (mentions of models published after the paper not counted); shaded: Wilson 95% interval.",
                      table: tables["model_reliance_all_papers"] ?? Table(name: "model_reliance_all_papers", columns: []))
    }

    public func figures() -> [Figure] {
        guard tables["venue_adjusted_series"] != nil else { return [] }
        return [
            adjustedFigure(name: "venue_adjusted_compute_intensive", title: "Academic-only share, venue-adjusted vs raw: compute-intensive vs other topics",
                           groups: [("compute-intensive", "#D55E00"), ("compute-intensive (fixed set)", "#CC79A7"), ("other topics", "#0072B2")]),
            adjustedFigure(name: "venue_adjusted_foundation_models", title: "Academic-only share, venue-adjusted vs raw: foundation-model papers",
                           groups: [("foundation-models", "#009E73"), ("foundation-models: developing", "#CC79A7"), ("foundation-models: using", "#E69F00")]),
            relianceFigure(),
        ] + (tables["academic_share_by_topic_compute"].map { [topicComputeFigure($0)] } ?? [])
    }

    /// The continuous version: each topic-era's academic-only share against its models' median compute.
    func topicComputeFigure(_ t: Table) -> Figure {
        let all = rows("academic_share_by_topic_compute").filter { ($0["papers"]?.intValue ?? 0) >= 30 }
        let xs = all.compactMap { $0["median_training_compute_flop"]?.doubleValue }.filter { $0 > 0 }.map(log10)
        let lo = (xs.min() ?? 15).rounded(.down), hi = max((xs.max() ?? 25).rounded(.up), lo + 1)
        var chart = SVGChart(title: "Academic-only share against the topic-era's median training compute", xLabel: "Median training compute of the topic-era's notable models (log10 FLOP)",
                             yLabel: "Academic-only share of fully resolved papers (%)", xDomain: lo...hi, yDomain: 0...1)
        chart.yTickFormat = { "\(Int(($0 * 100).rounded()))%" }
        let colors = ["2012–2017": "#0072B2", "2018–2021": "#009E73", "2022–": "#D55E00"]
        for era in ["2012–2017", "2018–2021", "2022–"] {
            let mine = all.filter { $0["era"]?.stringValue == era }
            let points = mine.compactMap { r -> (x: Double, y: Double)? in
                guard let f = r["median_training_compute_flop"]?.doubleValue, f > 0, let v = r["share"]?.doubleValue else { return nil }
                return (log10(f), v)
            }
            chart.series.append(ChartSeries(label: "papers of \(era)", color: colors[era]!, points: points, dots: true))
        }
        return Figure(name: "academic_share_by_topic_compute", chart: chart,
                      caption: "One dot per topic and era (topic-eras with at least 30 fully resolved papers): the academic-only share of the topic's papers against the median training compute of the notable models linked to the topic in that era.",
                      table: t)
    }

    /// The section: headline sentences, shift-share sentences and table, figures, coverage.
    public func sectionHTML(figures: [Figure]) -> String {
        var s = "<p>The raw shares above mix a change of teams with a change of which venues carry affiliations in which years. The estimates here use only papers whose team is fully resolved and remove the venue mix two ways: a shift-share decomposition between two periods, and a regression with venue fixed effects.</p>"
        s += "<ul>" + PaperEstimates.shiftShareGroups.compactMap(shiftShareSentence).map { "<li>\(escapeHTML($0))</li>" }.joined() + "</ul>"
        if let t = tables["shift_share_decomposition"] {
            s += "<details><summary>Shift-share table: every venue's counts, shares and terms</summary>"
                + TableRendering.html(t, caption: "Shift-share decomposition (fully resolved papers)", maxRows: 1000)
                + "</details>"
        }
        if let fixed = fixedSetSentence() { s += "<p>\(escapeHTML(fixed))</p>" }
        if let industry = anyIndustrySentence() { s += "<p>\(escapeHTML(industry))</p>" }
        s += figures.map(\.html).joined(separator: "\n")
        return s
    }

    /// Papers with any industry author, over all venues, in the summary's spans.
    func anyIndustrySentence() -> String? {
        let r = rows("any_industry_by_year").filter { $0["venue"]?.stringValue == "all" }
        guard let a = r.first(where: { $0["period"]?.stringValue == "2012–2016" }),
              let b = r.first(where: { $0["period"]?.stringValue == "2020–2025" }) else { return nil }
        return "At least one industry affiliation (industry-only, collaboration, or industry with government or nonprofit): \(PaperEstimates.interval(a, "share", "ci_low", "ci_high")) of fully resolved papers in 2012–2016 (n = \((a["resolved"]?.intValue ?? 0).grouped)) and \(PaperEstimates.interval(b, "share", "ci_low", "ci_high")) in 2020–2025 (n = \((b["resolved"]?.intValue ?? 0).grouped)); per venue-year in any_industry_by_year.csv."
    }

    /// Which topics the fixed compute-intensive set holds, and its venue-adjusted shares.
    func fixedSetSentence() -> String? {
        let topics = rows("topic_compute_intensity").filter {
            $0["era"]?.stringValue?.contains("fixed") == true && $0["compute_intensive"] == .bool(true)
        }.compactMap { $0["topic"]?.stringValue }
        guard !topics.isEmpty else { return nil }
        var s = "The fixed compute-intensive topic set (the era rule applied once to every notable model of 2012 on, so the set does not change with time) holds: \(topics.joined(separator: ", "))."
        if let a = adjusted("compute-intensive (fixed set)", "2015–2018"), let b = adjusted("compute-intensive (fixed set)", "2021–2025"),
           a["adjusted_share"]?.doubleValue != nil, b["adjusted_share"]?.doubleValue != nil {
            s += " Venue-adjusted academic-only share of its fully resolved papers: \(PaperEstimates.interval(a, "adjusted_share", "ci_low", "ci_high")) in 2015–2018 (n = \((a["papers"]?.intValue ?? 0).grouped)) and \(PaperEstimates.interval(b, "adjusted_share", "ci_low", "ci_high")) in 2021–2025 (n = \((b["papers"]?.intValue ?? 0).grouped))."
        }
        return s
    }

    static let shiftShareGroups = ["all papers", "compute-intensive", "compute-intensive (fixed set)", "other topics", "foundation-models"]

    /// Venue × year heatmap of papers (cell text) and the share fully resolved (colour).
    public func coverageHeatmap() -> String? {
        let cells = rows("coverage_by_venue_year")
        guard !cells.isEmpty else { return nil }
        var totals: [String: Int] = [:]
        for c in cells { totals[c["venue"]?.stringValue ?? "", default: 0] += c["papers"]?.intValue ?? 0 }
        let venues = totals.filter { $0.value >= 100 }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key)
        let years = Array(Set(cells.compactMap { $0["year"]?.intValue }.filter { $0 >= 2010 })).sorted()
        guard !venues.isEmpty, !years.isEmpty else { return nil }
        let cw = 46.0, ch = 20.0, left = 150.0, top = 56.0
        let width = left + cw * Double(years.count) + 16, height = top + ch * Double(venues.count) + 40
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"Coverage: papers and share fully resolved by venue and year\" font-family=\"system-ui, sans-serif\" font-size=\"11\">"
        s += "<text x=\"8\" y=\"18\" font-size=\"14\" font-weight=\"600\">Coverage: papers per venue-year (number) and share with a fully resolved team (colour)</text>"
        for (j, y) in years.enumerated() {
            s += "<text x=\"\(JSONValue.format(left + cw * Double(j) + cw / 2))\" y=\"\(Int(top - 8))\" text-anchor=\"middle\">\(y)</text>"
        }
        var lookup: [String: [String: JSONValue]] = [:]
        for c in cells { lookup["\(c["venue"]?.stringValue ?? "")|\(c["year"]?.intValue ?? 0)"] = c }
        for (i, v) in venues.enumerated() {
            let y0 = top + ch * Double(i)
            s += "<text x=\"\(Int(left - 6))\" y=\"\(JSONValue.format(y0 + ch * 0.7))\" text-anchor=\"end\">\(escapeHTML(VenueName.display(v)))</text>"
            for (j, y) in years.enumerated() {
                guard let c = lookup["\(v)|\(y)"], let n = c["papers"]?.intValue, n > 0 else { continue }
                let share = c["share_full"]?.doubleValue ?? 0
                // White (0%) to blue (100%).
                let r = Int(255 - share * (255 - 0x08)), g = Int(255 - share * (255 - 0x51)), b = Int(255 - share * (255 - 0x9C))
                let x0 = left + cw * Double(j)
                s += "<rect x=\"\(JSONValue.format(x0))\" y=\"\(JSONValue.format(y0))\" width=\"\(Int(cw - 1))\" height=\"\(Int(ch - 1))\" fill=\"rgb(\(r),\(g),\(b))\"><title>\(escapeHTML(VenueName.display(v))) \(y): \(n) papers, \(TableRendering.percent(share)) fully resolved</title></rect>"
                s += "<text x=\"\(JSONValue.format(x0 + cw / 2))\" y=\"\(JSONValue.format(y0 + ch * 0.7))\" text-anchor=\"middle\" fill=\"\(share > 0.55 ? "#fff" : "#222")\">\(n)</text>"
            }
        }
        s += "<text x=\"8\" y=\"\(Int(height - 12))\">Colour: white = no paper fully resolved, dark blue = all. Venues with at least 100 papers.</text>"
        return s + "</svg>"
    }

    /// The methods text for these estimators.
    public static let methodsHTML = """
        <h3>Team resolution</h3>
        <p>Each classified paper has a <code>team_resolution</code>: <em>full</em> when every author has a sector and every affiliation string the paper lists (each author's and the paper-level ones) matched an organization or rule (authors of lists that give only a paper's unique affiliations are covered by those); <em>none</em> when no sector is known; <em>partial</em> otherwise. The primary paper tables count a team type only for fully resolved papers (the rest appear as <code>unknown</code>); the sensitivity table shows the same shares counting partially resolved teams by their known authors, and the bounds with every unresolved paper counted as academic-only and as not academic-only.</p>
        <h3>Shift-share decomposition</h3>
        <p>With S = Σ<sub>v</sub> w<sub>v</sub> p<sub>v</sub> over venues v (w<sub>v</sub> the venue's share of the group's fully resolved papers in the period, p<sub>v</sub> its academic-only share), the change between the two periods (Make variables <code>SHIFT_SHARE_BEFORE</code>, <code>SHIFT_SHARE_AFTER</code>) splits exactly into within-venue Σ w̄<sub>v</sub> Δp<sub>v</sub> and venue-mix Σ p̄<sub>v</sub> Δw<sub>v</sub> over venues present in both periods (w̄, p̄ the means of the two periods), plus an entry/exit term Σ (w<sub>2</sub>p<sub>2</sub> − w<sub>1</sub>p<sub>1</sub>) over venues present in one period only. The three terms add up to the total change.</p>
        <h3>Venue-adjusted series</h3>
        <p>Per topic group, a logistic regression of academic-only on year (categorical, 2012–2025) and venue fixed effects, fitted on fully resolved papers by Newton–Raphson (IRLS) on venue-year counts. Venues with fewer than 30 papers in the group are pooled into one “other venues” level. <strong>Separation</strong> (a venue or year whose papers are all, or none, academic-only, where the maximum likelihood estimate does not exist) is handled by a small ridge penalty λ = 0.1 on every coefficient except the intercept — the posterior mode under independent N(0, 10) priors on the log-odds effects — which keeps every estimate finite and barely moves well-populated levels. A year's venue-adjusted share is the standardized prediction: the mean predicted probability over all the group's papers with the year set to that year; a span of years averages its years weighted by the group's papers in each. 95% interval: percentile bootstrap over venue-year clusters (400 replicates redrawing the group's venue-year cells with replacement, refitting and restandardizing; fixed seed). An independent fit with Python statsmodels on the same records agrees within 1.5 points (Tests/crosscheck/estimates_crosscheck.py).</p>
        <h3>Reliance over all papers</h3>
        <p>Per year and team type (fully resolved papers), the share of all papers whose title or abstract mentions (a) an industry-developed model with open weights, (b) an industry model without open weights (closed or API), (c) a model with an academic or nonprofit developer; and, as before, the share among papers that mention any model. A mention of a model whose Epoch publication year is after the paper's year is not counted.</p>
        <h3>Any industry</h3>
        <p><code>any_industry</code>: fully resolved papers with at least one industry affiliation (industry-only, collaboration, and industry with government or nonprofit), Wilson 95% intervals, per venue-year and over all venues.</p>
        """
}
