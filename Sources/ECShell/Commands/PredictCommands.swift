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
        var transactions: any PurchaseModelFit
        var spend: GammaGammaFit
        var calculator: CLVCalculator
        var end: Int
        var margin: Double
        /// How the model was chosen, when `model auto` compared several.
        var choice: PurchaseModelChoice?
    }

    /// The purchase model named by `model …`: nil for `auto`, BG/NBD when not given.
    func purchaseModel(_ name: Identifier?) throws -> PurchaseModelKind? {
        guard let name else { return .bgnbd }
        if name.folded == "auto" { return nil }
        guard let kind = PurchaseModelKind(rawValue: name.folded) else {
            throw Diagnostic.unknownName("model", name.name, at: name.range,
                                         among: PurchaseModelKind.allCases.map(\.rawValue) + ["auto"])
        }
        return kind
    }

    /// Fits the purchase model (`kind`, or the lowest BIC when nil) and Gamma-Gamma on `customers`.
    func fitCLV(customers: [CustomerSummary], kind: PurchaseModelKind?, end: Int, horizonMonths: Int,
                annualDiscount: Double) throws -> FittedCLV {
        let rows = CompressedRow.compress(customers)
        var choice: PurchaseModelChoice?
        let transactions: any PurchaseModelFit
        if let kind {
            transactions = try kind.fit(rows)
        } else {
            let chosen = try PurchaseModelChoice.byBIC(rows)
            choice = chosen
            transactions = chosen.chosen
        }
        let spend = try GammaGammaModel.fit(customers)
        let margin = try marginRatio()
        let calculator = try CLVCalculator(transactions: transactions, spend: spend, unit: .weeks,
                                           horizonMonths: horizonMonths, discount: .annual(annualDiscount), margin: margin)
        return FittedCLV(customers: customers, transactions: transactions, spend: spend, calculator: calculator,
                         end: end, margin: margin, choice: choice)
    }

    /// Customer histories up to the calibration end, optionally only those in the segments.
    func clvCustomers(segments: [Identifier], asOf: Located<CalendarDate>?) throws -> (customers: [CustomerSummary], end: Int) {
        try requireTable("orders", for: "predictive CLV", load: "orders", at: nil)
        let end = try calibrationEnd(asOf: asOf)
        let customers = try CLVData.extract(db: database, countedOrders: try metricSettings().countedCondition(),
                                            calibrationEnd: end, unit: .weeks, segment: try customerFilter(segments))
        return (customers, end)
    }

    func fitCLV(segments: [Identifier], asOf: Located<CalendarDate>?, horizonMonths: Int, annualDiscount: Double,
                kind: PurchaseModelKind? = .bgnbd) throws -> FittedCLV {
        let (customers, end) = try clvCustomers(segments: segments, asOf: asOf)
        return try fitCLV(customers: customers, kind: kind, end: end, horizonMonths: horizonMonths, annualDiscount: annualDiscount)
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
