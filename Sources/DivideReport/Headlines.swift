import DivideAggregate
import DivideClassify
import DivideCore
import DivideStats

/// The headline numbers of each claim, as sentences with their intervals; rendered in the
/// report's boxes and in outputs/summary.md.
public struct Headlines {
    public struct Claim {
        public let title: String
        public let sentences: [String]
    }

    public static let early = 2010...2014
    public static let late = 2020...2025

    public let claims: [Claim]

    public init(models: [ClassifiedModel], tables: [String: Table]) {
        let m = ModelFindings(models: models, tables: tables)
        var claims: [Claim] = []
        let earlyA = m.periodShare(sector: .academia, years: Headlines.early)
        let lateA = m.periodShare(sector: .academia, years: Headlines.late)
        let lateI = m.periodShare(sector: .industry, years: Headlines.late)
        let lsEarly = m.periodShare(sector: .academia, years: Headlines.early, largeScale: .topQuartile)
        let lsLate = m.periodShare(sector: .academia, years: Headlines.late, largeScale: .topQuartile)
        let ls23 = m.periodShare(sector: .academia, years: Headlines.late, largeScale: .absolute1e23)
        var models1 = [
            "Academia's share of notable models fell from \(Headlines.describe(earlyA)) in \(Headlines.span(Headlines.early)) to \(Headlines.describe(lateA)) in \(Headlines.span(Headlines.late)); industry alone developed \(Headlines.describe(lateI)) in \(Headlines.span(Headlines.late)).",
            "Among large-scale models (top quartile of their year's training compute), academia's share went from \(Headlines.describe(lsEarly)) in \(Headlines.span(Headlines.early)) to \(Headlines.describe(lsLate)) in \(Headlines.span(Headlines.late)); among models of at least 10²³ FLOP it was \(Headlines.describe(ls23)) in \(Headlines.span(Headlines.late)).",
        ]
        if let trends = tables["compute_trends"], let s = Headlines.doublingSentence(trends) { models1.append(s) }
        claims.append(Claim(title: "The compute divide in models", sentences: models1))

        let estimates = PaperEstimates(tables: tables)
        if let t = tables["academic_share_compute_intensive"], !t.rows.isEmpty {
            // The headline is the venue-adjusted estimate on fully resolved papers; the raw pooled
            // shares (fully resolved papers, era-specific topic set) follow it.
            var sentences = estimates.claim2Sentences()
            for group in ["compute-intensive", "other"] {
                let e = Headlines.pooled(t, group: group, years: 2012...2016), l = Headlines.pooled(t, group: group, years: 2021...2025)
                if e.trials > 0 && l.trials > 0 {
                    sentences.append("Raw, fully resolved papers: academic-only teams wrote \(Headlines.describe(e)) of papers in \(group == "other" ? "other (not compute-intensive)" : "compute-intensive") topics in 2012–2016 and \(Headlines.describe(l)) in 2021–2025.")
                }
            }
            claims.append(Claim(title: "Academic-only teams in compute-intensive topics", sentences: sentences))
        }
        var reliance: [String] = estimates.claim3Sentences()
        if let t = tables["open_base_model_lineage"] {
            let rows = t.rows.filter { $0[1] == .string(Sector.academia.rawValue) && Headlines.late.contains($0[0].intValue ?? 0) }
            let n = rows.reduce(0) { $0 + ($1[2].intValue ?? 0) }, k = rows.reduce(0) { $0 + ($1[3].intValue ?? 0) }
            if n > 0 {
                reliance.append("Of academic models in Epoch's tables that name a base model (\(Headlines.span(Headlines.late))), \(Headlines.describe(WilsonInterval(successes: k, trials: n))) were fine-tuned from an industry model with open weights.")
            }
        }
        if !reliance.isEmpty { claims.append(Claim(title: "Reliance on industry's open models", sentences: reliance)) }
        let coverage = estimates.coverageSentences()
        if !coverage.isEmpty { claims.append(Claim(title: "What the paper-level numbers rest on", sentences: coverage)) }
        self.claims = claims
    }

    static func span(_ r: ClosedRange<Int>) -> String { "\(r.lowerBound)–\(r.upperBound)" }

    static func describe(_ w: WilsonInterval) -> String {
        "\(TableRendering.percent(w.share)) (95% CI \(TableRendering.percent(w.low))–\(TableRendering.percent(w.high)), n = \(w.trials.grouped))"
    }

    /// Pools a group's academic-only and known counts over a span of years.
    static func pooled(_ t: Table, group: String, years: ClosedRange<Int>) -> WilsonInterval {
        let rows = t.rows.filter { $0[1] == .string(group) && years.contains($0[0].intValue ?? 0) }
        let k = rows.reduce(0) { $0 + ($1[2].intValue ?? 0) }, n = rows.reduce(0) { $0 + ($1[3].intValue ?? 0) }
        return WilsonInterval(successes: k, trials: n)
    }

    static func doublingSentence(_ t: Table) -> String? {
        func months(_ sector: String) -> String? {
            guard let r = t.rows.first(where: { $0[0] == .string(sector) }), let m = r[4].doubleValue,
                  let lo = r[5].doubleValue, let hi = r[6].doubleValue else { return nil }
            return "\(JSONValue.format(m)) months (90% CI \(JSONValue.format(lo))–\(JSONValue.format(hi)))"
        }
        guard let i = months(Sector.industry.rawValue), let a = months(Sector.academia.rawValue) else { return nil }
        return "Since 2010 the training compute of industry's notable models doubled every \(i), academia's every \(a)."
    }

    public var html: String {
        "<div class=\"headline\">" + claims.map { c in
            "<p><strong>\(escapeHTML(c.title)).</strong> " + c.sentences.map(escapeHTML).joined(separator: " ") + "</p>"
        }.joined() + "</div>"
    }

    public func markdown(codeVersion: String) -> String {
        var s = "# The compute divide in machine learning: headline numbers\n\n"
        s += "Recomputed by compute-divide (code version \(codeVersion)); full report: report.html, tables: tables/.\n"
        for c in claims {
            s += "\n## \(c.title)\n\n" + c.sentences.map { "- \($0)\n" }.joined()
        }
        return s
    }
}
