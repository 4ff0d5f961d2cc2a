import Foundation
import Testing
import ECTestSupport

/// `age` and `age_band` from a customers file's birth date, at as_of; the load's note on renamed headers.
/// Five customers with orders (C1 … C5); birthdays C1 2000-02-29, C2 1994-03-01, C3 1985-03-02, C4 none,
/// C5 1993-12-31; C6 (2999-01-01) and C7 (1850-06-01) have no orders.
@Suite struct CustomerAgeTests {
    func shop() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory("ecsh-age")
        _ = try dir.write("orders.csv", """
            order_id,customer_id,order_date,amount,channel
            1,C1,2024-01-05,1000,own
            2,C2,2024-01-06,2000,own
            3,C3,2024-02-01,3000,own
            4,C4,2024-02-10,4000,own
            5,C5,2024-03-01,5000,own

            """)
        _ = try dir.write("customers.csv", """
            customer_id,signup_date,birthday,region
            C1,2023-01-01,2000/02/29,Tokyo
            C2,2023-01-01,1994-03-01,Osaka
            C3,2023-01-01,1985-03-02,
            C4,2023-01-01,,Tokyo
            C5,2023-01-01,1993-12-31,Kyoto
            C6,2023-01-01,2999-01-01,Kyoto
            C7,2023-01-01,1850-06-01,Kyoto

            """)
        return dir
    }

    func run(_ statements: [String], in dir: TemporaryDirectory) throws -> ProcessOutput {
        try runECSH(["shop.db"] + statements.flatMap { ["-c", $0] }, directory: dir.url)
    }

    /// At as_of 2025-02-28 (no 29 February that year): C1 24 (born 29 Feb, a year older only from 1 March),
    /// C2 30 (birthday 1 March not yet: 31 − 1), C3 39, C5 31, C4 ∅: thirties = C2, C3, C5 = 3 of 5. On 1 March C1 is 25
    /// and C2 31; on 29 February 2024 C1 is 24, on the 28th 23. The old ecsh knew no `age`.
    @Test func ageIsWholeYearsAtAsOfWithTheTwentyNinthOfFebruary() throws {
        let dir = try shop(); defer { dir.remove() }
        let out = try run(["load orders from 'orders.csv'", "load customers from 'customers.csv'", "set as_of 2025-02-28",
                           "segment thirties = age between 30 and 39", "segment c1 = customer_id = 'C1' and age = 24",
                           "segment c2 = customer_id = 'C2' and age = 30"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("segment thirties: 3 of 5 customers"), "\(out.stderr)")
        #expect(out.stderr.contains("segment c1: 1 of 5 customers"), "\(out.stderr)")
        #expect(out.stderr.contains("segment c2: 1 of 5 customers"), "\(out.stderr)")
        let march = try run(["set as_of 2025-03-01", "segment c1b = customer_id = 'C1' and age = 25", "segment c2b = customer_id = 'C2' and age = 31"], in: dir)
        #expect(march.stderr.contains("segment c1b: 1 of 5 customers") && march.stderr.contains("segment c2b: 1 of 5 customers"), "\(march.stderr)")
        let leap = try run(["set as_of 2024-03-01", "set as_of 2024-02-29", "segment l1 = customer_id = 'C1' and age = 24",
                            "set as_of 2024-02-28", "segment l2 = customer_id = 'C1' and age = 23"], in: dir)
        #expect(leap.stderr.contains("segment l1: 1 of") && leap.stderr.contains("segment l2: 1 of"), "\(leap.stderr)")
    }

    /// By band at 2025-02-28: 20-29 C1, 30-39 C2 C3 C5, ∅ C4 (listed last).
    @Test func kpiByAgeBandListsMissingLast() throws {
        let dir = try shop(); defer { dir.remove() }
        let out = try run(["load orders from 'orders.csv'", "load customers from 'customers.csv'", "set as_of 2025-02-28",
                           "kpi customers by age_band"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        let rows = out.stdout.split(separator: "\n").map { $0.split(separator: "│").map { $0.trimmingCharacters(in: .whitespaces) } }
            .filter { $0.count == 2 }
        #expect(rows.map { $0[0] } == ["age_band", "20-29", "30-39", "∅", "total"], "\(out.stdout)")
        #expect(rows.map { $0[1] } == ["customers", "1", "3", "1", "5"], "\(out.stdout)")
    }

    /// `where age …` said only "unknown orders column 'age'": age is a customer attribute, reached through a segment.
    @Test func ageInWhereSaysItIsACustomerAttribute() throws {
        let dir = try shop(); defer { dir.remove() }
        let out = try run(["load orders from 'orders.csv'", "load customers from 'customers.csv'", "kpi gmv where age >= 30"], in: dir)
        #expect(out.status != 0)
        #expect(out.stderr.contains("'age' is a customer attribute; `where` reads the columns of orders: define a segment"), "\(out.stderr)")
    }

    /// C6's 2999-01-01 and C7's 1850-06-01 (lines 7 and 8, column 3) cannot be real: the load names them; the old
    /// ecsh said nothing.
    @Test func impossibleBirthDatesAreNamedByTheLoad() throws {
        let dir = try shop(); defer { dir.remove() }
        let out = try run(["load customers from 'customers.csv'"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("2 birth dates in 'birthday' cannot be real, so those customers have no age (∅): customers.csv:7:3 2999-01-01 (after today"),
                "\(out.stderr)")
        #expect(out.stderr.contains("customers.csv:8:3 1850-06-01 (before 1900)"), "\(out.stderr)")
    }

    /// `signup_date` is stored as signed_up_at, `order_date` as ordered_at: the load says so in one line, and
    /// `describe customers` names the header (the old ecsh: nothing, and ∅).
    @Test func theLoadNamesItsRenamedHeaders() throws {
        let dir = try shop(); defer { dir.remove() }
        let out = try run(["load orders from 'orders.csv'", "load customers from 'customers.csv'", "describe customers"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("stored under ecsh's names: 'order_date' → ordered_at (segments, where and sql use these names)"), "\(out.stderr)")
        #expect(out.stderr.contains("stored under ecsh's names: 'signup_date' → signed_up_at"), "\(out.stderr)")
        let row = out.stdout.split(separator: "\n").first { $0.contains("signed_up_at") }.map(String.init) ?? ""
        #expect(row.contains("signup_date"), "\(out.stdout)")
    }

    /// A `年齢` column is the age (C1 25, C2 34, C3 130, C4 and C5 none): `age >= 30` is C2 alone (130 is named by the load,
    /// line 4 column 2, and counted as written: C2 and C3 = 2 by band 70+ and 30-39); the old ecsh knew no `age`.
    @Test func anAgeColumnInJapaneseIsTheAge() throws {
        let dir = try shop(); defer { dir.remove() }
        _ = try dir.write("ages.csv", "customer_id,年齢\nC1,25\nC2,34\nC3,130\n")
        let out = try run(["load orders from 'orders.csv'", "load customers from 'ages.csv'", "segment over30 = age >= 30 and age <= 120",
                           "kpi customers by age_band"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("1 age in '年齢' below 0 or over 120 cannot be real: ages.csv:4:2 130"), "\(out.stderr)")
        #expect(out.stderr.contains("segment over30: 1 of 5 customers"), "\(out.stderr)")
        let rows = out.stdout.split(separator: "\n").map { $0.split(separator: "│").map { $0.trimmingCharacters(in: .whitespaces) } }
            .filter { $0.count == 2 }
        #expect(rows.map { $0[0] } == ["age_band", "20-29", "30-39", "70+", "∅", "total"], "\(out.stdout)")
        #expect(rows.map { $0[1] } == ["customers", "1", "1", "1", "2", "5"], "\(out.stdout)")
    }
}
