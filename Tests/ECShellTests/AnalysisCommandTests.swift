import Testing
import ECTestSupport

/// `nps compare by X` on the sample shop, through the real binary.
@Suite struct NPSCompareCommandTests {
    @Test func unknownDimensionIsLocatedWithASuggestion() throws {
        let out = try runECSH(["--demo", "-c", "nps compare by cohrt"])
        #expect(out.status == 1)
        #expect(out.stderr.contains("error: unknown NPS grouping 'cohrt'; did you mean 'cohort'?"))
        #expect(out.stderr.contains("--> <command line>:1:16"))
        #expect(out.stderr.contains("1 | nps compare by cohrt\n  |                ^^^^^"))
    }

    @Test func groupsAddUpToAllResponses() throws {
        let out = try runECSH(["--demo", "--format", "csv", "-c", "nps compare by first_channel", "-c", "nps"])
        #expect(out.status == 0, "\(out.stderr)")
        // After the "sample shop loaded" line: the comparison, then the overall NPS.
        let lines = out.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(lines.first?.prefix(5) == ["first_channel", "responses", "nps", "margin95", "vs"])
        let groups = lines.dropFirst().prefix { $0.first != "group" }
        #expect(groups.allSatisfy { $0[4] == "rest" })
        let total = try #require(lines.first { $0.first == "all" })
        #expect(groups.reduce(0) { $0 + Int($1[1])! } == Int(total[1]))
    }
}
