import Testing
@testable import ECAnalytics

@Suite struct PeriodUnitTests {
    /// Every day from 1900 to 2100 against Foundation's Gregorian calendar.
    @Test(arguments: PeriodUnit.allCases)
    func matchesFoundationCalendar(unit: PeriodUnit) {
        var previous: (Int, Int)? = nil  // (reference ordinal, ecsh index)
        for day in stride(from: -25_567, through: 47_482, by: 1) {
            let reference = ReferenceCalendar.period(unit, ofDay: day)
            let index = unit.index(ofDay: day)
            #expect(unit.label(of: index) == reference.label, "day \(day)")
            if let (r, i) = previous {
                // Same step pattern: a new period starts exactly when the reference says so.
                #expect((reference.ordinal - r) == (index - i), "day \(day)")
            }
            previous = (reference.ordinal, index)
            if unit.label(of: index) != reference.label { break }
        }
    }

    @Test func knownLabels() {
        // 2024-02-29 is day 19782 (54 years incl. 13 leap days: 54*365+13 = 19723 to 2024-01-01, +31+28).
        #expect(PeriodUnit.month.label(of: PeriodUnit.month.index(ofDay: 19_782)) == "2024-02")
        #expect(PeriodUnit.quarter.label(of: PeriodUnit.quarter.index(ofDay: 19_782)) == "2024-Q1")
        // 2024-02-29 was a Thursday; its week starts Monday 2024-02-26.
        #expect(PeriodUnit.week.label(of: PeriodUnit.week.index(ofDay: 19_782)) == "2024-02-26")
        #expect(PeriodUnit.month.index(ofDay: 19_782) == 2024 * 12 + 1)
    }
}
