/// Collapses a preset export's line-item rows into one row per order.
///
/// Rows of one order are consecutive in every preset's export: quantities
/// (and the preset's `summed` fields) add up, every other column keeps its
/// first non-empty value, and required fields are checked on the collapsed
/// order. Rows of one order that are not next to each other become two rows
/// with the same id, which the load's id check then reports.
struct OrderCollapser {
    typealias Problem = (problem: RowProblem, line: Int, raw: String)

    let preset: Preset
    let columns: [ColumnPlan]
    let statement: Statement
    private let finishColumns: PresetColumns
    private(set) var inserted = 0
    /// The order's rows whose item is live, and those whose `item-status` says the item was cancelled.
    private var current: [Value]?
    private var cancelledRows: [Value]?
    private var currentKey: Value = .null
    private var hasOrder = false
    private var firstLine = 0
    private let orderIndex: Int
    private let summedIndexes: Set<Int>
    /// Amount column, and the item price and quantity columns it is computed from.
    private let itemAmount: (amount: Int, price: Int, quantity: Int)?
    private var itemTotal = 0.0
    private var itemCount = 0
    /// The status column and the workspace's own status words, to tell a pending order (`Preset.pendingMayLackAmount`).
    private let statusIndex: Int?
    private let words: [String: String]
    /// Pending orders loaded without an amount: how many, and the first few (order id, line).
    private(set) var unpriced = 0
    private(set) var firstUnpriced: [(order: String, line: Int)] = []
    /// The item-status column (`Preset.itemStatus`): a cancelled item of an order with other items adds nothing to it.
    private let itemStatusIndex: Int?
    /// Cancelled items left out of an order that kept other items: how many, and the first few (order id, line).
    private(set) var cancelledItems = 0
    private(set) var firstCancelledItems: [(order: String, line: Int)] = []
    private var cancelledLines: [Int] = []
    /// The currency column (`Preset.currency`), the `with currency` choice, and each currency's orders and first line.
    private let currencyIndex: Int?
    private let wantedCurrency: String?
    private(set) var currencies: [String: (orders: Int, line: Int)] = [:]
    /// Orders in another currency than `with currency` asked for, left out.
    private(set) var otherCurrencyOrders = 0

    init(preset: Preset, columns: [ColumnPlan], statement: Statement, words: [String: String] = [:], currency: String? = nil) {
        self.preset = preset
        func header(_ names: [String]) -> Int? {
            let wanted = Set(names.map(HeaderAliases.normalize))
            return columns.firstIndex { $0.header.map { wanted.contains(HeaderAliases.normalize($0)) } == true }
        }
        itemStatusIndex = header(preset.itemStatus)
        currencyIndex = header(preset.currency)
        wantedCurrency = currency
        self.columns = columns
        self.statement = statement
        self.words = words
        statusIndex = columns.firstIndex { $0.name == "status" && $0.source != .none }
        let names = columns.map(\.name)
        finishColumns = PresetColumns(names: names, headers: columns.map(\.header))
        orderIndex = names.firstIndex(of: "order_id") ?? 0
        summedIndexes = Set((preset.summed.union(["quantity"])).compactMap { names.firstIndex(of: $0) })
        if let item = preset.itemAmount, let a = names.firstIndex(of: "amount"), columns[a].source == .none,
           let p = columns.firstIndex(where: { $0.header == item.price }),
           let q = columns.firstIndex(where: { $0.header == item.quantity }) {
            itemAmount = (a, p, q)
        } else {
            itemAmount = nil
        }
    }

    mutating func add(_ values: [Value], line: Int) throws -> Problem? {
        let key = values[orderIndex]
        if key.isNull {
            return (RowProblem(column: nil, field: columns[orderIndex].header, raw: nil,
                               reason: "has no order id, so its line item belongs to no order"), line, "")
        }
        var problem: Problem?
        if !hasOrder || key != currentKey {
            problem = try flush()
            hasOrder = true
            currentKey = key
            firstLine = line
        }
        if let s = itemStatusIndex, let word = values[s].textValue, StatusVocabulary.status(of: word, extra: words) == "cancelled" {
            cancelledRows = merged(cancelledRows, values)
            cancelledLines.append(line)
        } else {
            current = merged(current, values)
            addItem(values)
        }
        return problem
    }

    /// A row added to an order's rows: summed fields add up, the others keep their first non-empty value.
    private func merged(_ order: [Value]?, _ values: [Value]) -> [Value] {
        guard var order else { return values }
        for k in order.indices {
            if summedIndexes.contains(k), !values[k].isNull, !order[k].isNull {
                order[k] = OrderCollapser.sum(order[k], values[k])
            } else if order[k].isNull {
                order[k] = values[k]
            }
        }
        return order
    }

    private mutating func addItem(_ values: [Value]) {
        guard let item = itemAmount, let price = values[item.price].doubleValue,
              let quantity = values[item.quantity].doubleValue else { return }
        itemTotal += price * quantity
        itemCount += 1
    }

    /// The order's status means pending (`StatusVocabulary`, the workspace's own words first).
    /// Whether the order is pending, or cancelled or failed before it was priced (Amazon's report leaves the prices
    /// of all three empty; the latter two are no sales by default).
    private func isPending(_ order: [Value]) -> Bool {
        guard let s = statusIndex, let word = order[s].textValue else { return false }
        return ["pending", "cancelled", "failed"].contains(StatusVocabulary.status(of: word, extra: words))
    }

    static func sum(_ a: Value, _ b: Value) -> Value {
        if let x = a.intValue, let y = b.intValue, case .integer = a, case .integer = b { return .integer(x + y) }
        return .real((a.doubleValue ?? 0) + (b.doubleValue ?? 0))
    }

    /// Inserts the order being collected, if any.
    mutating func flush() throws -> Problem? {
        guard hasOrder else { return nil }
        hasOrder = false
        // An order whose items were all cancelled keeps them (it is a cancelled order); otherwise its cancelled
        // items add nothing, and lend only what its live rows leave empty.
        var order: [Value]
        if var live = current {
            if let dropped = cancelledRows {
                for k in live.indices where live[k].isNull && !summedIndexes.contains(k) { live[k] = dropped[k] }
                cancelledItems += cancelledLines.count
                for line in cancelledLines where firstCancelledItems.count < 5 { firstCancelledItems.append(("\(currentKey)", line)) }
            }
            order = live
        } else {
            order = cancelledRows ?? []
        }
        current = nil
        cancelledRows = nil
        cancelledLines.removeAll(keepingCapacity: true)
        if let item = itemAmount, itemCount > 0 { order[item.amount] = .real(itemTotal) }
        itemTotal = 0
        itemCount = 0
        preset.finish(&order, finishColumns)
        if let c = currencyIndex, let code = order[c].textValue?.trimmingBlanks.uppercased(), !code.isEmpty {
            currencies[code, default: (0, firstLine)].orders += 1
            if let wantedCurrency, code != wantedCurrency {
                otherCurrencyOrders += 1
                return nil
            }
        }
        for (k, column) in columns.enumerated() where column.canonical?.required == true && order[k].isNull {
            if column.name == "amount" && preset.pendingMayLackAmount && isPending(order) {
                unpriced += 1
                if firstUnpriced.count < 5 { firstUnpriced.append(("\(currentKey)", firstLine)) }
                continue
            }
            let header = column.header.map { "'\($0)'" } ?? column.name
            return (RowProblem(column: nil, field: column.header ?? column.name, raw: nil,
                               reason: "order \(currentKey) has no \(column.name) on any of its rows",
                               help: "give the order its \(column.name) in \(header) on one of its rows; to load the other orders: with on_error skip"),
                    firstLine, "order \(currentKey)")
        }
        try statement.bind(order)
        try statement.step()
        statement.reset()
        inserted += 1
        return nil
    }
}
