import ECStore

/// A target for a KPI (`target cac <= 3000`), optionally a key result of an
/// objective (`target f2_rate >= 25% under "Grow customer equity"`).
public struct Target: Sendable, Equatable {
    /// The comparison a target makes; its direction says which side is good.
    public enum Comparison: String, Sendable, CaseIterable {
        case atLeast = ">=", above = ">", atMost = "<=", below = "<", equal = "=", notEqual = "!="

        /// Whether `value` meets a target of `goal`.
        public func holds(_ value: Double, _ goal: Double) -> Bool {
            switch self {
            case .atLeast: return value >= goal
            case .above: return value > goal
            case .atMost: return value <= goal
            case .below: return value < goal
            case .equal: return abs(value - goal) < 1e-9
            case .notEqual: return abs(value - goal) >= 1e-9
            }
        }

        /// The KPI direction this comparison implies: a floor wants more, a ceiling less.
        public var direction: KPIDefinition.Direction {
            switch self {
            case .atLeast, .above: return .higherIsBetter
            case .atMost, .below: return .lowerIsBetter
            case .equal, .notEqual: return .neutral
            }
        }

        /// How the scorecard words a value that meets the target, and one that misses it.
        public var wording: (met: String, missed: String) {
            switch self {
            case .atLeast, .above: return ("on target", "below target")
            case .atMost, .below: return ("within the limit", "above the limit")
            case .equal, .notEqual: return ("on target", "off target")
            }
        }
    }

    public var kpi: String
    public var comparison: Comparison
    public var value: Double
    /// The objective this target is a key result of, if any.
    public var objective: String?

    public init(kpi: String, comparison: Comparison, value: Double, objective: String? = nil) {
        self.kpi = kpi.lowercased()
        self.comparison = comparison
        self.value = value
        self.objective = objective
    }
}
