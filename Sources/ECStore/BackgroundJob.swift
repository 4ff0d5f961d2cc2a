import Foundation

/// Work run once on a thread of its own, whose value is waited for later: the copy of a big write's
/// log into the workspace file (`LogCopy`), the snapshot's blocks cut beside the facts write.
public final class BackgroundJob<Value: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    /// Set once, under `condition`, when `body` has returned.
    private var result: Value?

    public init(name: String, stackSize: Int? = nil, _ body: @escaping @Sendable () -> Value) {
        let thread = Thread { [self] in
            let value = body()
            condition.lock()
            result = value
            condition.broadcast()
            condition.unlock()
        }
        thread.name = name
        if let stackSize { thread.stackSize = stackSize }
        thread.start()
    }

    /// Whether the work has ended.
    public var isFinished: Bool {
        condition.lock()
        defer { condition.unlock() }
        return result != nil
    }

    /// The work's value, once it has ended (waits until then).
    public func value() -> Value { waitForResult(letGo: false) }

    /// The work's value, once it has ended, moved out of the job: the job no longer holds it, so the
    /// caller's copy is the only one (arrays in it change in place, not copied). For one caller, once.
    public func take() -> Value { waitForResult(letGo: true) }

    private func waitForResult(letGo: Bool) -> Value {
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        defer { if letGo { result = nil } }
        return result!
    }
}
