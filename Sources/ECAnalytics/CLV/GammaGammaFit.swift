/// Fitted Gamma-Gamma spend parameters and the expected spend they imply.
public struct GammaGammaFit: Sendable, Equatable {
    public var p: Double
    public var q: Double
    public var gamma: Double
    public var logLikelihood: Double
    /// Repeat customers fitted.
    public var customers: Int
    /// Repeat customers left out because their mean spend was ≤ 0 or missing.
    public var excluded: Int
    /// Standard errors of (p, q, γ); nil where the Hessian is not positive definite.
    public var standardErrors: [Double?]
    public var iterations: Int
    /// Pearson correlation of x and m̄ over the customers fitted.
    public var frequencySpendCorrelation: Double
    public var warnings: [String]
    public var attempts: [String]

    public init(p: Double, q: Double, gamma: Double, logLikelihood: Double = .nan, customers: Int = 0,
                excluded: Int = 0, standardErrors: [Double?] = [nil, nil, nil], iterations: Int = 0,
                frequencySpendCorrelation: Double = 0, warnings: [String] = [], attempts: [String] = []) {
        self.p = p
        self.q = q
        self.gamma = gamma
        self.logLikelihood = logLikelihood
        self.customers = customers
        self.excluded = excluded
        self.standardErrors = standardErrors
        self.iterations = iterations
        self.frequencySpendCorrelation = frequencySpendCorrelation
        self.warnings = warnings
        self.attempts = attempts
    }

    /// The population mean spend per purchase, pγ / (q − 1).
    public var populationMeanSpend: Double { p * gamma / (q - 1) }

    /// E[M | x, m̄]: a weighted mean of the population mean and the customer's own mean.
    ///
    /// Customers without a repeat purchase (or no usable mean) get the population mean. A repeat customer
    /// whose repeat purchases were all worth 0 (free samples) is left out of the fit but still has evidence:
    /// p γ / (p x + q − 1), the formula at m̄ = 0 (as lifetimes computes it), below the population mean.
    public func expectedSpend(x: Int, monetaryMean: Double?) -> Double {
        guard x > 0, let m = monetaryMean, m >= 0, m.isFinite else { return populationMeanSpend }
        let px = p * Double(x)
        return p * (gamma + Double(x) * m) / (px + q - 1)
    }
}
