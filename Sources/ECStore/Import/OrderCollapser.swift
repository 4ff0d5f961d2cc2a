/// Collapses a preset export's line-item rows into one row per order.
///
/// Rows of one order are consecutive in both Shopify and Rakuten exports:
/// quantities add up, every other column keeps its first non-empty value,
/// and required fields are checked on the collapsed order.
struct OrderCollapser {
    typealias Problem = (problem: RowProblem, line: Int, raw: String)

    let preset: Preset
    let names: [String]
    let columns: [ColumnPlan]
    let statement: Statement
    private(set) var inserted = 0
    private var current: [Value]?
    private var currentKey: Value = .null
    private var firstLine = 0
    private let orderIndex: Int
    private let quantityIndex: Int?

    init(preset: Preset, columns: [ColumnPlan], statement: Statement) {
        self.preset = preset
        self.columns = columns
        self.names = columns.map(\.name)
        self.statement = statement
        orderIndex = names.firstIndex(of: "order_id")!
        quantityIndex = names.firstIndex(of: "quantity")
    }

    mutating func add(_ values: [Value], line: Int) throws -> Problem? {
        let key = values[orderIndex]
        if key.isNull {
            return (RowProblem(column: nil, field: columns[orderIndex].header, raw: nil,
                               reason: "has no order id, so its line item belongs to no order"), line, "")
        }
        if var order = current, key == currentKey {
            for k in order.indices {
                if k == quantityIndex, let a = order[k].intValue, let b = values[k].intValue {
                    order[k] = .integer(a + b)
                } else if order[k].isNull {
                    order[k] = values[k]
                }
            }
            current = order
            return nil
        }
        let problem = try flush()
        current = values
        currentKey = key
        firstLine = line
        return problem
    }

    /// Inserts the order being collected, if any.
    mutating func flush() throws -> Problem? {
        guard var order = current else { return nil }
        current = nil
        preset.finish(&order, names)
        for (k, column) in columns.enumerated() where column.canonical?.required == true && order[k].isNull {
            return (RowProblem(column: nil, field: column.header ?? column.name, raw: nil,
                               reason: "order \(currentKey) has no \(column.name) on any of its rows"), firstLine,
                    "order \(currentKey)")
        }
        try statement.bind(order)
        try statement.step()
        statement.reset()
        inserted += 1
        return nil
    }
}
