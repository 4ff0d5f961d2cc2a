import Foundation
import Testing
import ECStore
import ECTestSupport

/// For every KPI of the catalogue, the SQL `show sql` prints after `kpi NAME by quarter`, pasted into SQLite on
/// the sample shop's workspace file, gives the figures the KPI showed, quarter by quarter.
@Suite struct ShownSQLEveryKPITests {
    @Test func everyKPIsShownSQLGivesItsFigures() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let shop = BuiltBinary.packageRoot.appendingPathComponent("samples/shop").path
        let db = dir.path("shop.db")
        let loads = [("orders", "orders.csv"), ("customers", "customers.csv"), ("spend", "ad_spend.csv"),
                     ("traffic", "traffic.csv"), ("nps", "nps.csv")].flatMap { ["-c", "load \($0.0) from '\(shop)/\($0.1)'"] }
        let loaded = try runECSH([db] + loads + ["--format", "csv", "-c", "kpis"])
        #expect(loaded.status == 0, "\(loaded.stderr)")
        // The catalogue's names: the first cell of each CSV line after the header.
        let names = loaded.stdout.split(separator: "\n").drop { !$0.hasPrefix("kpi,") }.dropFirst()
            .compactMap { $0.split(separator: ",").first.map(String.init) }
        #expect(names.count >= 31 && names.contains("gmv") && names.contains("nps"), "\(names)")
        let workspace = try Database(path: db)
        for name in names {
            let out = try runECSH([db, "--format", "csv", "-c", "kpi \(name) by quarter", "-c", "show sql"])
            #expect(out.status == 0, "\(name): \(out.stderr)")
            let lines = out.stdout.components(separatedBy: "\n")
            let start = try #require(lines.firstIndex { $0.hasPrefix("--") || $0.hasPrefix("WITH") || $0.hasPrefix("SELECT") }, "\(name): \(out.stdout)")
            let shown = lines[..<start].filter { !$0.isEmpty }.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let header = try #require(shown.first)
            #expect(header.first == "quarter", "\(name): \(header)")
            let pasted = try workspace.query(lines[start...].joined(separator: "\n"))
            let quarter = try #require(pasted.columns.firstIndex(of: "quarter") ?? pasted.columns.firstIndex(of: "period"), "\(name): \(pasted.columns)")
            let body = shown.dropFirst().filter { $0.first != "total" }
            #expect(body.count == 8, "\(name): \(body.count) quarters")
            for row in body {
                let match = try #require(pasted.rows.first { $0[quarter].textValue == row[0] }, "\(name): no \(row[0]) in the pasted SQL's result")
                for (c, column) in header.enumerated().dropFirst() {
                    let p = try #require(pasted.columns.firstIndex(of: column), "\(name): no \(column) in \(pasted.columns)")
                    let kpi = Double(row[c]), sql = match[p].doubleValue
                    #expect((kpi == nil) == (sql == nil), "\(name) \(row[0]) \(column): \(row[c]) against \(match[p])")
                    if let kpi, let sql { #expect(abs(kpi - sql) <= 1e-9 * max(1, abs(kpi)), "\(name) \(row[0]) \(column): \(kpi) against \(sql)") }
                }
            }
        }
    }
}
