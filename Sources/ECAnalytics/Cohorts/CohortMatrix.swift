import ECStore

/// The outcome of a cohort analysis: one row per cohort, one cell per offset.
public struct CohortMatrix: Sendable {
    /// When a cohort's margin per customer first covers its acquisition cost.
    public enum Payback: Sendable, Equatable {
        case offset(Int)
        case notYet
    }

    /// One cohort.
    public struct Row: Sendable, Equatable {
        /// The cohort's name; nil for customers without a value (a NULL key, shown `∅`).
        public var label: String?
        /// Customers in the cohort.
        public var size: Int
        /// Cells for offsets 0...periods; nil where the data has ended.
        public var cells: [Double?]
        /// Acquisition cost per customer (margin, cumulative, with spend).
        public var cac: Double?
        public var payback: Payback?
    }

    public var query: CohortQuery
    public var rows: [Row]
    /// Average over cohorts that have the cell, weighted by the customers the cell covers.
    public var average: [Double?]
    /// The SQL that selected the orders.
    public var sql: SQLFragment
    public var notes: [String]
    /// Cost fields that were NULL on some or all orders (margin only).
    public var missingCostFields: [CostField]

    /// True when CAC and payback columns apply.
    public var hasPayback: Bool { rows.contains { $0.cac != nil } }

    /// The matrix as a table: cohort, size, offsets, and the average row last.
    /// - Parameter currency: the currency code for money cells.
    public func toResultTable(currency: String = "JPY") -> ResultTable {
        let unit = query.unit
        let cohortHeader: String
        switch query.grouping {
        case .period(let unit): cohortHeader = "cohort (\(unit.rawValue))"
        case .attribute(let attribute): cohortHeader = attribute.name
        case .all: cohortHeader = "cohort"
        }
        var columns = [cohortHeader, "size"] + (0...query.periods).map { "\(unit.offsetPrefix)\($0)" }
        let cellFormat: ColumnFormat
        switch query.measure {
        case .retention: cellFormat = .percent(places: 1)
        case .customers: cellFormat = .auto
        case .orders: cellFormat = query.perCustomer ? .decimal(places: 2) : .auto
        case .revenue, .margin: cellFormat = .currency(code: currency)
        }
        var formats: [ColumnFormat] = [.text, .auto] + Array(repeating: cellFormat, count: query.periods + 1)
        let payback = hasPayback
        if payback {
            // The heatmap, HTML and SVG writers mark the cell whose offset header the
            // `payback` column names (ECRender's HeatmapLayout): keep both spelled alike.
            columns += ["CAC", "payback"]
            formats += [.currency(code: currency), .text]
        }
        var table = rows.map { row -> [Value] in
            var values: [Value] = [row.label.map(Value.text) ?? .null, .integer(Int64(row.size))]
            values += row.cells.map { $0.map(Value.real) ?? .null }
            if payback {
                values.append(row.cac.map(Value.real) ?? .null)
                switch row.payback {
                case .offset(let k)?: values.append(.text("\(unit.offsetPrefix)\(k)"))
                case .notYet?: values.append(.text("not yet"))
                case nil: values.append(.null)
                }
            }
            return values
        }
        var averageRow: [Value] = [.text("average"), .integer(Int64(rows.reduce(0) { $0 + $1.size }))]
        averageRow += average.map { $0.map(Value.real) ?? .null }
        if payback { averageRow += [.null, .null] }
        table.append(averageRow)
        return ResultTable(columns: columns, rows: table, formats: formats, notes: notes,
                           summaryRows: [table.count - 1])
    }
}
