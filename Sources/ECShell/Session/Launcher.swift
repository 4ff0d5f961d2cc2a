import Foundation
import ECStore
import ECRender
import ECAnalytics

/// What the command line asked for.
public struct LaunchConfiguration: Sendable {
    public var workspace: String?
    public var files: [String] = []
    public var commands: [String] = []
    public var keepGoing = false
    public var echo = false
    public var demo = false
    public var format: String?
    /// `-cmd STATEMENT`: run before the scripts, the commands or the interactive session.
    public var firstCommands: [String] = []
    /// `-init FILE`: run at start instead of ~/.ecshrc.
    public var initFile: String?
    /// When ~/.ecshrc is read.
    public var readRC: RCPolicy = .interactive
    /// `-o FILE.html`: every result of the run on one page, written at the end.
    public var report: String?
    public init() {}
}

/// When the start-up file ~/.ecshrc is read (`--rc`, `--no-rc`).
public enum RCPolicy: Sendable {
    /// Only when statements come from a person at a terminal (not with -f, -c or a piped script).
    case interactive
    case always
    case never
}

/// Starts a session the way the command line asked: scripts, commands, piped input or interactive.
public enum Launcher {
    /// Runs to completion and returns the process exit status
    /// (0 success, 1 a statement failed, 2 the workspace could not be opened).
    public static func run(_ launch: LaunchConfiguration) -> Int32 {
        // A closed pipe (ecsh ... | head) ends output quietly instead of killing the process.
        signal(SIGPIPE, SIG_IGN)
        SignalHandling.install()
        let out = FileSink.standardOutput()
        let err = FileSink.standardError()
        // Notes on stderr and results on stdout keep their order when both reach one place.
        err.flushesFirst = out
        defer { out.flush(); err.flush() }
        let database: Database
        do {
            database = try Database.open(launch.workspace)
        } catch {
            let sqlite = error as? DatabaseError
            err.write("error: \(openFailure(error, workspace: launch.workspace))\n")
            if let w = launch.workspace, Database.isPostgresURI(w) {
                err.write("  help: check the server is running and the URI (postgresql://user@host:port/database); libpq also reads PGPASSWORD, PGHOST, … and ~/.pgpass\n")
            } else if let e = error as? WorkspaceOpenError {
                err.write("  help: \(e.help)\n")
            } else if let path = launch.workspace, let help = openHelp(sqlite, path: path) {
                err.write("  help: \(help)\n")
            }
            return 2
        }
        if database.engine == .postgresql {
            err.write("note: workspace: \(database.engineDescription); ecsh's own tables are in its schema ecsh\n")
        }
        if database.isReadOnly, let path = database.path {
            err.write("note: '\(path)' is read-only for this user: statements that read work; loads, definitions and settings cannot be saved\n")
        }
        var options = SessionOptions()
        options.echo = launch.echo
        options.keepGoing = launch.keepGoing
        if let f = launch.format, let format = OutputFormat(rawValue: f) { options.format = format }
        let session = Session(database: database, out: out, err: err, options: options)
        if let path = launch.report {
            session.startReport(path: path, title: reportTitle(launch))
        }
        let status = run(session, launch)
        session.rollBackOpenTransaction()
        // The workspace file holds everything before ecsh exits (the copy of a load's log may still run).
        database.finishLogCopy()
        if session.report != nil {
            do { try session.finishReport() } catch {
                err.write(session.renderPlain(message: (error as? ShellError)?.message ?? "\(error)", help: nil))
                return status == 0 ? 1 : status
            }
        }
        return status
    }

    /// What an error opening the workspace says: SQLite's own words name no file, so the file is named.
    static func openFailure(_ error: any Error, workspace: String?) -> String {
        guard let e = error as? DatabaseError, let path = workspace, !Database.isPostgresURI(path),
              !e.message.contains(path) else { return "\(error)" }
        return "cannot open '\(path)': \(e.message)"
    }

    /// The way out of an SQLite error opening the workspace file `path` (nil: none to give).
    static func openHelp(_ error: DatabaseError?, path: String) -> String? {
        guard let error, !error.isNotADatabase else {
            return "is '\(path)' an SQLite workspace? Give a new file name to create one, or omit it for an in-memory workspace"
        }
        if error.isCorrupt {
            return "the file is damaged: `sqlite3 '\(path)' .recover | sqlite3 recovered.db` rescues what can be read; "
                + "or load the data again into a new workspace"
        }
        if error.isIOError || error.isFull {
            let folder = (path as NSString).deletingLastPathComponent
            let free = TemporaryFile.freeBytes(in: folder.isEmpty ? "." : folder)
            let room = free.map { " (\($0 >> 20) MB free there now)" } ?? ""
            return "ecsh could not read or write beside the file: is the disk holding '\(path)' full\(room), or the file on a "
                + "failing or network file system? Free some space, or copy the workspace to a local disk"
        }
        if error.cannotOpen { return "check that the folder of '\(path)' exists and that you may read the file" }
        return nil
    }

    /// The report's title: the scripts' names, else "ecsh report".
    static func reportTitle(_ launch: LaunchConfiguration) -> String {
        launch.files.isEmpty ? "ecsh report"
            : launch.files.map { $0 == "-" ? ScriptFile.standardInputName : ($0 as NSString).lastPathComponent }.joined(separator: ", ")
    }

    /// The exit status of a run stopped by Ctrl-C, as a shell gives a command killed by SIGINT (128 + 2),
    /// so `make`, `set -e` and CI tell a script stopped halfway from one that failed or finished.
    static let interruptedStatus: Int32 = 130

    /// Runs the session as the command line asked; the exit status.
    static func run(_ session: Session, _ launch: LaunchConfiguration) -> Int32 {
        let err = session.err

        if launch.demo {
            guard session.loadDemo() else { return 1 }
        }
        let scripted = !launch.files.isEmpty || !launch.commands.isEmpty
        if let path = startupScript(launch, interactive: !scripted && isatty(0) == 1) {
            let ran = (try? session.runScript(path: path, from: nil)) ?? false
            if session.interrupted { return interruptedStatus }
            if !ran && !launch.keepGoing { return 1 }
        }
        for (i, command) in launch.firstCommands.enumerated() {
            let name = launch.firstCommands.count == 1 ? "<-cmd>" : "<-cmd \(i + 1)>"
            let ran = session.run(text: command, sourceName: name)
            if session.interrupted { return interruptedStatus }
            if !ran && !launch.keepGoing { return 1 }
        }
        if scripted {
            var failed = false
            for path in launch.files {
                let ran = path == "-" ? session.runStandardInput() : (try? session.runScript(path: path, from: nil)) ?? false
                if session.interrupted { return interruptedStatus }
                if !ran {
                    failed = true
                    if !launch.keepGoing { return 1 }
                }
            }
            for (i, command) in launch.commands.enumerated() {
                let name = launch.commands.count == 1 ? "<command line>" : "<command line \(i + 1)>"
                let ran = session.run(text: command, sourceName: name)
                if session.interrupted { return interruptedStatus }
                if !ran {
                    if let hint = scriptHint(command, workspace: launch.workspace) { err.write(hint) }
                    failed = true
                    if !launch.keepGoing { return 1 }
                }
            }
            return failed ? 1 : 0
        }
        // Piped or redirected: the same script reading as `-f -`.
        if isatty(0) == 0 {
            let ran = session.runStandardInput()
            return session.interrupted ? interruptedStatus : ran ? 0 : 1
        }
        session.runInteractive()
        return 0
    }

    /// `ecsh w.db s1.ecsh` runs `s1.ecsh` as a statement, which fails as an unknown command: when the
    /// failed statement is one word naming a file or ending in `.ecsh`, say how to run it as a script.
    static func scriptHint(_ command: String, workspace: String?) -> String? {
        let word = command.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !word.isEmpty, !word.contains(where: \.isWhitespace) else { return nil }
        var isFolder: ObjCBool = false
        let isFile = FileManager.default.fileExists(atPath: word, isDirectory: &isFolder) && !isFolder.boolValue
        guard isFile || word.lowercased().hasSuffix(".ecsh") else { return nil }
        let shown = word
        return "  = help: to run the script file \(shown), give it with -f: ecsh \(workspace.map { $0 + " " } ?? "")-f \(shown)\n"
    }

    /// The start-up script: `-init FILE`, else ~/.ecshrc when the policy says so and it exists.
    static func startupScript(_ launch: LaunchConfiguration, interactive: Bool) -> String? {
        if let file = launch.initFile { return file }
        switch launch.readRC {
        case .never: return nil
        case .interactive where !interactive: return nil
        default: break
        }
        guard let home = ProcessInfo.processInfo.environment["HOME"] else { return nil }
        let path = home + "/.ecshrc"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// `ecsh generate shop DIR`.
    public static func generateShop(directory: String, orders: Int, seed: UInt64) -> Int32 {
        let err = FileSink.standardError()
        do {
            let summary = try SampleShop.generate(SampleShopSpec(orders: orders, seed: seed), into: directory)
            for f in summary.files {
                err.write("wrote \(f.path): \(grouped(f.rows)) rows, \(grouped(f.bytes >> 10)) KB\n")
            }
            return 0
        } catch {
            err.write("error: \(error)\n")
            return 1
        }
    }
}
