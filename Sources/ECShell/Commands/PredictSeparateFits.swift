import ECStore
import ECLanguage
import ECAnalytics
import ECRender

/// `predict ltv by X separate`: one purchase and one spend fit per group, side by side,
/// with the likelihood-ratio test of separate against pooled.
extension Session {
    func showSeparateFits(_ pooled: FittedCLV, grouping: CLVGrouping, kind: PurchaseModelKind,
                          currency: String, notes: [String], margins: (margins: [Double], note: String?)) throws {
        var members = Array(repeating: [CustomerSummary](), count: grouping.labels.count)
        for c in pooled.customers {
            grouping.membership.forEachGroup(ofKey: c.key) { members[$0].append(c) }
        }
        let groups = zip(grouping.labels, members).map { (label: $0.0, customers: $0.1) }
        for warning in SeparateFits.smallGroupWarnings(groups) { say(warning) }
        let fits = SeparateFits.fit(groups: groups, kind: kind)

        // Each group's parameters and standard errors, purchase model then spend.
        var rows: [[Value]] = []
        for fit in fits {
            if let failure = fit.failure {
                say("warning: group \(CLVGroupSummary.shown(fit.label)) was not fitted: \(failure)")
                continue
            }
            guard let t = fit.transactions, let s = fit.spend else { continue }
            for (name, (value, error)) in zip(kind.parameterNames, zip(t.parameters, t.standardErrors)) {
                rows.append([CLVGroupSummary.key(fit.label), .text(kind.title), .text(name), .real(value), error.map(Value.real) ?? .null])
            }
            for (name, (value, error)) in zip(["p", "q", "gamma"], zip([s.p, s.q, s.gamma], s.standardErrors)) {
                rows.append([CLVGroupSummary.key(fit.label), .text("Gamma-Gamma"), .text(name), .real(value), error.map(Value.real) ?? .null])
            }
        }
        show(ResultTable(columns: [grouping.header, "model", "parameter", "estimate", "std_error"], rows: rows,
                         formats: [.text, .text, .text, .decimal(places: 4), .decimal(places: 4)],
                         notes: ["one fit per group (separate); the pooled fit above is on all \(grouped(pooled.customers.count)) customers"]),
             sql: nil)

        // Each group's CLV from its own fits; the total is the sum over groups.
        var summaries: [CLVGroupSummary] = []
        var total = CLVGroupSummary(label: "total")
        var spendTotal = 0.0
        for (g, fit) in fits.enumerated() {
            var summary = CLVGroupSummary(label: fit.label)
            let margin = g < margins.margins.count ? margins.margins[g] : pooled.margin
            summary.margin = margin
            if let t = fit.transactions, let s = fit.spend {
                let calculator = try CLVCalculator(transactions: t, spend: s, unit: .weeks, horizonMonths: pooled.calculator.horizonMonths,
                                                   discount: pooled.calculator.discount, margin: 1)
                for p in calculator.predictions(for: fit.customers) {
                    let repeatCustomer = p.customer.x > 0
                    summary.add(repeatCustomer: repeatCustomer, alive: p.probabilityAlive, purchases: p.expectedPurchases, clv: p.clv * margin)
                    total.add(repeatCustomer: repeatCustomer, alive: p.probabilityAlive, purchases: p.expectedPurchases, clv: p.clv * margin)
                    spendTotal += p.clv
                }
            }
            summaries.append(summary)
        }
        var tableNotes = notes + (margins.note.map { [$0] } ?? [])
        var spendOnly = pooled.calculator
        spendOnly.margin = 1
        let pooledSums = try CLVGroupSummary.summarize(pooled.columns, calculator: spendOnly,
                                                       groupings: [(grouping.labels, grouping.membership)],
                                                       interrupt: database.interruptFlag)
        let spend = pooledSums.first?.total.equity ?? 0
        total.margin = spendTotal != 0 ? total.equity / spendTotal : pooled.margin
        tableNotes.append(Self.groupMarginNote(shop: pooled.margin, shopEquity: spendTotal * pooled.margin, currency: currency))
        if let sums = pooledSums.first {
            let pooledRows = CLVGroupSummary.withMargins(sums.groups, total: sums.total, margins: margins.margins,
                                                         shop: pooled.margin, overlaps: grouping.membership.overlaps)
            tableNotes.append("customer equity from the pooled fit, each group at its own margin: " + Self.money(pooledRows.total.equity, currency: currency)
                              + " (at the shop's: " + Self.money(spend * pooled.margin, currency: currency) + ")")
        }
        let fitted = fits.compactMap(\.transactions)
        if grouping.membership.overlaps {
            tableNotes.append("segments overlap, so the likelihood-ratio test does not apply")
        } else if fitted.count == fits.count, fitted.count > 1 {
            let test = LikelihoodRatioTest(pooledLogLikelihood: pooled.transactions.logLikelihood,
                                           groupLogLikelihoods: fitted.map(\.logLikelihood),
                                           parametersPerModel: kind.parameterNames.count)
            tableNotes.append(test.reading + " (\(kind.title) only)")
        } else {
            tableNotes.append("likelihood-ratio test not computed: not every group could be fitted")
        }
        show(CLVGroupSummary.table(summaries, total: total, header: grouping.header, currency: currency, notes: tableNotes), sql: nil)
    }

    /// An amount in the workspace currency as the tables write it (`¥3,931,087`, `$1,234.50`); absurd amounts
    /// (spend near the largest Double) can make equity overflow to infinity, which is said in words, and
    /// amounts beyond 9e18 are written in scientific notation, not digit by digit.
    static func money(_ amount: Double, currency: String) -> String {
        let money = Currency(code: currency)
        guard amount.isFinite else { return "not a finite number (spend amounts too large to add up)" }
        guard abs(amount) < 9e18 else { return (amount < 0 ? "-" : "") + money.symbol + String(format: "%.6g", abs(amount)) }
        return money.format(amount)
    }
}
