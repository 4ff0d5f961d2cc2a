import Foundation
import ECStore
import ECLanguage
import ECRender

/// One shell session: a workspace, presentation options and the last result.
///
/// Statements run one at a time. A failing statement leaves the workspace,
/// the options and the last result exactly as they were; the error is
/// reported with its location and the session goes on.
public final class Session {
    public let database: Database
    let out: FileSink
    let err: FileSink
    public internal(set) var options: SessionOptions
    /// The last table shown (for `export`).
    public internal(set) var lastResult: ResultTable?
    /// Every row of the last result when it showed only some and holding all would cost too much
    /// (`predict alive` at millions of customers): made when `export` asks for it.
    var lastResultWhole: (() throws -> ResultTable)?
    /// The SQL the last statement ran (for `show sql`).
    public internal(set) var lastSQL: String?
    /// Scripts being run, innermost last (for nesting and relative paths).
    var scriptStack: [String] = []
    /// The `run` statements that led to the script running now, outermost first (for the error chain).
    var inclusions: [Inclusion] = []
    /// The statement running now (a `run` records it as the including statement).
    var runningStatement: StatementText?
    /// Deepest `run` nesting allowed (a script that runs itself stops here).
    static let maximumRunDepth = 16
    /// Set by `quit`: stop reading statements.
    var quitRequested = false
    /// Set when Ctrl-C stopped a statement: the scripts running stop (`--keep-going` too), and a run
    /// from the command line ends with `Launcher.interruptedStatus`. Cleared before each prompt line.
    public internal(set) var interrupted = false
    /// Set when leaving was refused once because of an open `sql BEGIN` transaction; cleared when it ends.
    var warnedAboutOpenTransaction = false
    /// Whether statements come from a person at a terminal.
    var isInteractive = false
    /// Every table shown while a lesson's statements run (nil when no lesson is collecting): a statement
    /// such as `predict ltv` shows several, and `lastResult` keeps only the last.
    var shownByLesson: [ResultTable]?
    /// Where the learner is in the tutorial, and the tutorial's own sample-shop session.
    var tutorialState = TutorialState()
    /// Simulation assumptions set with `assume` (name → value), overriding measured figures.
    var assumptions: [String: Double] = [:]
    /// Suppresses confirmations (`say`) while the demo loads; errors still show.
    var quiet = false
    /// Where results go instead of standard output (`.output FILE`, `.once FILE`).
    var redirect: ResultRedirect?
    /// The text of the statement running now, and of the one that made `lastResult`.
    var currentStatement: String?
    var lastResultStatement: String?
    /// The progress line of the statement running now (wiped before anything else is written).
    var activityLine: ActivityLine?
    /// Called by `reading` once its read transaction holds a snapshot, before the statement's own
    /// queries: tests commit another connection's change there.
    var snapshotTaken: (() -> Void)?
    /// Results being collected for one HTML page (`-o FILE`, `report to … end report`).
    var report: RunReport?

    public init(database: Database, out: FileSink, err: FileSink, options: SessionOptions = SessionOptions()) {
        self.database = database
        self.out = out
        self.err = err
        self.options = options
        // A second writer waits for the first; after a second it says so.
        database.onBusy = { [err, weak self] message in
            self?.activityLine?.finish()
            err.write("note: \(message)\n")
            err.flush()
        }
    }

    /// Whether coloured output is in force on standard output.
    var colorEnabled: Bool {
        switch options.color {
        case .on: return true
        case .off: return false
        case .auto: return colorAllowed(isTerminal: out.isTerminal)
        }
    }

    var errorColorEnabled: Bool {
        switch options.color {
        case .on: return true
        case .off: return false
        case .auto: return colorAllowed(isTerminal: err.isTerminal)
        }
    }

    /// Runs every statement of a text; false when any failed.
    /// Stops at the first failure unless `keepGoing` is set.
    @discardableResult
    public func run(text: String, sourceName: String) -> Bool {
        run(source: Source(name: sourceName, text: text))
    }

    func run(source: Source) -> Bool {
        var succeeded = true
        for statement in StatementSplitter.split(source) {
            if quitRequested { break }
            if options.echo { results.write("ecsh> " + statement.text + "\n") }
            if !execute(statement, in: source) {
                succeeded = false
                if !options.keepGoing || interrupted { break }
            }
        }
        return succeeded
    }

    /// Runs one statement, reporting any error; true on success.
    func execute(_ text: StatementText, in source: Source) -> Bool {
        InterruptFlag.shared.clear()
        let outerStatement = runningStatement
        runningStatement = text
        defer { runningStatement = outerStatement }
        let started = ContinuousClock.now
        // A statement of a script run by `run`: its own line, not the `run`'s, while it runs.
        if let outerLine = activityLine {
            return outerLine.suspended { executeWithItsOwnLine(text, in: source, started: started) }
        }
        return executeWithItsOwnLine(text, in: source, started: started)
    }

    private func executeWithItsOwnLine(_ text: StatementText, in source: Source, started: ContinuousClock.Instant) -> Bool {
        let outer = database.onProgress, outerLine = activityLine
        let activity = ActivityLine(enabled: err.isTerminal && isInteractive, database: database, statement: text.text)
        database.onProgress = { activity.tick() }
        activityLine = activity
        defer {
            database.onProgress = outer
            activityLine = outerLine
            activity.end()
            out.flush()
            err.flush()
        }
        do {
            currentStatement = text.text
            // Ctrl-C stops a step that runs long inside SQLite too (a function over a large value,
            // an index's sort), not only at the progress handler's next call (InterruptFlag).
            let ran = try database.interruptible {
                if let dot = DotCommandLine(text) {
                    try runDotCommand(dot)
                } else if let framing = reportStatement(text) {
                    try framing()
                } else {
                    guard let statement = try Parser.parse(text) else { return false }
                    try dispatch(statement)
                }
                return true
            }
            guard ran else { return true }
            if options.timer {
                let elapsed = ContinuousClock.now - started
                notes.write("Run time: \(formatSeconds(elapsed))\n")
            }
            return true
        } catch {
            activity.finish()
            report(error, statement: text, source: source)
            return false
        }
    }

    /// Runs a script file; `from` is the including script, for relative paths.
    /// A file that cannot be read is reported here, or thrown located at `range` (for `run`).
    @discardableResult
    func runScript(path: String, from including: String?, at range: SourceRange? = nil) throws -> Bool {
        // Beside the including script first, then in the current folder (as `load` reads data files).
        let path = HomePath.expand(path)
        var resolved = resolveScriptPath(path, from: including)
        if resolved != path, !FileManager.default.fileExists(atPath: resolved), FileManager.default.fileExists(atPath: path) { resolved = path }
        let failure: ShellError
        if let loop = Self.runLoop(scriptStack, resolved) {
            // A script has no conditions, so one that runs a script already running repeats until the
            // nesting limit (loads and exports sixteen times over); stopped here, before it runs again.
            failure = ShellError("run '\(path)' would run a script that is already running, again and again", at: range,
                                 help: "remove the run that leads back: " + loop.joined(separator: " → "))
        } else if scriptStack.count >= Self.maximumRunDepth {
            let chain = scriptStack.count > 4 ? scriptStack.prefix(2) + ["…"] + scriptStack.suffix(1) : scriptStack[...]
            failure = ShellError("scripts nested more than \(Self.maximumRunDepth) deep (does '\(path)' run itself?)", at: range,
                                 help: "check the chain of run statements: " + chain.joined(separator: " → "))
        } else {
            switch ScriptFile.read(resolved) {
            case .failure(let e):
                failure = ShellError(e.message, at: range, help: e.help)
            case .success(let text):
                scriptStack.append(resolved)
                defer { scriptStack.removeLast() }
                return run(source: Source(name: resolved, text: text))
            }
        }
        if range != nil { throw failure }
        err.write(renderPlain(message: failure.message, help: failure.help))
        return false
    }

    /// The chain of scripts from the first run of `resolved` on `stack` back to it, or nil when it is not
    /// running (compared as files: `a/../x.ecsh` and a link to it are `x.ecsh`).
    static func runLoop(_ stack: [String], _ resolved: String) -> [String]? {
        func file(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path }
        let target = file(resolved)
        guard let first = stack.firstIndex(where: { file($0) == target }) else { return nil }
        return Array(stack[first...]) + [resolved]
    }

    /// Runs the script on standard input (`-f -`, or `ecsh W.db < script.ecsh`): named `<stdin>` in errors,
    /// its relative paths resolved from the current folder.
    func runStandardInput() -> Bool {
        switch ScriptFile.readStandardInput() {
        case .success(let text):
            return run(text: text, sourceName: ScriptFile.standardInputName)
        case .failure(let e):
            err.write(renderPlain(message: e.message, help: e.help))
            return false
        }
    }

    /// A relative path in a script is resolved from that script's folder.
    func resolveScriptPath(_ path: String, from including: String?) -> String {
        guard !path.hasPrefix("/"), let including else { return path }
        let folder = (including as NSString).deletingLastPathComponent
        return folder.isEmpty ? path : (folder as NSString).appendingPathComponent(path)
    }

    /// Renders a result, remembers it for `export`, and records its SQL for `show sql`.
    func show(_ table: ResultTable, sql: String?) {
        record(table)
        if let sql { lastSQL = sql }
        if options.pager, isInteractive, redirect == nil, out.isTerminal, let rows = Pager.terminalRows() {
            // Render whole, then page it when it is taller than the screen.
            let page = StringSink()
            TableRenderer(options: renderOptions).render(table, to: page, notes: notes === out ? page : notes)
            if Pager.needsPaging(page.text, rows: rows, columns: Pager.terminalColumns()) {
                out.flush()
                switch Pager.show(page.text) {
                case .shown: return
                case .notStarted: break
                case .failed(let command, let status):
                    // It may have shown nothing (a pager that cannot read the terminal exits at once):
                    // never lose the result.
                    err.write("note: the pager (\(command)) exited with status \(status); the result follows\n")
                    err.flush()
                }
            }
            out.write(page.text)
            return
        }
        TableRenderer(options: renderOptions).render(table, to: results, notes: notes)
        resultShown()
    }

    /// The render options the session's settings imply, for the result stream.
    var renderOptions: RenderOptions {
        var renderOptions = RenderOptions()
        renderOptions.format = options.format
        renderOptions.color = redirect == nil && colorEnabled
        renderOptions.maxRows = redirect == nil ? options.maxRows : 0
        renderOptions.maxColumnWidth = options.maxWidth
        renderOptions.headers = options.headers
        // A table wider than the terminal would wrap into an unreadable grid: panels of its columns
        // or one row per block instead (the pager, when on, scrolls it sideways; files and pipes get
        // the table).
        if options.wide != .wrap, !options.pager, redirect == nil, out.isTerminal {
            renderOptions.screenWidth = Pager.terminalColumns()
            renderOptions.wide = options.wide
        }
        return renderOptions
    }

    /// Where results go: standard output, or the file of `.output`/`.once`.
    /// Wipes the progress line first, so that output starts at the beginning of a clean line.
    var results: FileSink {
        activityLine?.finish()
        return redirect?.sink ?? out
    }

    /// Where notes go (load summaries, confirmations, footnotes, model explanations, timings):
    /// standard output only for the table format on a terminal, so a terminal reads as before
    /// and machine formats or a redirected stdout carry nothing but results (docs/language.md).
    var notes: FileSink {
        activityLine?.finish()
        return options.format == .table && out.isTerminal && redirect == nil ? out : err
    }

    /// A result that is text (help, explain, show sql, a tutorial lesson).
    func emit(_ text: String) {
        results.write(text.hasSuffix("\n") ? text : text + "\n")
        resultShown()
    }

    /// A note (a confirmation or a summary) on the notes stream; silent while `quiet`.
    func say(_ line: String) {
        guard !quiet else { return }
        notes.write(line + "\n")
    }
}

func formatSeconds(_ d: Duration) -> String {
    let (s, atto) = d.components
    let seconds = Double(s) + Double(atto) / 1e18
    return String(format: "%.3f s", seconds)
}
