import ECLanguage

/// A sqlite3/DuckDB-style dot command (`.tables`, `.mode csv`): a whole line
/// starting with `.`, its words split on spaces (quotes group words, as in sqlite3).
///
/// Dot commands are aliases of ecsh's own statements, for people whose hands
/// already type them; `.help` lists each with the ecsh spelling it stands for.
struct DotCommandLine {
    /// One word of the line and where it is.
    struct Word {
        var text: String
        var range: SourceRange
    }

    /// The command name without the dot, lower case (`mode`).
    var name: String
    /// The name as written, with its range.
    var nameWord: Word
    var arguments: [Word]

    /// The parsed line, or nil when `text` does not start with `.` (after blanks).
    init?(_ statement: StatementText) {
        guard Self.leadingByte(statement) == UInt8(ascii: "."), let words = Self.words(statement), let first = words.first, first.text.hasPrefix("."), first.text.count > 1 else { return nil }
        nameWord = first
        name = String(first.text.dropFirst()).lowercased()
        arguments = Array(words.dropFirst())
    }

    /// The statement's first byte that is not a blank or a quote, nil when there is none.
    ///
    /// The first word's text can start with `.` only when this byte is `.` (everything
    /// `words` skips or groups by before that word's first Character is a blank or a quote),
    /// so every other statement is told apart by its first bytes rather than by splitting a
    /// possibly 1 MB statement into words.
    static func leadingByte(_ statement: StatementText) -> UInt8? {
        statement.text.utf8.first { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") && $0 != UInt8(ascii: "'") && $0 != UInt8(ascii: "\"") }
    }

    /// A statement's words split on blanks, quotes grouping (and removed); nil when empty.
    static func words(_ statement: StatementText) -> [Word]? {
        var words: [Word] = []
        var location = statement.start
        var current = ""
        var wordStart = location
        var quote: Character?
        func finish(at end: SourceLocation) {
            if !current.isEmpty || quote != nil { words.append(Word(text: current, range: SourceRange(start: wordStart, end: end))) }
            current = ""
        }
        var inWord = false
        for c in statement.text {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == " " || c == "\t" {
                if inWord { finish(at: location); inWord = false }
            } else {
                if !inWord { wordStart = location; inWord = true }
                if c == "'" || c == "\"" { quote = c } else { current.append(c) }
            }
            location = c.isNewline ? SourceLocation(line: location.line + 1, column: 1)
                : SourceLocation(line: location.line, column: location.column + 1)
        }
        if inWord { finish(at: location) }
        return words.isEmpty ? nil : words
    }
}

/// One dot command: how it is written, what it does, and the ecsh statement it stands for.
struct DotCommandInfo {
    var name: String
    var usage: String
    var ecsh: String
    var aliases: [String] = []

    /// Every dot command ecsh knows; drives `.help`, dispatch and "did you mean".
    static let all: [DotCommandInfo] = [
        DotCommandInfo(name: "tables", usage: ".tables", ecsh: "tables"),
        DotCommandInfo(name: "schema", usage: ".schema [TABLE]", ecsh: "the CREATE statements (describe TABLE for roles and ranges)"),
        DotCommandInfo(name: "mode", usage: ".mode table|box|csv|tsv|tabs|json|markdown|line", ecsh: "set format MODE"),
        DotCommandInfo(name: "headers", usage: ".headers on|off", ecsh: "set headers on|off (CSV and TSV header line)", aliases: ["header"]),
        DotCommandInfo(name: "timer", usage: ".timer on|off", ecsh: "timer on|off"),
        DotCommandInfo(name: "read", usage: ".read FILE", ecsh: "run 'FILE'"),
        DotCommandInfo(name: "once", usage: ".once FILE", ecsh: "the next result goes to FILE"),
        DotCommandInfo(name: "output", usage: ".output [FILE]", ecsh: "results go to FILE; .output alone: back to the screen"),
        DotCommandInfo(name: "maxwidth", usage: ".maxwidth N", ecsh: "set maxwidth N (0: cells are never cut)"),
        DotCommandInfo(name: "show", usage: ".show", ecsh: "show settings"),
        DotCommandInfo(name: "help", usage: ".help", ecsh: "this list (help lists ecsh's commands)"),
        DotCommandInfo(name: "quit", usage: ".quit", ecsh: "quit", aliases: ["exit"]),
    ]

    /// sqlite3 dot commands with no alias here, and what to type instead.
    static let insteads: [String: String] = [
        "import": "load table NAME from 'FILE.csv' (or load orders|customers|spend|traffic|nps from 'FILE.csv')",
        "dump": "export to 'FILE.csv' after the statement whose result you want",
        "echo": "ecsh --echo -f FILE",
        "open": "ecsh FILE.db (one workspace per session)",
        "indexes": "sql select name, tbl_name from sqlite_master where type = 'index'",
        "databases": "show settings (the workspace file is shown at start)",
        "bail": "scripts stop at the first error by default; ecsh --keep-going reports every error",
    ]

    static func find(_ name: String) -> DotCommandInfo? {
        all.first { $0.name == name || $0.aliases.contains(name) }
    }

    /// Every spelling, with the dot, for "did you mean" and completion.
    static var spellings: [String] { all.flatMap { [$0.name] + $0.aliases }.map { "." + $0 } }
}
