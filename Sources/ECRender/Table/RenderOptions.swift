/// Everything that decides how a result reads; the shell builds one from its settings.
public struct RenderOptions: Sendable {
    /// Table for people, or one of the machine formats.
    public var format: OutputFormat
    /// ANSI colour and bold; the shell turns it on only for a terminal without NO_COLOR.
    public var color: Bool
    /// Most data rows shown in the table view; 0 shows all. Machine formats ignore it.
    public var maxRows: Int
    /// The session currency for `.currency(code: "")` columns.
    public var currency: String
    /// What NULL looks like in the table view (never the text "NULL", which is data).
    public var nullText: String
    /// Widest a table column may grow before its cells are cut with "…"; 0 never cuts.
    public var maxColumnWidth: Int
    /// Whether CSV and TSV start with the column names (`.headers on|off`).
    public var headers: Bool
    /// Box-drawing lines, or plain ASCII for terminals and logs that mangle them.
    public var border: TableBorder
    /// When to print the "N rows" line under a table.
    public var rowCount: RowCountFooter
    /// The export example suggested when rows are hidden.
    public var exportHint: String
    /// The terminal's width in columns, when a table wider than it is to be reshaped (`wide`, on a
    /// terminal); nil: tables are drawn whatever their width.
    public var screenWidth: Int?
    /// How a table wider than `screenWidth` is shown.
    public var wide: WideTables = .panels

    public init(
        format: OutputFormat = .table, color: Bool = false, maxRows: Int = 0,
        currency: String = "JPY", nullText: String = "∅", maxColumnWidth: Int = 40,
        border: TableBorder = .unicode, rowCount: RowCountFooter = .automatic,
        exportHint: String = "export to 'file.csv'", headers: Bool = true
    ) {
        self.headers = headers
        self.format = format
        self.color = color
        self.maxRows = maxRows
        self.currency = currency
        self.nullText = nullText
        self.maxColumnWidth = maxColumnWidth
        self.border = border
        self.rowCount = rowCount
        self.exportHint = exportHint
    }

    /// The cell formatter these options imply.
    public var cellFormatter: CellFormatter { CellFormatter(currency: currency, nullText: nullText) }
}

/// When the row-count footer is printed.
public enum RowCountFooter: Sendable {
    /// Only for tables long enough that counting by eye is tedious (10 rows or more).
    case automatic
    case always
    case never
}

/// How a table wider than the terminal is shown (`set wide`).
public enum WideTables: String, Sendable, CaseIterable {
    /// Its columns in panels that fit, one under the other, each led by the first column again
    /// (as R and pandas print wide frames); one row per block when a column will not fit beside it.
    case panels
    /// One row per block, a `name │ value` line per column (psql's `\x auto`).
    case blocks
    /// Drawn whole; the terminal wraps its lines.
    case wrap
}
