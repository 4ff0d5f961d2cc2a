import Glibc

/// What SQLite calls back into while a statement runs: the progress handler (Ctrl-C, and the
/// progress shown for long steps) and the busy handler (waiting for another writer).
///
/// One object per connection, passed to SQLite as the callbacks' context; it is only touched on
/// the thread that runs the connection's statements.
final class ConnectionHooks {
    let interruptFlag: InterruptFlag
    /// Called from SQLite's progress handler (every few thousand VM steps) while something is
    /// registered: the session draws a progress line when a step runs longer than a second.
    var onProgress: (() -> Void)?
    /// Told once per wait, after about a second, what the connection is waiting for.
    var onBusy: ((String) -> Void)?
    /// How long a writer waits for another connection's write lock before giving up.
    var busyTimeout: Double = 600
    /// What the wait message names.
    var workspaceName = "the workspace"

    private var waitStarted = 0.0
    private var told = false

    init(interruptFlag: InterruptFlag) {
        self.interruptFlag = interruptFlag
    }

    /// Progress handler: non-zero stops the statement (SQLITE_INTERRUPT).
    func progress() -> Int32 {
        if interruptFlag.isRaised { return 1 }
        onProgress?()
        return 0
    }

    /// Busy handler: sleeps and asks SQLite to retry (non-zero), or gives up (zero: SQLITE_BUSY).
    func busy(attempt: Int32) -> Int32 {
        let now = Self.now()
        if attempt == 0 { waitStarted = now; told = false }
        if interruptFlag.isRaised { return 0 }
        let waited = now - waitStarted
        if waited >= busyTimeout { return 0 }
        if !told, waited >= 1 {
            told = true
            onBusy?("waiting for \(workspaceName): another connection (a load or a statement in another ecsh, or another program) is writing to it; Ctrl-C stops waiting")
        }
        usleep(attempt < 10 ? 5_000 : 25_000)
        return 1
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
