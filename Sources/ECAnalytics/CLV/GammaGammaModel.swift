import Foundation

/// Fits the Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV";
/// Colombo & Jiang 1999) by maximum likelihood.
///
/// Each repeat customer contributes once, through x (the number of repeat
/// purchases averaged) and m̄ (their mean value):
///
///     LL = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m̄ + px ln x − (px+q) ln(γ + x m̄)
///
/// The model assumes spend is independent of frequency. The Pearson
/// correlation of x and m̄ is always reported; above 0.3 the fit carries a
/// warning, and above `correlationLimit` (when given) it is refused.
public enum GammaGammaModel {
    /// The correlation above which the fit warns.
    public static let warningCorrelation = 0.3

    /// Fits on customers' repeat frequency and mean repeat spend.
    ///
    /// Customers with x = 0 are not eligible and are skipped; customers with
    /// x > 0 whose mean spend is missing, zero or negative are excluded and counted.
    /// - Parameter starts: where the search begins (tests pin one); by default four spread-out starts scaled by the mean spend.
    public static func fit(frequencies: [Int], monetaryMeans: [Double?], correlationLimit: Double? = nil,
                           minimumCustomers: Int = 10, starts: [[Double]]? = nil) throws -> GammaGammaFit {
        precondition(frequencies.count == monetaryMeans.count, "one mean per frequency")
        var xs: [Int] = [], ms: [Double] = []
        var excluded = 0
        for (x, m) in zip(frequencies, monetaryMeans) where x > 0 {
            guard let m, m.isFinite, m > 0 else { excluded += 1; continue }
            xs.append(x)
            ms.append(m)
        }
        return try fit(repeaters: xs, means: ms, excluded: excluded, correlationLimit: correlationLimit,
                       minimumCustomers: minimumCustomers, starts: starts)
    }

    /// The fit on the eligible repeat customers' x and m̄ (x > 0, m̄ finite and > 0); `excluded` repeat
    /// customers were left out for their mean spend.
    static func fit(repeaters xs: [Int], means ms: [Double], excluded: Int, correlationLimit: Double?,
                    minimumCustomers: Int = 10, starts: [[Double]]? = nil) throws -> GammaGammaFit {
        guard xs.count >= minimumCustomers else {
            throw CLVError.tooFewRepeatCustomers(found: xs.count, needed: minimumCustomers)
        }
        let pearson = correlation(xs.map(Double.init), ms)
        if let limit = correlationLimit, abs(pearson) > limit {
            throw CLVError.spendFrequencyCorrelated(pearson: pearson, limit: limit)
        }
        let likelihood = GammaGammaLikelihood(x: xs, m: ms)
        let n = Double(xs.count)
        let meanSpend = ms.reduce(0, +) / n
        let starts = starts ?? [[1, 2, meanSpend], [5, 3, 0.4 * meanSpend], [0.5, 1.5, 0.25 * meanSpend], [20, 10, 0.45 * meanSpend]]
        let objective: BFGSMinimizer.Objective = { logs in
            let p = logs.map { exp($0) }
            let (ll, g) = likelihood.evaluate(p)
            return (-ll / n, (0..<3).map { -g[$0] * p[$0] / n })
        }
        let (fitted, attempts) = BFGSMinimizer.fitPositive(starts: starts, label: "(p, q, γ)", sensibleRange: BGNBDModel.sensibleRange, objective)
        guard let fitted else { throw CLVError.notConverged(model: "Gamma-Gamma", attempts: attempts) }
        let iterations = fitted.iterations
        // BFGS leaves γ loose in the 5th digit along the (p, q, γ) ridge; Newton steps pin it to ~1e-9.
        let polished = BFGSMinimizer.polished(fitted.parameters.map { log($0) }, value: fitted.value, objective)
        let p = polished.point.map { exp($0) }
        if p[1] <= 1 { throw CLVError.infiniteMeanSpend(q: p[1]) }
        let names = ["p", "q", "γ"]
        let outside = zip(names, p).filter { !BGNBDModel.sensibleRange.contains($0.1) }
        if !outside.isEmpty {
            let detail = outside.map { "\($0.0) = \(String(format: "%.3g", $0.1))" }.joined(separator: ", ")
            throw CLVError.degenerateParameters(model: "Gamma-Gamma", detail: detail + "; spend barely varies between customers or the fit ran off")
        }
        let hessian = SmallMatrix.numericHessian(at: p) { q in likelihood.evaluate(q).gradient.map { -$0 } }
        var warnings: [String] = []
        if excluded > 0 {
            warnings.append("\(excluded) repeat customer(s) with zero, negative or missing mean spend excluded from the fit; "
                            + "a mean of 0 still predicts a low spend, pγ / (px + q − 1), not the population mean")
        }
        if abs(pearson) > warningCorrelation {
            warnings.append(String(format: "spend and frequency correlate (Pearson r = %.3f > %.1f); Gamma-Gamma assumes independence, treat spend predictions with care", pearson, warningCorrelation))
        }
        return GammaGammaFit(p: p[0], q: p[1], gamma: p[2], logLikelihood: -polished.value * n,
                             customers: xs.count, excluded: excluded,
                             standardErrors: SmallMatrix.standardErrors(hessian: hessian),
                             iterations: iterations, frequencySpendCorrelation: pearson,
                             warnings: warnings, attempts: attempts)
    }

    /// Fits on extracted customer summaries (x and mean repeat spend).
    public static func fit(_ customers: [CustomerSummary], correlationLimit: Double? = nil) throws -> GammaGammaFit {
        try fit(frequencies: customers.map(\.x), monetaryMeans: customers.map(\.monetaryMean), correlationLimit: correlationLimit)
    }

    /// Fits on column histories: only the repeat customers' x and m̄ are gathered.
    /// The two arrays are made at their final size (at 5M customers, 1.5M repeaters: 24 MB, where growing
    /// arrays of x and optional m̄ before the filter held about three times that at `predict validate`'s peak).
    public static func fit(_ c: CustomerColumns, correlationLimit: Double? = nil) throws -> GammaGammaFit {
        var eligible = 0, excluded = 0
        for i in 0..<c.count where c.x[i] > 0 {
            let m = c.monetaryMean[i]
            if m.isFinite, m > 0 { eligible += 1 } else { excluded += 1 }
        }
        var xs: [Int] = [], ms: [Double] = []
        xs.reserveCapacity(eligible)
        ms.reserveCapacity(eligible)
        for i in 0..<c.count where c.x[i] > 0 {
            let m = c.monetaryMean[i]
            guard m.isFinite, m > 0 else { continue }
            xs.append(Int(c.x[i]))
            ms.append(m)
        }
        return try fit(repeaters: xs, means: ms, excluded: excluded, correlationLimit: correlationLimit)
    }

    /// The Gamma-Gamma log-likelihood and its gradient with respect to (p, q, γ).
    public static func logLikelihood(frequencies: [Int], monetaryMeans: [Double], p: Double, q: Double, gamma: Double) -> (value: Double, gradient: [Double]) {
        GammaGammaLikelihood(x: frequencies, m: monetaryMeans).evaluate([p, q, gamma])
    }

    /// Pearson correlation; 0 when either side has no spread.
    static func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let n = Double(a.count)
        let ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for (u, v) in zip(a, b) {
            sab += (u - ma) * (v - mb)
            saa += (u - ma) * (u - ma)
            sbb += (v - mb) * (v - mb)
        }
        return saa > 0 && sbb > 0 ? sab / sqrt(saa * sbb) : 0
    }

}
