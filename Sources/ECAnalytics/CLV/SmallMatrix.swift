import Foundation

/// Linear algebra for standard errors: the inverse of a small symmetric matrix.
enum SmallMatrix {
    /// Inverse by Gauss-Jordan with partial pivoting; nil when singular.
    static func inverse(_ m: [[Double]]) -> [[Double]]? {
        let n = m.count
        var a = m
        var inv = (0..<n).map { i in (0..<n).map { $0 == i ? 1.0 : 0.0 } }
        for col in 0..<n {
            guard let pivot = (col..<n).max(by: { abs(a[$0][col]) < abs(a[$1][col]) }),
                  abs(a[pivot][col]) > 1e-300 else { return nil }
            a.swapAt(col, pivot)
            inv.swapAt(col, pivot)
            let d = a[col][col]
            for j in 0..<n { a[col][j] /= d; inv[col][j] /= d }
            for i in 0..<n where i != col {
                let factor = a[i][col]
                if factor == 0 { continue }
                for j in 0..<n { a[i][j] -= factor * a[col][j]; inv[i][j] -= factor * inv[col][j] }
            }
        }
        return inv
    }

    /// Standard errors from the Hessian of the negative log-likelihood:
    /// square roots of the diagonal of its inverse; nil entries where not positive.
    static func standardErrors(hessian: [[Double]]) -> [Double?] {
        // Symmetrize: the numeric Hessian is only symmetric up to rounding.
        let n = hessian.count
        let sym = (0..<n).map { i in (0..<n).map { j in 0.5 * (hessian[i][j] + hessian[j][i]) } }
        guard let inv = inverse(sym) else { return Array(repeating: nil, count: n) }
        return (0..<n).map { inv[$0][$0] > 0 ? sqrt(inv[$0][$0]) : nil }
    }

    /// Central-difference Hessian of a function from its analytic gradient.
    static func numericHessian(at point: [Double], gradient: ([Double]) -> [Double]) -> [[Double]] {
        let n = point.count
        var h = Array(repeating: Array(repeating: 0.0, count: n), count: n)
        for j in 0..<n {
            let step = 1e-5 * max(abs(point[j]), 1e-3)
            var up = point, down = point
            up[j] += step
            down[j] -= step
            let gu = gradient(up), gd = gradient(down)
            for i in 0..<n { h[i][j] = (gu[i] - gd[i]) / (2 * step) }
        }
        return h
    }
}
