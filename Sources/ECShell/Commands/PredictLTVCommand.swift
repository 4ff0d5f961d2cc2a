import Foundation
import ECStore
import ECLanguage
import ECAnalytics

/// `predict ltv`: the fit, then CLV per group (segments, a customer attribute,
/// or by default first channel and acquisition quarter), pooled or separate.
extension Session {
    /// Groups of customers: labels in display order, and each customer's group indices.
    struct CLVGrouping {
        var header: String
        var labels: [String]
        var membership: CLVMembership
    }

    /// `predict ltv [horizon N months] [for SEG, …] [by DIM] [pooled|separate] [model M] [discount R% per year] [as_of DATE]`
    func predictLTV(_ q: PredictLTVQuery) throws {
        let horizon = try horizonMonths(q.horizon)
        let discount = try annualDiscount(q.annualDiscountRate)
        let kind = try purchaseModel(q.model)
        let separate = q.fitting?.value == .separate
        let groupings = try clvGroupings(q)
        if separate && groupings.count != 1 {
            throw ShellError("separate fits need groups", at: q.fitting?.range,
                             help: "add 'by first_channel' (or another customer attribute) or 'for A, B'")
        }
        let fit = try fitCLV(segments: q.segments, asOf: q.asOf, horizonMonths: horizon, annualDiscount: discount, kind: kind)
        noteSegments(q.segments)
        let currency = try metricSettings().currency
        say("Time unit: weeks; orders on the same day merge into one purchase; calibration ends \(DayNumber.isoDate(fit.end)).")
        if let choice = fit.choice { say(modelChoiceLine(choice)) }
        let model = fit.transactions
        say("\(model.kind.title) (purchase and dropout), fitted on \(grouped(fit.columns.count)) customers; "
            + String(format: "log-likelihood %.2f, BIC %.1f, %@ after %d iterations:", model.logLikelihood, model.bic,
                     model.converged ? "converged" : "NOT converged", model.iterations))
        show(model.parameterTable(unit: .weeks), sql: nil)
        say("Gamma-Gamma (spend per purchase):")
        show(fit.spend.parameterTable(currency: currency), sql: nil)

        let oneTime = fit.columns.oneTimeBuyers
        var notes = [String(format: "CLV = Σ over the next %d months of expected purchases × expected spend × the group's margin (the margin column; the shop's is %.1f%%), discounted %.1f%% per year", horizon, fit.margin * 100, discount * 100),
                     "customer equity = Σ CLV over customers",
                     "\(model.kind.oneTimeBuyerAssumption); \(grouped(oneTime)) of \(grouped(fit.columns.count)) customers bought once"
                        + (model.kind == .bgnbd ? ", so read p_alive_repeaters" : "")]
        notes.insert(contentsOf: fit.historyNotes, at: 1)
        let customerMargins = try customerMargins(to: fit.end, columns: fit.columns, segments: q.segments)
        if separate, let grouping = groupings.first {
            try showSeparateFits(fit, grouping: grouping, kind: model.kind, currency: currency, notes: notes,
                                 margins: groupMargins(grouping, customerMargins, shop: fit.margin))
            return
        }
        // One pass over the customers fills every grouping's rows at margin 1 (expected spend); no prediction is kept.
        var spendOnly = fit.calculator
        spendOnly.margin = 1
        let sums = try CLVGroupSummary.summarize(fit.columns, calculator: spendOnly,
                                                 groupings: groupings.map { ($0.labels, $0.membership) },
                                                 interrupt: database.interruptFlag)
        for (i, grouping) in groupings.enumerated() {
            let own = groupMargins(grouping, customerMargins, shop: fit.margin)
            let rows = CLVGroupSummary.withMargins(sums[i].groups, total: sums[i].total, margins: own.margins, shop: fit.margin,
                                                   overlaps: grouping.membership.overlaps)
            var tableNotes = own.note.map { [$0] } ?? []
            if grouping.membership.overlaps {
                tableNotes.append("segments overlap: a customer in several counts in each row, once in the total, which is at the shop's margin")
            }
            tableNotes.append(Self.groupMarginNote(shop: fit.margin, shopEquity: sums[i].total.equity * fit.margin, currency: currency))
            if i == groupings.count - 1 { tableNotes = notes + tableNotes; notes = [] }
            show(CLVGroupSummary.table(rows.groups, total: rows.total, header: grouping.header, currency: currency,
                                       notes: tableNotes), sql: nil)
        }
    }

    /// "model auto: BIC …; chose …".
    func modelChoiceLine(_ choice: PurchaseModelChoice) -> String {
        let parts = choice.candidates.map { c in
            c.fit.map { String(format: "%@ %.1f", c.kind.title, $0.bic) } ?? "\(c.kind.title) failed (\(c.failure ?? "?"))"
        }
        return "model auto: BIC on the calibration period " + parts.joined(separator: ", ")
            + "; chose \(choice.chosen.kind.title) (lowest BIC)."
    }

    /// The groupings to show: `for` segments, a `by` attribute, or first channel and acquisition quarter.
    func clvGroupings(_ q: PredictLTVQuery) throws -> [CLVGrouping] {
        try requireCustomerFacts(for: "predictive CLV", at: nil)
        if let by = q.by {
            if q.segments.count > 1 {
                throw ShellError("give groups either with 'for A, B' or with 'by', not both", at: by.range)
            }
            return [try attributeGrouping(by.folded, at: by.range)]
        }
        if q.segments.count > 1 { return [try segmentGrouping(q.segments)] }
        let settings = try metricSettings()
        if let channel = try CLVMembership.byFirstChannel(db: database, settings: settings),
           let cohort = try CLVMembership.byAcquisitionQuarter(db: database, settings: settings) {
            return [CLVGrouping(header: "first_channel", labels: channel.labels, membership: channel.membership),
                    CLVGrouping(header: "cohort", labels: cohort.labels, membership: cohort.membership)]
        }
        return [try attributeGrouping("first_channel", at: nil), try attributeGrouping("cohort", at: nil)]
    }

    /// One group per value of a customer attribute; `cohort` (or `quarter`) groups by acquisition quarter, `cohort_month` by month.
    private func attributeGrouping(_ name: String, at range: SourceRange?) throws -> CLVGrouping {
        var column: String
        var header = name
        var label: (Value) -> String = { $0.textValue ?? ($0.isNull ? CLVGroupSummary.missingLabel : $0.description) }
        switch name {
        case "channel", "first_channel", "acquisition_channel":
            column = "first_channel"; header = "first_channel"
        case "cohort", "quarter", "cohort_quarter":
            column = "cohort"; header = "cohort"
            label = { v in
                guard let month = v.textValue, month.count == 7, let m = Int(month.suffix(2)) else { return CLVGroupSummary.missingLabel }
                return "\(month.prefix(4))-Q\((m - 1) / 3 + 1)"
            }
        case "month", "cohort_month":
            column = "cohort"; header = "cohort_month"
        default:
            let attributes = try CustomerFacts.attributes(database).map(\.name)
            guard let match = attributes.first(where: { $0.lowercased() == name }) else {
                throw ShellError("unknown customer attribute '\(name)'", at: range,
                                 help: "group by first_channel, cohort (acquisition quarter), cohort_month or one of: \(attributes.joined(separator: ", "))")
            }
            column = match
        }
        var group = try Array(repeating: Int32(-1), count: customerKeyCount())
        var labels: [String] = []
        var index: [String: Int32] = [:]
        try forEachFact(SQLFragment("SELECT customer_key, \(quoteIdentifier(column)) FROM \(try CustomerFacts.relation(reading: column, database))")) { key, value in
            let k = Int(key)
            let l = label(value)
            if index[l] == nil { index[l] = Int32(labels.count); labels.append(l) }
            if group.indices.contains(k) { group[k] = index[l] ?? -1 }
        }
        // Show groups sorted by label; renumber the membership to match.
        let order = labels.indices.sorted { labels[$0] < labels[$1] }
        var newIndex = Array(repeating: Int32(0), count: labels.count)
        for (new, old) in order.enumerated() { newIndex[old] = Int32(new) }
        return CLVGrouping(header: header, labels: order.map { labels[$0] },
                           membership: .partition(group.map { $0 >= 0 ? newIndex[Int($0)] : -1 }))
    }

    /// One group per named segment.
    private func segmentGrouping(_ segments: [Identifier]) throws -> CLVGrouping {
        guard segments.count <= CLVMembership.maximumSegments else {
            throw ShellError("at most \(CLVMembership.maximumSegments) segments in one 'for'", at: segments.last?.range)
        }
        var masks = try Array(repeating: UInt64(0), count: customerKeyCount())
        for (i, segment) in segments.enumerated() {
            guard let member = try segmentMembers([segment]) else { continue }
            for k in member.indices where member[k] && k < masks.count { masks[k] |= 1 << UInt64(i) }
        }
        return CLVGrouping(header: "segment", labels: segments.map(\.name), membership: .segments(masks))
    }
}
