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
        #expect(counter.counts["svg"] == 1)
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
}
