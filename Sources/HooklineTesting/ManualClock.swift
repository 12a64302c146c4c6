import Foundation
import HooklineCore
import Synchronization

/// A clock that moves only when a test advances it, waking sleepers whose deadline has passed.
package final class ManualClock: HooklineClock {
    private struct Sleeper {
        var deadline: Date
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var nextToken: UInt64 = 0
        var sleepers: [UInt64: Sleeper] = [:]
        var cancelled: Set<UInt64> = []
    }

    private let state: Mutex<State>
    private let slept = WakeSignal()

    /// Raised whenever a task starts sleeping on the clock: the moment a component under test goes idle.
    package var sleeps: WakeSignal { slept }

    /// Creates a clock reading `start`.
    package init(start: Date = Date(timeIntervalSince1970: 1_700_000_000)) {
        state = Mutex(State(now: start))
    }

    /// The current (manual) time.
    package func now() -> Date { state.withLock { $0.now } }

    /// How many tasks are sleeping on this clock.
    package var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// When the sleeping tasks wake, earliest first.
    package var deadlines: [Date] { state.withLock { $0.sleepers.values.map(\.deadline).sorted() } }

    /// Waits until at least `count` tasks sleep on the clock, re-checked as each falls asleep; false if `timeout` passed first.
    @discardableResult
    package func waitForSleepers(_ count: Int, timeout: Duration = .seconds(20)) async -> Bool {
        await Deadline.wait(timeout: timeout, signal: slept) { self.sleeperCount >= count }
    }

    /// Suspends until the clock is advanced to `deadline`.
    package func sleep(until deadline: Date) async throws {
        let token = state.withLock { state -> UInt64 in
            state.nextToken += 1
            return state.nextToken
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let immediate = state.withLock { state -> (any Error)?? in
                    if state.cancelled.remove(token) != nil { return .some(CancellationError()) }
                    if deadline <= state.now { return .some(nil) }
                    state.sleepers[token] = Sleeper(deadline: deadline, continuation: continuation)
                    return .none
                }
                switch immediate {
                case .some(.some(let error)): continuation.resume(throwing: error)
                case .some(.none): continuation.resume()
                case .none: slept.signal()
                }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                if let sleeper = state.sleepers.removeValue(forKey: token) { return sleeper }
                state.cancelled.insert(token)
                return nil
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock forward by `duration` and wakes every sleeper now due; returns how many it woke.
    @discardableResult
    package func advance(by duration: Duration) -> Int {
        let due = state.withLock { state -> [Sleeper] in
            state.now = state.now.adding(duration)
            let now = state.now
            let tokens = state.sleepers.filter { $0.value.deadline <= now }.map(\.key)
            return tokens.compactMap { state.sleepers.removeValue(forKey: $0) }
        }
        for sleeper in due { sleeper.continuation.resume() }
        return due.count
    }
}
