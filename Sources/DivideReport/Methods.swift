import DivideClassify

/// The report's methods section. Definitions are stated once here and in the code they
/// describe (ModelSector, LargeScaleDefinition, weakNotabilityCriteria, ModelTables).
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
        """
    }
}
