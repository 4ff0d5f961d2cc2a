import Foundation

/// The BG/NBD log-likelihood and its analytic gradient over weighted rows.
///
/// Per customer (Fader, Hardie & Lee 2005, eq. 6):
///
///     LL = ln Γ(r+x) − ln Γ(r) + r ln α
///        + ln Γ(a+b) + ln Γ(b+x) − ln Γ(b) − ln Γ(a+b+x)
///        + ln( (α+T)^−(r+x) + [x>0] · a/(b+x−1) · (α+t_x)^−(r+x) )
///
/// Terms that depend only on x are computed once per distinct x (rows are
/// grouped by x), and ln(α + t) once per distinct t_x or T value per call:
/// histories counted in days take a few hundred values over a few years, so
/// at a million customers (about 150k distinct rows) the per-row work is one
/// exp and one log instead of two exps and three logs. Both give the same bits.
///
/// With `dropoutAtFirstPurchase` it is the MBG/NBD likelihood (Batislam,
/// Denizel & Filiztekin 2007), where a customer may also drop out right after
/// the first purchase: the Beta terms count x + 1 coin flips, so b + x becomes
/// b + x + 1, a/(b+x−1) becomes a/(b+x), and x = 0 customers get the dropout term too.
struct BGNBDLikelihood: Sendable {
    /// 1 for MBG/NBD, 0 for BG/NBD.
    private var shift = 0.0
    /// Distinct frequencies, with the half-open row range and total weight of each.
    private var groups: [(x: Int, start: Int, end: Int, weight: Double)] = []
    private var tx: [Double] = []
    private var T: [Double] = []
    private var w: [Double] = []
    /// The distinct values t_x and T take, and each row's index into them.
    private var ages: [Double] = []
    private var txAge: [Int32] = []
    private var TAge: [Int32] = []
    /// Σ weights: the number of customers.
    private(set) var totalWeight = 0.0

    init(rows: [CompressedRow], dropoutAtFirstPurchase: Bool = false) {
        shift = dropoutAtFirstPurchase ? 1 : 0
        let sorted = rows.sorted { $0.x < $1.x }
        tx = sorted.map(\.tx)
        T = sorted.map(\.T)
        w = sorted.map(\.weight)
        var i = 0
        while i < sorted.count {
            var j = i
            var weight = 0.0
            while j < sorted.count && sorted[j].x == sorted[i].x { weight += sorted[j].weight; j += 1 }
            groups.append((sorted[i].x, i, j, weight))
            i = j
        }
        totalWeight = w.reduce(0, +)
        ages = Array(Set(tx + T)).sorted()
        let index = Dictionary(ages.enumerated().map { ($0.element, Int32($0.offset)) }, uniquingKeysWith: { first, _ in first })
        txAge = tx.map { index[$0] ?? 0 }
        TAge = T.map { index[$0] ?? 0 }
    }

    /// Σ weight · LL and its gradient with respect to (r, α, a, b).
    func evaluate(_ p: [Double]) -> (value: Double, gradient: [Double]) {
        let (r, alpha, a, b) = (p[0], p[1], p[2], p[3])
        let logAlpha = log(alpha), logA = log(a)
        let lgR = SpecialFunctions.logGamma(r), lgB = SpecialFunctions.logGamma(b)
        let lgAB = SpecialFunctions.logGamma(a + b)
        let psiR = SpecialFunctions.digamma(r), psiB = SpecialFunctions.digamma(b)
        let psiAB = SpecialFunctions.digamma(a + b)
        var ll = 0.0, dr = 0.0, dalpha = 0.0, da = 0.0, db = 0.0
        let logAge = ages.map { log(alpha + $0) }
        logAge.withUnsafeBufferPointer { logAge in
        txAge.withUnsafeBufferPointer { txAge in
        TAge.withUnsafeBufferPointer { TAge in
        tx.withUnsafeBufferPointer { tx in
        T.withUnsafeBufferPointer { T in
        w.withUnsafeBufferPointer { w in
            for group in groups {
                let x = Double(group.x)
                let rx = r + x
                // The dropout coin is flipped x times (BG/NBD) or x + 1 times (MBG/NBD).
                let flips = x + shift
                let abx = a + b + flips
                // Terms shared by the whole group, times its total weight.
                let rateTerms = SpecialFunctions.logGamma(rx) - lgR + r * logAlpha
                let dropoutTerms = lgAB + SpecialFunctions.logGamma(b + flips) - lgB - SpecialFunctions.logGamma(abx)
                let shared = rateTerms + dropoutTerms
                ll += group.weight * shared
                let psiRX = SpecialFunctions.digamma(rx), psiABX = SpecialFunctions.digamma(abx)
                dr += group.weight * (psiRX - psiR + logAlpha)
                dalpha += group.weight * r / alpha
                da += group.weight * (psiAB - psiABX)
                let psiBX = SpecialFunctions.digamma(b + flips)
                db += group.weight * (psiAB + psiBX - psiB - psiABX)
                if group.x == 0 && shift == 0 {
                    // Only the "still alive" term: LL part = −r ln(α+T).
                    for i in group.start..<group.end {
                        let lnT = logAge[Int(TAge[i])]
                        ll -= w[i] * r * lnT
                        dr -= w[i] * lnT
                        dalpha -= w[i] * r / (alpha + T[i])
                    }
                    continue
                }
                let logDropout = logA - log(b + flips - 1)
                var sumW4 = 0.0, sumR = 0.0, sumAlpha = 0.0
                for i in group.start..<group.end {
                    let lnT = logAge[Int(TAge[i])], lnTx = logAge[Int(txAge[i])]
                    let a3 = -rx * lnT
                    let a4 = logDropout - rx * lnTx
                    // log-sum-exp with the larger term factored out: its exp is exactly 1.
                    let m = max(a3, a4)
                    let smaller = exp(-abs(a3 - a4))
                    let e3 = a3 >= a4 ? 1 : smaller, e4 = a3 >= a4 ? smaller : 1
                    let total = e3 + e4
                    ll += w[i] * (m + log(total))
                    // w3, w4: the shares of "alive at T" and "dropped out after t_x".
                    let w4 = e4 / total, w3 = 1 - w4
                    sumW4 += w[i] * w4
                    sumR -= w[i] * (w3 * lnT + w4 * lnTx)
                    sumAlpha -= w[i] * rx * (w3 / (alpha + T[i]) + w4 / (alpha + tx[i]))
                }
                dr += sumR
                dalpha += sumAlpha
                da += sumW4 / a
                db -= sumW4 / (b + flips - 1)
            }
        }}}}}}
        return (ll, [dr, dalpha, da, db])
    }
}
