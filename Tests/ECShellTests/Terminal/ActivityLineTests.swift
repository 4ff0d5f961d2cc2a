@testable import ECShell
import ECStore
import Foundation
import Glibc
import Testing

/// Issue 15, progress: what the progress line's own thread draws, and when it holds back,
/// step by step into a pipe (the thread itself is checked in tmux by ProgressLineTests).
@Suite struct ActivityLineTests {
    /// A pipe whose read end does not block: what was drawn since the last call.
    final class Screen {
        let read: Int32, write: Int32
        init() throws {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { throw POSIXError(.EMFILE) }
            (read, write) = (fds[0], fds[1])
            _ = fcntl(read, F_SETFL, fcntl(read, F_GETFL) | O_NONBLOCK)
        }
        func drawn() -> String {
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = Glibc.read(read, &buffer, buffer.count)
                if n <= 0 { break }
                bytes += buffer[0..<n]
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        deinit { close(read); close(write) }
    }

    @Test func drawsWhatRunsHoldsBackAfterOutputAndStops() throws {
        let db = try Database()
        let screen = try Screen()
        let now = ActivityLine.Shared.now()
        // Not before the first second.
        let young = ActivityLine.Shared(descriptor: screen.write, activity: db.activityText, fallback: "running kpi", started: now)
        #expect(young.drawIfDue())
        #expect(screen.drawn() == "")

        let line = ActivityLine.Shared(descriptor: screen.write, activity: db.activityText, fallback: "running kpi", started: now - 2.5)
        #expect(line.drawIfDue())
        let first = screen.drawn()
        #expect(first.hasPrefix("\r\u{1B}[K"), "cleared first: it may replace the load's longer bar")
        #expect(first.contains(" running kpi … 2 s (Ctrl-C stops it) "), "\(first)")

        // Output of the statement's own: wiped, then nothing drawn until the statement works on.
        line.hold()
        #expect(screen.drawn() == "\r\u{1B}[K")
        #expect(line.drawIfDue())
        #expect(screen.drawn() == "")
        // SQLite steps (the progress handler) release it.
        line.ticks.add(1, ordering: .relaxed)
        #expect(line.drawIfDue())
        #expect(screen.drawn().contains("running kpi … "))

        // A step that says what it does, and one that Ctrl-C cannot stop.
        line.hold()
        _ = screen.drawn()
        db.during("building the customer facts") {
            #expect(line.drawIfDue())
            #expect(screen.drawn().contains(" building the customer facts … 2 s (Ctrl-C stops it) "))
            db.during("saving the load to the workspace file", stoppable: false) {
                #expect(line.drawIfDue())
                let saving = screen.drawn()
                #expect(saving.contains(" saving the load to the workspace file … 2 s "), "\(saving)")
                #expect(!saving.contains("Ctrl-C"), "a commit cannot be stopped: \(saving)")
            }
            #expect(db.activityText.current.stoppable && db.activity == "building the customer facts")
        }
        #expect(db.activity == nil)

        // The statement ends: wiped for good, and the thread's next turn ends it.
        line.stop()
        #expect(screen.drawn() == "\r\u{1B}[K")
        #expect(!line.drawIfDue())
        #expect(screen.drawn() == "")
    }
}

extension ActivityLineTests {
    /// `run 'script.ecsh'`: while one of its statements runs (with its own line and labels), the
    /// `run`'s line draws nothing, and afterwards waits for the `run` to work on.
    @Test func aSuspendedLineDrawsNothingWhateverTheLabels() throws {
        let db = try Database()
        let screen = try Screen()
        let line = ActivityLine.Shared(descriptor: screen.write, activity: db.activityText, fallback: "running run",
                                       started: ActivityLine.Shared.now() - 3)
        #expect(line.drawIfDue())
        #expect(screen.drawn().contains("running run … 3 s"))
        line.suspend(true)
        #expect(screen.drawn() == "\r\u{1B}[K")
        db.during("building the customer facts") {
            line.ticks.add(1, ordering: .relaxed)
            #expect(line.drawIfDue())
            #expect(screen.drawn() == "", "the run's line drew over its statement's")
        }
        line.suspend(false)
        #expect(line.drawIfDue())
        #expect(screen.drawn() == "")
        line.ticks.add(1, ordering: .relaxed)
        #expect(line.drawIfDue())
        #expect(screen.drawn().contains("running run … 3 s"))
        line.stop()
    }
}

/// When `set pager on` pages a result: taller than the screen, or (new) wider, counting what the
/// screen shows (colour escapes take no room; a wide character takes two).
@Suite struct PagerDecisionTests {
    @Test func tallOrWideResultsArePagedNarrowShortOnesAreNot() {
        let short = "┌──┐\n│ab│\n└──┘\n"
        #expect(!Pager.needsPaging(short, rows: 10, columns: 80))
        #expect(Pager.needsPaging(String(repeating: "x\n", count: 10), rows: 10, columns: 80))
        #expect(Pager.needsPaging(String(repeating: "x", count: 81) + "\n", rows: 10, columns: 80))
        #expect(!Pager.needsPaging(String(repeating: "x", count: 80) + "\n", rows: 10, columns: 80))
        // 80 visible characters in bold: fits.
        #expect(!Pager.needsPaging("\u{1B}[1m" + String(repeating: "x", count: 80) + "\u{1B}[0m\n", rows: 10, columns: 80))
        // 41 characters two columns wide: 82 columns.
        #expect(Pager.needsPaging(String(repeating: "顧", count: 41) + "\n", rows: 10, columns: 80))
        // Without a width, only height counts (as before).
        #expect(!Pager.needsPaging(String(repeating: "x", count: 200) + "\n", rows: 10))
    }
}
