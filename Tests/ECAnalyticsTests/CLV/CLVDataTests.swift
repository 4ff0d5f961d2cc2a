import ECStore
import Foundation
import Testing
@testable import ECAnalytics

/// An orders table with the workspace.md columns (the ones CLV reads, plus status).
func makeOrdersTable(_ db: Database) throws {
    try db.execute("""
        CREATE TABLE orders (order_id TEXT NOT NULL, customer_id TEXT NOT NULL, ordered_at TEXT NOT NULL,
          day INTEGER, amount REAL NOT NULL, channel TEXT, status TEXT, discount REAL, points REAL, cogs REAL,
          shipping REAL, commission REAL, quantity INTEGER, product TEXT, category TEXT)
        """)
}

func insertOrder(_ db: Database, _ id: String, _ customer: String, day: Int, amount: Double, status: String? = nil) throws {
    // CLV reads the integer day; the ISO text is only there because the schema requires it.
    let iso = "1970-01-01"
    try db.execute("INSERT INTO orders (order_id, customer_id, ordered_at, day, amount, status) VALUES (?, ?, ?, ?, ?, ?)",
                   [.text(id), .text(customer), .text(iso), .integer(Int64(day)), .real(amount), status.map(Value.text) ?? .null])
}

/// The counted-orders condition docs/metrics.md uses by default.
let countedOrders = SQLFragment("(status IS NULL OR status NOT IN (?, ?, ?))", ["cancelled", "returned", "refunded"])

/// CDNOW_sample.txt loaded as orders (customer = the sample id, as in the summary CSV).
func cdnowDatabase() throws -> Database {
    let db = try Database()
    try makeOrdersTable(db)
    let transactions = try CDNOW.transactions()
    try db.transaction {
        let insert = try db.prepare("INSERT INTO orders (order_id, customer_id, ordered_at, day, amount, quantity, status) VALUES (?, ?, ?, ?, ?, ?, ?)")
        for (i, t) in transactions.enumerated() {
            let (y, m, d) = t.date
            try insert.bind([.text("o\(i)"), .text(t.sampleID), .text(String(format: "%04d-%02d-%02d", y, m, d)),
                             .integer(Int64(CDNOW.days(y, m, d))), .real(t.dollars), .integer(Int64(t.cds)), .text("completed")])
            try insert.step()
            insert.reset()
        }
        // Cancelled orders that must not count.
        try insert.bind([.text("c1"), .text("0001"), .text("1997-03-01"), .integer(Int64(CDNOW.days(1997, 3, 1))), .real(999), .integer(1), .text("cancelled")])
        try insert.step()
    }
    return db
}

@Suite struct CLVDataTests {
    static let calibrationEnd = CDNOW.days(1997, 9, 30)
    static let holdoutEnd = CDNOW.days(1998, 6, 30)

    @Test func handWorkedHistories() throws {
        let db = try Database()
        try makeOrdersTable(db)
        try insertOrder(db, "1", "A", day: 100, amount: 10)
        try insertOrder(db, "2", "A", day: 100, amount: 5)      // same day: one purchase worth 15
        try insertOrder(db, "3", "A", day: 107, amount: 20)
        try insertOrder(db, "4", "A", day: 121, amount: 30, status: "cancelled")
        try insertOrder(db, "5", "A", day: 128, amount: 40)
        try insertOrder(db, "6", "A", day: 135, amount: 7)      // holdout
        try insertOrder(db, "7", "B", day: 125, amount: 50)
        try insertOrder(db, "8", "C", day: 131, amount: 60)     // first order after calibration: not a customer yet
        try insertOrder(db, "9", "D", day: 110, amount: 70)
        try insertOrder(db, "10", "D", day: 140, amount: 8)
        try insertOrder(db, "11", "D", day: 140, amount: 2)     // same holdout day: one purchase
        try insertOrder(db, "12", "D", day: 151, amount: 9)     // after the holdout end

        let weeks = try CLVData.extract(db: db, countedOrders: countedOrders, calibrationEnd: 130, unit: .weeks, holdoutEnd: 150)
        #expect(weeks.map(\.customerID) == ["A", "B", "D"])
        // A: purchases on days 100, 107, 128 → x = 2, t_x = 28 days, T = 30 days; m̄ = (20 + 40) / 2.
        #expect(weeks[0] == CustomerSummary(customerID: "A", x: 2, tx: 4, T: 30.0 / 7, monetaryMean: 30, holdoutPurchases: 1, holdoutValue: 7, holdoutMargin: 7))
        #expect(weeks[1] == CustomerSummary(customerID: "B", x: 0, tx: 0, T: 5.0 / 7, monetaryMean: nil, holdoutPurchases: 0, holdoutValue: 0, holdoutMargin: 0))
        #expect(weeks[2] == CustomerSummary(customerID: "D", x: 0, tx: 0, T: 20.0 / 7, monetaryMean: nil, holdoutPurchases: 1, holdoutValue: 10, holdoutMargin: 10))

        let days = try CLVData.extract(db: db, countedOrders: countedOrders, calibrationEnd: 130, unit: .days,
                                       segment: SQLFragment("customer_id IN (?, ?)", ["A", "D"]))
        #expect(days.map(\.customerID) == ["A", "D"])
        #expect(days[0].tx == 28 && days[0].T == 30 && days[0].holdoutPurchases == nil)

        // Without the status filter the cancelled order counts as a purchase.
        let all = try CLVData.extract(db: db, countedOrders: SQLFragment("1"), calibrationEnd: 130, unit: .days)
        #expect(all[0].x == 3 && all[0].monetaryMean == 30)

        #expect(throws: CLVError.self) {
            try CLVData.extract(db: db, countedOrders: countedOrders, calibrationEnd: 130, unit: .days, holdoutEnd: 120)
        }
    }

    @Test func compressionCountsDuplicates() {
        let customers = [CustomerSummary(customerID: "1", x: 0, tx: 0, T: 5),
                         CustomerSummary(customerID: "2", x: 1, tx: 2, T: 5),
                         CustomerSummary(customerID: "3", x: 0, tx: 0, T: 5),
                         CustomerSummary(customerID: "4", x: 1, tx: 2, T: 6)]
        #expect(CompressedRow.compress(customers) == [CompressedRow(x: 0, tx: 0, T: 5, weight: 2),
                                                        CompressedRow(x: 1, tx: 2, T: 5, weight: 1),
                                                        CompressedRow(x: 1, tx: 2, T: 6, weight: 1)])
    }

    @Test func cdnowTransactionsGiveThePublishedSummary() throws {
        let db = try cdnowDatabase()
        let extracted = try CLVData.extract(db: db, countedOrders: countedOrders, calibrationEnd: Self.calibrationEnd, unit: .weeks)
        let published = Dictionary(uniqueKeysWithValues: try CDNOW.summary().map { ($0.id, $0) })
        #expect(extracted.count == 2357)
        var mismatches = 0
        for c in extracted {
            // The CSV ids are the sample ids without leading zeros.
            guard let row = published[String(Int(c.customerID)!)] else { mismatches += 1; continue }
            let m = c.monetaryMean ?? 0
            if row.x != c.x || abs(row.tx - c.tx) > 0.006 || abs(row.T - c.T) > 0.006 || abs(row.zbar - m) > 0.006 {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)

        let fit = try BGNBDModel.fit(CompressedRow.compress(extracted))
        #expect(sig3(fit.r) == 0.243 && sig3(fit.alpha) == 4.41 && sig3(fit.a) == 0.793 && sig3(fit.b) == 2.43)
        #expect(abs(fit.logLikelihood - -9582.4) < 1)
        let spend = try GammaGammaModel.fit(extracted)
        #expect(sig3(spend.p) == 6.25 && sig3(spend.q) == 3.74 && sig3(spend.gamma) == 15.4)
        #expect(spend.customers == 946)
    }
}
