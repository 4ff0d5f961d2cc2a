import Foundation
import ECStore
import ECRender

/// ResultTable builders the shell prints for the CLV commands.
extension PurchaseModelFit {
    /// Parameters with standard errors; notes carry the fit's log-likelihood, BIC and size.
    public func parameterTable(unit: CLVTimeUnit) -> ResultTable {
        let names = kind.parameterNames
        let values = parameters
        let rows: [[Value]] = (0..<names.count).map { i in
            [.text(names[i]), .real(values[i]), standardErrors[i].map(Value.real) ?? .null]
        }
        return ResultTable(columns: ["parameter", "estimate", "std_error"], rows: rows,
                           formats: [.text, .decimal(places: 4), .decimal(places: 4)],
                           notes: ["\(kind.title) (\(kind.reference)), time unit: \(unit.rawValue)",
                                   "log-likelihood \(format(logLikelihood, 2)), BIC \(format(bic, 1)); \(Int(customers)) customers, \(Int(repeatCustomers)) with repeat purchases; \(iterations) iterations"])
    }
}

extension GammaGammaFit {
    /// Parameters with standard errors; notes carry the correlation check and exclusions, and the mean
    /// spend in `currency` as the tables write money (a plain number without one).
    public func parameterTable(currency: String? = nil) -> ResultTable {
        let names = ["p", "q", "gamma"]
        let values = [p, q, gamma]
        let rows: [[Value]] = (0..<3).map { i in
            [.text(names[i]), .real(values[i]), standardErrors[i].map(Value.real) ?? .null]
        }
        var notes = ["Gamma-Gamma spend model on \(LoadSummary.grouped(customers)) repeat customers; mean spend per purchase "
                        + (currency.map { Currency(code: $0).format(populationMeanSpend) } ?? format(populationMeanSpend, 2)),
                     "spend–frequency Pearson r = \(format(frequencySpendCorrelation, 3)) (the model assumes ≈ 0; warns above \(GammaGammaModel.warningCorrelation))"]
        notes += warnings
        return ResultTable(columns: ["parameter", "estimate", "std_error"], rows: rows,
                           formats: [.text, .decimal(places: 4), .decimal(places: 4)], notes: notes)
    }
}

/// How the per-customer table is ordered (always descending).
public enum CustomerPredictionOrder: String, Sendable, CaseIterable {
    case probabilityAlive = "p_alive"
    case expectedPurchases = "expected_purchases"
    case clv
}

extension CLVCalculator {
    /// Per-customer predictions, sorted descending, ties by customer id; `limit` keeps the top rows.
    public func customerTable(_ customers: [CustomerSummary], orderedBy order: CustomerPredictionOrder = .clv,
                              limit: Int? = nil, currency: String? = nil) -> ResultTable {
        let predictions = self.predictions(for: customers)
        func key(_ p: CustomerPrediction) -> Double {
            switch order {
            case .probabilityAlive: return p.probabilityAlive
            case .expectedPurchases: return p.expectedPurchases
            case .clv: return p.clv
            }
        }
        var sorted = predictions.sorted { key($0) != key($1) ? key($0) > key($1) : $0.customer.customerID < $1.customer.customerID }
        if let limit { sorted = Array(sorted.prefix(max(0, limit))) }
        let rows = sorted.map(Self.row)
        return customerTable(rows: rows, customers: predictions.count, equity: predictions.reduce(0) { $0 + $1.clv }, currency: currency)
    }

    /// The first `limit` customers of `customerTable(_:orderedBy:limit:currency:)` for customers held as
    /// columns, the same rows and notes without a prediction or a row per customer: each customer's key
    /// is computed by the same formulas, the customers at or above the `limit`-th key are kept, and only
    /// their ids are asked for (`ids`, by position in `c`) to break ties as the full table does.
    public func topCustomerTable(_ c: CustomerColumns, orderedBy order: CustomerPredictionOrder, limit: Int, currency: String?,
                                 ids: ([Int]) throws -> [String]) rethrows -> ResultTable {
        // Each customer's forecast from its (x, T) parts, computed once per distinct pair on both cores
        // (`forwardTable`, as `predict ltv` sums them), instead of once per distinct (x, t_x, T) through a
        // dictionary: most of `predict alive`'s time at 5M customers.
        let table = forwardTable(c)
        var equity = 0.0
        let n = min(max(0, limit), c.count)
        // The n largest keys and every customer tied with the least of them (ties go by id), kept as they
        // come: no key per customer (40 MB at 5M customers, at the statement's peak).
        var top = TopWithTies(capacity: n)
        for i in 0..<c.count {
            let f = forecast(c, i, table: table)
            equity += f.clv
            guard n > 0 else { continue }
            switch order {
            case .probabilityAlive: top.offer(f.probabilityAlive, i)
            case .expectedPurchases: top.offer(f.expectedPurchases, i)
            case .clv: top.offer(f.clv, i)
            }
        }
        let found = top.all.sorted { $0.index < $1.index }
        let candidates = found.map(\.index)
        let candidateIDs = try ids(candidates)
        let chosen = candidates.indices.sorted {
            let a = found[$0].key, b = found[$1].key
            return a != b ? a > b : candidateIDs[$0] < candidateIDs[$1]
        }.prefix(n)
        let rows = chosen.map { j -> [Value] in
            let i = candidates[j]
            let f = forecast(c, i, table: table)
            let summary = CustomerSummary(customerID: candidateIDs[j], key: c.key[i], x: Int(c.x[i]), tx: c.tx(i), T: c.T(i), monetaryMean: c.mean(i))
            return Self.row(CustomerPrediction(customer: summary, probabilityAlive: f.probabilityAlive, expectedPurchases: f.expectedPurchases,
                                               expectedSpend: f.expectedSpend, clv: f.clv))
        }
        return customerTable(rows: Array(rows), customers: c.count, equity: equity, currency: currency)
    }

    private static func row(_ p: CustomerPrediction) -> [Value] {
        [.text(p.customer.customerID), .integer(Int64(p.customer.x)), .real(p.customer.tx), .real(p.customer.T),
         p.customer.monetaryMean.map(Value.real) ?? .null,
         .real(p.probabilityAlive), .real(p.expectedPurchases), .real(p.expectedSpend), .real(p.clv)]
    }

    private func customerTable(rows: [[Value]], customers: Int, equity: Double, currency: String?) -> ResultTable {
        let money: ColumnFormat = currency.map { .currency(code: $0) } ?? .decimal(places: 2)
        let total = CellFormatter(currency: currency ?? "").text(.real(equity), format: money)
        return ResultTable(
            columns: ["customer_id", "x", "t_x", "T", "mean_spend", "p_alive", "expected_purchases", "expected_spend", "clv"],
            rows: rows,
            formats: [.text, .auto, .decimal(places: 2), .decimal(places: 2), money, .percent(places: 1), .decimal(places: 3), money, money],
            notes: ["t_x and T in \(unit.rawValue); expected purchases over \(horizonMonths) months",
                    "CLV = Σ over the \(horizonMonths) months of monthly expected purchases × expected spend × margin \(format(margin * 100, 1))% / (1 + \(format(discount.monthly * 100, 3))%)^month"
                        + (discount.annual.map { " (\(format($0 * 100, 1))% per year)" } ?? ""),
                    "margin: the shop's CM2/GMV up to the calibration end, the same for every customer (predict ltv by a group prices each group at its own)",
                    "customer equity (all \(LoadSummary.grouped(customers)) customers) = \(total)"])
    }
}

extension HoldoutValidation {
    /// Mean holdout purchases per customer, actual and predicted, by calibration frequency
    /// (lifetimes' calibration-vs-holdout plot as a table; two series, so it exports as a chart).
    public func table() -> ResultTable {
        var rows: [[Value]] = groups.map { g in [CLVGroupSummary.key(g.label), .real(g.actualMean), .real(g.predictedMean)] }
        rows.append([.text("all"), .real(actualPurchases / Double(max(customers, 1))), .real(predictedPurchases / Double(max(customers, 1)))])
        return ResultTable(
            columns: ["calibration_x", "actual_purchases", "predicted_purchases"],
            rows: rows,
            formats: [.text, .decimal(places: 3), .decimal(places: 3)],
            notes: ["mean holdout purchases per customer by repeat purchases in calibration (x); holdout length \(format(holdoutLength, 2)) time units",
                    "mean absolute error per customer \(format(meanAbsoluteError, 3)); total error \(format(totalRelativeError * 100, 1))% (predicted vs actual)",
                    "export to 'calibration.html' (or .svg) draws both series as a chart"],
            summaryRows: [rows.count - 1])
    }
}

private func format(_ v: Double, _ places: Int) -> String {
    guard v.isFinite else { return "n/a" }
    return String(format: "%.\(places)f", v)
}

/// The n largest of the values offered, the least of them on top.
/// The entries with the `capacity` largest keys, and every later one tied with the least of them, from
/// one pass: a min-heap of the largest, and the entries equal to its least that it turned away or let go
/// (dropped when the least rises past them).
struct TopWithTies {
    private var heap: [(key: Double, index: Int)] = []
    private var ties: [(key: Double, index: Int)] = []
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        heap.reserveCapacity(capacity)
    }

    /// Every entry whose key is at least the least of the `capacity` largest.
    var all: [(key: Double, index: Int)] { heap + ties }

    mutating func offer(_ key: Double, _ index: Int) {
        if heap.count < capacity {
            heap.append((key, index))
            var i = heap.count - 1
            while i > 0, heap[(i - 1) / 2].key > heap[i].key {
                heap.swapAt(i, (i - 1) / 2)
                i = (i - 1) / 2
            }
            return
        }
        guard capacity > 0 else { return }
        if key == heap[0].key { ties.append((key, index)); return }
        guard key > heap[0].key else { return }
        let out = heap[0]
        heap[0] = (key, index)
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count, heap[l].key < heap[m].key { m = l }
            if r < heap.count, heap[r].key < heap[m].key { m = r }
            if m == i { break }
            heap.swapAt(i, m)
            i = m
        }
        if out.key == heap[0].key { ties.append(out) } else { ties.removeAll(keepingCapacity: true) }
    }
}

