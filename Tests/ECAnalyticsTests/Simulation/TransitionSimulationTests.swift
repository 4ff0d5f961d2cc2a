import Foundation
import Testing
@testable import ECAnalytics

/// The transition projection on a tiny hand-built shop, every number worked out by hand below.
@Suite struct TransitionSimulationTests {
    /// Per quarter: malls GMV 1,000 (revenue 900, CM2 100, fees 150, 50 buyers); own GMV 500 (revenue 480, CM2 150, fees 20).
    static func inputs(ownRetention: Double, ownCAC: Double, quarters: Int) -> TransitionSimulation.Inputs {
        TransitionSimulation.Inputs(mallGMV: 1000, mallRevenue: 900, mallMargin: 100, mallFees: 150, mallCustomers: 50,
                                    ownGMV: 500, ownRevenue: 480, ownMargin: 150, ownFees: 20,
                                    ownRetention: ownRetention, mallRetention: 0.2, ownCAC: ownCAC, step: 0.25, quarters: quarters)
    }

    @Test func betterOwnRetentionPaysBackAtOnce() throws {
        // own retention 0.4 vs mall 0.2: each moved yen comes back as 2 yen on the own site.
        let s = try TransitionSimulation(Self.inputs(ownRetention: 0.4, ownCAC: 2, quarters: 5))
        let q1 = s.quarters[0]
        // Q+1: 25% moved = 250; migrated = 500.
        #expect(q1.shareMoved == 0.25)
        #expect(q1.gmv == 1750)                 // 1000 − 250 + 500 + 500
        #expect(abs(q1.revenue - 1635) < 1e-9)  // 900·0.75 + 480 + 500·(480/500)
        #expect(abs(q1.mallFeesAvoided - 37.5) < 1e-9) // 250 moved · mall fee rate 150/1000
        #expect(abs(q1.ownFeesAdded - 20) < 1e-9)      // 500 migrated · own fee rate 20/500
        #expect(q1.margin == 375)               // 100·0.75 + 150 + 500·0.3
        #expect(q1.marginChange == 125)         // 375 − 250
        #expect(q1.adSpend == 25)               // 0.25 · 50 buyers · CAC 2
        #expect(q1.cashFlow == 100)
        // Q+4: all moved (1000 → 2000 own); Q+5: still all moved, no more ads.
        #expect(s.quarters[3].shareMoved == 1 && s.quarters[3].gmv == 2500)   // 0 + 500 + 2000
        #expect(s.quarters[4].shareMoved == 1 && s.quarters[4].adSpend == 0)
        #expect(s.quarters[4].margin == 750)    // 0 + 150 + 2000·0.3
        // Cumulative: 100, 100+(500−250−25)=325, 325+(625−250−25)=675, 675+(750−250−25)=1150, 1150+500=1650.
        #expect(s.quarters.map(\.cumulativeCashFlow) == [100, 325, 675, 1150, 1650])
        #expect(s.paybackQuarter == 1)
    }

    @Test func sameRetentionAndDearAdsPayBackLate() throws {
        // ρ = 1, CAC 20: each quarter's step costs 0.25·50·20 = 250 in ads until everything has moved.
        // margin: 300, 350, 400, 450, 450, …; change 50, 100, 150, 200, 200, …; cash flow −200, −150, −100, −50, 200, 200, 200, 200.
        let five = try TransitionSimulation(Self.inputs(ownRetention: 0.2, ownCAC: 20, quarters: 5))
        #expect(five.quarters.map(\.cashFlow) == [-200, -150, -100, -50, 200])
        #expect(five.quarters.map(\.cumulativeCashFlow) == [-200, -350, -450, -500, -300])
        #expect(five.paybackQuarter == nil)
        let eight = try TransitionSimulation(Self.inputs(ownRetention: 0.2, ownCAC: 20, quarters: 8))
        // −300 + 200 = −100 (Q+6), +100 (Q+7), +300 (Q+8): pays back in Q+7.
        #expect(eight.quarters.map(\.cumulativeCashFlow).suffix(3) == [-100, 100, 300])
        #expect(eight.paybackQuarter == 7)
        let table = eight.table(currency: "JPY")
        #expect(table.rows.count == 8 && table.columns.first == "quarter" && table.columns.last == "cumulative_cash_flow")
        #expect(table.notes[0] == "the transition pays back in Q+7 (cumulative cash flow ≥ 0 from then on)")
    }

    @Test func invalidInputsAreRefused() {
        var bad = Self.inputs(ownRetention: 0.2, ownCAC: 20, quarters: 41)
        #expect(throws: CLVError.self) { try TransitionSimulation(bad) }
        bad.quarters = 4
        bad.step = 0
        #expect(throws: CLVError.self) { try TransitionSimulation(bad) }
        bad.step = 0.1
        bad.ownGMV = 0
        #expect(throws: CLVError.self) { try TransitionSimulation(bad) }
    }
}
