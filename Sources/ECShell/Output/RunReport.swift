import ECStore
import ECLanguage
import ECRender

/// Every result of a run collected for one HTML page: `ecsh -o report.html -f a.ecsh`,
/// or `report to 'file.html' [title '…']` … `end report` inside a session or script.
struct RunReport {
    var path: String
    var title: String
    var entries: [(statement: String, table: ResultTable)] = []
}

extension Session {
    /// Remembers a shown result: for `export`, with the statement that made it, and for a report in progress.
    func record(_ table: ResultTable) {
        lastResult = table
        shownByLesson?.append(table)
        lastResultWhole = nil
        lastResultStatement = currentStatement
        if report != nil { report?.entries.append((currentStatement ?? "", table)) }
    }

    /// Starts collecting results for `path`.
    func startReport(path: String, title: String?) {
        report = RunReport(path: path, title: title ?? "ecsh report")
    }

    /// Writes the report collected so far and stops collecting; false (reported) when it cannot be written.
    @discardableResult
    func finishReport() throws -> Bool {
        guard let r = report else { throw ShellError("no report is being collected", help: "start one with: report to 'file.html'") }
        report = nil
        var options = RenderOptions()
        options.currency = (try? metricSettings().currency) ?? "JPY"
        let page = HTMLWriter.report(r.entries, title: r.title, formatter: options.cellFormatter)
        do {
            try ExportWriter.writeText(page, to: r.path)
        } catch {
            throw ShellError("cannot write the report '\(r.path)': \(error)", help: error.help)
        }
        say("report: \(r.entries.count) result\(r.entries.count == 1 ? "" : "s") written to '\(r.path)'")
        return true
    }

    /// `report to 'FILE.html' [title 'T']` and `end report`, recognised before the parser
    /// (they frame other statements rather than compute anything). Nil when `line` is neither.
    func reportStatement(_ statement: StatementText) -> (() throws -> Void)? {
        // Only statements whose first word can be `end` or `report` are split into words (ASCII `e`/`r`:
        // no other Character lowercases to a text starting with those letters).
        guard let lead = DotCommandLine.leadingByte(statement), "eErR".utf8.contains(lead),
              let words = DotCommandLine.words(statement), let first = words.first else { return nil }
        let lowered = words.map { $0.text.lowercased() }
        if lowered == ["end", "report"] { return { [unowned self] in try self.finishReport() } }
        guard first.text.lowercased() == "report", lowered.count >= 2, lowered[1] == "to" else { return nil }
        return { [unowned self] in
            guard words.count >= 3, words[2].text.lowercased().hasSuffix(".html") else {
                throw ShellError("expected an .html file name after 'report to'", at: words.count >= 3 ? words[2].range : words[1].range,
                                 help: "report to 'weekly.html' title 'Weekly KPIs' … end report")
            }
            var title: String?
            if words.count >= 5, lowered[3] == "title" { title = words[4].text }
            else if words.count > 3 { throw ShellError("expected title 'TEXT' or the end of the statement", at: words[3].range) }
            if self.report != nil { throw ShellError("a report is already being collected", at: first.range, help: "finish it with: end report") }
            let path = self.resolveOutputPath(words[2].text)
            self.startReport(path: path, title: title)
            self.say("collecting results for '\(path)' until end report")
        }
    }
}
