import ECStore

/// The rowids of the NPS answers that name a customer, sorted by that id, in a temporary table whose rowid
/// order is that order, for looking each answer's respondent up in the facts' id index (`NPSAnswerKeys.collect`):
/// read through it, the lookups go in the index's order.
///
/// Survey exports list answers by date, and ids hashed from e-mail addresses or marketplace buyer ids follow
/// no order either; looked up in the answers' order, nearly every lookup in an index larger than SQLite's
/// page cache copies a page again. At 753k answers of hashed ids among 5.04M customers, the answers' keys
/// took 4.4 s, 0.9 s through this table (BENCHMARKS.md, "NPS scores apart, answers' keys in id order").
///
/// A table, not `FROM (SELECT … ORDER BY id)`: SQLite (3.40) drops the ORDER BY of a subquery in FROM when
/// the outer query is a plain join, and the lookups went in the answers' order after all.
///
/// Only for a lookup an index covers: where each answer also fetches its respondent's row from a table
/// (`nps by region`), the id order of the index is not the order of the table's rows, and `nps by` an attribute
/// read through this table took twice as long with hashed ids (13–14 s against 6.6–7.1 s at 10M orders).
struct AnswersByRespondent {
    /// The table, columns `r` (the answer's rowid) and `id` (its `customer_id` as text).
    let name = "temp.ecsh_answers_by_id"
    private let db: Database

    /// Sorts the answers of `table` that name a customer.
    init(_ db: Database, table: String = "nps") throws {
        self.db = db
        drop()
        try db.execute("CREATE TABLE \(name) AS SELECT rowid AS r, CAST(customer_id AS TEXT) AS id FROM \(quoteIdentifier(table))"
            + " WHERE customer_id IS NOT NULL ORDER BY id")
    }

    /// Drops the table (nothing when it is gone already).
    func drop() {
        try? db.execute("DROP TABLE IF EXISTS \(name)")
    }
}
