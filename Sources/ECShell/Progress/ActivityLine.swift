import Foundation
import Glibc
import Synchronization
import ECStore

/// A one-line progress display on the terminal for any step that runs longer than a second
/// (building the customer facts, a slow SQL route, a model fit, a load's commit), like the load's bar.
///
/// Drawn by a thread of its own (`Drawer`), five times a second once the statement has run for a second, so
/// that it keeps moving where the statement's thread is busy outside SQLite's VM (an index sort, a
/// commit, a fit in Swift) and needs no cooperation from the code that runs the statement: it says
/// what the connection is doing (`Database.activity`), or the statement's first word, and for how
/// long. Drawn only when standard error is a terminal and a person is typing; scripts' output never
/// sees it, and no thread is started for them.
///
/// Output of the statement's own goes through `finish()` first (`Session.results`, `notes`): that
/// wipes the line and holds it back until the statement shows it is working again (SQLite steps,
/// `tick()`, or a new `Database.during`), so the line is never drawn into a result. `end()` wipes
/// it for good when the statement ends.
final class ActivityLine {
    private let shared: Shared?

    init(enabled: Bool, database: Database, statement: String) {
        guard enabled else { shared = nil; return }
        let shared = Shared(descriptor: 2, activity: database.activityText,
                            fallback: "running " + Self.firstWord(of: statement))
        self.shared = shared
        Drawer.shared.show(shared)
    }

    /// The statement's first word (at most 64 Characters), looking no further: splitting all of
    /// a 1 MB statement into words took a third of the time its error took.
    static func firstWord(of statement: String) -> String {
        let isSeparator: (Character) -> Bool = { $0 == " " || $0 == "\n" }
        let word = statement.drop(while: isSeparator).lazy.prefix(while: { !isSeparator($0) }).prefix(64)
        return word.isEmpty ? "statement" : String(word)
    }

    /// Called from SQLite's progress handler: the statement is working (releases `finish`'s hold).
    func tick() {
        shared?.ticks.add(1, ordering: .relaxed)
    }

    /// Wipes the line, if it was drawn, and holds it back until the statement works on.
    func finish() {
        shared?.hold()
    }

    /// Wipes the line for good: the statement has ended.
    func end() {
        guard let shared else { return }
        shared.stop()
        Drawer.shared.remove(shared)
    }

    /// A line never ended (it cannot happen through `Session.execute`) must not go on being drawn.
    deinit { end() }

    /// The one thread that draws the lines, started with the first line and kept for the process:
    /// a thread per statement piled up by the hundred when a pasted script ran thousands of quick
    /// statements. It draws the newest line shown (a statement run by `run` over the `run`'s).
    final class Drawer: Sendable {
        static let shared = Drawer()
        private let lines = Mutex<[Shared]>([])
        private let started = Atomic<Bool>(false)

        func show(_ line: Shared) {
            lines.withLock { $0.append(line) }
            guard started.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
            let thread = Thread { [self] in
                while true {
                    usleep(200_000)
                    lines.withLock { $0.last }.map { _ = $0.drawIfDue() }
                }
            }
            thread.name = "ecsh progress line"
            thread.start()
        }

        func remove(_ line: Shared) {
            lines.withLock { $0.removeAll { $0 === line } }
        }
    }

    /// Wipes the line and draws nothing while `body` runs: a statement of a script that `run`
    /// runs has its own line, and the labels it sets are its own, not the `run`'s.
    func suspended<T>(_ body: () throws -> T) rethrows -> T {
        shared?.suspend(true)
        defer { shared?.suspend(false) }
        return try body()
    }

    /// What the drawing thread and the statement's thread share.
    final class Shared: Sendable {
        struct State {
            var shown = false
            var stopped = false
            var suspended = false
            /// Ticks and activity generation when the line was held back; nil when not held.
            var heldAt: (ticks: Int, generation: Int)?
        }

        let descriptor: Int32
        let activity: ActivityText
        let fallback: String
        let started: Double
        let ticks = Atomic<Int>(0)
        private let state = Mutex(State())
        private static let frames = Array("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")

        init(descriptor: Int32, activity: ActivityText, fallback: String, started: Double = Shared.now()) {
            self.descriptor = descriptor
            self.activity = activity
            self.fallback = fallback
            self.started = started
        }

        /// Draws the line when it is due; false once stopped.
        func drawIfDue() -> Bool {
            let elapsed = Self.now() - started
            let now = activity.current
            let ticksNow = ticks.load(ordering: .relaxed)
            return state.withLock { s in
                if s.stopped { return false }
                guard elapsed >= 1.0, !s.suspended else { return true }
                if let held = s.heldAt {
                    guard held.ticks != ticksNow || held.generation != now.generation else { return true }
                    s.heldAt = nil
                }
                let frame = Self.frames[Int(elapsed * 5) % Self.frames.count]
                // Cleared first: the line may take the place of the load's bar, which is longer.
                let stop = now.stoppable ? " (Ctrl-C stops it)" : ""
                write("\r\u{1B}[K\(frame) \(now.text ?? fallback) … \(Int(elapsed)) s\(stop) ")
                s.shown = true
                return true
            }
        }

        func hold() {
            let at = (ticks: ticks.load(ordering: .relaxed), generation: activity.current.generation)
            state.withLock { s in
                s.heldAt = at
                wipe(&s)
            }
        }

        /// While suspended nothing is drawn; afterwards the line is held until the statement works on.
        func suspend(_ on: Bool) {
            let at = (ticks: ticks.load(ordering: .relaxed), generation: activity.current.generation)
            state.withLock { s in
                s.suspended = on
                s.heldAt = at
                wipe(&s)
            }
        }

        func stop() {
            state.withLock { s in
                s.stopped = true
                wipe(&s)
            }
        }

        private func wipe(_ s: inout State) {
            guard s.shown else { return }
            s.shown = false
            write("\r\u{1B}[K")
        }

        private func write(_ text: String) {
            var bytes = Array(text.utf8)
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeMutableBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
                if n < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += n
            }
        }

        static func now() -> Double {
            var ts = timespec()
            clock_gettime(CLOCK_MONOTONIC, &ts)
            return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
        }
    }
}
