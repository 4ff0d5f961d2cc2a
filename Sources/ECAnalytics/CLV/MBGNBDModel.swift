import Foundation

/// Fitted MBG/NBD parameters (Batislam, Denizel & Filiztekin 2007) and their predictions.
///
/// MBG/NBD is BG/NBD with one more dropout chance, right after the first
/// purchase. Every formula is BG/NBD's with b + x replaced by b + x + 1 in the
/// Beta terms and the P(alive) denominator applied for x = 0 too; the forms
/// match lifetimes' ModifiedBetaGeoFitter.
public struct MBGNBDFit: PurchaseModelFit, Equatable {
    public var r: Double
    public var alpha: Double
    public var a: Double
    public var b: Double
    public var statistics: FitStatistics

    public init(r: Double, alpha: Double, a: Double, b: Double, statistics: FitStatistics = FitStatistics()) {
        (self.r, self.alpha, self.a, self.b) = (r, alpha, a, b)
        self.statistics = statistics
    }

    public var kind: PurchaseModelKind { .mbgnbd }
    public var parameters: [Double] { [r, alpha, a, b] }

    /// 1 / (1 + a/(b+x) · ((α+T)/(α+t_x))^(r+x)), for every x including 0.
    public func probabilityAlive(x: Int, tx: Double, T: Double) -> Double {
        let rx = r + Double(x)
        return 1 / (1 + a / (b + Double(x)) * exp(rx * (log(alpha + T) - log(alpha + tx))))
    }

    public func expectedPurchases(t: Double, x: Int, tx: Double, T: Double) -> Double {
        guard t > 0 else { return 0 }
        // The closed form divides by a − 1 (a removable singularity); c = a + b + x > 0 always.
        return BGNBDFit.avoidingSingularity(a, singular: { abs($0 - 1) < 1e-6 }) { a in
            let xd = Double(x)
            return ifAlive(a: a, t: t, x: x, T: T) / (1 + a / (b + xd) * exp((r + xd) * (log(alpha + T) - log(alpha + tx))))
        }
    }

    /// The numerator: expected purchases given alive at T (the denominator is 1 / P(alive)).
    public func expectedPurchasesIfAlive(t: Double, x: Int, T: Double) -> Double {
        guard t > 0 else { return 0 }
        return BGNBDFit.avoidingSingularity(a, singular: { abs($0 - 1) < 1e-6 }) { ifAlive(a: $0, t: t, x: x, T: T) }
    }

    private func ifAlive(a: Double, t: Double, x: Int, T: Double) -> Double {
        let xd = Double(x)
        let rx = r + xd
        let f = SpecialFunctions.hypergeometric2F1(rx, b + xd + 1, a + b + xd, t / (alpha + T + t))
        return (a + b + xd) / (a - 1) * (1 - exp(rx * log((alpha + T) / (alpha + T + t))) * f)
    }

    /// A new customer is one with x = 0 observed at T = 0: b/(a−1) · (1 − (α/(α+t))^r ₂F₁(r, b+1; a+b; t/(α+t))).
    public func expectedPurchases(t: Double) -> Double {
        expectedPurchases(t: t, x: 0, tx: 0, T: 0)
    }
}

/// Fits MBG/NBD by maximum likelihood (the BG/NBD search with the MBG/NBD likelihood).
public enum MBGNBDModel {
    public static func fit(_ rows: [CompressedRow], minimumRepeatCustomers: Double = 10) throws -> MBGNBDFit {
        let e = try BGNBDModel.estimate(rows, dropoutAtFirstPurchase: true, minimumRepeatCustomers: minimumRepeatCustomers)
        return MBGNBDFit(r: e.parameters[0], alpha: e.parameters[1], a: e.parameters[2], b: e.parameters[3], statistics: e.statistics)
    }

    /// The MBG/NBD log-likelihood of (r, α, a, b) on rows, and its gradient.
    public static func logLikelihood(_ rows: [CompressedRow], r: Double, alpha: Double, a: Double, b: Double) -> (value: Double, gradient: [Double]) {
        BGNBDLikelihood(rows: rows, dropoutAtFirstPurchase: true).evaluate([r, alpha, a, b])
    }
}
