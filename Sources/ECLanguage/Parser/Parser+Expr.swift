extension Parser {
    /// Words that are operators inside expressions; a column with such a name goes in double quotes.
    static let reservedWords: Set<String> = ["and", "or", "not", "in", "between", "like", "is", "null", "true", "false"]

    /// `expr := or`
    mutating func parseExpr() throws(Diagnostic) -> Expr {
        try parseOr()
    }

    /// `or := and {'or' and}`, as a balanced tree (see `Expr.balancedChain`).
    mutating func parseOr() throws(Diagnostic) -> Expr {
        var operands = [try parseAnd()]
        while try accept("or") != nil { operands.append(try parseAnd()) }
        return operands.count == 1 ? operands[0] : Expr.balancedChain(.or, operands)
    }

    /// `and := not {'and' not}`, as a balanced tree (see `Expr.balancedChain`).
    mutating func parseAnd() throws(Diagnostic) -> Expr {
        var operands = [try parseNot()]
        while try accept("and") != nil { operands.append(try parseNot()) }
        return operands.count == 1 ? operands[0] : Expr.balancedChain(.and, operands)
    }

    /// `not := 'not' not | comparison`
    mutating func parseNot() throws(Diagnostic) -> Expr {
        guard let keyword = try accept("not") else { return try parseComparison() }
        try enterNesting()
        defer { depth -= 1 }
        let operand = try parseNot()
        return Expr(.not(operand), range: keyword.range.union(operand.range))
    }

    /// ```
    /// comparison := additive [ COMPARISON additive
    ///                        | ['not'] 'in' '(' expr {',' expr} ')'
    ///                        | ['not'] 'between' additive 'and' additive
    ///                        | ['not'] 'like' additive
    ///                        | 'is' ['not'] 'null' ]
    /// ```
    mutating func parseComparison() throws(Diagnostic) -> Expr {
        let left = try parseAdditive()
        if case .symbol(let symbol) = current.kind, let op = Parser.comparison(symbol) {
            try advance()
            let right = try parseAdditive()
            return Expr(.binary(op, left, right), range: left.range.union(right.range))
        }
        if try accept("is") != nil {
            let negated = try accept("not") != nil
            try expect("null", "after 'is'")
            return Expr(.isNull(left, negated: negated), range: range(from: left.range.start))
        }
        let negated = try accept("not") != nil
        if try accept("in") != nil {
            try expect(.leftParen, "to open the list after 'in'")
            var items = [try parseExpr()]
            while try accept(.comma) != nil { items.append(try parseExpr()) }
            try expect(.rightParen, "to close the list after 'in'")
            return Expr(.inList(left, items, negated: negated), range: range(from: left.range.start))
        }
        if try accept("between") != nil {
            let low = try parseAdditive()
            try expect("and", "between the bounds of 'between'")
            let high = try parseAdditive()
            return Expr(.between(left, low: low, high: high, negated: negated), range: range(from: left.range.start))
        }
        if try accept("like") != nil {
            let pattern = try parseAdditive()
            return Expr(.like(left, pattern: pattern, negated: negated), range: range(from: left.range.start))
        }
        if negated { throw expected("'in', 'between' or 'like' after 'not'") }
        return left
    }

    /// `additive := multiplicative {('+' | '-') multiplicative}`
    mutating func parseAdditive() throws(Diagnostic) -> Expr {
        var left = try parseMultiplicative()
        while true {
            let op: BinaryOperator
            if try accept(.plus) != nil { op = .add } else if try accept(.minus) != nil { op = .subtract } else { return left }
            let right = try parseMultiplicative()
            left = Expr(.binary(op, left, right), range: left.range.union(right.range))
        }
    }

    /// `multiplicative := unary {('*' | '/') unary}`
    mutating func parseMultiplicative() throws(Diagnostic) -> Expr {
        var left = try parseUnary()
        while true {
            let op: BinaryOperator
            if try accept(.times) != nil { op = .multiply } else if try accept(.divide) != nil { op = .divide } else { return left }
            let right = try parseUnary()
            left = Expr(.binary(op, left, right), range: left.range.union(right.range))
        }
    }

    /// `unary := '-' unary | primary`
    mutating func parseUnary() throws(Diagnostic) -> Expr {
        guard let minus = try accept(.minus) else { return try parsePrimary() }
        try enterNesting()
        defer { depth -= 1 }
        let operand = try parseUnary()
        return Expr(.negate(operand), range: minus.range.union(operand.range))
    }

    /// ```
    /// primary := STRING | NUMBER | PERCENT | DATE | MONTH | duration | 'true' | 'false' | 'null'
    ///          | name | '(' expr ')'
    /// ```
    mutating func parsePrimary() throws(Diagnostic) -> Expr {
        let token = current
        if token.kind != .symbol(.leftParen) { try countTerm() }
        switch token.kind {
        case .string(let s): try advance(); return Expr(.literal(.string(s)), range: token.range)
        case .percent(let p): try advance(); return Expr(.literal(.percent(p)), range: token.range)
        case .date(let d): try advance(); return Expr(.literal(.date(d)), range: token.range)
        case .month(let m): try advance(); return Expr(.literal(.month(m)), range: token.range)
        case .integer(let i):
            if let span = try parseTimeSpanIfUnitFollows() { return span }
            try advance()
            return Expr(.literal(.integer(i)), range: token.range)
        case .real(let d):
            if let span = try parseTimeSpanIfUnitFollows() { return span }
            try advance()
            return Expr(.literal(.real(d)), range: token.range)
        case .quotedIdentifier(let name):
            try advance()
            return Expr(.identifier(Identifier(name, isQuoted: true, range: token.range)), range: token.range)
        case .word(let word):
            switch word.lowercased() {
            case "true": try advance(); return Expr(.literal(.boolean(true)), range: token.range)
            case "false": try advance(); return Expr(.literal(.boolean(false)), range: token.range)
            case "null": try advance(); return Expr(.literal(.null), range: token.range)
            case let w where Parser.reservedWords.contains(w):
                throw expected("a value", note: "a column named '\(word)' must be written in double quotes: \"\(word)\"")
            default:
                try advance()
                return Expr(.identifier(Identifier(word, range: token.range)), range: token.range)
            }
        case .symbol(.leftParen):
            try advance()
            try enterNesting()
            defer { depth -= 1 }
            let inner = try parseExpr()
            try expect(.rightParen, "to close '(' at \(token.range.start.line):\(token.range.start.column)")
            return Expr(inner.kind, range: token.range.union(range(from: token.range.start)))
        case .symbol, .end:
            throw expected("a value (a name, number, 'text', date or duration)")
        }
    }

    /// Counts one term (a name or value) against `LanguageLimits.terms`.
    private mutating func countTerm() throws(Diagnostic) {
        terms += 1
        if terms > LanguageLimits.terms {
            throw Diagnostic("too many terms in one statement (more than \(LanguageLimits.terms))", at: current.range,
                             note: "an and/or chain or an 'in' list this long is better kept in a table: load it and join with sql")
        }
    }

    /// A number followed by a time unit (`90 days`), or nil (nothing consumed) when no unit follows.
    private mutating func parseTimeSpanIfUnitFollows() throws(Diagnostic) -> Expr? {
        var lookahead = lexer
        guard let next = try? lookahead.next(), let word = next.keyword, Parser.timeUnit(word) != nil else { return nil }
        let span = try parseTimeSpan("a duration")
        return Expr(.literal(.duration(span.value)), range: span.range)
    }

    static func comparison(_ symbol: Symbol) -> BinaryOperator? {
        switch symbol {
        case .equal: return .equal
        case .notEqual: return .notEqual
        case .less: return .less
        case .lessOrEqual: return .lessOrEqual
        case .greater: return .greater
        case .greaterOrEqual: return .greaterOrEqual
        default: return nil
        }
    }
}
