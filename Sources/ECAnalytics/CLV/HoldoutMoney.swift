import ECStore

/// Predicted against actual money in the holdout: purchases, spend and
/// contribution margin per customer and in total, and spend by calibration frequency.
///
/// Predicted spend of a customer = expected holdout purchases × Gamma-Gamma
/// expected spend per purchase; predicted margin = that × the calibration
/// period's margin ratio (CM2 / GMV), the only margin the model can know.
/// Actual spend is the customer's holdout order amounts (same-day orders
/// merged, as in calibration); actual margin is the customer's own CM2 on
/// those orders, so a customer who bought on deep discount or through a
/// high-commission mall shows up as margin error, not hidden in an average.
public struct HoldoutMoney: Sendable {
    /// One compared quantity, summed over customers.
    public struct Measure: Sendable, Equatable {
        public var name: String
        public var actual: Double
        public var predicted: Double
        /// Mean over customers of |predicted − actual|.
        public var meanAbsoluteError: Double
        /// (predicted − actual) / actual; nan when actual is 0.
        public var relativeError: Double { actual != 0 ? (predicted - actual) / actual : .nan }
    }

    /// Spend and margin of the customers with one calibration frequency.
    public struct Group: Sendable, Equatable {
        public var label: String
        public var customers = 0
        public var actualSpend = 0.0
        public var predictedSpend = 0.0
        public var actualMargin = 0.0
        public var predictedMargin = 0.0
    }

    public var purchases: Measure
    public var spend: Measure
    public var margin: Measure
    public var groups: [Group]
    public var customers: Int
    /// CM2 / GMV of the calibration period, the one margin every customer's predicted spend is multiplied by.
    public var calibrationMargin = Double.nan

    public static func run(fit: any PurchaseModelFit, spend spendFit: GammaGammaFit, customers: [CustomerSummary],
                           holdoutLength: Double, calibrationMargin: Double) throws -> HoldoutMoney {
        try run(fit: fit, spend: spendFit, count: customers.count, holdoutLength: holdoutLength, calibrationMargin: calibrationMargin) { i in
            let c = customers[i]
            guard let count = c.holdoutPurchases, let value = c.holdoutValue, let margin = c.holdoutMargin else {
                throw CLVError.invalidInput("customer \(c.customerID) has no holdout figures; extract with a holdout end")
            }
            return (c.x, c.tx, c.T, c.monetaryMean, count, value, margin)
        }
    }

    /// The same from histories as columns (`predict validate` at millions of customers: no struct each).
    public static func run(fit: any PurchaseModelFit, spend spendFit: GammaGammaFit, columns: CustomerColumns,
                           holdoutLength: Double, calibrationMargin: Double) throws -> HoldoutMoney {
        guard columns.hasHoldout else { throw CLVError.invalidInput("the histories have no holdout figures; extract with a holdout end") }
        return try run(fit: fit, spend: spendFit, count: columns.count, holdoutLength: holdoutLength, calibrationMargin: calibrationMargin) { i in
            (Int(columns.x[i]), columns.tx(i), columns.T(i), columns.mean(i), Int(columns.holdoutPurchases[i]),
             columns.holdoutValue[i], columns.holdoutMargin[i])
        }
    }

    /// Customer i's calibration history and holdout figures by `customer`.
    private static func run(fit: any PurchaseModelFit, spend spendFit: GammaGammaFit, count n: Int, holdoutLength: Double,
                            calibrationMargin: Double,
                            customer: (Int) throws -> (x: Int, tx: Double, T: Double, mean: Double?, count: Int, value: Double, margin: Double))
        throws -> HoldoutMoney {
        guard holdoutLength > 0 else { throw CLVError.invalidInput("the holdout period must be longer than 0") }
        guard n > 0 else { throw CLVError.noCustomers }
        let top = HoldoutValidation.topGroup
        var groups = (0...top).map { Group(label: $0 == top ? "\($0)+" : "\($0)") }
        var sums = Array(repeating: (actual: 0.0, predicted: 0.0, absolute: 0.0), count: 3)
        for i in 0..<n {
            let c = try customer(i)
            let purchases = fit.expectedPurchases(t: holdoutLength, x: c.x, tx: c.tx, T: c.T)
            let spend = purchases * spendFit.expectedSpend(x: c.x, monetaryMean: c.mean)
            let pairs = [(Double(c.count), purchases), (c.value, spend), (c.margin, spend * calibrationMargin)]
            for (i, (actual, predicted)) in pairs.enumerated() {
                sums[i].actual += actual
                sums[i].predicted += predicted
                sums[i].absolute += abs(predicted - actual)
            }
            let g = min(c.x, top)
            groups[g].customers += 1
            groups[g].actualSpend += c.value
            groups[g].predictedSpend += spend
            groups[g].actualMargin += c.margin
            groups[g].predictedMargin += spend * calibrationMargin
        }
        let measures = zip(["purchases", "spend", "margin"], sums).map {
            Measure(name: $0.0, actual: $0.1.actual, predicted: $0.1.predicted, meanAbsoluteError: $0.1.absolute / Double(n))
        }
        return HoldoutMoney(purchases: measures[0], spend: measures[1], margin: measures[2], groups: groups, customers: n,
                            calibrationMargin: calibrationMargin)
    }

    /// Totals: actual, predicted, error and per-customer MAE (rows) for purchases, spend and margin (columns).
    public func totalsTable(currency: String) -> ResultTable {
        let money = ColumnFormat.currency(code: currency)
        let measures = [purchases, spend, margin]
        let rows: [[Value]] = [
            [.text("actual")] + measures.map { .real($0.actual) },
            [.text("predicted")] + measures.map { .real($0.predicted) },
            [.text("error")] + measures.map { .real($0.predicted - $0.actual) },
            [.text("mae_per_customer")] + measures.map { .real($0.meanAbsoluteError) },
        ]
        let percents = measures.map { m in m.relativeError.isFinite ? String(format: "%@ %+.1f%%", m.name, m.relativeError * 100) : "\(m.name) n/a" }
        return ResultTable(columns: ["holdout", "purchases", "spend", "margin"], rows: rows,
                           formats: [.text, .decimal(places: 1), money, money],
                           notes: ["total error (predicted vs actual): " + percents.joined(separator: ", "),
                                   "\(LoadSummary.grouped(customers)) customers acquired by the calibration end; error = predicted − actual; MAE = mean |predicted − actual| per customer",
                                   "predicted spend = expected purchases × Gamma-Gamma expected spend; predicted margin = that × the shop's CM2/GMV of the calibration period, "
                                       + String(format: "%.1f%%, the same for every customer; actual margin = each customer's own CM2 on the holdout orders (%@ of the actual spend)",
                                                calibrationMargin * 100, ratio(margin.actual, spend.actual))])
    }

    /// Spend and margin by calibration frequency, with a total row.
    public func groupTable(currency: String) -> ResultTable {
        let money = ColumnFormat.currency(code: currency)
        var rows: [[Value]] = groups.map { g in
            [CLVGroupSummary.key(g.label), .integer(Int64(g.customers)), .real(g.actualSpend), .real(g.predictedSpend), .real(g.actualMargin), .real(g.predictedMargin)]
        }
        rows.append([.text("all"), .integer(Int64(customers)), .real(spend.actual), .real(spend.predicted), .real(margin.actual), .real(margin.predicted)])
        return ResultTable(columns: ["calibration_x", "customers", "actual_spend", "predicted_spend", "actual_margin", "predicted_margin"],
                           rows: rows, formats: [.text, .auto, money, money, money, money],
                           notes: ["holdout spend and margin by repeat purchases in calibration (x)",
                                   String(format: "predicted_margin = predicted_spend × the shop's CM2/GMV of the calibration period, %.1f%%, in every row; ",
                                          calibrationMargin * 100)
                                       + "actual_margin is each customer's own CM2, so where actual_margin / actual_spend is far from it, "
                                       + "the margin error of that row comes from the margin rate, not the purchases"],
                           summaryRows: [rows.count - 1])
    }

    /// a / b in percent with one decimal, or "n/a" without a b.
    private func ratio(_ a: Double, _ b: Double) -> String {
        b != 0 && (a / b).isFinite ? String(format: "%.1f%%", a / b * 100) : "n/a"
    }
}
