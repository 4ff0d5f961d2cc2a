import ECLanguage

/// A derived KPI's formula over other KPIs: `margin / revenue`, `(gmv - revenue) / gmv`.
///
/// There is one parser: ecsh's (`ECLanguage.Parser`). `define kpi` hands its
/// `Expr` over directly (`init(_:)`), and the stored text is read back with the
/// same parser (`parse(_:)`); this type is the checked, compiled form the engine
/// walks (names folded to lower case, only numbers, KPI names and + - * /).
public indirect enum KPIExpression: Sendable, Equatable, CustomStringConvertible {
    case number(Double)
    case ref(String)
    case binary(Operator, KPIExpression, KPIExpression)
    case negate(KPIExpression)

    public enum Operator: String, Sendable { case add = "+", subtract = "-", multiply = "*", divide = "/" }

    /// The checked formula of an ecsh expression; anything but numbers, names,
    /// unary minus and + - * / is an error at its source range.
    public init(_ expr: Expr) throws(Diagnostic) {
        switch expr.kind {
        case .literal(let l):
            guard let v = l.numberValue else { throw Self.notAFormula(expr) }
            self = .number(v)
        case .identifier(let id):
            self = .ref(id.folded)
        case .negate(let operand):
            self = .negate(try KPIExpression(operand))
        case .binary(let op, let left, let right):
            guard let o = Operator(rawValue: op.rawValue) else { throw Self.notAFormula(expr) }
            self = .binary(o, try KPIExpression(left), try KPIExpression(right))
        default:
            throw Self.notAFormula(expr)
        }
    }

    private static func notAFormula(_ expr: Expr) -> Diagnostic {
        Diagnostic("a KPI formula may use only KPI names, numbers, + - * / and parentheses", at: expr.range,
                   note: "for example: define kpi margin_rate = margin / revenue")
    }

    /// Reads a stored formula with ecsh's parser.
    public static func parse(_ text: String) throws -> KPIExpression {
        do {
            return try KPIExpression(try Parser.parseExpression(text))
        } catch {
            throw MetricsError("in KPI formula '\(text)': \(error.description)")
        }
    }

    /// The KPI names referred to, in order of appearance.
    public var references: [String] {
        switch self {
        case .number: return []
        case .ref(let n): return [n]
        case .binary(_, let a, let b): return a.references + b.references
        case .negate(let e): return e.references
        }
    }

    /// Nodes in the tree: the size limit a definition is checked against.
    var size: Int {
        switch self {
        case .number, .ref: return 1
        case .negate(let e): return 1 + e.size
        case .binary(_, let a, let b): return 1 + a.size + b.size
        }
    }

    /// Levels in the tree: the depth limit a definition is checked against.
    var depth: Int {
        switch self {
        case .number, .ref: return 1
        case .negate(let e): return 1 + e.depth
        case .binary(_, let a, let b): return 1 + max(a.depth, b.depth)
        }
    }

    /// Canonical text with only the parentheses precedence needs, so that a long
    /// chain (`gmv + gmv + …`) reads back without nesting; parsing gives the same tree.
    public var description: String { printed(minimum: 0) }

    private var precedence: Int {
        switch self {
        case .binary(.add, _, _), .binary(.subtract, _, _): return 1
        case .binary: return 2
        case .negate: return 3
        case .number, .ref: return 4
        }
    }

    private func printed(minimum: Int) -> String {
        let text: String
        switch self {
        case .number(let v): text = v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
        case .ref(let n): text = n
        case .negate(let e):
            let inner = e.printed(minimum: 3)
            text = "-" + (inner.hasPrefix("-") ? " " : "") + inner  // "--" would start a comment
        case .binary(let op, let a, let b):
            // Left-associative: the right operand binds one level tighter.
            text = a.printed(minimum: precedence) + " " + op.rawValue + " " + b.printed(minimum: precedence + 1)
        }
        return precedence < minimum ? "(" + text + ")" : text
    }
}
