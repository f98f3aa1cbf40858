import Foundation

/// One format per kind of number, shared by the page, the SVG charts, summary.md and the CSV
/// tables: proportions as percentages with one decimal ("64.0%"), training compute as a power
/// of ten ("1.3 × 10¹⁴" on the page, "1.3207626e14" in CSV, which keeps every digit).
public enum NumberFormat {
    /// A proportion in [0, 1] as a percentage with `digits` decimals: 0.64 → "64.0%".
    public static func percent(_ proportion: Double, digits: Int = 1) -> String {
        var scaled = proportion * 100
        // "-0.0%" is a rounding artefact, never a share.
        if abs(scaled) < 0.5 * pow(10, -Double(digits)) { scaled = 0 }
        return String(format: "%.\(digits)f%%", scaled)
    }

    /// Columns holding training compute in FLOP (`median_training_compute_flop`, …).
    public static func isFLOPColumn(_ column: String) -> Bool { column.hasSuffix("_flop") }

    /// Columns holding proportions: `share`, `*_share`, `*_rate` and interval bounds `ci_*`
    /// (except the doubling-time bounds, `ci_*_months`).
    public static func isProportionColumn(_ column: String) -> Bool {
        column == "share" || column.hasSuffix("_share") || column.hasSuffix("_rate")
            || (column.hasPrefix("ci_") && !column.hasSuffix("months"))
    }

    /// FLOP for reading: two significant digits times a power of ten, "1.3 × 10¹⁴".
    public static func flop(_ value: Double) -> String {
        guard value.isFinite, value > 0 else { return value == 0 ? "0" : plain(value) }
        var exponent = Int(floor(log10(value)))
        var mantissa = (value / pow(10, Double(exponent)) * 10).rounded() / 10
        if mantissa >= 10 { mantissa /= 10; exponent += 1 }
        return String(format: "%.1f", mantissa) + " × 10" + superscript(exponent)
    }

    /// A power of ten for chart ticks: 10¹⁴.
    public static func powerOfTen(_ exponent: Int) -> String { "10" + superscript(exponent) }

    /// FLOP for machines: the shortest scientific notation that reads back as the same Double,
    /// "1.3207626e14" (never "132076260000000" next to "2.45e+15").
    public static func flopCSV(_ value: Double) -> String {
        guard value.isFinite, value != 0 else { return value == 0 ? "0" : plain(value) }
        var text = String(format: "%.16e", value)
        for precision in 0...16 {
            let candidate = String(format: "%.\(precision)e", value)
            if Double(candidate) == value { text = candidate; break }
        }
        // "1.3207626e+14" → "1.3207626e14", "5e-03" → "5e-3".
        guard let e = text.firstIndex(of: "e") else { return text }
        let mantissa = text[..<e]
        guard let exponent = Int(String(text[text.index(after: e)...]).replacingOccurrences(of: "+", with: "")) else { return text }
        return String(mantissa) + "e" + String(exponent)
    }

    static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        let body = String(abs(n)).map { digits[Int(String($0))!] }
        return (n < 0 ? "⁻" : "") + String(body)
    }

    private static func plain(_ d: Double) -> String { String(format: "%g", d) }
}
