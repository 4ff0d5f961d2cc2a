/// Proves a new table's ids distinct while its rows are parsed, so the load need not build a UNIQUE
/// index to find out (issue 15: at 1M orders that index was an eighth of the load, and its pages
/// were written twice more, to the log and at the checkpoint).
///
/// It watches the identity of datasets no other dataset joins on (orders' `order_id`, NPS's
/// `response_id`; customers keep their indexed `customer_id`), on the pipeline's observing thread:
/// each id's hash goes to a `RepeatCheck` (bounded memory). It proves nothing, and the loader takes the
/// exact way (the UNIQUE index, then the repeat query), when an id repeats, two ids' hashes collide,
/// the ids are of mixed kinds (SQLite's column affinity could make an integer and a text equal
/// once stored), an id is a real number, or the check's temporary file fails.
final class RepeatWatch: LoadRowObserver {
    private let key: Int
    /// Let go once settled: its run (8 MB) is not held through the rest of the load.
    private var check: RepeatCheck?
    private var kind: UInt8?
    private var failed = false
    private var proven = false

    /// A watch for `role`'s identity among `columns` (the load's cells), or nil when the role keeps an
    /// indexed identity or has none, or the file does not give it.
    init?(role: DatasetRole, columns: [ColumnPlan], runSize: Int = 1 << 20) {
        guard role == .orders || role == .nps, let name = role.identity,
              let key = columns.firstIndex(where: { $0.name == name && $0.source != .none }) else { return nil }
        self.key = key
        check = RepeatCheck(runSize: runSize)
    }

    func begin(columns: [String]) {}
    func read(bytes: Int, of total: Int) {}
    func settled(intact: Bool) {}

    func add(_ row: LoadedRow) {
        guard !failed, let (kind, hash) = RepeatCheck.hash(row.cells[key], text: row.text) else { return }
        if kind == 1 || (self.kind != nil && self.kind != kind) { failed = true; return }
        self.kind = kind
        do { if try check?.add(hash) == false { failed = true } } catch { failed = true }
    }

    /// The last run is sorted and the runs merged on the observing thread, beside the loader's last inserts.
    func finished() {
        defer { check = nil }
        guard !failed, let check else { return }
        proven = (try? check.finish()) ?? false
    }

    /// After the pipeline ended: true only when every id seen is proven distinct.
    func distinct() -> Bool { proven }
}
