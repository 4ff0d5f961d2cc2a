import CSQLite
import Synchronization

/// A process-wide flag a signal handler sets to ask running queries to stop.
///
/// The SIGINT handler stores `true`; SQLite's progress handler reads it and makes the running
/// step fail with SQLITE_INTERRUPT. The progress handler runs only between VM steps, every few
/// thousand of them: one step can run for seconds (a function over a large value, an index's
/// sort), and Ctrl-C would wait for it. So the connection running a statement is also watched
/// (`Database.interruptible`), and `raise` calls `sqlite3_interrupt` on it, as SQLite's own
/// shell does from its SIGINT handler: that is one atomic store in SQLite, which stops the step
/// at its next check.
///
/// Connections are watched only once `watchesConnections` is on: the shell turns it on with its
/// SIGINT handler (`SignalHandling.install`). A process that only raises the flag itself (tests
/// running many sessions at once) keeps the progress handler alone, so one test's Ctrl-C never
/// interrupts another test's statement.
public final class InterruptFlag: Sendable {
    private let raised = Atomic<Bool>(false)
    /// The sqlite3 handle of the statement running now (its bit pattern), or 0.
    private let watched = Atomic<UInt>(0)
    private let watching: Atomic<Bool>

    public init(watchesConnections: Bool = false) {
        watching = Atomic(watchesConnections)
    }

    /// Whether `raise` interrupts the watched connection too.
    public var watchesConnections: Bool {
        get { watching.load(ordering: .relaxed) }
        set {
            watching.store(newValue, ordering: .relaxed)
            if !newValue { watched.store(0, ordering: .releasing) }
        }
    }

    /// Raise the flag and interrupt the watched connection (async-signal-safe: atomic operations).
    public func raise() {
        raised.store(true, ordering: .relaxed)
        let handle = watched.load(ordering: .acquiring)
        if handle != 0 { sqlite3_interrupt(OpaquePointer(bitPattern: handle)) }
    }
    public func clear() { raised.store(false, ordering: .relaxed) }
    public var isRaised: Bool { raised.load(ordering: .relaxed) }

    /// Watches `handle` (nil: none) when connections are watched; returns the one watched before.
    func watch(_ handle: OpaquePointer?) -> OpaquePointer? {
        guard watchesConnections || handle == nil else { return nil }
        let old = watched.exchange(handle.map { UInt(bitPattern: $0) } ?? 0, ordering: .acquiringAndReleasing)
        return OpaquePointer(bitPattern: old)
    }

    /// Stops watching `handle` if it is the one watched (the connection is closing).
    func forget(_ handle: OpaquePointer) {
        _ = watched.compareExchange(expected: UInt(bitPattern: handle), desired: 0, ordering: .acquiringAndReleasing)
    }

    /// The flag the shell's SIGINT handler raises.
    public static let shared = InterruptFlag()
}
