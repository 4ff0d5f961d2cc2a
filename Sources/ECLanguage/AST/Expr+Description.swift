extension Expr: CustomStringConvertible {
    /// The expression in ecsh syntax with only the parentheses precedence needs,
    /// so `segments` can show a definition; parsing the text gives the same tree back.
    public var description: String { printed(minimum: 0) }

    /// Binding strength, loosest first: or, and, not, comparison, + -, * /, unary, primary.
    private var precedence: Int {
        switch kind {
        case .binary(.or, _, _): return 1
        case .binary(.and, _, _): return 2
        case .not: return 3
        case .binary(.add, _, _), .binary(.subtract, _, _): return 5
        case .binary(.multiply, _, _), .binary(.divide, _, _): return 6
        case .binary, .inList, .between, .like, .isNull: return 4
        case .negate: return 7
        case .literal, .identifier: return 8
        }
    }

    private func printed(minimum: Int) -> String {
        let text: String
        switch kind {
        case .literal(let literal): text = literal.source
        case .identifier(let name): text = name.source
        case .negate(let operand):
            let inner = operand.printed(minimum: 7)
            text = "-" + (inner.hasPrefix("-") ? " " : "") + inner  // "--" would start a comment
        case .not(let operand): text = "not " + operand.printed(minimum: 3)
        case .binary(let op, let left, let right):
            let p = precedence
            // Left-associative: the right operand binds one level tighter, except in and/or chains,
            // which are associative (and parsed into balanced trees). Comparisons do not chain.
            let leftMinimum = p == 4 ? 5 : p
            let rightMinimum = p == 4 ? 5 : (op == .and || op == .or ? p : p + 1)
            text = left.printed(minimum: leftMinimum) + " " + op.rawValue + " " + right.printed(minimum: rightMinimum)
        case .inList(let subject, let items, let negated):
            text = subject.printed(minimum: 5) + (negated ? " not in (" : " in (")
                + items.map { $0.printed(minimum: 0) }.joined(separator: ", ") + ")"
        case .between(let subject, let low, let high, let negated):
            text = subject.printed(minimum: 5) + (negated ? " not between " : " between ")
                + low.printed(minimum: 5) + " and " + high.printed(minimum: 5)
        case .like(let subject, let pattern, let negated):
            text = subject.printed(minimum: 5) + (negated ? " not like " : " like ") + pattern.printed(minimum: 5)
        case .isNull(let subject, let negated):
            text = subject.printed(minimum: 5) + (negated ? " is not null" : " is null")
        }
        return precedence < minimum ? "(" + text + ")" : text
    }
}

extension Literal {
    /// The literal as it would be written in ecsh.
    public var source: String {
        switch self {
        case .string(let s):
            var quoted = "'"
            for c in s { quoted.append(c); if c == "'" { quoted.append(c) } }
            return quoted + "'"
        case .integer(let i): return String(i)
        case .real(let d): return plainNumber(d)
        case .percent(let p):
            let percent = (p * 100 * 1e9).rounded() / 1e9  // 0.15 * 100 is 15.000000000000002
            return (percent.rounded() == percent && abs(percent) < 1e15 ? String(Int64(percent)) : plainNumber(percent)) + "%"
        case .date(let d): return d.description
        case .month(let m): return m.description
        case .duration(let span): return span.description
        case .boolean(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }
}

extension Identifier {
    /// The name as it would be written: bare when it can be, else in double quotes.
    public var source: String {
        let bare = !name.isEmpty && name.first.map { $0.isLetter || $0 == "_" } == true
            && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
            && !Parser.reservedWords.contains(name.lowercased())
        if bare { return name }
        var quoted = "\""
        for c in name { quoted.append(c); if c == "\"" { quoted.append(c) } }
        return quoted + "\""
    }
}
