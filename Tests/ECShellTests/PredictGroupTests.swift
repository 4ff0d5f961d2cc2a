import Foundation
import Testing
import ECTestSupport

/// `predict ltv by …` / `for A, B` / `separate` / `model …` through the real binary on the sample shop.
@Suite struct PredictGroupTests {
    /// CSV rows of the table whose header starts with `header`, up to and including its total row.
    static func table(_ stdout: String, header: String) -> [[String]] {
        let lines = stdout.split(separator: "\n").map(String.init)
        guard let start = lines.firstIndex(where: { $0.hasPrefix(header) }) else { return [] }
        var rows: [[String]] = []
        for line in lines[(start + 1)...] {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            rows.append(f)
            if f[0] == "total" { break }
        }
        return rows
    }

    @Test func pooledByChannelAddsUpToThePooledTotal() throws {
        let out = try runECSH(["--demo", "--format", "csv", "-c", "predict ltv by first_channel",
                               "-c", "sql select first_channel, count(*) from ecsh_customer_facts group by 1 order by 1"])
        #expect(out.status == 0, "\(out.stderr)")
        let rows = Self.table(out.stdout, header: "first_channel,customers")
        let groups = rows.dropLast(), total = try #require(rows.last)
        #expect(groups.count >= 2)
        // Customers per channel match plain SQL over the customer facts.
        let sqlCounts = out.stdout.split(separator: "\n").suffix(groups.count).map { $0.split(separator: ",").map(String.init) }
        #expect(groups.map { [$0[0], $0[1]] } == sqlCounts.map { [$0[0], $0[1]] })
        // Equity (the last column, after the groups' margins) and customers add up to the total row.
        #expect(abs(groups.map { Double($0[8])! }.reduce(0, +) - Double(total[8])!) < 1e-6 * Double(total[8])!)
        #expect(groups.map { Int($0[1])! }.reduce(0, +) == Int(total[1])!)
    }

    @Test func separateFitsShowParametersAndTheLikelihoodRatioTest() throws {
        // Notes (the test, the assumption) go to stderr when stdout is not a terminal.
        let out = try runECSH(["--demo", "-c", "predict ltv by first_channel separate"])
        let all = out.stdout + out.stderr
        #expect(out.status == 0, "\(out.stderr)")
        #expect(all.contains("likelihood-ratio test, separate vs pooled: χ² = "))
        #expect(all.contains("on 12 df"))   // 4 channels × 4 parameters − 4
        #expect(all.contains("one-time buyers get P(alive) = 1"))
        #expect(all.contains("customer equity from the pooled fit"))
        // Four channels × (4 BG/NBD + 3 Gamma-Gamma) parameter rows.
        #expect(all.contains("28 rows"))
    }

    @Test func segmentsSideBySideAndSmallGroupWarning() throws {
        let segments = ["-c", "segment repeaters = orders >= 2", "-c", "segment one_timers = orders = 1", "-c", "segment okinawa = region = 'Okinawa'"]
        let out = try runECSH(["--demo", "--format", "csv"] + segments + ["-c", "predict ltv for repeaters, one_timers"])
        #expect(out.status == 0, "\(out.stderr)")
        let rows = Self.table(out.stdout, header: "segment,customers")
        #expect(rows.map { $0[0] } == ["repeaters", "one_timers", "total"])
        // One-time buyers: P(alive) exactly 1 under BG/NBD, and no repeat customers.
        #expect(rows[1][2] == "0" && Double(rows[1][3]) == 1)
        let small = try runECSH(["--demo"] + segments + ["-c", "predict ltv for okinawa, repeaters separate"])
        #expect(small.status == 0, "\(small.stderr)")
        // Okinawa is a small region of the sample shop (fewer than 200 customers): warned about, still fitted.
        let all = small.stdout + small.stderr
        let warning = try #require(all.split(separator: "\n").first { $0.hasPrefix("warning: group okinawa has only ") })
        let count = Int(warning.dropFirst("warning: group okinawa has only ".count).prefix { $0.isNumber }) ?? -1
        #expect(count > 0 && count < 200, "\(warning)")
        #expect(all.contains("segments overlap"))
    }

    @Test func modelChoiceIsStatedAndUnknownModelsAreLocated() throws {
        let out = try runECSH(["--demo", "--format", "csv", "-c", "predict ltv model auto"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("model auto: BIC on the calibration period BG/NBD"))
        #expect(out.stderr.contains("(lowest BIC)"))
        let bad = try runECSH(["--demo", "-c", "predict ltv model weibull"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("1:19"))
        let noGroups = try runECSH(["--demo", "-c", "predict ltv separate"])
        #expect(noGroups.status == 1)
        #expect(noGroups.stderr.contains("separate fits need groups"))
    }
}
