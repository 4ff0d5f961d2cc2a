import Foundation
import Testing
import ECTestSupport

/// `kpi … by GRAIN for A, B` on the sample shop: segments side by side.
@Suite struct KPISegmentTests {
    /// The side-by-side columns hold what each segment gives on its own.
    @Test func sideBySideMatchesEachSegmentAlone() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let range = "by quarter from 2024-01 to 2024-12"
        let out = try runECSH(["--demo", "--format", "csv",
                               "-c", "segment vip = revenue >= 20000", "-c", "segment one_timers = orders = 1",
                               "-c", "kpi gmv, aov \(range) for vip, one_timers", "-c", "export to 'both.csv'",
                               "-c", "kpi gmv, aov \(range) for vip", "-c", "export to 'vip.csv'",
                               "-c", "kpi gmv, aov \(range) for one_timers", "-c", "export to 'one.csv'",
                               "-c", "kpi gmv, aov for vip, one_timers", "-c", "export to 'plain.csv'"], directory: dir.url)
        #expect(out.status == 0, "\(out.stderr)")
        func rows(_ name: String) throws -> [[String]] {
            try String(contentsOfFile: dir.path(name), encoding: .utf8).split(separator: "\n")
                .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        }
        let both = try rows("both.csv"), vip = try rows("vip.csv"), one = try rows("one.csv")
        #expect(both[0] == ["quarter", "vip gmv", "vip aov", "one_timers gmv", "one_timers aov"])
        // One segment stays stacked: segment, quarter, gmv, aov; four quarters and a total each.
        #expect(vip[0] == ["segment", "quarter", "gmv", "aov"])
        #expect(both.count == 6 && vip.count == 6 && one.count == 6)
        for i in 1..<6 {
            #expect(both[i] == [vip[i][1], vip[i][2], vip[i][3], one[i][2], one[i][3]])
        }
        #expect(both[5][0] == "total")
        // Without a grain or dimension, one row per segment is already side by side.
        #expect(try rows("plain.csv").map { $0[0] } == ["segment", "vip", "one_timers"])
    }
}
