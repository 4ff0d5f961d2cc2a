import Foundation
import ArgumentParser
import ECShell

/// The `ecsh` command line: the shell by default, `ecsh generate` for sample data.
@main
struct ECSH: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ecsh",
        abstract: "An analysis shell for e-commerce data: KPIs, cohorts, NPS, unit economics and CLV over SQLite or PostgreSQL.",
        discussion: """
            Run with no arguments for an interactive in-memory workspace, give a workspace file to keep \
            your data, or replay scripts with -f. Examples:
              ecsh --demo                         explore the bundled sample shop
              ecsh shop.db                        a workspace file (created if missing)
              ecsh shop.db -f analysis.ecsh       replay a script (exit 1 at an error)
              ecsh shop.db -f - < analysis.ecsh   the script on standard input
              ecsh -c 'kpi gmv by month' shop.db  one statement (-c is repeatable)
              ecsh shop.db 'kpi gmv by month'     the same, as in sqlite3
              ecsh postgresql://me@db:5432/shop   a workspace in PostgreSQL (libpq URI)
              ecsh -json shop.db 'kpi gmv' | jq . results only on stdout; notes on stderr
              ecsh generate shop DIR --orders N --seed S
                                                  write a sample shop as CSV files
            """,
        version: ShellInfo.version
    )

    /// `ecsh generate …` goes to its own command; everything else is the shell.
    /// (A positional workspace argument and subcommands cannot share one parser.)
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "generate" {
            Generate.main(Array(arguments.dropFirst()))
        } else {
            ECSH.main(arguments)
        }
    }

    @Argument(help: "Workspace: an SQLite file (created if missing) or a postgresql:// URI. In memory when omitted.")
    var workspace: String?

    @Argument(help: "Statements to run after the workspace, as in sqlite3 (ecsh shop.db 'kpi gmv'); then exit.")
    var statements: [String] = []

    @Option(name: [.customShort("f"), .customLong("file")], help: "Run a script file (repeatable; in order); - reads the script from standard input.")
    var files: [String] = []

    @Option(name: [.customShort("c"), .customLong("command")], help: "Run a statement (repeatable; after the files).")
    var commands: [String] = []

    @Flag(name: .customLong("keep-going"), help: "In scripts, report every error and exit non-zero at the end instead of stopping at the first.")
    var keepGoing = false

    @Flag(help: "Print each statement before its result, so a replay reads like a transcript.")
    var echo = false

    @Flag(help: "Open the bundled sample shop, loaded into an in-memory workspace.")
    var demo = false

    @Option(help: "Output format: table, csv, tsv, json, markdown or line.")
    var format: String?

    @Flag(name: [.customLong("csv", withSingleDash: true), .customLong("csv")], help: "Same as --format csv.")
    var csv = false
    @Flag(name: [.customLong("json", withSingleDash: true), .customLong("json")], help: "Same as --format json.")
    var json = false
    @Flag(name: [.customLong("markdown", withSingleDash: true), .customLong("markdown")], help: "Same as --format markdown.")
    var markdown = false
    @Flag(name: [.customLong("line", withSingleDash: true), .customLong("line")], help: "Same as --format line: one 'column = value' per line.")
    var line = false
    @Flag(name: [.customLong("tabs", withSingleDash: true), .customLong("tsv")], help: "Same as --format tsv.")
    var tabs = false

    @Option(name: [.customLong("cmd", withSingleDash: true), .customLong("cmd")],
            help: ArgumentHelp("Run a statement first, then go on (repeatable), as sqlite3's -cmd.", valueName: "statement"))
    var firstCommands: [String] = []

    @Option(name: [.customLong("init", withSingleDash: true), .customLong("init")],
            help: ArgumentHelp("Run this script at start instead of ~/.ecshrc.", valueName: "file"))
    var initFile: String?

    @Option(name: [.customShort("o"), .customLong("report")],
            help: ArgumentHelp("Collect every result of the run into one HTML page (a heading, the statement, chart and table each).", valueName: "file.html"))
    var reportFile: String?

    @Flag(name: .customLong("rc"), help: "Also read ~/.ecshrc with -f, -c or a statement (an interactive session always reads it).")
    var readRC = false

    @Flag(name: .customLong("no-rc"), help: "Do not read ~/.ecshrc.")
    var noRC = false

    @Flag(name: [.customLong("bail", withSingleDash: true), .customLong("bail")],
          help: "Stop at the first error (the default; --keep-going turns it off).")
    var bail = false

    /// The format the flags ask for, the last-named single flag winning over --format as sqlite3 does.
    var chosenFormat: String? {
        let flags = [(csv, "csv"), (json, "json"), (markdown, "markdown"), (line, "line"), (tabs, "tsv")].filter(\.0).map(\.1)
        return flags.last ?? format
    }

    func validate() throws {
        if demo, let workspace, Self.looksLikeWorkspaceFile(workspace) {
            throw ValidationError("--demo opens its own in-memory workspace; leave out '\(workspace)' or drop --demo")
        }
        if let format, !["table", "csv", "tsv", "json", "markdown", "line"].contains(format) {
            throw ValidationError("unknown format '\(format)'; use table, csv, tsv, json, markdown or line")
        }
        if let reportFile, !reportFile.lowercased().hasSuffix(".html") {
            throw ValidationError("-o writes an HTML report: name a .html file, not '\(reportFile)'")
        }
        if files.filter({ $0 == "-" }).count > 1 {
            throw ValidationError("-f - reads the script on standard input, which can be read once; give -f - once")
        }
        // `-` is standard input elsewhere (`-f -`, python -); as the workspace it made a SQLite file named `-`.
        if !demo, workspace == "-", !FileManager.default.fileExists(atPath: "-") {
            throw ValidationError("'-' is not a workspace: a script on standard input is given with -f - "
                + "(ecsh shop.db -f - < script.ecsh) or piped in (ecsh shop.db < script.ecsh)")
        }
        if bail && keepGoing { throw ValidationError("-bail and --keep-going contradict each other; give one") }
    }

    /// With --demo the first positional argument is a statement (`ecsh --demo 'kpi gmv'`),
    /// unless it names a database file, which is a mistake worth saying.
    static func looksLikeWorkspaceFile(_ argument: String) -> Bool {
        let lowered = argument.lowercased()
        return [".db", ".sqlite", ".sqlite3", ".ecsh"].contains { lowered.hasSuffix($0) }
            || (!argument.contains(" ") && FileManager.default.fileExists(atPath: argument))
    }

    func run() throws {
        var launch = LaunchConfiguration()
        let statements = demo ? (workspace.map { [$0] } ?? []) + self.statements : self.statements
        let workspace = demo ? nil : self.workspace
        launch.workspace = workspace
        launch.files = files
        launch.commands = commands + statements
        launch.firstCommands = firstCommands
        launch.initFile = initFile
        launch.readRC = noRC ? .never : (readRC ? .always : .interactive)
        launch.keepGoing = keepGoing
        launch.echo = echo
        launch.demo = demo
        launch.format = chosenFormat
        launch.report = reportFile
        let status = Launcher.run(launch)
        if status != 0 { throw ExitCode(status) }
    }
}

/// `ecsh generate shop DIR`: writes a deterministic sample shop as CSV files.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ecsh generate",
        abstract: "Generate a deterministic sample shop (orders, customers, ad spend, traffic, NPS) as CSV files."
    )

    @Argument(help: "What to generate (only 'shop' for now).")
    var kind: String

    @Argument(help: "Directory to write the CSV files into (created if missing).")
    var directory: String

    @Option(help: "Approximate number of orders.")
    var orders: Int = 20_000

    @Option(help: "Random seed; the same seed gives the same bytes.")
    var seed: UInt64 = 42

    func validate() throws {
        guard kind == "shop" else { throw ValidationError("unknown kind '\(kind)'; use: ecsh generate shop DIR") }
        guard orders > 0 else { throw ValidationError("--orders must be positive") }
    }

    func run() throws {
        let status = Launcher.generateShop(directory: directory, orders: orders, seed: seed)
        if status != 0 { throw ExitCode(status) }
    }
}
