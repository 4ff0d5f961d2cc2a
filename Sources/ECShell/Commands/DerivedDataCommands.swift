import Foundation
import ECStore
import ECAnalytics

/// `rebuild`, and what `tables` says about derived data.
///
/// Derived data (the customer facts, the order snapshot, the period calendar) is normally built by
/// the first statement that needs it and ignored once its inputs change (`OrderSnapshot.isCurrent`);
/// `rebuild` builds it now, e.g. before a demo or after changing the file with another program.
extension Session {
    /// `rebuild`: recomputes the customer facts and the order snapshot now, and drops the period
    /// calendar (the next KPI statement rebuilds it, in milliseconds).
    func rebuildDerivedData() throws {
        guard try database.tableExists("orders") else {
            throw ShellError("nothing to rebuild: derived data is built from orders", help: "load orders from 'orders.csv' (or start with ecsh --demo)")
        }
        let settings = try metricSettings()
        let started = ContinuousClock.now
        try CustomerFacts.rebuild(database, settings: settings)
        try database.transaction {
            try database.execute("DROP TABLE IF EXISTS \(database.derivedSchema).\(PeriodCalendar.table)")
            try database.execute("DROP TABLE IF EXISTS \(database.derivedSchema).ecsh_periods")
        }
        let elapsed = ContinuousClock.now - started
        let version = try InputVersion.current(database, of: OrderSnapshot.inputTables)
        let sizes = try OrderSnapshot.sizes(database).map { " (\(grouped($0.customers)) customers, \(grouped($0.orders)) counted orders)" } ?? ""
        say("rebuilt the customer facts and the order snapshot\(sizes) from input version \(version) in \(formatSeconds(elapsed))"
            + (database.isReadOnly ? "; the workspace is read-only, so they last for this session only" : ""))
    }

    /// One line for `tables`: when the derived data was built and from which change of the inputs,
    /// or that it is missing or out of date (and will be rebuilt when next needed).
    func derivedDataStatus() throws -> String? {
        guard try database.tableExists("orders") else { return nil }
        let latest = try InputVersion.latest(database, of: OrderSnapshot.inputTables)
        func describe(_ c: InputVersion.Change?) -> String {
            guard let c else { return "input version 0 (loaded before versions were kept)" }
            return "input version \(c.version): \(c.cause) at \(c.at)"
        }
        guard let stamp = try OrderSnapshot.stamp(database) else {
            return "derived data (customer facts, order snapshot): not built yet; the first statement that needs it builds it, or run rebuild"
        }
        let took = stamp.seconds.map { String(format: " in %.1f s", $0) } ?? ""
        guard try OrderSnapshot.isCurrent(database) else {
            let why = stamp.format != OrderSnapshot.formatVersion
                ? "written in layout \(stamp.format) by another version of ecsh (this one uses \(OrderSnapshot.formatVersion))"
                : "built \(stamp.builtAt) from input version \(stamp.inputs); the inputs are now at \(describe(latest))"
            return "derived data (customer facts, order snapshot): out of date, \(why); the next statement that needs it rebuilds it, or run rebuild"
        }
        if database.engine == .postgresql {
            return "derived data (customer facts, built by SQL on the server): built \(stamp.builtAt)\(took) from \(describe(latest))"
        }
        let temporary = try database.scalar("SELECT count(*) FROM temp.sqlite_schema WHERE name = ?", [.text(OrderSnapshot.table)]).intValue ?? 0 > 0
        return "derived data (customer facts, order snapshot): built \(stamp.builtAt)\(took) from \(describe(latest))"
            + (temporary ? " (for this session only: the workspace is read-only)" : "")
    }
}
