import Foundation

/// A thread that works until its owner stops it, sharing a lock and condition with it: the log's
/// writeback during a big write (`LogWriteback`), the copy of a staged load's parts (`LogFollower`).
/// A subclass sets its own state, then calls `init(name:stackSize:)`, which starts `work()`; `work`
/// returns once `stopping` is set (it reads it under `condition`), and `stop` waits for that.
class WorkerThread: @unchecked Sendable {
    let condition = NSCondition()
    /// Set by `stop`, under `condition`.
    private(set) var stopping = false
    /// Cleared, under `condition`, once `work` has returned.
    private(set) var running = true

    init(name: String, stackSize: Int) {
        let thread = Thread { [self] in
            work()
            condition.lock()
            running = false
            condition.broadcast()
            condition.unlock()
        }
        thread.name = name
        thread.stackSize = stackSize
        thread.start()
    }

    /// The thread's work; returns once `stopping` is set.
    func work() {}

    /// Tells the thread to stop and waits until its work has returned.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while running { condition.wait() }
        condition.unlock()
    }
}
