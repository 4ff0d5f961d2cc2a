import Foundation
import ECStore
@testable import ECAnalytics

/// One order row for test workspaces (canonical columns of docs/workspace.md).
struct OrderFixture {
    var id: String
    var customer: String
    /// Local date "YYYY-MM-DD"; `day` is derived by SQLite's julianday, not by ecsh's code.
    var date: String
    var amount: Double
    var channel: String? = nil
    var status: String? = nil
    var discount: Double? = nil
    var points: Double? = nil
    var cogs: Double? = nil
    var shipping: Double? = nil
    var commission: Double? = nil
}

/// Builds workspace tables with plain SQL following docs/workspace.md.
enum Workspace {
    static func create(orders: [OrderFixture]) throws -> Database {
        let db = try Database()
        try db.execute("""
            CREATE TABLE orders (order_id TEXT, customer_id TEXT, ordered_at TEXT, day INTEGER, amount REAL,
              channel TEXT, status TEXT, discount REAL, points REAL, cogs REAL, shipping REAL, commission REAL,
              quantity INTEGER, product TEXT, category TEXT)
            """)
        try db.transaction {
            let insert = try db.prepare("""
                INSERT INTO orders (order_id, customer_id, ordered_at, day, amount, channel, status,
                  discount, points, cogs, shipping, commission)
                VALUES (?1, ?2, ?3, CAST(julianday(?3) - 2440587.5 AS INTEGER), ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                """)
            func optional(_ d: Double?) -> Value { d.map(Value.real) ?? .null }
            for o in orders {
                insert.reset()
                try insert.bind([.text(o.id), .text(o.customer), .text(o.date), .real(o.amount),
                                 o.channel.map(Value.text) ?? .null, o.status.map(Value.text) ?? .null,
                                 optional(o.discount), optional(o.points), optional(o.cogs),
                                 optional(o.shipping), optional(o.commission)])
                try insert.step()
            }
        }
        return db
    }

    /// Adds a spend table: (date, spend, channel).
    static func addSpend(_ db: Database, _ rows: [(date: String, spend: Double, channel: String?)]) throws {
        try db.execute("""
            CREATE TABLE spend (date TEXT, day INTEGER, spend REAL, channel TEXT, campaign TEXT,
              impressions INTEGER, clicks INTEGER)
            """)
        for r in rows {
            try db.execute("INSERT INTO spend (date, day, spend, channel) VALUES (?1, CAST(julianday(?1) - 2440587.5 AS INTEGER), ?2, ?3)",
                           [.text(r.date), .real(r.spend), r.channel.map(Value.text) ?? .null])
        }
    }

    /// `count` random spend rows over the generated shops' 700 days (from 2023-01-01), 100 to 5000 each.
    static func randomSpend(seed: UInt64, count: Int, channels: [String]) -> [(date: String, spend: Double, channel: String?)] {
        var rng = SeededRandom(seed: seed)
        return (0..<count).map { _ in
            let day = 19_358 + Int.random(in: 0..<700, using: &rng)
            let spend = Double(Int.random(in: 100...5000, using: &rng))
            return (ReferenceCalendar.dateText(ofDay: day), spend, channels.randomElement(using: &rng))
        }
    }

    static let counted = OrderSelection.excludingStatuses()
}

// SeededRandom (SplitMix64) is shared with the CLV tests: CLV/CLVTestSupport.swift.

/// Calendar facts from Foundation, independent of ecsh's own day arithmetic.
enum ReferenceCalendar {
    static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    static func parts(ofDay day: Int) -> (year: Int, month: Int, dayOfMonth: Int, weekday: Int) {
        let date = Date(timeIntervalSince1970: Double(day) * 86_400)
        let c = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
        return (c.year!, c.month!, c.day!, c.weekday!)
    }

    static func dateText(ofDay day: Int) -> String {
        let p = parts(ofDay: day)
        return String(format: "%04d-%02d-%02d", p.year, p.month, p.dayOfMonth)
    }

    /// Ordinal of a period, so offsets are differences, and its label.
    static func period(_ unit: PeriodUnit, ofDay day: Int) -> (ordinal: Int, label: String) {
        let p = parts(ofDay: day)
        switch unit {
        case .month:
            return (p.year * 12 + p.month - 1, String(format: "%04d-%02d", p.year, p.month))
        case .quarter:
            let q = (p.month - 1) / 3
            return (p.year * 4 + q, "\(p.year)-Q\(q + 1)")
        case .week:
            // Foundation weekday: 1 = Sunday ... 7 = Saturday; step back to Monday.
            let monday = day - (p.weekday + 5) % 7
            return ((monday - 4) / 7, dateText(ofDay: monday))  // 1970-01-05 was a Monday: exact division
        }
    }
}
