import Synchronization

/// A process-wide flag a signal handler sets to ask running queries to stop.
///
/// The SIGINT handler only stores `true`; SQLite's progress handler reads it
/// and makes the running step fail with SQLITE_INTERRUPT.
public final class InterruptFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    public init() {}

    /// Raise the flag (async-signal-safe: one atomic store).
    public func raise() { raised.store(true, ordering: .relaxed) }
    public func clear() { raised.store(false, ordering: .relaxed) }
    public var isRaised: Bool { raised.load(ordering: .relaxed) }

    /// The flag the shell's SIGINT handler raises.
    public static let shared = InterruptFlag()
}
