/// The rows a statement produced, ready for rendering or export.
public struct ResultTable: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[Value]]
    /// A line shown under the table (e.g. the formula in force, a warning).
    public var notes: [String]

    public init(columns: [String], rows: [[Value]], notes: [String] = []) {
        self.columns = columns
        self.rows = rows
        self.notes = notes
    }

    /// The values of the named column, if present.
    public func column(_ name: String) -> [Value]? {
        guard let i = columns.firstIndex(of: name) else { return nil }
        return rows.map { $0[i] }
    }
}
