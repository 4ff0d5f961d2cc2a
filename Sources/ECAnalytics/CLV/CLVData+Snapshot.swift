import ECStore

/// Per-customer histories read from the order snapshot instead of from `orders`.
///
/// The SQL route (`extract`) sorts every counted order by the text customer id
/// and hashes each id; at a million customers that was most of `predict ltv`'s
/// 23 s. The snapshot already holds the counted orders in day order with
/// customers numbered, as raw column arrays: one pass over its day, customer and
/// amount columns, with per-customer state in flat arrays indexed by number,
/// gives the same (x, t_x, T, m̄) with no sort and no text. Because orders come
/// in day order, a customer's orders on one day arrive together, so "same day as
/// the last one seen" is the whole same-day merge.
extension CLVData {
    /// Histories as `extract` computes them, from the snapshot; nil when the
    /// snapshot cannot answer (missing, built under other settings, or ending
    /// before the calibration or holdout end), and the caller takes the SQL route.
    ///
    /// - Parameters:
    ///   - include: when given, only customers whose key is true (a segment), by `customer_key`.
    ///   - holdoutEnd: when given, purchases in (calibrationEnd, holdoutEnd] are counted, with their spend and CM2.
    /// - Returns: summaries ordered by customer key, with `key` set and `customerID` empty.
    public static func fromSnapshot(db: Database, settings: MetricSettings, calibrationEnd: Int, unit: CLVTimeUnit,
                                    include: [Bool]? = nil, holdoutEnd: Int? = nil) throws -> [CustomerSummary]? {
        try scanSnapshot(db: db, settings: settings, calibrationEnd: calibrationEnd, include: include, holdoutEnd: holdoutEnd)?
            .summaries(calibrationEnd: calibrationEnd, unit: unit)
    }

    /// The calibration histories as `fromSnapshot` reads them, as columns, with the holdout's figures when
    /// `holdoutEnd` is given: `predict ltv`'s and `predict validate`'s route, with no per-customer struct.
    public static func columnsFromSnapshot(db: Database, settings: MetricSettings, calibrationEnd: Int, unit: CLVTimeUnit,
                                           include: [Bool]? = nil, holdoutEnd: Int? = nil) throws -> CustomerColumns? {
        guard var state = try scanSnapshot(db: db, settings: settings, calibrationEnd: calibrationEnd, include: include,
                                           holdoutEnd: holdoutEnd) else {
            return nil
        }
        return state.takeColumns(calibrationEnd: calibrationEnd, unit: unit)
    }

    /// One pass over the snapshot's blocks into per-customer state; nil when the snapshot cannot answer.
    private static func scanSnapshot(db: Database, settings: MetricSettings, calibrationEnd: Int,
                                     include: [Bool]?, holdoutEnd: Int?) throws -> HistoryColumns? {
        if let holdoutEnd, holdoutEnd <= calibrationEnd {
            throw CLVError.invalidInput("the holdout must end after the calibration end (day \(holdoutEnd) ≤ \(calibrationEnd))")
        }
        let asOf = try WorkspaceDates.asOfDay(db, settings: settings)
        let lastDay = holdoutEnd ?? calibrationEnd
        // The snapshot leaves out orders after its as_of day: it answers only up to there.
        guard lastDay <= asOf, let snapshot = try OrderSnapshot.load(db, settings: settings, asOfDay: asOf) else { return nil }
        var state = HistoryColumns(customers: snapshot.customers, holdout: holdoutEnd != nil)
        // One buffer per column, refilled block after block.
        var days: [Int32] = [], customers: [Int32] = [], amounts: [Double] = []
        for block in snapshot.blocks where block.firstDay <= lastDay {
            try snapshot.column(.day, block: block.index, in: db, into: &days)
            try snapshot.column(.customer, block: block.index, in: db, into: &customers)
            try snapshot.column(.amount, block: block.index, in: db, into: &amounts)
            // CM2 per order: the holdout's margin, and each customer's own up to the calibration end (a group's margin).
            let margins = try contributionMargins(snapshot, block: block.index, amounts: amounts, in: db)
            let ahead = SnapshotPass.lookahead
            for i in 0..<block.rows {
                // Orders come by day, customers at random: their state a few orders ahead starts loading now.
                if i + ahead < block.rows { state.prefetch(customer: Int(customers[i + ahead])) }
                let day = days[i], k = customers[i]
                guard k >= 0, day <= lastDay else { continue }
                if let include, Int(k) >= include.count || !include[Int(k)] { continue }
                // The margin counts every counted order, refund rows too, as the KPI engine's `margin` and `gmv` do.
                if day <= calibrationEnd {
                    state.gmvSum[Int(k)] += amounts[i]
                    state.marginSum[Int(k)] += margins[i]
                }
                // A refund row (negative amount) is not a purchase: docs/metrics.md.
                if amounts[i] < 0 {
                    state.refundRows += 1
                    state.refundAmount += amounts[i]
                    continue
                }
                if day <= calibrationEnd {
                    state.addCalibration(customer: Int(k), day: day, amount: amounts[i])
                } else {
                    state.addHoldout(customer: Int(k), day: day, amount: amounts[i], margin: margins[i])
                }
            }
        }
        return state
    }

    /// The first and last purchase days (counted orders of a non-negative amount, NULL as 0: what the histories
    /// take; a refund row is no purchase) and the last counted day (refund rows too): from a snapshot that
    /// holds every counted order under the current rule, else from `orders`; nil when no counted order is a purchase.
    public static func purchaseDays(db: Database, settings: MetricSettings) throws -> PurchaseDays? {
        if let snapshot = try OrderSnapshot.load(db, accept: { $0["counted"] == settings.countedDescription && $0["after_as_of"] == "0" }),
           let lastCounted = snapshot.blocks.last?.lastDay {
            // Orders come in day order: the first purchase is in the earliest block holding one, the last in the latest.
            func purchaseDay(_ blocks: [OrderSnapshot.Block], last: Bool) throws -> Int? {
                for block in blocks {
                    let amounts: [Double] = try snapshot.column(.amount, block: block.index, in: db)
                    guard let i = last ? amounts.lastIndex(where: { $0 >= 0 }) : amounts.firstIndex(where: { $0 >= 0 }) else { continue }
                    let days: [Int32] = try snapshot.column(.day, block: block.index, in: db)
                    return Int(days[i])
                }
                return nil
            }
            if let first = try purchaseDay(snapshot.blocks, last: false), let last = try purchaseDay(snapshot.blocks.reversed(), last: true) {
                return PurchaseDays(first: first, last: last, lastCounted: lastCounted)
            }
        }
        let counted = settings.countedCondition()
        let purchase = "CASE WHEN amount IS NULL OR amount >= 0 THEN day END"
        let row = try db.query("SELECT min(\(purchase)), max(\(purchase)), max(day) FROM orders WHERE day IS NOT NULL AND \(counted.sql)",
                               counted.bindings).rows.first
        guard let first = row?[0].intValue, let last = row?[1].intValue, let lastCounted = row?[2].intValue else { return nil }
        return PurchaseDays(first: Int(first), last: Int(last), lastCounted: Int(lastCounted))
    }

    /// CM2 per order of one block: amount − (discount + points) − (cogs + shipping) − commission, NULLs as 0.
    private static func contributionMargins(_ snapshot: OrderSnapshot, block: Int, amounts: [Double],
                                            in db: Database) throws -> [Double] {
        let discounts: [Double] = try snapshot.column(.discounts, block: block, in: db)
        let costs: [Double] = try snapshot.column(.costs, block: block, in: db)
        let commission: [Double] = try snapshot.column(.commission, block: block, in: db)
        return amounts.indices.map { OrderMeasures.cm2(amount: amounts[$0], discounts: discounts[$0], costs: costs[$0], commission: commission[$0]) }
    }
}

/// Per-customer running state in flat arrays indexed by customer key.
///
/// At n customers: 20 bytes each, plus 20 with a holdout (about 40 MB at a million).
private struct HistoryColumns {
    /// Int32.max: no calibration purchase yet.
    var firstDay: [Int32]
    var lastDay: [Int32]
    var purchases: [Int32]
    var repeatValue: [Double]
    var holdoutPurchases: [Int32] = []
    var holdoutValue: [Double] = []
    var holdoutMargin: [Double] = []
    /// Each customer's GMV and CM2 of counted orders up to the calibration end, by key (refund rows included).
    var gmvSum: [Double]
    var marginSum: [Double]
    /// Refund rows (negative amount) left out, and their amounts' sum.
    var refundRows = 0
    var refundAmount = 0.0
    /// The holdout day being read, and a bit per customer who bought on it (`touched` lists them, to clear
    /// when the day changes): orders come in day order, so a bit a customer instead of a last day each.
    var holdoutDay = Int32.min
    var boughtToday: [UInt64] = []
    var touched: [Int32] = []

    init(customers n: Int, holdout: Bool) {
        firstDay = Array(repeating: .max, count: n)
        lastDay = Array(repeating: .min, count: n)
        purchases = Array(repeating: 0, count: n)
        repeatValue = Array(repeating: 0, count: n)
        gmvSum = Array(repeating: 0, count: n)
        marginSum = Array(repeating: 0, count: n)
        if holdout {
            holdoutPurchases = Array(repeating: 0, count: n)
            holdoutValue = Array(repeating: 0, count: n)
            holdoutMargin = Array(repeating: 0, count: n)
            boughtToday = Array(repeating: 0, count: (n + 63) / 64)
        }
    }

    /// Starts loading what `addCalibration` reads of customer `k` (a hint).
    @inline(__always) func prefetch(customer k: Int) {
        guard k >= 0 else { return }
        prefetchElement(firstDay, k)
        prefetchElement(lastDay, k)
        prefetchElement(purchases, k)
        prefetchElement(repeatValue, k)
    }

    /// Days arrive in order, so an order on the customer's last day joins that purchase.
    mutating func addCalibration(customer k: Int, day: Int32, amount: Double) {
        if firstDay[k] == .max { firstDay[k] = day }
        if lastDay[k] != day {
            lastDay[k] = day
            purchases[k] += 1
        }
        // Every amount after the first purchase day is repeat spend (same-day orders add up).
        if day != firstDay[k] { repeatValue[k] += amount }
    }

    mutating func addHoldout(customer k: Int, day: Int32, amount: Double, margin: Double) {
        if day != holdoutDay {
            for t in touched { boughtToday[Int(t) >> 6] = 0 }
            touched.removeAll(keepingCapacity: true)
            holdoutDay = day
        }
        let bit = UInt64(1) << UInt64(k & 63)
        if boughtToday[k >> 6] & bit == 0 {
            boughtToday[k >> 6] |= bit
            touched.append(Int32(k))
            holdoutPurchases[k] += 1
        }
        holdoutValue[k] += amount
        holdoutMargin[k] += margin
    }

    /// The same customers as `summaries`, as columns, made in the per-customer arrays themselves (taken
    /// from this state, which is left empty): each customer's values are written at or before its own
    /// place, so only the keys take new memory (at 5M customers, 120 MB less at the statement's peak
    /// than columns built beside the state).
    mutating func takeColumns(calibrationEnd: Int, unit: CLVTimeUnit) -> CustomerColumns {
        var first = firstDay, last = lastDay, count = purchases, value = repeatValue
        var hp = holdoutPurchases, hv = holdoutValue, hm = holdoutMargin
        firstDay = []; lastDay = []; purchases = []; repeatValue = []
        holdoutPurchases = []; holdoutValue = []; holdoutMargin = []; boughtToday = []; touched = []
        let n = first.count, holdout = !hp.isEmpty
        var keys: [Int32] = []
        keys.reserveCapacity(n)
        var j = 0
        for k in 0..<n where first[k] != .max {
            let x = Int(count[k]) - 1, f = Int(first[k])
            keys.append(Int32(k))
            count[j] = Int32(clamping: x)
            last[j] = Int32(clamping: Int(last[k]) - f)
            first[j] = Int32(clamping: calibrationEnd - f)
            value[j] = x > 0 ? value[k] / Double(x) : .nan
            if holdout { (hp[j], hv[j], hm[j]) = (hp[k], hv[k], hm[k]) }
            j += 1
        }
        // With a holdout, arrays of their own size, one at a time: sized for every customer of the snapshot, they
        // would keep those not acquired by the calibration end resident beside the fit (a fifth of 5.45M
        // customers when `predict validate` holds out the last quarter at 10M orders: 50 MB of its peak).
        // Without one the calibration ends at the last order and the few left out are not worth the copy.
        func keep<T>(_ a: inout [T]) {
            guard j < a.count else { return }
            if holdout { a = Array(a[..<j]) } else { a.removeLast(a.count - j) }
        }
        keep(&first); keep(&last); keep(&count); keep(&value)
        if holdout { keep(&hp); keep(&hv); keep(&hm) }
        var out = CustomerColumns(unit: unit)
        out.key = keys
        out.x = count
        out.recencyDays = last
        out.ageDays = first
        out.monetaryMean = value
        if holdout { (out.holdoutPurchases, out.holdoutValue, out.holdoutMargin) = (hp, hv, hm) }
        (out.refundRows, out.refundAmount) = (refundRows, refundAmount)
        out.keyMargins = (marginSum, gmvSum)
        gmvSum = []; marginSum = []
        return out
    }

    /// One summary per customer acquired by the calibration end, in key order.
    func summaries(calibrationEnd: Int, unit: CLVTimeUnit) -> [CustomerSummary] {
        let holdout = !holdoutPurchases.isEmpty
        var out: [CustomerSummary] = []
        out.reserveCapacity(firstDay.count)
        for k in firstDay.indices where firstDay[k] != .max {
            let x = Int(purchases[k]) - 1
            out.append(CustomerSummary(customerID: "", key: Int32(k), x: x,
                                       tx: Double(lastDay[k] - firstDay[k]) / unit.days,
                                       T: Double(calibrationEnd - Int(firstDay[k])) / unit.days,
                                       monetaryMean: x > 0 ? repeatValue[k] / Double(x) : nil,
                                       holdoutPurchases: holdout ? Int(holdoutPurchases[k]) : nil,
                                       holdoutValue: holdout ? holdoutValue[k] : nil,
                                       holdoutMargin: holdout ? holdoutMargin[k] : nil))
        }
        return out
    }
}
