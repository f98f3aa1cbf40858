import DivideAggregate

/// A chart with its caption and its data table one click away; also written as a standalone SVG.
public struct Figure {
    public let name: String
    public var chart: SVGChart
    public let caption: String
    public let table: Table

    public init(name: String, chart: SVGChart, caption: String, table: Table) {
        self.name = name
        self.chart = chart
        self.caption = caption
        self.table = table
    }

    public var html: String {
        """
        <figure id="fig-\(escapeHTML(name))"><div class="chart-wide">\(chart.render())</div><div class="chart-narrow">\(chart.narrow().render())</div>
        <figcaption>\(escapeHTML(caption)) <a href="figures/\(escapeHTML(name)).svg">SVG</a> · <a href="tables/\(escapeHTML(table.name)).csv">CSV</a></figcaption>
        <details><summary>Data table</summary>\(TableRendering.html(table))</details></figure>
        """
    }

    /// The standalone SVG file (with its XML declaration).
    public var svgFile: String { "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + chart.render() + "\n" }
}

/// The report: one self-contained HTML page (inline SVG and CSS, no scripts, fonts or images).
public struct ReportPage {
    public struct Section {
        public let id: String
        public let heading: String
        public let html: String
        public init(id: String, heading: String, html: String) {
            self.id = id
            self.heading = heading
            self.html = html
        }
    }

    public var title: String
    public var subtitle: String
    public var sections: [Section] = []

    public init(title: String, subtitle: String) {
        self.title = title
        self.subtitle = subtitle
    }

    static let css = """
    body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:980px;padding:0 16px 48px;color:#1a1a1a;line-height:1.5}
    h1{font-size:1.7rem;margin:1.2em 0 .2em}h2{font-size:1.3rem;margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}
    h3{font-size:1.05rem;margin-top:1.5em}.subtitle{color:#555;margin-top:0}
    nav ul{columns:2;padding-left:1.2em}@media (max-width:600px){nav ul{columns:1}}
    figure{margin:1.2em 0}figure svg{width:100%;height:auto;display:block;border:1px solid #eee}
    .chart-narrow{display:none}@media (max-width:600px){.chart-wide{display:none}.chart-narrow{display:block}}
    figcaption{font-size:.9rem;color:#444;margin-top:.3em}
    details{margin:.4em 0}summary{cursor:pointer;color:#0b5cad}
    .table-wrap{overflow-x:auto;max-width:100%}table{border-collapse:collapse;font-size:.85rem;margin:.5em 0}
    th,td{border-bottom:1px solid #e3e3e3;padding:3px 8px;text-align:left;white-space:nowrap}td.num{text-align:right;font-variant-numeric:tabular-nums}
    th{background:#f6f6f6;position:sticky;top:0}caption{text-align:left;font-weight:600;padding:4px 0}
    .headline{background:#f4f8fc;border-left:4px solid #0b5cad;padding:8px 14px;margin:1em 0}
    .note{font-size:.85rem;color:#555}code{font-size:.9em;background:#f3f3f3;padding:0 3px;word-break:break-all}
    """

    public func render() -> String {
        var s = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
        <title>\(escapeHTML(title))</title><style>\(ReportPage.css)</style></head><body>
        <h1>\(escapeHTML(title))</h1><p class="subtitle">\(escapeHTML(subtitle))</p>
        <nav><ul>
        """
        for section in sections { s += "<li><a href=\"#\(escapeHTML(section.id))\">\(escapeHTML(section.heading))</a></li>" }
        s += "</ul></nav>\n"
        for section in sections {
            s += "<section id=\"\(escapeHTML(section.id))\"><h2>\(escapeHTML(section.heading))</h2>\n\(section.html)\n</section>\n"
        }
        s += "</body></html>\n"
        return s
    }
}
