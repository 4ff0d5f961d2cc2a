import Glibc

/// What a load of orders settles about its rows on the parsing thread, while they are converted,
/// rather than with SQL over the table afterwards (as the streamed PostgreSQL load does, `ServerStream`):
/// - each row's status word is stored as its meaning (`StatusVocabulary`, with the workspace's own
///   words); the word as written stays in `status_raw`. Mapping them with an UPDATE afterwards
///   rewrote every row: 1.5 s of a 1M-order load whose export writes 発送済み for completed;
/// - the (status, status_raw) pairs, the guest orders and the main date's range are counted, which
///   took three scans of the new rows.
///
/// Only good rows come here (a row with a problem is rejected or stops the load). The counts
/// describe the table only while no row of the load is removed afterwards (repeated ids: the
/// loader counts again with SQL then), and only when every status cell was text or empty, with
/// `status_raw` beside it (`countsHold`), and every date cell text or empty (`datesHold`). A row whose
/// status it cannot map keeps its word for the SQL mapping (`applyStatusVocabulary`), which leaves
/// mapped statuses as they are.
/// The parsing thread owns the tally until the pipeline ends; the loader reads it after.
final class RowTally: @unchecked Sendable {
    let status: Int?
    let raw: Int?
    let customer: Int?
    let date: Int?
    private let words: [String: String]
    /// (status, status_raw) pairs as loaded, numbered; per pair the meaning (nil when the status is
    /// stored as loaded), and the pair as `statusPairs` reads it after the mapping, with its count.
    private var seen = TextNumbering()
    /// The last pair looked up (status, 0xFF, status_raw) and its number: most rows repeat the row before's pair,
    /// found then by comparing bytes, without hashing (a tenth of the parsing thread's time at 1M orders).
    private var key: [UInt8] = []
    private var lastKey: Int32 = -1
    private var meanings: [[UInt8]?] = []
    private var pairs: [(status: String, raw: String, count: Int)] = []
    private var withoutStatus = 0
    private(set) var rows = 0
    private(set) var guests = 0
    private var minDate: [UInt8]?
    private var maxDate: [UInt8]?
    private(set) var countsHold = true
    private var datesHold = true

    /// `columns` are the load's, in cell order; `words` the workspace's own status words. Statuses and
    /// guests are an orders load's; any role's rows and main date are counted.
    init(columns: [ColumnPlan], role: DatasetRole?, words: [String: String]) {
        let index = { (name: String) in columns.firstIndex { $0.name == name } }
        let orders = role == .orders
        status = orders ? columns.firstIndex { $0.name == "status" && $0.source != .none } : nil
        raw = status == nil ? nil : index("status_raw")
        customer = orders ? index("customer_id") : nil
        date = role?.mainDate.flatMap(index)
        self.words = words
    }

    /// One good row of `batch`: its status cell becomes the word's meaning, and it is counted.
    func add(_ batch: RowBatch, row r: Int) {
        let cells = batch.cells + r * batch.width
        rows += 1
        if let customer, case .null = cells[customer] { guests += 1 }
        if let date {
            switch cells[date] {
            case .null: break
            case .text(let start, let count): note(UnsafeRawBufferPointer(start: batch.text.pointee.bytes + start, count: min(count, 10)))
            default: datesHold = false
            }
        }
        guard let status else { return }
        switch cells[status] {
        case .null:
            if let raw, !cells[raw].isNull { countsHold = false }
            withoutStatus += 1
        case .text(let start, let count):
            // status holds the word lower-cased (its column's rule), status_raw as written: the pair is the key.
            let arena = batch.text.pointee.bytes
            guard let raw, case .text(let rawStart, let rawCount) = cells[raw] else { countsHold = false; return }
            let repeated = lastKey >= 0 && key.count == count + 1 + rawCount && key.withUnsafeBufferPointer { last in
                last[count] == 0xFF && (count == 0 || memcmp(last.baseAddress!, arena + start, count) == 0)
                    && (rawCount == 0 || memcmp(last.baseAddress! + count + 1, arena + rawStart, rawCount) == 0)
            }
            if !repeated {
                key.removeAll(keepingCapacity: true)
                key.append(contentsOf: UnsafeBufferPointer(start: arena + start, count: count))
                key.append(0xFF)  // never a byte of UTF-8 text
                key.append(contentsOf: UnsafeBufferPointer(start: arena + rawStart, count: rawCount))
            }
            let (k, isNew) = repeated ? (lastKey, false) : key.withUnsafeBytes { seen.add($0) }
            lastKey = k
            if isNew {
                let word = String(decoding: UnsafeBufferPointer(start: arena + start, count: count), as: UTF8.self)
                let meaning = StatusVocabulary.status(of: word, extra: words) ?? StatusVocabulary.unknownForm(word)
                meanings.append(meaning == word ? nil : Array(meaning.utf8))
                pairs.append((meaning, String(decoding: UnsafeBufferPointer(start: arena + rawStart, count: rawCount), as: UTF8.self), 0))
            }
            pairs[Int(k)].count += 1
            guard let meaning = meanings[Int(k)] else { return }
            // The meaning goes at the end of the batch's text (the word's bytes stay for status_raw).
            batch.text.pointee.reserve(meaning.count)
            let at = batch.text.pointee.count
            meaning.withUnsafeBufferPointer { (batch.text.pointee.bytes + at).update(from: $0.baseAddress!, count: $0.count) }
            batch.text.pointee.count += meaning.count
            cells[status] = .text(start: at, count: meaning.count)
        default:
            // A status that is not text is left for the SQL that maps what is left (`applyStatusVocabulary`).
            countsHold = false
        }
    }

    /// The main date's first ten bytes, compared byte by byte as SQLite's min and max compare text.
    private func note(_ d: UnsafeRawBufferPointer) {
        if minDate.map({ m in m.withUnsafeBytes { Self.compare(d, $0) < 0 } }) ?? true { minDate = Array(d) }
        if maxDate.map({ m in m.withUnsafeBytes { Self.compare(d, $0) > 0 } }) ?? true { maxDate = Array(d) }
    }

    /// memcmp's order, the shorter first on a common prefix (SQLite's BINARY collation).
    static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let n = min(a.count, b.count)
        let c = n == 0 ? 0 : Int(memcmp(a.baseAddress!, b.baseAddress!, n))
        return c != 0 ? c : a.count - b.count
    }

    /// The (status, status_raw) pairs with their counts, as `statusPairs` reads them after the mapping;
    /// nil when the counts do not hold.
    var statusPairs: [Loader.StatusPair]? {
        guard countsHold, status != nil else { return nil }
        return pairs.map { Loader.StatusPair(status: $0.status, raw: $0.raw, count: $0.count) }
            + (withoutStatus > 0 ? [Loader.StatusPair(status: nil, raw: nil, count: withoutStatus)] : [])
    }

    /// The main date's range as `substr(min(date), 1, 10)` and `substr(max(date), 1, 10)` give it; nil
    /// when a date cell was not text, or a bound is not ASCII (where substr counts characters, not bytes).
    var dateRange: (min: Value, max: Value)? {
        guard datesHold, date != nil else { return nil }
        guard let lo = minDate, let hi = maxDate else { return (.null, .null) }
        guard (lo + hi).allSatisfy({ $0 < 0x80 }) else { return nil }
        return (.text(String(decoding: lo, as: UTF8.self)), .text(String(decoding: hi, as: UTF8.self)))
    }
}
