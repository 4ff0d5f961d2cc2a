import ECStore
import Foundation
import Synchronization

/// The shell's signal handlers: Ctrl-C raises a flag instead of killing the process.
///
/// SIGINT only raises `InterruptFlag.shared` (atomic stores, which are
/// async-signal-safe: the flag, and `sqlite3_interrupt`'s on the connection a
/// statement runs on, as SQLite's own shell does). It is installed without
/// `SA_RESTART`, so a blocking `poll`/`read` returns EINTR and the line reader
/// notices at once; a running query notices at its next VM check (or the
/// progress handler `Database` installs) and fails with SQLITE_INTERRUPT. SIGWINCH only records that the terminal was resized,
/// for readline to pick up between keys (its own handlers are off).
public enum SignalHandling {
    /// Set by SIGWINCH; the readline loop resizes and clears it.
    static let terminalResized = Atomic<Bool>(false)

    /// Installs the SIGINT and SIGWINCH handlers (idempotent).
    public static func install() {
        // Touch the globals now: their lazy initialisation must not run inside a handler.
        _ = InterruptFlag.shared.isRaised
        _ = terminalResized.load(ordering: .relaxed)
        InterruptFlag.shared.watchesConnections = true
        setHandler(SIGINT) { _ in InterruptFlag.shared.raise() }
        setHandler(SIGWINCH) { _ in SignalHandling.terminalResized.store(true, ordering: .relaxed) }
        // A launcher may have left them blocked (the mask is inherited): Ctrl-C must get through.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGWINCH)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }

    /// Restores the default SIGINT and SIGWINCH behaviour.
    public static func uninstall() {
        InterruptFlag.shared.watchesConnections = false
        signal(SIGINT, SIG_DFL)
        signal(SIGWINCH, SIG_DFL)
    }

    private static func setHandler(_ signal: Int32, _ handler: @convention(c) (Int32) -> Void) {
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = handler
        #else
        action.__sigaction_u.__sa_handler = handler
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0  // no SA_RESTART: blocking reads must wake up with EINTR
        sigaction(signal, &action, nil)
    }
}
