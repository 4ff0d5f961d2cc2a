import Foundation
import ECStore

/// `kpi tree ROOT [by GRAIN] [from A to B]`: the tree for the last period against the one before
/// (or the period of `from` against the period of `to`).
public struct KPITreeQuery: Sendable {
    public var root: KPITreeRoot
    public var grain: TimeGrain
    /// `YYYY-MM` or `YYYY-MM-DD`: the period containing it is the earlier one compared.
    public var from: String?
    /// The period containing it is the later one; default: the period of the last order.
    public var to: String?

    public init(root: KPITreeRoot, grain: TimeGrain = .month, from: String? = nil, to: String? = nil) {
        self.root = root
        self.grain = grain
        self.from = from
        self.to = to
    }
}

/// The trees, and the table `kpi tree` shows (also what CSV, JSON and HTML export write).
public struct KPITreeResult: Sendable {
    public var trees: [KPITreeNode]
    public var previous: String
    public var current: String
    public var table: ResultTable
}

public enum KPITreeEngine {
    public static func run(_ query: KPITreeQuery, db: Database, settings: MetricSettings,
                           selection: OrderSelection) throws -> KPITreeResult {
        guard [.month, .quarter, .year, .week].contains(query.grain) else {
            throw MetricsError("kpi tree compares weeks, months, quarters or years, not \(query.grain.rawValue)s")
        }
        func day(_ text: String, last: Bool) throws -> Int {
            guard let range = DayNumber.parseRange(text) else { throw MetricsError("'\(text)' is not a date (YYYY-MM or YYYY-MM-DD)") }
            return last ? range.upperBound : range.lowerBound
        }
        var end: Int
        if let to = query.to {
            end = try day(to, last: true)
        } else {
            guard let last = try selection.lastDay(in: db) else { throw MetricsError("kpi tree needs orders") }
            end = last
        }
        if let asOf = settings.asOf, let cut = DayNumber.parseRange(asOf)?.upperBound { end = min(end, cut) }
        let current = PeriodCalendar.period(of: end, grain: query.grain, weekStart: settings.weekStart)
        let previous = try query.from.map { PeriodCalendar.period(of: try day($0, last: false), grain: query.grain, weekStart: settings.weekStart) }
            ?? PeriodCalendar.period(of: current.start - 1, grain: query.grain, weekStart: settings.weekStart)
        guard previous.start < current.start else {
            throw MetricsError("kpi tree compares an earlier period with a later one: \(previous.label) is not before \(current.label)")
        }
        let figures = try PeriodFigures.readAll(db, selection: selection, settings: settings,
                                                periods: [(previous.label, previous.start...previous.end),
                                                          (current.label, current.start...current.end)])
        let trees = KPITreeBuilder.tree(query.root, figures[0], figures[1])
        var result = table(trees, previous: previous.label, current: current.label, currency: settings.currency,
                           window: settings.activeWindowDays)
        // Traffic loaded but without rows in one of the two periods: the sessions tree cannot be drawn; say so
        // rather than leave it out unsaid (or show 0 sessions, which no shop that sold anything had).
        if query.root == .revenue, try db.tableExists("traffic") {
            let missing = zip([previous.label, current.label], figures).filter { $0.1.sessions == nil }.map(\.0)
            if !missing.isEmpty {
                result.notes.insert("revenue = sessions × cvr × aov is left out: traffic has no rows in "
                                    + missing.joined(separator: " or "), at: 0)
            }
        }
        return KPITreeResult(trees: trees, previous: previous.label, current: current.label, table: result)
    }

    /// One row per node, drawn as a tree in the `node` column; the biggest mover under each root marked.
    static func table(_ trees: [KPITreeNode], previous: String, current: String, currency: String, window: Int) -> ResultTable {
        var rows: [[Value]] = []
        // What CSV, TSV and JSON write: a rate as the ratio `kpi` writes (cvr 0.0156, unit `ratio`), so
        // the factors multiply back to the root; the table shows it in percent (1.56, unit `%`). The formula
        // without its leading `= `, which a spreadsheet would run as a formula (and CSV therefore wrote as `'= …`).
        var machineRows: [[Value]] = []
        var notes: [String] = []
        // Exact values (the table shows 2 decimals; CSV and JSON keep every digit, so the
        // products can be checked); sums of whole yen and counts stay integers.
        func value(_ v: Double?, _ unit: KPITreeNode.Unit, shown: Bool) -> Value {
            guard let v else { return .null }
            let number = unit == .percent && shown ? v * 100 : v
            if number == number.rounded(), abs(number) < 9e15 { return .integer(Int64(number)) }
            return .real(number)
        }
        func unitText(_ unit: KPITreeNode.Unit, shown: Bool) -> String {
            switch unit {
            case .money: return currency
            case .count: return "count"
            case .percent: return shown ? "%" : "ratio"
            case .ratio: return "ratio"
            }
        }
        func walk(_ node: KPITreeNode, parent: KPITreeNode?, prefix: String, branch: String, mark: Bool) {
            let explains = parent.flatMap { node.explains(in: $0) }
            for shown in [true, false] {
                let row: [Value] = [.text(prefix + branch + node.name), .text(node.formula.isEmpty || !shown ? node.formula : "= " + node.formula),
                                    .text(unitText(node.unit, shown: shown)), value(node.previous, node.unit, shown: shown),
                                    value(node.current, node.unit, shown: shown),
                                    node.change.map { .real($0) } ?? .null, explains.map { .real($0) } ?? .null,
                                    .text(mark ? "◀ biggest mover" : "")]
                if shown { rows.append(row) } else { machineRows.append(row) }
            }
            let top = biggest(node)
            let childPrefix = prefix + (branch == "├─ " ? "│  " : branch.isEmpty ? "" : "   ")
            for (i, child) in node.children.enumerated() {
                walk(child, parent: node, prefix: childPrefix, branch: i == node.children.count - 1 ? "└─ " : "├─ ",
                     mark: parent == nil && i == top)
            }
        }
        for tree in trees {
            walk(tree, parent: nil, prefix: "", branch: "", mark: false)
            if let i = biggest(tree), let share = tree.children[i].explains(in: tree) {
                let child = tree.children[i]
                notes.append("\(tree.name) = \(tree.formula): \(child.name) \(changeText(child)) explains "
                             + "\(percentText(share, signed: false)) of the change \(changeText(tree))")
            }
        }
        notes.append("change = \(current) / \(previous) − 1; explains = share of the parent's change: for ×, ln(child ratio) / ln(parent ratio); for + and −, signed child change / parent change")
        if trees.contains(where: { $0.name == "customer_equity_12m" }) {
            notes.append("customer_equity_12m = contribution margin of the customers active in the \(window) days up to each period's end (historical, observed; predict ltv gives the model's forward-looking CLV)")
        }
        var table = ResultTable(columns: ["node", "formula", "unit", previous, current, "change", "explains", "mark"], rows: rows,
                                formats: [.text, .text, .text, .auto, .auto, .percent(places: 1), .percent(places: 0), .text],
                                notes: notes)
        if machineRows != rows { table.machineRows = machineRows }
        return table
    }

    /// The child explaining the largest share of the node's change in its direction
    /// (a term that moved against the change, such as GMV rising while margin fell, is not it).
    static func biggest(_ node: KPITreeNode) -> Int? {
        let shares = node.children.enumerated().compactMap { i, c in c.explains(in: node).map { (i, $0) } }
        return shares.filter { $0.1 > 0 }.max { $0.1 < $1.1 }?.0
    }

    /// A node's change as the note words it: from 0 there is no percentage, but there is a change.
    private static func changeText(_ node: KPITreeNode) -> String {
        guard node.change == nil, let now = node.current, let before = node.previous, now != before else {
            return percentText(node.change)
        }
        return now > before ? "(up from 0)" : "(down from 0)"
    }

    private static func percentText(_ ratio: Double?, signed: Bool = true) -> String {
        guard let ratio else { return "(no change)" }
        let text = String(format: "%.1f%%", ratio * 100)
        return signed && ratio >= 0 ? "+" + text : text
    }
}
