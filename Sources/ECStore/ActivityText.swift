import Synchronization

/// What a connection is busy with, in words (`Database.during`), readable from another thread:
/// the shell's progress line is drawn by a thread of its own, so that it keeps moving through
/// steps that run no SQLite VM steps (an index sort, a commit, a model fit in Swift).
///
/// `generation` grows at every change, so a reader can tell that the work moved on.
public final class ActivityText: Sendable {
    private let state = Mutex<(text: String?, generation: Int)>((nil, 0))

    public init() {}

    /// The text now, and how many changes it has seen.
    public var current: (text: String?, generation: Int) { state.withLock { $0 } }

    public var text: String? { state.withLock { $0.text } }

    func set(_ text: String?) {
        state.withLock { $0 = (text, $0.generation + 1) }
    }
}
