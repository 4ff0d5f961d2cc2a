/// Why a load stopped, pointing at the exact place in the file.
///
/// `description` reads like a compiler diagnostic:
/// `orders.csv:12:4: field 'amount': '12,3x' is not a number` followed by a
/// `help:` line with the clause that would fix it.
public struct LoadError: Error, Sendable, CustomStringConvertible {
    /// The file as given in the request.
    public var file: String
    /// 1-based physical line where the record starts; nil when not about one line.
    public var line: Int?
    /// 1-based field number within the record; nil when about the whole record.
    public var column: Int?
    /// The header (or canonical field) of the column.
    public var field: String?
    /// The offending text as read (cut to 200 characters).
    public var rawValue: String?
    public var reason: String
    /// A way out: the `map` or `with` clause that would fix it.
    public var help: String?
    /// The failing line starts with the detected comment character and was read as a row (it has the header's
    /// fields): its help is `with comment`, not the title lines' `with skip` (`PlannedLoad.withWayOut`).
    var commentLikeRow = false
    /// The error is about the values, read right from a header found right (the spend's currency): skipping title
    /// lines is no way out of it (`PlannedLoad.withWayOut`).
    var notAboutLayout = false

    public init(file: String, line: Int? = nil, column: Int? = nil, field: String? = nil,
                rawValue: String? = nil, reason: String, help: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.rawValue = rawValue.map { $0.count > 200 ? String($0.prefix(200)) + "…" : $0 }
        self.reason = reason
        self.help = help
    }

    /// `file:line:column`; a column without a line is not written as if it were the line (`file (column 3)`).
    public var place: String {
        switch (line, column) {
        case let (line?, column?): return "\(file):\(line):\(column)"
        case let (line?, nil): return "\(file):\(line)"
        case let (nil, column?): return "\(file) (column \(column))"
        case (nil, nil): return file
        }
    }

    public var description: String {
        var text = "\(place): "
        if let field { text += "field '\(field)': " }
        if let rawValue { text += "'\(rawValue)' " }
        text += reason
        if let help { text += "\nhelp: \(help)" }
        return text
    }
}
