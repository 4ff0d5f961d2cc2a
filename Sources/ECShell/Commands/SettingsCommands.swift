import ECStore
import ECLanguage
import ECAnalytics

/// Analysis settings (kept in the workspace) and `show settings`.
extension Session {
    /// The workspace's analysis settings (defaults when none are stored).
    func metricSettings() throws -> MetricSettings {
        try MetricSettings.load(from: database)
    }

    /// `set NAME VALUE` for settings that change definitions.
    func setAnalysisSetting(_ s: SetStatement) throws {
        let aliases = ["completed": "completed_statuses", "excluded": "excluded_statuses",
                       "week": "week_start", "active": "active_window", "marketplace": "marketplaces"]
        let name = aliases[s.name.folded] ?? s.name.folded
        let known = SessionOptions.names + MetricSettings.names
        guard MetricSettings.names.contains(name) else {
            throw Diagnostic.unknownName("setting", s.name.name, at: s.name.range, among: known)
        }
        let text = try s.values.map { v -> String in
            switch v.value {
            // ltv_horizon counts months: `12 months` or `1 year` is 12, not a number of days.
            case .literal(.duration(let t)) where name == "ltv_horizon":
                guard t.unit == .month || t.unit == .year else {
                    throw ShellError("ltv_horizon counts months: write 12, 12 months or 1 year; got \(t)", at: v.range)
                }
                let months = t.amount * (t.unit == .year ? 12 : 1)
                guard months.isFinite, months.rounded() == months, abs(months) <= 1e6 else {
                    throw ShellError("ltv_horizon needs a whole number of months; got \(t)", at: v.range)
                }
                return months == 1 ? "1 month" : "\(Int(months)) months"
            case .literal(.duration(let t)): return String(try wholeNumber(t.days, "a duration in days", at: v.range, limit: 36_500))
            case .literal(.string(let x)): return x
            case .word(let w): return w
            case .literal(let l): return "\(optionValue(.literal(l)))"
            }
        }.joined(separator: ", ")
        var settings = try metricSettings()
        do {
            try settings.set(name, to: text)
        } catch let e as MetricsError {
            throw ShellError(e.message, at: s.values.first.map { $0.range.union(s.values.last!.range) } ?? s.name.range)
        }
        try database.transaction {
            try settings.save(to: database)
            if ["completed_statuses", "excluded_statuses", "as_of"].contains(name), try database.tableExists("orders") {
                try CustomerFacts.rebuild(database, settings: settings)
            }
        }
        say("\(name) = \(text)")
        if name == "as_of", let note = try asOfAfterDataNote(settings) { say(note) }
    }

    /// An as_of after the orders' last day measures recency, tenure and the active window from a day the data
    /// does not reach: `recency <= 90` then counts no customer, and every rate over a window reads as a fall,
    /// without a word (a year-old export read with today's date). Say how far, and how to go back; from a month
    /// on (a month's end a few days after the export's last day is a usual choice, and no surprise).
    func asOfAfterDataNote(_ settings: MetricSettings) throws -> String? {
        guard let asOf = settings.asOf, let day = DayNumber.parseRange(asOf)?.lowerBound,
              let last = try WorkspaceDates.lastDay(of: "orders", database), day > last + 31 else { return nil }
        let days = day - last
        return "note: as_of is \(LoadSummary.grouped(days)) day\(days == 1 ? "" : "s") after the last order (\(DayNumber.isoDate(last))): "
            + "recency, tenure, active_members and the windows measure from it, as if nobody bought since; "
            + "set as_of 'last order' measures from the data's last day"
    }

    /// `show settings`: presentation options, then the definitions in force.
    func showSettings() throws {
        var rows: [[Value]] = options.described.map { [.text($0.0), .text($0.1), .text("this session: how results are shown")] }
        rows.append([.text("chart"), .text(options.chart ? "on" : "off"), .text("this session: charts under KPI series")])
        rows += try metricSettings().describe().rows
        show(ResultTable(columns: ["setting", "value", "meaning"], rows: rows, formats: [.text, .text, .text]), sql: nil)
    }
}
