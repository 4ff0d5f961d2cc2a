import ECStore
import ECLanguage
import ECAnalytics

/// `predict ltv`, `predict alive`, `predict validate`: BG/NBD + Gamma-Gamma on counted orders.
extension Session {
    /// The last purchase day, or the `as_of` day.
    func calibrationEnd(asOf: Located<CalendarDate>?) throws -> Int { try calibration(asOf: asOf).end }

    /// The calibration end: `as_of` (the statement's, else the settings'), or the last purchase day (a counted
    /// order of a non-negative amount: a refund row dated later is no purchase, and is left out of the histories),
    /// with a note when that end is not the last day the orders hold. An end before the first purchase is an error.
    func calibration(asOf: Located<CalendarDate>?) throws -> (end: Int, note: String?, firstPurchase: Int) {
        let settings = try metricSettings()
        guard let days = try CLVData.purchaseDays(db: database, settings: settings) else {
            throw ShellError("no counted orders to fit a model on", help: "load orders first; show settings tells which statuses count")
        }
        var given: Int?
        if let d = asOf?.value { given = DayNumber.from(year: d.year, month: d.month, day: d.day) }
        else if let text = settings.asOf, let r = DayNumber.parseRange(text) { given = r.upperBound }
        guard let end = given else {
            guard days.lastCounted > days.last else { return (days.last, nil, days.first) }
            return (days.last, "the orders end at the last purchase, \(DayNumber.isoDate(days.last)): the counted orders after it, "
                        + "to \(DayNumber.isoDate(days.lastCounted)), are refund rows only, which are no purchase "
                        + "(as_of \(DayNumber.isoDate(days.lastCounted)) ends there)", days.first)
        }
        let named = "as_of \(DayNumber.isoDate(end))"
        if end < days.first {
            throw ShellError("\(named) is before the first purchase (\(DayNumber.isoDate(days.first))): no customer has a history to fit", at: asOf?.range,
                             help: "give as_of from \(DayNumber.isoDate(days.first)) to \(DayNumber.isoDate(days.last)), or leave it out to end on the last purchase")
        }
        guard end > days.last else { return (end, nil, days.first) }
        return (end, "\(named) is \(grouped(end - days.last)) day\(end - days.last == 1 ? "" : "s") after the last purchase (\(DayNumber.isoDate(days.last))): "
                    + "the model takes them as days in which no customer bought, which lowers P(alive) and the CLV if the orders just stop there", days.first)
    }

    /// Contribution margin (CM2) as a share of GMV over counted orders up to `to` (the calibration end: orders
    /// after it are the future the model predicts), from the KPI engine's own `margin` and `gmv` (spend in the
    /// CLV model is the gross amount), with the engine's note on cost fields missing from orders, if any.
    func marginRatio(to: Int) throws -> (ratio: Double, note: String?) {
        let query = ECAnalytics.KPIQuery(kpis: ["margin", "gmv"], to: DayNumber.isoDate(to))
        let result = try KPIEngine(database, settings: try metricSettings()).run(query)
        let note = result.table.notes.first { $0.hasPrefix("margin: ") }.map { $0 + " in the CLV's margin too, which overstates it" }
        let row = result.table.rows.first
        guard let m = result.table.columns.firstIndex(of: "margin"), let g = result.table.columns.firstIndex(of: "gmv"),
              let margin = row?[m].doubleValue, let gmv = row?[g].doubleValue, gmv > 0 else { return (1, note) }
        return (margin / gmv, note)
    }

    struct FittedCLV {
        /// The histories fitted, as columns.
        var columns: CustomerColumns
        /// The same histories as summaries, when the caller read them so (text ids, holdouts).
        var summaries: [CustomerSummary]?
        var transactions: any PurchaseModelFit
        var spend: GammaGammaFit
        var calculator: CLVCalculator
        var end: Int
        /// CM2 / GMV of the counted orders up to `end`.
        var margin: Double
        /// Which cost fields the margin counted as 0 (the KPI engine's note), when some were missing.
        var marginNote: String?
        /// How the model was chosen, when `model auto` compared several.
        var choice: PurchaseModelChoice?
        /// What the calibration end was taken from, when it is not simply the last counted day (`calibration(asOf:)`).
        var endNote: String?
        /// The workspace currency, which the notes' amounts are written in.
        var currency: String

        /// Notes on what the histories and the margin were made of: cost fields missing, refund rows left out.
        var historyNotes: [String] {
            var notes = [endNote, marginNote].compactMap { $0 }
            if columns.refundRows > 0 {
                notes.append("\(grouped(columns.refundRows)) counted order\(columns.refundRows == 1 ? "" : "s") of a negative amount "
                    + "(refunds of \(Session.money(-columns.refundAmount, currency: currency)) in all) left out: a refund is not a purchase, "
                    + "so it counts in neither the purchases nor the mean spend, which is before refunds")
            }
            return notes
        }

        /// The histories as summaries (for statements that list or split customers).
        var customers: [CustomerSummary] { summaries ?? columns.summaries }
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
        var fit = try fitCLV(columns: CustomerColumns(customers, unit: .weeks), kind: kind, end: end,
                             horizonMonths: horizonMonths, annualDiscount: annualDiscount)
        fit.summaries = customers
        return fit
    }

    /// Fits the purchase model and Gamma-Gamma on column histories (no per-customer struct).
    func fitCLV(columns customers: CustomerColumns, kind: PurchaseModelKind?, end: Int, horizonMonths: Int,
                annualDiscount: Double) throws -> FittedCLV {
        let (choice, transactions, spend) = try database.during("fitting the purchase and spend models to \(grouped(customers.count)) customers") {
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
            return (choice, transactions, try GammaGammaModel.fit(customers))
        }
        // The fits run in Swift, where Ctrl-C is not seen: it stops the statement here.
        try database.checkInterrupted()
        let margin = try marginRatio(to: end)
        let calculator = try CLVCalculator(transactions: transactions, spend: spend, unit: .weeks,
                                           horizonMonths: horizonMonths, discount: .annual(annualDiscount), margin: margin.ratio)
        return FittedCLV(columns: customers, transactions: transactions, spend: spend, calculator: calculator,
                         end: end, margin: margin.ratio, marginNote: margin.note, choice: choice, currency: try metricSettings().currency)
    }

    func fitCLV(segments: [Identifier], asOf: Located<CalendarDate>?, horizonMonths: Int, annualDiscount: Double,
                kind: PurchaseModelKind? = .bgnbd) throws -> FittedCLV {
        try requireTable("orders", for: "predictive CLV", load: "orders", at: nil)
        let (end, note, first) = try calibration(asOf: asOf)
        var fit = try explainingFewRepeatBuyers({
            let last = try CLVData.purchaseDays(db: database, settings: try metricSettings())?.last ?? end
            return FitScope(segments: segments, end: end, lastPurchase: last, firstPurchase: first)
        }) {
            try fitCLV(columns: try clvColumns(segments: segments, calibrationEnd: end), kind: kind, end: end,
                       horizonMonths: horizonMonths, annualDiscount: annualDiscount)
        }
        fit.endNote = note
        return fit
    }

    /// `predict alive [for SEG] [top N] [horizon N months] [model M] [discount R% per year] [as_of DATE]`:
    /// the horizon, discount, model and calibration end read as `predict ltv` reads them.
    func predictAlive(_ q: PredictAliveQuery) throws {
        if let top = q.top, top.value < 1 {
            throw ShellError("'top' needs at least 1 customer", at: top.range,
                             help: "e.g. top 20 (the default); to have every customer, export the result: export to 'alive.csv'")
        }
        let horizon = try horizonMonths(q.horizon)
        let discount = try annualDiscount(q.annualDiscountRate)
        let kind = try purchaseModel(q.model)
        let fit = try fitCLV(segments: q.segments, asOf: q.asOf, horizonMonths: horizon, annualDiscount: discount, kind: kind)
        let top = q.top?.value ?? 20
        let currency = try metricSettings().currency
        say("Calibration ends \(DayNumber.isoDate(fit.end)); horizon \(horizon) month\(horizon == 1 ? "" : "s"), "
            + String(format: "discounted %.1f%% per year.", discount * 100))
        if let choice = fit.choice { say(modelChoiceLine(choice)) }
        let model = fit.transactions.kind
        let about = "customers most likely to buy in the next \(horizon) month\(horizon == 1 ? "" : "s") first: P(alive) and expected purchases "
            + "(\(model.title), weeks, same-day orders merged); \(model.oneTimeBuyerAssumption)"
        // Every customer, in order: what export writes. Ids are read from the facts then, so only from the
        // facts this prediction was made with (a load in between renumbers the customers).
        let stamp = try OrderSnapshot.stamp(database)
        let whole = { [unowned self] () throws -> ResultTable in
            guard try OrderSnapshot.stamp(self.database) == stamp else {
                throw ShellError("the customer facts changed since predict alive ran (a load or a rebuild)",
                                 help: "run predict alive again, then export")
            }
            var customers = fit.customers
            try self.resolveCustomerIDs(&customers)
            var table = fit.calculator.customerTable(customers, orderedBy: .expectedPurchases, limit: nil, currency: currency)
            table.notes.insert(about, at: 0)
            table.notes += fit.historyNotes
            return table
        }
        var shown: ResultTable
        if fit.summaries == nil {
            // Histories read as columns (the snapshot): only the top customers become rows and get their ids.
            shown = try fit.calculator.topCustomerTable(fit.columns, orderedBy: .expectedPurchases, limit: top, currency: currency) {
                try self.customerIDs(ofKeys: $0.map { fit.columns.key[$0] })
            }
            shown.notes.insert(about, at: 0)
            shown.notes += fit.historyNotes
        } else {
            shown = try whole()
            shown.rows = Array(shown.rows.prefix(top))
        }
        shown.notes.append("top \(shown.rows.count) of \(grouped(fit.columns.count)) customers; export to 'file.csv' writes them all")
        show(shown, sql: nil)
        lastResultWhole = whole
    }

    /// `predict validate [holdout N weeks] [model M]`: fit on the calibration period, compare
    /// purchases, spend and margin in the holdout (by default the last calendar quarter).
    func predictValidate(holdout: Located<TimeSpan>?, model: Identifier?) throws {
        try requireTable("orders", for: "predictive CLV", load: "orders", at: nil)
        let kind = try purchaseModel(model)
        let (last, lastNote, first) = try calibration(asOf: nil)
        let end = try holdoutCalibrationEnd(holdout, last: last) ?? lastQuarterCalibrationEnd(last)
        if end < first, last - first < 7 {
            // The shortest holdout is a week: "hold out at most 0 weeks" would be no way out.
            throw ShellError("the purchases run from \(DayNumber.isoDate(first)) to \(DayNumber.isoDate(last)), \(grouped(last - first + 1)) "
                                + "day\(last == first ? "" : "s"): too short to hold out the shortest holdout, 1 week, and fit on what is left", at: holdout?.range,
                             help: "load a longer order history (predict validate needs more than a week of purchases; predict ltv and predict alive fit on what there is)")
        }
        if end < first {
            // The longest holdout that leaves no calibration day still left no repeat buyer to fit (104 weeks on the demo):
            // the help gives the longest that leaves the repeat buyers a fit needs, or says there is none.
            throw ShellError("the holdout from \(DayNumber.isoDate(end + 1)) to \(DayNumber.isoDate(last)) leaves no calibration period: "
                                + "the first purchase is on \(DayNumber.isoDate(first))", at: holdout?.range,
                             help: try longestHoldoutHelp(first: first, last: last) + " (the purchases run from \(DayNumber.isoDate(first)) to \(DayNumber.isoDate(last)))")
        }
        let weeks = Double(last - end) / 7
        let customers = try clvColumns(segments: [], calibrationEnd: end, holdoutEnd: last)
        LoadTrace.mark("predict validate: histories read")
        var fit = try explainingFewRepeatBuyers({ FitScope(end: end, lastPurchase: last, firstPurchase: first, holdoutDays: last - end,
                                                           holdoutHelp: try longestHoldoutHelp(first: first, last: last)) }) {
            try fitCLV(columns: customers, kind: kind, end: end, horizonMonths: 12, annualDiscount: 0)
        }
        fit.endNote = lastNote
        LoadTrace.mark("predict validate: models fitted")
        let validation = try HoldoutValidation.run(fit: fit.transactions, columns: customers, holdoutLength: weeks)
        let money = try HoldoutMoney.run(fit: fit.transactions, spend: fit.spend, columns: customers, holdoutLength: weeks,
                                         calibrationMargin: fit.margin)
        say("Calibration to \(DayNumber.isoDate(end)), holdout \(DayNumber.isoDate(end + 1)) to \(DayNumber.isoDate(last)) (\(String(format: "%.1f", weeks)) weeks)"
            + (holdout == nil ? ", the last quarter" : "") + "; time unit weeks.")
        if let choice = fit.choice { say(modelChoiceLine(choice)) }
        say(String(format: "%@ fitted on the calibration period: log-likelihood %.2f, BIC %.1f, %@.", fit.transactions.kind.title,
                   fit.transactions.logLikelihood, fit.transactions.bic, fit.transactions.converged ? "converged" : "NOT converged"))
        let currency = try metricSettings().currency
        var totals = money.totalsTable(currency: currency)
        totals.notes += fit.historyNotes
        show(totals, sql: nil)
        show(money.groupTable(currency: currency), sql: nil)
        show(validation.table(), sql: nil)
    }

    /// The day before the calendar quarter holding `last` begins; when that quarter
    /// has fewer than 28 days of data, the quarter before is held out too.
    func lastQuarterCalibrationEnd(_ last: Int) -> Int {
        let (year, month, _) = DayNumber.civil(last)
        let quarterStart = DayNumber.from(year: year, month: (month - 1) / 3 * 3 + 1, day: 1)
        guard last - quarterStart + 1 < 28 else { return quarterStart - 1 }
        let (py, pm, _) = DayNumber.civil(quarterStart - 1)
        return DayNumber.from(year: py, month: (pm - 1) / 3 * 3 + 1, day: 1) - 1
    }
}
