import Foundation
import Testing
@testable import ECAnalytics

@Suite struct HoldoutValidationTests {
    @Test func cdnowHoldoutByFrequency() throws {
        let db = try cdnowDatabase()
        let customers = try CLVData.extract(db: db, countedOrders: countedOrders, calibrationEnd: CLVDataTests.calibrationEnd,
                                            unit: .weeks, holdoutEnd: CLVDataTests.holdoutEnd)
        let report = try HoldoutValidation.run(customers: customers, holdoutLength: 39)

        // Independent bookkeeping from the raw file: calibration x from the published CSV,
        // holdout purchases = distinct dates in (1997-09-30, 1998-06-30] per customer.
        let xByID = Dictionary(uniqueKeysWithValues: try CDNOW.summary().map { ($0.id, $0.x) })
        var holdoutDays: [String: Set<Int>] = [:]
        for t in try CDNOW.transactions() {
            let day = CDNOW.days(t.date.0, t.date.1, t.date.2)
            if day > CLVDataTests.calibrationEnd && day <= CLVDataTests.holdoutEnd {
                holdoutDays[String(Int(t.sampleID)!), default: []].insert(day)
            }
        }
        var counts = Array(repeating: 0, count: 8), actual = Array(repeating: 0, count: 8)
        for (id, x) in xByID {
            counts[min(x, 7)] += 1
            actual[min(x, 7)] += holdoutDays[id]?.count ?? 0
        }
        #expect(report.groups.map(\.customers) == counts)
        #expect(report.groups.map { Int($0.actualPurchases) } == actual)
        #expect(report.customers == 2357)
        // A loose check of sense: on CDNOW the conditional predictions sum to 1,653 purchase
        // days against 1,882 actual (−12%); the by-frequency pattern follows FHL 2005 fig. 4.
        #expect(report.totalRelativeError < 0 && report.totalRelativeError > -0.2)
        #expect(report.groups[0].predictedMean < report.groups[7].predictedMean)
        let predicted = customers.reduce(0) { $0 + report.fit.expectedPurchases(t: 39, x: $1.x, tx: $1.tx, T: $1.T) }
        #expect(abs(report.predictedPurchases - predicted) < 1e-6)
        let mae = customers.reduce(0) { $0 + abs(report.fit.expectedPurchases(t: 39, x: $1.x, tx: $1.tx, T: $1.T) - Double($1.holdoutPurchases!)) } / 2357
        #expect(abs(report.meanAbsoluteError - mae) < 1e-9)

        let table = report.table()
        #expect(table.rows.count == 9)
        #expect(table.summaryRows == [8])
        #expect(table.rows[7][0] == "7+")
    }

    @Test func missingHoldoutCountsAreAnError() {
        let customers = [CustomerSummary(customerID: "a", x: 1, tx: 1, T: 2)]
        #expect(throws: CLVError.self) {
            try HoldoutValidation.run(fit: BGNBDFit(r: 1, alpha: 1, a: 1, b: 1), customers: customers, holdoutLength: 10)
        }
    }
}
