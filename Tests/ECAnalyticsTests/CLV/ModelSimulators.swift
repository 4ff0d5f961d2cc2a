import Foundation

/// Simulates MBG/NBD customers: as BG/NBD, but the dropout coin is also flipped
/// right after the first purchase (Batislam et al. 2007).
enum MBGNBDSimulator {
    static func simulate(count: Int, r: Double, alpha: Double, a: Double, b: Double,
                         T: ClosedRange<Double>, seed: UInt64) -> [(x: Int, tx: Double, T: Double)] {
        var rng = SeededRandom(seed: seed)
        return (0..<count).map { _ in
            let lambda = rng.gamma(shape: r, rate: alpha)
            let p = rng.beta(a, b)
            let age = T.lowerBound + (T.upperBound - T.lowerBound) * rng.uniform()
            var t = 0.0, x = 0, last = 0.0
            var alive = rng.uniform() >= p   // the flip after the first purchase
            while alive {
                t += rng.exponential(rate: lambda)
                if t > age { break }
                x += 1
                last = t
                if rng.uniform() < p { alive = false }
            }
            return (x, last, age)
        }
    }
}

/// Simulates Pareto/NBD customers: λ ~ Gamma(r, α), μ ~ Gamma(s, β); a lifetime
/// τ ~ Exponential(μ) from the first purchase; purchases are Poisson(λ) while alive.
enum ParetoNBDSimulator {
    static func simulate(count: Int, r: Double, alpha: Double, s: Double, beta: Double,
                         T: ClosedRange<Double>, seed: UInt64) -> [(x: Int, tx: Double, T: Double)] {
        var rng = SeededRandom(seed: seed)
        return (0..<count).map { _ in
            let lambda = rng.gamma(shape: r, rate: alpha)
            let mu = rng.gamma(shape: s, rate: beta)
            let age = T.lowerBound + (T.upperBound - T.lowerBound) * rng.uniform()
            let end = min(rng.exponential(rate: mu), age)
            var t = 0.0, x = 0, last = 0.0
            while true {
                t += rng.exponential(rate: lambda)
                if t > end { break }
                x += 1
                last = t
            }
            return (x, last, age)
        }
    }
}

/// Composite Simpson's rule on [lo, hi] with n (even) intervals.
func simpson(_ lo: Double, _ hi: Double, intervals n: Int = 2000, _ f: (Double) -> Double) -> Double {
    guard hi > lo else { return 0 }
    let h = (hi - lo) / Double(n)
    var sum = f(lo) + f(hi)
    for i in 1..<n { sum += f(lo + Double(i) * h) * (i % 2 == 1 ? 4 : 2) }
    return sum * h / 3
}

