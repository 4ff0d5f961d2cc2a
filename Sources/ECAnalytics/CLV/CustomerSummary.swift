/// The time unit x, t_x and T are measured in.
public enum CLVTimeUnit: String, Sendable, CaseIterable {
    case days
    case weeks

    /// Days in one unit.
    public var days: Double { self == .weeks ? 7 : 1 }

    /// Units in one month: a month is 365.25 / 12 = 30.4375 days.
    public var perMonth: Double { 365.25 / 12 / days }
}

/// One customer's purchase history as the BG/NBD and Gamma-Gamma models see it.
///
/// Orders on the same calendar day merge into one purchase.
public struct CustomerSummary: Sendable, Equatable {
    /// The customer's id; empty when the histories were read from the order
    /// snapshot, which numbers customers instead (`CLVData.customerIDs` resolves them).
    public var customerID: String
    /// The customer's number in the customer facts (`customer_key`), −1 when not known.
    /// Groupings index by it: no text hashing per customer.
    public var key: Int32
    /// Repeat purchases in the calibration period (purchases − 1).
    public var x: Int
    /// Recency: time from the first to the last calibration purchase.
    public var tx: Double
    /// Age: time from the first purchase to the end of calibration.
    public var T: Double
    /// Mean value of the repeat purchases only; nil when x = 0.
    public var monetaryMean: Double?
    /// Purchases (merged days) in the holdout period, when one was asked for.
    public var holdoutPurchases: Int?
    /// Total value of the holdout purchases, when a holdout was asked for.
    public var holdoutValue: Double?
    /// The customer's own contribution margin (CM2) in the holdout, when a holdout was asked for.
    public var holdoutMargin: Double?

    public init(customerID: String, key: Int32 = -1, x: Int, tx: Double, T: Double, monetaryMean: Double? = nil,
                holdoutPurchases: Int? = nil, holdoutValue: Double? = nil, holdoutMargin: Double? = nil) {
        self.customerID = customerID
        self.key = key
        self.x = x
        self.tx = tx
        self.T = T
        self.monetaryMean = monetaryMean
        self.holdoutPurchases = holdoutPurchases
        self.holdoutValue = holdoutValue
        self.holdoutMargin = holdoutMargin
    }
}

/// A unique (x, t_x, T) with the number of customers who share it.
///
/// The BG/NBD likelihood depends on a customer only through (x, t_x, T), so
/// fitting on compressed rows gives the same estimates in a fraction of the time.
public struct CompressedRow: Sendable, Equatable {
    public var x: Int
    public var tx: Double
    public var T: Double
    public var weight: Double

    public init(x: Int, tx: Double, T: Double, weight: Double = 1) {
        self.x = x
        self.tx = tx
        self.T = T
        self.weight = weight
    }

    /// Groups customers into unique (x, t_x, T) rows, ordered by x, t_x, T.
    public static func compress(_ customers: [CustomerSummary]) -> [CompressedRow] {
        compress(customers.lazy.map { ($0.x, $0.tx, $0.T) })
    }

    /// Groups (x, t_x, T) triples into unique rows with weights.
    public static func compress<S: Sequence>(_ triples: S) -> [CompressedRow] where S.Element == (Int, Double, Double) {
        var index: [CompressionKey: Int] = [:]
        index.reserveCapacity(triples.underestimatedCount)
        var rows: [CompressedRow] = []
        for (x, tx, T) in triples {
            let key = CompressionKey(x: x, tx: tx.bitPattern, T: T.bitPattern)
            if let i = index[key] {
                rows[i].weight += 1
            } else {
                index[key] = rows.count
                rows.append(CompressedRow(x: x, tx: tx, T: T, weight: 1))
            }
        }
        rows.sort { ($0.x, $0.tx, $0.T) < ($1.x, $1.tx, $1.T) }
        return rows
    }
}

/// Exact identity of an (x, t_x, T) triple for grouping.
private struct CompressionKey: Hashable {
    var x: Int
    var tx: UInt64
    var T: UInt64
}
