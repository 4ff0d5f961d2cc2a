import Foundation
import Testing
import ECTestSupport

/// Gamma-Gamma through the binary, from raw orders, against Python lifetimes 0.11.3's GammaGammaFitter
/// (summary_data_from_transaction_data with freq 'D': same-day orders one purchase, monetary value the mean of
/// the repeat purchases; fitted on frequency > 0 and monetary value > 0, no penalizer).
@Suite struct GammaGammaLifetimesTests {
    static func cdnowSample() throws -> String {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            let candidate = url.deletingLastPathComponent().appendingPathComponent("shared/data/cdnow/CDNOW_sample.txt")
            if FileManager.default.fileExists(atPath: candidate.path) { return try String(contentsOf: candidate, encoding: .utf8) }
            url = url.deletingLastPathComponent()
        }
        return try String(contentsOfFile: "/work/shared/data/cdnow/CDNOW_sample.txt", encoding: .utf8)
    }

    /// (estimate, std_error) of p, q and gamma from `predict ltv`'s CSV.
    static func parameters(_ csv: String) -> [String: (Double, Double)] {
        var out: [String: (Double, Double)] = [:]
        for line in csv.split(separator: "\n") {
            let c = line.split(separator: ",").map(String.init)
            if c.count == 3, ["p", "q", "gamma"].contains(c[0]), let e = Double(c[1]), let s = Double(c[2]) { out[c[0]] = (e, s) }
        }
        return out
    }

    static func expectClose(_ got: [String: (Double, Double)], _ want: [String: (Double, Double)]) {
        for (name, (estimate, se)) in want {
            let g = got[name]
            #expect(abs((g?.0 ?? .nan) - estimate) <= 2e-6 * estimate, "\(name) \(String(describing: g)) vs lifetimes \(estimate)")
            #expect(abs((g?.1 ?? .nan) - se) <= 1e-4 * se, "\(name) se \(String(describing: g)) vs lifetimes \(se)")
        }
    }

    /// CDNOW, 39-week calibration to 1997-09-30 (946 repeat customers): lifetimes p = 6.249572, q = 3.744225,
    /// v = 15.443521 (se 1.190055, 0.290133, 4.159423); Fader, Hardie & Lee (2005) print 6.25, 3.74, 15.44.
    @Test func cdnowFromRawOrdersMatchesLifetimes() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        var rows = ["order_id,customer_id,ordered_at,amount"]
        for (i, line) in try Self.cdnowSample().split(whereSeparator: \.isNewline).enumerated() {  // CRLF lines: "\r\n" is one Character
            let f = line.split(separator: " ").map(String.init)
            guard f.count == 5 else { continue }
            rows.append("O\(i),C\(f[0]),\(f[2].prefix(4))-\(f[2].dropFirst(4).prefix(2))-\(f[2].suffix(2)),\(f[4])")
        }
        let orders = try dir.write("orders.csv", rows.joined(separator: "\n") + "\n")
        let out = try runECSH([dir.path("w.db"), "--format", "csv", "-c", "load orders from '\(orders)'", "-c", "predict ltv as_of 1997-09-30 by cohort"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("Gamma-Gamma spend model on 946 repeat customers") || out.stderr.contains("Gamma-Gamma spend model on 946 repeat customers"))
        Self.expectClose(Self.parameters(out.stdout), ["p": (6.249572, 1.190055), "q": (3.744225, 0.290133), "gamma": (15.443521, 4.159423)])
    }

    /// The demo shop's q = 6.0000 is no bound of the optimiser (the only limits are 1e-5 and 1e6, outside which the fit is
    /// an error): lifetimes on samples/shop/orders.csv's completed orders finds the same interior maximum, q = 6.000011 ± 0.38.
    @Test func demoShopMatchesLifetimes() throws {
        let out = try runECSH(["--demo", "--format", "csv", "-c", "predict ltv by cohort"])
        #expect(out.status == 0, "\(out.stderr)")
        Self.expectClose(Self.parameters(out.stdout), ["p": (6.892389, 0.811643), "q": (6.000011, 0.383933), "gamma": (2320.116487, 429.215953)])
    }
}
