import ECStore

/// The day → period table `ecsh_calendar` that KPI queries join on.
///
/// One row per day with, for every grain, the period's label (sortable
/// text), its number (consecutive integers, so the previous period is
/// `no − 1`) and its first and last day. Built in Swift so that periods
/// with no orders still exist (contiguous time axes) and so `strftime` is
/// not evaluated per order row.
public enum PeriodCalendar {
    public static let table = "ecsh_calendar"

    /// Makes sure `ecsh_calendar` covers `range` with the given week start; rebuilds it when not.
    public static func ensure(_ db: Database, covering range: ClosedRange<Int>, weekStart: MetricSettings.WeekStart) throws {
        if try db.tableExists(table) {
            let row = try db.query("SELECT min(day), max(day), min(week_start_setting), max(week_start_setting) FROM ecsh_calendar").rows[0]
            if let lo = row[0].intValue, let hi = row[1].intValue,
               lo <= range.lowerBound, hi >= range.upperBound,
               row[2].intValue == Int64(weekStart.offset), row[3].intValue == Int64(weekStart.offset) {
                return
            }
        }
        // A margin on both sides keeps small range changes from forcing a rebuild.
        let lo = range.lowerBound - 400, hi = range.upperBound + 800
        // While another process writes the workspace (a load), this session builds its own in `temp`.
        try db.derivedTransaction { schema in
            if schema == "main" {
                // A calendar this session built for itself would hide the one written now.
                try db.execute("DROP TABLE IF EXISTS temp.ecsh_calendar")
                try db.execute("DROP TABLE IF EXISTS temp.ecsh_periods")
            }
            try db.execute("DROP TABLE IF EXISTS \(schema).ecsh_calendar")
            var columns = ["day INTEGER PRIMARY KEY", "week_start_setting INTEGER NOT NULL"]
            for g in TimeGrain.allCases {
                columns += ["\(labelColumn(g)) TEXT NOT NULL", "\(g.rawValue)_no INTEGER NOT NULL",
                            "\(g.rawValue)_start INTEGER NOT NULL", "\(g.rawValue)_end INTEGER NOT NULL"]
            }
            try db.execute("CREATE TABLE \(schema).ecsh_calendar (\(columns.joined(separator: ", "))) WITHOUT ROWID")
            let marks = "(" + Array(repeating: "?", count: 2 + 4 * TimeGrain.allCases.count).joined(separator: ",") + ")"
            func values(_ d: Int) -> [Value] {
                var values: [Value] = [.integer(Int64(d)), .integer(Int64(weekStart.offset))]
                for g in TimeGrain.allCases {
                    let p = period(of: d, grain: g, weekStart: weekStart)
                    values += [.text(p.label), .integer(Int64(p.number)), .integer(Int64(p.start)), .integer(Int64(p.end))]
                }
                return values
            }
            if db.engine == .sqlite {
                let insert = try db.prepare("INSERT INTO \(schema).ecsh_calendar VALUES \(marks)")
                for d in lo...hi {
                    insert.reset()
                    try insert.bind(values(d))
                    try insert.step()
                }
            } else {
                // A server round trip per 200 days.
                for start in stride(from: lo, through: hi, by: 200) {
                    let days = start...min(hi, start + 199)
                    try db.execute("INSERT INTO \(schema).ecsh_calendar VALUES " + Array(repeating: marks, count: days.count).joined(separator: ", "),
                                   days.flatMap(values))
                }
            }
            // One row per period, keyed by (grain, number): orders join it by day
            // range, so rows arrive grouped by period and GROUP BY needs no sort.
            try db.execute("DROP TABLE IF EXISTS \(schema).ecsh_periods")
            try db.execute("CREATE TABLE \(schema).ecsh_periods (grain TEXT NOT NULL, no INTEGER NOT NULL, label TEXT NOT NULL, start INTEGER NOT NULL, \"end\" INTEGER NOT NULL, PRIMARY KEY (grain, no)) WITHOUT ROWID")
            for g in TimeGrain.allCases {
                let n = g.rawValue
                try db.execute("INSERT INTO \(schema).ecsh_periods SELECT '\(n)', \(n)_no, min(\(labelColumn(g))), min(\(n)_start), max(\(n)_end) FROM \(schema).ecsh_calendar GROUP BY \(n)_no")
            }
        }
    }

    /// The column holding a grain's period label (`date` for days: `day` is the key).
    public static func labelColumn(_ g: TimeGrain) -> String { g == .day ? "date" : g.rawValue }

    /// The period containing day `d`: label, number, first and last day.
    public static func period(of d: Int, grain: TimeGrain, weekStart: MetricSettings.WeekStart) -> (label: String, number: Int, start: Int, end: Int) {
        switch grain {
        case .day:
            return (DayNumber.isoDate(d), d, d, d)
        case .week:
            // 1970-01-01 is a Thursday: Monday-based weekday = (d + 3) mod 7.
            let pos = ((d + 3 - weekStart.offset) % 7 + 7) % 7
            let start = d - pos
            // ISO rule, shifted to the chosen start: the week belongs to the
            // year of its fourth day, and is numbered from that year's first such week.
            let thursday = start + 3
            let year = DayNumber.civil(thursday).year
            let week = (thursday - DayNumber.from(year: year, month: 1, day: 1)) / 7 + 1
            let number = (start + 3 - weekStart.offset) / 7
            return ("\(year)-W\(DayNumber.pad(week, 2))", number, start, start + 6)
        case .month:
            let c = DayNumber.civil(d)
            let index = c.year * 12 + c.month - 1
            return ("\(DayNumber.pad(c.year, 4))-\(DayNumber.pad(c.month, 2))", index,
                    DayNumber.firstOfMonth(index: index), DayNumber.firstOfMonth(index: index + 1) - 1)
        case .quarter:
            let c = DayNumber.civil(d)
            let q = (c.month - 1) / 3
            let index = c.year * 4 + q
            return ("\(DayNumber.pad(c.year, 4))-Q\(q + 1)", index,
                    DayNumber.firstOfMonth(index: c.year * 12 + q * 3), DayNumber.firstOfMonth(index: c.year * 12 + q * 3 + 3) - 1)
        case .year:
            let y = DayNumber.civil(d).year
            return (DayNumber.pad(y, 4), y, DayNumber.from(year: y, month: 1, day: 1), DayNumber.from(year: y + 1, month: 1, day: 1) - 1)
        }
    }
}
