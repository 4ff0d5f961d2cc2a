import Testing
import ECTestSupport
@testable import ECLanguage

/// Renders an expression fully parenthesized so precedence shows in one string.
func show(_ e: Expr) -> String {
    switch e.kind {
    case .literal(let l): return "\(l)"
    case .identifier(let i): return i.name
    case .negate(let x): return "(-\(show(x)))"
    case .not(let x): return "(not \(show(x)))"
    case .binary(let op, let a, let b): return "(\(show(a)) \(op.rawValue) \(show(b)))"
    case .inList(let x, let items, let n): return "(\(show(x))\(n ? " not" : "") in [\(items.map(show).joined(separator: ","))])"
    case .between(let x, let lo, let hi, let n): return "(\(show(x))\(n ? " not" : "") between \(show(lo)) \(show(hi)))"
    case .like(let x, let p, let n): return "(\(show(x))\(n ? " not" : "") like \(show(p)))"
    case .isNull(let x, let n): return "(\(show(x)) is\(n ? " not" : "") null)"
    }
}

@Suite struct ExprParserTests {
    @Test(arguments: [
        ("a or b and c", "(a or (b and c))"),
        ("not a and b", "((not a) and b)"),
        ("a + b * c - d", "((a + (b * c)) - d)"),
        ("-a * b", "((-a) * b)"),
        ("(a + b) × c ÷ 2", "(((a + b) * c) / integer(2))"),
        ("x = 1 or y <> 2", "((x = integer(1)) or (y != integer(2)))"),
        ("r in ('A', 'B')", "(r in [string(\"A\"),string(\"B\")])"),
        ("c not between 2024-03 and 2024-05", "(c not between month(2024-03) month(2024-05))"),
        ("e like '%@x'", "(e like string(\"%@x\"))"),
        ("n is not null", "(n is not null)"),
        ("recency > 180 days", "(recency > duration(180 days))"),
        ("rate >= 15%", "(rate >= percent(0.15))"),
        ("\"注文日時\" >= 2024-03-05", "(注文日時 >= date(2024-03-05))"),
        ("flag = true", "(flag = boolean(true))"),
    ])
    func precedenceAndForms(text: String, expected: String) throws {
        #expect(show(try Parser.parseExpression(text)) == expected)
    }

    @Test func nodeRanges() throws {
        let e = try Parser.parseExpression("a in (1, 2) and b is null")
        #expect(e.range == span(1, 1, 1, 26))
        guard case .binary(.and, let left, let right) = e.kind else { Issue.record(); return }
        #expect(left.range == span(1, 1, 1, 12))
        #expect(right.range == span(1, 17, 1, 26))
    }
}

@Suite struct ExprPrintingTests {
    @Test(arguments: [
        ("a or b and c", "a or b and c"),
        ("(a or b) and c", "(a or b) and c"),
        ("not (a and b)", "not (a and b)"),
        ("a - (b - c)", "a - (b - c)"),
        ("(a - b) - c", "a - b - c"),
        ("- -x", "- -x"),
        ("x in ('it''s', 2)", "x in ('it''s', 2)"),
        ("recency > 180 days and r >= 15%", "recency > 180 days and r >= 15%"),
        ("\"Created at\" >= 2024-03-05", "\"Created at\" >= 2024-03-05"),
        ("\"and\" = 1", "\"and\" = 1"),
        ("(a = 1) = true", "(a = 1) = true"),
    ])
    func printsMinimalParentheses(input: String, expected: String) throws {
        #expect(try Parser.parseExpression(input).description == expected)
    }

    /// Printing then parsing gives the same tree (compared without ranges via `show`).
    @Test func roundTripsRandomExpressions() throws {
        var generator = SplitMix64(seed: 7)
        func random(_ depth: Int) -> String {
            let leaf = ["a", "b", "12", "3.5", "'x'", "15%", "2024-03", "90 days", "\"顧客 ID\""]
            if depth == 0 { return leaf[Int(generator.next() % UInt64(leaf.count))] }
            let l = random(depth - 1), r = random(depth - 1)
            switch generator.next() % 9 {
            case 0: return "(\(l)) or (\(r))"
            case 1: return "(\(l)) and (\(r))"
            case 2: return "not (\(l))"
            case 3: return "(\(l)) - (\(r))"
            case 4: return "(\(l)) * (\(r))"
            case 5: return "-(\(l))"
            case 6: return "(\(l)) in ((\(r)), (\(l)))"
            case 7: return "(\(l)) between (\(r)) and (\(l))"
            default: return "(\(l)) = (\(r))"
            }
        }
        for _ in 0..<300 {
            let text = random(Int(generator.next() % 4) + 1)
            let tree = try Parser.parseExpression(text)
            #expect(show(try Parser.parseExpression(tree.description)) == show(tree), "\(text)")
        }
    }
}
