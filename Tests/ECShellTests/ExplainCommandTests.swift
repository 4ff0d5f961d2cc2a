import Foundation
import Testing
import ECTestSupport

/// `explain` you can find: a grouped listing, forgiving spellings, the SQL on request.
@Suite struct ExplainCommandTests {
    @Test func explainAloneListsTopicsByGroup() throws {
        let out = try runECSH(["-c", "explain"])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n").map(String.init)
        let kpis = try #require(lines.firstIndex(of: "KPIs:"))
        let concepts = try #require(lines.firstIndex(of: "Concepts:"))
        #expect(kpis < concepts)
        // One line per topic, name first: every KPI of `kpis` and the concepts the issue names.
        let kpiNames = try runECSH(["-csv", "-c", "kpis"]).stdout.split(separator: "\n").dropFirst().compactMap { $0.split(separator: ",").first }
        for name in kpiNames { #expect(lines[kpis..<concepts].contains { $0.hasPrefix("  \(name) ") }, "\(name)") }
        for name in ["ltv", "ltv/cac", "payback", "cohort_analysis"] { #expect(lines[concepts...].contains { $0.hasPrefix("  \(name) ") }, "\(name)") }
    }

    @Test func spellingsOfLTVToCACAgree() throws {
        let outputs = try ["explain ltv/cac", "explain ltv_cac", "explain LTV/CAC", "explain ltv cac"].map { try runECSH(["-c", $0]) }
        for out in outputs { #expect(out.status == 0 && out.stdout.hasPrefix("LTV / CAC"), "\(out.stderr)") }
        #expect(Set(outputs.map(\.stdout)).count == 1)
    }

    /// The SQL moves behind `explain X sql` and `show sql`; the figure is formatted like a cell.
    @Test func sqlOnRequestAndFiguresLikeCells() throws {
        let out = try runECSH(["--demo", "-c", "explain gmv", "-c", "show sql", "-c", "explain gmv sql",
                               "-csv", "-c", "sql select sum(amount) from orders where status not in ('cancelled', 'returned', 'refunded')"])
        #expect(out.status == 0, "\(out.stderr)")
        let parts = out.stdout.components(separatedBy: "SQL ecsh runs for gmv:\n")
        #expect(parts.count == 2)
        let explanation = parts[0]
        #expect(!explanation.prefix(while: { $0 != "(" }).contains("SELECT"))
        #expect(explanation.contains("(explain gmv sql, or show sql, prints the SQL ecsh runs)"))
        #expect(explanation.contains("FROM orders AS o"), "show sql prints the explained SQL")
        // The workspace figure equals plain SQL's sum, written ¥ with thousands separators.
        let lastLine = out.stdout.split(separator: "\n").last.map(String.init) ?? ""
        let total = Int((Double(lastLine) ?? -1).rounded())
        let formatted = "¥" + total.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
        #expect(explanation.contains("In this workspace, gmv \(formatted) over all loaded data."), "\(formatted)")
    }

    @Test func unknownTopicSuggestsAndPointsToTheListing() throws {
        let out = try runECSH(["-c", "explain paybak"])
        #expect(out.status == 1)
        #expect(out.stderr.contains("did you mean 'payback'?") && out.stderr.contains("explain alone lists every topic"))
    }
}

/// A learner types the name their report uses: `explain churn` suggested 'chart', `explain cm2` and `kpi 客単価`
/// said only "unknown"; `define kpi x = cm2 / orders` and `target ＣＭ２ >= 100` gave no way to ecsh's name.
@Suite struct OtherKPINamesTests {
    @Test func explainUnderAnotherNameExplainsEcshsKPI() throws {
        let out = try runECSH(["-c", "explain churn", "-c", "explain cm2", "-c", "explain ＣＶＲ"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("(churn is what ecsh calls churn_rate; kpi churn_rate computes it)\nchurn_rate: "))
        #expect(out.stdout.contains("(cm2 is what ecsh calls margin; kpi margin computes it)\nmargin: "))
        #expect(out.stdout.contains("(ＣＶＲ is what ecsh calls cvr; kpi cvr computes it)\ncvr: "))
        // The same text as under ecsh's own name, after the pointer.
        let own = try runECSH(["-c", "explain margin"]).stdout
        #expect(out.stdout.contains(own))
    }

    @Test func anAmbiguousNameAsksWhichOne() throws {
        let out = try runECSH(["-c", "explain 売上"])
        #expect(out.status != 0)
        #expect(out.stderr.contains("error: unknown topic '売上'; did you mean 'revenue' or 'gmv'?"), "\(out.stderr)")
    }

    @Test func defineAndTargetPointAtEcshsName() throws {
        let define = try runECSH(["-c", "define kpi x = cm2 / orders"])
        #expect(define.stderr.contains("error: unknown KPI 'cm2'; did you mean 'margin'?"), "\(define.stderr)")
        let target = try runECSH(["-c", "target リピート率 >= 30%"])
        #expect(target.stderr.contains("error: unknown KPI 'リピート率'; did you mean 'repeat_rate'?"), "\(target.stderr)")
        // Following the suggestion works.
        let fixed = try runECSH(["-c", "target repeat_rate >= 30%"])
        #expect(fixed.status == 0, "\(fixed.stderr)")
    }
}
