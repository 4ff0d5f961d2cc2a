import ECStore
import ECLanguage
import ECAnalytics

/// Turns every kind of error into a located diagnostic on standard error.
extension Session {
    func report(_ error: Error, statement: StatementText, source: Source) {
        if error is AlreadyReported { return }
        let renderer = DiagnosticRenderer(color: errorColorEnabled)
        // Only the errors not tied to a word look at the statement's first line (a 1 MB line costs a pass).
        var whole: SourceRange { statementRange(statement) }
        let diagnostic: Diagnostic
        var extra: String?
        switch error {
        case let d as Diagnostic:
            diagnostic = d
        case let e as ShellError:
            diagnostic = Diagnostic(e.message, at: e.range ?? whole, note: e.help)
        case let e as SQLFailure where e.error.isReadOnly || e.error.isBusy:
            diagnostic = Diagnostic(workspaceMessage(e.error), at: e.raw.range, note: workspaceHelp(e.error))
        case let e as DatabaseError where e.isReadOnly || e.isBusy:
            diagnostic = Diagnostic(workspaceMessage(e), at: whole, note: workspaceHelp(e))
        case let e as SQLFailure:
            diagnostic = Diagnostic(e.error.message, at: e.error.offset.map { e.raw.range(ofUTF8Offset: $0) } ?? e.raw.range,
                                    note: "the SQL is passed to SQLite as written; 'tables' and 'describe NAME' show the names available")
        case let e as DatabaseError where e.isInterrupt:
            reportInterrupt(statement: statement, source: source, renderer: renderer, note: Self.freeSpaceNote(database))
            return
        case let e as PostgresError where e.isCancelled:
            // Ctrl-C: libpq's PQcancel stopped the statement on the server, as SQLite's interrupt does locally.
            reportInterrupt(statement: statement, source: source, renderer: renderer, note: "")
            return
        case let e as PostgresError:
            let help = [e.detail, e.hint].compactMap { $0 }.joined(separator: "; ")
            let note = e.isConnection ? "the connection to the server failed; check it is running and reachable, then open the workspace again"
                : e.isFull ? "nothing this statement wrote was kept; free space on the server and run it again"
                : help.isEmpty ? nil : help
            diagnostic = Diagnostic("PostgreSQL: \(e.message)", at: whole, note: note)
        case let e as DatabaseError where e.isFull:
            let tmp = TemporaryFile.folder
            diagnostic = Diagnostic(e.message, at: whole, note: Self.fullHelp(temporaryFolder: tmp, free: TemporaryFile.freeBytes(in: tmp)))
        case let e as LoadError:
            // The statement is right; the data file is wrong: name the file position first.
            let what = (e.field.map { "field '\($0)': " } ?? "") + (e.rawValue.map { "'\($0.prefix(80))' " } ?? "")
            diagnostic = Diagnostic("cannot load '\(e.file)': \(what)\(e.reason)", at: whole, note: e.help)
            extra = "  --> \(e.place)\n"
                + "  nothing was loaded; the workspace is as it was\n"
        case let e as CLVError:
            diagnostic = Diagnostic(e.description, at: whole, note: e.help)
        default:
            diagnostic = Diagnostic("\(error)", at: whole)
        }
        err.write(renderer.render(diagnostic, in: source))
        if let extra { err.write(extra) }
        err.write(Inclusion.chain(inclusions))
    }

    /// Ctrl-C stopped the statement. At the prompt `interrupted` under the `^C`; in a script (or `-c`) where,
    /// since the script stops there: a script run to its end and one stopped halfway must not look alike.
    private func reportInterrupt(statement: StatementText, source: Source, renderer: DiagnosticRenderer, note: String) {
        interrupted = true
        if source.name == Self.interactiveSourceName {
            err.write("\ninterrupted\n" + note)
            return
        }
        let rest = source.name.hasPrefix("<command line") ? "" : ": the statements after it were not run"
        err.write((err.isTerminal ? "\n" : "") + renderer.render(Diagnostic("interrupted (Ctrl-C)\(rest)", at: statementRange(statement)), in: source) + note)
        err.write(Inclusion.chain(inclusions))
    }

    /// After Ctrl-C stops a big write (a load of a million rows), SQLite keeps the pages the file grew by as
    /// free pages: the file stays as large (59 MB for a 1-row table). Not vacuumed unasked: VACUUM rewrites
    /// all the live data (0.1 s when little is left, 2.4 s for a 200 MB workspace of 1M orders, and it
    /// needs that much free disk), so the note names the way out. "" for memory, PostgreSQL or under 16 MB.
    /// The interrupt flag, still raised for the script runner to stop on, is lowered for the two PRAGMAs.
    /// (In WAL mode the file shrinks at the checkpoint on closing: measured 73 MB → 192 KB.)
    static func freeSpaceNote(_ database: Database) -> String {
        guard database.path != nil else { return "" }
        let flag = database.interruptFlag
        let raised = flag.isRaised
        flag.clear()
        defer { if raised { flag.raise() } }
        guard let free = try? database.scalar("PRAGMA main.freelist_count").intValue,
              let size = try? database.scalar("PRAGMA main.page_size").intValue else { return "" }
        let megabytes = (Int(free) * Int(size)) >> 20
        guard megabytes >= 16 else { return "" }
        return "the workspace file keeps \(megabytes) MB of free space from the rolled-back work; `sql VACUUM` gives it back to the disk when the workspace is closed\n"
    }

    /// A read-only or locked workspace in plain words (SQLite says "attempt to write a readonly database").
    func workspaceMessage(_ e: DatabaseError) -> String {
        let name = database.path.map { "'\($0)'" } ?? "the workspace"
        if e.isReadOnly { return "\(name) is read-only: this statement needs to write to it" }
        return "\(name) is busy: another connection kept it locked for \(Int(database.busyTimeout)) s"
    }

    /// SQLite's "database or disk is full": the workspace's disk, or the folder of SQLite's temporary files (sorts
    /// for an index, a large join), `TMPDIR`, which may be a small RAM-backed one with the workspace's disk far from
    /// full. That folder is named when it has less free than a scratch file keeps (`ScratchRoom.standard`).
    static func fullHelp(temporaryFolder: String, free: Int?) -> String {
        let kept = "nothing this statement wrote was kept; "
        if let free, free < ScratchRoom.standard.reserve {
            return kept + "SQLite's temporary files go to \(temporaryFolder) (TMPDIR), which has \(free >> 20) MB free: "
                + "set TMPDIR to a folder with more room (or free some there) and run it again"
        }
        return kept + "free some disk space and run it again"
    }

    func workspaceHelp(_ e: DatabaseError) -> String {
        if e.isReadOnly {
            return "this user may not write the file or its folder; statements that only read (kpi, cohort, sql SELECT, tables) work; copy the file somewhere writable to change it"
        }
        return "another ecsh or program is loading or writing; nothing this statement wrote was kept: run it again when that is done"
    }

    /// The range of a whole statement (for errors not tied to one word).
    func statementRange(_ s: StatementText) -> SourceRange { s.firstLineRange }

    /// A message without a source position (a file that cannot be read, a nesting limit).
    func renderPlain(message: String, help: String?) -> String {
        var text = (errorColorEnabled ? "\u{1B}[1;31merror\u{1B}[0m" : "error") + ": \(message)\n"
        if let help { text += "  = help: \(help)\n" }
        return text
    }
}
