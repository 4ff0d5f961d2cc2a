import Foundation
import ECStore

/// Reading, writing and showing the settings (`ecsh_settings`, `set`, `show settings`).
extension MetricSettings {
    /// The setting names `set NAME VALUE` accepts, in `show settings` order.
    public static let names = [
        "completed_statuses", "excluded_statuses", "active_window", "as_of",
        "week_start", "currency", "f2_window", "ltv_horizon", "marketplaces", "timezone",
    ]

    static let createTable = "CREATE TABLE IF NOT EXISTS ecsh_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)"

    /// Reads the settings stored in the workspace; defaults for anything not stored.
    public static func load(from db: Database) throws -> MetricSettings {
        var settings = MetricSettings()
        guard try db.tableExists("ecsh_settings") else { return settings }
        for row in try db.query("SELECT name, value FROM ecsh_settings").rows {
            guard let name = row[0].textValue, let value = row[1].textValue else { continue }
            // Unknown names come from newer versions or other components: keep going.
            if name == "counted_statuses" {
                settings.counted = value.hasPrefix("only:")
                    ? .only(list(String(value.dropFirst(5))))
                    : .excluding(list(String(value.drop(while: { $0 != ":" }).dropFirst())))
            } else if names.contains(name) {
                try settings.set(name, to: value)
            }
        }
        return settings
    }

    /// Stores every setting (replacing earlier values).
    public func save(to db: Database) throws {
        try db.execute(Self.createTable)
        try db.transaction {
            for (name, value) in storedPairs {
                try db.execute("INSERT OR REPLACE INTO ecsh_settings (name, value) VALUES (?, ?)", [.text(name), .text(value)])
            }
            if asOf == nil { try db.execute("DELETE FROM ecsh_settings WHERE name = 'as_of'") }
            if timezone == nil { try db.execute("DELETE FROM ecsh_settings WHERE name = 'timezone'") }
        }
    }

    private var storedPairs: [(String, String)] {
        let countedText: String
        switch counted {
        case .excluding(let l): countedText = "except:" + l.joined(separator: ",")
        case .only(let l): countedText = "only:" + l.joined(separator: ",")
        }
        var pairs = [
            ("counted_statuses", countedText),
            ("active_window", String(activeWindowDays)),
            ("week_start", weekStart.rawValue),
            ("currency", currency),
            ("f2_window", String(f2WindowDays)),
            ("ltv_horizon", String(ltvHorizonMonths)),
            ("marketplaces", marketplaceChannels.joined(separator: ",")),
        ]
        if let asOf { pairs.append(("as_of", asOf)) }
        if let timezone { pairs.append(("timezone", timezone)) }
        return pairs
    }

    /// A whole number of months written `12`, `12 months`, `1 month`, `2 years` or `1 year` (nil otherwise:
    /// days and weeks are not months, and a duration in days must not be read as months).
    static func months(_ text: String) -> Int? {
        let words = text.lowercased().split(separator: " ", omittingEmptySubsequences: true)
        guard let first = words.first, let n = Int(first), words.count <= 2 else { return nil }
        switch words.count == 2 ? String(words[1]) : "months" {
        case "month", "months": return n
        case "year", "years": return n.multipliedReportingOverflow(by: 12).overflow ? nil : n * 12
        default: return nil
        }
    }

    /// Changes one setting from its text form, as typed after `set NAME`.
    ///
    /// Windows accept `90` or `90 days`; `as_of` accepts a date or `last order`;
    /// status lists are comma separated.
    public mutating func set(_ name: String, to value: String) throws {
        let v = value.trimmingCharacters(in: .whitespaces)
        switch name.lowercased() {
        case "completed_statuses": counted = .only(Self.statusList(v))
        case "excluded_statuses": counted = .excluding(Self.statusList(v))
        case "active_window": activeWindowDays = try Self.days(v, name)
        case "f2_window": f2WindowDays = try Self.days(v, name)
        case "ltv_horizon":
            guard let n = Self.months(v), (0...600).contains(n) else {
                throw MetricsError("ltv_horizon needs a number of months from 0 to 600, like 12, '12 months' or '1 year'; got '\(value)'")
            }
            ltvHorizonMonths = n
        case "as_of":
            if ["last order", "last_order", "default", ""].contains(v.lowercased()) { asOf = nil; return }
            guard let r = DayNumber.parseRange(v), r.count == 1 else {
                throw MetricsError("as_of needs a date like 2024-12-31, or 'last order'; got '\(v)'")
            }
            asOf = DayNumber.isoDate(r.lowerBound)
        case "week_start":
            guard let w = WeekStart(rawValue: v.lowercased()) else {
                throw MetricsError("week_start must be a weekday name (monday … sunday); got '\(v)'")
            }
            weekStart = w
        case "currency":
            guard !v.isEmpty else { throw MetricsError("currency needs a code such as JPY or USD") }
            currency = v.uppercased()
        case "marketplaces": marketplaceChannels = Self.list(v)
        case "timezone":
            if ["system", "default", ""].contains(v.lowercased()) { timezone = nil; return }
            guard TimeZone(identifier: v) != nil else {
                throw MetricsError("timezone needs a zone name such as 'Asia/Tokyo', 'Europe/Berlin' or 'UTC' (or 'system'); got '\(v)'")
            }
            timezone = v
        default:
            throw MetricsError("unknown setting '\(name)'; settings are: \(Self.names.joined(separator: ", "))")
        }
    }

    /// The settings as a two-column table for `show settings`.
    public func describe() -> ResultTable {
        var rows: [[Value]] = []
        func add(_ n: String, _ v: String, _ meaning: String) { rows.append([.text(n), .text(v), .text(meaning)]) }
        switch counted {
        case .excluding(let l):
            add("excluded_statuses", l.joined(separator: ", "), "orders with these statuses are not counted")
        case .only(let l):
            add("completed_statuses", l.joined(separator: ", "), "only orders with these statuses are counted")
        }
        add("active_window", "\(activeWindowDays) days", "trailing window for active_members")
        add("as_of", asOf ?? "last order", "reference date for recency, tenure and windows")
        add("week_start", weekStart.rawValue, "first day of a week")
        add("currency", currency, "currency of amounts")
        add("f2_window", "\(f2WindowDays) days", "window for the second order in f2_rate")
        add("ltv_horizon", "\(ltvHorizonMonths) months", "month offsets 0..h after the first order that ltv and ltv_cac add up")
        add("marketplaces", marketplaceChannels.joined(separator: ", "), "channels counted as malls in mall_dependence")
        add("timezone", timezone ?? "system", "load moves timestamps with a UTC offset into this zone")
        return ResultTable(columns: ["setting", "value", "meaning"], rows: rows, formats: [.text, .text, .text])
    }

    /// A comma-separated list; status words are read through StatusVocabulary, so `canceled`
    /// or `キャンセル` in a status list means the canonical `cancelled` that `status` holds.
    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
    }

    static func statusList(_ text: String) -> [String] {
        var out: [String] = []
        for word in list(text) {
            let status = StatusVocabulary.status(of: word) ?? StatusVocabulary.unknownForm(word)
            if !out.contains(status) { out.append(status) }
        }
        return out
    }

    static func days(_ text: String, _ name: String) throws -> Int {
        let number = text.lowercased().replacingOccurrences(of: "days", with: "")
            .replacingOccurrences(of: "day", with: "").trimmingCharacters(in: .whitespaces)
        guard let n = Int(number), n > 0 else {
            throw MetricsError("\(name) needs a positive number of days, like 90 or '90 days'; got '\(text)'")
        }
        return n
    }
}
