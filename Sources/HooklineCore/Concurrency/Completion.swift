import Synchronization

/// A one-shot event: `finish()` once, and every `wait()` — before or after — returns.
public final class Completion: Sendable {
    private struct State {
        var finished = false
        var nextToken: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var cancelled: Set<UInt64> = []
    }

    private let state = Mutex(State())

    /// Creates an unfinished event.
    public init() {}

    /// Marks the event finished and wakes every waiter.
    public func finish() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.finished = true
            state.cancelled.removeAll()
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Suspends until the event is finished or the task is cancelled (check `Task.isCancelled` after).
    public func wait() async {
        let token = state.withLock { state -> UInt64 in
            state.nextToken += 1
            return state.nextToken
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.finished || state.cancelled.remove(token) != nil { return true }
                    state.waiters[token] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                if let waiter = state.waiters.removeValue(forKey: token) { return waiter }
                if !state.finished { state.cancelled.insert(token) }
                return nil
            }
            waiter?.resume()
        }
    }
}
