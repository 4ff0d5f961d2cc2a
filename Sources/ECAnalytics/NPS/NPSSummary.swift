import Foundation

/// Net Promoter Score of one group of responses, with its sampling error.
///
/// Promoters score 9–10, passives 7–8, detractors 0–6 (docs/metrics.md, NPS);
/// the thresholds are defined here once and every NPS reader uses them.
/// The standard error treats each response as +1, 0 or −1:
/// SE = 100 × √(((p + d) − (p − d)²) / n) with p = P/n, d = D/n.
public struct NPSSummary: Sendable, Equatable {
    public let n: Int
    public let promoters: Int
    public let passives: Int
    public let detractors: Int

    /// The lowest promoter score.
    public static let promoterMinimum = 9
    /// The highest detractor score.
    public static let detractorMaximum = 6

    /// SQL counting promoters, passives and detractors among `score` values, in standard SQL
    /// (SQLite's `sum(score >= 9)` sums booleans, which PostgreSQL has no sum for).
    static func promoterSQL(_ score: String) -> String { "count(CASE WHEN \(score) >= \(promoterMinimum) THEN 1 END)" }
    static func passiveSQL(_ score: String) -> String {
        "count(CASE WHEN \(score) BETWEEN \(detractorMaximum + 1) AND \(promoterMinimum - 1) THEN 1 END)"
    }
    static func detractorSQL(_ score: String) -> String { "count(CASE WHEN \(score) <= \(detractorMaximum) THEN 1 END)" }

    /// The z value of a two-sided 95% interval.
    public static let z95 = 1.96
    /// Groups smaller than this get a warning: the interval is too wide to act on.
    public static let smallSample = 30

    /// - Precondition: the three counts are non-negative and add up to `n`.
    public init(n: Int, promoters: Int, passives: Int, detractors: Int) {
        precondition(promoters >= 0 && passives >= 0 && detractors >= 0 && promoters + passives + detractors == n,
                     "NPS counts must be non-negative and add up to n")
        self.n = n
        self.promoters = promoters
        self.passives = passives
        self.detractors = detractors
    }

    /// Counts from `n` responses; the rest are passives.
    public init(n: Int, promoters: Int, detractors: Int) {
        self.init(n: n, promoters: promoters, passives: n - promoters - detractors, detractors: detractors)
    }

    /// 100 × (P − D) / n, from −100 to +100; nil without responses.
    public var nps: Double? { Self.score(n: Double(n), promoters: Double(promoters), detractors: Double(detractors)) }

    /// The standard error of `nps`, in NPS points.
    public var standardError: Double? {
        Self.standardError(n: Double(n), promoters: Double(promoters), detractors: Double(detractors))
    }

    /// 1.96 × SE: the half-width of the plain (Wald) 95% interval.
    public var margin95: Double? { standardError.map { Self.z95 * $0 } }

    /// The adjusted Wald 95% interval: the same formulas on n + 3 responses with
    /// P + ¾ and D + ¾, which behaves better for small groups and extreme scores.
    public var adjustedWald: (center: Double, low: Double, high: Double)? {
        guard self.n > 0 else { return nil }
        let n = Double(self.n) + 3, p = Double(promoters) + 0.75, d = Double(detractors) + 0.75
        guard let center = Self.score(n: n, promoters: p, detractors: d),
              let se = Self.standardError(n: n, promoters: p, detractors: d) else { return nil }
        return (center, center - Self.z95 * se, center + Self.z95 * se)
    }

    /// A warning for groups under 30 responses, or nil.
    public var warning: String? {
        n < Self.smallSample ? "only \(n) response\(n == 1 ? "" : "s") (under \(Self.smallSample)): the interval is wide" : nil
    }

    /// The difference between two groups: z = (NPS₁ − NPS₂) / √(SE₁² + SE₂²) and its two-sided p-value.
    public static func compare(_ a: NPSSummary, _ b: NPSSummary) -> (z: Double, p: Double)? {
        guard let npsA = a.nps, let npsB = b.nps, let seA = a.standardError, let seB = b.standardError else { return nil }
        let spread = (seA * seA + seB * seB).squareRoot()
        guard spread > 0 else { return nil }
        let z = (npsA - npsB) / spread
        return (z, twoSidedP(z: z))
    }

    /// P(|Z| ≥ |z|) for a standard normal Z: erfc(|z| / √2). `erfc` keeps
    /// precision in the tail, where 1 − erf would round to 0.
    public static func twoSidedP(z: Double) -> Double {
        erfc(abs(z) / 2.0.squareRoot())
    }

    private static func score(n: Double, promoters: Double, detractors: Double) -> Double? {
        n > 0 ? 100 * (promoters - detractors) / n : nil
    }

    private static func standardError(n: Double, promoters: Double, detractors: Double) -> Double? {
        guard n > 0 else { return nil }
        let p = promoters / n, d = detractors / n
        return 100 * max(0, (p + d) - (p - d) * (p - d)).squareRoot() / n.squareRoot()
    }
}
