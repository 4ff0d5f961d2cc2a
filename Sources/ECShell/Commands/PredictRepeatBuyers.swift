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

    static func fewRepeatBuyersHelp(_ scope: FitScope) -> String {
        let needed = "a repeat purchase is an order on a later day than the customer's first (same-day orders are one purchase)"
        var ways: [String] = []
        if !scope.segments.isEmpty {
            let named = scope.segments.map(\.name).joined(separator: ", ")
            ways.append("the model is fitted on \(named)'s customers only: leave out 'for \(named)' or name a wider segment")
        }
        if let days = scope.holdoutDays, days > 28 {
            ways.append("hold out less (holdout 4 weeks), so the calibration period runs from \(DayNumber.isoDate(scope.firstPurchase)) to "
                        + "\(DayNumber.isoDate(scope.lastPurchase - 28)) instead of to \(DayNumber.isoDate(scope.end))")
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
