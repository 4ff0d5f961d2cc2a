import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import ECStore
import ECTestSupport
@testable import ECRender

/// Counts elements by name and records the first parse error, if any.
private final class ElementCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    var texts: [String] = []
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        counts[name, default: 0] += 1
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { texts.append(string) }
}

private func parse(_ text: String) -> (ok: Bool, counter: ElementCounter) {
    // XMLParser does not know the HTML5 doctype's lack of a DTD; drop it first.
    let body = text.replacingOccurrences(of: "<!DOCTYPE html>\n", with: "")
    let parser = XMLParser(data: Data(body.utf8))
    let counter = ElementCounter()
    parser.delegate = counter
    return (parser.parse(), counter)
}

@Suite struct ExportTests {
    let series = ResultTable(
        columns: ["month", "gmv", "orders"],
        rows: [["2024-01", 1000, 10], ["2024-02", .null, 12], ["2024-03", 2500, 9], ["Total", 3500, 31]],
        formats: [.text, .currency(code: "JPY"), .auto],
        notes: ["gmv <incl. tax> & shipping"], summaryRows: [3])
    let cohorts = ResultTable(columns: ["cohort", "size", "0", "1"],
                              rows: [["2024-01", 10, 1.0, 0.3], ["2024-02", 8, 1.0, .null]])

    @Test func htmlPageIsSelfContainedAndWellFormed() {
        let page = HTMLWriter.page(series, title: "Sales & <more>")
        #expect(!page.contains("http://") && !page.contains("https://"))
        #expect(!page.contains("<script"))
        let (ok, counter) = parse(page)
        #expect(ok)
        #expect(counter.counts["table"] == 1)
        #expect(counter.counts["tr"] == 5)  // header + 4 rows
        #expect(counter.counts["td"] == 12)
        // gmv (yen) and orders (a count) are different units: a chart each inside one outer <svg>.
        #expect(counter.counts["svg"] == 3)
        #expect(counter.counts["path"] == 2)  // a line per numeric column
        #expect(counter.counts["circle"] == 5)  // 2 gmv points (one NULL) + 3 orders; Total not plotted
        #expect(counter.texts.contains("¥1,000"))
        #expect(page.contains("<tr class=\"summary\">"))
        #expect(page.contains("gmv &lt;incl. tax&gt; &amp; shipping"))
    }

    @Test func htmlHeatmapColoursCellsAndLeavesGapsBlank() {
        let page = HTMLWriter.page(cohorts)
        let (ok, counter) = parse(page)
        #expect(ok)
        #expect(counter.counts["svg"] == nil)
        // Scale 0.3..1.0: 30% is the lightest step, 100% the darkest.
        #expect(page.contains("<td class=\"num\" style=\"background: #e0f3ff; color: #000000\">30%</td>"))
        #expect(page.contains("<td class=\"num\" style=\"background: #0b4f8c; color: #ffffff\">100%</td>"))
        #expect(page.contains("<td></td>"))
        #expect(!page.contains("http"))
    }

    @Test func svgIsStandaloneXML() throws {
        let bars = ResultTable(columns: ["channel", "orders"], rows: [["own", 400], ["mall", 100]])
        let svg = try SVGChart.svg(for: bars, standalone: true)
        let (ok, counter) = parse(svg)
        #expect(ok)
        #expect(counter.counts["rect"] == 2)
        // Bar heights are proportional: plot height 240, axis 0...400 → 240 and 60.
        #expect(svg.contains("height=\"240.0\"") && svg.contains("height=\"60.0\""))
        let heat = try SVGChart.svg(for: cohorts, standalone: true)
        #expect(parse(heat).ok && parse(heat).counter.counts["rect"] == 3)
    }

    @Test(arguments: [
        ("out.csv", ExportFormat.csv), ("a/b.TSV", .tsv), ("r.json", .json), ("r.md", .markdown),
        ("r.html", .html), ("r.htm", .html), ("c.svg", .svg),
    ])
    func formatFromExtension(path: String, format: ExportFormat) {
        #expect(ExportFormat(path: path) == format)
    }

    @Test func unknownExtensionListsTheKnownOnes() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        do {
            try ExportWriter.write(series, to: dir.path("out.xlsx"))
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "don't know how to export to '\(dir.path("out.xlsx"))': use one of .csv .tsv .json .md .html .svg")
        }
        #expect(ExportFormat(path: "dir.v2/file") == nil)
    }

    @Test func writesFilesThatMatchTheWriters() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        for name in ["r.csv", "r.tsv", "r.json", "r.md", "r.html", "r.svg"] {
            let path = dir.path(name)
            try ExportWriter.write(series, to: path)
            let written = try String(contentsOfFile: path, encoding: .utf8)
            #expect(written == (try ExportWriter.text(series, format: ExportFormat(path: name)!, title: "r")))
        }
        #expect(try String(contentsOfFile: dir.path("r.csv"), encoding: .utf8).hasPrefix("month,gmv,orders\n2024-01,1000,10\n"))
        do {
            try ExportWriter.write(series, to: dir.path("missing/r.csv"))
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "cannot export to '\(dir.path("missing/r.csv"))': the folder '\(dir.path("missing"))' does not exist")
        }
        let plain = ResultTable(columns: ["a"], rows: [["x"]])
        #expect(throws: ExportError.self) { try ExportWriter.write(plain, to: dir.path("p.svg")) }
    }

    /// The `x` and text of every SVG `<text>` element that matches `anchor`.
    private func texts(_ svg: String, anchor: String) -> [(x: Double, text: String)] {
        svg.split(separator: "\n").compactMap { line -> (Double, String)? in
            guard line.hasPrefix("<text x=\""), line.contains("text-anchor=\"\(anchor)\""),
                  let x = Double(line.dropFirst(9).prefix { $0 != "\"" }),
                  let open = line.firstIndex(of: ">"), let close = line.range(of: "</text>") else { return nil }
            return (x, String(line[line.index(after: open)..<close.lowerBound]))
        }
    }

    /// A shop with ¥9 trillion in one channel: the axis labels `¥4,500,000,000,000` and `¥9,000,000,000,000`
    /// are 18 characters, about 18 × 6.7 = 121 units at font size 12. They end 6 units left of the plot, which
    /// started at x = 80, so the old labels ran off the picture and read `0,000,000,000`. Bar and line charts alike.
    @Test func valueAxisLabelsFitLeftOfThePlot() throws {
        let big = ResultTable(columns: ["channel", "gmv"], rows: [["own", 9_000_000_000_000.0], ["mall", 1_000_000_000_000.0]],
                              formats: [.text, .currency(code: "JPY")])
        var long = big
        long.rows = (1...30).map { [.text("2024-\($0)"), .real(Double($0) * 300_000_000_000)] }
        for table in [big, long] {
            let labels = texts(try SVGChart.svg(for: table, standalone: true), anchor: "end")
            #expect(labels.map(\.text) == ["¥0", "¥4,500,000,000,000", "¥9,000,000,000,000"])
            for label in labels { #expect(label.x >= Double(label.text.count) * 6.7, "\(label)") }
        }
    }

    /// 14 bars share 620 units (44 each): a 26-character channel name is cut to 4 characters and `…` so the
    /// names do not run into each other; the bar's tooltip keeps the whole name.
    @Test func barLabelsAreCutToTheirSlot() throws {
        let table = ResultTable(columns: ["channel", "orders"],
                                rows: (1...14).map { [.text("=hyperlink(\"http://x\",\"\($0)\")"), .integer(Int64($0))] })
        let svg = try SVGChart.svg(for: table, standalone: true)
        let names = texts(svg, anchor: "middle")
        #expect(names.count == 14 && names.allSatisfy { $0.text == "=hyp…" }, "\(names)")
        #expect(svg.contains("<title>=hyperlink(&quot;http://x&quot;,&quot;14&quot;): 14</title>"))
    }

    /// Values 5 and −3: the axis runs from −3 to 5, with grid labels −3, 1 and 5 and nothing at 0, so a bar of −3
    /// read as the shortest bar of a chart starting at −3, not as below zero. A darker line is drawn at 0, with a
    /// `0` label: y = 30 + 240 × (1 − 3/8) = 180 (top 30, plot height 320 − 30 − 50), in bar and line charts alike.
    /// With −4 and 4 a grid line is already at 0: the line is drawn, the label not twice. All positive: none.
    @Test func aZeroLineWhenTheAxisCrossesZero() throws {
        let table = ResultTable(columns: ["month", "margin"], rows: [["2024-01", 5.0], ["2024-02", -3.0]], formats: [.text, .decimal(places: 0)])
        var lines = table
        lines.rows += [["2024-03", 1.0], ["2024-04", 2.0]]
        for chart in [table, lines] {
            let svg = try SVGChart.svg(for: chart, standalone: true)
            #expect(svg.contains("y1=\"180.0\" x2=") && svg.contains("stroke=\"#555555\" class=\"zero\""), "\(svg)")
            #expect(texts(svg, anchor: "end").map(\.text) == ["-3", "1", "5", "0"], "\(svg)")
        }
        var even = table
        even.rows = [["2024-01", 4.0], ["2024-02", -4.0]]
        let svg = try SVGChart.svg(for: even, standalone: true)
        #expect(svg.contains("class=\"zero\"") && texts(svg, anchor: "end").map(\.text) == ["-4", "0", "4"], "\(svg)")
        var positive = table
        positive.rows = [["2024-01", 4.0], ["2024-02", 2.0]]
        #expect(!(try SVGChart.svg(for: positive, standalone: true)).contains("class=\"zero\""))
    }
}
