import Foundation
import Synchronization

/// A level-triggered wake-up: `signal()` wakes current waiters, or the next `wait()` if none is waiting.
///
/// A signal is also *raised* until `takeRaised()` reads it; `nudge()` wakes the same way without raising, for
/// a waiter that only has to look at something in memory (the delivery engine's hand-offs), not do its work again.
package final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var raised = false
        var nextToken: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var cancelled: Set<UInt64> = []
        var followers: [WakeSignal] = []
    }

    private let state = Mutex(State())

    /// Creates a signal with nothing pending.
    package init() {}

    /// Raises the signal: wakes every waiter, or marks the signal pending when nobody waits.
    package func signal() {
        wake(raising: true)
    }

    /// Wakes every waiter (or marks the signal pending) without raising it; followers are signalled as by `signal()`.
    package func nudge() {
        wake(raising: false)
    }

    /// Whether the signal was raised since the last call; clears it.
    package func takeRaised() -> Bool {
        state.withLock { state in
            defer { state.raised = false }
            return state.raised
        }
    }

    private func wake(raising: Bool) {
        let (waiters, followers) = state.withLock { state -> ([CheckedContinuation<Void, Never>], [WakeSignal]) in
            if raising { state.raised = true }
            guard !state.waiters.isEmpty else {
                state.pending = true
                return ([], state.followers)
            }
            defer { state.waiters.removeAll() }
            return (Array(state.waiters.values), state.followers)
        }
        for waiter in waiters { waiter.resume() }
        for follower in followers { follower.signal() }
    }

    /// Raises `other` too whenever this signal is raised (e.g. commits also wake the broadcaster).
    package func forward(to other: WakeSignal) {
        state.withLock { $0.followers.append(other) }
    }

    /// Suspends until signalled or cancelled; returns at once if a signal is pending.
    package func wait() async {
        let token = state.withLock { state -> UInt64 in
            state.nextToken += 1
            return state.nextToken
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.cancelled.remove(token) != nil { return true }
                    if state.pending {
                        state.pending = false
                        return true
                    }
                    state.waiters[token] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                if let waiter = state.waiters.removeValue(forKey: token) { return waiter }
                state.cancelled.insert(token)
                return nil
            }
            waiter?.resume()
        }
        _ = state.withLock { $0.cancelled.remove(token) }
    }

    /// Suspends until signalled, until `deadline` on `clock` (if given), or until cancelled.
    package func wait(until deadline: Date?, on clock: some HooklineClock) async {
        guard let deadline else {
            await wait()
            return
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.wait() }
            group.addTask { try? await clock.sleep(until: deadline) }
            await group.next()
            group.cancelAll()
        }
    }
}

/// A one-way flag a shutdown handler raises and a loop checks.
final class StopFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    /// Whether the flag is raised.
    var isRaised: Bool { raised.load(ordering: .relaxed) }

    /// Raises the flag.
    func raise() { raised.store(true, ordering: .relaxed) }
}

/// A flag one task sets and others read (the engine's "a recorded batch may free held rows").
final class SharedFlag: Sendable {
    private let value: Atomic<Bool>

    /// Creates a flag with `initial` set.
    init(_ initial: Bool) { value = Atomic(initial) }

    /// Whether the flag is set.
    var isSet: Bool { value.load(ordering: .relaxed) }

    /// Sets or clears the flag.
    func set(_ newValue: Bool) { value.store(newValue, ordering: .relaxed) }
}

/// A one-shot event: `finish()` once, and every `wait()` — before or after — returns.
package final class Completion: Sendable {
    private struct State {
        var finished = false
        var nextToken: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var cancelled: Set<UInt64> = []
    }

    private let state = Mutex(State())

    /// Creates an unfinished event.
    package init() {}

    /// Marks the event finished and wakes every waiter.
    package func finish() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.finished = true
            state.cancelled.removeAll()
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Suspends until the event is finished or the task is cancelled (check `Task.isCancelled` after).
    package func wait() async {
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
