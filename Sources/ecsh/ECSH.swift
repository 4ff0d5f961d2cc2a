import ArgumentParser
import ECShell
import ECStore
import Foundation

// TEMPORARY (repl branch): a minimal executor so the line editing can be driven
// end to end. The shell author replaces this with the real session; keep the
// Repl / LineReader calls.
@main
struct ECSH: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ecsh",
        abstract: "An analysis shell for e-commerce data.",
        version: ShellInfo.version
    )

    @Argument(help: "Workspace file (created if missing); in memory when omitted.")
    var workspace: String?

    func run() throws {
        let database = try Database(path: workspace)
        let reader = LineReaders.standardInput()
        if let readline = reader as? ReadlineLineReader {
            let words = ["describe", "help", "head", "load", "segment", "segments", "sql", "tables", "quit"]
            readline.completer = { _, _, _ in words }
        }
        defer { reader.close() }
        let repl = Repl(reader: reader, isComplete: isBalancedStatement) { statement in
            let text = statement.trimmingCharacters(in: .whitespacesAndNewlines)
            guard text.lowercased().hasPrefix("sql ") else {
                print("unknown command: \(text.split(separator: " ").first ?? "")")
                return
            }
            do {
                let table = try database.query(String(text.dropFirst(4)))
                print(table.columns.joined(separator: "\t"))
                for row in table.rows { print(row.map(\.description).joined(separator: "\t")) }
            } catch let error as DatabaseError where error.isInterrupt {
                print("interrupted")
            } catch {
                print("error: \(error)")
            }
        }
        if repl.run() == .interrupted { throw ExitCode(130) }
    }
}
