// The ecsh grammar. Keywords are case-insensitive; `[x]` is optional, `{x}` repeats,
// clauses written `clause*` may come in any order, each at most once.
//
//   statement   := sql-stmt | load-stmt | command
//   sql-stmt    := 'sql' RAW-SQL-TO-END
//   load-stmt   := 'load' (ROLE | 'table' name) 'from' STRING load-clause*
//   load-clause := 'append' | 'with' option {',' option} | 'preset' name | 'map' mapping {',' mapping}
//   option      := name option-value
//   mapping     := name '=' (QUOTED-IDENT | STRING)
//   set-stmt    := 'set' name option-value {',' option-value}
//   option-value:= STRING | NUMBER | PERCENT | DATE | MONTH | duration | 'true' | 'false' | WORD
//   segment     := 'segment' name '=' expr
//   kpi         := 'kpi' name {',' name} kpi-clause*
//   kpi-clause  := 'within' duration | 'by' names | 'for' names | 'where' expr
//                | 'from' date-bound | 'to' date-bound | 'chart'
//   define-kpi  := 'define' 'kpi' name '=' expr      (checked: names, numbers, + - * / only)
//   target      := 'target' name COMPARISON ['-'] NUMBER|PERCENT ['under' STRING]
//   cohort      := 'cohort' cohort-clause*
//   cohort-clause := METRIC | 'cumulative' | 'by' names | 'mode' MODE | 'periods' INTEGER | 'for' names | 'where' expr
//   (the other commands are listed with their usage in CommandCatalog)
//   names       := name {',' name}
//   name        := WORD | QUOTED-IDENT
//   duration    := NUMBER UNIT        UNIT := day[s] | week[s] | month[s] | year[s]
//   date-bound  := DATE | MONTH
//
//   expr        := or
//   or          := and {'or' and}
//   and         := not {'and' not}
//   not         := 'not' not | comparison
//   comparison  := additive [ COMPARISON additive
//                           | ['not'] 'in' '(' expr {',' expr} ')'
//                           | ['not'] 'between' additive 'and' additive
//                           | ['not'] 'like' additive
//                           | 'is' ['not'] 'null' ]
//   additive    := multiplicative {('+' | '-') multiplicative}
//   multiplicative := unary {('*' | '/') unary}
//   unary       := '-' unary | primary
//   primary     := STRING | NUMBER | PERCENT | DATE | MONTH | duration | 'true' | 'false' | 'null'
//                | name | '(' expr ')'

/// A hand-written recursive-descent parser for one ecsh statement.
///
/// It pulls tokens from a `Lexer` one at a time, so `sql` can keep its raw text.
/// Every loop consumes at least one token per iteration or stops; nesting of
/// parentheses, `not` and unary minus is capped at `maxDepth`.
public struct Parser {
    /// The deepest nesting allowed; deeper input is an error, not a stack overflow.
    public static let maxDepth = LanguageLimits.nesting

    var lexer: Lexer
    /// The next token, not yet consumed.
    var current: Token
    /// Where the last consumed token ended (for node ranges).
    var previousEnd: SourceLocation
    var depth = 0
    /// Names and values read so far (capped at `LanguageLimits.terms`).
    var terms = 0

    public init(_ statement: StatementText) throws(Diagnostic) {
        // Checked before the lexer copies the text into Characters: a 1 MB statement is refused at once.
        if let beyond = statement.locationOfCharacter(LanguageLimits.statementLength) {
            throw Diagnostic("statement too long (more than \(LanguageLimits.statementLength) characters)",
                             at: SourceRange(at: beyond),
                             note: "load long lists from a file; split long scripts into statements")
        }
        // The scanner skips a closed `/* … */` before the first word; one left open is the whole statement.
        if statement.text.hasPrefix("/*") { throw RawSQL.unterminatedComment(at: statement.start) }
        if let join = statement.unfinishedJoin {
            throw Diagnostic("the text ends after a `\\`, which joins this line to a next line that is not there",
                             at: SourceRange(start: join, end: SourceLocation(line: join.line, column: join.column + 1)),
                             note: "remove the `\\` to end the statement on this line, or add the line it joins (was the file cut short?)")
        }
        lexer = Lexer(statement)
        previousEnd = statement.start
        current = try lexer.next()
    }

    /// Parses one statement; nil when it holds only blanks and comments.
    public static func parse(_ statement: StatementText) throws(Diagnostic) -> ShellStatement? {
        var parser = try Parser(statement)
        return try parser.parseStatement()
    }

    /// Splits a source into statements and parses them all, stopping at the first error.
    public static func parse(_ source: Source) throws(Diagnostic) -> [ShellStatement] {
        var statements: [ShellStatement] = []
        for text in StatementSplitter.split(source) {
            if let statement = try parse(text) { statements.append(statement) }
        }
        return statements
    }

    /// Parses a whole text as one expression (for tests and tools).
    public static func parseExpression(_ text: String, start: SourceLocation = SourceLocation(line: 1, column: 1)) throws(Diagnostic) -> Expr {
        var parser = try Parser(StatementText(text: text, start: start))
        let expr = try parser.parseExpr()
        try parser.expectEnd(allowed: [])
        return expr
    }

    // MARK: Tokens

    var atEnd: Bool { current.kind == .end }

    /// Consumes the current token and returns it.
    @discardableResult
    mutating func advance() throws(Diagnostic) -> Token {
        let token = current
        previousEnd = token.range.end
        if token.kind != .end { current = try lexer.next() }
        return token
    }

    /// Consumes the keyword if it is next.
    mutating func accept(_ keyword: String) throws(Diagnostic) -> Token? {
        current.isKeyword(keyword) ? try advance() : nil
    }

    mutating func accept(_ symbol: Symbol) throws(Diagnostic) -> Token? {
        current.kind == .symbol(symbol) ? try advance() : nil
    }

    @discardableResult
    mutating func expect(_ keyword: String, _ context: String) throws(Diagnostic) -> Token {
        if let token = try accept(keyword) { return token }
        throw expected("'\(keyword)' \(context)")
    }

    @discardableResult
    mutating func expect(_ symbol: Symbol, _ context: String) throws(Diagnostic) -> Token {
        if let token = try accept(symbol) { return token }
        throw expected("'\(symbol.rawValue)' \(context)")
    }

    /// "expected X, found Y" at the current token.
    func expected(_ what: String, help: String? = nil, note: String? = nil) -> Diagnostic {
        Diagnostic("expected \(what), found \(current.display)", at: current.range, help: thousandsHelp ?? help, note: note)
    }

    /// At a `,` inside digits (`1,000`): how to write the number, since a comma separates list items.
    var thousandsHelp: String? {
        guard current.kind == .symbol(.comma), let n = lexer.thousandsSeparated(at: current.startOffset) else { return nil }
        return "a comma separates list items, so \(n.written) is not one number: write \(n.number) (or \(n.number.replacingOccurrences(of: "_", with: "")))"
    }

    /// The range from `start` to the end of the last consumed token.
    func range(from start: SourceLocation) -> SourceRange { SourceRange(start: start, end: max(start, previousEnd)) }

    /// Requires the end of the statement; otherwise names the stray token and suggests a nearby allowed keyword.
    mutating func expectEnd(allowed: [String]) throws(Diagnostic) {
        if atEnd { return }
        let suggestion = current.keyword.flatMap { didYouMean($0, among: allowed) }.map { "did you mean '\($0)'?" }
        let note = allowed.isEmpty ? nil : "expected one of: " + allowed.joined(separator: ", ")
        throw Diagnostic("unexpected \(current.display)", at: current.range, help: thousandsHelp ?? suggestion, note: note)
    }

    /// Enters one nesting level (parenthesis, `not`, unary minus); fails past `maxDepth`.
    mutating func enterNesting() throws(Diagnostic) {
        depth += 1
        if depth > Parser.maxDepth {
            throw Diagnostic("expression nested too deeply (more than \(Parser.maxDepth) levels)", at: current.range,
                             note: "split it into named segments or KPIs")
        }
    }

    // MARK: Common pieces

    /// `name := WORD | QUOTED-IDENT`
    mutating func parseName(_ what: String) throws(Diagnostic) -> Identifier {
        switch current.kind {
        case .word(let w):
            return Identifier(w, range: try advance().range)
        case .quotedIdentifier(let q):
            return Identifier(q, isQuoted: true, range: try advance().range)
        default:
            throw expected(what)
        }
    }

    /// `names := name {',' name}`
    mutating func parseNames(_ what: String) throws(Diagnostic) -> [Identifier] {
        var names = [try parseName(what)]
        while try accept(.comma) != nil { names.append(try parseName(what)) }
        return names
    }

    /// A 'quoted string'.
    mutating func parseString(_ what: String, example: String = "'orders.csv'") throws(Diagnostic) -> Located<String> {
        guard case .string(let s) = current.kind else { throw expected(what, note: "write it in single quotes, e.g. \(example)") }
        return Located(s, range: try advance().range)
    }

    /// A whole number ≥ 0.
    mutating func parseCount(_ what: String) throws(Diagnostic) -> Located<Int> {
        guard case .integer(let n) = current.kind, let value = Int(exactly: n) else { throw expected(what) }
        return Located(value, range: try advance().range)
    }

    /// `duration := NUMBER UNIT`; with a default unit the unit may be left out (`horizon 12`).
    mutating func parseTimeSpan(_ what: String, defaultUnit: TimeSpan.Unit? = nil) throws(Diagnostic) -> Located<TimeSpan> {
        let start = current.range.start
        guard let amount = numberValue(current.kind) else { throw expected(what) }
        try advance()
        if let unit = current.keyword.flatMap(Parser.timeUnit) {
            try advance()
            return Located(TimeSpan(amount: amount, unit: unit), range: range(from: start))
        }
        // A misspelt unit ("90 dyas") is an error even where the unit may be left out.
        let misspelt = current.keyword.flatMap { didYouMean($0, among: ["days", "weeks", "months", "years"]) }
        guard let defaultUnit, misspelt == nil else {
            throw expected("a unit (days, weeks, months or years)", help: misspelt.map { "did you mean '\($0)'?" })
        }
        return Located(TimeSpan(amount: amount, unit: defaultUnit), range: range(from: start))
    }

    /// `date-bound := DATE | MONTH`
    mutating func parseDateBound(_ what: String) throws(Diagnostic) -> Located<DateBound> {
        switch current.kind {
        case .date(let d): return Located(.day(d), range: try advance().range)
        case .month(let m): return Located(.month(m), range: try advance().range)
        default: throw expected(what, note: "write a date as 2024-03-05 or a month as 2024-03")
        }
    }

    func numberValue(_ kind: Token.Kind) -> Double? {
        switch kind {
        case .integer(let i): return Double(i)
        case .real(let d): return d
        default: return nil
        }
    }

    /// The unit named by a word: day/days, week/weeks, month/months, year/years.
    static func timeUnit(_ word: String) -> TimeSpan.Unit? {
        let singular = word.hasSuffix("s") ? String(word.dropLast()) : word
        return TimeSpan.Unit(rawValue: singular)
    }
}
