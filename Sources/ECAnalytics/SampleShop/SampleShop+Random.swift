extension SampleShop {
    /// xoshiro256** seeded through SplitMix64, with the distributions the shop needs.
    ///
    /// Never the system RNG: the same seed must give the same shop on every
    /// machine. Each part of the shop draws from its own stream, so changing
    /// how ad spend is drawn does not reshuffle the customers.
    struct Random {
        private var s0, s1, s2, s3: UInt64

        /// A stream derived from `seed`; different `stream` numbers are independent.
        init(seed: UInt64, stream: UInt64 = 0) {
            var state = seed ^ (stream &* 0xD134_2543_DE82_EF95)
            s0 = Self.splitMix(&state)
            s1 = Self.splitMix(&state)
            s2 = Self.splitMix(&state)
            s3 = Self.splitMix(&state)
        }

        /// A generator in a given raw state (for checking against published vectors).
        init(state: (UInt64, UInt64, UInt64, UInt64)) {
            (s0, s1, s2, s3) = state
        }

        static func splitMix(_ state: inout UInt64) -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        mutating func next() -> UInt64 {
            let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
            let t = s1 << 17
            s2 ^= s0
            s3 ^= s1
            s1 ^= s2
            s0 ^= s3
            s2 ^= t
            s3 = s3 << 45 | s3 >> 19
            return result
        }

        /// Uniform in [0, 1).
        mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

        /// Uniform in (0, 1), safe to take the logarithm of.
        mutating func openUniform() -> Double { (Double(next() >> 11) + 0.5) * 0x1p-53 }

        /// Uniform in [low, high).
        mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * uniform() }

        /// Uniform integer in 0..<n (multiply-high; the bias is below 2⁻⁶⁰ for our n).
        mutating func below(_ n: Int) -> Int {
            Int(next().multipliedFullWidth(by: UInt64(n)).high)
        }

        mutating func chance(_ p: Double) -> Bool { uniform() < p }

        /// Exponential with the given rate.
        mutating func exponential(rate: Double) -> Double { -PortableMath.log(openUniform()) / rate }

        /// Standard normal (Marsaglia's polar method: needs only log and sqrt).
        mutating func normal() -> Double {
            while true {
                let u = 2 * uniform() - 1
                let v = 2 * uniform() - 1
                let s = u * u + v * v
                if s > 0 && s < 1 { return u * (-2 * PortableMath.log(s) / s).squareRoot() }
            }
        }

        /// Log-normal noise with median 1.
        mutating func noise(_ sigma: Double) -> Double { PortableMath.exp(sigma * normal()) }

        /// Gamma(shape, scale) by Marsaglia and Tsang (2000).
        mutating func gamma(shape: Double, scale: Double) -> Double {
            if shape < 1 {
                // Gamma(k) = Gamma(k + 1) · U^(1/k).
                let g = gamma(shape: shape + 1, scale: scale)
                return g * PortableMath.exp(PortableMath.log(openUniform()) / shape)
            }
            let d = shape - 1.0 / 3.0
            let c = 1 / (9 * d).squareRoot()
            while true {
                var x: Double
                var v: Double
                repeat {
                    x = normal()
                    v = 1 + c * x
                } while v <= 0
                v = v * v * v
                let u = openUniform()
                if u < 1 - 0.0331 * x * x * x * x { return d * v * scale }
                if PortableMath.log(u) < 0.5 * x * x + d * (1 - v + PortableMath.log(v)) { return d * v * scale }
            }
        }

        /// Beta(a, b) as a ratio of gammas.
        mutating func beta(_ a: Double, _ b: Double) -> Double {
            let x = gamma(shape: a, scale: 1)
            let y = gamma(shape: b, scale: 1)
            return x / (x + y)
        }

        /// Poisson count: Knuth's product method for small means, a rounded normal above 30.
        mutating func poisson(_ mean: Double) -> Int {
            if mean <= 0 { return 0 }
            if mean > 30 {
                return max(0, Int((mean + mean.squareRoot() * normal()).rounded()))
            }
            let limit = PortableMath.exp(-mean)
            var count = 0
            var product = uniform()
            while product > limit {
                count += 1
                product *= uniform()
            }
            return count
        }

        /// An index drawn with the weights whose running totals are `cumulative`.
        mutating func pick(cumulative: [Double]) -> Int {
            let target = uniform() * cumulative[cumulative.count - 1]
            var low = 0
            var high = cumulative.count - 1
            while low < high {
                let mid = (low + high) / 2
                if cumulative[mid] > target { high = mid } else { low = mid + 1 }
            }
            return low
        }
    }

    /// Running totals of `weights`, for `Random.pick(cumulative:)`.
    static func cumulative(_ weights: [Double]) -> [Double] {
        var total = 0.0
        return weights.map { total += $0; return total }
    }
}
