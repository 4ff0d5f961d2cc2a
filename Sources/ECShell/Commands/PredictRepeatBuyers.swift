import ECStore
import ECLanguage
import ECAnalytics

/// When too few customers bought again for a purchase model to be fitted: what this statement can change.
extension Session {
    /// What narrowed the fitted histories, so the help can say which clause to change.
    struct FitScope {
        var segments: [Identifier] = []
        /// The calibration end and the last purchase day: an end before it left purchases out.
        var end: Int
        var lastPurchase: Int
        var firstPurchase: Int
        /// `predict validate`'s holdout in days (its calibration ends that long before the last purchase).
        var holdoutDays: Int?
        /// `predict validate`'s way to a holdout that fits: the longest that leaves enough repeat buyers, or that none does.
        var holdoutHelp: String?
    }

    /// The longest holdout in whole weeks whose calibration period holds the repeat buyers a fit needs (counted from each
    /// customer's second purchase day), or that no holdout of a week or more does; `first`…`last` are the purchase days.
    func longestHoldoutHelp(first: Int, last: Int) throws -> String {
        let needed = 10
        let ready = try CLVData.dayOfRepeatBuyer(needed, db: database, countedOrders: try metricSettings().countedCondition())
        guard let ready, (last - ready) / 7 >= 1 else {
            let why = ready.map { "the \(needed)th customer to buy again did so on \(DayNumber.isoDate($0)), less than a week before the last purchase; "
                + "predict ltv and predict alive fit on all the purchases, or load a longer order history" }
            return "no holdout of a week or more leaves \(needed) repeat buyers in the calibration period: "
                + (why ?? "fewer than \(needed) customers ever made a repeat purchase; load a longer order history")
        }
        let weeks = (last - ready) / 7
        return "hold out at most \(grouped(weeks)) week\(weeks == 1 ? "" : "s") (holdout \(weeks) weeks): the calibration period then runs from "
            + "\(DayNumber.isoDate(first)) to \(DayNumber.isoDate(last - 7 * weeks)), by when \(needed) customers had bought again (a shorter holdout leaves the fit more)"
    }

    /// Runs `body`, turning "only N customers made a repeat purchase" into an error whose help names the
    /// clause that narrowed the histories (a segment, an early as_of, a long holdout) or, when none did,
    /// says the orders themselves hold too few repeat buyers; and "no customers" of an empty segment into
    /// an error at the segment's name.
    func explainingFewRepeatBuyers<T>(_ scope: () throws -> FitScope, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as CLVError {
            switch error {
            case .tooFewRepeatCustomers: throw ShellError(error.description, help: Self.fewRepeatBuyersHelp(try scope()))
            case .degenerateParameters(let model, _), .notConverged(let model, _):
                // These had no way out: on a small shop (or a short calibration period) the fit runs off.
                throw ShellError(error.description, help: Self.degenerateFitHelp(model: model, try scope()))
            case .noCustomers:
                let scope = try scope()
                guard !scope.segments.isEmpty else { throw error }
                let named = scope.segments.map(\.name).joined(separator: ", ")
                throw ShellError("no customer of \(named) made a purchase up to the calibration end, \(DayNumber.isoDate(scope.end))",
                                 at: scope.segments.first.map { $0.range.union(scope.segments.last?.range ?? $0.range) },
                                 help: "'segments' lists the segments and how many customers each holds; name another, or leave out 'for \(named)'")
            default: throw error
            }
        }
    }

    /// What gives a fit that ran off (or did not converge) more to go on: the clause that narrowed the histories, else more history.
    static func degenerateFitHelp(model: String, _ scope: FitScope) -> String {
        var ways: [String] = []
        if !scope.segments.isEmpty {
            ways.append("fit on more customers: leave out 'for \(scope.segments.map(\.name).joined(separator: ", "))'")
        }
        if scope.holdoutDays != nil {
            ways.append("hold out less (the default holdout is the last quarter), so the calibration period holds more repeat purchases")
        } else if scope.end < scope.lastPurchase {
            ways.append("end the calibration later: as_of \(DayNumber.isoDate(scope.lastPurchase)) (the last purchase) or no as_of")
        }
        // The other purchase models, not the one that ran off (`model` is its title, as the error names it).
        let others = PurchaseModelKind.allCases.filter { $0.title != model }.map { "model \($0.rawValue)" }
        ways.append(model == "Gamma-Gamma"
            ? "load a longer order history (the spend model needs repeat customers whose order values vary); kpi aov gives the historical mean spend per order"
            : "try another purchase model (\(others.joined(separator: " or "))), or load a longer order history")
        return ways.joined(separator: "; or ")
    }

    static func fewRepeatBuyersHelp(_ scope: FitScope) -> String {
        let needed = "a repeat purchase is an order on a later day than the customer's first (same-day orders are one purchase)"
        var ways: [String] = []
        if !scope.segments.isEmpty {
            let named = scope.segments.map(\.name).joined(separator: ", ")
            ways.append("the model is fitted on \(named)'s customers only: leave out 'for \(named)' or name a wider segment")
        }
        if let help = scope.holdoutHelp {
            // A shorter holdout is the way out only when one leaves enough repeat buyers ("holdout 4 weeks" was offered
            // whether it did or not); the help computes it, or says none does.
            ways.append(help)
        } else if scope.holdoutDays == nil, scope.end < scope.lastPurchase {
            ways.append("end the calibration later: as_of \(DayNumber.isoDate(scope.lastPurchase)) (the last purchase) or no as_of")
        }
        if ways.isEmpty {
            ways.append("load a longer order history: the counted purchases run from \(DayNumber.isoDate(scope.firstPurchase)) to "
                        + "\(DayNumber.isoDate(scope.lastPurchase)); show settings tells which statuses count")
        }
        return ways.joined(separator: "; or ") + " (\(needed))"
    }
}
