import Foundation
import Synchronization

/// One fit per group (`predict ltv … separate`), run in parallel, and the
/// likelihood-ratio test of whether the groups need their own parameters.
public enum SeparateFits {
    /// A group's own purchase and spend fits, or why it could not be fitted.
    public struct GroupFit: Sendable {
        public var label: String
        public var customers: [CustomerSummary]
        public var transactions: (any PurchaseModelFit)?
        public var spend: GammaGammaFit?
        public var failure: String?
    }

    /// Groups with fewer customers than this get a warning: their estimates are noisy.
    public static let smallGroupCustomers = 200
    /// Groups with fewer repeat customers than this get a warning (and below 10 no fit).
    public static let smallGroupRepeaters = 30

    /// Fits `kind` and Gamma-Gamma on each group, groups spread over the cores.
    ///
    /// Each group is independent, so `concurrentPerform` runs them side by
    /// side; results land in a Mutex-guarded array by index (Swift 6 strict
    /// concurrency: no shared mutable state outside the lock).
    public static func fit(groups: [(label: String, customers: [CustomerSummary])], kind: PurchaseModelKind) -> [GroupFit] {
        let results = Mutex<[GroupFit?]>(Array(repeating: nil, count: groups.count))
        DispatchQueue.concurrentPerform(iterations: groups.count) { i in
            let (label, customers) = groups[i]
            var fit = GroupFit(label: label, customers: customers)
            do {
                fit.transactions = try kind.fit(CompressedRow.compress(customers))
                fit.spend = try GammaGammaModel.fit(customers)
            } catch {
                fit.failure = "\(error)"
            }
            results.withLock { $0[i] = fit }
        }
        return results.withLock { $0.compactMap { $0 } }
    }

    /// Warnings for groups too small to fit reliably.
    public static func smallGroupWarnings(_ groups: [(label: String, customers: [CustomerSummary])]) -> [String] {
        groups.compactMap { g in
            let repeaters = g.customers.filter { $0.x > 0 }.count
            guard g.customers.count < smallGroupCustomers || repeaters < smallGroupRepeaters else { return nil }
            return "warning: group \(CLVGroupSummary.shown(g.label)) has only \(g.customers.count) customers (\(repeaters) with a repeat purchase); estimates for it are unreliable (want ≥ \(smallGroupCustomers) customers and ≥ \(smallGroupRepeaters) repeaters)"
        }
    }
}

/// Likelihood-ratio test of separate fits against one pooled fit on the same customers.
public struct LikelihoodRatioTest: Sendable, Equatable {
    /// 2 (Σ LL_group − LL_pooled).
    public var statistic: Double
    /// Extra parameters: k (groups − 1).
    public var degreesOfFreedom: Int
    /// P(χ²(df) ≥ statistic).
    public var pValue: Double

    public init(pooledLogLikelihood: Double, groupLogLikelihoods: [Double], parametersPerModel: Int) {
        statistic = max(0, 2 * (groupLogLikelihoods.reduce(0, +) - pooledLogLikelihood))
        degreesOfFreedom = parametersPerModel * max(groupLogLikelihoods.count - 1, 0)
        pValue = degreesOfFreedom > 0 ? SpecialFunctions.chiSquareSurvival(statistic, degreesOfFreedom: Double(degreesOfFreedom)) : 1
    }

    /// One sentence an analyst can act on.
    public var reading: String {
        let p = pValue < 0.0001 ? "p < 0.0001" : String(format: "p = %.4f", pValue)
        let verdict = pValue < 0.05
            ? "the groups differ: separate fits are warranted"
            : "no evidence the groups differ: the pooled fit is enough"
        return String(format: "likelihood-ratio test, separate vs pooled: χ² = %.2f on %d df, ", statistic, degreesOfFreedom) + p + "; " + verdict
    }
}
