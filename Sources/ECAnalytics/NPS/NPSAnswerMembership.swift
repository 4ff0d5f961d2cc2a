import Foundation
import ECStore

/// Which NPS answers' respondents are in a segment, decided without a lookup per answer in SQL (SQLite).
///
/// The segment is evaluated once per customer of the facts (`CustomerFacts.members`), and each answer is
/// picked by its respondent's key (`NPSAnswerKeys`). A respondent without a counted order has no facts row:
/// the segment sees them as `CustomerFacts.respondentCondition` does (0 orders, their customers columns),
/// so those answers, usually few, are decided by that condition in SQL. The result is the same set of
/// answers as the condition on every answer picks (the tests compare both).
struct NPSAnswerMembership {
    private let keys: NPSAnswerKeys.Lookup
    private let members: [Bool]
    /// Rowids of answers whose respondent has no counted order and is in the segment.
    private let others: Set<Int64>

    /// The membership of `predicate` (a condition on the facts' columns), or nil when it cannot be decided
    /// this way: PostgreSQL, no stored keys, or a predicate that reads `nps` or `customer_id`, which a
    /// respondent's row does not take from the facts alone. `known`: the statement's members already
    /// evaluated (the KPI engine's), reused and added to.
    static func make(_ db: Database, predicate: SQLFragment, known: SegmentMembers? = nil) throws -> NPSAnswerMembership? {
        guard db.engine == .sqlite, !["nps", "customer_id"].contains(where: { mentions(predicate.sql, $0) }),
              let keys = try NPSAnswerKeys.Lookup.load(db) else { return nil }
        let members: [Bool]
        if let m = known?.members(of: predicate, customers: keys.customers) {
            members = m
        } else {
            members = try CustomerFacts.members(of: predicate, customers: keys.customers, db)
            known?.keep(members, of: predicate)
        }
        var others = Set<Int64>()
        let rows = keys.rowsNotInFacts()
        if !rows.isEmpty {
            // Rowids as one bound JSON array: a statement's list, not a table written for it.
            let list = "[" + rows.map(String.init).joined(separator: ",") + "]"
            let r = SegmentCatalog.responses
            let q = SQLFragment("SELECT \(r).rowid FROM nps AS \(r) WHERE \(r).rowid IN (SELECT value FROM json_each(?)) AND ", [.text(list)])
                + (try CustomerFacts.respondentCondition(db, id: "\(r).customer_id", predicate: predicate))
            let s = try db.prepare(q.sql)
            try s.bind(q.bindings)
            while try s.step() { others.insert(s.int64(at: 0)) }
        }
        return NPSAnswerMembership(keys: keys, members: members, others: others)
    }

    /// Whether `sql` has `word` as a whole word, quoted or not, in any case: a name it may read. A literal
    /// holding the word counts too, which only sends the statement to the SQL route.
    static func mentions(_ sql: String, _ word: String) -> Bool {
        let text = Array(sql.lowercased().utf8), w = Array(word.utf8)
        func isName(_ b: UInt8) -> Bool { b == UInt8(ascii: "_") || (b >= 48 && b <= 57) || (b >= 97 && b <= 122) || b >= 128 }
        guard text.count >= w.count else { return false }
        for i in 0...(text.count - w.count) where text[i..<(i + w.count)].elementsEqual(w) {
            if (i == 0 || !isName(text[i - 1])) && (i + w.count == text.count || !isName(text[i + w.count])) { return true }
        }
        return false
    }

    /// Whether the answer in row `row` is a segment member's.
    @inline(__always) func contains(row: Int64) -> Bool {
        let k = keys.key(ofRow: row)
        if k >= 0 { return members[Int(k)] }
        return k == NPSAnswerKeys.notInFacts && others.contains(row)
    }
}
