import Foundation
import Testing
import ECTestSupport

/// `simulate transition` on a shop small enough to work out by hand: own, rakuten and amazon buyers over 2023-Q4 … 2024-Q4,
/// one order per buyer per quarter, the last on 2024-12-12, and ¥30,000 of own-site ads in 2024 for 2 new own buyers.
@Suite struct TransitionHandWorkedTests {
    /// Buyers per channel and quarter; every order of a channel has the same figures but O1's 2024-Q3 order (twice the own one).
    static let buyers: [(channel: String, quarter: String, customers: [String])] = [
        ("own", "2023-11", ["O1", "O2"]), ("own", "2024-02", ["O1", "O2", "O3"]), ("own", "2024-05", ["O1", "O3"]),
        ("own", "2024-08", ["O1", "O2", "O3"]), ("own", "2024-12", ["O1", "O2", "O4"]),
        ("rakuten", "2023-11", ["R1", "R2"]), ("rakuten", "2024-02", ["R1", "R3"]), ("rakuten", "2024-05", ["R2", "R4"]),
        ("rakuten", "2024-08", ["R1"]), ("rakuten", "2024-12", ["R3", "R4"]),
        ("amazon", "2023-11", ["A1"]), ("amazon", "2024-02", ["A2"]), ("amazon", "2024-05", ["A1"]),
        ("amazon", "2024-08", ["A1", "A2"]), ("amazon", "2024-12", ["A2"]),
    ]
    /// amount, discount, points, cogs, shipping, commission
    static let figures = ["own": "10000,500,300,4000,800,350", "rakuten": "8000,0,80,3200,700,800", "amazon": "6000,0,0,2400,500,900"]

    static func shop(from firstQuarter: String = "2023-11") throws -> (TemporaryDirectory, String) {
        let dir = try TemporaryDirectory()
        var orders = ["order_id,customer_id,ordered_at,amount,discount,points,cogs,shipping,commission,quantity,channel,status"]
        for (channel, month, customers) in buyers where month >= firstQuarter {
            for (i, customer) in customers.enumerated() {
                let big = customer == "O1" && month == "2024-08"
                orders.append("X\(orders.count),\(customer),\(month)-\(10 + i) 10:00:00,"
                              + (big ? "20000,1000,600,8000,800,700" : figures[channel]!) + ",1,\(channel),completed")
            }
        }
        try (orders.joined(separator: "\n") + "\n").write(toFile: dir.path("orders.csv"), atomically: true, encoding: .utf8)
        try ("date,channel,campaign,spend\n2023-11-01,own,a,7000\n2024-02-01,own,a,10000\n2024-11-01,own,a,20000\n2024-05-01,rakuten,r,5000\n")
            .write(toFile: dir.path("spend.csv"), atomically: true, encoding: .utf8)
        return (dir, "load orders from '\(dir.path("orders.csv"))'")
    }

    static func rows(_ text: String) -> [String: [Double]] {
        var out: [String: [Double]] = [:]
        for line in text.split(separator: "\n") {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            // The first statement's rows (a later one repeats the names).
            if cells.count >= 2, Double(cells[1]) != nil, out[cells[0]] == nil { out[cells[0]] = cells.dropFirst().map { Double($0) ?? .nan } }
        }
        return out
    }

    /// Per quarter over 2024 (÷ 4): own GMV 120,000/4 = 30,000, margin 49,400/4 = 12,350, fees (4,200 commission + 9,600
    /// discounts and points)/4 = 3,450; malls GMV (56,000 + 30,000)/4 = 21,500, margin (22,540 + 11,000)/4 = 8,385, buyers 12/4 = 3.
    /// Retention is pooled: own keeps 2 of 2, 2 of 3, 2 of 2, 2 of 3 buyers = 8/10 = 80%; the malls 1 of 2, 0 of 2, 0 of 2, 0 of 1
    /// (rakuten) and 0 of 1, 0 of 1, 1 of 1, 1 of 2 (amazon) = 3/12 = 25%. The old buyer-weighted mean of the quarterly rates
    /// weighted each rate by the quarter's own buyers, not by the buyers it is a share of: 84.8% and 29.2%, which moved payback
    /// from Q+4 to Q+5.
    @Test func retentionIsPooledAndTheProjectionFollowsByHand() throws {
        let (dir, load) = try Self.shop(); defer { dir.remove() }
        let out = try runECSH([dir.path("w.db"), "--format", "csv", "-c", load, "-c", "load spend from '\(dir.path("spend.csv"))'",
                               "-c", "simulate transition from rakuten, amazon to own by 25% per quarter for 5 quarters"])
        #expect(out.status == 0, "\(out.stderr)")
        let r = Self.rows(out.stdout)
        for (name, value) in [("mall_gmv", 21_500.0), ("mall_margin", 8_385), ("mall_fees", 2_665), ("mall_customers", 3), ("own_gmv", 30_000),
                              ("own_margin", 12_350), ("own_fees", 3_450), ("own_retention", 0.8), ("mall_retention", 0.25), ("own_cac", 15_000)] {
            #expect(abs((r[name]?[0] ?? .nan) - value) < 1e-9 * max(1, value), "\(name): \(r[name] ?? [])")
        }
        // Q+2: half the mall GMV moves (10,750) and comes back × 0.8/0.25 = 34,400 on the own site.
        // GMV 10,750 + 30,000 + 34,400; revenue 21,360 × 0.5 + 27,600 + 34,400 × 0.92; fees avoided 10,750 × 2,665/21,500;
        // own fees 34,400 × 0.115; margin 8,385 × 0.5 + 12,350 + 34,400 × 12,350/30,000 = 30,703.83 against 20,735 today;
        // ad spend (50% − 25%) × 3 buyers × ¥15,000 = 11,250; cumulative −6,265.58 (Q+1) − 1,281.17.
        let q2 = [0.5, 75_150, 69_928, 1_332.5, 3_956, 30_703.833333, 9_968.833333, 11_250, -1_281.166667, -7_546.75]
        for (got, want) in zip(r["Q+2"] ?? [], q2) { #expect(abs(got - want) < 1e-3, "Q+2 \(r["Q+2"] ?? [])") }
        #expect(r["Q+2"]?.count == q2.count)
        // Q+4 moves all: margin 12,350 + 68,800 × 0.411667 = 40,672.67, cash flow 19,937.67 − 11,250; cumulative 4,844.17 ≥ 0.
        #expect(abs((r["Q+4"]?.last ?? .nan) - 4_844.166667) < 1e-3, "\(r["Q+4"] ?? [])")
        #expect(out.stderr.contains("the transition pays back in Q+4"), "\(out.stderr)")
        // The last quarter ends on 2024-12-12: said, with the way to whole quarters.
        #expect(out.stderr.contains("2024-Q4's orders end on 2024-12-12 (73 of its 92 days) but it counts as a whole quarter in these averages"
                                    + ", which understates the per-quarter money and buyers if orders are missing after that day; set as_of 2024-09-30"),
                "\(out.stderr)")
    }

    /// The last counted order is on 2024-12-12, but a cancelled order dated 2024-12-31 shows the export covers the quarter,
    /// and ¥6,000 of own ads ran on 2024-12-20. CAC over 2024: (10,000 + 20,000 + 6,000) / 2 new own buyers (O3, O4) = ¥18,000;
    /// it was measured to the last counted order, (10,000 + 20,000) / 2 = ¥15,000, dropping the December spend.
    @Test func cacCountsTheSpendToTheDayTheOrdersCover() throws {
        let (dir, load) = try Self.shop(); defer { dir.remove() }
        let orders = try String(contentsOfFile: dir.path("orders.csv"), encoding: .utf8)
        try (orders + "X99,C99,2024-12-31 10:00:00,5000,0,0,0,0,0,1,own,cancelled\n").write(toFile: dir.path("orders.csv"), atomically: true, encoding: .utf8)
        let spend = try String(contentsOfFile: dir.path("spend.csv"), encoding: .utf8)
        try (spend + "2024-12-20,own,a,6000\n").write(toFile: dir.path("spend.csv"), atomically: true, encoding: .utf8)
        let out = try runECSH([dir.path("w.db"), "--format", "csv", "-c", load, "-c", "load spend from '\(dir.path("spend.csv"))'",
                               "-c", "simulate transition from rakuten, amazon to own for 2 quarters"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(abs((Self.rows(out.stdout)["own_cac"]?[0] ?? .nan) - 18_000) < 1e-9, "\(out.stdout)")
        #expect(out.stdout.contains("spend to 2024-12-31, the last day the orders cover"), "\(out.stdout)")
    }

    /// Without 2023-Q4 the first quarter's retention_rate is ∅ (no buyers before it); it counted as 0% with 2024-Q1's buyers
    /// as its weight (own 57.6%). Pooled, it does not count: own 2 of 3, 2 of 2, 2 of 3 = 6/8 = 75%; malls 0 of 2, 0 of 2,
    /// 0 of 1 and 0 of 1, 1 of 1, 1 of 2 = 2/9.
    @Test func aQuarterWithNoBuyersBeforeItDoesNotCountAsZeroRetention() throws {
        let (dir, load) = try Self.shop(from: "2024-01"); defer { dir.remove() }
        let out = try runECSH([dir.path("w.db"), "--format", "csv", "-c", load, "-c", "simulate transition from rakuten, amazon to own for 2 quarters"])
        #expect(out.status == 0, "\(out.stderr)")
        let r = Self.rows(out.stdout)
        #expect(abs((r["own_retention"]?[0] ?? .nan) - 0.75) < 1e-9, "\(out.stdout)")
        #expect(abs((r["mall_retention"]?[0] ?? .nan) - 2.0 / 9) < 1e-9, "\(out.stdout)")
    }

    /// `to amazon` moved every mall, amazon included, to amazon: mall_gmv was rakuten + amazon (21,500), and a tenth of
    /// amazon's own sales "avoided" its fees. Now the other malls: rakuten's 56,000/4 = 14,000.
    @Test func aMallTargetIsNotMovedToItself() throws {
        let (dir, load) = try Self.shop(); defer { dir.remove() }
        let out = try runECSH([dir.path("w.db"), "--format", "csv", "-c", load, "-c", "simulate transition to amazon for 2 quarters"])
        #expect(out.status == 0, "\(out.stderr)")
        let r = Self.rows(out.stdout)
        #expect(r["mall_gmv"]?[0] == 14_000, "\(out.stdout)")
        #expect(out.stdout.contains("measured: rakuten, 2024-01 to 2024-12-12"), "\(out.stdout)")
        #expect(!out.stdout.contains("measured: rakuten + amazon"), "\(out.stdout)")
        // 30% a quarter: 30%, 60%, 90% (not 89.99999999999999%), then capped at 100% with ad spend for the last 10% only.
        let steps = try runECSH([dir.path("w.db"), "--format", "csv", "-c", "assume own_cac 1000",
                                 "-c", "simulate transition from rakuten to own by 30% per quarter for 5 quarters"])
        let s = Self.rows(steps.stdout)
        #expect((1...5).map { s["Q+\($0)"]?[0] } == [0.3, 0.6, 0.9, 1, 1], "\(steps.stdout)")
        // ad spend = added share × 1.75 rakuten buyers a quarter × ¥1,000.
        #expect((1...5).map { (s["Q+\($0)"]?[7] ?? .nan) } .enumerated().allSatisfy { abs($1 - [525.0, 525, 525, 175, 0][$0]) < 1e-6 },
                "\(steps.stdout)")
        let zero = try runECSH([dir.path("w.db"), "-c", "assume mall_retention 0%"])
        #expect(zero.status == 1 && zero.stderr.contains("mall_retention must be above 0%") && zero.stderr.contains("1:23"), "\(zero.stderr)")
    }

    /// A shop opened on 2024-07-10: own A ¥1,000 (Q3, Q4) and D ¥4,000 (2024-12-30); B on rakuten ¥2,000 (Q3, Q4) and on
    /// yahoo ¥1,000 (Q4); C on yahoo ¥3,000 (Q3). `extra` adds rows (a cancelled order, an earlier one).
    static func youngShop(_ extra: [String] = []) throws -> (TemporaryDirectory, String) {
        let dir = try TemporaryDirectory()
        let orders = try dir.write("orders.csv", (["order_id,customer_id,ordered_at,amount,channel,status",
            "1,A,2024-07-10,1000,own,completed", "2,B,2024-07-11,2000,rakuten,completed", "3,C,2024-08-12,3000,yahoo,completed",
            "4,A,2024-10-05,1000,own,completed", "5,B,2024-10-06,2000,rakuten,completed", "6,B,2024-11-07,1000,yahoo,completed",
            "7,D,2024-12-30,4000,own,completed"] + extra).joined(separator: "\n") + "\n")
        return (dir, "load orders from '\(orders)'")
    }

    func simulate(_ dir: TemporaryDirectory, _ statements: [String]) throws -> ProcessOutput {
        let out = try runECSH([dir.path("w.db"), "--format", "csv"] + statements.flatMap { ["-c", $0] } + ["-c", "simulate transition to own for 2 quarters"])
        #expect(out.status == 0, "\(out.stderr)")
        return out
    }

    /// The quarters before the first purchase had no shop: the averages are over 2024-Q3 and Q4, said in a note. Malls
    /// (8,000)/2 = 4,000 a quarter, own (1,000 + 1,000 + 4,000)/2 = 3,000, mall buyers (B, C; then B once) 3/2 = 1.5. Over
    /// four quarters they were 2,000, 1,500 and 1.0 (B counted on both malls in Q4: (2 + 2)/4), a shop half its size.
    @Test func aShopYoungerThanAYearIsAveragedOverItsQuarters() throws {
        let (dir, load) = try Self.youngShop(); defer { dir.remove() }
        let out = try simulate(dir, [load])
        let r = Self.rows(out.stdout)
        for (name, value) in [("mall_gmv", 4_000.0), ("own_gmv", 3_000), ("mall_customers", 1.5), ("own_retention", 1), ("mall_retention", 0.5)] {
            #expect(r[name]?[0] == value, "\(name): \(out.stdout)")
        }
        #expect(out.stdout.contains("measured: rakuten + yahoo, 2024-07 to 2024-12-30 (2 quarters), per quarter"), "\(out.stdout)")
        #expect(out.stderr.contains("the first purchase is on 2024-07-10: the averages are over the 2 quarters 2024-Q3 to 2024-Q4, not four "
                                    + "(2024-Q3 from that day only, 83 of its 92 days, which understates it)"), "\(out.stderr)")
    }

    /// With an own order on 2024-01-15 (F, ¥800) the four quarters count, 2024-Q2 without orders as 0: own (800 + 6,000)/4
    /// = 1,700. B bought on rakuten and on yahoo in 2024-Q4: one buyer to win, so mall buyers are (2 + 1)/4 = 0.75, not
    /// (2 + 2)/4 = 1.0 (each mall's count added).
    @Test func aBuyerOfTwoMallsInOneQuarterCountsOnce() throws {
        let (dir, load) = try Self.youngShop(["8,F,2024-01-15,800,own,completed"]); defer { dir.remove() }
        let out = try simulate(dir, [load])
        let r = Self.rows(out.stdout)
        #expect(r["own_gmv"]?[0] == 1_700 && r["mall_gmv"]?[0] == 2_000 && r["mall_customers"]?[0] == 0.75, "\(out.stdout)")
        #expect(!out.stderr.contains("the first purchase"), "\(out.stderr)")
    }

    /// The last purchase is on 2024-12-30, one day before the quarter's end. A cancelled order dated 2024-12-31 shows the
    /// export runs to the end: no partial note. Without it the note says so and offers both ways out; `set as_of
    /// 2024-12-31` (the user's word that the data covers the quarter) silences it.
    @Test func theLastQuarterIsPartialOnlyWhenTheOrdersEndBeforeIt() throws {
        let (dir, load) = try Self.youngShop(["8,E,2024-12-31,9000,own,cancelled"]); defer { dir.remove() }
        let covered = try simulate(dir, [load])
        #expect(!covered.stderr.contains("2024-Q4's orders end"), "\(covered.stderr)")
        #expect(Self.rows(covered.stdout)["own_gmv"]?[0] == 3_000, "\(covered.stdout)")
        let (short, loadShort) = try Self.youngShop(); defer { short.remove() }
        let partial = try simulate(short, [loadShort])
        #expect(partial.stderr.contains("2024-Q4's orders end on 2024-12-30 (91 of its 92 days) but it counts as a whole quarter in these averages, "
                                        + "which understates the per-quarter money and buyers if orders are missing after that day; set as_of 2024-09-30 "
                                        + "to measure whole quarters before it, or set as_of 2024-12-31 if the orders export covers the quarter to its end"),
                "\(partial.stderr)")
        let told = try simulate(short, ["set as_of 2024-12-31"])
        #expect(!told.stderr.contains("2024-Q4's orders end"), "\(told.stderr)")
    }

    /// No filter or segment: the help says how to measure a part and assume its figures.
    @Test func aFilterOrSegmentIsRefusedWithAWayOut() throws {
        for (clause, column, message) in [("where channel = 'own'", 28, "it takes no 'where' filter"), ("for vip", 32, "not a segment")] {
            let out = try runECSH(["-c", "simulate transition to own \(clause)"])
            #expect(out.status == 1 && out.stderr.contains(message) && out.stderr.contains("1:\(column)"), "\(out.stderr)")
            #expect(out.stderr.contains("help: measure the part with kpi retention_rate, customers, cac by quarter, channel where"), "\(out.stderr)")
        }
    }
}
