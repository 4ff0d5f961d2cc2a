import Testing
import ECTestSupport

/// `with scale '0-10'` confirms the scale of NPS answers: on a load of anything else it is refused at the clause.
@Suite struct NPSScaleClauseTests {
    @Test func scaleOnAnotherLoadIsRefusedAtTheClause() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        _ = try dir.write("o.csv", "order_id,customer_id,ordered_at,amount\nO1,C1,2024-01-05,1000\n")
        let db = dir.path("w.db")
        let out = try runECSH([db, "-c", "load orders from 'o.csv' with scale '0-10'"], directory: dir.url)
        #expect(out.status == 1)
        #expect(out.stderr.contains("error: scale says the NPS question was asked 0–10: it is for `load nps`, and this load is of orders"), "\(out.stderr)")
        #expect(out.stderr.contains("--> <command line>:1:31"), "\(out.stderr)")
        #expect(out.stderr.contains("help: leave `with scale` out; answers on another scale are loaded as a table (load table csat from '…')"), "\(out.stderr)")
        let table = try runECSH([db, "-c", "load table csat from 'o.csv' with on_error skip, SCALE '0-10'"], directory: dir.url)
        #expect(table.status == 1 && table.stderr.contains("this load is of csat"), "\(table.stderr)")
        #expect(table.stderr.contains("--> <command line>:1:50"), "\(table.stderr)")
        // Nothing was loaded by either statement.
        let tables = try runECSH([db, "-c", "tables"], directory: dir.url)
        #expect(!tables.stdout.contains("orders") && !tables.stdout.contains("csat"), "\(tables.stdout)")
    }
}
