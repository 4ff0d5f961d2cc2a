extension Parser {
    /// ```
    /// load-stmt   := 'load' (ROLE | 'table' name) 'from' STRING load-clause*
    /// load-clause := 'append' | 'with' option {',' option} | 'preset' name | 'map' mapping {',' mapping}
    /// ```
    mutating func parseLoad() throws(Diagnostic) -> LoadStatement {
        let target: LoadStatement.Target
        if try accept("table") != nil {
            target = .table(try parseName("a table name after 'load table'"))
        } else if let word = current.keyword, let role = DatasetRole(rawValue: word) {
            target = .role(role, range: try advance().range)
        } else if let word = current.keyword {
            let roles = DatasetRole.allCases.map(\.rawValue) + ["table"]
            throw Diagnostic.unknownName("dataset", word, at: current.range, among: roles,
                                         note: "load one of orders, customers, spend, traffic, nps, or 'load table NAME from ...'")
        } else {
            throw expected("a dataset (orders, customers, spend, traffic, nps) or 'table NAME'")
        }
        try expect("from", "before the file name (load orders from 'orders.csv')")
        // Standard input may be named without quotes, as in psql's `\copy … from stdin`.
        let path = current.keyword == "stdin" ? Located("stdin", range: try advance().range)
            : try parseString("a file name in quotes, or stdin")
        var load = LoadStatement(target: target, path: path)
        try parseClauses(["append", "with", "preset", "map"]) { (p: inout Parser, keyword: String) throws(Diagnostic) in
            switch keyword {
            case "append": load.append = true
            case "with":
                repeat {
                    let name = try p.parseName("an option name after 'with'")
                    load.options.append(LoadOption(name: name, value: try p.parseOptionValue()))
                } while try p.accept(.comma) != nil
            case "preset": load.preset = try p.parseName("a preset name")
            default:
                repeat {
                    let field = try p.parseName("a field name after 'map'")
                    try p.expect(.equal, "between the field and its column header (map customer_id = \"Email\")")
                    let header: Identifier
                    if case .string(let s) = p.current.kind {
                        header = Identifier(s, isQuoted: true, range: try p.advance().range)
                    } else {
                        header = try p.parseName("a column header in double quotes")
                    }
                    load.mappings.append(FieldMapping(field: field, header: header))
                } while try p.accept(.comma) != nil
            }
        }
        return load
    }

    /// `option-value := STRING | NUMBER | PERCENT | DATE | MONTH | duration | 'true' | 'false' | WORD`
    mutating func parseOptionValue() throws(Diagnostic) -> Located<OptionValue> {
        let start = current.range.start
        let token = current
        switch token.kind {
        case .string(let s): try advance(); return Located(.literal(.string(s)), range: token.range)
        case .percent(let p): try advance(); return Located(.literal(.percent(p)), range: token.range)
        case .date(let d): try advance(); return Located(.literal(.date(d)), range: token.range)
        case .month(let m): try advance(); return Located(.literal(.month(m)), range: token.range)
        case .integer, .real:
            var lookahead = lexer
            if let next = try? lookahead.next(), let word = next.keyword, Parser.timeUnit(word) != nil {
                let span = try parseTimeSpan("a duration")
                return Located(.literal(.duration(span.value)), range: span.range)
            }
            try advance()
            if case .integer(let i) = token.kind { return Located(.literal(.integer(i)), range: token.range) }
            return Located(.literal(.real(numberValue(token.kind) ?? 0)), range: range(from: start))
        case .word(let w):
            try advance()
            switch w.lowercased() {
            case "true": return Located(.literal(.boolean(true)), range: token.range)
            case "false": return Located(.literal(.boolean(false)), range: token.range)
            default: return Located(.word(w), range: token.range)
            }
        case .quotedIdentifier(let q): try advance(); return Located(.word(q), range: token.range)
        case .symbol(.minus):
            try advance()
            let inner = try parseOptionValue()
            switch inner.value {
            case .literal(.integer(let i)): return Located(.literal(.integer(-i)), range: range(from: start))
            case .literal(.real(let d)): return Located(.literal(.real(-d)), range: range(from: start))
            case .literal(.percent(let p)): return Located(.literal(.percent(-p)), range: range(from: start))
            default: throw Diagnostic("'-' must be followed by a number", at: range(from: start))
            }
        case .symbol, .end:
            throw expected("a value ('text', number, date, duration, true/false or a word)")
        }
    }

    /// `set-stmt := 'set' name option-value {',' option-value}`; `format`, `color` and `maxrows` are checked here.
    mutating func parseSet() throws(Diagnostic) -> SetStatement {
        let name = try parseName("a setting name after 'set'")
        var values = [try parseOptionValue()]
        while try accept(.comma) != nil { values.append(try parseOptionValue()) }
        let choices: [String: [String]] = [
            "format": ["table", "csv", "tsv", "json", "markdown", "line"],
            "headers": ["on", "off"], "pager": ["on", "off"], "wide": ["panels", "blocks", "wrap"],
            "color": ["auto", "on", "off"],
        ]
        let folded = name.folded
        if let allowed = choices[folded] {
            guard values.count == 1, let word = values[0].value.text?.lowercased(), allowed.contains(word) else {
                let given = values[0].value.text ?? ""
                let suggestion = didYouMean(given, among: allowed).map { "did you mean '\($0)'?" }
                throw Diagnostic("'\(folded)' must be one of " + allowed.joined(separator: ", "), at: values[0].range, help: suggestion)
            }
        }
        if folded == "maxrows" {
            guard values.count == 1, case .literal(.integer(let n)) = values[0].value, n >= 0 else {
                throw Diagnostic("'maxrows' must be a whole number (0 shows every row)", at: values[0].range)
            }
        }
        return SetStatement(name: name, values: values)
    }

    /// ```
    /// kpi        := 'kpi' name {',' name} kpi-clause*
    /// kpi-clause := 'within' duration | 'by' names | 'for' names | 'where' expr
    ///             | 'from' date-bound | 'to' date-bound | 'chart'
    /// ```
    /// `kpi-tree := 'kpi' 'tree' NAME ('by' GRAIN | 'from' DATE | 'to' DATE)*`
    mutating func parseKPITree() throws(Diagnostic) -> KPITreeQuery {
        var query = KPITreeQuery(root: try parseName("revenue, gmv, margin or customer_equity after 'kpi tree'"))
        try parseClauses(["by", "from", "to"]) { (p: inout Parser, keyword: String) throws(Diagnostic) in
            switch keyword {
            case "by": query.by = try p.parseName("month, quarter or year after 'by'")
            case "from": query.from = try p.parseDateBound("a date or month after 'from'")
            default: query.to = try p.parseDateBound("a date or month after 'to'")
            }
        }
        return query
    }

    mutating func parseKPI() throws(Diagnostic) -> KPIQuery {
        var query = KPIQuery(kpis: try parseNames("a KPI name (type 'kpis' to list them)"))
        try refuseFormula(after: query.kpis)
        try parseClauses(["within", "by", "for", "where", "from", "to", "chart"]) { (p: inout Parser, keyword: String) throws(Diagnostic) in
            switch keyword {
            case "within": query.within = try p.parseTimeSpan("a window such as 90 days", defaultUnit: .day)
            case "by": query.by = try p.parseNames("a time grain or dimension after 'by'")
            case "for": query.segments = try p.parseNames("a segment after 'for'")
            case "where": query.filter = try p.parseExpr()
            case "from": query.from = try p.parseDateBound("a date or month after 'from'")
            case "to": query.to = try p.parseDateBound("a date or month after 'to'")
            default: query.chart = true
            }
        }
        return query
    }

    /// `kpi ltv / cac`: a formula is a KPI of one's own, so the error shows the `define kpi` to type.
    mutating func refuseFormula(after names: [Identifier]) throws(Diagnostic) {
        guard case .symbol(let op) = current.kind, [.divide, .times, .plus, .minus].contains(op),
              let left = names.last?.name else { return }
        var look = self
        _ = try? look.advance()
        var right: String?
        switch look.current.kind {
        case .word(let word): right = word
        case .integer(let n): right = String(n)
        default: right = nil
        }
        let formula = "\(left) \(op.rawValue) \(right ?? "…")"
        let word = [Symbol.divide: "per", .times: "times", .plus: "plus", .minus: "minus"][op] ?? "by"
        let name = right.map { "\(left)_\(word)_\($0)" } ?? "my_kpi"
        // `repeat-rate`: a name with - for _ (no spaces around the minus), not a difference.
        if op == .minus, let right, current.range.start == previousEnd, look.current.range.start == current.range.end {
            throw Diagnostic("kpi takes KPI names, not a formula", at: current.range,
                             help: "did you mean '\(left.lowercased())_\(right.lowercased())'?",
                             note: "a name is written with _; a - between two names subtracts them")
        }
        let builtIn = left.lowercased() == "ltv" && op == .divide && right?.lowercased() == "cac"
        throw Diagnostic("kpi takes KPI names, not a formula", at: current.range,
                         help: builtIn ? "did you mean 'ltv_cac'?" : nil,
                         note: builtIn ? "kpis lists the built-in KPIs"
                             : "a formula of KPIs is a KPI of your own: define kpi \(name) = \(formula), then kpi \(name)")
    }

    /// ```
    /// cohort        := 'cohort' cohort-clause*
    /// cohort-clause := METRIC | 'cumulative' | 'by' names | 'mode' MODE | 'periods' INTEGER | 'for' names | 'where' expr
    /// ```
    mutating func parseCohort() throws(Diagnostic) -> CohortQuery {
        var query = CohortQuery()
        let metrics = CohortMetric.allCases.map(\.rawValue)
        try parseClauses(metrics + ["cumulative", "by", "mode", "periods", "for", "where"]) { (p: inout Parser, keyword: String) throws(Diagnostic) in
            if let metric = CohortMetric(rawValue: keyword) {
                if query.metric != nil { throw Diagnostic("a cohort shows one metric", at: p.range(from: p.previousEnd)) }
                query.metric = Located(metric, range: SourceRange(start: p.previousTokenStart(length: keyword.count), end: p.previousEnd))
                return
            }
            switch keyword {
            case "cumulative": query.cumulative = true
            case "by": query.by = try p.parseNames("a time grain or dimension after 'by'")
            case "mode":
                guard let word = p.current.keyword, let mode = RetentionMode(rawValue: word) else {
                    let modes = RetentionMode.allCases.map(\.rawValue)
                    throw p.expected("a mode (on, on_or_after, cumulative)",
                                     help: p.current.keyword.flatMap { didYouMean($0, among: modes) }.map { "did you mean '\($0)'?" })
                }
                query.mode = Located(mode, range: try p.advance().range)
            case "periods":
                let periods = try p.parseCount("a number of periods")
                if periods.value > LanguageLimits.cohortPeriods {
                    throw Diagnostic("at most \(LanguageLimits.cohortPeriods) periods", at: periods.range,
                                     note: "a cohort table shows offsets 0…N; by month, 1000 periods is over 80 years")
                }
                query.periods = periods
            case "for": query.segments = try p.parseNames("a segment after 'for'")
            default: query.filter = try p.parseExpr()
            }
        }
        return query
    }

    /// ```
    /// predict-ltv   := 'predict' 'ltv' ltv-clause*
    /// predict-alive := 'predict' 'alive' (ltv-clause | 'top' INTEGER)*      -- not 'by', 'pooled', 'separate'
    /// ltv-clause    := 'horizon' SPAN | 'for' names | 'by' name | 'pooled' | 'separate' | 'model' name
    ///                | 'discount' PERCENT ['per' 'year'] | 'as_of' DATE
    /// ```
    mutating func parsePredictLTV() throws(Diagnostic) -> PredictLTVQuery {
        try parsePredictClauses(alive: false).query
    }

    /// `predict alive`: the clauses of `predict ltv` that mean something for one customer's prediction, and `top`.
    mutating func parsePredictAlive() throws(Diagnostic) -> PredictAliveQuery {
        let (q, top) = try parsePredictClauses(alive: true)
        return PredictAliveQuery(segments: q.segments, top: top, horizon: q.horizon, model: q.model,
                                 annualDiscountRate: q.annualDiscountRate, asOf: q.asOf)
    }

    /// One reading of the clauses `predict ltv` and `predict alive` share; `top` only for alive, and there
    /// `by`, `pooled` and `separate` (which group customers) are refused where they are written.
    private mutating func parsePredictClauses(alive: Bool) throws(Diagnostic) -> (query: PredictLTVQuery, top: Located<Int>?) {
        var query = PredictLTVQuery()
        var top: Located<Int>?
        let clauses = ["horizon", "for", "by", "pooled", "separate", "model", "discount", "as_of"] + (alive ? ["top"] : [])
        try parseClauses(clauses) { (p: inout Parser, keyword: String) throws(Diagnostic) in
            if alive, ["by", "pooled", "separate"].contains(keyword) {
                let range = SourceRange(start: p.previousTokenStart(length: keyword.count), end: p.previousEnd)
                throw Diagnostic("'\(keyword)' has no meaning for predict alive, which lists customers one by one", at: range,
                                 note: "to compare groups, use predict ltv \(keyword == "by" ? "by first_channel" : "by first_channel \(keyword)"); "
                                    + "to list one group's customers, predict alive for SEGMENT")
            }
            switch keyword {
            case "horizon": query.horizon = try p.parseTimeSpan("a horizon such as 12 months", defaultUnit: .month)
            case "for": query.segments = try p.parseNames("a segment after 'for'")
            case "by": query.by = try p.parseName("a customer attribute after 'by', e.g. first_channel")
            case "model": query.model = try p.parseName("a model after 'model' (bgnbd, mbgnbd, paretonbd or auto)")
            case "top": top = try p.parseCount("a number of customers after 'top'")
            case "pooled", "separate":
                let range = SourceRange(start: p.previousTokenStart(length: keyword.count), end: p.previousEnd)
                if query.fitting != nil { throw Diagnostic("give either 'pooled' or 'separate'", at: range) }
                query.fitting = Located(CLVFitting(rawValue: keyword) ?? .pooled, range: range)
            case "discount":
                guard case .percent(let rate) = p.current.kind else {
                    throw p.expected("an annual discount rate as a percent, e.g. 10%")
                }
                let range = try p.advance().range
                if try p.accept("per") != nil { try p.expect("year", "after 'per' (discount 10% per year)") }
                query.annualDiscountRate = Located(rate, range: range)
            default:
                guard case .date(let d) = p.current.kind else { throw p.expected("a date after 'as_of', e.g. 2024-12-31") }
                query.asOf = Located(d, range: try p.advance().range)
            }
        }
        return (query, top)
    }

    /// ```
    /// transition := 'simulate' 'transition' ('from' names | 'to' name | 'by' PERCENT ['per' 'quarter'] | 'for' INTEGER ['quarters'])*
    /// ```
    mutating func parseTransition() throws(Diagnostic) -> TransitionQuery {
        var query = TransitionQuery()
        // The projection measures the whole shop's channels: a filter or segment would also have to split the
        // buyers kept and the CAC, which `kpi … where` measures and `assume` takes (docs/language.md).
        let measureApart = "measure the part with kpi retention_rate, customers, cac by quarter, channel where … (or for SEGMENT), "
            + "then assume own_retention R% (likewise mall_retention, own_cac)"
        do {
            try parseTransitionClauses(&query, measureApart: measureApart)
        } catch {
            guard current.keyword == "where" else { throw error }
            throw Diagnostic("simulate transition measures every counted order: it takes no 'where' filter", at: current.range, note: measureApart)
        }
        return query
    }

    mutating func parseTransitionClauses(_ query: inout TransitionQuery, measureApart: String) throws(Diagnostic) {
        try parseClauses(["from", "to", "by", "for"]) { (p: inout Parser, keyword: String) throws(Diagnostic) in
            switch keyword {
            case "from": query.from = try p.parseNames("a channel after 'from'")
            case "to": query.to = try p.parseName("a channel after 'to', e.g. own")
            case "by":
                guard case .percent(let step) = p.current.kind else { throw p.expected("a share per quarter as a percent, e.g. 10%") }
                let range = try p.advance().range
                if try p.accept("per") != nil { try p.expect("quarter", "after 'per' (by 10% per quarter)") }
                query.step = Located(step, range: range)
            default:
                if case .word = p.current.kind {
                    throw Diagnostic("simulate transition measures every customer: 'for' takes a number of quarters, not a segment",
                                     at: p.current.range, note: measureApart)
                }
                query.quarters = try p.parseCount("a number of quarters")
                if try p.accept("quarters") == nil { _ = try p.accept("quarter") }
            }
        }
    }

    /// The start of the last consumed keyword, from its end and length (keywords are ASCII, one line).
    func previousTokenStart(length: Int) -> SourceLocation {
        SourceLocation(line: previousEnd.line, column: previousEnd.column - length)
    }
}
