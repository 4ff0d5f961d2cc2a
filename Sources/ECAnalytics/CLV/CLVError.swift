/// Why a CLV model could not be fitted or used, with a way out in each message.
public enum CLVError: Error, Equatable, CustomStringConvertible {
    /// No customers at all matched.
    case noCustomers
    /// Too few customers made a repeat purchase for the model to be identified.
    case tooFewRepeatCustomers(found: Int, needed: Int)
    /// The optimizer did not converge from any start.
    case notConverged(model: String, attempts: [String])
    /// The estimates ran to a boundary where the model degenerates.
    case degenerateParameters(model: String, detail: String)
    /// Gamma-Gamma q ≤ 1: the expected spend is infinite.
    case infiniteMeanSpend(q: Double)
    /// Spend and frequency are too correlated for the Gamma-Gamma assumption.
    case spendFrequencyCorrelated(pearson: Double, limit: Double)
    /// An input value the models cannot use.
    case invalidInput(String)

    /// A way out, for the errors whose message does not end with one (the shell's is more precise: it knows
    /// which clause narrowed the histories).
    public var help: String? {
        guard case .tooFewRepeatCustomers = self else { return nil }
        return "use a longer calibration period or a broader segment"
    }

    public var description: String {
        switch self {
        case .noCustomers:
            return "no customers with counted orders before the calibration end; check the order filter, segment and calibration date"
        case .tooFewRepeatCustomers(let found, let needed):
            return "only \(found) customer\(found == 1 ? "" : "s") made a repeat purchase (need at least \(needed))"
        case .notConverged(let model, let attempts):
            return "\(model) did not converge; tried: \(attempts.joined(separator: "; ")). The data may not fit the model; try a different time unit or calibration period"
        case .degenerateParameters(let model, let detail):
            return "\(model) estimates are degenerate (\(detail)); the model does not describe this data well, so its predictions would be meaningless"
        case .infiniteMeanSpend(let q):
            return "Gamma-Gamma q = \(q) ≤ 1, so the expected spend is infinite; a few very large orders dominate: exclude outliers or use the historical mean"
        case .spendFrequencyCorrelated(let r, let limit):
            return "spend and purchase frequency are correlated (Pearson r = \(r), limit \(limit)); Gamma-Gamma assumes they are independent, so its spend predictions would be biased"
        case .invalidInput(let message):
            return message
        }
    }
}
