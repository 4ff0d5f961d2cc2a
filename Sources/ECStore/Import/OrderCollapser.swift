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
    private var current: [Value]?
    private var currentKey: Value = .null
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

    init(preset: Preset, columns: [ColumnPlan], statement: Statement, words: [String: String] = [:]) {
        self.preset = preset
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
        if var order = current, key == currentKey {
            for k in order.indices {
                if summedIndexes.contains(k), !values[k].isNull, !order[k].isNull {
                    order[k] = OrderCollapser.sum(order[k], values[k])
                } else if order[k].isNull {
                    order[k] = values[k]
                }
            }
            current = order
            addItem(values)
            return nil
        }
        let problem = try flush()
        current = values
        currentKey = key
        firstLine = line
        addItem(values)
        return problem
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
        guard var order = current else { return nil }
        current = nil
        if let item = itemAmount, itemCount > 0 { order[item.amount] = .real(itemTotal) }
        itemTotal = 0
        itemCount = 0
        preset.finish(&order, finishColumns)
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
