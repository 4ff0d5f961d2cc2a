import ECStore
import ECLanguage
import ECRender

/// Running dot commands: each does what its ecsh statement does.
extension Session {
    /// Runs `line`; errors are located at the word they are about.
    func runDotCommand(_ line: DotCommandLine) throws {
        guard let info = DotCommandInfo.find(line.name) else {
            if let instead = DotCommandInfo.insteads[line.name] {
                throw ShellError("ecsh has no .\(line.name)", at: line.nameWord.range, help: "instead: \(instead)")
            }
            throw Diagnostic.unknownName("dot command", "." + line.name, at: line.nameWord.range,
                                         among: DotCommandInfo.spellings, note: ".help lists the dot commands ecsh knows")
        }
        let args = line.arguments
        func noMore(than n: Int) throws {
            if args.count > n { throw ShellError("too many arguments to .\(info.name)", at: args[n].range, help: "usage: \(info.usage)") }
        }
        func argument(_ what: String) throws -> DotCommandLine.Word {
            guard let first = args.first else {
                throw ShellError(".\(info.name) needs \(what)", at: line.nameWord.range, help: "usage: \(info.usage)")
            }
            try noMore(than: 1)
            return first
        }
        func onOff() throws -> Bool {
            let w = try argument("on or off")
            switch w.text.lowercased() {
            case "on", "1", "yes", "true": return true
            case "off", "0", "no", "false": return false
            default: throw ShellError("expected on or off, found '\(w.text)'", at: w.range, help: "usage: \(info.usage)")
            }
        }
        switch info.name {
        case "tables": try noMore(than: 0); try listTables()
        case "schema": try noMore(than: 1); try showSchema(args.first)
        case "mode":
            let w = try argument("a mode")
            let modes: [String: OutputFormat] = ["table": .table, "box": .table, "column": .table, "csv": .csv, "tsv": .tsv,
                                                 "tabs": .tsv, "json": .json, "markdown": .markdown, "line": .line]
            guard let format = modes[w.text.lowercased()] else {
                throw Diagnostic.unknownName("mode", w.text, at: w.range, among: modes.keys.sorted(),
                                             note: "usage: \(info.usage)")
            }
            options.format = format
        case "headers": options.headers = try onOff()
        case "timer": options.timer = try onOff()
        case "read":
            let w = try argument("a file name")
            try runNested(Located(w.text, range: w.range))
        case "once", "output":
            if info.name == "output" && args.isEmpty {
                redirect?.sink.flush()
                redirect = nil
                return
            }
            let w = try argument("a file name")
            redirect?.sink.flush()
            // Beside the script, as `export to` and `report to` write (`resolveOutputPath`).
            let path = resolveOutputPath(w.text)
            guard let sink = FileSink.creating(path: path) else {
                throw ShellError("cannot write '\(path)'", at: w.range, help: "check that the folder exists and is writable")
            }
            redirect = ResultRedirect(sink: sink, path: path, once: info.name == "once")
        case "maxwidth":
            let w = try argument("a number of characters")
            guard let n = Int(w.text), n >= 0 else {
                throw ShellError("expected a whole number of characters (0: never cut), found '\(w.text)'", at: w.range)
            }
            options.maxWidth = n
        case "show": try noMore(than: 0); try showSettings()
        case "help": try noMore(than: 0); showDotHelp()
        default: quitRequested = true  // quit, exit
        }
    }

    /// `.help`: each dot command with the ecsh statement it stands for.
    func showDotHelp() {
        let width = DotCommandInfo.all.map(\.usage.count).max() ?? 0
        var text = "Dot commands (as in the sqlite3 and DuckDB shells), with what they do in ecsh:\n"
        for info in DotCommandInfo.all {
            text += "  " + info.usage.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + info.ecsh + "\n"
        }
        text += "A statement starting with select, with, pragma, values or explain query plan runs as SQL (as sql …).\n"
        text += "help lists ecsh's own commands.\n"
        emit(text)
    }

    /// `.schema [T]`: the CREATE statements of the workspace's tables (ecsh's own
    /// bookkeeping tables only when named), as sqlite3 prints them.
    func showSchema(_ table: DotCommandLine.Word?) throws {
        var sql = "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND type IN ('table', 'view', 'index')"
        var bindings: [Value] = []
        if let table {
            let name = try resolveTable(Identifier(table.text, range: table.range))
            sql += " AND tbl_name = ?"
            bindings.append(.text(name))
        } else {
            sql += " AND tbl_name NOT LIKE 'ecsh\\_%' ESCAPE '\\' AND tbl_name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        }
        let rows = try database.query(sql + " ORDER BY type = 'index', tbl_name, name", bindings).rows
        guard !rows.isEmpty else {
            say("no tables yet; load data with: load orders from 'orders.csv'  (or try: ecsh --demo)")
            return
        }
        emit(rows.compactMap { $0[1].textValue }.map { $0 + ";" }.joined(separator: "\n"))
    }
}
