import Foundation
import Synchronization
import ECStore
import ECLanguage
import ECAnalytics

/// The vocabulary tab completion offers, refreshed after each statement.
/// Kept in a Mutex because readline's completion callback is a C function.
final class CompletionNames: Sendable {
    private let vocabulary = Mutex(CompletionVocabulary())
    func set(_ new: CompletionVocabulary) { vocabulary.withLock { $0 = new } }
    var current: CompletionVocabulary { vocabulary.withLock { $0 } }
}

extension Session {
    /// How a statement typed at the prompt is named in errors.
    static let interactiveSourceName = "<input>"

    /// The interactive loop: readline on a terminal, with history and completion.
    func runInteractive() {
        isInteractive = true
        let reader = LineReaders.standardInput()
        defer { reader.close() }
        let names = CompletionNames()
        names.set(completionVocabulary())
        if let readline = reader as? ReadlineLineReader {
            readline.completer = { line, wordStart, word in
                ContextCompleter(vocabulary: names.current).readlineMatches(line: line, wordStart: wordStart, word: word)
            }
        }
        if reader.isInteractive {
            out.write("ecsh \(ShellInfo.version) — help lists commands, tutorial teaches the KPI framework, quit leaves.\n")
            if database.engine == .postgresql {
                out.write("workspace: \(database.engineDescription)\n")
            } else {
                out.write(database.path.map { "workspace: \($0)\n" } ?? "workspace: in memory (give a file name to keep your work: ecsh shop.db)\n")
            }
            out.flush()
        }
        let repl = Repl(reader: reader,
                        stopRequested: { [unowned self] in self.quitRequested },
                        execute: { [unowned self] text in
                            self.interrupted = false
                            self.run(text: text, sourceName: Self.interactiveSourceName)
                            names.set(self.completionVocabulary())
                            if !self.database.isInTransaction { self.warnedAboutOpenTransaction = false }
                        })
        while true {
            let ending = repl.run()
            guard ending == .endOfInput || quitRequested else { continue }
            // Leaving would discard what `sql BEGIN` started: ask once; quitting again discards it
            // (Launcher rolls it back and says so).
            if reader.isInteractive, database.isInTransaction, !warnedAboutOpenTransaction {
                warnedAboutOpenTransaction = true
                quitRequested = false
                err.write(Self.openTransactionQuestion)
                err.flush()
                continue
            }
            break
        }
        // A big write's log (a load, a facts build) may still be on its way into the workspace file
        // (`Database.finishLogCopy`): say why quitting waits.
        if database.isCopyingLog, err.isTerminal { err.write("saving the last changes to the workspace file…\n") }
        database.finishLogCopy()
    }

    static let openTransactionQuestion = "an open transaction (sql BEGIN) has changes not committed yet: "
        + "sql COMMIT keeps them, sql ROLLBACK discards them; quit again (or Ctrl-D) to leave and discard them\n"

    /// A transaction the user opened with `sql BEGIN` and left open when the session ends: rolled
    /// back, as SQLite and PostgreSQL do when the connection closes, but never silently.
    func rollBackOpenTransaction() {
        guard database.isInTransaction else { return }
        activityLine?.finish()
        database.rollBack()
        err.write("note: an open transaction (sql BEGIN) was rolled back: its changes were discarded (sql COMMIT keeps them)\n")
        err.flush()
    }

    /// Loads the bundled sample shop (samples/shop) into this workspace.
    func loadDemo() -> Bool {
        var generated: String?
        defer { if let generated { try? FileManager.default.removeItem(atPath: generated) } }
        let folder: String
        if let found = Self.sampleShopFolder() {
            folder = found
        } else {
            // An installed binary has no samples folder: the generator is deterministic, so make
            // the same shop in a scratch folder, load it into this (in-memory) workspace and remove the files.
            let scratch = NSTemporaryDirectory() + "ecsh-sample-shop-\(getpid())"
            do {
                _ = try SampleShop.generate(.committedSample, into: scratch)
            } catch {
                err.write(renderPlain(message: "cannot find the sample shop (samples/shop) nor generate it: \(error)",
                                      help: "run ecsh from the project folder, or set ECSH_SAMPLES to the samples folder"))
                return false
            }
            generated = scratch
            folder = scratch
            say("samples/shop not found: generated the same sample shop (seed 42, 2023-01-01 to 2024-12-31) in memory")
        }
        let script = [("orders", "orders.csv"), ("customers", "customers.csv"), ("spend", "ad_spend.csv"),
                      ("traffic", "traffic.csv"), ("nps", "nps.csv")]
            .map { "load \($0.0) from '\(folder)/\($0.1)'" }.joined(separator: "\n")
        // The sample shop is a Japanese shop: its days are Tokyo days.
        let setZone = (try? metricSettings().timezone) == nil ? "set timezone 'Asia/Tokyo'\n" : ""
        let saved = options.echo
        options.echo = false
        quiet = true
        let loaded = run(text: setZone + script, sourceName: "<demo>")
        options.echo = saved
        quiet = false
        guard loaded else { return false }
        // One line, free of local paths, so transcripts read the same on every machine.
        let counts = (try? database.query("SELECT name, rows FROM ecsh_datasets ORDER BY \(database.insertionOrder)").rows) ?? []
        say("sample shop loaded: " + counts.map { "\($0[0]) \(grouped(Int($0[1].intValue ?? 0)))" }.joined(separator: ", "))
        return true
    }

    /// samples/shop in the current folder (kept relative, so `tables` shows the same
    /// source everywhere), under ECSH_SAMPLES, or beside the executable's package.
    static func sampleShopFolder() -> String? {
        var candidates: [String] = ["samples/shop"]
        if let env = ProcessInfo.processInfo.environment["ECSH_SAMPLES"] { candidates.append(env + "/shop") }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(dir.appendingPathComponent("samples/shop").path)
            dir = dir.deletingLastPathComponent()
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/orders.csv") }
    }
}
