import Foundation

/// The purchase-and-dropout models `predict ltv model …` can fit.
public enum PurchaseModelKind: String, Sendable, CaseIterable {
    case bgnbd, mbgnbd, paretonbd

    /// The name analysts know the model by.
    public var title: String {
        switch self {
        case .bgnbd: return "BG/NBD"
        case .mbgnbd: return "MBG/NBD"
        case .paretonbd: return "Pareto/NBD"
        }
    }

    /// Parameter names in the order `PurchaseModelFit.parameters` holds them.
    public var parameterNames: [String] {
        self == .paretonbd ? ["r", "alpha", "s", "beta"] : ["r", "alpha", "a", "b"]
    }

    /// Where the model and its formulas come from.
    public var reference: String {
        switch self {
        case .bgnbd: return "Fader, Hardie & Lee 2005"
        case .mbgnbd: return "Batislam, Denizel & Filiztekin 2007"
        case .paretonbd: return "Schmittlein, Morrison & Colombo 1987; Fader & Hardie 2005 note 009"
        }
    }

    /// What the model assumes about one-time buyers, where it changes how P(alive) reads.
    public var oneTimeBuyerAssumption: String {
        switch self {
        case .bgnbd: return "BG/NBD assumes nobody drops out before a repeat purchase, so one-time buyers get P(alive) = 1"
        case .mbgnbd: return "MBG/NBD lets customers drop out right after the first purchase, so one-time buyers' P(alive) falls with time since that purchase"
        case .paretonbd: return "Pareto/NBD lets customers drop out at any time, so one-time buyers' P(alive) falls with time since the first purchase"
        }
    }

    /// Fits the model on compressed rows.
    public func fit(_ rows: [CompressedRow], minimumRepeatCustomers: Double = 10) throws -> any PurchaseModelFit {
        switch self {
        case .bgnbd: return try BGNBDModel.fit(rows, minimumRepeatCustomers: minimumRepeatCustomers)
        case .mbgnbd: return try MBGNBDModel.fit(rows, minimumRepeatCustomers: minimumRepeatCustomers)
        case .paretonbd: return try ParetoNBDModel.fit(rows, minimumRepeatCustomers: minimumRepeatCustomers)
        }
    }
}

/// A fitted purchase-and-dropout model: what CLV, P(alive) and validation need.
public protocol PurchaseModelFit: Sendable {
    var kind: PurchaseModelKind { get }
    /// In the order of `kind.parameterNames`.
    var parameters: [Double] { get }
    /// How the fit went: log-likelihood, size, standard errors, iterations.
    var statistics: FitStatistics { get }
    /// P(alive at T | x, t_x, T).
    func probabilityAlive(x: Int, tx: Double, T: Double) -> Double
    /// Expected purchases in (T, T + t] for a customer with history (x, t_x, T).
    func expectedPurchases(t: Double, x: Int, tx: Double, T: Double) -> Double
    /// Expected purchases in (T, T + t] for a customer still alive at T with x repeat purchases:
    /// in every model here E[Y(t) | x, t_x, T] = this × P(alive | x, t_x, T), and this part does
    /// not depend on t_x, so CLV computes it once per (x, T) instead of once per customer.
    func expectedPurchasesIfAlive(t: Double, x: Int, T: Double) -> Double
    /// Expected purchases in (0, t] for a randomly chosen new customer (E[X(t)]).
    func expectedPurchases(t: Double) -> Double
}

/// What a maximum-likelihood fit reports besides its parameters.
public struct FitStatistics: Sendable, Equatable {
    public var logLikelihood: Double
    /// Σ weights of the rows fitted.
    public var customers: Double
    public var repeatCustomers: Double
    /// Standard errors from the inverse Hessian; nil where it is not positive definite.
    public var standardErrors: [Double?]
    public var iterations: Int
    public var converged: Bool
    /// One line per optimizer start: what happened.
    public var attempts: [String]

    public init(logLikelihood: Double = .nan, customers: Double = 0, repeatCustomers: Double = 0,
                standardErrors: [Double?] = [nil, nil, nil, nil], iterations: Int = 0, converged: Bool = true, attempts: [String] = []) {
        self.logLikelihood = logLikelihood
        self.customers = customers
        self.repeatCustomers = repeatCustomers
        self.standardErrors = standardErrors
        self.iterations = iterations
        self.converged = converged
        self.attempts = attempts
    }
}

extension PurchaseModelFit {
    public var logLikelihood: Double { statistics.logLikelihood }
    public var customers: Double { statistics.customers }
    public var repeatCustomers: Double { statistics.repeatCustomers }
    public var standardErrors: [Double?] { statistics.standardErrors }
    public var iterations: Int { statistics.iterations }
    public var converged: Bool { statistics.converged }

    /// Bayesian information criterion, k ln n − 2 LL: lower is better; the k ln n
    /// term charges each parameter, so a model must earn its extra fit.
    public var bic: Double { Double(parameters.count) * log(max(customers, 1)) - 2 * logLikelihood }
}

/// What one maximum-likelihood run produced, before it becomes a model's fit.
struct PurchaseModelEstimate {
    var parameters: [Double]
    var statistics: FitStatistics

    /// Customers, repeat customers and the mean repeat rate (which sets the scale of the starts);
    /// throws when there are no customers or too few repeat customers to identify a model.
    static func prepare(_ rows: [CompressedRow], minimumRepeatCustomers: Double) throws -> (customers: Double, repeaters: Double, rate: Double) {
        try BGNBDModel.validate(rows)
        let customers = rows.reduce(0) { $0 + $1.weight }
        guard customers > 0 else { throw CLVError.noCustomers }
        let repeaters = rows.filter { $0.x > 0 }.reduce(0) { $0 + $1.weight }
        guard repeaters >= minimumRepeatCustomers else {
            throw CLVError.tooFewRepeatCustomers(found: Int(repeaters), needed: Int(minimumRepeatCustomers.rounded(.up)))
        }
        // Mean repeat-purchase rate sets the scale of α (r/α is the mean rate).
        let repeats = rows.reduce(0) { $0 + Double($1.x) * $1.weight }
        let exposure = rows.reduce(0) { $0 + $1.T * $1.weight }
        return (customers, repeaters, max(repeats / max(exposure, 1e-12), 1e-9))
    }
}

/// The fits `model auto` tried, and the one with the lowest BIC.
public struct PurchaseModelChoice: Sendable {
    public var chosen: any PurchaseModelFit
    /// Every model tried: its fit, or why it failed.
    public var candidates: [(kind: PurchaseModelKind, fit: (any PurchaseModelFit)?, failure: String?)]

    /// Fits every model and keeps the lowest BIC; throws only when none fits.
    public static func byBIC(_ rows: [CompressedRow], minimumRepeatCustomers: Double = 10) throws -> PurchaseModelChoice {
        var candidates: [(kind: PurchaseModelKind, fit: (any PurchaseModelFit)?, failure: String?)] = []
        var firstError: Error?
        for kind in PurchaseModelKind.allCases {
            do {
                candidates.append((kind, try kind.fit(rows, minimumRepeatCustomers: minimumRepeatCustomers), nil))
            } catch {
                firstError = firstError ?? error
                candidates.append((kind, nil, "\(error)"))
            }
        }
        let fitted = candidates.compactMap(\.fit)
        guard let best = fitted.min(by: { $0.bic < $1.bic }) else { throw firstError ?? CLVError.noCustomers }
        return PurchaseModelChoice(chosen: best, candidates: candidates)
    }
}

extension BGNBDFit: PurchaseModelFit {
    public var kind: PurchaseModelKind { .bgnbd }
    public var parameters: [Double] { [r, alpha, a, b] }
}
