import Foundation
import ECStore

/// A gradual move of marketplace sales to the own site, quarter by quarter, tied to cash flow.
///
/// Every input is a per-quarter figure with its source (measured in the
/// workspace or set by the user). Each quarter a growing share s_q = min(1, step·q)
/// of the malls' GMV moves:
///
///     moved_q     = s_q · mall GMV
///     migrated_q  = moved_q · own_retention / mall_retention   (migrated customers keep buying like own customers)
///     GMV_q       = mall GMV − moved_q + own GMV + migrated_q
///     revenue_q   = mall revenue · (1 − s_q) + own revenue + migrated_q · own revenue/GMV
///     mall fees avoided = moved_q · mall fee rate      (commission, discounts and points per GMV no longer paid)
///     own fees added    = migrated_q · own fee rate    (the own site's discounts, points and card fees on the moved sales)
///
/// The two fee lines are shown apart: their difference (once one "fees saved"
/// column) is often negative, because the own site's points and coupons on a
/// grown GMV can cost more than the commission saved, and a learner reading one
/// negative "saved" number cannot tell why.
///     margin_q    = mall CM2 · (1 − s_q) + own CM2 + migrated_q · own CM2/GMV
///     ad spend_q  = (s_q − s_(q−1)) · mall customers per quarter · own CAC   (re-acquiring the moved customers)
///     cash flow_q = (margin_q − baseline margin) − ad spend_q
///
/// The transition pays back in the first quarter from which cumulative cash flow stays ≥ 0.
public struct TransitionSimulation: Sendable {
    /// A number and where it came from.
    public struct Assumption: Sendable, Equatable {
        public var name: String
        public var value: Double
        public var source: String
        public init(name: String, value: Double, source: String) { self.name = name; self.value = value; self.source = source }
    }

    /// Per-quarter inputs.
    public struct Inputs: Sendable, Equatable {
        public var mallGMV: Double
        public var mallRevenue: Double
        public var mallMargin: Double
        /// Commission + discounts + points on mall orders, per quarter.
        public var mallFees: Double
        public var mallCustomers: Double
        public var ownGMV: Double
        public var ownRevenue: Double
        public var ownMargin: Double
        public var ownFees: Double
        /// Share of a quarter's buyers who buy again the next quarter.
        public var ownRetention: Double
        public var mallRetention: Double
        /// Ad spend per new own-site customer.
        public var ownCAC: Double
        /// Share of mall GMV moved per quarter (0.1 = 10%).
        public var step: Double
        public var quarters: Int

        public init(mallGMV: Double, mallRevenue: Double, mallMargin: Double, mallFees: Double, mallCustomers: Double,
                    ownGMV: Double, ownRevenue: Double, ownMargin: Double, ownFees: Double,
                    ownRetention: Double, mallRetention: Double, ownCAC: Double, step: Double, quarters: Int) {
            (self.mallGMV, self.mallRevenue, self.mallMargin, self.mallFees, self.mallCustomers) = (mallGMV, mallRevenue, mallMargin, mallFees, mallCustomers)
            (self.ownGMV, self.ownRevenue, self.ownMargin, self.ownFees) = (ownGMV, ownRevenue, ownMargin, ownFees)
            (self.ownRetention, self.mallRetention, self.ownCAC, self.step, self.quarters) = (ownRetention, mallRetention, ownCAC, step, quarters)
        }
    }

    /// One projected quarter.
    public struct Quarter: Sendable, Equatable {
        public var index: Int
        public var shareMoved: Double
        public var gmv: Double
        public var revenue: Double
        /// Mall commission, discounts and points no longer paid on the moved GMV.
        public var mallFeesAvoided: Double
        /// The own site's commission, discounts and points on the migrated GMV.
        public var ownFeesAdded: Double
        public var margin: Double
        public var marginChange: Double
        public var adSpend: Double
        public var cashFlow: Double
        public var cumulativeCashFlow: Double
    }

    public var inputs: Inputs
    public var quarters: [Quarter]
    /// The first quarter from which cumulative cash flow stays ≥ 0; nil when it ends below 0.
    public var paybackQuarter: Int?

    public static let maximumQuarters = 40

    public init(_ inputs: Inputs) throws {
        guard inputs.quarters >= 1 && inputs.quarters <= Self.maximumQuarters else {
            throw CLVError.invalidInput("the simulation runs 1 to \(Self.maximumQuarters) quarters (got \(inputs.quarters))")
        }
        guard inputs.step > 0 && inputs.step <= 1 else { throw CLVError.invalidInput("the quarterly step must be above 0% and at most 100%") }
        guard inputs.mallGMV > 0 else { throw CLVError.invalidInput("the malls chosen have no GMV in the measured period") }
        guard inputs.ownGMV > 0 else { throw CLVError.invalidInput("the own site has no GMV in the measured period: its rates cannot be measured") }
        guard inputs.mallRetention > 0 else { throw CLVError.invalidInput("mall retention is 0: set it with assume mall_retention R%") }
        self.inputs = inputs
        let i = inputs
        let retentionFactor = i.ownRetention / i.mallRetention
        let baseline = i.mallMargin + i.ownMargin
        var rows: [Quarter] = []
        var previousShare = 0.0, cumulative = 0.0
        for q in 1...i.quarters {
            // Rounded to 12 places: 30% × 3 is 90%, not 89.99999999999999% (CSV writes the share as it is).
            let share = min(1, (i.step * Double(q) * 1e12).rounded() / 1e12)
            let moved = share * i.mallGMV
            let migrated = moved * retentionFactor
            let margin = i.mallMargin * (1 - share) + i.ownMargin + migrated * i.ownMargin / i.ownGMV
            let adSpend = (share - previousShare) * i.mallCustomers * i.ownCAC
            let cashFlow = margin - baseline - adSpend
            cumulative += cashFlow
            rows.append(Quarter(index: q, shareMoved: share,
                                gmv: i.mallGMV - moved + i.ownGMV + migrated,
                                revenue: i.mallRevenue * (1 - share) + i.ownRevenue + migrated * i.ownRevenue / i.ownGMV,
                                mallFeesAvoided: moved * i.mallFees / i.mallGMV, ownFeesAdded: migrated * i.ownFees / i.ownGMV,
                                margin: margin, marginChange: margin - baseline, adSpend: adSpend,
                                cashFlow: cashFlow, cumulativeCashFlow: cumulative))
            previousShare = share
        }
        quarters = rows
        // Payback: the quarter after the last one that ends with a negative cumulative cash flow.
        let lastNegative = rows.lastIndex { $0.cumulativeCashFlow < 0 }
        switch lastNegative {
        case nil: paybackQuarter = 1
        case let k? where k == rows.count - 1: paybackQuarter = nil
        case let k?: paybackQuarter = rows[k + 1].index
        }
    }

    /// The projection: one row per quarter (Q+1 … Q+N), a series that exports as a chart.
    public func table(currency: String) -> ResultTable {
        let money = ColumnFormat.currency(code: currency)
        let rows: [[Value]] = quarters.map { q in
            [.text("Q+\(q.index)"), .real(q.shareMoved), .real(q.gmv), .real(q.revenue), .real(q.mallFeesAvoided), .real(q.ownFeesAdded),
             .real(q.margin),
             .real(q.marginChange), .real(q.adSpend), .real(q.cashFlow), .real(q.cumulativeCashFlow)]
        }
        let payback = paybackQuarter.map { "the transition pays back in Q+\($0) (cumulative cash flow ≥ 0 from then on)" }
            ?? "the transition does not pay back within \(quarters.count) quarters"
        return ResultTable(columns: ["quarter", "share_moved", "gmv", "revenue", "mall_fees_avoided", "own_fees_added", "margin", "margin_change",
                                     "ad_spend", "cash_flow", "cumulative_cash_flow"],
                           rows: rows,
                           formats: [.text, .percent(places: 0), money, money, money, money, money, money, money, money, money],
                           notes: [payback,
                                   "fees = commission + discounts + points: mall_fees_avoided on the moved GMV, own_fees_added on what the own site sells instead (their difference is the net fee change; margin already counts both)",
                                   "margin = contribution margin (CM2); cash flow = margin change − ad spend",
                                   "the chart below shows the cumulative cash flow; export to 'transition.html' (or .svg) charts every column; explain transition says how to read it"])
    }
}
