import Foundation
import ECStore
@testable import ECAnalytics

/// Builds workspace tables by hand, following docs/workspace.md column for column.
struct WorkspaceBuilder {
    let db: Database

    init(path: String? = nil) throws {
        db = try Database(path: path)
        try db.execute("""
            CREATE TABLE orders (order_id TEXT, customer_id TEXT, ordered_at TEXT, day INTEGER, amount REAL,
              channel TEXT, status TEXT, discount REAL, points REAL, cogs REAL, shipping REAL, commission REAL,
              quantity INTEGER, product TEXT, category TEXT);
            CREATE TABLE customers (customer_id TEXT, signed_up_at TEXT, acquisition_channel TEXT, region TEXT);
            CREATE TABLE ecsh_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE ecsh_kpis (name TEXT PRIMARY KEY, definition TEXT NOT NULL);
            """)
    }

    /// Days since 1970-01-01 through Foundation's Gregorian calendar in UTC:
    /// a different route from the engine's own `DayNumber`.
    static func day(_ iso: String) -> Int {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let p = iso.prefix(10).split(separator: "-").map { Int($0)! }
        let date = cal.date(from: DateComponents(year: p[0], month: p[1], day: p[2]))!
        return Int((date.timeIntervalSince1970 / 86400).rounded())
    }

    func order(_ id: String, _ customer: String, _ at: String, _ amount: Double, _ channel: String?, _ status: String?,
               discount: Double? = nil, points: Double? = nil, cogs: Double? = nil, shipping: Double? = nil,
               commission: Double? = nil, quantity: Int? = nil) throws {
        func v(_ x: Double?) -> Value { x.map { .real($0) } ?? .null }
        try db.execute("INSERT INTO orders VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,NULL,NULL)", [
            .text(id), .text(customer), .text(at), .integer(Int64(Self.day(at))), .real(amount),
            channel.map { .text($0) } ?? .null, status.map { .text($0) } ?? .null,
            v(discount), v(points), v(cogs), v(shipping), v(commission), quantity.map { .integer(Int64($0)) } ?? .null,
        ])
    }

    func createSpend() throws {
        try db.execute("CREATE TABLE spend (date TEXT, day INTEGER, spend REAL, channel TEXT, campaign TEXT, impressions INTEGER, clicks INTEGER)")
    }
    func spend(_ date: String, _ amount: Double, _ channel: String?) throws {
        try db.execute("INSERT INTO spend VALUES (?,?,?,?,NULL,NULL,NULL)",
                       [.text(date), .integer(Int64(Self.day(date))), .real(amount), channel.map { .text($0) } ?? .null])
    }
    func createTraffic() throws {
        try db.execute("CREATE TABLE traffic (date TEXT, day INTEGER, sessions INTEGER, channel TEXT)")
    }
    func traffic(_ date: String, _ sessions: Int, _ channel: String?) throws {
        try db.execute("INSERT INTO traffic VALUES (?,?,?,?)",
                       [.text(date), .integer(Int64(Self.day(date))), .integer(Int64(sessions)), channel.map { .text($0) } ?? .null])
    }
    func createNPS() throws {
        try db.execute("CREATE TABLE nps (score INTEGER, responded_at TEXT, day INTEGER, customer_id TEXT, comment TEXT)")
    }
    func nps(_ date: String, _ score: Int, _ customer: String?) throws {
        try db.execute("INSERT INTO nps VALUES (?,?,?,?,NULL)",
                       [.integer(Int64(score)), .text(date), .integer(Int64(Self.day(date))), customer.map { .text($0) } ?? .null])
    }
}

extension KPIResult {
    /// The values of a column, with the total row left out.
    func values(_ column: String) -> [Value] {
        guard let i = table.columns.firstIndex(of: column) else { return [] }
        return table.rows.indices.filter { !table.summaryRows.contains($0) }.map { table.rows[$0][i] }
    }
    func doubles(_ column: String) -> [Double?] { values(column).map(\.doubleValue) }
    /// The total row's value of a column.
    func total(_ column: String) -> Value? {
        guard let i = table.columns.firstIndex(of: column), let r = table.summaryRows.first else { return nil }
        return table.rows[r][i]
    }
}

/// True when every pair is nil-for-nil or within `tolerance`.
func close(_ a: [Double?], _ b: [Double?], tolerance: Double = 1e-6) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { x, y in
        switch (x, y) {
        case (nil, nil): return true
        case let (x?, y?): return abs(x - y) <= tolerance * max(1, abs(y))
        default: return false
        }
    }
}
