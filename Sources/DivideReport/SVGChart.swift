import Foundation

/// A series on a chart: points (x, y) and an optional interval band (x, low, high).
public struct ChartSeries {
    public var label: String
    public var color: String
    public var points: [(x: Double, y: Double)]
    public var band: [(x: Double, low: Double, high: Double)] = []
    /// Draw points as dots (scatter) instead of a connected line.
    public var dots = false
    public var dashed = false

    public init(label: String, color: String, points: [(x: Double, y: Double)],
                band: [(x: Double, low: Double, high: Double)] = [], dots: Bool = false, dashed: Bool = false) {
        self.label = label
        self.color = color
        self.points = points
        self.band = band
        self.dots = dots
        self.dashed = dashed
    }
}

/// A self-contained SVG chart: title, labelled axes with units, legend, no external references.
/// The SVG scales to its container; the page shows a narrow variant (`narrow()`, 400 units wide,
/// fewer ticks, wrapped title, axis labels and legend) on phones, so its 13-unit text stays about 12 px.
public struct SVGChart {
    public enum Scale { case linear, log10 }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var xDomain: ClosedRange<Double>
    public var yDomain: ClosedRange<Double>
    public var yScale: Scale = .linear
    /// Formats a y tick value (e.g. as a percentage or as 10^n).
    public var yTickFormat: (Double) -> String = { JSONFormatting.short($0) }
    public var series: [ChartSeries] = []

    public internal(set) var width = 760.0
    let plotAreaHeight = 380.0
    let left = 74.0, right = 16.0, axisBand = 56.0
    static let titleLineHeight = 20.0
    /// Below the title's last line.
    private var top: Double { 44 + Double(titleLines().count - 1) * SVGChart.titleLineHeight }
    static let legendRowHeight = 20.0

    /// The legend wraps into rows below the axis label; the SVG grows to fit them.
    private var height: Double { plotAreaTop + plotAreaHeight + xLabelExtra + Double(legendLayout().rows) * SVGChart.legendRowHeight + 8 }
    /// Extra height taken by a wrapped title.
    private var plotAreaTop: Double { top - 44 }

    /// The same chart for a phone: 400 units wide, so its text renders near its nominal size.
    public func narrow() -> SVGChart {
        var chart = self
        chart.width = 400
        return chart
    }

    /// The title in lines that fit the width (≈9.5 units per character at 16 units, bold).
    func titleLines() -> [String] { SVGChart.wrap(title, perLine: max(20, Int((width - left - right) / 9.5))) }

    /// Axis labels in lines that fit along their axis (≈7.5 units per character at 13 units, the
    /// legend's bound): on a phone a long label would otherwise run past the edge of the chart.
    func xLabelLines() -> [String] { SVGChart.wrap(xLabel, perLine: max(12, Int(plotWidth / 7.5))) }
    func yLabelLines() -> [String] { SVGChart.wrap(yLabel, perLine: max(12, Int(plotHeight / 7.5))) }
    static let axisLabelLineHeight = 15.0
    /// Extra height taken by a wrapped x-axis label; the legend moves down by as much.
    private var xLabelExtra: Double { Double(xLabelLines().count - 1) * SVGChart.axisLabelLineHeight }

    /// Greedy word wrap; a word longer than a line stays whole on its own line.
    static func wrap(_ text: String, perLine: Int) -> [String] {
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty && current.count + 1 + word.count > perLine { lines.append(current); current = "" }
            current += (current.isEmpty ? "" : " ") + word
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    public init(title: String, xLabel: String, yLabel: String, xDomain: ClosedRange<Double>, yDomain: ClosedRange<Double>) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xDomain = xDomain
        self.yDomain = yDomain
    }

    /// Whole decades around `values` for a log axis, clamped to 1e-300…1e300: an extreme but
    /// finite value (5e-324, 1.7e308) cannot make a bound 0 or infinity, whichever chart draws it.
    public static func decadeDomain(_ values: [Double], otherwise fallback: ClosedRange<Double>) -> ClosedRange<Double> {
        let positive = values.filter { $0 > 0 && $0.isFinite }
        guard let low = positive.min(), let high = positive.max() else { return fallback }
        let decade = { (x: Double, round: (Double) -> Double) in pow(10, min(300, max(-300, round(log10(x))))) }
        return decade(low, floor)...decade(high, ceil)
    }

    private var plotWidth: Double { width - left - right }
    private var plotHeight: Double { plotAreaHeight - 44 - axisBand }

    func px(_ x: Double) -> Double { left + (x - xDomain.lowerBound) / (xDomain.upperBound - xDomain.lowerBound) * plotWidth }

    func py(_ y: Double) -> Double {
        let (lo, hi, v): (Double, Double, Double)
        switch yScale {
        case .linear: (lo, hi, v) = (yDomain.lowerBound, yDomain.upperBound, y)
        case .log10: (lo, hi, v) = (log10(yDomain.lowerBound), log10(yDomain.upperBound), log10(max(y, 1e-300)))
        }
        return top + plotHeight - (v - lo) / (hi - lo) * plotHeight
    }

    private func f(_ d: Double) -> String { String(format: "%.1f", d) }

    public func render() -> String {
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height.rounded(.up)))\" role=\"img\" aria-label=\"\(escapeHTML(title))\" font-family=\"system-ui, sans-serif\" font-size=\"13\">"
        s += "<title>\(escapeHTML(title))</title>"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
        for (i, line) in titleLines().enumerated() {
            s += "<text x=\"\(f(left))\" y=\"\(f(24 + Double(i) * SVGChart.titleLineHeight))\" font-size=\"16\" font-weight=\"600\">\(escapeHTML(line))</text>"
        }
        s += axes()
        s += "<svg x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" viewBox=\"\(f(left)) \(f(top)) \(f(plotWidth)) \(f(plotHeight))\" overflow=\"hidden\">"
        for series in self.series where !series.band.isEmpty { s += band(series) }
        for series in self.series { s += series.dots ? dots(series) : line(series) }
        s += "</svg>"
        s += legend()
        s += "</svg>"
        return s
    }

    private func axes() -> String {
        var s = "<g stroke=\"#ccc\" stroke-width=\"1\">"
        let yTicks = yTickValues()
        for t in yTicks { s += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(py(t)))\" y2=\"\(f(py(t)))\"/>" }
        s += "</g><g stroke=\"#333\"><line x1=\"\(f(left))\" x2=\"\(f(left))\" y1=\"\(f(top))\" y2=\"\(f(top + plotHeight))\"/>"
        s += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(top + plotHeight))\" y2=\"\(f(top + plotHeight))\"/></g>"
        for t in yTicks {
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(py(t) + 4))\" text-anchor=\"end\">\(escapeHTML(yTickFormat(t)))</text>"
        }
        for t in xTickValues() {
            s += "<line x1=\"\(f(px(t)))\" x2=\"\(f(px(t)))\" y1=\"\(f(top + plotHeight))\" y2=\"\(f(top + plotHeight + 5))\" stroke=\"#333\"/>"
            s += "<text x=\"\(f(px(t)))\" y=\"\(f(top + plotHeight + 19))\" text-anchor=\"middle\">\(Int(t))</text>"
        }
        for (i, line) in xLabelLines().enumerated() {
            s += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(top + plotHeight + 40 + Double(i) * SVGChart.axisLabelLineHeight))\" text-anchor=\"middle\">\(escapeHTML(line))</text>"
        }
        for (i, line) in yLabelLines().enumerated() {
            s += "<text transform=\"translate(\(f(16 + Double(i) * SVGChart.axisLabelLineHeight)) \(f(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(escapeHTML(line))</text>"
        }
        return s
    }

    func yTickValues() -> [Double] {
        switch yScale {
        case .log10:
            // Exponents clamped as in `decadeDomain`, for a domain built some other way.
            let exponent = { (y: Double) in min(300, max(-300, log10(max(y, 1e-300)))) }
            let lo = Int(ceil(exponent(yDomain.lowerBound))), hi = Int(floor(exponent(yDomain.upperBound)))
            let step = max(1, (hi - lo) / 8)
            return stride(from: lo, through: hi, by: step).map { pow(10, Double($0)) }
        case .linear:
            let span = yDomain.upperBound - yDomain.lowerBound
            let step = SVGChart.niceStep(span / 5)
            return stride(from: (yDomain.lowerBound / step).rounded(.up) * step, through: yDomain.upperBound + step * 1e-9, by: step).map { $0 }
        }
    }

    /// The x axis is years: ticks on whole years only, every 1, 2, 5, 10, … years, as many as
    /// fit (one per 60 units of plot width).
    func xTickValues() -> [Double] {
        let span = xDomain.upperBound - xDomain.lowerBound
        let maxTicks = max(2, Int(plotWidth / 60))
        let step = [1.0, 2, 5, 10, 20, 25, 50, 100, 200, 500].first { floor(span / $0) + 1 <= Double(maxTicks) } ?? 1000
        let first = (xDomain.lowerBound / step).rounded(.up) * step
        return stride(from: first, through: xDomain.upperBound + 1e-9, by: step).map { $0.rounded() }
    }

    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0 else { return 1 }
        let magnitude = pow(10, floor(log10(raw)))
        for m in [1.0, 2.0, 2.5, 5.0, 10.0] where m * magnitude >= raw { return m * magnitude }
        return 10 * magnitude
    }

    private func line(_ series: ChartSeries) -> String {
        guard !series.points.isEmpty else { return "" }
        let path = series.points.enumerated().map { i, p in (i == 0 ? "M" : "L") + f(px(p.x)) + " " + f(py(p.y)) }.joined(separator: " ")
        let dash = series.dashed ? " stroke-dasharray=\"6 4\"" : ""
        var s = "<path d=\"\(path)\" fill=\"none\" stroke=\"\(series.color)\" stroke-width=\"2\"\(dash)/>"
        if series.points.count <= 80 {
            for p in series.points { s += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"2.5\" fill=\"\(series.color)\"/>" }
        }
        return s
    }

    private func dots(_ series: ChartSeries) -> String {
        series.points.map { p in
            "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"3\" fill=\"\(series.color)\" fill-opacity=\"0.55\"/>"
        }.joined()
    }

    private func band(_ series: ChartSeries) -> String {
        let upper = series.band.map { "\(f(px($0.x))) \(f(py($0.high)))" }
        let lower = series.band.reversed().map { "\(f(px($0.x))) \(f(py($0.low)))" }
        return "<path d=\"M" + (upper + lower).joined(separator: " L") + " Z\" fill=\"\(series.color)\" fill-opacity=\"0.12\" stroke=\"none\"/>"
    }

    /// Legend entries' positions, wrapping so none overflows the width (≈7.5 px per character
    /// at 13 px is a safe upper bound for system sans-serif fonts).
    private func legendLayout() -> (positions: [(x: Double, y: Double)], rows: Int) {
        var positions: [(x: Double, y: Double)] = []
        var x = left, row = 0
        for series in series {
            let w = 34 + Double(series.label.count) * 7.5
            if x + w > width - right && x > left { x = left; row += 1 }
            positions.append((x, plotAreaTop + plotAreaHeight + xLabelExtra + Double(row) * SVGChart.legendRowHeight))
            x += w
        }
        return (positions, series.isEmpty ? 0 : row + 1)
    }

    private func legend() -> String {
        var s = ""
        for (series, position) in zip(series, legendLayout().positions) {
            let (x, y) = position
            if series.dots {
                s += "<circle cx=\"\(f(x + 9))\" cy=\"\(f(y - 4))\" r=\"4\" fill=\"\(series.color)\"/>"
            } else {
                let dash = series.dashed ? " stroke-dasharray=\"6 4\"" : ""
                s += "<line x1=\"\(f(x))\" x2=\"\(f(x + 18))\" y1=\"\(f(y - 4))\" y2=\"\(f(y - 4))\" stroke=\"\(series.color)\" stroke-width=\"2.5\"\(dash)/>"
            }
            s += "<text x=\"\(f(x + 24))\" y=\"\(f(y))\">\(escapeHTML(series.label))</text>"
        }
        return s
    }
}

public enum JSONFormatting {
    /// Compact tick labels: 0.25 → "0.25", 1000 → "1000".
    public static func short(_ d: Double) -> String {
        if d == d.rounded() && abs(d) < 1e6 { return String(Int(d)) }
        return String(format: "%g", d)
    }
}
