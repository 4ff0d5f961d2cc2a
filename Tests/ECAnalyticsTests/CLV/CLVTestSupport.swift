import ECTestSupport
import Foundation

/// Shared helpers for the CLV tests: the CDNOW files, a seeded simulator and
/// an independent quadrature of the BG/NBD posterior.
enum CDNOW {
    /// ../shared/data/cdnow next to the checkout holding this file.
    static var directory: URL {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            let candidate = url.deletingLastPathComponent().appendingPathComponent("shared/data/cdnow")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("CDNOW_sample.txt").path) {
                return candidate
            }
            url = url.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: "/work/shared/data/cdnow")
    }

    struct SummaryRow { var id: String; var x: Int; var tx: Double; var T: Double; var zbar: Double }

    /// cdnow_customers_summary_with_transactions.csv: ID,x,t_x,T,zbar.
    static func summary() throws -> [SummaryRow] {
        let text = try String(contentsOf: directory.appendingPathComponent("cdnow_customers_summary_with_transactions.csv"), encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).dropFirst().map { line in
            let f = line.split(separator: ",").map(String.init)
            return SummaryRow(id: f[0], x: Int(f[1])!, tx: Double(f[2])!, T: Double(f[3])!, zbar: Double(f[4])!)
        }
    }

    struct Transaction { var customerID: String; var sampleID: String; var date: (Int, Int, Int); var cds: Int; var dollars: Double }

    /// CDNOW_sample.txt: customer id, sample id, yyyymmdd, CDs, dollars; no header.
    static func transactions() throws -> [Transaction] {
        let text = try String(contentsOf: directory.appendingPathComponent("CDNOW_sample.txt"), encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).map { line in
            let f = line.split(separator: " ").map(String.init)
            let ymd = Int(f[2])!
            return Transaction(customerID: f[0], sampleID: f[1], date: (ymd / 10000, ymd / 100 % 100, ymd % 100),
                               cds: Int(f[3])!, dollars: Double(f[4])!)
        }
    }

    /// Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil), independent of SQLite.
    static func days(_ y: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y - 1 : y
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}

/// ECTestSupport's SplitMix64 with the distributions the simulations draw from,
/// so simulations are reproducible.
struct SeededRandom: RandomNumberGenerator {
    var base: SplitMix64
    init(seed: UInt64) { base = SplitMix64(seed: seed) }
    mutating func next() -> UInt64 { base.next() }
    /// Uniform on (0, 1).
    mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992 }
    mutating func normal() -> Double {
        sqrt(-2 * log(uniform())) * cos(2 * .pi * uniform())
    }
    /// Gamma(shape, rate) by Marsaglia & Tsang (2000), boosted for shape < 1.
    mutating func gamma(shape: Double, rate: Double) -> Double {
        if shape < 1 { return gamma(shape: shape + 1, rate: rate) * pow(uniform(), 1 / shape) }
        let d = shape - 1.0 / 3, c = 1 / sqrt(9 * d)
        while true {
            let z = normal()
            let v = pow(1 + c * z, 3)
            if v <= 0 { continue }
            if log(uniform()) < 0.5 * z * z + d - d * v + d * log(v) { return d * v / rate }
        }
    }
    mutating func beta(_ a: Double, _ b: Double) -> Double {
        let u = gamma(shape: a, rate: 1), v = gamma(shape: b, rate: 1)
        return u / (u + v)
    }
    mutating func exponential(rate: Double) -> Double { -log(uniform()) / rate }
}

/// Simulates BG/NBD customers: λ ~ Gamma(r, α), p ~ Beta(a, b); purchases are a
/// Poisson process from the first purchase at 0, and after each repeat
/// purchase the customer drops out with probability p.
enum BGNBDSimulator {
    struct Customer { var x: Int; var tx: Double; var T: Double; var lambda: Double; var p: Double }

    static func simulate(count: Int, r: Double, alpha: Double, a: Double, b: Double,
                         T: ClosedRange<Double>, seed: UInt64, roundTo step: Double? = nil) -> [Customer] {
        var rng = SeededRandom(seed: seed)
        return (0..<count).map { _ in
            let lambda = rng.gamma(shape: r, rate: alpha)
            let p = rng.beta(a, b)
            var age = T.lowerBound + (T.upperBound - T.lowerBound) * rng.uniform()
            if let step { age = (age / step).rounded() * step }
            var t = 0.0, x = 0, last = 0.0
            while true {
                t += rng.exponential(rate: lambda)
                var at = t
                if let step { at = (t / step).rounded(.up) * step }
                if at > age { break }
                if step != nil, at == last { continue }   // same day: one purchase
                x += 1
                last = at
                if rng.uniform() < p { break }
            }
            return Customer(x: x, tx: last, T: age, lambda: lambda, p: p)
        }
    }
}

/// Tanh-sinh quadrature on [0, 1]; the integrand gets p and 1 − p (both accurate near the ends).
func tanhSinh(step h: Double = 1.0 / 64, _ f: (Double, Double) -> Double) -> Double {
    var sum = 0.0
    var k = -Int(5.0 / h)
    while Double(k) * h <= 5 {
        let t = Double(k) * h
        let s = Double.pi / 2 * sinh(t)
        let p = 1 / (1 + exp(-2 * s)), q = 1 / (1 + exp(2 * s))
        let weight = Double.pi / 2 * cosh(t) / (2 * cosh(s) * cosh(s))
        if p > 0 && q > 0 && weight > 0 { sum += weight * f(p, q) }
        k += 1
    }
    return sum * h
}

/// E[X(t) | x, t_x, T] by integrating the BG/NBD posterior over p (λ integrated
/// in closed form), with no hypergeometric function involved.
func posteriorExpectedPurchases(r: Double, alpha: Double, a: Double, b: Double, t: Double, x: Int, tx: Double, T: Double) -> Double {
    let rx = r + Double(x), xd = Double(x)
    let numerator = tanhSinh { p, q in
        // (1/p)(1 − ((α+T)/(α+T+pt))^(r+x)) with the density's p^(a−1)(1−p)^(b+x−1).
        let gain = -expm1(-rx * log1p(p * t / (alpha + T))) / p
        return gain * pow(p, a - 1) * pow(q, b + xd - 1)
    }
    let dropped = x > 0 ? exp(rx * (log(alpha + T) - log(alpha + tx))) : 0
    let denominator = tanhSinh { p, q in
        pow(p, a - 1) * pow(q, b + xd - 1) + (x > 0 ? dropped * pow(p, a) * pow(q, b + xd - 2) : 0)
    }
    return numerator / denominator
}
