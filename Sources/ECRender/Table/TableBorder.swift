/// The characters that draw a table's frame.
public enum TableBorder: Sendable {
    /// Box drawing, like DuckDB: ┌─┬─┐ │ ├─┼─┤ └─┴─┘.
    case unicode
    /// psql-style: no outer frame, " | " between columns, "-+-" under the header.
    case ascii

    /// The horizontal rule characters for one kind of line.
    struct Rule {
        var left: String, fill: String, cross: String, right: String
    }

    var vertical: String { self == .unicode ? "│" : "|" }
    var hasFrame: Bool { self == .unicode }

    var top: Rule { Rule(left: "┌", fill: "─", cross: "┬", right: "┐") }
    var bottom: Rule { Rule(left: "└", fill: "─", cross: "┴", right: "┘") }
    var middle: Rule {
        self == .unicode ? Rule(left: "├", fill: "─", cross: "┼", right: "┤")
                         : Rule(left: "", fill: "-", cross: "+", right: "")
    }
}
