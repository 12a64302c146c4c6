import Synchronization

/// The moment a pooled client is replaced after an outage: raised once, and every waiter (past or future) returns.
/// (The pool also uses one as a latch for "this client's `run()` has started".)
///
/// Operations started on a client wait on it beside their work, so that one stalled on a connection of the
/// replaced client (a server that went away mid-query, a black-holed path) is abandoned when the fresh client
/// takes over, instead of waiting out its operation timeout while later work queues behind it.
final class PoolRetirement: Sendable {
    private struct State {
        var retired = false
        var nextToken: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    /// Whether the client was replaced.
    var isRetired: Bool { state.withLock { $0.retired } }

    /// Marks the client replaced and wakes every waiter; later calls do nothing.
    func retire() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.retired else { return [] }
            state.retired = true
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the client is replaced, at once if it already was, or when the calling task is cancelled.
    func wait() async {
        let token = state.withLock { state -> UInt64 in
            state.nextToken += 1
            return state.nextToken
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.retired || Task.isCancelled { return true }
                    state.waiters[token] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: token) }?.resume()
        }
    }
}
