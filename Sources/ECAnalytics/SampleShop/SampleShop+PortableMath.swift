extension SampleShop {
    /// `log` and `exp` built from + − × ÷ only, so results are bit-identical everywhere.
    ///
    /// The platform libm (glibc, Apple) may differ in the last bit, and one bit
    /// can flip a rounded price or a Poisson count; IEEE 754 guarantees exact
    /// rounding of the basic operations and `squareRoot()`, which is all we use.
    enum PortableMath {
        static let ln2 = 0.693_147_180_559_945_309_417_232_121_458
        /// ln 2 split in two (fdlibm's constants): `k · ln2High` is exact for |k| < 2¹¹.
        static let ln2High = 6.931_471_803_691_238_164_90e-01
        static let ln2Low = 1.908_214_929_270_587_700_02e-10

        /// 1/3, 1/5, …, 1/25: multiplying is much faster than dividing in the series.
        private static let inverseOdd: [Double] = stride(from: 3.0, through: 25, by: 2).map { 1 / $0 }
        /// 1/1, 1/2, …, 1/18.
        private static let inverseWhole: [Double] = (1...18).map { 1 / Double($0) }

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
            for inverse in inverseOdd {  // |s| ≤ 0.172: the last term is below 10⁻¹⁸ of the sum
                term *= s2
                sum += term * inverse
            }
            return Double(e) * ln2High + (Double(e) * ln2Low + 2 * sum)
        }

        /// e^x; underflows to 0 below −700 and caps at e^700.
        static func exp(_ x: Double) -> Double {
            if x < -700 { return 0 }
            let x = min(x, 700)
            let k = (x / ln2).rounded()
            let r = (x - k * ln2High) - k * ln2Low  // |r| ≤ 0.35 (Cody–Waite reduction)
            var term = 1.0
            var sum = 1.0
            for inverse in inverseWhole {  // r¹⁸/18! < 10⁻²³
                term *= r * inverse
                sum += term
            }
            return Double(sign: .plus, exponent: Int(k), significand: sum)
        }
    }
}
