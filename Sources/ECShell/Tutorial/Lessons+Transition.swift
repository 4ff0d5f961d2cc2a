import ECStore

/// The last lesson: seed 000's FAQ, how to move from the malls to the own site gradually.
extension Lessons {
    static let transition = Lesson(
        title: "The gradual mall-to-own transition and its payback",
        text: """
            Leaving the malls at once would throw away most of today's GMV. The framework's answer is to move step \
            by step: each quarter a further share of the mall sales is won over to the own site, paying ads to \
            reach those buyers there, and saving the mall's commission and points. The question is whether the \
            margin gained covers the ads, and from which quarter. simulate transition projects it from the shop's \
            own numbers (the first table lists every assumption and its source).
            """,
        statements: ["simulate transition from rakuten, yahoo to own by 10% per quarter for 8 quarters"],
        interpret: { shown in
            let t = try shown.table(0)
            let cumulative = try t.series("cumulative_cash_flow")
            // The sum of the ad_spend column as printed (8 × ¥89,752 = ¥718,016, where the unrounded quarters add to
            // ¥718,013): the learner adds what the table shows, as the cumulative cash flow column does.
            let adSpend = try t.series("ad_spend").reduce(0) { $0 + $1.value.rounded() }
            guard let last = cumulative.last else { throw LessonDataError("no quarters in the transition") }
            let payback = paybackQuarter(cumulative)
            let lastChange = try t.number(last.label, "margin_change")
            let lastShare = try t.number(last.label, "share_moved")
            var text = payback.map { "The transition pays back in \($0): from then on the cumulative cash flow stays at or above zero. " }
                ?? "The transition has not paid back by \(last.label): the cumulative cash flow is still below zero. "
            text += "By \(last.label), with \(Say.percent(lastShare, places: 0)) of the mall sales moved, margin is "
                + "\(Say.yen(abs(lastChange))) a quarter \(lastChange >= 0 ? "above" : "below") today's, and the cumulative cash flow is \(Say.yen(last.value)) "
                + "after \(Say.yen(adSpend)) of ads in all. "
            text += "Read it with the assumptions: moved customers are assumed to come back like the own site's "
                + "customers, not like the malls' (migrated GMV = moved GMV × own retention ÷ mall retention), so the "
                + "gain shrinks if they keep their mall habits: rerun it with assume own_retention set lower before deciding. "
                // Lesson 8's unit economics quotes the own site's CAC over all the data (¥735 on the sample shop); the
                // simulation measures the last four quarters (¥712): say why the two differ.
                + "The assumptions are measured over the last four quarters, so own_cac is that year's CAC, not the "
                + "all-data CAC that unit economics shows (set maxwidth 0 shows each source in full)."
            return text
        },
        question: { shown in
            let cumulative = try shown.table(0).series("cumulative_cash_flow")
            guard let last = cumulative.last else { throw LessonDataError("no quarters in the transition") }
            let millions = last.value / 1_000_000
            return Question(
                prompt: "What is the cumulative cash flow after the last quarter (\(last.label)), in millions of yen? (one decimal)",
                expected: .number(millions, tolerance: 0.051, unit: 1_000_000), answerText: Say.fixed(millions, 1),
                hint: "Read the last row of cumulative_cash_flow (it is the sum of the cash_flow column) and divide by 1,000,000.",
                explanation: "\(Say.yen(last.value)), about \(Say.fixed(millions, 1)) million: the margin gained each quarter "
                    + "less the ads paid to move the customers, added up. A mall-to-own shift is judged on this "
                    + "cumulative cash flow and its payback quarter, not on the GMV of the first quarter.")
        },
        tryNext: "assume own_retention 18%, then simulate transition to own")

    /// The first quarter from which the cumulative cash flow stays at or above zero (nil: not within the horizon).
    static func paybackQuarter(_ cumulative: [(label: String, value: Double)]) -> String? {
        guard let lastNegative = cumulative.lastIndex(where: { $0.value < 0 }) else { return cumulative.first?.label }
        let next = lastNegative + 1
        return next < cumulative.count ? cumulative[next].label : nil
    }
}
