import ECStore

/// Lessons on customers: repeat, the seeds' new KPIs, cohorts, NPS, acquisition quality, prediction.
extension Lessons {
    static let repeatBuyers = Lesson(
        title: "Do first-time buyers come back? F2 and repeat rate",
        text: """
            Most customers never place a second order, and the second order is the hardest. F2 conversion is the \
            share of new buyers who order again within 90 days; repeat rate is the share of all buyers so far with \
            two or more orders. Here they are by the channel of the customer's first order.
            """,
        statements: ["kpi new_customers, f2_rate, repeat_rate by first_channel"],
        interpret: { shown in
            let f2 = try shown.table(0).series("f2_rate").sorted { $0.value > $1.value }
            guard let best = f2.first, let worst = f2.last else { throw LessonDataError("no F2 rates") }
            let list = f2.map { "\($0.label) \(Say.percent($0.value))" }.joined(separator: ", ")
            var text = "F2 by first channel: \(list). \(best.label) first buyers come back "
                + "\(Say.fixed(best.value / worst.value, 1))× as often as \(worst.label)'s."
            if best.label == "own" {
                text += " A customer who chose the shop itself comes back; a customer who found a product in a mall "
                    + "search often does not know which shop sold it."
            }
            return text
        },
        question: { shown in
            let t = try shown.table(0)
            let ratio = try t.number("own", "f2_rate") / t.number("rakuten", "f2_rate")
            return Question(
                prompt: "The own site's F2 rate is how many times rakuten's? (own ÷ rakuten, one decimal)",
                expected: .number(ratio, tolerance: 0.1), answerText: Say.fixed(ratio, 1),
                hint: "Divide own's f2_rate by rakuten's.",
                explanation: "\(Say.percent(try t.number("own", "f2_rate"))) ÷ \(Say.percent(try t.number("rakuten", "f2_rate"))) "
                    + "= \(Say.fixed(ratio, 1))."
                    + (ratio > 1 ? " The second order is where the own site wins." : " Here the own site does not win the second order."))
        },
        tryNext: "kpi f2_rate within 60 days by quarter")

    static let activeMembers = Lesson(
        title: "Active members and retention rate: the KPIs that lead GMV",
        text: """
            The framework asks a shop to manage its customer base, not its sales: active members (customers who \
            bought in the last 365 days), retention rate (the share of last period's buyers who bought again this \
            period) and NPS. They lead GMV: GMV is active customers × orders per customer × order value, so a \
            base that grows and comes back is next year's GMV, while GMV bought with discounts and ads is not.
            """,
        statements: ["kpi active_members, retention_rate, customers, gmv by quarter"],
        interpret: { shown in
            let t = try shown.table(0)
            let members = try t.series("active_members")
            let retention = try t.series("retention_rate")
            let gmv = try t.series("gmv")
            guard let m0 = members.first, let m1 = members.last, let r0 = retention.first, let r1 = retention.last,
                  let g1 = gmv.last, gmv.count >= 5 else { throw LessonDataError("too few quarters") }
            let g0 = gmv[gmv.count - 5]
            let grew = m1.value > m0.value && r1.value > r0.value
            return "Active members went from \(Say.count(m0.value)) (\(m0.label)) to \(Say.count(m1.value)) "
                + "(\(m1.label)) and retention from \(Say.percent(r0.value)) (\(r0.label)) to \(Say.percent(r1.value)). "
                + "GMV in \(g1.label) was \(Say.change(g1.value / g0.value - 1)) on \(g0.label)"
                + (grew && g1.value > g0.value ? ": the growing, returning base carried it. " : ". ")
                + "A quarter of high GMV with falling retention would be a warning, not a success."
        },
        question: { shown in
            let members = try shown.table(0).series("active_members")
            guard members.count >= 5, let last = members.last else { throw LessonDataError("too few quarters") }
            let yearBefore = members[members.count - 5]
            let growth = (last.value / yearBefore.value - 1) * 100
            return Question(
                prompt: "By how many percent did active members grow from \(yearBefore.label) to \(last.label)? (a whole number)",
                expected: .number(growth, tolerance: 1.5, unit: 0.01), answerText: Say.fixed(growth, 0) + "%",
                hint: "(\(last.label) − \(yearBefore.label)) ÷ \(yearBefore.label) × 100.",
                explanation: "\(Say.count(yearBefore.value)) → \(Say.count(last.value)): \(Say.fixed(growth, 1))%. "
                    + "That is the customer base, the asset GMV is drawn from.")
        },
        tryNext: "kpi active_members, retention_rate by month chart")

    static let cohorts = Lesson(
        title: "Cohorts and the retention curve, quarter by quarter",
        text: """
            Group customers by the quarter of their first order and follow each group: the share that buys again \
            1, 2, 3 … quarters later. Read across a row for one cohort's curve; read down a column to see whether \
            newer cohorts keep customers better than older ones. The average row is the shop's retention curve.
            """,
        statements: ["cohort retention by quarter periods 5"],
        interpret: { shown in
            let t = try shown.table(0)
            let q1 = try t.number("average", "Q1"), q4 = try t.number("average", "Q4")
            return "On average \(Say.percent(q1)) of a cohort buys in the quarter after its first order and "
                + "\(Say.percent(q4)) four quarters later"
                + (q1 < 0.5 && q4 <= q1 ? ": most customers are lost right after the first order, which is why the first "
                    + "90 days (F2) matter most; the ones who stay are the loyal base." : ".")
        },
        question: { shown in
            let q1 = try shown.table(0).number("average", "Q1") * 100
            return Question(
                prompt: "What percent of an average cohort buys again in the quarter after its first (the average row, Q1)? (one decimal)",
                expected: .number(q1, tolerance: 0.15, unit: 0.01), answerText: Say.fixed(q1, 1) + "%",
                hint: "Look at the last row, average, in the column Q1.",
                explanation: "\(Say.fixed(q1, 1))%: the other \(Say.fixed(100 - q1, 1))% of new customers do not buy in the next quarter.")
        },
        tryNext: "cohort retention by first_channel periods 6")

    static let nps = Lesson(
        title: "NPS: the margin of error, and what promoters do",
        text: """
            NPS = % promoters (9–10) − % detractors (0–6), from −100 to +100. A survey is a sample, so every NPS \
            has a margin of error; two groups differ only when their intervals do not overlap much (nps compare \
            tests it). NPS matters because it goes with behaviour: here promoters and detractors are segments of \
            customers by their latest score, and we compare what they did.
            """,
        statements: ["nps by first_channel", "segment promoters = nps >= 9", "segment detractors = nps <= 6",
                     "kpi customers, repeat_rate, margin for promoters, detractors"],
        interpret: { shown in
            let n = try shown.table(0), k = try shown.table(1)
            let own = try n.number("own", "nps"), ownMargin = try n.number("own", "margin95")
            let rak = try n.number("rakuten", "nps"), rakMargin = try n.number("rakuten", "margin95")
            let apart = own - ownMargin > rak + rakMargin
            let perP = try k.number("promoters", "margin") / k.number("promoters", "customers")
            let perD = try k.number("detractors", "margin") / k.number("detractors", "customers")
            return "Own-site customers score \(Say.fixed(own, 1)) ± \(Say.fixed(ownMargin, 1)), rakuten's "
                + "\(Say.fixed(rak, 1)) ± \(Say.fixed(rakMargin, 1)): "
                + (apart ? "the intervals do not overlap, so the gap is real. " : "the intervals overlap; test before concluding. ")
                + "Promoters repeat at \(Say.percent(try k.number("promoters", "repeat_rate"))) against "
                + "\(Say.percent(try k.number("detractors", "repeat_rate"))) for detractors, and have brought "
                + "\(Say.yen(perP)) of margin each against \(Say.yen(perD))"
                + (try k.number("promoters", "repeat_rate") > k.number("detractors", "repeat_rate") && perP > perD
                    ? ": satisfaction shows up in behaviour." : ".")
        },
        question: { shown in
            let k = try shown.table(1)
            // The difference of the rates as the table shows them (one decimal), which is what a reader subtracts.
            let gap = try Say.shownPercent(k.number("promoters", "repeat_rate")) - Say.shownPercent(k.number("detractors", "repeat_rate"))
            return Question(
                prompt: "How many percentage points higher is the promoters' repeat rate than the detractors'? (one decimal)",
                expected: .number(gap, tolerance: 0.15, unit: 0.01), answerText: Say.fixed(gap, 1),
                hint: "Subtract the detractors' repeat_rate from the promoters'.",
                explanation: "\(Say.fixed(gap, 1)) points. NPS is worth tracking because it moves with the repeat "
                    + "purchases that make LTV.")
        },
        tryNext: "nps compare by first_channel")

    static let acquisitionQuality = Lesson(
        title: "Acquisition quality: which customers you buy",
        text: """
            Retention tactics cannot fix customers who were never going to stay. Compare customers by how they were \
            acquired: the cumulative margin per customer, month by month after the first order, for each ad \
            campaign. A campaign with a cheap CAC can still be the worst buy if its customers never come back.
            """,
        statements: ["cohort margin cumulative by acquisition_campaign periods 13",
                     "sql SELECT campaign, sum(spend) AS spend, min(date) AS first_day FROM spend GROUP BY campaign ORDER BY campaign"],
        interpret: { shown in
            let cohorts = try shown.table(0), spend = try shown.table(1)
            let m12 = try cohorts.series("M12").sorted { $0.value > $1.value }
            guard let best = m12.first, let worst = m12.last else { throw LessonDataError("no M12 column") }
            // CAC per campaign: its spend / the customers it acquired (the cohort's size), from the two tables shown.
            let cac = try spend.series("spend").compactMap { s -> (label: String, value: Double)? in
                guard let size = try? cohorts.number(s.label, "size"), size > 0 else { return nil }
                return (s.label, s.value / size)
            }
            guard let worstCAC = cac.first(where: { $0.label == worst.label }) else {
                throw LessonDataError("no spend for \(worst.label)")
            }
            let cheapest = cac.min { $0.value < $1.value }?.label == worst.label
            let since = (try? spend.text(worst.label, "first_day")).map { " (spend from \($0))" } ?? ""
            return "After 12 months, \(best.label) customers have brought \(Say.yen(best.value)) of margin each; "
                + "\(worst.label) customers \(Say.yen(worst.value)). The \(worst.label) campaign\(since) bought customers "
                + "for \(Say.yen(worstCAC.value)) each (its spend ÷ its cohort's size)"
                + (cheapest ? ", the cheapest of any campaign," : ",")
                + (worst.value < 0 ? " but a year later their cumulative margin is still below zero: their orders have cost "
                    + "the shop more than they brought in, before any ad spend." : " and bring the least margin a year later.")
        },
        question: { shown in
            let negative = try shown.table(0).series("M12").filter { $0.value < 0 }.map(\.label)
            guard let only = negative.first, negative.count == 1 else { throw LessonDataError("expected one negative campaign") }
            return Question(
                prompt: "Which campaign's customers still have a negative cumulative margin after 12 months (column M12)?",
                expected: .choice(accepted: [only, only.replacingOccurrences(of: "_", with: " ")]), answerText: only,
                hint: "Look down the M12 column for a value below zero.",
                explanation: "\(only): cheap to acquire, but a cohort that does not come back is worth less than it cost.")
        },
        tryNext: "cohort retention by acquisition_campaign periods 7")

    static let predictedCLV = Lesson(
        title: "Predicted CLV and P(alive): a model, with assumptions",
        text: """
            Historical LTV (the lessons before) is observed margin. Predicted CLV is a forecast: BG/NBD models how \
            often each customer buys and when they silently drop out, Gamma-Gamma how much they spend, and CLV is \
            the expected margin over the next 12 months. Customer equity, the sum over customers, is the value of \
            the base the shop has built. Read P(alive) with care: the model assumes a customer can only drop out \
            after a repeat purchase, so a one-time buyer always gets P(alive) = 100%.
            """,
        statements: ["predict ltv horizon 12 months"],
        interpret: { shown in
            let t = try shown.table(shown.tables.count - 1)
            let alive = try t.number("total", "p_alive"), clv = try t.number("total", "clv_per_customer")
            let equity = try t.number("total", "customer_equity")
            var text = "Average P(alive) is \(Say.percent(alive)): one-time buyers count as alive by assumption, so the "
                + "average says more about the model than about loyalty. Predicted CLV is "
                + "\(Say.yen(clv)) per customer for the next 12 months, customer equity \(Say.yen(equity)) (the \(t.columns[0]) table). "
            // The by-channel table's total differs (¥3,931,087 against ¥3,844,088 by cohort): each group's expected
            // spend is priced at that group's own margin, so the total depends on the grouping. Say so, with both
            // figures, rather than leave two "customer equity" totals unexplained.
            if let other = shown.every.dropLast().last(where: { $0.columns.contains("customer_equity") && $0.columns.contains("margin") }),
               let otherEquity = try? other.number("total", "customer_equity"), Say.yen(otherEquity) != Say.yen(equity),
               let margins = try? other.series("margin"), let high = margins.max(by: { $0.value < $1.value }),
               let low = margins.min(by: { $0.value < $1.value }) {
                text += "The \(other.columns[0]) table totals \(Say.yen(otherEquity)): the same purchases and spend, but each "
                    + "group's spend is multiplied by that group's own margin (\(high.label) \(Say.percent(high.value)), "
                    + "\(low.label) \(Say.percent(low.value))), so the total depends on how the customers are grouped; "
                    + "quote one table's total and say which. "
            }
            return text + "This is future margin of customers already acquired, a different number from historical "
                + "LTV(12), which is past margin of customers in their first year."
        },
        question: { _ in
            Question(
                prompt: "A customer bought once, 20 months ago, and never again. The model gives them P(alive) = 100%. "
                    + "Are they likely to buy again: yes or no?",
                expected: .choice(accepted: ["no", "n"]), answerText: "no",
                hint: "P(alive) = 100% for one-time buyers is an assumption of the model, not evidence.",
                explanation: "No: BG/NBD never lets a customer drop out before their first repeat purchase, so a "
                    + "one-time buyer's P(alive) is 1 whatever their age. Use their expected purchases (low for an "
                    + "old one-time buyer) and the cohort retention curve instead.")
        },
        tryNext: "predict alive top 10")
}
