import ECLanguage
import ECStore

/// One SQLite table whose single column stands for every name, so compiled predicates can be prepared.
nonisolated(unsafe) let workspace: Database? = {
    let db = try? Database()
    try? db?.execute("CREATE TABLE t (x)")
    return db
}()

/// Failing statements of one input whose diagnostics are rendered.
let renderedPerInput = 3

/// libFuzzer target: the front end, text → statements → AST → SQL → a prepared SQLite statement.
///
/// The input is split into statements and each is parsed; the whole input is also parsed
/// as one expression, compiled with every name standing for column `t.x`, and prepared.
/// Oracles: no crash or hang; diagnostics render (the first few failing statements'
/// and the expression's); the REPL's line-at-a-time completeness check agrees with the whole-text splitter; and a predicate the parser accepts
/// always compiles to SQL that SQLite prepares (SQLite's "parser stack overflow" or
/// "Expression tree is too large" would mean the compiler emits SQL too deep for it).
func fuzzLanguage(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data = bytes else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let source = Source(name: "<fuzz>", text: text)
    let renderer = DiagnosticRenderer()
    // The REPL's line-at-a-time check must give the whole-text splitter's answer (each typed line ends in a line break).
    let whole = StatementSplitter.completeness(of: text + "\n")
    var lines = LineCompleteness()
    var incremental = InputCompleteness.complete
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) { incremental = lines.append(line: String(line)) }
    if incremental != whole { fatalError("fuzz: line-at-a-time completeness \(incremental) differs from the whole text's \(whole)") }
    // Every statement is parsed; the first few failures are rendered. Rendering looks at the
    // source from its start up to the error (the line's bytes, then its Characters), so
    // rendering every failure of a many-statement input took over half of each execution;
    // positions still vary from input to input.
    var rendered = 0
    for statement in StatementSplitter.split(source) {
        do {
            _ = try Parser.parse(statement)
        } catch {
            if rendered < renderedPerInput { _ = renderer.render(error, in: source); rendered += 1 }
        }
    }
    let expr: Expr
    do {
        expr = try Parser.parseExpression(text)
    } catch {
        _ = renderer.render(error, in: source)
        return 0
    }
    _ = expr.description
    let resolver = ClosureNameResolver { _ throws(Diagnostic) in .column(SQLFragment("\"t\".\"x\"")) }
    let sql: SQLFragment
    do {
        sql = try PredicateCompiler(resolver: resolver).compile(expr)
    } catch {
        _ = renderer.render(error, in: source)
        return 0
    }
    guard let workspace else { fatalError("fuzz: no in-memory workspace") }
    do {
        _ = try workspace.prepare("SELECT 1 FROM t WHERE " + sql.sql)
    } catch {
        fatalError("fuzz: accepted expression compiled to SQL SQLite rejects: \(error)\n\(text)")
    }
    return 0
}
