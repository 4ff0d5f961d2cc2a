import ECStore
import ECLanguage
import ECAnalytics

/// `predict ltv`, `predict alive`, `predict validate`: BG/NBD + Gamma-Gamma on counted orders.
extension Session {
    /// The last counted order day, or the `as_of` day.
    func calibrationEnd(asOf: Located<CalendarDate>?) throws -> Int {
        if let d = asOf?.value { return DayNumber.from(year: d.year, month: d.month, day: d.day) }
        let settings = try metricSettings()
        if let text = settings.asOf, let r = DayNumber.parseRange(text) { return r.upperBound }
        let counted = settings.countedCondition()
        let last = try database.scalar("SELECT max(day) FROM orders WHERE \(counted.sql)", counted.bindings)
        guard let day = last.intValue else {
            throw ShellError("no counted orders to fit a model on", help: "load orders first; show settings tells which statuses count")
        }
        return Int(day)
    }

    /// Contribution margin (CM2) as a share of GMV over counted orders, from the KPI
    /// engine's own `margin` and `gmv` (spend in the CLV model is the gross amount).
    func marginRatio() throws -> Double {
        let result = try KPIEngine(database, settings: try metricSettings()).run(ECAnalytics.KPIQuery(kpis: ["margin", "gmv"]))
        let row = result.table.rows.first
        guard let margin = row?[result.table.columns.firstIndex(of: "margin")!].doubleValue,
              let gmv = row?[result.table.columns.firstIndex(of: "gmv")!].doubleValue, gmv > 0 else { return 1 }
        return margin / gmv
    }

    struct FittedCLV {
        var customers: [CustomerSummary]
        var transactions: BGNBDFit
        var spend: GammaGammaFit
        var calculator: CLVCalculator
        var end: Int
        var margin: Double
    }

    func fitCLV(segments: [Identifier], asOf: Located<CalendarDate>?, horizonMonths: Int, annualDiscount: Double) throws -> FittedCLV {
        try requireTable("orders", for: "predictive CLV", load: "orders", at: nil)
        let end = try calibrationEnd(asOf: asOf)
        let customers = try CLVData.extract(db: database, countedOrders: try metricSettings().countedCondition(),
                                            calibrationEnd: end, unit: .weeks, segment: try customerFilter(segments))
        let transactions = try BGNBDModel.fit(customers: customers)
        let spend = try GammaGammaModel.fit(customers)
        let margin = try marginRatio()
        let calculator = try CLVCalculator(transactions: transactions, spend: spend, unit: .weeks,
                                           horizonMonths: horizonMonths, discount: .annual(annualDiscount), margin: margin)
        return FittedCLV(customers: customers, transactions: transactions, spend: spend, calculator: calculator, end: end, margin: margin)
    }

    /// `predict ltv [horizon N months] [for SEG] [discount R% per year] [as_of DATE]`
    func predictLTV(_ q: PredictLTVQuery) throws {
        let horizon = try horizonMonths(q.horizon)
        let discount = try annualDiscount(q.annualDiscountRate)
        let fit = try fitCLV(segments: q.segments, asOf: q.asOf, horizonMonths: horizon, annualDiscount: discount)
        say("Time unit: weeks; orders on the same day merge into one purchase; calibration ends \(DayNumber.isoDate(fit.end)).")
        say("BG/NBD (purchase and dropout), fitted on \(grouped(fit.customers.count)) customers; "
            + String(format: "log-likelihood %.2f, %@ after %d iterations:", fit.transactions.logLikelihood,
                     fit.transactions.converged ? "converged" : "NOT converged", fit.transactions.iterations))
        show(fit.transactions.parameterTable(unit: .weeks), sql: nil)
        say("Gamma-Gamma (spend per purchase):")
        show(fit.spend.parameterTable(), sql: nil)

        // Summaries by first channel and by acquisition quarter, from the customer facts.
        try requireCustomerFacts(for: "predictive CLV", at: nil)
        var channel: [String: String] = [:], quarter: [String: String] = [:]
        for r in try database.query("SELECT customer_id, first_channel, cohort FROM ecsh_customer_facts").rows {
            guard let id = r[0].textValue else { continue }
            channel[id] = r[1].textValue ?? "(none)"
            if let month = r[2].textValue, month.count == 7, let m = Int(month.suffix(2)) {
                quarter[id] = "\(month.prefix(4))-Q\((m - 1) / 3 + 1)"
            }
        }
        let predictions = fit.calculator.predictions(for: fit.customers)
        let currency = try metricSettings().currency
        let notes = [String(format: "CLV = Σ over the next %d months of expected purchases × expected spend × margin %.1f%%, discounted %.1f%% per year", horizon, fit.margin * 100, discount * 100),
                     "customer equity = Σ CLV over customers"]
        show(clvSummary(predictions, header: "first_channel", key: { channel[$0] ?? "(none)" }, currency: currency, notes: []), sql: nil)
        show(clvSummary(predictions, header: "cohort", key: { quarter[$0] ?? "(none)" }, currency: currency, notes: notes), sql: nil)
    }

    /// Customers, mean P(alive), expected purchases and CLV per group, with a total row.
    func clvSummary(_ predictions: [CustomerPrediction], header: String, key: (String) -> String,
                    currency: String, notes: [String]) -> ResultTable {
        var groups: [String: (n: Int, alive: Double, purchases: Double, clv: Double)] = [:]
        for p in predictions {
            let k = key(p.customer.customerID)
            var g = groups[k] ?? (0, 0, 0, 0)
            g.n += 1; g.alive += p.probabilityAlive; g.purchases += p.expectedPurchases; g.clv += p.clv
            groups[k] = g
        }
        func row(_ label: String, _ g: (n: Int, alive: Double, purchases: Double, clv: Double)) -> [Value] {
            let n = Double(max(g.n, 1))
            return [.text(label), .integer(Int64(g.n)), .real(g.alive / n), .real(g.purchases / n), .real(g.clv / n), .real(g.clv)]
        }
        var rows = groups.keys.sorted().map { row($0, groups[$0]!) }
        let all = groups.values.reduce((n: 0, alive: 0.0, purchases: 0.0, clv: 0.0)) {
            ($0.n + $1.n, $0.alive + $1.alive, $0.purchases + $1.purchases, $0.clv + $1.clv)
        }
        rows.append(row("total", all))
        return ResultTable(columns: [header, "customers", "p_alive", "expected_purchases", "clv_per_customer", "customer_equity"],
                           rows: rows, formats: [.text, .auto, .percent(places: 1), .decimal(places: 2), .currency(code: currency), .currency(code: currency)],
                           notes: notes, summaryRows: [rows.count - 1])
    }

    /// `predict alive [for SEG] [top N]`
    func predictAlive(_ q: PredictAliveQuery) throws {
        let fit = try fitCLV(segments: q.segments, asOf: nil, horizonMonths: 12, annualDiscount: 0.10)
        let top = q.top?.value ?? 20
        var table = fit.calculator.customerTable(fit.customers, orderedBy: .expectedPurchases, limit: nil,
                                                 currency: try metricSettings().currency)
        table.notes.insert("customers most likely to buy in the next 12 months first: P(alive) and expected purchases (BG/NBD, weeks, same-day orders merged); one-time buyers have P(alive) 1 by the model's assumption", at: 0)
        var shown = table
        shown.rows = Array(table.rows.prefix(top))
        shown.notes.append("top \(min(top, table.rows.count)) of \(grouped(table.rows.count)) customers; export to 'file.csv' writes them all")
        show(shown, sql: nil)
        lastResult = table
    }

    /// `predict validate [holdout N weeks]`
    func predictValidate(holdout: Located<TimeSpan>?) throws {
        try requireTable("orders", for: "predictive CLV", load: "orders", at: nil)
        let days = try holdoutDays(holdout) ?? 26 * 7
        let weeks = Double(days) / 7
        let last = try calibrationEnd(asOf: nil)
        let end = last - days
        let customers = try CLVData.extract(db: database, countedOrders: try metricSettings().countedCondition(),
                                            calibrationEnd: end, unit: .weeks, holdoutEnd: last)
        let validation = try HoldoutValidation.run(customers: customers, holdoutLength: weeks)
        say("Calibration to \(DayNumber.isoDate(end)), holdout \(Int(weeks)) weeks to \(DayNumber.isoDate(last)); time unit weeks.")
        show(validation.table(), sql: nil)
    }
}
