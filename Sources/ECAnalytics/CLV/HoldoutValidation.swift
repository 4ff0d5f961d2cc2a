/// Checks BG/NBD predictions against what customers actually did in a holdout period.
///
/// Customers are grouped by calibration frequency x (0, 1, ..., 7+ as in
/// Fader, Hardie & Lee 2005, fig. 4); each group compares mean predicted and
/// mean actual holdout purchases.
public struct HoldoutValidation: Sendable {
    /// One frequency group.
    public struct Group: Sendable, Equatable {
        /// "0", "1", ..., "7+".
        public var label: String
        public var customers: Int
        public var actualPurchases: Double
        public var predictedPurchases: Double
        public var actualMean: Double { customers > 0 ? actualPurchases / Double(customers) : 0 }
        public var predictedMean: Double { customers > 0 ? predictedPurchases / Double(customers) : 0 }
    }

    public var fit: any PurchaseModelFit
    /// Holdout length in the fit's time unit.
    public var holdoutLength: Double
    public var groups: [Group]
    public var customers: Int
    public var actualPurchases: Double
    public var predictedPurchases: Double
    /// Mean absolute error per customer, |predicted − actual| averaged.
    public var meanAbsoluteError: Double
    /// (predicted − actual) / actual over all customers.
    public var totalRelativeError: Double

    /// The highest group is "this or more" purchases.
    public static let topGroup = 7

    /// Fits BG/NBD on the calibration histories and validates on their holdout purchases.
    public static func run(customers: [CustomerSummary], holdoutLength: Double) throws -> HoldoutValidation {
        let fit = try BGNBDModel.fit(customers: customers)
        return try run(fit: fit, customers: customers, holdoutLength: holdoutLength)
    }

    /// Validates a given fit on the customers' holdout purchases.
    public static func run(fit: any PurchaseModelFit, customers: [CustomerSummary], holdoutLength: Double) throws -> HoldoutValidation {
        try run(fit: fit, count: customers.count, holdoutLength: holdoutLength) { i in
            let c = customers[i]
            guard let actual = c.holdoutPurchases else {
                throw CLVError.invalidInput("customer \(c.customerID) has no holdout count; extract with a holdout end")
            }
            return (c.x, c.tx, c.T, actual)
        }
    }

    /// The same from histories as columns (`predict validate` at millions of customers: no struct each).
    public static func run(fit: any PurchaseModelFit, columns: CustomerColumns, holdoutLength: Double) throws -> HoldoutValidation {
        guard columns.hasHoldout else { throw CLVError.invalidInput("the histories have no holdout counts; extract with a holdout end") }
        return try run(fit: fit, count: columns.count, holdoutLength: holdoutLength) { i in
            (Int(columns.x[i]), columns.tx(i), columns.T(i), Int(columns.holdoutPurchases[i]))
        }
    }

    /// Customer i's (x, t_x, T, actual holdout purchases) by `customer`.
    private static func run(fit: any PurchaseModelFit, count: Int, holdoutLength: Double,
                            customer: (Int) throws -> (x: Int, tx: Double, T: Double, actual: Int)) throws -> HoldoutValidation {
        guard holdoutLength > 0 else { throw CLVError.invalidInput("the holdout period must be longer than 0") }
        guard count > 0 else { throw CLVError.noCustomers }
        var groups = (0...topGroup).map { Group(label: $0 == topGroup ? "\($0)+" : "\($0)", customers: 0, actualPurchases: 0, predictedPurchases: 0) }
        var absoluteError = 0.0
        for i in 0..<count {
            let c = try customer(i)
            let predicted = fit.expectedPurchases(t: holdoutLength, x: c.x, tx: c.tx, T: c.T)
            let g = min(c.x, topGroup)
            groups[g].customers += 1
            groups[g].actualPurchases += Double(c.actual)
            groups[g].predictedPurchases += predicted
            absoluteError += abs(predicted - Double(c.actual))
        }
        let actual = groups.reduce(0) { $0 + $1.actualPurchases }
        let predicted = groups.reduce(0) { $0 + $1.predictedPurchases }
        return HoldoutValidation(fit: fit, holdoutLength: holdoutLength, groups: groups, customers: count,
                                 actualPurchases: actual, predictedPurchases: predicted,
                                 meanAbsoluteError: absoluteError / Double(count),
                                 totalRelativeError: actual > 0 ? (predicted - actual) / actual : .nan)
    }
}
