import DivideClassify

/// The report's methods section. Definitions are stated once here and in the code they
/// describe (Sector.init(epochOrganizationCategories:), LargeScaleDefinition, weakNotabilityCriteria, ModelTables).
public enum Methods {
    public static var html: String {
        """
        <h3>Population</h3>
        <p>Models: every model in Epoch AI's <em>Notable AI Models</em> table with a publication date. Rows of all six Epoch tables are merged by normalized name (case-folded, whitespace collapsed); a field takes the value of the highest-ranked table that has one (notable, large-scale, frontier, then the all-models exports, newer before older).</p>
        <h3>Sector of a model</h3>
        <p>From Epoch's <code>Organization categorization</code>, one entry per listed organization: only Academia → <em>academia</em>; only Industry → <em>industry</em>; both Academia and Industry → <em>collaboration</em>; no entry → <em>unknown</em>; anything else (Government, Research collective, or their mixes with one of the two) → <em>other</em>. The 2023 export's combined entries (“Industry - Academia Collaboration”) count as both.</p>
        <h3>Large-scale</h3>
        <p>Two definitions: (a) training compute ≥ 10<sup>23</sup> FLOP; (b) training compute ≥ the 75th percentile of that publication year's notable models with known compute (linear interpolation between order statistics). Models with unknown compute are never large-scale.</p>
        <h3>Notability filter</h3>
        <p>The filtered view drops models whose every notability criterion is one of \(weakNotabilityCriteria.sorted().joined(separator: ", ")); models with no criterion listed stay.</p>
        <h3>Shares and intervals</h3>
        <p>A share is the number of models of a sector over all models of the year (unknown sector included in the denominator). Intervals are Wilson score intervals at 95% (z = 1.96), which stay within [0, 1] and are reliable for small counts.</p>
        <h3>Compute trends</h3>
        <p>Ordinary least squares of log<sub>2</sub>(training FLOP) on the publication date as a fractional year, for notable models with known compute published from 2010-01-01 on. The slope is doublings per year; the doubling time is 12 / slope months. The 90% interval is a percentile bootstrap over models (2,000 resamples, fixed seed, so reruns are identical).</p>
        <h3>Papers</h3>
        <p>Papers come from the arXiv OAI-PMH harvest, the conference paper lists, the conference-site affiliation lists and the ACL Anthology, merged when they share an arXiv id or DOI, or a normalized title, first-author surname and year ±1 (stages/dedupe/README.md). Rejected and withdrawn submissions are counted and excluded. The conference-site lists (NeurIPS 2006–2020, 2023, 2024, ICML 2017–2020, ICLR 2018–2019, 2023, 2025; stages/parse/README.md) add institutions to the paper-list record of the same paper; the Paper Copilot lists give a paper's institutions, not each author's, so they count toward its team type as a paper-level list does; ICLR 2025's accepted papers are those its OpenReview decisions mark accepted, whose affiliation column is never used (it holds each author's oldest position). NeurIPS 2022, ICML 2021, 2022 and 2025, ICLR 2024, ECCV and CVPR/ICCV 2025 have no such list: their teams stay unknown. Team-type shares are of papers whose team is fully resolved (see Team resolution below); the other papers are shown as <code>unknown</code> rows, and the sensitivity table gives the shares counting partially resolved teams by their known authors and the bounds with every unresolved paper counted as academic-only and as not academic-only.</p>
        <h3>Reliance on open models</h3>
        <p>Paper view: among papers whose title or abstract mentions a pre-trained model of the registry (Epoch's models plus the aliases in reference/model-aliases.tsv, matched with word boundaries and versions), the share mentioning at least one model developed by industry with open weights. Model view: Epoch models that name a base model found in the tables, by the derived model's sector; the share whose base model is industry-developed with open weights.</p>
        <h3>Collaboration index</h3>
        <p>For papers with at least two authors of known sector, the observed share with both an academic and an industry author, divided by the share expected if each year's authors were assigned to papers at random: for a paper with k authors, 1 − (1 − a − b)<sup>k</sup> − (1 − i − b)<sup>k</sup> + o<sup>k</sup>, where a, i, b and o are the shares of academic, industry, both and other authors in that year's pool.</p>
        """
    }
}
