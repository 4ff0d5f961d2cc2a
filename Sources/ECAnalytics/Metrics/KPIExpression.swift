import Foundation

/// A derived KPI's formula over other KPIs: `margin / revenue`, `(gmv - revenue) / gmv`.
///
/// Grammar (usual precedence, left-associative):
///
///     expression := term (('+' | '-') term)*
///     term       := unary (('*' | '/') unary)*
///     unary      := '-' unary | primary
///     primary    := NUMBER | NAME | '(' expression ')'
public indirect enum KPIExpression: Sendable, Equatable, CustomStringConvertible {
    case number(Double)
    case ref(String)
    case binary(Operator, KPIExpression, KPIExpression)
    case negate(KPIExpression)

    public enum Operator: String, Sendable { case add = "+", subtract = "-", multiply = "*", divide = "/" }

    /// The KPI names referred to, in order of appearance.
    public var references: [String] {
        switch self {
        case .number: return []
        case .ref(let n): return [n]
        case .binary(_, let a, let b): return a.references + b.references
        case .negate(let e): return e.references
        }
    }

    /// Canonical text; parsing it gives the same expression back.
    public var description: String {
        switch self {
        case .number(let v): return v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
        case .ref(let n): return n
        case .negate(let e): return "-\(e.parenthesized)"
        case .binary(let op, let a, let b): return "\(a.parenthesized) \(op.rawValue) \(b.parenthesized)"
        }
    }

    private var parenthesized: String {
        if case .binary = self { return "(\(description))" }
        return description
    }

    /// Parses the text after `define kpi NAME =`.
    public static func parse(_ text: String) throws -> KPIExpression {
        var p = ExpressionParser(Array(text.unicodeScalars))
        let e = try p.parseExpression(depth: 0)
        p.skipSpace()
        if p.i < p.s.count {
            throw MetricsError("unexpected '\(Character(p.s[p.i]))' at column \(p.i + 1) in KPI formula '\(text)'")
        }
        return e
    }
}

/// The recursive-descent parser behind `KPIExpression.parse`.
private struct ExpressionParser {
    let s: [Unicode.Scalar]
    var i = 0
    init(_ s: [Unicode.Scalar]) { self.s = s }

    mutating func skipSpace() { while i < s.count, s[i].properties.isWhitespace { i += 1 } }

    mutating func peek() -> Unicode.Scalar? { skipSpace(); return i < s.count ? s[i] : nil }

    /// expression := term (('+' | '-') term)*
    mutating func parseExpression(depth: Int) throws -> KPIExpression {
        guard depth < 64 else { throw MetricsError("KPI formula nested too deeply") }
        var left = try parseTerm(depth: depth)
        while let c = peek(), c == "+" || c == "-" {
            i += 1
            left = .binary(c == "+" ? .add : .subtract, left, try parseTerm(depth: depth))
        }
        return left
    }

    /// term := unary (('*' | '/') unary)*
    mutating func parseTerm(depth: Int) throws -> KPIExpression {
        var left = try parseUnary(depth: depth)
        while let c = peek(), c == "*" || c == "/" {
            i += 1
            left = .binary(c == "*" ? .multiply : .divide, left, try parseUnary(depth: depth))
        }
        return left
    }

    /// unary := '-' unary | primary
    mutating func parseUnary(depth: Int) throws -> KPIExpression {
        if peek() == "-" {
            i += 1
            guard depth < 64 else { throw MetricsError("KPI formula nested too deeply") }
            return .negate(try parseUnary(depth: depth + 1))
        }
        return try parsePrimary(depth: depth)
    }

    /// primary := NUMBER | NAME | '(' expression ')'
    mutating func parsePrimary(depth: Int) throws -> KPIExpression {
        guard let c = peek() else { throw MetricsError("KPI formula ends early: expected a number, a KPI name or '('") }
        if c == "(" {
            i += 1
            let e = try parseExpression(depth: depth + 1)
            guard peek() == ")" else { throw MetricsError("missing ')' in KPI formula") }
            i += 1
            return e
        }
        let start = i
        if c.properties.numericType != nil || c == "." {
            while i < s.count, s[i].properties.numericType != nil || s[i] == "." || s[i] == "_" { i += 1 }
            var text = String(String.UnicodeScalarView(s[start..<i])).replacingOccurrences(of: "_", with: "")
            var scale = 1.0
            if i < s.count, s[i] == "%" { i += 1; scale = 0.01 }
            text = text.isEmpty ? "x" : text
            guard let v = Double(text) else { throw MetricsError("'\(text)' is not a number in KPI formula") }
            return .number(v * scale)
        }
        if c.properties.isAlphabetic || c == "_" {
            while i < s.count, s[i].properties.isAlphabetic || s[i].properties.numericType != nil || s[i] == "_" { i += 1 }
            return .ref(String(String.UnicodeScalarView(s[start..<i])).lowercased())
        }
        throw MetricsError("unexpected '\(Character(c))' at column \(i + 1) in KPI formula")
    }
}
