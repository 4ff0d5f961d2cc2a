/// How a column's numbers read in the table view. Machine formats
/// (CSV, JSON) always write the raw value.
public enum ColumnFormat: Sendable, Equatable {
    /// Integers with thousands separators; reals with up to 2 decimals.
    case auto
    /// A fixed number of decimals.
    case decimal(places: Int)
    /// A ratio shown as a percentage: 0.153 → "15.3%".
    case percent(places: Int)
    /// Money, in the session's currency, no decimals for JPY.
    case currency(code: String)
    /// Text, left-aligned even when it looks numeric (ids, months).
    case text
}

/// The rows a statement produced, ready for rendering or export.
public struct ResultTable: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[Value]]
    /// One per column; `.auto` when not given.
    public var formats: [ColumnFormat]
    /// Lines shown under the table (the formula in force, a warning).
    public var notes: [String]
    /// Rows (by index) that are totals or averages, styled apart.
    public var summaryRows: Set<Int>
    /// Cells to colour as good or bad news, by row then column (the scorecard's
    /// trend and status follow each KPI's direction); colour only on a terminal.
    public var tones: [Int: [Int: CellTone]] = [:]
    /// The rows the machine formats (CSV, TSV, JSON, and `export` to them) write, when a
    /// column mixes units and so shows some cells scaled: `kpi tree` shows a rate as 1.56
    /// under unit `%` and writes the ratio 0.0156, as `kpi` does. nil: `rows`.
    public var machineRows: [[Value]]?

    /// What CSV, TSV and JSON write.
    public var rawRows: [[Value]] { machineRows ?? rows }

    public init(columns: [String], rows: [[Value]], formats: [ColumnFormat]? = nil, notes: [String] = [], summaryRows: Set<Int> = []) {
        self.columns = columns
        self.rows = rows
        self.formats = formats ?? Array(repeating: .auto, count: columns.count)
        self.notes = notes
        self.summaryRows = summaryRows
    }

    /// The values of the named column, if present.
    public func column(_ name: String) -> [Value]? {
        guard let i = columns.firstIndex(of: name) else { return nil }
        return rows.map { $0[i] }
    }
}

/// Whether a cell is good or bad news (green or red on a terminal).
public enum CellTone: Sendable, Equatable {
    case good, bad
}
