import ArgumentParser
import ECShell

/// The `ecsh` command line: the shell by default, `ecsh generate` for sample data.
@main
struct ECSH: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ecsh",
        abstract: "An analysis shell for e-commerce data: KPIs, cohorts, NPS, unit economics and CLV over SQLite.",
        discussion: """
            Run with no arguments for an interactive in-memory workspace, give a workspace file to keep \
            your data, or replay scripts with -f. Examples:
              ecsh --demo                       explore the bundled sample shop
              ecsh shop.db                      interactive, on a workspace file (created if missing)
              ecsh shop.db -f analysis.ecsh     replay a script; stops at the first error, exit 1
              ecsh -c 'kpi gmv by month' shop.db
              ecsh generate shop DIR --orders N --seed S   write a sample shop as CSV files
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

    @Argument(help: "Workspace file (SQLite; created if missing). In memory when omitted.")
    var workspace: String?

    @Option(name: [.customShort("f"), .customLong("file")], help: "Run a script file (repeatable; in order).")
    var files: [String] = []

    @Option(name: [.customShort("c"), .customLong("command")], help: "Run a statement (repeatable; after the files).")
    var commands: [String] = []

    @Flag(name: .customLong("keep-going"), help: "In scripts, report every error and exit non-zero at the end instead of stopping at the first.")
    var keepGoing = false

    @Flag(help: "Print each statement before its result, so a replay reads like a transcript.")
    var echo = false

    @Flag(help: "Open the bundled sample shop, loaded into an in-memory workspace.")
    var demo = false

    @Option(help: "Output format: table, csv, tsv, json or markdown.")
    var format: String?

    func validate() throws {
        if demo && workspace != nil {
            throw ValidationError("--demo opens its own in-memory workspace; leave out '\(workspace!)' or drop --demo")
        }
        if let format, !["table", "csv", "tsv", "json", "markdown"].contains(format) {
            throw ValidationError("unknown format '\(format)'; use table, csv, tsv, json or markdown")
        }
    }

    func run() throws {
        var launch = LaunchConfiguration()
        launch.workspace = workspace
        launch.files = files
        launch.commands = commands
        launch.keepGoing = keepGoing
        launch.echo = echo
        launch.demo = demo
        launch.format = format
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
