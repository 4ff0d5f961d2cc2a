import ECStore
import ECTestSupport
import Foundation
import Testing
@testable import ECAnalytics

/// The column route of `predict ltv` against the per-customer route it replaces:
/// compression by sorting packed day keys against hashing Doubles, the
/// "if alive" factor × P(alive) against each model's closed form, and group
/// sums from the per-(x, T) table on chunks against per-customer predictions.
@Suite struct CLVColumnsTests {
    /// Simulated BG/NBD customers on whole days (in weeks), with a spend for repeaters and a few
    /// customers sharing each history, as in a shop where many customers start on the same day.
    static func shop(count: Int, seed: UInt64) -> [CustomerSummary] {
        var rng = SeededRandom(seed: seed)
        let simulated = BGNBDSimulator.simulate(count: count, r: 0.25, alpha: 4, a: 0.8, b: 2.5, T: 1...78,
                                                seed: seed, roundTo: 1.0 / 7)
        return simulated.enumerated().map { i, c in
            let x = c.x
            return CustomerSummary(customerID: "", key: Int32(i), x: x, tx: (c.tx * 7).rounded() / 7, T: (c.T * 7).rounded() / 7,
                                   monetaryMean: x > 0 ? (20 + 200 * rng.uniform()).rounded() : nil)
        }
    }

    @Test func columnsGiveBackTheSummaries() {
        let customers = Self.shop(count: 3_000, seed: 11)
        let columns = CustomerColumns(customers, unit: .weeks)
        #expect(columns.summaries == customers)
        #expect(columns.oneTimeBuyers == customers.filter { $0.x == 0 }.count)
    }

    @Test func sortedCompressionEqualsHashedCompression() {
        let customers = Self.shop(count: 20_000, seed: 12)
        let hashed = CompressedRow.compress(customers)
        let sorted = CompressedRow.compress(CustomerColumns(customers, unit: .weeks))
        #expect(sorted == hashed)
        #expect(sorted.reduce(0) { $0 + $1.weight } == 20_000)
        // Fewer rows than customers: the shop shares histories.
        #expect(sorted.count < 20_000 / 2)
        // Days out of the packable range (negative here) take the hashing route, with the same rows.
        var odd = customers
        odd[0].T = -1
        #expect(CompressedRow.compress(CustomerColumns(odd, unit: .weeks)) == CompressedRow.compress(odd))
    }

    @Test func gammaGammaOnColumnsEqualsTheSummaries() throws {
        let customers = Self.shop(count: 5_000, seed: 13)
        #expect(try GammaGammaModel.fit(CustomerColumns(customers, unit: .weeks)) == GammaGammaModel.fit(customers))
    }

    /// E[Y(t) | x, t_x, T] = E[Y(t) | alive, x, T] · P(alive | x, t_x, T) in each model.
    @Test(arguments: [(0, 0.0, 30.0, 52.0), (1, 2.0, 30.0, 4.0), (3, 25.0, 39.0, 12.0), (14, 36.0, 38.0, 104.0), (2, 1.0, 60.0, 0.5)])
    func ifAliveTimesPAliveIsTheConditionalExpectation(x: Int, tx: Double, T: Double, t: Double) {
        let models: [any PurchaseModelFit] = [
            BGNBDFit(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426),
            MBGNBDFit(r: 0.525, alpha: 6.183, a: 0.891, b: 1.614),
            ParetoNBDFit(r: 0.553, alpha: 10.58, s: 0.606, beta: 11.67),
        ]
        for m in models {
            let whole = m.expectedPurchases(t: t, x: x, tx: tx, T: T)
            let factored = m.expectedPurchasesIfAlive(t: t, x: x, T: T) * m.probabilityAlive(x: x, tx: tx, T: T)
            #expect(abs(factored - whole) <= 1e-12 * abs(whole), "\(m.kind): \(factored) vs \(whole)")
        }
        // a = 1 is a removable singularity: the factor is extrapolated on its own, still within O(δ⁴).
        let singular = BGNBDFit(r: 0.243, alpha: 4.414, a: 1, b: 2.426)
        let whole = singular.expectedPurchases(t: t, x: x, tx: tx, T: T)
        let factored = singular.expectedPurchasesIfAlive(t: t, x: x, T: T) * singular.probabilityAlive(x: x, tx: tx, T: T)
        #expect(abs(factored - whole) <= 1e-8 * abs(whole))
    }

    /// Group rows from the column route (per-(x, T) table, chunks on the cores) equal the sums
    /// of the per-customer predictions, which CLVCalculatorTests check against CDNOW and hand sums.
    @Test(arguments: [PurchaseModelKind.bgnbd, .paretonbd])
    func groupSumsEqualThePerCustomerPredictions(kind: PurchaseModelKind) throws {
        let customers = Self.shop(count: 6_000, seed: 14)
        let transactions = try kind.fit(CompressedRow.compress(customers))
        let calculator = try CLVCalculator(transactions: transactions, spend: try GammaGammaModel.fit(customers), unit: .weeks,
                                           horizonMonths: 40, discount: .annual(0.1), margin: 0.3)
        // Three groups by key; key −1 customers count in the total only.
        var keyed = customers
        for i in stride(from: 0, to: keyed.count, by: 97) { keyed[i].key = -1 }
        let membership = CLVMembership.partition((0..<customers.count).map { Int32($0 % 3) })
        let labels = ["g0", "g1", "g2"]
        let expected = CLVGroupSummary.summarize(calculator.predictions(for: keyed), labels: labels, membership: membership)
        let columns = CustomerColumns(keyed, unit: .weeks)
        let oneChunk = try CLVGroupSummary.summarize(columns, calculator: calculator, groupings: [(labels, membership)],
                                                 chunkSize: columns.count)
        let manyChunks = try CLVGroupSummary.summarize(columns, calculator: calculator, groupings: [(labels, membership)],
                                                   chunkSize: 1_000)
        for got in [oneChunk[0], manyChunks[0]] {
            for (g, e) in zip(got.groups + [got.total], expected.groups + [expected.total]) {
                #expect(g.customers == e.customers && g.repeatCustomers == e.repeatCustomers)
                for (a, b) in [(g.aliveSum, e.aliveSum), (g.repeatAliveSum, e.repeatAliveSum),
                               (g.purchasesSum, e.purchasesSum), (g.equity, e.equity)] {
                    #expect(abs(a - b) <= 1e-10 * abs(b), "\(g.label): \(a) vs \(b)")
                }
            }
        }
        #expect(expected.total.customers == 6_000 && expected.groups.reduce(0) { $0 + $1.customers } < 6_000)
        // The same chunks give the same sums, bit for bit, run after run.
        let again = try CLVGroupSummary.summarize(columns, calculator: calculator, groupings: [(labels, membership)], chunkSize: 1_000)
        #expect(again[0].groups == manyChunks[0].groups && again[0].total == manyChunks[0].total)
    }

    /// Ctrl-C during the pass over the customers (seconds at 5M): it throws, with no partial sums.
    @Test func thePassStopsOnCtrlC() throws {
        let customers = Self.shop(count: 3_000, seed: 14)
        let transactions = try PurchaseModelKind.bgnbd.fit(CompressedRow.compress(customers))
        let calculator = try CLVCalculator(transactions: transactions, spend: try GammaGammaModel.fit(customers), unit: .weeks,
                                           horizonMonths: 12, discount: .annual(0.1), margin: 0.3)
        let columns = CustomerColumns(customers, unit: .weeks)
        let membership = CLVMembership.partition((0..<customers.count).map { Int32($0 % 2) })
        let flag = InterruptFlag()
        let sums = try CLVGroupSummary.summarize(columns, calculator: calculator, groupings: [(["a", "b"], membership)],
                                                 chunkSize: 500, interrupt: flag)
        #expect(sums[0].total.customers == 3_000)
        flag.raise()
        #expect(throws: DatabaseError.self) {
            _ = try CLVGroupSummary.summarize(columns, calculator: calculator, groupings: [(["a", "b"], membership)],
                                              chunkSize: 500, interrupt: flag)
        }
    }

    @Test func columnsFromTheSnapshotEqualTheSummaries() throws {
        let db = try CLVSnapshotTests.handShop()
        let settings = MetricSettings()
        try CustomerFacts.rebuild(db, settings: settings)
        let summaries = try #require(try CLVData.fromSnapshot(db: db, settings: settings, calibrationEnd: 130, unit: .weeks))
        let columns = try #require(try CLVData.columnsFromSnapshot(db: db, settings: settings, calibrationEnd: 130, unit: .weeks))
        #expect(columns.summaries == summaries)
        #expect(columns.count == 3)
        // Columns are made in place (`takeColumns`): customers left out before others (not yet acquired
        // at the calibration end, or outside the included keys) must not shift anyone's values.
        for end in [100, 110, 125, 131, 151] {
            for include in [nil, [true, false, true, true], [false, true, false, true], [false, false, false, false]] as [[Bool]?] {
                let expected = try #require(try CLVData.fromSnapshot(db: db, settings: settings, calibrationEnd: end, unit: .weeks, include: include))
                let got = try #require(try CLVData.columnsFromSnapshot(db: db, settings: settings, calibrationEnd: end, unit: .weeks, include: include))
                #expect(got.summaries == expected, "calibration end \(end), include \(String(describing: include))")
            }
        }
    }

    /// The top keys with their ties from one pass (`TopWithTies`) are exactly the entries whose key is at
    /// least the n-th largest, on streams with many equal keys (entries the heap lets go that tie with
    /// its new least must stay candidates).
    @Test func topWithTiesKeepsEveryEntryAtOrAboveTheCut() {
        var g = SplitMix64(seed: 77)
        for trial in 0..<300 {
            let count = 1 + Int(g.next() % 60), distinct = 1 + Int(g.next() % 6)
            let keys = (0..<count).map { _ in Double(g.next() % UInt64(distinct)) }
            for n in [1, 2, 3, 5, count, count + 2] {
                var top = TopWithTies(capacity: n)
                for (i, k) in keys.enumerated() { top.offer(k, i) }
                let cut = keys.sorted(by: >)[min(n, count) - 1]
                let expected = keys.indices.filter { keys[$0] >= cut }
                #expect(top.all.map(\.index).sorted() == expected, "trial \(trial), n \(n), keys \(keys)")
            }
        }
        // Let go and tied: the heap holds 3, 3, 5; 7 pushes one 3 out while the other stays the least.
        var top = TopWithTies(capacity: 3)
        for (i, k) in [3.0, 3, 5, 7].enumerated() { top.offer(k, i) }
        #expect(top.all.map(\.index).sorted() == [0, 1, 2, 3])
    }

    /// `predict alive`'s top rows from columns (a threshold, ids asked only for the customers at or
    /// above it) against the full table sorted and cut: the same rows and notes for every order, with
    /// many customers tied on the cut (the shop shares histories) and ids that do not follow positions.
    @Test func topRowsFromColumnsEqualTheFullTableCut() throws {
        var customers = Self.shop(count: 4_000, seed: 15)
        for i in customers.indices { customers[i].customerID = String(format: "C%05d", (i * 7919) % 10_007) }
        let transactions = try PurchaseModelKind.bgnbd.fit(CompressedRow.compress(customers))
        let calculator = try CLVCalculator(transactions: transactions, spend: try GammaGammaModel.fit(customers), unit: .weeks,
                                           horizonMonths: 12, discount: .annual(0.1), margin: 0.3)
        let columns = CustomerColumns(customers, unit: .weeks)
        var asked = 0
        for order in CustomerPredictionOrder.allCases {
            for limit in [0, 1, 7, 50, 4_000, 5_000] {
                // No currency: the equity note keeps its cents (in yen it is whole), to compare to 1e-12.
                let full = calculator.customerTable(customers, orderedBy: order, limit: limit, currency: nil)
                let top = calculator.topCustomerTable(columns, orderedBy: order, limit: limit, currency: nil) { positions in
                    asked = positions.count
                    return positions.map { customers[$0].customerID }
                }
                // The same customers in the same order; forecasts from each customer's (x, T) parts (`forwardTable`:
                // P(alive) × purchases if alive) against the direct formula agree to rounding.
                #expect(top.rows.map { $0[0] } == full.rows.map { $0[0] }, "\(order) top \(limit)")
                #expect(top.rows.map { Array($0[1...4]) } == full.rows.map { Array($0[1...4]) }, "\(order) top \(limit)")
                for (a, b) in zip(top.rows, full.rows) {
                    #expect(close(a[5...].map(\.doubleValue), b[5...].map(\.doubleValue), tolerance: 1e-12), "\(order) top \(limit)")
                }
                #expect(top.notes.dropLast() == full.notes.dropLast(), "\(order) top \(limit)")
                func equity(_ notes: [String]) -> Double? {
                    notes.last.flatMap { Double($0.split(separator: "=").last!.filter { $0 != "," }.trimmingCharacters(in: .whitespaces)) }
                }
                #expect(equity(top.notes) != nil && close([equity(top.notes)], [equity(full.notes)], tolerance: 1e-12), "\(top.notes.last ?? "")")
                #expect(top.columns == full.columns)
                if limit == 7 { #expect(asked < 4_000, "\(order): ids asked for \(asked) customers") }
            }
        }
    }
}


/// `predict validate` from columns: the snapshot's holdout figures (purchases merged by day, spend, CM2)
/// against the SQL route's on a generated shop, and the validation tables from columns against the same
/// from summaries.
@Suite struct CLVHoldoutColumnsTests {
    @Test(arguments: [(200, 400), (350, 540), (450, 540)])
    func holdoutColumnsEqualTheSQLRoute(calibrationDays: Int, holdoutDays: Int) throws {
        let shop = try KPIGeneratedShop(seed: 17, count: 3000)
        let db = shop.w.db
        let settings = MetricSettings()
        let start = WorkspaceBuilder.day("2023-01-01")
        let end = start + calibrationDays, holdout = start + holdoutDays
        let columns = try #require(try CLVData.columnsFromSnapshot(db: db, settings: settings, calibrationEnd: end, unit: .weeks,
                                                                   holdoutEnd: holdout))
        #expect(columns.hasHoldout)
        // The SQL route by text id, in the columns' order (by customer key).
        let sql = try CLVData.extract(db: db, countedOrders: settings.countedCondition(), calibrationEnd: end, unit: .weeks, holdoutEnd: holdout)
        var key: [String: Int32] = [:]
        for r in try db.query("SELECT customer_id, customer_key FROM \(CustomerFacts.table)").rows {
            key[r[0].textValue!] = Int32(r[1].intValue!)
        }
        let byKey = sql.map { c in var c = c; c.key = key[c.customerID]!; c.customerID = ""; return c }.sorted { $0.key < $1.key }
        let fromSQL = CustomerColumns(byKey, unit: .weeks)
        #expect(columns.key == fromSQL.key && columns.x == fromSQL.x)
        #expect(columns.holdoutPurchases == fromSQL.holdoutPurchases)
        #expect(close(columns.holdoutValue.map { $0 }, fromSQL.holdoutValue.map { $0 }))
        #expect(close(columns.holdoutMargin.map { $0 }, fromSQL.holdoutMargin.map { $0 }))
        // Customers with two or more holdout purchases: the merge by day is tested, not only its first day.
        #expect(columns.holdoutPurchases.filter { $0 >= 2 }.count > 10)
        // The tables from columns are the tables from the summaries.
        // Published CDNOW estimates (Fader, Hardie & Lee 2005; Gamma-Gamma 2013 note): the tables, not a fit, are compared.
        let fit = BGNBDFit(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
        let spend = GammaGammaFit(p: 6.25, q: 3.74, gamma: 15.44)
        let weeks = Double(holdout - end) / 7
        let a = try HoldoutValidation.run(fit: fit, columns: columns, holdoutLength: weeks)
        let b = try HoldoutValidation.run(fit: fit, customers: byKey, holdoutLength: weeks)
        #expect(a.groups.map(\.customers) == b.groups.map(\.customers) && a.customers == b.customers)
        #expect(close(a.groups.map(\.actualPurchases), b.groups.map(\.actualPurchases)))
        #expect(close(a.groups.map(\.predictedPurchases), b.groups.map(\.predictedPurchases), tolerance: 1e-9))
        let m = try HoldoutMoney.run(fit: fit, spend: spend, columns: columns, holdoutLength: weeks, calibrationMargin: 0.3)
        let n = try HoldoutMoney.run(fit: fit, spend: spend, customers: byKey, holdoutLength: weeks, calibrationMargin: 0.3)
        #expect(close([m.spend.actual, m.spend.predicted, m.margin.actual, m.margin.predicted, m.purchases.meanAbsoluteError],
                      [n.spend.actual, n.spend.predicted, n.margin.actual, n.margin.predicted, n.purchases.meanAbsoluteError], tolerance: 1e-9))
        // Without a holdout the columns say so.
        let plain = try #require(try CLVData.columnsFromSnapshot(db: db, settings: settings, calibrationEnd: end, unit: .weeks))
        #expect(!plain.hasHoldout)
        #expect(throws: CLVError.self) { try HoldoutValidation.run(fit: fit, columns: plain, holdoutLength: weeks) }
    }
}
