import Foundation
import ECStore

/// A one-line progress display on the terminal for any step that runs longer than a second
/// (building the customer facts, a slow SQL route), like the load's bar.
///
/// Driven by SQLite's progress handler (`Database.onProgress`, every few thousand steps), so it
/// costs nothing unless a statement runs long, and it needs no cooperation from the code that
/// runs the statement: it says what the connection is doing (`Database.activity`), or the
/// statement's first word, and for how long. Drawn only when standard error is a terminal and a
/// person is typing; scripts' output never sees it. The line is wiped when the statement ends.
final class ActivityLine {
    let sink: FileSink
    let enabled: Bool
    let started: Double
    let fallback: String
    private weak var database: Database?
    private var shown = false
    private var lastDraw = 0.0
    private var ticks = 0
    private static let frames = Array("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")

    init(sink: FileSink, enabled: Bool, database: Database, statement: String) {
        self.sink = sink
        self.enabled = enabled
        self.database = database
        self.started = Date.timeIntervalSinceReferenceDate
        self.fallback = "running " + Self.firstWord(of: statement)
    }

    /// The statement's first word (at most 64 Characters), looking no further: splitting all of
    /// a 1 MB statement into words took a third of the time its error took.
    static func firstWord(of statement: String) -> String {
        let isSeparator: (Character) -> Bool = { $0 == " " || $0 == "\n" }
        let word = statement.drop(while: isSeparator).lazy.prefix(while: { !isSeparator($0) }).prefix(64)
        return word.isEmpty ? "statement" : String(word)
    }

    /// Called from SQLite's progress handler.
    func tick() {
        guard enabled else { return }
        ticks += 1
        guard ticks % 16 == 0 else { return }  // a clock read every ~64k SQLite steps
        let elapsed = Date.timeIntervalSinceReferenceDate - started
        guard elapsed >= 1.0, elapsed - lastDraw >= 0.2 else { return }
        lastDraw = elapsed
        shown = true
        let frame = Self.frames[Int(elapsed * 5) % Self.frames.count]
        let what = database?.activity ?? fallback
        sink.write("\r\(frame) \(what) … \(Int(elapsed)) s (Ctrl-C stops it) ")
        sink.flush()
    }

    /// Wipes the line, if it was drawn.
    func finish() {
        guard shown else { return }
        shown = false
        sink.write("\r\u{1B}[K")
        sink.flush()
    }
}
