import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import ECTestSupport

/// One HTML page for a whole run: `-o FILE.html`, or `report to … end report`.
@Suite struct ReportTests {
    /// Counts elements and collects the text of `h2` and `pre` elements.
    final class Collector: NSObject, XMLParserDelegate {
        var counts: [String: Int] = [:]
        var texts: [String: [String]] = [:]
        private var current: String?
        private var buffer = ""
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            counts[name, default: 0] += 1
            if name == "h1" || name == "h2" || name == "pre" { current = name; buffer = "" }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { if current != nil { buffer += string } }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == current { texts[name, default: []].append(buffer); current = nil }
        }
    }

    func parse(_ path: String) throws -> Collector {
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "<!DOCTYPE html>\n", with: "")
        let parser = XMLParser(data: Data(text.utf8))
        let collector = Collector()
        parser.delegate = collector
        #expect(parser.parse(), "the report is well-formed")
        return collector
    }

    @Test func dashOCollectsEveryResult() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let path = dir.path("run.html")
        let out = try runECSH(["--demo", "-o", path, "-c", "kpi gmv by quarter", "-c", "segment repeaters = orders >= 2",
                               "-c", "kpi gmv, repeat_rate by month", "-c", "cohort retention by quarter periods 4"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("report: 3 results written to '\(path)'"))
        let page = try parse(path)
        #expect(page.counts["section"] == 3 && page.counts["table"] == 3)
        #expect(page.texts["pre"] == ["ecsh> kpi gmv by quarter", "ecsh> kpi gmv, repeat_rate by month", "ecsh> cohort retention by quarter periods 4"])
        #expect(page.texts["h2"] == ["1. gmv by quarter", "2. gmv, repeat_rate by month", "3. size, Q0, Q1, Q2, Q3 by cohort (quarter)"])
        // gmv by quarter: one chart; gmv and repeat_rate: one outer chart holding one per unit. The cohort is a coloured table.
        #expect(page.counts["svg"] == 4)
        #expect(!(try String(contentsOfFile: path, encoding: .utf8)).contains("<script"))
    }

    @Test func reportToFramesPartOfAScript() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let path = dir.path("weekly.html")
        let script = try dir.write("a.ecsh", """
            kpi orders
            report to '\(path)' title 'Weekly KPIs'
            kpi gmv by quarter
            kpis
            end report
            kpi aov
            """)
        let out = try runECSH(["--demo", "-f", script])
        #expect(out.status == 0, "\(out.stderr)")
        let page = try parse(path)
        #expect(page.texts["h1"] == ["Weekly KPIs"])
        #expect(page.texts["pre"] == ["ecsh> kpi gmv by quarter", "ecsh> kpis"])
        let unclosed = try runECSH(["-c", "end report"])
        #expect(unclosed.status == 1 && unclosed.stderr.contains("no report is being collected"))
    }

    @Test func exportTitlesAPageWithItsStatement() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let path = dir.path("gmv.html")
        let out = try runECSH(["--demo", "-c", "kpi gmv by quarter", "-c", "export to '\(path)'"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(try parse(path).texts["h1"] == ["kpi gmv by quarter"])
    }
}
