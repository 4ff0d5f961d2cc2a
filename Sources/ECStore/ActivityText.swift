import Synchronization

/// What a connection is busy with, in words (`Database.during`), readable from another thread:
/// the shell's progress line is drawn by a thread of its own, so that it keeps moving through
/// steps that run no SQLite VM steps (an index sort, a commit, a model fit in Swift).
///
/// `generation` grows at every change, so a reader can tell that the work moved on; `stoppable` is
/// false for a step Ctrl-C cannot stop (a commit: the progress line then does not offer it).
public final class ActivityText: Sendable {
    public struct Current: Sendable {
        public var text: String?
        public var stoppable: Bool
        public var generation: Int
    }

    private let state = Mutex(Current(text: nil, stoppable: true, generation: 0))

    public init() {}

    /// The text now, whether Ctrl-C stops the step, and how many changes the text has seen.
    public var current: Current { state.withLock { $0 } }

    public var text: String? { state.withLock { $0.text } }

    func set(_ text: String?, stoppable: Bool) {
        state.withLock { $0 = Current(text: text, stoppable: stoppable, generation: $0.generation + 1) }
    }
}
