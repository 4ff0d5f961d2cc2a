extension SampleShop {
    /// `log` and `exp` built from + − × ÷ only, so results are bit-identical everywhere.
    ///
    /// The platform libm (glibc, Apple) may differ in the last bit, and one bit
    /// can flip a rounded price or a Poisson count; IEEE 754 guarantees exact
    /// rounding of the basic operations and `squareRoot()`, which is all we use.
    enum PortableMath {
        static let ln2 = 0.693_147_180_559_945_309_417_232_121_458

        /// Natural logarithm for x > 0.
        static func log(_ x: Double) -> Double {
            precondition(x > 0 && x.isFinite, "log of \(x)")
            // x = m · 2^e with m in [√½, √2), then log m = 2·atanh(s), s = (m−1)/(m+1).
            var e = Int(x.exponent)
            var m = x.significand  // in [1, 2)
            if m > 1.414_213_562_373_095 { m /= 2; e += 1 }
            let s = (m - 1) / (m + 1)
            let s2 = s * s
            var term = s
            var sum = s
            var k = 3.0
            while k < 40 {  // |s| ≤ 0.172: 19 odd terms are far below one ulp
                term *= s2
                sum += term / k
                k += 2
            }
            return 2 * sum + Double(e) * ln2
        }

        /// e^x; underflows to 0 below −700 and caps at e^700.
        static func exp(_ x: Double) -> Double {
            if x < -700 { return 0 }
            let x = min(x, 700)
            let k = (x / ln2).rounded()
            let r = x - k * ln2  // |r| ≤ 0.35
            var term = 1.0
            var sum = 1.0
            var n = 1.0
            while n < 20 {
                term *= r / n
                sum += term
                n += 1
            }
            return Double(sign: .plus, exponent: Int(k), significand: sum)
        }

        /// x^y for x > 0.
        static func pow(_ x: Double, _ y: Double) -> Double { exp(y * log(x)) }
    }
}
