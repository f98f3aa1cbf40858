import DivideAggregate
import DivideCore
@testable import DivideReport
import Testing

@Test func upstreamTextIsEscaped() {
    let hostile = "<script>alert(1)</script>\"><svg onload=alert(1)>"
    let escaped = escapeHTML(hostile)
    #expect(!escaped.contains("<") && !escaped.contains(">") && !escaped.contains("\""))
    #expect(escaped == "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;svg onload=alert(1)&gt;")
}

@Test func tablesRenderEscapedAndAsCSV() {
    var table = Table(name: "t", columns: ["title", "share"])
    table.append([.string("<b>x</b>, \"y\""), .double(0.25)], recordIDs: ["p1"])
    let html = TableRendering.html(table)
    #expect(html.contains("&lt;b&gt;x&lt;/b&gt;, &quot;y&quot;"))
    #expect(html.contains("25.0%"))
    #expect(TableRendering.csv(table) == "title,share\n\"<b>x</b>, \"\"y\"\"\",0.25\n")
}

@Test func chartsCarryTitleAxesAndLegendWithoutExternalReferences() {
    var chart = SVGChart(title: "T <1>", xLabel: "Year", yLabel: "Share (%)", xDomain: 2010...2020, yDomain: 0...1)
    chart.series = [ChartSeries(label: "academia <x>", color: "#000", points: [(2010, 0.5), (2020, 0.1)])]
    let svg = chart.render()
    #expect(svg.contains("<title>T &lt;1&gt;</title>"))
    #expect(svg.contains(">Year</text>") && svg.contains(">Share (%)</text>"))
    #expect(svg.contains(">academia &lt;x&gt;</text>"))
    #expect(!svg.contains("href") && !svg.contains("<script"))
}
