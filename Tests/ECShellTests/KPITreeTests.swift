import Foundation
import Testing
import ECTestSupport

/// `kpi tree` on the sample shop, through the real binary, checked against `kpi` and hand-written SQL.
@Suite struct KPITreeTests {
    /// CSV blocks of one run, split at each header line that starts with `first`.
    static func block(_ out: String, header first: String) -> [[String]] {
        let lines = out.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let start = lines.firstIndex(where: { $0.first == first }) else { return [] }
        return Array(lines[start...])
    }

    static func rows(_ lines: [[String]], until stop: String) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for line in lines.dropFirst() {
            if line.first == stop { break }
            let name = (line.first ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "├└─│ "))
            if result[name] == nil { result[name] = line }
        }
        return result
    }

    @Test func revenueTreeMultipliesBackAndMatchesTheKPIs() throws {
        let out = try runECSH(["--demo", "--format", "csv", "-c", "kpi tree revenue by month from 2024-04 to 2024-05",
                               "-c", "kpi sessions, cvr, aov, revenue, customers, new_customers, returning_customers by month from 2024-04 to 2024-05"])
        #expect(out.status == 0, "\(out.stderr)")
        let tree = Self.rows(Self.block(out.stdout, header: "node"), until: "month")
        let kpi = Self.rows(Self.block(out.stdout, header: "month"), until: "total")
        let may = try #require(kpi["2024-05"]), april = try #require(kpi["2024-04"])
        func n(_ row: [String]?, _ i: Int) throws -> Double { try #require(row.flatMap { Double($0[i]) }) }
        // Columns: node, formula, unit, 2024-04, 2024-05, change, explains, mark.
        let revenue = try n(tree["revenue"], 4)
        #expect(abs(revenue - (try n(may, 4))) < 0.5)
        // The factors reproduce the root: sessions × cvr × aov = customers × orders/customer × aov = revenue.
        // cvr is written as the ratio `kpi` writes (unit `ratio`), not in percent as the table shows it.
        #expect(tree["cvr"]?[2] == "ratio")
        let product = try n(tree["sessions"], 4) * n(tree["cvr"], 4) * n(tree["aov"], 4)
        #expect(abs(product - revenue) < 1e-6 * revenue)
        let second = try n(tree["customers"], 4) * n(tree["orders_per_customer"], 4) * n(tree["aov"], 4)
        #expect(abs(second - revenue) < 1e-6 * revenue)
        // Each child is the KPI engine's number for the same month.
        #expect(try n(tree["sessions"], 3) == n(april, 1) && n(tree["sessions"], 4) == n(may, 1))
        #expect(abs(try n(tree["cvr"], 4) - n(may, 2)) < 1e-15)
        #expect(abs(try n(tree["aov"], 4) - n(may, 3)) < 1e-9)
        #expect(try n(tree["customers"], 4) == n(may, 5))
        #expect(try n(tree["new_customers"], 4) == n(may, 6) && n(tree["returning_customers"], 4) == n(may, 7))
        // Shares of the log change add up to 100%; sessions moved most and is marked.
        let shares = try ["sessions", "cvr", "aov"].map { try n(tree[$0], 6) }
        #expect(abs(shares.reduce(0, +) - 1) < 1e-9)
        #expect(tree["sessions"]?.last == "◀ biggest mover")
        // Hand check of one share: ln(85,871 / 51,174) / ln(revenue ratio).
        let expected = log(try n(tree["sessions"], 4) / n(tree["sessions"], 3)) / log(revenue / (try n(tree["revenue"], 3)))
        #expect(abs(shares[0] - expected) < 1e-12)
    }

    @Test func marginTreeAddsUpToHandSQL() throws {
        let sql = """
            sql select sum(amount), sum(discount), sum(points), sum(cogs), sum(shipping), sum(commission) from orders \
            where status = 'completed' and ordered_at >= '2024-05-01' and ordered_at < '2024-06-01'
            """
        let out = try runECSH(["--demo", "--format", "csv", "-c", "kpi tree margin by month from 2024-04 to 2024-05",
                               "-c", "kpi margin by month from 2024-05 to 2024-05", "-c", sql])
        #expect(out.status == 0, "\(out.stderr)")
        let tree = Self.rows(Self.block(out.stdout, header: "node"), until: "month")
        let lines = out.stdout.split(separator: "\n").map(String.init)
        let sums = try #require(lines.firstIndex { $0.hasPrefix("sum(amount)") }.map { lines[$0 + 1] })
            .split(separator: ",").compactMap { Double($0) }
        #expect(sums.count == 6)
        let names = ["gmv", "discounts", "points", "cogs", "shipping", "commission"]
        for (name, value) in zip(names, sums) {
            #expect(Double(tree[name]?[4] ?? "") == value, "\(name)")
        }
        let margin = sums[0] - sums[1...].reduce(0, +)
        #expect(Double(tree["margin"]?[4] ?? "") == margin)
        let kpiMargin = try #require(lines.first { $0.hasPrefix("2024-05,") }.flatMap { Double($0.split(separator: ",")[1]) })
        #expect(abs(kpiMargin - margin) < 0.5)
        // Signed shares of a sum add up to 100%; the biggest mover moved with the fall (a cost), not GMV.
        let shares = names.compactMap { tree[$0].flatMap { Double($0[6]) } }
        #expect(abs(shares.reduce(0, +) - 1) < 1e-9)
        #expect(tree["gmv"]?.last != "◀ biggest mover")
        let marked = names.filter { tree[$0]?.last == "◀ biggest mover" }
        let top = zip(names, shares).max { $0.1 < $1.1 }?.0
        #expect(marked.count == 1 && marked.first == top, "\(marked) vs \(String(describing: top))")
    }

    /// The exported CSV and the JSON write cvr as a ratio: sessions × cvr × aov is revenue as plain SQL
    /// over the rows computes it (the old tree wrote cvr 1.5887, in percent, so the product was 100× off).
    @Test func exportedFactorsMultiplyBackToHandSQLRevenue() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let csv = dir.path("tree.csv")
        let sql = """
            sql select sum(amount - discount - points), count(*) from orders where ordered_at >= '2024-05-01' \
            and ordered_at < '2024-06-01' and coalesce(status, '') not in ('cancelled', 'returned', 'refunded', 'failed')
            """
        let out = try runECSH(["--demo", "--format", "json", "-c", "kpi tree revenue by month from 2024-04 to 2024-05",
                               "-c", "export to '\(csv)'",
                               "-c", "sql select sum(sessions) from traffic where date >= '2024-05-01' and date < '2024-06-01'",
                               "-c", sql])
        #expect(out.status == 0, "\(out.stderr)")
        let tree = Self.rows(Self.block(try String(contentsOfFile: csv, encoding: .utf8), header: "node"), until: "")
        func n(_ name: String, _ i: Int) throws -> Double { try #require(tree[name].flatMap { Double($0[i]) }) }
        let lines = out.stdout.split(separator: "\n").map(String.init)
        func number(after key: String) throws -> [Double] {
            let line = try #require(lines.first { $0.contains(key) })
            return line.split(whereSeparator: { ",:{}\"".contains($0) }).compactMap { Double($0) }
        }
        let sessions = try #require(try number(after: "sum(sessions)").first)
        let hand = try number(after: "sum(amount - discount - points)")
        let (revenue, orders) = (hand[0], hand[1])
        #expect(try n("sessions", 4) == sessions)
        #expect(tree["cvr"]?[2] == "ratio")
        #expect(abs(try n("cvr", 4) - orders / sessions) < 1e-15)
        let product = try n("sessions", 4) * n("cvr", 4) * n("aov", 4)
        #expect(abs(product - revenue) < 1e-6 * revenue, "\(product) vs \(revenue)")
        // JSON: the same ratio, while the table view keeps percent (unit %, 2 decimals).
        let json = try #require(lines.first { $0.contains("\"├─ cvr\"") })
        #expect(json.contains("\"unit\":\"ratio\"") && json.contains("\"2024-05\":\(tree["cvr"]![4])"))
        let shown = try runECSH(["--demo", "-c", "kpi tree revenue by month from 2024-04 to 2024-05"])
        let row = try #require(shown.stdout.split(separator: "\n").first { $0.contains("├─ cvr") })
        #expect(row.contains(" % ") && row.contains(String(format: "%.2f", orders / sessions * 100)))
    }

    @Test func htmlExportWritesTheTree() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let html = dir.path("tree.html")
        let out = try runECSH(["--demo", "-c", "kpi tree gmv by quarter", "-c", "export to '\(html)'"])
        #expect(out.status == 0, "\(out.stderr)")
        let text = try String(contentsOfFile: html, encoding: .utf8)
        #expect(text.contains("├─ orders") && text.contains("mall_gmv") && text.contains("◀ biggest mover"))
        #expect(text.contains("2024-Q3") && text.contains("2024-Q4"))
    }

    @Test func unknownTreeIsLocatedWithTheChoices() throws {
        let out = try runECSH(["--demo", "-c", "kpi tree revenu"])
        #expect(out.status == 1)
        #expect(out.stderr.contains("'revenu'") && out.stderr.contains("revenue"))
        #expect(out.stderr.contains("<command line>:1:10"))
    }
}
