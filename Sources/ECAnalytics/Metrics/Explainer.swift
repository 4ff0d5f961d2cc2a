import Foundation
import ECStore
import ECRender

/// The text of `explain NAME`: a KPI or a concept in business terms, its
/// formula, why it matters, its traps, the settings in force and the SQL.
public enum Explainer {
    /// Concepts that are not single KPIs, keyed by the words users type.
    public static let concepts: [(keys: [String], title: String, body: String)] = [
        (["sales equation", "sales"], "The sales equation",
         "revenue = sessions × CVR × AOV. Every change in sales comes from more visits, a higher share of visits that buy, or bigger baskets. `kpi sales by month` shows each factor and its change on the previous period, so you see which one moved.\nPitfall: the factors interact; fixing CVR with discounts lowers AOV."),
        (["customer equity", "equity"], "Customer equity",
         "The value of the customer base: the sum of every customer's expected future margin (CLV). It grows by acquiring customers and by making existing ones buy again; GMV only shows the past.\nSee `predict ltv` for the model-based figure."),
        (["retention vs repeat rate", "repeat rate vs retention", "retention"], "Retention rate vs repeat rate",
         "Retention compares two consecutive periods: of last month's buyers, how many bought this month. Repeat rate is cumulative: of everyone who ever bought, how many bought at least twice.\nRetention reacts quickly and depends on the grain; repeat rate moves slowly. Quote the one that fits your buying cycle and say which."),
        (["f2", "f2 conversion"], "F2 conversion",
         "The share of first-time buyers who come back for a second order within a window (f2_window, 90 days by default). The step from one order to two is where most customers are lost, so F2 is the earliest sign of whether acquisition brings lasting customers.\nPitfall: recent cohorts have not had the whole window yet; ecsh leaves them blank."),
        (["mall dependence", "mall"], "Mall dependence",
         "The share of GMV sold through marketplaces (Rakuten, Amazon, Yahoo by default; set marketplaces). Marketplaces bring traffic but keep the customer relationship, charge commission and can change the rules; own-site sales build customer equity."),
        (["gmv traps", "gmv first", "gmv-first traps", "gmv first traps"], "GMV-first traps",
         "Chasing GMV rewards the wrong things: cancelled and returned orders, deep discounts, and one-off buyers bought with ads all raise GMV while margin and customer equity fall. Look at revenue (net of discounts and points), margin and repeat behaviour alongside it."),
        (["ltv", "clv", "lifetime value"], "LTV (customer lifetime value)",
         "Historical LTV(h) = cumulative contribution margin of a cohort's counted orders up to month offset h (the first order's month is 0), divided by the cohort's size. Margin, not revenue, because that is what pays for acquisition. Only cohorts at least h months old are reported.\nSee `cohort margin cumulative` and `unit economics`."),
        (["ltv/cac", "ltv cac", "ltv to cac"], "LTV / CAC",
         "How many times a customer's margin repays what it cost to acquire them. 3 or more is a common rule of thumb for healthy growth, not a law; below 1 every new customer loses money."),
        (["unit economics", "unit_economics"], "Unit economics",
         "Whether one customer is worth what it costs to win: CAC (ad spend per new customer) against the contribution margin that customer brings over a horizon (LTV). Growth is healthy when LTV comfortably exceeds CAC and the margin pays the CAC back within months, not years.\nSee `unit economics by channel`: marketplaces often look cheap to acquire in but return less margin after commission and points."),
        (["cohort analysis", "cohort", "cohorts"], "Cohort analysis",
         "Customers grouped by when they first bought (or by their first channel), each group followed period by period. Totals mix old and new customers; cohorts show whether newer customers stay as well as older ones did, which totals hide.\nSee `cohort retention by month` and `cohort margin cumulative` (the LTV curve)."),
        (["point dependence", "discount dependence", "points", "discounts", "point/discount dependence"], "Point and discount dependence",
         "The share of sales bought with discounts and points (`discount_rate`). Incentives lift conversion today, but customers who come only for the points leave when a competitor offers more, and margin pays for every point. Watch whether repeat rate and margin hold when incentives fall.\nIn malls, points are often the main lever; on the own site, service and brand can carry more of the load."),
        (["nps compare", "nps significance", "significance"], "Comparing NPS between groups",
         "Two NPS figures differ by chance more than people expect: from 100 responses an NPS is typically known only to about ±15 points. `nps compare` tests the difference: z = (NPS₁ − NPS₂) / √(SE₁² + SE₂²), with a two-sided p from the normal distribution; p < 0.05 means a difference that large would be rare if the groups were alike.\n`nps compare A, B` tests two segments that share no respondent (for overlapping ones it gives no test and names the segment to compare with). `nps compare by X` tests each group of X against the rest (all other responses), so no group has to be picked as the baseline and the two samples never overlap; by week, month or quarter it tests each period against the one before.\nPitfall: with many groups, some small p-values appear by chance (about 1 in 20 tests); groups under 30 responses get a warning."),
        (["transition", "simulate transition", "mall to own", "transition simulation"], "The mall-to-own transition simulation",
         "`simulate transition from rakuten, yahoo to own by 10% per quarter for 8 quarters` moves a growing share of the malls' GMV to the own site, one step per quarter, and follows the money. Read it in three parts.\nThe assumptions table first: every number with its source, measured in this workspace (quarterly averages over the four calendar quarters ending with the last counted order, or over fewer from the first purchase in a shop younger than a year; retention pooled: buyers kept / buyers of the quarter before) or set by you with `assume own_retention 35%`, `assume mall_retention …`, `assume own_cac …` (`assume NAME measured` goes back). Moved customers are assumed to buy like the own site's customers: migrated GMV = moved GMV × own retention / mall retention. If the own site keeps customers better, the move grows sales; if not, it shrinks them.\nThen each quarter: mall_fees_avoided (the malls' commission, discounts and points no longer paid on the moved GMV) and own_fees_added (the own site's on what it sells instead; generous own-site points can make it the larger), which the margin already counts, the margin change, the ad spend needed to win the moved customers on the own site (the share added that quarter, not the share moved so far, × mall buyers per quarter × own CAC), and the cash flow = margin change − ad spend. Early quarters lose money when the ads cost more than the margin gained (the chart under the table shows them left of the axis); the payback quarter is the first from which the cumulative cash flow stays at or above zero.\nPitfalls: the projection holds everything else fixed (prices, seasonality, the malls' own traffic); a smaller step spreads the ad spend; check the result with a different own_retention before acting on it."),
        (["payback", "cac payback"], "CAC payback",
         "The first month after acquisition in which the cumulative contribution per customer reaches CAC; when that has not happened within the data, `unit economics` says 'not yet' and `kpi payback` leaves the cell blank. Short payback means growth funds itself."),
    ]

    /// The explanation, or nil when `name` is neither a KPI nor a known concept.
    public static func text(for name: String, settings: MetricSettings, db: Database) -> String? {
        let key = name.lowercased().trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: " ")
        let derived = (try? DerivedKPIs.load(db)) ?? [:]
        let kpiName = key.replacingOccurrences(of: " ", with: "_")
        if let e = derived[kpiName] {
            return "\(kpiName): a KPI you defined\nFormula: \(kpiName) = \(e.description)\nDivision by zero gives a blank (NULL)."
                + workspaceLines(kpiName, settings: settings, db: db)
        }
        let concept = (teachingConcepts + concepts).first(where: { $0.keys.contains(key) })
        // A KPI that is also a concept (sales, ltv, ltv_cac, payback): the concept, then the KPI's entry.
        if let def = KPICatalogue.named(kpiName) ?? (key == "sales equation" ? KPICatalogue.named("sales") : nil) {
            let entry = kpiText(def, settings: settings, db: db)
            return concept.map { "\($0.title)\n\n\($0.body)\n\n" + entry } ?? entry
        }
        return concept.map { "\($0.title)\n\n\($0.body)" }
    }

    static func kpiText(_ def: KPIDefinition, settings: MetricSettings, db: Database) -> String {
        var lines = ["\(def.name): \(def.meaning)", "Formula: \(def.name) = \(def.formula)"]
        lines.append("Needs: \(def.needs.joined(separator: ", "))")
        if def.outputs.count == 1 {
            lines.append("Total row: \(def.total.explanation).")
        } else {
            // Several columns (sales): each follows its own rule.
            for rule in KPIDefinition.TotalRule.allCases {
                let names = def.outputs.filter { $0.total == rule }.map(\.name)
                if !names.isEmpty { lines.append("Total row for \(names.joined(separator: ", ")): \(rule.explanation).") }
            }
        }
        lines.append("Direction: \(def.direction.rawValue).")
        lines += def.pitfalls.map { "Pitfall: \($0)" }
        if def.needs.contains("orders.customer_id") { lines.append(guestLine(db)) }
        lines.append("Settings in force: \(settings.countedDescription); as_of \(settings.asOf ?? "last order")"
                     + settingsDetail(def.name, settings))
        return lines.joined(separator: "\n") + workspaceLines(def.name, settings: settings, db: db)
    }

    /// Customer KPIs leave guest orders out; says how many this workspace has, by channel when
    /// orders have one (a fact about the data, not about Amazon: a shop's own Amazon file may carry ids).
    static func guestLine(_ db: Database) -> String {
        var line = "Guests: orders without a customer_id (guest checkouts, and orders loaded with the amazon preset, "
            + "whose report gives no buyer identity) count in order KPIs (gmv, orders, aov, revenue, margin) but are left out here."
        guard let columns = try? db.columns(of: "orders").map(\.name) else { return line }
        let byChannel = columns.contains("channel")
        let sql = byChannel
            ? "SELECT channel, count(*) FROM orders WHERE customer_id IS NULL GROUP BY channel ORDER BY count(*) DESC, channel"
            : "SELECT NULL, count(*) FROM orders WHERE customer_id IS NULL"
        guard let rows = try? db.query(sql).rows else { return line }
        let counts = rows.compactMap { row in row[1].intValue.map { (channel: row[0], count: $0) } }.filter { $0.count > 0 }
        let total = counts.reduce(0) { $0 + $1.count }
        if total == 0 { return line + " In this workspace every order has a customer_id: none is left out." }
        line += " In this workspace: \(total) guest order\(total == 1 ? "" : "s")"
        if byChannel {
            let names = CellFormatter(nullText: "no channel")
            line += " (" + counts.map { names.text($0.channel, format: .text) + " \($0.count)" }.joined(separator: ", ") + ")"
        }
        return line + "."
    }

    static func settingsDetail(_ name: String, _ s: MetricSettings) -> String {
        switch name {
        case "f2_rate": return "; f2_window \(s.f2WindowDays) days"
        case "active_members": return "; active_window \(s.activeWindowDays) days"
        case "mall_dependence": return "; marketplaces \(s.marketplaceChannels.joined(separator: ", "))"
        case "retention_rate", "churn_rate": return "; week_start \(s.weekStart.rawValue)"
        default: return "; currency \(s.currency)"
        }
    }

    /// Why a figure of `explain`'s workspace line is blank, as docs/metrics.md says it: a comparison
    /// over all loaded data has no earlier period; a KPI whose pitfalls say when it is blank says that
    /// (payback: the margin has not reached CAC in the data yet); otherwise nothing to compute it from.
    static func blankReason(_ name: String, column: String, grouped: Bool) -> String {
        if column.hasSuffix("_change") {
            return "there is no earlier period to compare with" + (grouped ? "" : " (`kpi \(name) by month` compares months)")
        }
        let pitfall = KPICatalogue.named(name)?.pitfalls.first { $0.hasPrefix("Blank ") }
        if var reason = pitfall.map({ String($0.dropFirst("Blank ".count)) }) {
            if let colon = reason.range(of: ": ") { reason = String(reason[..<colon.lowerBound]) }
            return reason.hasPrefix("when ") ? String(reason.dropFirst("when ".count)) : "it is blank " + reason
        }
        return "there is nothing to compute it from (no rows, or a division by zero)"
    }

    /// "In this workspace, …" and the SQL, when the data for the KPI is loaded.
    static func workspaceLines(_ name: String, settings: MetricSettings, db: Database) -> String {
        // Over all loaded data every customer's first order is inside the range, so no one is returning (0):
        // returning customers, like retention, are quoted for the last month.
        let grouping: [Grouping] = ["retention_rate", "churn_rate", "returning_customers"].contains(name) ? [.grain(.month)] : []
        guard (try? db.tableExists("orders")) == true,
              let result = try? KPIEngine(db, settings: settings).run(KPIQuery(kpis: [name], groupBy: grouping)),
              let row = grouping.isEmpty ? result.table.rows.first
                : result.table.rows.enumerated().last(where: { !result.table.summaryRows.contains($0.offset) && !$0.element.isEmpty })?.element
        else { return "" }
        let keyCount = grouping.isEmpty ? 0 : 1
        // Formatted as table cells are (¥, %, thousands), so the figure reads as it does in `kpi`;
        // blanks are named after them, grouped by why they are blank (never "(undefined)").
        let cells = CellFormatter(currency: settings.currency)
        var figures: [String] = []
        var blanks: [(reason: String, columns: [String])] = []
        for i in keyCount..<row.count {
            let column = result.table.columns[i]
            guard row[i].isNull else {
                // The table's percent format has two decimals when any month of the column is under 10%; the one
                // figure quoted gets them only when it is (retention 21.4% beside churn 78.6%, adding to 100%).
                var format = result.table.formats[i]
                if case .percent = format { format = ColumnFormat.percent(places: 1).finer(forRates: [row[i]]) }
                figures.append("\(column) \(cells.text(row[i], format: format))")
                continue
            }
            let reason = blankReason(name, column: column, grouped: !grouping.isEmpty)
            if let k = blanks.firstIndex(where: { $0.reason == reason }) { blanks[k].columns.append(column) } else { blanks.append((reason, [column])) }
        }
        let scope = grouping.isEmpty ? "over all loaded data" : "in \(row[0])"
        var sentence = figures.isEmpty ? "" : "In this workspace, \(figures.joined(separator: ", ")) \(scope)."
        for blank in blanks {
            let names = blank.columns.count == 1 ? blank.columns[0]
                : blank.columns.dropLast().joined(separator: ", ") + " and " + blank.columns[blank.columns.count - 1]
            let verb = blank.columns.count == 1 ? "is" : "are"
            sentence += (sentence.isEmpty ? "In this workspace, \(names) \(verb) blank \(scope)" : " \(names) \(verb) blank")
                + ": \(blank.reason)."
        }
        return "\n\n\(sentence)\n\nSQL ecsh runs:\n\(SQLFragment.runnable(result.sql, result.bindings, in: db))"
    }
}
