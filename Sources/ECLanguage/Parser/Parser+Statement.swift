extension Parser {
    /// `statement := sql-stmt | load-stmt | command` — dispatches on the command words of `CommandCatalog`.
    /// Returns nil for an empty statement.
    public mutating func parseStatement() throws(Diagnostic) -> ShellStatement? {
        if atEnd { return nil }
        let start = current.range.start
        guard let first = current.keyword else {
            throw Diagnostic("expected a command, found \(current.display)", at: current.range, note: "type 'help' to list commands")
        }
        // Look at up to two words to find multi-word commands ("unit economics", "drop segment").
        var lookahead = lexer
        let second = (try? lookahead.next())?.keyword
        if Parser.startsBareSQL(first, second) { return try parseSQL(start: start, keepingFirstWord: true) }
        guard let (info, wordCount) = CommandCatalog.match([first] + (second.map { [$0] } ?? [])) else {
            throw unknownCommand(first: first)
        }
        if info.id == .sql { return try parseSQL(start: start) }
        if info.id == .answer { return try parseAnswer(start: start) }
        for _ in 0..<wordCount { try advance() }
        let kind = try parseCommand(info.id)
        return ShellStatement(kind, range: range(from: start))
    }

    private func unknownCommand(first: String) -> Diagnostic {
        let prefixes = CommandCatalog.all.filter { $0.words.count > 1 && $0.words[0] == first }
        if !prefixes.isEmpty {
            // "drop" alone or "drop vip": name what may follow.
            var lookahead = lexer
            let next = (try? lookahead.next()) ?? current
            let options = prefixes.map { $0.words[1] }
            let suggestion = next.keyword.flatMap { didYouMean($0, among: options) }.map { "did you mean '\(first) \($0)'?" }
            return Diagnostic("expected " + options.map { "'\($0)'" }.joined(separator: " or ") + " after '\(first)', found \(next.display)",
                              at: next.range, help: suggestion)
        }
        return Diagnostic.unknownName("command", first, at: current.range, among: CommandCatalog.firstWords,
                                      note: "type 'help' to list commands")
    }

    /// Whether a statement is SQL written without `sql`, as in the sqlite3 and DuckDB shells:
    /// `bare-sql := ('select' | 'with' | 'pragma' | 'values' | 'explain' 'query') RAW-SQL-TO-END`.
    /// (`explain` alone is ecsh's explain; SQLite's `explain query plan` is SQL.)
    static func startsBareSQL(_ first: String, _ second: String?) -> Bool {
        ["select", "with", "pragma", "values"].contains(first) || (first == "explain" && second == "query")
    }

    /// `sql-stmt := 'sql' RAW-SQL-TO-END | bare-sql` — the SQL keeps its exact source range for mapping SQLite errors back.
    mutating func parseSQL(start: SourceLocation, keepingFirstWord: Bool = false) throws(Diagnostic) -> ShellStatement {
        if keepingFirstWord {
            let keyword = current
            let raw = lexer.rawText(from: keyword.startOffset, at: keyword.range.start)
            return ShellStatement(.sql(try RawSQL.reading(raw.text, range: raw.range)), range: SourceRange(start: start, end: raw.range.end))
        }
        let raw = try restOfStatement(missing: "expected SQL after 'sql'", note: "for example: sql select count(*) from orders")
        return ShellStatement(.sql(try RawSQL.reading(raw.text, range: raw.range)), range: SourceRange(start: start, end: raw.range.end))
    }

    /// `answer TEXT` — the rest of the statement as written (`3.4`, `-71`, `34%`, `¥2,667`, `own`),
    /// so any way a learner writes a number reaches the tutorial's checker.
    mutating func parseAnswer(start: SourceLocation) throws(Diagnostic) -> ShellStatement {
        let raw = try restOfStatement(missing: "expected your answer after 'answer'", note: "for example: answer 3.4, or answer own")
        return ShellStatement(.answer(raw.text), range: SourceRange(start: start, end: raw.range.end))
    }

    /// The text after the current keyword to the end of the statement, untokenized, with its source range.
    private func restOfStatement(missing: String, note: String) throws(Diagnostic) -> (text: String, range: SourceRange) {
        let keyword = current
        var offset = keyword.endOffset
        var location = keyword.range.end
        while offset < lexer.characters.count, lexer.characters[offset].isWhitespace {
            location = location.advanced(over: lexer.characters[offset])
            offset += 1
        }
        guard offset < lexer.characters.count else {
            throw Diagnostic(missing, at: SourceRange(at: keyword.range.end), note: note)
        }
        return lexer.rawText(from: offset, at: location)
    }

    /// One command after its words; exhaustive over `CommandID`.
    mutating func parseCommand(_ id: CommandID) throws(Diagnostic) -> StatementKind {
        let kind: StatementKind
        switch id {
        case .sql: throw Diagnostic("internal: sql is parsed before dispatch", at: current.range)
        case .tables: kind = .tables
        case .rebuild: kind = .rebuild
        case .describe: kind = .describe(try parseName("a dataset name after 'describe'"))
        case .head:
            let name = try parseName("a dataset name after 'head'")
            kind = .head(name, rows: atEnd ? nil : try parseCount("a number of rows"))
        case .load: kind = .load(try parseLoad())
        case .export:
            try expect("to", "after 'export' (export to 'file.csv')")
            let path = try parseString("a file name in quotes")
            var bom: SourceRange?
            if try accept("with") != nil {
                let option = try parseName("an export option after 'with' (bom)")
                guard option.name.lowercased() == "bom" else {
                    throw Diagnostic("unknown export option '\(option.name)'", at: option.range,
                                     help: "the one option is 'bom' (export to 'x.csv' with bom), for Excel")
                }
                bom = option.range
            }
            kind = .export(path: path, bom: bom)
        case .segment:
            let name = try parseName("a segment name")
            try expect(.equal, "after the segment name (segment NAME = PREDICATE)")
            kind = .defineSegment(name: name, predicate: try parseExpr())
        case .segments: kind = .segments
        case .dropSegment: kind = .dropSegment(try parseName("a segment name"))
        case .kpis: kind = .kpis
        case .kpi: kind = .kpi(try parseKPI())
        case .kpiTree: kind = .kpiTree(try parseKPITree())
        case .answer: throw Diagnostic("internal: answer is parsed before dispatch", at: current.range)
        case .report, .endReport: throw Diagnostic("internal: report and end report are run before the parser", at: current.range)
        case .defineKPI:
            let name = try parseName("a KPI name")
            try expect(.equal, "after the KPI name (define kpi NAME = FORMULA)")
            let formula = try parseExpr()
            try Parser.checkFormula(formula)
            kind = .defineKPI(name: name, formula: formula)
        case .dropKPI: kind = .dropKPI(try parseName("a KPI name"))
        case .target: kind = .target(try parseTarget())
        case .scorecard:
            kind = .scorecard(by: try accept("by") != nil ? try parseName("a time grain after 'by'") : nil)
            try expectEnd(allowed: ["by"])
        case .cohort: kind = .cohort(try parseCohort())
        case .nps:
            var query = NPSQuery()
            try parseClauses(["by", "for"]) { (p: inout Parser, keyword: String) throws(Diagnostic) in
                if keyword == "by" { query.by = try p.parseNames("a name after 'by'") } else { query.segments = try p.parseNames("a segment after 'for'") }
            }
            kind = .nps(query)
        case .npsCompare: kind = .npsCompare(try parseNPSComparison())
        case .unitEconomics:
            var query = UnitEconomicsQuery()
            try parseClauses(["by", "horizon"]) { (p: inout Parser, keyword: String) throws(Diagnostic) in
                if keyword == "by" { query.by = try p.parseNames("a name after 'by'") } else { query.horizon = try p.parseTimeSpan("a horizon such as 12 months", defaultUnit: .month) }
            }
            kind = .unitEconomics(query)
        case .predictLTV: kind = .predictLTV(try parsePredictLTV())
        case .predictAlive: kind = .predictAlive(try parsePredictAlive())
        case .predictValidate:
            var holdout: Located<TimeSpan>?
            var model: Identifier?
            try parseClauses(["holdout", "model"]) { (p: inout Parser, keyword: String) throws(Diagnostic) in
                if keyword == "model" {
                    model = try p.parseName("a model after 'model' (bgnbd, mbgnbd, paretonbd or auto)")
                } else {
                    holdout = try p.parseTimeSpan("a holdout such as 26 weeks", defaultUnit: .week)
                }
            }
            kind = .predictValidate(holdout: holdout, model: model)
        case .simulateTransition: kind = .simulateTransition(try parseTransition())
        case .assume:
            let name = try parseName("an assumption name (own_retention, mall_retention, own_cac)")
            let range = current.range
            switch current.kind {
            case .percent(let v): try advance(); kind = .assume(name: name, value: Located(v, range: range))
            case .integer, .real:
                let v = numberValue(current.kind) ?? 0
                try advance()
                kind = .assume(name: name, value: Located(v, range: range))
            default:
                if current.keyword == "measured" {
                    // `assume NAME measured` goes back to the workspace's own figure.
                    try advance()
                    kind = .assume(name: name, value: Located(.nan, range: range))
                } else {
                    throw expected("a value such as 35% or 4000, or 'measured'")
                }
            }
            try expectEnd(allowed: [])
        case .explain:
            // Empty lists the topics; `ltv/cac` and `ltv-cac` read as the words `ltv cac`.
            kind = .explain(topic: try parseWords(separators: [.divide, .minus]))
        case .tutorial:
            if try accept("next") != nil { kind = .tutorial(.next) }
            else if atEnd { kind = .tutorial(.current) }
            else { kind = .tutorial(.lesson(try parseCount("'next' or a lesson number").value)) }
        case .help: kind = .help(topic: try parseWords())
        case .set: kind = .set(try parseSet())
        case .showSettings: kind = .showSettings
        case .showSQL: kind = .showSQL
        case .timer: kind = .timer(try parseSwitch("timer"))
        case .chart: kind = .chart(try parseSwitch("chart"))
        case .run: kind = .run(path: try parseString("a script file name in quotes", example: "'analysis.ecsh'"))
        case .quit: kind = .quit
        }
        try expectEnd(allowed: CommandCatalog.info(id).keywords)
        return kind
    }

    /// `clause*`: any of `keywords` in any order, each at most once. Each turn consumes the keyword.
    mutating func parseClauses(_ keywords: [String], _ body: (inout Parser, String) throws(Diagnostic) -> Void) throws(Diagnostic) {
        var seen: Set<String> = []
        while let keyword = current.keyword, keywords.contains(keyword) {
            if seen.contains(keyword) { throw Diagnostic("'\(keyword)' is given twice", at: current.range) }
            seen.insert(keyword)
            try advance()
            try body(&self, keyword)
        }
        try expectEnd(allowed: keywords)
    }

    /// `nps-compare := 'nps' 'compare' (name ',' name | 'by' name ['for' names])`
    /// A segment named `by` is written quoted: `nps compare "by", b`.
    mutating func parseNPSComparison() throws(Diagnostic) -> NPSComparison {
        if try accept("by") != nil {
            let dimension = try parseName("a time grain, response column or customer attribute after 'by'")
            var segments: [Identifier] = []
            try parseClauses(["for"]) { (p: inout Parser, _: String) throws(Diagnostic) in
                segments = try p.parseNames("a segment after 'for'")
            }
            return .by(dimension, segments: segments)
        }
        let a = try parseName("a segment to compare, or 'by'")
        try expect(.comma, "between the two segments (nps compare A, B)")
        return .segments(a, try parseName("a second segment"))
    }

    /// Words up to the end (`explain sales equation`, `help unit economics`).
    mutating func parseWords(separators: Set<Symbol> = []) throws(Diagnostic) -> [Identifier] {
        var words: [Identifier] = []
        while !atEnd {
            if case .symbol(let s) = current.kind, separators.contains(s) { try advance(); continue }
            words.append(try parseName("a word"))
        }
        return words
    }

    /// `on | off`
    mutating func parseSwitch(_ command: String) throws(Diagnostic) -> Bool {
        if try accept("on") != nil { return true }
        if try accept("off") != nil { return false }
        throw expected("'on' or 'off' after '\(command)'")
    }

    /// `target := 'target' name COMPARISON ['-'] NUMBER|PERCENT ['under' STRING]`
    mutating func parseTarget() throws(Diagnostic) -> TargetStatement {
        let kpi = try parseName("a KPI name after 'target'")
        guard case .symbol(let symbol) = current.kind, let op = Parser.comparison(symbol),
              let comparison = ComparisonOperator(rawValue: op.rawValue) else {
            throw expected("a comparison (>=, <=, >, <, =) after the KPI", note: "for example: target repeat_rate >= 35%")
        }
        let opRange = try advance().range
        let start = current.range.start
        let sign: Double = try accept(.minus) != nil ? -1 : 1
        let literal: Literal
        switch current.kind {
        case .integer(let i): literal = sign < 0 ? .integer(-i) : .integer(i)
        case .real(let d): literal = .real(sign * d)
        case .percent(let p): literal = .percent(sign * p)
        default: throw expected("a number or percent target")
        }
        try advance()
        let valueRange = range(from: start)
        var objective: Located<String>?
        if try accept("under") != nil {
            // 'Grow customer equity' or "Grow customer equity": the objective's title as written.
            if case .string = current.kind {
                objective = try parseString("an objective in quotes after 'under'")
            } else {
                let name = try parseName("an objective in quotes after 'under', e.g. under 'Grow customer equity'")
                objective = Located(name.name, range: name.range)
            }
        }
        return TargetStatement(kpi: kpi, comparison: Located(comparison, range: opRange), value: Located(literal, range: valueRange),
                               objective: objective)
    }

    /// A KPI formula may use only numbers, KPI names, + - * / and parentheses.
    static func checkFormula(_ expr: Expr) throws(Diagnostic) {
        switch expr.kind {
        case .literal(.integer), .literal(.real), .literal(.percent), .identifier:
            return
        case .negate(let operand):
            try checkFormula(operand)
        case .binary(let op, let left, let right) where !op.isComparison && op != .and && op != .or:
            try checkFormula(left)
            try checkFormula(right)
        default:
            throw Diagnostic("a KPI formula may use only KPI names, numbers, + - * / and parentheses", at: expr.range,
                             note: "for example: define kpi margin_rate = margin / revenue")
        }
    }
}
