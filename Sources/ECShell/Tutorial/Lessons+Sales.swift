import Foundation
import ECStore

/// Lessons on sales and money: the GMV trap, the sales equation, mall costs, unit economics.
extension Lessons {
    static let gmvTrap = Lesson(
        title: "GMV, revenue and margin: the GMV trap",
        text: """
            GMV adds up the amount of every counted order, before discounts and points. Revenue is what customers \
            actually paid (GMV − discounts − points). Contribution margin (CM2) is what is left after the cost of \
            goods, shipping and the mall's commission as well. GMV is easy to grow by discounting, so a month can \
            look like a record in GMV and still lose money. Cancelled and returned orders never count.
            """,
        statements: ["kpi gmv, revenue, margin by month from 2024-03 to 2024-07"],
        interpret: { shown in
            let t = try shown.table(0)
            let peak = try GMVPeak(t)
            // Discounts and points as a share of GMV, each month: GMV − revenue, from the table shown.
            let given = 1 - peak.revenue / peak.gmv, givenBefore = 1 - peak.revenueBefore / peak.gmvBefore
            let marginFell = peak.margin < peak.marginBefore
            var text = """
                \(peak.month) has the highest GMV: \(Say.yen(peak.gmv)), \(Say.change(peak.gmv / peak.gmvBefore - 1)) \
                on \(peak.before). \(marginFell ? "But its margin fell" : "Its margin went") from \(Say.yen(peak.marginBefore)) \
                to \(Say.yen(peak.margin)) (\(Say.change(peak.margin / peak.marginBefore - 1))): customers kept \
                \(Say.percent(peak.revenue / peak.gmv)) of GMV as revenue, against \(Say.percent(peak.revenueBefore / peak.gmvBefore)) \
                the month before.
                """
            if marginFell, given > givenBefore {
                text += " Discounts and points took \(Say.percent(given)) of \(peak.month)'s GMV against "
                    + "\(Say.percent(givenBefore)) in \(peak.before): they gave away more than the extra orders earned."
            }
            return text + " Judge a promotion by margin, not by GMV."
        },
        question: { shown in
            let peak = try GMVPeak(try shown.table(0))
            let change = (peak.margin / peak.marginBefore - 1) * 100
            return Question(
                prompt: "By how many percent did margin change from \(peak.before) to \(peak.month)? "
                    + "Answer a whole number, negative for a fall (for example: answer -25).",
                expected: .number(change, tolerance: 1.5, unit: 0.01), answerText: Say.fixed(change, 0),
                hint: "(margin in \(peak.month) − margin in \(peak.before)) ÷ margin in \(peak.before) × 100.",
                explanation: "Margin went from \(Say.yen(peak.marginBefore)) to \(Say.yen(peak.margin)), "
                    + "\(Say.fixed(change, 1))%, while GMV rose \(Say.change(peak.gmv / peak.gmvBefore - 1)). "
                    + (peak.margin < peak.marginBefore ? "GMV rewarded the month; margin shows what it cost."
                        : "Here margin rose with GMV; judge by margin either way."))
        },
        tryNext: "kpi gmv, margin_rate, discount_rate by month chart")

    static let salesEquation = Lesson(
        title: "The sales equation: which factor moved?",
        text: """
            Revenue = sessions × conversion rate (orders per session) × average order value (AOV). When revenue \
            moves, one or more of the three moved; the _change columns say which, so you fix the right thing: \
            traffic (ads, SEO, mall events), conversion (the page, the price, stock) or order value (bundles, \
            free-shipping thresholds, coupons).
            """,
        statements: ["kpi sales by month from 2024-04 to 2024-05"],
        interpret: { shown in
            let move = try SalesMove(try shown.table(0))
            // The table rounds CVR and AOV, so its figures multiply to another revenue; the product is written
            // with the places it needs to check by hand, through the orders it counts.
            let orders = (move.sessions * move.cvr).rounded()
            return """
                From \(move.before) to \(move.period) revenue changed \(Say.change(move.revenueChange)): sessions \
                \(Say.change(move.changes[0].1)), conversion \(Say.change(move.changes[1].1)), AOV \
                \(Say.change(move.changes[2].1)). \(move.driver.name) moved most. The factors multiply back to \
                revenue: \(Say.count(move.sessions)) sessions × \(Say.percent(move.cvr, places: 4)) CVR ≈ \
                \(Say.count(orders)) orders, and \(Say.count(orders)) orders × \(Say.yen(move.aov, places: 2)) AOV ≈ \
                \(Say.yen(move.revenue)) (the table rounds CVR and AOV).
                """ + (move.changes[0].1 > 0 && move.changes[2].1 < 0
                    ? " More visitors came while each order paid less (AOV is revenue per order, after discounts and points)."
                    : "")
        },
        question: { shown in
            let move = try SalesMove(try shown.table(0))
            return Question(
                prompt: "Which factor moved most from \(move.before) to \(move.period): sessions, cvr or aov?",
                expected: .choice(accepted: move.driver.words), answerText: move.driver.name,
                hint: "Compare the size of sessions_change, cvr_change and aov_change, ignoring the sign.",
                explanation: "\(move.driver.name) changed \(Say.change(move.driver.change)), more than the other two "
                    + "factors; that is where the revenue change came from.")
        },
        tryNext: "kpi sales by quarter, or kpi sessions, cvr by channel")

    static let mallCosts = Lesson(
        title: "Mall dependence and the cost of selling on a mall",
        text: """
            Marketplaces (Rakuten, Amazon, Yahoo! Shopping) bring buyers, but they keep the relationship, charge \
            commission on every order and run point campaigns the shop pays for. Mall dependence is the share of \
            GMV sold through them. A shop that depends on malls rents its customers; a shop that sells on its own \
            site owns them.
            """,
        statements: ["kpi gmv, commission, discount_rate by channel", "kpi mall_dependence by year"],
        interpret: { shown in
            let t = try shown.table(0)
            let burden = try t.series("gmv").map { row in
                (row.label, try t.number(row.label, "commission") / row.value + t.number(row.label, "discount_rate"))
            }.sorted { $0.1 > $1.1 }
            let years = try shown.table(1).series("mall_dependence")
            let list = burden.map { "\($0.0) \(Say.percent($0.1))" }.joined(separator: ", ")
            var text = "Commission plus discounts and points, as a share of each channel's GMV: \(list). "
            if let first = years.first, let last = years.last, years.count > 1 {
                text += "Mall dependence went from \(Say.percent(first.value)) in \(first.label) to "
                    + "\(Say.percent(last.value)) in \(last.label)"
                    + (last.value < first.value ? ": GMV is moving to the own site" : ": the malls' share of GMV grew")
                // The own site's fees against the malls', from the first table.
                if let own = burden.first(where: { $0.0 == "own" }), burden.allSatisfy({ $0.0 == "own" || $0.1 > own.1 }) {
                    text += ", and on the own site commission, discounts and points take the least of each yen (\(Say.percent(own.1)))"
                }
                text += "."
            }
            return text
        },
        question: { shown in
            let t = try shown.table(0)
            let share = (try t.number("rakuten", "commission") / t.number("rakuten", "gmv")
                         + t.number("rakuten", "discount_rate")) * 100
            return Question(
                prompt: "What percent of rakuten's GMV goes to commission plus discounts and points? "
                    + "(commission ÷ gmv, plus discount_rate; one decimal)",
                expected: .number(share, tolerance: 0.3, unit: 0.01), answerText: Say.fixed(share, 1) + "%",
                hint: "rakuten's commission ÷ rakuten's gmv gives about \(Say.percent(try t.number("rakuten", "commission") / t.number("rakuten", "gmv"), places: 0)); add its discount_rate.",
                explanation: "About \(Say.fixed(share, 1))% of every yen sold on rakuten goes to the mall and its "
                    + "points before cost of goods and shipping. That is the mall's rent.")
        },
        tryNext: "kpi gmv, mall_dependence by quarter chart")

    static let unitEconomics = Lesson(
        title: "Unit economics: LTV, CAC, LTV/CAC and payback",
        text: """
            CAC is the ad spend per new customer. Historical LTV(12) is the contribution margin a customer has \
            actually brought from the month of their first order through the 12 months after it (month offsets 0..12; observed, by cohort; not a forecast). \
            LTV/CAC of 3 or more is a rule of thumb for healthy growth; below 1, every new customer loses money. \
            Payback is the month the cumulative margin covers CAC.
            """,
        statements: ["unit economics by channel horizon 12 months"],
        interpret: { shown in
            let t = try shown.table(0)
            let rows = try t.series("LTV_CAC").filter { $0.label != "total" }
            let healthy = rows.filter { $0.value >= 3 }.map(\.label)
            let losing = rows.filter { $0.value < 1 }.map(\.label)
            var parts: [String] = []
            for row in rows.sorted(by: { $0.value > $1.value }) {
                parts.append("\(row.label) LTV(12) \(Say.yen(try t.number(row.label, "LTV_12m"))) vs CAC "
                             + "\(Say.yen(try t.number(row.label, "CAC"))) = \(Say.fixed(row.value, 2))")
            }
            return parts.joined(separator: "; ") + ". "
                + (healthy.isEmpty ? "No channel reaches 3. " : "Healthy by the rule of thumb: \(healthy.joined(separator: ", ")). ")
                + (losing.isEmpty ? "" : "Below 1, losing money on every new customer: \(losing.joined(separator: ", ")). ")
                + "Judge a channel by what its customers return against what they cost, not by its GMV."
        },
        question: { shown in
            let t = try shown.table(0)
            // The difference of the whole yen the table shows, which is what a reader subtracts.
            let loss = try t.number("rakuten", "CAC").rounded() - t.number("rakuten", "LTV_12m").rounded()
            // Asked as a loss, negative when rakuten's customers have brought more than they cost.
            return Question(
                prompt: "How many yen does the shop lose on each new rakuten customer after 12 months (CAC − LTV_12m; "
                    + "negative if it gains)?",
                expected: .number(loss, tolerance: 3), answerText: Say.yen(loss),
                hint: "Take rakuten's CAC and subtract its LTV_12m.",
                explanation: "Each rakuten customer costs \(Say.yen(try t.number("rakuten", "CAC"))) and has brought "
                    + "\(Say.yen(try t.number("rakuten", "LTV_12m"))) of margin after 12 months: "
                    + (loss > 0 ? "\(Say.yen(loss)) short. Growing such a channel grows the loss."
                        : "\(Say.yen(-loss)) more than it cost."))
        },
        tryNext: "cohort margin cumulative by first_channel periods 13")
}

/// The month with the highest GMV in a `kpi gmv, revenue, margin by month` table, and the month before it.
struct GMVPeak {
    let month: String, before: String
    let gmv: Double, gmvBefore: Double, revenue: Double, revenueBefore: Double, margin: Double, marginBefore: Double

    init(_ t: ResultTable) throws {
        let gmvs = try t.series("gmv")
        guard let i = gmvs.indices.dropFirst().max(by: { gmvs[$0].value < gmvs[$1].value }) else {
            throw LessonDataError("fewer than two months")
        }
        month = gmvs[i].label
        before = gmvs[i - 1].label
        gmv = gmvs[i].value
        gmvBefore = gmvs[i - 1].value
        revenue = try t.number(month, "revenue")
        revenueBefore = try t.number(before, "revenue")
        margin = try t.number(month, "margin")
        marginBefore = try t.number(before, "margin")
    }
}

/// The last period of a `kpi sales` table: its factors, their changes and the one that moved most.
struct SalesMove {
    let period: String, before: String
    let sessions: Double, cvr: Double, aov: Double, revenue: Double, revenueChange: Double
    let changes: [(String, Double)]
    let driver: (name: String, change: Double, words: Set<String>)

    init(_ t: ResultTable) throws {
        let periods = try t.series("sessions")
        guard periods.count >= 2, let last = periods.last else { throw LessonDataError("fewer than two periods") }
        period = last.label
        before = periods[periods.count - 2].label
        sessions = last.value
        cvr = try t.number(period, "cvr")
        aov = try t.number(period, "aov")
        revenue = try t.number(period, "revenue")
        revenueChange = try t.number(period, "revenue_change")
        changes = [("sessions", try t.number(period, "sessions_change")), ("cvr", try t.number(period, "cvr_change")),
                   ("aov", try t.number(period, "aov_change"))]
        let top = changes.max { abs($0.1) < abs($1.1) } ?? changes[0]
        let synonyms: [String: Set<String>] = [
            "sessions": ["sessions", "session", "traffic", "visits"],
            "cvr": ["cvr", "conversion", "conversion rate"], "aov": ["aov", "order value", "average order value"]]
        driver = (top.0, top.1, synonyms[top.0] ?? [top.0])
    }
}

/// The KPI tree lesson: objectives → key results → KPIs.
extension Lessons {
    static let kpiTree = Lesson(
        title: "A KPI tree for a customer-equity objective",
        text: """
            An objective (grow customer equity) needs key results you can move (active members, retention, margin \
            per order) and KPIs under them that teams act on. A KPI tree shows how a number is built from others: \
            customer equity here is the margin active members brought in the last 12 months = active members × \
            orders per member × margin per order, and active members = new + returning. Each node shows its change \
            on the period before and how much of the parent's change it explains, so the key result that moved \
            stands out. Targets on the key results make it an OKR scorecard.
            """,
        statements: ["kpi tree customer_equity by quarter", "target active_members >= 7000",
                     "target retention_rate >= 30%", "scorecard"],
        interpret: { shown in
            let t = try shown.table(0)
            let current = t.columns[4]
            let rows = try t.series(current)
            guard let root = rows.first else { throw LessonDataError("empty tree") }
            let marked = t.rows.first { ($0.last.map { if case .text(let s) = $0 { return !s.isEmpty } else { return false } }) ?? false }
            let name = marked.flatMap { row -> String? in if case .text(let s) = row[0] { return s } else { return nil } }?
                .trimmingCharacters(in: CharacterSet(charactersIn: "├└─│ ")) ?? "?"
            let change = try t.number(root.label, "change")
            return "Customer equity (12 months of margin from active members) reached \(Say.yen(root.value)) in "
                + "\(current), \(Say.change(change)) on the quarter before; \(name) explains "
                + "most of the \(change >= 0 ? "rise" : "fall"). The scorecard then says whether each key result is on target: an OKR is this "
                + "tree with targets on the nodes a team owns."
        },
        question: { shown in
            let t = try shown.table(0)
            let current = t.columns[4]
            let shares = try t.series("explains").filter { ["├─ active_members", "├─ orders_per_member", "└─ margin_per_order"].contains($0.label) }
            guard let top = shares.max(by: { $0.value < $1.value }) else { throw LessonDataError("no shares") }
            let name = top.label.trimmingCharacters(in: CharacterSet(charactersIn: "├└─ "))
            return Question(
                prompt: "In \(current), which factor of customer_equity_12m explains most of its change: "
                    + "active_members, orders_per_member or margin_per_order?",
                expected: .choice(accepted: [name]), answerText: name,
                hint: "Read the explains column on the three rows directly under customer_equity_12m.",
                explanation: "\(name) explains \(Say.percent(top.value, places: 0)) of the change. That is the key "
                    + "result to protect; the others are where the next gains must come from.")
        },
        tryNext: "kpi tree revenue by quarter, kpi tree margin by month from 2024-04 to 2024-05")
}
